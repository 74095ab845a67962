"""Reading an alignment pack a CMO sent back: identify it, read its answers, spot other edits.

The file is vetted like any import (size, zip and XML bombs, sheet extents) before openpyxl
opens it read-only with cached values only, so nothing in it is ever evaluated. This module
does not judge the metadata: the service checks the store id and the signature (it holds the
secret) before trusting anything read here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from planner.excel import pack_layout as layout
from planner.excel.errors import ImportRefused
from planner.excel.extent import xlsx_sheet_extent
from planner.excel.limits import DEFAULT_LIMITS, ImportLimits
from planner.excel.normalise import CellProblem, cell_text, date_value
from planner.excel.sniff import sniff
from planner.excel.zip_guard import check_xml_parts, open_archive
from planner.reports.pack_content import (
    ACK_CHOICES,
    FEASIBLE_CHOICES,
    SECTION_RESPONSE,
    clean_text,
)

# A pack has a few hundred rows; anything near this is not one we wrote.
MAX_SHEET_CELLS = 1_000_000
MAX_EDITS = 500
MAX_COMMENT = 10_000


class NotAPack(ValueError):
    """The file is a workbook but not an alignment pack this planner can read; one line."""


@dataclass(frozen=True)
class PackMetadata:
    pack_id: str
    store_id: str
    engagement_id: int
    cmo_id: int
    criteria_version: int | None
    timeline_version: int | None
    created_at: str
    signed_rows: tuple[layout.Row, ...]
    signature: str

    def signed_with(self, secret: bytes) -> bool:
        return layout.signature_matches(self.signed_rows, secret, self.signature)


@dataclass(frozen=True)
class Answer:
    key: str
    item: str
    acknowledged: str | None  # one of ACK_CHOICES
    feasible: str | None  # one of FEASIBLE_CHOICES
    proposed_date: date | None
    comment: str

    @property
    def is_blank(self) -> bool:
        return not (self.acknowledged or self.feasible or self.proposed_date or self.comment)


@dataclass(frozen=True)
class CellEdit:
    """A change outside the response cells; such changes are reported and never stored."""

    sheet: str
    cell: str  # "" for a whole sheet added or removed
    value: str  # what the cell shows now; "" when cleared
    change: str  # changed | cleared | added | sheet added | sheet removed


@dataclass(frozen=True)
class ReturnedPack:
    file_name: str
    metadata: PackMetadata
    answers: tuple[Answer, ...]  # in the order of the response sheet, blank ones included
    edits: tuple[CellEdit, ...]
    problems: tuple[str, ...]  # answers that could not be read as given, and why


@dataclass(frozen=True)
class _ResponseRef:
    row: int
    key: str
    label_digest: str
    asks_date: bool


def read_returned_pack(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ReturnedPack:
    """Raises ImportRefused (not a usable file) or NotAPack (a workbook, but not a pack)."""
    name = path.name
    kind = sniff(path, limits)
    if kind != "xlsx":
        raise NotAPack(f"{name} is not an alignment pack (packs are .xlsx workbooks).")
    with open_archive(path, limits) as archive:
        check_xml_parts(archive, name)
        _check_extents(archive, limits)
    with _opened(path, cached=True) as wb:
        if layout.META_SHEET not in wb.sheetnames:
            raise NotAPack(
                f"{name} is not an alignment pack from this planner: it has no pack "
                "identification (it may be a copy made with 'Save as' in another format)."
            )
        rows = [_text_row(r) for r in wb[layout.META_SHEET].iter_rows(values_only=True)]
        metadata, refs, extents, digests = _parse_metadata([r for r in rows if r], name)
        sheets = _visible_cells(wb)
    # A formula typed into a cell has no cached value when the program that saved the file did
    # not compute it (openpyxl, some web editors); its text is then what the cell says. It is
    # only ever read as text, never evaluated.
    with _opened(path, cached=False) as wb:
        for title, cells in _visible_cells(wb).items():
            shown = sheets.setdefault(title, {})
            for at, value in cells.items():
                if at not in shown and isinstance(value, str) and value.startswith("="):
                    shown[at] = value
    response = sheets.get(SECTION_RESPONSE, {})
    answers, problems = _answers(response, refs)
    inputs = {(ref.row, column) for ref in refs for column in layout.input_columns(ref.asks_date)}
    edits = _edits(sheets, extents, digests, inputs)
    return ReturnedPack(name, metadata, tuple(answers), tuple(edits), tuple(problems))


@contextmanager
def _opened(path: Path, *, cached: bool) -> Iterator[Any]:
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=cached, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged part
        raise ImportRefused(
            "corrupt", f"{path.name} cannot be opened as a workbook ({exc})."
        ) from None
    try:
        yield wb
    finally:
        wb.close()


def _visible_cells(wb: Any) -> dict[str, dict[tuple[int, int], Any]]:
    return {
        ws.title: _cells(ws)
        for ws in wb.worksheets
        if ws.title != layout.META_SHEET and ws.sheet_state == "visible"
    }


def _check_extents(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    budget = min(limits.max_cells, MAX_SHEET_CELLS)
    for info in archive.infolist():
        part = info.filename
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            rows, columns = xlsx_sheet_extent(archive, part, budget)
            if rows * columns > budget:
                raise ImportRefused(
                    "sheet_too_large",
                    f"a sheet spans {rows:,} rows × {columns:,} columns; a pack never does.",
                )


def _text_row(values: tuple[Any, ...]) -> layout.Row:
    texts = ["" if v is None else str(v) for v in values]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _parse_metadata(
    rows: list[layout.Row], name: str
) -> tuple[PackMetadata, list[_ResponseRef], dict[str, tuple[int, int]], dict[str, dict[str, str]]]:
    damaged = NotAPack(f"The pack identification in {name} is damaged; it cannot be read.")
    if not rows or rows[0][:2] != ("format", layout.FORMAT):
        raise NotAPack(f"{name} is not an alignment pack from this planner.")
    if rows[0][2:3] != (layout.FORMAT_VERSION,):
        raise NotAPack(f"{name} was written by a newer version of the planner; update it first.")
    if rows[-1][:1] != ("signature",) or len(rows[-1]) != 2:
        raise damaged
    signed = rows[:-1]
    facts: dict[str, str] = {}
    refs: list[_ResponseRef] = []
    extents: dict[str, tuple[int, int]] = {}
    digests: dict[str, dict[str, str]] = {}
    try:
        for row in signed[1:]:
            kind = row[0]
            if kind == "response":
                refs.append(_ResponseRef(int(row[1]), row[2], _at(row, 3), _at(row, 4) == "date"))
            elif kind == "extent":
                extents[row[1]] = (int(row[2]), int(row[3]))
            elif kind == "cell":
                digests.setdefault(row[1], {})[row[2]] = row[3]
            else:
                facts[kind] = _at(row, 1)
        metadata = PackMetadata(
            pack_id=facts["pack_id"],
            store_id=facts["store_id"],
            engagement_id=int(facts["engagement"]),
            cmo_id=int(facts["cmo"]),
            criteria_version=_optional_int(facts["criteria"]),
            timeline_version=_optional_int(facts["timeline"]),
            created_at=facts["created_at"],
            signed_rows=tuple(signed),
            signature=rows[-1][1],
        )
    except (KeyError, IndexError, ValueError):
        raise damaged from None
    return metadata, refs, extents, digests


def _at(row: layout.Row, index: int) -> str:
    return row[index] if index < len(row) else ""


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


def _cells(ws: Any) -> dict[tuple[int, int], Any]:
    found = {}
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                found[(r, c)] = value
    return found


def _answers(
    cells: dict[tuple[int, int], Any], refs: list[_ResponseRef]
) -> tuple[list[Answer], list[str]]:
    answers, problems = [], []
    for ref in refs:
        label = cells.get((ref.row, layout.COL_ITEM))
        where = f"Row {ref.row} of '{SECTION_RESPONSE}'"
        if layout.digest(label) != ref.label_digest:
            problems.append(
                f"{where} no longer shows the item it was sent with (rows moved or edited); "
                "its answers were not read."
            )
            continue
        item = clean_text(label)
        ack = _choice(cells.get((ref.row, layout.COL_ACK)), ACK_CHOICES, f"{where}, Acknowledged")
        feasible = _choice(
            cells.get((ref.row, layout.COL_FEASIBLE)), FEASIBLE_CHOICES, f"{where}, Feasible"
        )
        proposed: tuple[date | None, str | None] = (None, None)
        if ref.asks_date:
            proposed = _date(cells.get((ref.row, layout.COL_DATE)), f"{where}, Proposed date")
        comment = clean_text(cell_text(cells.get((ref.row, layout.COL_COMMENT))), MAX_COMMENT)
        problems += [p for p in (ack[1], feasible[1], proposed[1]) if p]
        answers.append(Answer(ref.key, item, ack[0], feasible[0], proposed[0], comment.strip()))
    return answers, problems


def _choice(value: Any, choices: tuple[str, ...], where: str) -> tuple[str | None, str | None]:
    text = " ".join(clean_text(cell_text(value)).split())
    if not text:
        return None, None
    for choice in choices:
        if text.casefold() == choice.casefold():
            return choice, None
    return None, f"{where}: '{text[:60]}' is not one of {', '.join(choices)}; left out."


def _date(value: Any, where: str) -> tuple[date | None, str | None]:
    try:
        return date_value(value, where), None
    except CellProblem as exc:
        return None, str(exc)


def _edits(
    sheets: dict[str, dict[tuple[int, int], Any]],
    extents: dict[str, tuple[int, int]],
    digests: dict[str, dict[str, str]],
    inputs: set[tuple[int, int]],
) -> list[CellEdit]:
    edits: list[CellEdit] = []
    for sheet in extents:
        if sheet not in sheets:
            edits.append(CellEdit(sheet, "", "", "sheet removed"))
    for sheet, cells in sheets.items():
        if sheet not in extents:
            edits.append(CellEdit(sheet, "", "", "sheet added"))
            continue
        sent = digests.get(sheet, {})
        own_inputs = inputs if sheet == SECTION_RESPONSE else set()
        for coordinate, now in _compare(cells, sent, own_inputs):
            if len(edits) >= MAX_EDITS:
                return edits
            value = clean_text(cell_text(now), 200) if now is not None else ""
            change = (
                "cleared" if now is None else ("added" if coordinate not in sent else "changed")
            )
            edits.append(CellEdit(sheet, coordinate, value, change))
    return edits


def _compare(
    cells: dict[tuple[int, int], Any], sent: dict[str, str], inputs: set[tuple[int, int]]
) -> Iterator[tuple[str, Any]]:
    """(A1 reference, value now or None) of every cell outside `inputs` that differs."""
    now = {
        f"{layout.column_letter(c)}{r}": v for (r, c), v in cells.items() if (r, c) not in inputs
    }
    for coordinate in sorted(set(now) | set(sent), key=_order):
        if layout.digest(now.get(coordinate)) != sent.get(coordinate, ""):
            yield coordinate, now.get(coordinate)


def _order(coordinate: str) -> tuple[int, str]:
    letters = coordinate.rstrip("0123456789")
    return int(coordinate[len(letters) :]), letters.rjust(3)
