"""How long work talks to whoever runs it: a progress callback and a cancel token. No Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable

# progress(done, total, message); total 0 means "unknown".
ProgressCallback = Callable[[int, int, str], None]


def no_progress(_done: int, _total: int, _message: str) -> None:
    return None


class Cancelled(Exception):
    """Raised inside long work when its token was cancelled; the work's transaction rolls back."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
