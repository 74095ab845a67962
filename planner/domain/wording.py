"""Small helpers for the words the UI shows with counts."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 supplier', '2 suppliers', '1,204 suppliers'; `many` for irregular plurals."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
