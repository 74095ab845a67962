"""Check a frozen or installed planner: --version, self-test, and the GUI starting offscreen.

    python installers/check_frozen.py PATH/TO/planner [--gui PATH/TO/plannerw.exe] [--version X]

Standard library only, so CI runs it with any Python, on Linux, Windows and macOS alike; the slow
test and linux/build.sh use it too. Every start gets a throw-away store (and on Linux a
throw-away HOME), so the user's data is untouched. Exit status 0 when every check passed, else 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAY_UP_SECONDS = 8.0  # the window is built within ~2 s on a 2-core runner; a crash comes sooner
WINDOW_DEADLINE = 120.0  # on a machine this loaded, report a hang rather than wait for ever


def isolated_env(home: Path) -> dict[str, str]:
    """No screen needed; on Linux Qt's settings and data folders point into `home`.

    Windows and macOS take those folders from the system, not the environment: there the GUI
    check may leave window settings in the registry or preferences, so run it on CI and test
    machines (the store is always a throw-away one given with --db).
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PLANNER_DB", None)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


def check_version(exe: Path, expected: str | None) -> str:
    out = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    text = (out.stdout + out.stderr).strip()
    if out.returncode != 0 or not text.startswith("planner "):
        raise AssertionError(f"--version exited {out.returncode}: {text!r}")
    if expected and text != f"planner {expected}":
        raise AssertionError(f"--version says {text!r}, expected 'planner {expected}'")
    return text


def check_self_test(exe: Path, home: Path) -> str:
    out = subprocess.run(
        [str(exe), "self-test"],
        capture_output=True,
        text=True,
        timeout=300,
        env=isolated_env(home),
        check=False,
    )
    print(out.stdout.rstrip())
    if out.returncode != 0 or "Self-test passed" not in out.stdout:
        raise AssertionError(f"self-test exited {out.returncode}:\n{out.stderr.strip()}")
    return "self-test passed"


def check_window_starts(exe: Path, home: Path) -> str:
    """Starts the GUI offscreen on a new store; it must stay up, and on POSIX close on SIGTERM.

    Staying up means the Qt platform plugin loaded and the main window was built (a missing
    module or plugin ends the process within a second or two). On Linux the app's settings file
    appearing says its event loop runs, so SIGTERM finds the handler that closes it cleanly
    however slow the machine; elsewhere the check waits STAY_UP_SECONDS.
    """
    db = home / "gui" / "planner.db"
    db.parent.mkdir(parents=True)
    config = home / "config"
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(exe), "--db", str(db)],
        env=isolated_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def ready() -> bool:
        if time.monotonic() - started < STAY_UP_SECONDS:
            return False
        return not sys.platform.startswith("linux") or any(config.rglob("*.conf"))

    try:
        while not ready():
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(f"the GUI exited with {proc.returncode}:\n{out}{err}")
            if time.monotonic() - started > WINDOW_DEADLINE:
                raise AssertionError(
                    f"the GUI's event loop was not running after {WINDOW_DEADLINE} s"
                )
            time.sleep(0.2)
        up_after = time.monotonic() - started
        if not db.exists():
            raise AssertionError("the GUI is up but never created its store")
    finally:
        if proc.poll() is None:
            if sys.platform == "win32":
                proc.kill()  # no SIGTERM on Windows; the lock left in the temp folder is harmless
            else:
                proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    if sys.platform != "win32" and proc.returncode != 0:
        raise AssertionError(
            f"the GUI did not close cleanly on SIGTERM ({proc.returncode}):\n{err}"
        )
    return f"GUI still up and running offscreen on a new store after {up_after:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path, help="the console executable (planner / planner.exe)")
    parser.add_argument("--gui", type=Path, help="also start this windowed twin (plannerw.exe)")
    parser.add_argument("--version", dest="expected", help="the version --version must print")
    args = parser.parse_args(argv)
    checks = [
        ("version", lambda home: check_version(args.exe, args.expected)),
        ("self-test", lambda home: check_self_test(args.exe, home)),
        ("window", lambda home: check_window_starts(args.exe, home)),
    ]
    if args.gui:
        checks.append(("window (windowed exe)", lambda home: check_window_starts(args.gui, home)))
    failed = 0
    for name, check in checks:
        with tempfile.TemporaryDirectory(
            prefix="planner-check-", ignore_cleanup_errors=True
        ) as tmp:
            try:
                print(f"ok    {name}: {check(Path(tmp))}", flush=True)
            except (AssertionError, OSError, subprocess.TimeoutExpired) as exc:
                print(f"FAIL  {name}: {exc}", flush=True)
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
