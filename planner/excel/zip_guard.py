"""Checks on .xlsx/.ods archives before any XML in them is parsed: zip bombs and XML bombs."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from planner.excel.errors import ImportRefused
from planner.excel.limits import MB, ImportLimits

CHUNK = 4 * MB
# What reading a damaged archive raises: a flipped bit in deflated data is a zlib.error.
# NotImplementedError: zipfile's answer to compression methods and versions it lacks.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError
)  # fmt: skip
# A DOCTYPE may only appear in the prolog, so the first bytes of each part are enough to look at.
_PROLOG_BYTES = 64 * 1024


def open_archive(path: Path, limits: ImportLimits) -> zipfile.ZipFile:
    """Open and vet an archive by its declared sizes; the caller closes it."""
    try:
        archive = zipfile.ZipFile(path)
    except ARCHIVE_ERRORS as exc:
        raise ImportRefused(
            "corrupt",
            f"{path.name} is damaged or truncated; it cannot be opened as a workbook ({exc}).",
        ) from None
    try:
        check_declared_sizes(archive, path.name, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_declared_sizes(archive: zipfile.ZipFile, name: str, limits: ImportLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_archive_members:
        raise ImportRefused(
            "zip_bomb", f"{name} holds {len(members):,} parts; a workbook never needs that many."
        )
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise ImportRefused(
                "encrypted", f"{name} has password-protected parts; remove the password and retry."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(
                "unsupported", f"{name} uses a compression method workbooks do not use."
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_check_min_bytes and ratio > limits.max_compression_ratio:
            raise ImportRefused(
                "zip_bomb",
                f"part {info.filename} of {name} expands {ratio:,.0f} times "
                f"(limit {limits.max_compression_ratio:,.0f}); this looks like a zip bomb.",
            )
    if total > limits.max_uncompressed_bytes:
        raise ImportRefused(
            "zip_bomb",
            f"{name} expands to {total / MB:,.0f} MB "
            f"(limit {limits.max_uncompressed_bytes / MB:,.0f} MB).",
        )


def stream_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Decompressed chunks of one part, refusing a part that holds more than it declared."""
    produced = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                produced += len(chunk)
                if produced > info.file_size:
                    raise ImportRefused(
                        "zip_bomb", f"part {info.filename} holds more data than it declares."
                    )
                yield chunk
    except ARCHIVE_ERRORS as exc:
        raise ImportRefused(
            "corrupt", f"part {info.filename} is damaged ({exc}); the file may be truncated."
        ) from None


def check_xml_parts(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse DTDs (the vehicle of entity bombs and external entities) and UTF-16 parts."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as member:
                head = member.read(_PROLOG_BYTES)
        except ARCHIVE_ERRORS as exc:
            raise ImportRefused(
                "corrupt", f"part {info.filename} of {name} is damaged ({exc})."
            ) from None
        check_xml_head(head, f"part {info.filename} of {name}")
        _check_string_count(head, info, name)


# calamine reserves room for the shared-string count a workbook declares before reading one
# string: 4,000,000,000 in a 2 KB file aborts the process (an allocation failure is no
# exception). Each string takes at least five bytes ("<si/>"), so the part's size bounds it.
_STRING_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\buniqueCount\s*=\s*[\"']\s*(\d{1,20})")


def _check_string_count(head: bytes, info: zipfile.ZipInfo, name: str) -> None:
    match = _STRING_COUNT.search(head)
    if match and int(match[1]) > info.file_size // 5 + 1:
        raise ImportRefused(
            "corrupt",
            f"part {info.filename} of {name} declares {int(match[1]):,} shared texts in "
            f"{info.file_size:,} bytes; the file is damaged.",
        )


def check_xml_head(head: bytes, where: str) -> None:
    # Our byte-level scans (and this check) assume UTF-8; no spreadsheet program writes UTF-16
    # parts, so one that does is hiding something.
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        raise ImportRefused(
            "unsupported", f"{where} is UTF-16 encoded XML, which workbooks never use."
        )
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ImportRefused(
            "xml_bomb",
            f"{where} declares a DTD/entities (the form XML bombs take); workbooks never do.",
        )
