class NotFound(LookupError):
    """The record asked for does not exist (any more)."""


class Conflict(ValueError):
    """The change would break a rule that involves other records; the message says which."""
