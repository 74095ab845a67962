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
