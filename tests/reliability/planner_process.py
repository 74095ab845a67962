"""Running `python -m planner` as a separate process, watching it, and killing it.

Its stderr is a pseudo-terminal, so the CLI prints its progress lines ("Saving suppliers"),
which tell the test where the process has got to before a SIGKILL is sent.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON_ENV = {k: v for k, v in os.environ.items() if k not in ("PLANNER_DB", "PLANNER_DEBUG")}


def planner_argv(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "planner", "--db", str(db), *args]


def run_planner(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        planner_argv(db, *args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=PYTHON_ENV,
        timeout=timeout,
    )


def one_line_reason(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command; fails on a traceback or several lines."""
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


class Watched:
    """A process whose stderr goes to a pseudo-terminal the test reads."""

    def __init__(self, argv: list[str]) -> None:
        import pty

        master, slave = pty.openpty()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
            cwd=ROOT,
            env=PYTHON_ENV,
        )
        os.close(slave)
        self._master: int | None = master
        self.output = b""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self, timeout: float) -> bool:
        """Read what is there within `timeout`; False once the terminal is closed."""
        if self._master is None:
            return False
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: the child closed its side
            chunk = b""
        if not chunk:
            return False
        self.output += chunk
        return True

    def wait_for(self, text: bytes, timeout: float) -> float | None:
        """Seconds since start when `text` appeared; None when the process ended first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return time.monotonic() - self.started
            if not self._read(0.005) and text not in self.output:
                return None
        return None

    def wait_until(self, condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
        """Poll `condition()` every few milliseconds while draining the terminal."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            if self.proc.poll() is not None:
                return bool(condition())
            self._read(0.002)
        return False

    def sleep(self, seconds: float) -> None:
        """Sleep while draining the terminal, so the child never blocks writing to it."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if not self._read(min(left, 0.01)):
                time.sleep(max(0.0, min(left, 0.01)))

    def kill(self) -> bool:
        """SIGKILL; True when the process was still running, i.e. the kill landed."""
        if self.proc.poll() is not None:
            return False
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        return self.proc.returncode == -signal.SIGKILL

    def finish(self, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.01)
        if self.proc.poll() is None:
            self.kill()
        while self._read(0):
            pass
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        if self._master is not None:
            os.close(self._master)
            self._master = None

    def __enter__(self) -> Watched:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
