"""Putting a new file in place atomically, with the old one kept until the caller is sure.

A `StagedFile` is the complete new file next to its target under a hidden temporary name,
flushed to disk. `commit` moves it over the target with os.replace (atomic on one file system),
first keeping a copy of any old file aside; `rollback` undoes either step; `finish` drops the
copy. So whatever kills the process, the target is the old file, the new one, or (when there
was none) absent, never half written; at worst a hidden temporary file is left next to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from planner.store.leftovers import writer_tag, written_by_a_dead_process

CHUNK = 1024 * 1024


class StagedFile:
    def __init__(self, target: Path, temp: Path) -> None:
        self.target = target
        self._temp: Path | None = temp
        self._aside: Path | None = None
        self._committed = False
        self.sha256 = _sha256(temp)

    def commit(self) -> None:
        assert self._temp is not None and not self._committed
        if self.target.exists():
            aside = _sibling(self.target, "old")
            shutil.copy2(self.target, aside)
            self._aside = aside
        os.replace(self._temp, self.target)
        self._temp = None
        self._committed = True
        _sync_folder(self.target.parent)

    def rollback(self) -> None:
        """Before commit: delete the staged file. After: put the old file back (or remove the new
        one when there was none). Never raises: it runs while another error is on its way."""
        with contextlib.suppress(OSError):
            if self._temp is not None:
                self._temp.unlink(missing_ok=True)
                self._temp = None
            if self._committed:
                if self._aside is not None:
                    os.replace(self._aside, self.target)
                    self._aside = None
                else:
                    self.target.unlink(missing_ok=True)
                self._committed = False
                _sync_folder(self.target.parent)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            if self._aside is not None:
                self._aside.unlink(missing_ok=True)
                self._aside = None


def stage_bytes(target: Path, data: bytes) -> StagedFile:
    remove_stale_siblings(target)
    temp = _sibling(target, "tmp")
    try:
        with temp.open("xb") as handle:
            _write(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        return StagedFile(target, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stage_with(target: Path, write: Callable[[Path], None]) -> StagedFile:
    """Stage a file another component writes by path (the PDF writer): it writes the temporary
    file, which is then flushed to disk; a writer that leaves nothing there counts as failed."""
    remove_stale_siblings(target)
    temp = _sibling(target, "tmp")
    try:
        write(temp)
        if not temp.is_file() or temp.stat().st_size == 0:
            raise OSError(f"nothing was written for {target.name}")
        with temp.open("r+b") as handle:
            os.fsync(handle.fileno())
        return StagedFile(target, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write(handle, data: bytes) -> None:  # type: ignore[no-untyped-def]
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        handle.write(view[start : start + CHUNK])


def _sibling(target: Path, kind: str) -> Path:
    # Same folder as the target (os.replace is only atomic within one file system); a leading
    # dot hides it, the writer tag lets a later export clean up after a killed one, and the
    # random part keeps two exports of the same name apart.
    return target.with_name(f".{target.name}.{writer_tag()}-{secrets.token_hex(4)}.{kind}")


def remove_stale_siblings(target: Path) -> list[Path]:
    """Hidden temporary or set-aside copies of `target` left by an export that was killed.

    The old file is copied aside (never moved), so the target is whole and a stale copy can go."""
    prefix = f".{target.name}."
    removed = []
    try:
        candidates = [p for p in target.parent.glob(f"{prefix}*") if p.suffix in (".tmp", ".old")]
    except OSError:
        return removed
    for path in candidates:
        rest = path.name[len(prefix) : -len(path.suffix)]
        if written_by_a_dead_process(path, rest):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
