import os

# Before any QApplication exists: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("PLANNER_DB", None)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from planner.store.store import open_store  # noqa: E402


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "planner.db"


@pytest.fixture
def store(store_path: Path):
    with open_store(store_path) as s:
        yield s


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A store with the demo portfolio loaded once; tests copy it instead of reloading."""
    from planner.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(path) as s:
        load_demo(s)
    return path


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path):
    from planner.store.backup import backup_file

    path = backup_file(demo_template, tmp_path / "demo" / "planner.db")
    with open_store(path) as s:
        yield s
