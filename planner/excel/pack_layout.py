"""The alignment pack's file layout, shared by the writer and the reader of returned packs.

The hidden metadata sheet is a list of rows of strings:

    format     | orp-alignment-pack | 1
    pack_id    | <uuid4>
    store_id   | <store id>
    engagement | <id>
    cmo        | <id>
    criteria   | <version or "">
    timeline   | <version or "">
    created_at | <ISO 8601, UTC>
    response   | <sheet row> | <row key> | <digest of the item cell> | date|nodate
    extent     | <sheet> | <rows> | <columns>
    cell       | <sheet> | <A1 reference> | <digest>
    signature  | <HMAC-SHA256 hex over every row above>

`cell` rows cover every non-empty cell of the visible sheets except the response inputs, so the
reader can tell which protected cells were edited. Digests are of what the visible cells show, so
the hidden sheet carries nothing the visible ones do not. The signature uses a per-store secret:
a metadata sheet edited by hand, or written by another store, does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import date, datetime

FORMAT = "orp-alignment-pack"
FORMAT_VERSION = "1"
META_SHEET = "_pack"

# Response sheet: header on HEADER_ROW, one question per row from FIRST_ROW; 1-based columns.
RESPONSE_HEADER_ROW = 4
RESPONSE_FIRST_ROW = RESPONSE_HEADER_ROW + 1
COL_NUMBER, COL_SECTION, COL_ITEM, COL_PROMPT = 1, 2, 3, 4
COL_ACK, COL_FEASIBLE, COL_DATE, COL_COMMENT = 5, 6, 7, 8
INPUT_COLUMNS = (COL_ACK, COL_FEASIBLE, COL_DATE, COL_COMMENT)

Row = tuple[str, ...]


def column_letter(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def input_columns(asks_date: bool) -> tuple[int, ...]:
    return INPUT_COLUMNS if asks_date else (COL_ACK, COL_FEASIBLE, COL_COMMENT)


def normal_form(value: object) -> str:
    """One text per shown value, stable across a save by Excel, LibreOffice or openpyxl: numbers
    as numbers whatever their type, midnight datetimes as dates, CRLF as LF. "" for empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, int | float):
        return f"n:{float(value):.12g}"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return f"d:{value.date().isoformat()}"
        return f"t:{value.replace(tzinfo=None).isoformat()}"
    if isinstance(value, date):
        return f"d:{value.isoformat()}"
    return "s:" + str(value).replace("\r\n", "\n")


def digest(value: object) -> str:
    """16 hex digits (64 bits) of SHA-256: enough to notice an edit, short enough for many cells."""
    form = normal_form(value)
    return hashlib.sha256(form.encode("utf-8", "surrogatepass")).hexdigest()[:16] if form else ""


def signature(rows: Sequence[Row], secret: bytes) -> str:
    canonical = json.dumps([list(r) for r in rows], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(rows: Sequence[Row], secret: bytes, claimed: str) -> bool:
    return hmac.compare_digest(signature(rows, secret), claimed.strip().lower())
