"""`planner timeline ENGAGEMENT [--slip MILESTONE DAYS] [--json]`."""

from __future__ import annotations

import argparse

from planner.cli_common import EXIT_OK, UsageError, open_store_from, print_json


def _day(value) -> str:
    return value.isoformat() if value else "(no date)"


def cmd_timeline(args: argparse.Namespace) -> int:
    from planner.services.engagements import EngagementService
    from planner.services.errors import Conflict, NotFound
    from planner.services.timeline import TimelineService
    from planner.services.timeline_json import slip_json, view_json

    with open_store_from(args) as store:
        service = TimelineService(store)
        try:
            engagement = EngagementService(store).find(args.engagement)
            if args.slip:
                key, days_text = args.slip
                try:
                    days = int(days_text)
                except ValueError:
                    raise UsageError(f"'{days_text}' is not a number of days.") from None
                milestone = service.find_milestone(engagement.id, key)
                result = service.slip(engagement.id, milestone.id, days)
                room = service.room_before_deadlines(engagement.id, milestone.id)
                if args.json:
                    print_json(slip_json(result, room))
                else:
                    _print_slip(result, room)
                return EXIT_OK
            view = service.view(engagement.id)
        except (NotFound, Conflict, ValueError) as exc:
            raise UsageError(str(exc).strip('"')) from exc
    if args.json:
        print_json(view_json(view))
    else:
        _print_view(view)
    return EXIT_OK


def _print_view(view) -> None:
    names = {m.id: m.name for m in view.milestones}
    print(f"{view.engagement_title} — timeline version {view.version}")
    for m in view.milestones:
        flags = " ".join(
            f for f, on in (("[deadline]", m.hard_deadline), ("[shared]", m.share_with_cmo)) if on
        )
        owner = m.owner.label if m.owner else "no owner"
        print(f"\n{_day(m.planned_date)}  {m.name}  ({owner}){' ' + flags if flags else ''}")
        driver = m.driver.label if m.driver else "no driver"
        print(f"    why ({driver}): {m.rationale or '— no rationale yet —'}")
        hinges = [
            f"{names[k.dependent_id]} (+{k.min_lead_days} d)"
            for k in view.links
            if k.prerequisite_id == m.id
        ]
        if hinges:
            print(f"    hinges on it: {', '.join(hinges)}")
        if m.external_consequences:
            print(f"    outside the plan: {m.external_consequences}")
        if m.buffer_days:
            print(f"    buffer: {m.buffer_days} days")
    if view.conflicts:
        print("\nConflicts:")
        for c in view.conflicts:
            print(f"  - {c.message}")
    open_points = [p for p in view.summary.open_points if p.blocking]
    if open_points:
        print("\nStill open:")
        for p in open_points:
            print(f"  - {p.text}")


def _print_slip(result, room) -> None:
    print(f"If '{result.source_name}' slips {result.slip_days} days:")
    for e in result.effects:
        if e.moves:
            print(
                f"  moves {e.days:>4} d  {e.name}  {_day(e.planned_date)} → {_day(e.new_date)}"
                + ("  [hard deadline]" if e.hard_deadline else "")
            )
    for e in result.absorbed:
        print(f"  held         {e.name}  (slack {e.slack_used} d, buffer {e.buffer_used} d used)")
    print("A hard deadline moves." if result.moves_hard_deadline else "No hard deadline moves.")
    for r in room or []:
        print(f"  it may slip {r.float_days} days before '{r.deadline_name}' moves")


def add_commands(sub) -> None:
    p = sub.add_parser("timeline", help="show an engagement's milestones, rationale and conflicts")
    p.add_argument("engagement", metavar="ENGAGEMENT", help="id, title or program code")
    p.add_argument(
        "--slip", nargs=2, metavar=("MILESTONE", "DAYS"), help="show what moves if it slips"
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_timeline)
