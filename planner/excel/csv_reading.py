"""Delimited text: encoding and delimiter detection, then rows as lists of strings."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from planner.excel.errors import ImportRefused
from planner.excel.limits import MB

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_ROWS = 50


def detect_encoding(path: Path) -> tuple[str, int]:
    """(encoding, number of line breaks). UTF-8 with or without BOM, UTF-16 with BOM, else cp1252.

    The whole file is decoded once because a cp1252 byte can sit on line 90,000 of an otherwise
    ASCII export, and guessing from the start would then fail halfway through the import.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16", 0
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines = 0
        utf8 = True
        while chunk := handle.read(4 * MB):
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), lines
    if _has_utf8_letters(path):
        return MIXED, lines
    try:
        with path.open(encoding="cp1252", newline="") as text:
            while text.read(4 * MB):
                pass
        return "cp1252", lines
    except UnicodeDecodeError:
        return "latin-1", lines  # the five bytes cp1252 leaves undefined: take them as Latin-1


# Files pasted together from two exports hold UTF-8 lines and cp1252 lines ("MÃ¼ller" would
# follow if either were applied to the whole file): UTF-8 where the bytes are UTF-8, cp1252
# for each byte that is not.
MIXED = "utf-8, else cp1252"
_UTF8_LETTER = re.compile(rb"[\xc3-\xc5][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start : error.start + 1]
    try:
        text = byte.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        text = byte.decode("latin-1")
    return text, error.start + 1


codecs.register_error("planner-cp1252", _cp1252_byte)


def _has_utf8_letters(path: Path) -> bool:
    """Whether a file that is not UTF-8 as a whole still holds UTF-8 accented letters."""
    with path.open("rb") as handle:
        while chunk := handle.read(4 * MB):
            if _UTF8_LETTER.search(chunk):
                return True
    return False


def open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    if encoding == MIXED:
        return path.open(encoding="utf-8", errors="planner-cp1252", newline="")
    return path.open(encoding=encoding, newline="")


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits most sample rows into the same number (>1) of fields."""
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            counts = [
                len(row)
                for _, row in zip(
                    range(_SAMPLE_ROWS),
                    csv.reader(io.StringIO(sample), delimiter=delimiter),
                    strict=False,
                )
                if any(field.strip() for field in row)
            ]
        except csv.Error:
            continue
        if not counts:
            continue
        width, rows = Counter(counts).most_common(1)[0]
        score = rows if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_sample(path: Path, encoding: str) -> str:
    with open_text(path, encoding) as text:
        sample = text.read(_SAMPLE_CHARS)
    # A row cut in half would look like a different field count.
    cut = max(sample.rfind("\n"), 0) if len(sample) == _SAMPLE_CHARS else len(sample)
    return sample[:cut] if cut else sample


def iter_csv(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    """Records as lists of strings; a record is one spreadsheet row even when a quoted field spans
    several lines."""
    try:
        with open_text(path, encoding) as text:
            reader = csv.reader(text, delimiter=delimiter)
            started = last_start = 1
            row: list[str] = []
            for row in reader:
                last_start, started = started, reader.line_num + 1
                joined = "\x00".join(row)  # one C-level look per row for the rare case below
                if '="' in joined and ('\x00="' in joined or joined.startswith('="')):
                    row = [_excel_text(field) for field in row]
                yield row
            if any("\n" in field for field in row) and _odd_quotes(path, encoding):
                raise ImportRefused(
                    "corrupt",
                    f'{path.name}: the quote (") that opens a cell in line {last_start} is never '
                    "closed, so everything after it would be one cell; close or remove it and "
                    "import again.",
                )
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            raise ImportRefused(
                "oversized_cell",
                f"{path.name} has a field over {csv.field_size_limit():,} characters.",
            ) from None
        if "NUL" in message:
            raise ImportRefused(
                "not_spreadsheet", f"{path.name} holds binary data (NUL bytes)."
            ) from None
        raise ImportRefused(
            "corrupt", f"{path.name} is not valid delimited text ({message})."
        ) from None


def _excel_text(field: str) -> str:
    """`="0001234567"`: how exports force Excel to keep a value as text (leading zeros, long
    numbers). Excel shows the text inside; so do we."""
    if len(field) >= 3 and field.startswith('="') and field.endswith('"'):
        return field[2:-1].replace('""', '"')
    return field


def _odd_quotes(path: Path, encoding: str) -> bool:
    """An odd number of quote characters: one of them is never closed (escaped ones come in
    pairs). Only asked when the last record runs over several lines."""
    if encoding.startswith("utf-16"):
        with path.open(encoding=encoding) as text:
            return sum(chunk.count('"') for chunk in iter(lambda: text.read(4 * MB), "")) % 2 == 1
    with path.open("rb") as handle:
        return sum(chunk.count(b'"') for chunk in iter(lambda: handle.read(4 * MB), b"")) % 2 == 1
