"""The alignment pack workbook as bytes: visible sheets, the signed metadata sheet, properties.

`pack_bytes` never touches the target folder; `pack_files` puts the bytes in place atomically.
Before returning, every XML part of the archive is checked for a formula element: no value from
the store or an imported supplier list can become a formula, whatever slipped past `put`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.workbook.protection import WorkbookProtection

from planner.excel import pack_cells as c
from planner.excel import pack_layout as layout
from planner.excel.pack_sheets import add_sheets
from planner.reports.pack_content import (
    SECTION_RESPONSE,
    PackContent,
    ResponseQuestion,
    clean_text,
)

APP_PART = "docProps/app.xml"
_FORMULA = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s/>]")


class PackWriteError(RuntimeError):
    """The workbook failed its own safety check; nothing was written."""


@dataclass(frozen=True)
class PackIdentity:
    """What the hidden sheet says about the pack; the store keeps the same facts in PackRow."""

    pack_id: str
    store_id: str
    engagement_id: int
    cmo_id: int
    criteria_version: int | None
    timeline_version: int | None
    created_at: datetime


def pack_bytes(content: PackContent, identity: PackIdentity, secret: bytes) -> bytes:
    wb = Workbook()
    placed = add_sheets(wb, content)
    _add_metadata(wb, identity, placed, secret)
    sponsor = content.cover.sponsor
    now = identity.created_at.astimezone(UTC).replace(tzinfo=None)
    # Only the sponsor's name goes into the document properties: they travel with the file and
    # show in file browsers and search indexes, so nothing of the pack's content belongs there.
    wb.properties = DocumentProperties(
        creator=sponsor,
        lastModifiedBy=sponsor,
        title=f"Alignment pack from {sponsor}",
        created=now,
        modified=now,
    )
    wb.security = WorkbookProtection(lockStructure=True)
    raw = io.BytesIO()
    wb.save(raw)
    return _finish_archive(raw.getvalue(), sponsor)


def _add_metadata(
    wb: Workbook,
    identity: PackIdentity,
    placed: list[tuple[int, ResponseQuestion]],
    secret: bytes,
) -> None:
    rows: list[layout.Row] = [
        ("format", layout.FORMAT, layout.FORMAT_VERSION),
        ("pack_id", identity.pack_id),
        ("store_id", identity.store_id),
        ("engagement", str(identity.engagement_id)),
        ("cmo", str(identity.cmo_id)),
        ("criteria", _optional(identity.criteria_version)),
        ("timeline", _optional(identity.timeline_version)),
        ("created_at", identity.created_at.astimezone(UTC).isoformat()),
    ]
    response = wb[SECTION_RESPONSE]
    inputs: set[tuple[int, int]] = set()
    for row, question in placed:
        label = response.cell(row=row, column=layout.COL_ITEM).value
        kind = "date" if question.asks_date else "nodate"
        rows.append(("response", str(row), question.key, layout.digest(label), kind))
        inputs.update((row, column) for column in layout.input_columns(question.asks_date))
    for ws in wb.worksheets:
        rows.append(("extent", ws.title, str(ws.max_row), str(ws.max_column)))
    for ws in wb.worksheets:
        own_inputs = inputs if ws.title == SECTION_RESPONSE else set()
        for line in ws.iter_rows():
            for cell in line:
                if cell.value in (None, "") or (cell.row, cell.column) in own_inputs:
                    continue
                rows.append(("cell", ws.title, cell.coordinate, layout.digest(cell.value)))
    meta = wb.create_sheet(layout.META_SHEET)
    for number, values in enumerate([*rows, ("signature", layout.signature(rows, secret))], 1):
        for column, value in enumerate(values, start=1):
            c.put(meta, number, column, value, c.PLAIN)
    meta.sheet_state = "veryHidden"
    c.protect(meta)


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


def _app_properties(sponsor: str) -> bytes:
    # openpyxl's ExtendedProperties drops Company when serialising, so the part is written here.
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Outsourcing Relationship Planner</Application>'
        f"<DocSecurity>0</DocSecurity><Company>{escape(clean_text(sponsor))}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc></Properties>"
    ).encode()


def _finish_archive(data: bytes, sponsor: str) -> bytes:
    """Copy the archive with our own app.xml (openpyxl writes its own without a company) and
    refuse any part holding a formula element."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = source.read(info)
            if info.filename == APP_PART:
                part = _app_properties(sponsor)
            if info.filename.endswith(".xml") and _FORMULA.search(part):
                raise PackWriteError(
                    f"part {info.filename} of the pack would hold a formula; nothing was written."
                )
            target.writestr(info.filename, part, zipfile.ZIP_DEFLATED)
    return out.getvalue()
