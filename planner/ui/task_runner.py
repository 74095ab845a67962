"""Runs long work off the GUI thread: progress dialog, Cancel, error dialog, then a change notice.

Work is a plain function `fn(progress, token)` from the services layer; it never sees a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from planner.services.progress import CancelToken
from planner.ui.background import Job, Work


class TaskRunner(QObject):
    """One per window. `run()` returns at once; `on_done(result)` runs on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._parent = parent_widget
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer: store work runs in order
        self._active: list[Job] = []

    def run(
        self,
        title: str,
        work: Work,
        on_done: Callable[[Any], None] | None = None,
        *,
        on_error: Callable[[Exception], None] | None = None,
        cancellable: bool = True,
    ) -> CancelToken:
        token = CancelToken()
        job = Job(work, token)
        dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, self._parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # quick work finishes before any dialog flickers up
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(token.cancel)

        def progress(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(message)

        def finish() -> None:
            dialog.canceled.disconnect(token.cancel)
            dialog.close()
            dialog.deleteLater()
            self._active.remove(job)
            self.busy_changed.emit(bool(self._active))

        def done(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        def failed(exc: Exception) -> None:
            finish()
            if on_error:
                on_error(exc)
            else:
                QMessageBox.warning(self._parent, title, str(exc) or type(exc).__name__)

        job.signals.progress.connect(progress)
        job.signals.finished.connect(done)
        job.signals.failed.connect(failed)
        job.signals.cancelled.connect(finish)
        self._active.append(job)
        self.busy_changed.emit(True)
        self._pool.start(job)
        return token

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)
