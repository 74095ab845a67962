"""One reading of slashed dates per column.

"05/03/2024" is 3 May in an FDA export and 5 March in a European one. Cell by cell we read
month first unless the first number is over 12, which reads one column two ways as soon as it
holds "25/03/2024" beside "05/03/2024". So each date column collects evidence while rows are
read: a date whose first number is over 12 says day first, one whose second number is over
12 says month first. At the end, a column with only day-first evidence has its ambiguous
dates read day first again; a column with evidence both ways keeps them month first and
says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.wording import plural
from planner.excel.normalise import SLASH_DATE, two_digit_year


@dataclass
class _Column:
    day_first: int = 0  # dates that can only be day first
    month_first: int = 0
    # (the row's values, the day-first reading, the text)
    ambiguous: list[tuple[dict[str, Any], date, str]] = field(default_factory=list)
    example: str = ""  # an unambiguous day-first date, for the message


class DateOrder:
    def __init__(self) -> None:
        self._columns: dict[str, _Column] = {}
        self._kinds: dict[str, tuple[str, date | None]] = {}  # text -> (kind, day-first date)

    def note(self, label: str, target: str, raw: str, values: dict[str, Any]) -> None:
        """Record a date cell read into values[target] from the text `raw`."""
        kind, day_first = self._kinds.get(raw) or self._classify(raw)
        if not kind:
            return
        column = self._columns.setdefault(label, _Column())
        if kind == "day":
            column.day_first += 1
            column.example = column.example or raw.strip()
        elif kind == "month":
            column.month_first += 1
        else:
            assert day_first is not None
            column.ambiguous.append((values, day_first, raw.strip()))

    def settle(self, targets: dict[str, str]) -> list[str]:
        """Read each column one way; `targets` maps a column label to its field. Returns what
        the user should know."""
        notes = []
        for label, column in self._columns.items():
            if not column.ambiguous or not column.day_first:
                continue
            if column.month_first:
                notes.append(
                    f"'{label}' holds dates written day first (like {column.example}) and "
                    f"month first; {plural(len(column.ambiguous), 'date')} that could be "
                    f"either, such as {column.ambiguous[0][2]}, "
                    f"{'was' if len(column.ambiguous) == 1 else 'were'} read month first: "
                    "check them."
                )
                continue
            for values, day_first, _ in column.ambiguous:
                values[targets[label]] = day_first
            notes.append(
                f"'{label}' writes dates day first (like {column.example}), so every date in it "
                "was read day first."
            )
        return notes

    def _classify(self, raw: str) -> tuple[str, date | None]:
        kind: tuple[str, date | None] = ("", None)
        if m := SLASH_DATE.fullmatch(raw.strip()):
            first, second = int(m[1]), int(m[2])
            if first > 12 >= second:
                kind = ("day", None)
            elif second > 12 >= first:
                kind = ("month", None)
            elif first != second and first <= 12 and second <= 12:
                kind = ("either", date(two_digit_year(m[3]), second, first))
        if len(self._kinds) < 65_536:
            self._kinds[raw] = kind
        return kind
