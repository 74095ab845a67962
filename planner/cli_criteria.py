"""`planner criteria ENGAGEMENT [--json]`: the current criteria set, weights and sign-offs."""

from __future__ import annotations

import argparse

from planner.cli_common import EXIT_OK, UsageError, open_store_from, print_json


def cmd_criteria(args: argparse.Namespace) -> int:
    from planner.services.criteria_overview import CriteriaOverviewService
    from planner.services.engagements import EngagementService
    from planner.services.errors import Conflict, NotFound

    with open_store_from(args) as store:
        try:
            engagement = EngagementService(store).find(args.engagement)
            overview = CriteriaOverviewService(store).overview(engagement.id, args.version)
        except (NotFound, Conflict, LookupError) as exc:
            raise UsageError(str(exc).strip('"')) from exc
    if args.json:
        print_json(overview.to_json())
        return EXIT_OK
    cs = overview.criteria_set
    print(overview.engagement_title)
    if cs is None:
        print("No evaluation criteria yet. " + overview.next_step)
        return EXIT_OK
    print(
        f"Criteria version {cs.version}: {cs.status.label}"
        + (f" (communicated {cs.communicated_at:%Y-%m-%d})" if cs.communicated_at else "")
    )
    for stage, total in overview.weight_totals.items():
        print(f"\n{stage.label} (weights total {total:g}%)")
        for c in cs.stage_criteria(stage):
            extra = " [knockout]" if c.knockout else ""
            if c.target is not None:
                arrow = (
                    {"higher": "≥ ", "lower": "≤ "}.get(c.direction.value, "")
                    if c.direction
                    else ""
                )
                extra += f"  target {arrow}{c.target:g} {c.unit}".rstrip()
            print(f"  {c.weight:5.1f}%  {c.name}{extra}")
    from planner.domain.criteria import role_label

    print("\nSign-off")
    for role in cs.required_roles:
        s = cs.sign_off(role)
        if s is None or s.verdict is None:
            who = f" ({s.person})" if s and s.person else ""
            print(f"  {role_label(role):<14} pending{who}")
        else:
            comment = f": {s.comment}" if s.comment else ""
            print(
                f"  {role_label(role):<14} {s.verdict.label} — {s.person}, {s.signed_on}{comment}"
            )
    if overview.open_items:
        print("\nStill open:")
        for item in overview.open_items:
            print(f"  - {item}")
    return EXIT_OK


def add_commands(sub) -> None:
    p = sub.add_parser(
        "criteria", help="an engagement's evaluation criteria, weights and sign-offs"
    )
    p.add_argument("engagement", metavar="ENGAGEMENT", help="id, title or program code")
    p.add_argument("--version", type=int, help="an earlier version (default: the latest)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_criteria)
