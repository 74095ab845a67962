"""What every command-line command shares: exit statuses, opening the store, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_OK, EXIT_ROW_PROBLEMS, EXIT_BAD_INPUT, EXIT_STORE = 0, 1, 2, 3


class UsageError(Exception):
    """Unusable input: nothing was written (exit 2)."""


def store_target(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    if os.environ.get("PLANNER_DB"):
        return os.environ["PLANNER_DB"]
    from planner.app import default_store_path  # Qt's standard paths; only when no store was named

    return str(default_store_path())


def open_store_from(args: argparse.Namespace):
    from planner.store.store import open_store

    return open_store(store_target(args))


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [min(40, max([len(h)] + [len(r[i]) for r in cells])) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v[:w].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))
    print(f"({len(rows)} shown)")
