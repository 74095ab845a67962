"""`planner import-suppliers`, `planner imports` and `planner undo-import`: the import wizard's
operations and the import history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli_common import (
    EXIT_OK,
    EXIT_ROW_PROBLEMS,
    UsageError,
    open_store_from,
    print_json,
    print_table,
)

SHOWN_ERRORS = 20


def _progress_printer():
    """A percentage on stderr when a person is watching; nothing in pipes and logs."""
    if not sys.stderr.isatty():
        return lambda done, total, message: None

    def show(done: int, total: int, message: str) -> None:
        pct = f"{100 * done // total:3d}%" if total else "   "
        sys.stderr.write(f"\r{pct} {message[:60]:<60}")
        sys.stderr.flush()

    return show


def cmd_import_suppliers(args: argparse.Namespace) -> int:
    from planner.excel.sniff import sniff
    from planner.services.import_suppliers import ImportOptions, ImportRefused, run_import

    path = Path(args.file).expanduser()
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file.")
    options = ImportOptions(
        sheet=args.sheet,
        on_duplicate=args.on_duplicate,
        dry_run=args.dry_run,
        unmapped=args.unmapped,
    )
    try:  # a file that is no spreadsheet at all is refused before the store is even opened
        sniff(path, options.limits)
    except ImportRefused as exc:
        raise UsageError(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - a file too odd for the sniffer is unreadable too
        raise UsageError(f"{path.name} could not be read ({type(exc).__name__}: {exc}).") from exc
    with open_store_from(args) as store:
        if not args.dry_run and store.can_back_up:
            store.backup("before-import")
        try:
            result = run_import(store, path, options, _progress_printer())
        except ImportRefused as exc:
            raise UsageError(str(exc)) from exc
        finally:
            if sys.stderr.isatty():
                sys.stderr.write("\r" + " " * 66 + "\r")
    if args.json:
        print_json(
            {
                "created": result.created,
                "updated": result.updated,
                "skipped": result.skipped,
                "rejected": result.rejected,
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in result.errors
                ],
                "batch": result.batch_id,
                "mapping": result.mapping,
                "dry_run": result.dry_run,
                "warnings": result.warnings,
            }
        )
    else:
        verb = "Would import" if result.dry_run else "Imported"
        print(
            f"{verb} {path.name}: {result.created} created, {result.updated} updated, "
            f"{result.skipped} skipped, {result.rejected} rejected"
            + (
                f" (batch {result.batch_id}; undo with: planner undo-import {result.batch_id})"
                if result.batch_id
                else ""
            )
            + "."
        )
        for warning in result.warnings:
            print(f"warning: {warning}")
        for e in result.errors[:SHOWN_ERRORS]:
            print(f"row {e.row}" + (f", {e.column}" if e.column else "") + f": {e.message}")
        if len(result.errors) > SHOWN_ERRORS:
            print(
                f"... and {len(result.errors) - SHOWN_ERRORS} more problems (use --json for all)."
            )
    return EXIT_ROW_PROBLEMS if result.errors else EXIT_OK


def cmd_imports(args: argparse.Namespace) -> int:
    from planner.services.import_suppliers import list_batches

    with open_store_from(args) as store:
        batches = list_batches(store)
    if args.json:
        print_json(
            [
                {
                    "batch": b.id,
                    "file": b.file_name,
                    "sheet": b.sheet,
                    "imported_at": b.imported_at.isoformat(timespec="seconds"),
                    "imported_by": b.imported_by,
                    "policy": b.policy,
                    "created": b.created,
                    "updated": b.updated,
                    "skipped": b.skipped,
                    "problems": b.errors,
                    "undone_at": b.undone_at.isoformat(timespec="seconds") if b.undone_at else None,
                }
                for b in batches
            ]
        )
        return EXIT_OK
    print_table(
        ["Batch", "Imported", "File", "Created", "Updated", "Skipped", "Status"],
        [
            [
                b.id,
                f"{b.imported_at.astimezone():%Y-%m-%d %H:%M}",
                b.file_name,
                b.created,
                b.updated,
                b.skipped,
                f"undone {b.undone_at.astimezone():%Y-%m-%d %H:%M}" if b.undone_at else "",
            ]
            for b in batches
        ],
    )
    return EXIT_OK


def cmd_undo_import(args: argparse.Namespace) -> int:
    from planner.services.import_suppliers import UndoRefused, check_undo, undo_import

    with open_store_from(args) as store:
        try:
            batch = check_undo(store, args.batch)
            if store.can_back_up:
                store.backup("before-undo-import")
            result = undo_import(store, batch)
        except (UndoRefused, LookupError) as exc:
            raise UsageError(str(exc).strip('"')) from exc
    print(
        f"Undid import {result.batch_id}: {result.removed} suppliers removed, "
        f"{result.restored} restored to their earlier values."
    )
    return EXIT_OK


def add_commands(sub) -> None:
    p = sub.add_parser(
        "import-suppliers", help="import a supplier list (.xlsx, .xlsm, .xls, .ods, .csv)"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--sheet",
        metavar="S",
        help="sheet name (default: the one whose header names most supplier fields)",
    )
    p.add_argument(
        "--on-duplicate",
        choices=["update", "skip", "add"],
        default="update",
        help="what to do with suppliers already in the store (default: update)",
    )
    p.add_argument(
        "--unmapped",
        choices=["ignore", "notes"],
        default="ignore",
        help="keep columns that map to nothing in the CMO's notes, or ignore them",
    )
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_import_suppliers)

    p = sub.add_parser("imports", help="list past imports, newest first, with their batch ids")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser("undo-import", help="undo an import (default: the latest not undone)")
    p.add_argument("batch", metavar="BATCH", type=int, nargs="?")
    p.set_defaults(func=cmd_undo_import)
