"""The dependency rule of DESIGN.md, checked by parsing every module's imports."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "planner"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_only_ui_and_app_import_pyside6() -> None:
    offenders = [
        rel(p)
        for p in modules()
        if not (rel(p).startswith("ui/") or rel(p) == "app.py")
        and any(name.split(".")[0] in {"PySide6", "shiboken6"} for name in imports_of(p))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("domain/", {"sqlalchemy", "alembic", "planner.store", "planner.services", "planner.ui"}),
        ("store/", {"planner.services", "planner.ui", "planner.excel", "planner.cli"}),
        ("services/", {"planner.ui", "planner.cli", "planner.app"}),
        ("excel/", {"planner.ui", "planner.cli", "planner.app"}),
        ("reports/", {"planner.ui", "planner.cli", "planner.app"}),
    ],
)
def test_layers_import_only_downwards(layer: str, forbidden: set[str]) -> None:
    offenders = []
    for path in modules():
        if not rel(path).startswith(layer):
            continue
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                offenders.append(f"{rel(path)} imports {name}")
    assert offenders == []


def test_no_module_is_too_long() -> None:
    long_files = [
        (rel(p), n)
        for p in modules()
        if "alembic/versions" not in rel(p)
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 520
    ]
    assert long_files == []
