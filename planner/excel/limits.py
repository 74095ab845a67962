"""Safety limits for reading untrusted files; each refusal names the limit it hit."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_file_bytes: int = 200 * MB
    # Sum of the declared uncompressed sizes of all parts of an .xlsx/.ods archive.
    max_uncompressed_bytes: int = 1024 * MB
    # Uncompressed/compressed size per archive member; spreadsheet XML compresses 10-30x.
    max_compression_ratio: float = 100.0
    # Members smaller than this are not ratio-checked: tiny repetitive parts are harmless.
    ratio_check_min_bytes: int = 1 * MB
    max_archive_members: int = 10_000
    # Cells the reader would hold in memory (rows x columns of the used area; calamine stores the
    # area densely at 32 bytes a cell, so one far-away cell can otherwise cost gigabytes).
    max_cells: int = 10_000_000
    max_rows: int = 200_000
    max_cell_chars: int = 32_767  # Excel's own limit per cell
    # A run of this many empty rows ends the data (sheets often declare far more than they hold).
    max_empty_run: int = 1_000
    header_search_rows: int = 30


DEFAULT_LIMITS = ImportLimits()
