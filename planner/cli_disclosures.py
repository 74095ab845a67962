"""`planner disclosures [--cmo CMO] [--asset ASSET] [--json]`: the disclosure register."""

from __future__ import annotations

import argparse

from planner.cli_common import EXIT_OK, UsageError, open_store_from, print_json


def cmd_disclosures(args: argparse.Namespace) -> int:
    from planner.services.disclosure_register import DisclosureRegister
    from planner.services.errors import Conflict, NotFound

    with open_store_from(args) as store:
        try:
            report = DisclosureRegister(store).report(args.cmo, args.asset)
        except (NotFound, Conflict) as exc:
            raise UsageError(str(exc).strip('"')) from exc
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    if not report.decisions and not report.packs:
        print("No sharing decisions or packs match.")
        return EXIT_OK
    print("Decisions")
    for e in report.decisions:
        d = e.decision
        print(f"\n  {d.asset_code} → {e.cmo or '(no CMO yet)'}  [{e.engagement}]")
        print(f"    {d.level.label}   status: {e.status.value}")
        print(f"    why: {d.rationale or '—'}")
        print(
            f"    approved by {d.approver or '—'} on {d.decided_on or '—'}; review {d.review_date or '—'}"
        )
        print(f"    under: {e.governing or '—'}")
        for flag in e.flags:
            print(f"    ! {flag.message}")
    if report.packs:
        print("\nPacks sent")
        for p in report.packs:
            shared = (
                ", ".join(f"{x.asset_code} at {x.level.short}" for x in p.disclosed)
                or "no pipeline data"
            )
            print(
                f"  {p.created_at:%Y-%m-%d %H:%M}  {p.cmo}  [{p.engagement}]  {shared}  ({p.pack_id})"
            )
    return EXIT_OK


def add_commands(sub) -> None:
    p = sub.add_parser(
        "disclosures", help="what each CMO may know and was told about pipeline assets"
    )
    p.add_argument("--cmo", metavar="CMO", help="a CMO's name or id")
    p.add_argument("--asset", metavar="ASSET", help="an asset's code or id")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_disclosures)
