"""Run one piece of service work off the GUI thread and get its result back on the GUI thread.

`TaskRunner` wraps this with a progress dialog; wizard pages use it directly with an inline bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from planner.services.progress import Cancelled, CancelToken

Work = Callable[[Callable[[int, int, str], None], CancelToken], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, work: Work, token: CancelToken) -> None:
        super().__init__()
        self.signals = _Signals()
        self.token = token
        self._work = work
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self.token)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # delivered to the GUI thread, shown there
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_POOL: QThreadPool | None = None


def _pool() -> QThreadPool:
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)  # one writer: store work runs in order
    return _POOL


def start(
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    on_progress: Callable[[int, int, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> Job:
    job = Job(work, CancelToken())
    job.signals.finished.connect(on_done)
    job.signals.failed.connect(on_error)
    if on_progress:
        job.signals.progress.connect(on_progress)
    if on_cancelled:
        job.signals.cancelled.connect(on_cancelled)
    _ACTIVE.add(job)
    for signal in (job.signals.finished, job.signals.failed, job.signals.cancelled):
        signal.connect(lambda *_: _ACTIVE.discard(job))
    _pool().start(job)
    return job


_ACTIVE: set[Job] = set()  # keeps jobs (and their signal objects) alive until they report


def wait_all(msecs: int = -1) -> bool:
    return _pool().waitForDone(msecs)
