"""Command-line interface over the services: the same operations as the GUI.

Exit status: 0 done; 1 finished with row-level problems; 2 unusable input; 3 store unavailable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from planner import __version__
from planner.cli_common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_STORE,
    UsageError,
    print_json,
    print_table,
)
from planner.cli_common import open_store_from as _open
from planner.cli_common import store_target as _store_target
from planner.domain.wording import plural
from planner.store.errors import BackupNotPossible, StoreUnavailable


def cmd_demo(args: argparse.Namespace) -> int:
    from planner.services.demo import load_demo

    with _open(args) as store:
        result = load_demo(store)
    if result.changed:
        print(
            f"Demo portfolio loaded: {result.cmos} CMOs, {result.engagements} engagements, "
            f"{result.assets} pipeline assets, {result.timelines} timelines, "
            f"{result.decisions} sharing decisions, {result.criteria_sets} criteria sets added."
        )
    else:
        print("Demo portfolio already present; nothing changed.")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        if args.what == "cmos":
            from planner.services.cmos import CmoService

            cmo_rows = CmoService(store).list_rows(args.search or "")
            if args.json:
                print_json(
                    [
                        {
                            "id": r.id,
                            "name": r.name,
                            "country": r.country or None,
                            "city": r.city,
                            "fei_number": r.fei_number or None,
                            "duns_number": r.duns_number or None,
                            "capabilities": list(r.capabilities),
                            "last_inspection_outcome": r.last_inspection_outcome or None,
                        }
                        for r in cmo_rows
                    ]
                )
            else:
                print_table(
                    ["ID", "Name", "Country", "City", "Capabilities"],
                    [
                        [r.id, r.name, r.country, r.city, "; ".join(r.capabilities)]
                        for r in cmo_rows
                    ],
                )
        else:
            from planner.services.engagements import EngagementService

            rows = EngagementService(store).list_rows(args.search or "")
            if args.json:
                print_json(
                    [
                        {
                            "id": r.id,
                            "title": r.title,
                            "program": r.program,
                            "stage": r.stage.value,
                            "relationship_type": r.relationship_type.value,
                            "cmo": r.cmo,
                            "candidates": list(r.candidates),
                            "owner": r.owner,
                        }
                        for r in rows
                    ]
                )
            else:
                print_table(
                    ["ID", "Title", "Stage", "Relationship", "CMO", "Candidates"],
                    [
                        [
                            r.id,
                            r.title,
                            r.stage.label,
                            r.relationship_type.label,
                            r.cmo or "—",
                            len(r.candidates),
                        ]
                        for r in rows
                    ],
                )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from planner.store.location import resolve

    if resolve(_store_target(args)).path is None:
        raise BackupNotPossible(
            "This store lives on a database server; back it up with the server's own tools "
            "(for PostgreSQL: pg_dump). The planner does not copy server stores."
        )
    with _open(args) as store:
        path = store.backup("manual", Path(args.out).expanduser() if args.out else None)
    print(f"Backed up to {path}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from planner.store.restore import BadBackup, restore_store
    from planner.store.store import open_store

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise UsageError(f"{source} does not exist or is not a file.")
    try:
        kept = restore_store(_store_target(args), source)
    except BadBackup as exc:
        raise UsageError(str(exc)) from exc
    open_store(_store_target(args)).close()  # migrates an older backup and checks it opens
    print(f"Restored {source}." + (f" The replaced store was kept as {kept}." if kept else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as store:
        problems = store.integrity_problems(full=True)
        where = store.location.describe()
    if problems:
        for problem in problems[:20]:
            print(f"  {problem}")
        raise StoreUnavailable(
            f"{where} failed the integrity check ({plural(len(problems), 'problem')})."
        )
    print(f"{where}: integrity check passed.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Outsourcing Relationship Planner. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument(
        "--db", metavar="PATH|URL", help="store to use (default: PLANNER_DB or the app-data store)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="fill the store with a realistic demo portfolio")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", help="list CMOs or engagements")
    p.add_argument("what", choices=["cmos", "engagements"])
    p.add_argument("--search", metavar="TEXT", help="only rows containing every word of TEXT")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_list)

    from planner import (
        cli_criteria,
        cli_disclosures,
        cli_import,
        cli_packs,
        cli_selftest,
        cli_timeline,
    )

    cli_import.add_commands(sub)
    cli_criteria.add_commands(sub)
    cli_timeline.add_commands(sub)
    cli_disclosures.add_commands(sub)
    cli_packs.add_commands(sub)
    cli_selftest.add_commands(sub)

    p = sub.add_parser("backup", help="write a consistent copy of the store")
    p.add_argument(
        "--out", metavar="FILE", help="where to write it (default: backups/ beside the store)"
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the store with a backup (the current one is kept)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="run the full integrity check of the store")
    p.set_defaults(func=cmd_check)
    return parser


SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Failures are reported in one line; a logged traceback goes nowhere unless asked for.
    if os.environ.get("PLANNER_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)
    elif not logging.getLogger("planner").handlers:
        logging.getLogger("planner").addHandler(logging.NullHandler())
    # "Open with" from a file manager passes just the file: open the app on it.
    if len(argv) == 1 and argv[0].lower().endswith(SPREADSHEETS) and os.path.isfile(argv[0]):
        from planner.app import run

        return run(os.environ.get("PLANNER_DB"), open_file=argv[0])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from planner.app import run

        return run(args.db or os.environ.get("PLANNER_DB"))
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except StoreUnavailable as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_STORE
    except (UsageError, BackupNotPossible) as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `planner list cmos | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("planner: interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except OSError as exc:  # a file the command had to write or read: say which, no traceback
        if os.environ.get("PLANNER_DEBUG"):
            raise
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"planner: could not read or write a file{where}: {exc.strerror or exc}.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("PLANNER_DEBUG"):
            raise
        print(
            f"planner: unexpected error ({type(exc).__name__}: {exc}); nothing more was written. "
            "Run again with PLANNER_DEBUG=1 for the details.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT  # not 1: that promises a finished run with row problems
