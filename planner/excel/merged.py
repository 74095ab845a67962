"""Merged cells below the header: Excel shows the merged value across every covered cell
("Portugal" merged down beside two sites), so each covered row gets it too."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from planner.excel.reading import Cells

Span = tuple[tuple[int, int], tuple[int, int]]  # 0-based (row, col) corners, as calamine gives


def fill_merged(
    rows: Iterable[tuple[int, Cells]], merged: Iterable[Span], first_col: int, header_row: int
) -> Iterator[tuple[int, Cells]]:
    """`rows` with the empty cells a merge covers given the merge's value. Merges that reach
    into the header (titles, group headers) are left alone. Row numbers are 1-based."""
    origins: dict[int, list[tuple[int, int]]] = {}  # sheet row -> merges' first (row, cell) there
    covered: dict[int, list[tuple[int, tuple[int, int]]]] = {}  # row -> [(cell, its origin)]
    for (top, left), (bottom, right) in merged:
        if top + 1 <= header_row:
            continue
        origin = (top + 1, left - first_col)
        origins.setdefault(top + 1, []).append(origin)
        for row in range(top + 1, bottom + 2):
            for col in range(left, right + 1):
                if (row, col - first_col) != origin and col >= first_col:
                    covered.setdefault(row, []).append((col - first_col, origin))
    if not covered:
        yield from rows
        return
    values: dict[tuple[int, int], object] = {}
    for number, cells in rows:
        for origin in origins.get(number, ()):
            if origin[1] < len(cells):
                values[origin] = cells[origin[1]]
        spans = covered.get(number)
        if spans:
            cells = list(cells)
            for index, origin in spans:
                value = values.get(origin)
                if value is None or value == "":
                    continue
                if index >= len(cells):
                    cells.extend([None] * (index + 1 - len(cells)))
                if cells[index] is None or cells[index] == "":
                    cells[index] = value
        yield number, cells
