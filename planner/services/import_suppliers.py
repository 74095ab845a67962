"""Supplier import: preview a spreadsheet, import it as one undoable batch, report its problems.

Plain Python (no Qt): the CLI and the import wizard both drive these functions; the wizard runs
them on a worker thread with a progress callback and a cancel token.

Semantics, in short (details in `planner.excel.records` and `planner.services.import_plan`):
- unusable files raise ImportRefused (one line; nothing written);
- a row without a name is rejected (row error); a bad value is left out (cell error) and the
  row imported without it;
- duplicates match by FEI, then DUNS, then name + country; policy update / skip / add;
- created + updated + skipped + rejected = data rows; a second identical import creates and
  updates nothing;
- the whole import is one transaction: a cancel, an error or a killed process writes nothing.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path

from planner.excel.error_report import write_error_report
from planner.excel.errors import ImportRefused, RowError
from planner.excel.headers import Header, find_header, sheet_score
from planner.excel.limits import ImportLimits
from planner.excel.mapping import (
    TARGET_FIELDS,
    header_key,
    merge_mapping,
    numeric_columns,
    synonyms,
)
from planner.excel.merged import fill_merged
from planner.excel.normalise import cell_text
from planner.excel.reading import Cells, SheetRows, Workbook
from planner.excel.records import Record, RecordBuilder
from planner.services import changelog
from planner.services.import_batches import (
    BatchInfo,
    UndoRefused,
    UndoResult,
    check_undo,
    find_profile,
    list_batches,
    profile_headers,
    save_profile,
    undo_import,
)
from planner.services.import_plan import POLICIES, Plan, StoreIndex, plan_import
from planner.services.import_writer import Change, diff_existing, write_plan
from planner.services.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from planner.store.models import ImportBatchRow
from planner.store.models.base import utcnow
from planner.store.store import Store

__all__ = [
    "TARGET_FIELDS", "BatchInfo", "ImportLimits", "ImportOptions", "ImportRefused", "ImportResult",
    "RowError", "SheetPreview", "UndoRefused", "UndoResult", "check_undo", "find_profile",
    "list_batches",
    "preview_import", "run_import", "save_profile", "undo_import", "write_error_report",
]  # fmt: skip

log = logging.getLogger(__name__)
SAMPLE_ROWS = 20
_STORED_ERRORS = 10_000  # a batch keeps this many row errors; the result and report keep all
UNMAPPED = ("ignore", "notes")


@dataclass
class ImportOptions:
    sheet: str | None = None
    header_row: int | None = None  # 1-based sheet row; None = detect
    # Source header -> target field ("" = ignore). Headers it does not name are mapped
    # automatically; None = a saved profile for these headers, else automatic.
    mapping: dict[str, str] | None = None
    on_duplicate: str = "update"  # update | skip | add
    unmapped: str = "ignore"  # ignore | notes ("Header: value" lines in the CMO's notes)
    dry_run: bool = False
    limits: ImportLimits = field(default_factory=ImportLimits)


@dataclass
class SheetPreview:
    sheets: list[str]
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    profile_name: str | None
    sample: list[list[str]]
    total_rows: int
    errors: list[RowError]
    duplicates_in_file: int
    matches_in_store: int
    warnings: list[str]


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: int
    errors: list[RowError]
    batch_id: int | None
    mapping: dict[str, str]
    dry_run: bool
    rejected: int = 0  # rows not imported (no name); each has a row error
    duplicates_in_file: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Sheet:
    """Everything read from the file, before the store is involved."""

    sheets: list[str]
    sheet: str
    header: Header
    mapping: dict[str, str]
    profile_name: str | None
    maps_name: bool
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return len(self.records) + self.rejected


def preview_import(
    store: Store,
    path: str | Path,
    options: ImportOptions | None = None,
    progress: ProgressCallback = no_progress,
    token: CancelToken | None = None,
) -> SheetPreview:
    """Read and check the whole file and match it against the store; writes nothing."""
    options = _checked(options)
    with _gc_paused():
        return _preview(store, Path(path), options, progress, token)


def _preview(
    store: Store,
    path: Path,
    options: ImportOptions,
    progress: ProgressCallback,
    token: CancelToken | None,
) -> SheetPreview:
    sheet = _read(store, path, options, progress, token)
    check = _checker(token, progress, len(sheet.records), "Matching suppliers")
    with store.reading() as s:
        plan = plan_import(sheet.records, StoreIndex.load(s), options.on_duplicate, check)
    return SheetPreview(
        sheets=sheet.sheets,
        sheet=sheet.sheet,
        header_row=sheet.header.row,
        headers=sheet.header.labels,
        mapping=sheet.mapping,
        profile_name=sheet.profile_name,
        sample=sheet.sample,
        total_rows=sheet.total_rows,
        errors=sheet.errors,
        duplicates_in_file=plan.duplicates_in_file,
        matches_in_store=plan.matches_in_store,
        warnings=sheet.warnings,
    )


def run_import(
    store: Store,
    path: str | Path,
    options: ImportOptions | None = None,
    progress: ProgressCallback = no_progress,
    token: CancelToken | None = None,
) -> ImportResult:
    """Import in one transaction recorded as a batch; a dry run computes the same counts."""
    options = _checked(options)
    with _gc_paused():
        return _run(store, Path(path), options, progress, token)


def _run(
    store: Store,
    path: Path,
    options: ImportOptions,
    progress: ProgressCallback,
    token: CancelToken | None,
) -> ImportResult:
    sheet = _read(store, path, options, progress, token)
    if not sheet.maps_name:
        raise ImportRefused(
            "no_name_column",
            f"no column of sheet '{sheet.sheet}' is mapped to the supplier name; "
            "map one (e.g. 'Company Name') and try again.",
        )
    check = _checker(token, progress, len(sheet.records), "Matching suppliers")
    if options.dry_run:
        with store.reading() as s:
            plan = plan_import(sheet.records, StoreIndex.load(s), options.on_duplicate, check)
            changes = diff_existing(s, plan)
        return _result(sheet, plan, changes, None, dry_run=True)
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    with store.transaction() as s:
        progress(0, len(sheet.records), "Matching suppliers")
        plan = plan_import(sheet.records, StoreIndex.load(s), options.on_duplicate, check)
        changes = diff_existing(s, plan)
        batch = ImportBatchRow(
            file_name=path.name,
            file_hash=digest,
            sheet=sheet.sheet,
            mapping=sheet.mapping,
            policy=options.on_duplicate,
            imported_by=changelog.current_user(),
        )
        s.add(batch)
        s.flush()
        write_plan(s, plan, changes, batch.id, utcnow(), progress, partial(_cancel_point, token))
        result = _result(sheet, plan, changes, batch.id, dry_run=False)
        batch.created, batch.updated, batch.skipped = result.created, result.updated, result.skipped
        batch.errors = [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in sheet.errors[:_STORED_ERRORS]
        ]
        changelog.record(
            s, "import_batch", batch.id, "imported",
            summary=f"{path.name}: {result.created} created, {result.updated} updated, "
            f"{result.skipped} skipped, {len(result.errors)} problems",
        )  # fmt: skip
        _cancel_point(token)  # the last moment a cancel still rolls everything back
    return result


def _result(
    sheet: _Sheet, plan: Plan, changes: list[Change], batch_id: int | None, dry_run: bool
) -> ImportResult:
    return ImportResult(
        created=len(plan.new),
        updated=len(changes),
        skipped=plan.skipped_rows + len(plan.existing) - len(changes),
        errors=sheet.errors,
        batch_id=batch_id,
        mapping=sheet.mapping,
        dry_run=dry_run,
        rejected=sheet.rejected,
        duplicates_in_file=plan.duplicates_in_file,
        warnings=sheet.warnings,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """An import keeps ~100k small records alive and the cyclic collector would rescan them
    over and over (2-4 s per 100k rows, measured) although they hold no cycles; reference
    counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _checked(options: ImportOptions | None) -> ImportOptions:
    options = options or ImportOptions()
    if options.on_duplicate not in POLICIES:
        raise ImportRefused(
            "bad_options",
            f"on_duplicate must be {', '.join(POLICIES)}, not '{options.on_duplicate}'.",
        )
    if options.unmapped not in UNMAPPED:
        raise ImportRefused(
            "bad_options", f"unmapped must be {' or '.join(UNMAPPED)}, not '{options.unmapped}'."
        )
    if options.header_row is not None and options.header_row < 1:
        raise ImportRefused(
            "bad_options", f"the header row must be 1 or more, not {options.header_row}."
        )
    return options


def _cancel_point(token: CancelToken | None) -> None:
    if token is not None:
        token.raise_if_cancelled()


def _checker(
    token: CancelToken | None,
    progress: ProgressCallback = no_progress,
    total: int = 0,
    message: str = "",
) -> Callable[[int], None]:
    """Called every 1000 items by long loops: cancel point, and progress when a message is given."""

    def check(done: int) -> None:
        _cancel_point(token)
        if message:
            progress(done, total, message)

    return check


def _read(
    store: Store,
    path: Path,
    options: ImportOptions,
    progress: ProgressCallback,
    token: CancelToken | None,
) -> _Sheet:
    """Never a traceback for a bad file: anything unexpected while reading becomes a refusal."""
    try:
        return _read_sheet(store, path, options, progress, token)
    except (ImportRefused, Cancelled):
        raise
    except MemoryError:
        raise ImportRefused(
            "sheet_too_large", f"{path.name} needs more memory than is available."
        ) from None
    except Exception as exc:
        log.exception("unexpected failure reading %s", path)
        raise ImportRefused(
            "unreadable", f"{path.name} could not be read ({type(exc).__name__}: {exc})."
        ) from None


_CLEAR_WIN = 4  # supplier fields named by a header no read-me or contacts sheet reaches


def _read_sheet(
    store: Store,
    path: Path,
    options: ImportOptions,
    progress: ProgressCallback,
    token: CancelToken | None,
) -> _Sheet:
    limits = options.limits
    progress(0, 0, f"Opening {path.name}")
    known = synonyms().known | {header_key(h) for h in profile_headers(store)}
    known |= {header_key(h) for h in options.mapping or {}}
    with Workbook(path, limits) as book:
        if options.sheet:
            candidates = [options.sheet]
        else:  # visible sheets first, in workbook order; hidden ones only if none has a header
            ordered = [book.default_sheet] + [n for n in book.sheets if n != book.default_sheet]
            candidates = [n for n in ordered if n not in book.hidden]
            candidates += [n for n in ordered if n in book.hidden]
        # The sheet whose header names most supplier fields: a read-me sheet with a small
        # "Name | Role | E-mail" table must not win over the supplier sheet behind it. A sheet
        # naming _CLEAR_WIN fields is taken at once (other sheets are not loaded); otherwise
        # only the best so far stays loaded.
        best: tuple[int, SheetRows, list[tuple[int, Cells]]] | None = None
        for name in candidates:
            _cancel_point(token)
            if best is not None and best[0] > 0 and name in book.hidden:
                break
            try:
                rows = book.rows(name)
                head = list(islice(rows.rows, limits.header_search_rows))
            except ImportRefused:
                if best is None or best[0] == 0:
                    raise
                continue  # a broken sheet beside a good one does not spoil the import
            if len(candidates) == 1:
                best = (0, rows, head)
                break
            points = sheet_score(head, rows.first_col, rows.merged)
            if best is None or points > best[0]:
                best = (points, rows, head)
            if points >= _CLEAR_WIN:
                break
        if best is None:
            raise ImportRefused("no_sheet", f"{path.name} has no worksheet.")
        _, rows, head = best
        header, index = find_header(
            head, known, rows.first_col, rows.merged, options.header_row, path.name
        )
        data = chain(head[index + 1 :], rows.rows)
        if rows.merged:
            data = fill_merged(data, rows.merged, rows.first_col, header.row)
        samples = [cells for _, cells in head[index + 1 :]]
        return _read_rows(store, book.sheets, rows, header, data, samples, options, progress, token)


def _read_rows(
    store: Store,
    sheets: list[str],
    rows: SheetRows,
    header: Header,
    data: Iterable[tuple[int, Cells]],
    samples: list[Cells],
    options: ImportOptions,
    progress: ProgressCallback,
    token: CancelToken | None,
) -> _Sheet:
    """`samples` are the first data rows (already read), to judge columns by their values."""
    given, profile_name = options.mapping, None
    if given is None and (profile := find_profile(store, header.labels)) is not None:
        profile_name, given = profile
    numeric = numeric_columns(samples)
    mapping, warnings = merge_mapping(header.labels, header.duplicates, given, numeric)
    builder = RecordBuilder(header.labels, mapping, options.unmapped == "notes")
    sheet = _Sheet(
        sheets=list(sheets),
        sheet=rows.sheet,
        header=header,
        mapping=mapping,
        profile_name=profile_name,
        maps_name=builder.maps_name,
        warnings=header.warnings + warnings,
    )
    if not builder.maps_name:
        sheet.warnings.append(
            "No column is mapped to the supplier name, so no row can be imported."
        )
    limits, width, total = options.limits, len(header.labels), rows.total_rows
    progress(0, total, f"Reading {rows.sheet}")
    count = 0
    for count, (number, cells) in enumerate(data, start=1):
        if count % 1000 == 0:
            _cancel_point(token)
            progress(number, max(total, number), f"Reading {rows.sheet}")
        if count > limits.max_rows:
            raise ImportRefused(
                "too_many_rows",
                f"sheet '{rows.sheet}' has more than {limits.max_rows:,} data rows (the import limit).",
            )
        if len(sheet.sample) < SAMPLE_ROWS:
            sheet.sample.append([cell_text(v) for v in cells[:width]] + [""] * (width - len(cells)))
        if builder.maps_name:
            record = builder.build(number, cells, sheet.errors)
            if record is not None:
                sheet.records.append(record)
    sheet.rejected = builder.rejected
    sheet.warnings += builder.finish()
    sheet.warnings += rows.notes
    if builder.passed_over:
        shown = ", ".join(builder.passed_over[:5])
        more = len(builder.passed_over) - 5
        sheet.warnings.append(
            f"Not imported, as they are no suppliers: {shown}"
            + (f" and {more:,} more." if more > 0 else ".")
        )
    progress(total, total, f"Read {count:,} rows")
    return sheet
