"""Why a store cannot be used, each with a one-line reason fit for a dialog or stderr."""


class StoreUnavailable(Exception):
    """The store cannot be opened or written (CLI exit status 3)."""


class StoreLocked(StoreUnavailable):
    def __init__(self, holder: str) -> None:
        super().__init__(f"The store is in use by {holder}.")
        self.holder = holder


class StoreTooNew(StoreUnavailable):
    pass


class NotAPlannerStore(StoreUnavailable):
    pass


class StoreDamaged(StoreUnavailable):
    """The integrity check failed; `good_backup` is the newest backup that passes it, if any."""

    def __init__(self, message: str, good_backup=None) -> None:
        super().__init__(message)
        self.good_backup = good_backup


class StoreWriteFailed(StoreUnavailable):
    """A change could not be written (disk full, I/O error, read-only file); SQLite rolled the
    whole transaction back, so the store holds none of it."""


class BackupNotPossible(Exception):
    """Backups of server stores belong to the server (exit 2 on the command line)."""
