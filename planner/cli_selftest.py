"""`planner self-test`: the installation check that installers and CI run on every build."""

from __future__ import annotations

import argparse


def cmd_self_test(args: argparse.Namespace) -> int:
    from planner.self_test import run_self_test

    return run_self_test(lambda line: print(line, flush=True))


def add_commands(sub) -> None:
    p = sub.add_parser(
        "self-test",
        help="check this installation works (temporary store; your data is not touched)",
        description="Create a temporary store, migrate it, import a small supplier sheet, load "
        "the demo portfolio, export a pack when the build has that feature and list the CMOs; "
        "in a frozen build also check the bundled Qt plugins. --db is ignored. "
        "Exit status 0 when it passed, 1 when a step failed.",
    )
    p.set_defaults(func=cmd_self_test)
