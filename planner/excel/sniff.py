"""What a file really is, from its first bytes (extensions lie: HTML saved as .xls is common)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from planner.excel.cfb import SIGNATURE as CFB_SIGNATURE
from planner.excel.cfb import CfbError, CompoundFile
from planner.excel.errors import ImportRefused
from planner.excel.limits import MB, ImportLimits
from planner.excel.zip_guard import ARCHIVE_ERRORS

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
# Formats people try that we cannot read, with what to do instead.
_KNOWN_OTHERS = {
    ".numbers": "Apple Numbers documents cannot be read; export the sheet to .xlsx or .csv in Numbers",
    ".pdf": "PDF documents cannot be imported; export the list from its source as .xlsx or .csv",
    ".xlsb": "Excel binary workbooks (.xlsb) are not supported; save the file as .xlsx",
    ".docx": "Word documents cannot be imported; copy the table into Excel and save as .xlsx",
    ".doc": "Word documents cannot be imported; copy the table into Excel and save as .xlsx",
    ".json": "JSON files cannot be imported; use .xlsx or .csv",
    ".xml": "XML files cannot be imported; use .xlsx or .csv",
}
_HEAD = 8192


def sniff(path: Path, limits: ImportLimits) -> str:
    """One of 'xlsx', 'xls', 'ods', 'csv'; anything else is refused with the reason."""
    name = path.name
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ImportRefused("unsupported", f"{name} is a folder, not a file{_advice(suffix)}.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except FileNotFoundError:
        raise ImportRefused("not_found", f"{path} does not exist.") from None
    except OSError as exc:
        raise ImportRefused(
            "unreadable", f"{name} cannot be read ({exc.strerror or exc})."
        ) from None
    if size == 0:
        raise ImportRefused("empty", f"{name} is empty (0 bytes).")
    if size > limits.max_file_bytes:
        raise ImportRefused(
            "too_big",
            f"{name} is {size / MB:,.0f} MB (limit {limits.max_file_bytes / MB:,.0f} MB).",
        )
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path, suffix)
    if head.startswith(CFB_SIGNATURE):
        return _compound_kind(path, suffix)
    if head.startswith(b"%PDF"):
        raise ImportRefused("unsupported", f"{name} is a PDF document; {_KNOWN_OTHERS['.pdf']}.")
    if suffix in _KNOWN_OTHERS and suffix not in (".xml",):
        raise ImportRefused("unsupported", f"{name}: {_KNOWN_OTHERS[suffix]}.")
    return _text_kind(head, name, suffix)


def _advice(suffix: str) -> str:
    return f"; {_KNOWN_OTHERS[suffix]}" if suffix in _KNOWN_OTHERS else ""


def _zip_kind(path: Path, suffix: str) -> str:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except ARCHIVE_ERRORS as exc:
        if suffix in WORKBOOK_SUFFIXES:
            raise ImportRefused(
                "corrupt", f"{name} is damaged or truncated and cannot be opened ({exc})."
            ) from None
        raise ImportRefused(
            "not_spreadsheet", f"{name} is a damaged ZIP archive ({exc})."
        ) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise ImportRefused("unsupported", f"{name}: {_KNOWN_OTHERS['.xlsb']}.")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise ImportRefused(
            "unsupported", f"{name} is an OpenDocument {kind} file, not a spreadsheet."
        )
    if "word/document.xml" in names:
        raise ImportRefused("unsupported", f"{name} is a Word document; {_KNOWN_OTHERS['.docx']}.")
    if any(n.startswith("ppt/") for n in names):
        raise ImportRefused(
            "unsupported", f"{name} is a PowerPoint presentation, not a spreadsheet."
        )
    if "Index/Document.iwa" in names or any(n.startswith("Index/") for n in names):
        raise ImportRefused("unsupported", f"{name}: {_KNOWN_OTHERS['.numbers']}.")
    if suffix in WORKBOOK_SUFFIXES:
        raise ImportRefused(
            "corrupt",
            f"{name} is a ZIP archive without a workbook inside; it is damaged or misnamed.",
        )
    raise ImportRefused("not_spreadsheet", f"{name} is a ZIP archive, not a spreadsheet.")


def _compound_kind(path: Path, suffix: str) -> str:
    name = path.name
    try:
        streams = CompoundFile(path.read_bytes()).stream_names()
    except (CfbError, ValueError, IndexError, OSError) as exc:
        if suffix in (".xlsx", ".xlsm"):
            # Office wraps password-protected workbooks in an OLE container.
            raise ImportRefused(
                "encrypted",
                f"{name} is password protected (encrypted); remove the password in Excel.",
            ) from None
        raise ImportRefused("corrupt", f"{name} is a damaged Office file ({exc}).") from None
    encrypted = ImportRefused(
        "encrypted",
        f"{name} is password protected (encrypted); open it in Excel, remove the password "
        "(File > Info > Protect Workbook) and save it again.",
    )
    if {"EncryptedPackage", "EncryptionInfo"} & streams:
        raise encrypted
    if {"Workbook", "Book"} & streams:
        return "xls"  # also when misnamed .xlsx: an old workbook saved under a new name
    if "WordDocument" in streams:
        raise ImportRefused("unsupported", f"{name} is a Word document; {_KNOWN_OTHERS['.doc']}.")
    if "PowerPoint Document" in streams:
        raise ImportRefused(
            "unsupported", f"{name} is a PowerPoint presentation, not a spreadsheet."
        )
    if suffix in (".xlsx", ".xlsm"):  # an OLE container is how Office wraps a protected workbook
        raise encrypted
    raise ImportRefused("not_spreadsheet", f"{name} is an Office file that holds no workbook.")


def _text_kind(head: bytes, name: str, suffix: str) -> str:
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        raise ImportRefused("not_spreadsheet", f"{name} holds binary data, not a spreadsheet.")
    text = head.decode("utf-16" if utf16 else "latin-1", "replace").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html")) or (
        text.startswith("<") and ("<table" in text or "<body" in text)
    ):
        raise ImportRefused(
            "not_spreadsheet",
            f"{name} is a web page (HTML), not a spreadsheet; some systems export HTML under an "
            "Excel name: open it in Excel and save it as .xlsx.",
        )
    if text.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise ImportRefused(
            "unsupported", f"{name} is an Excel 2003 XML spreadsheet; save it as .xlsx in Excel."
        )
    if text.startswith("{\\rtf"):
        raise ImportRefused("unsupported", f"{name} is an RTF document, not a spreadsheet.")
    if suffix in TEXT_SUFFIXES:
        return "csv"
    if suffix in WORKBOOK_SUFFIXES:
        raise ImportRefused(
            "not_spreadsheet",
            f"{name} holds plain text, not a {suffix} workbook (if it is a CSV export, "
            "name it .csv).",
        )
    if suffix in _KNOWN_OTHERS:
        raise ImportRefused("unsupported", f"{name}: {_KNOWN_OTHERS[suffix]}.")
    raise ImportRefused(
        "unsupported",
        f"{name}: {suffix or 'files without an extension'} cannot be imported; "
        "use .xlsx, .xlsm, .xls, .ods or .csv.",
    )
