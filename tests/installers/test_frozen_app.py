"""The frozen app: PyInstaller builds it from installers/planner.spec into a temporary folder, and
the result answers --version, passes its self-test and starts its GUI offscreen.

About a minute to build on 2 cores (plus the checks' ~20 s). Skipped when PyInstaller is not
installed in this environment (installers/linux/build.sh installs it).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def listing(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if "__pycache__" not in p.parts
    }


def test_frozen_app_answers_version_self_test_and_starts_its_window(tmp_path) -> None:
    pytest.importorskip("PyInstaller", reason="pip install pyinstaller to test the frozen app")
    checkout_before = {p.name for p in ROOT.iterdir()}
    installers_before = listing(ROOT / "installers")
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(tmp_path / "pyinstaller-cache")}
    freeze = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(ROOT / "installers" / "planner.spec"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
        ],  # fmt: skip
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert freeze.returncode == 0, freeze.stderr[-5000:]
    # Everything went to the temporary folder: no build/, dist/ or generated spec in the checkout
    # (other new entries would be someone else's work going on meanwhile).
    created = {p.name for p in ROOT.iterdir()} - checkout_before
    assert not {n for n in created if n in {"build", "dist"} or n.endswith(".spec")}
    assert listing(ROOT / "installers") == installers_before

    folder = tmp_path / "dist" / "planner"
    exe = folder / ("planner.exe" if sys.platform == "win32" else "planner")
    assert (folder / "_internal" / "resources" / "icons" / "planner-256.png").is_file()
    assert (folder / "_internal" / "planner" / "store" / "alembic" / "env.py").is_file()
    bundled = listing(folder / "_internal")
    for unwanted in ("pytest", "_pytest", "hypothesis", "PySide6/QtQml", "PySide6/QtQuick"):
        assert not any(name.startswith(unwanted) for name in bundled), unwanted
    check = subprocess.run(
        [sys.executable, str(ROOT / "installers" / "check_frozen.py"), str(exe)]
        + ["--version", __version__],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
