"""`planner export-pack` and `planner import-response`: the alignment pack out and the answers back."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli_common import EXIT_OK, EXIT_ROW_PROBLEMS, UsageError, open_store_from, print_json
from planner.domain.wording import plural


def _cmo_id(store, key: str) -> int:
    from planner.services.cmos import CmoService

    cmos = CmoService(store)
    found = cmos.find_by_name(key)
    if found is None and key.strip().isdigit():
        found = cmos.get(int(key))
    if found is None:
        raise UsageError(f"There is no CMO '{key}'.")
    return found.id


def cmd_export_pack(args: argparse.Namespace) -> int:
    from planner.services.engagements import EngagementService
    from planner.services.errors import Conflict, NotFound
    from planner.services.packs import PackRefused, export_pack

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out.name}: the pack is an Excel workbook; name it .xlsx.")
    pdf = Path(args.pdf).expanduser() if args.pdf else None
    pdf_writer = None
    if pdf is not None:
        from planner.ui.pack_pdf import write_pdf  # Qt lays out the PDF; only loaded when asked

        pdf_writer = write_pdf
    with open_store_from(args) as store:
        try:
            engagement = EngagementService(store).find(args.engagement)
            result = export_pack(
                store,
                engagement.id,
                _cmo_id(store, args.cmo),
                out,
                pdf_writer=pdf_writer,
                pdf_path=pdf,
            )
        except (PackRefused, NotFound, Conflict, ValueError) as exc:
            raise UsageError(str(exc).strip('"')) from exc
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    print(
        f"Exported pack {result.pack_id} for {result.cmo} to {result.path}"
        + (f" and {result.pdf_path}" if result.pdf_path else "")
        + "."
    )
    shared = (
        ", ".join(
            f"{code} at L{item['level']}"
            for code, item in result.disclosed.items()
            if item.get("level")
        )
        or "no pipeline information"
    )
    print(f"Pipeline information in it: {shared}. Recorded in the disclosure register.")
    if result.communicated:
        print(f"Criteria version {result.criteria_version} is now marked as communicated (frozen).")
    for warning in result.warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def cmd_import_response(args: argparse.Namespace) -> int:
    from planner.services.pack_responses import ResponseRefused, import_response

    path = Path(args.file).expanduser()
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file.")
    with open_store_from(args) as store:
        try:
            result = import_response(store, path)
        except ResponseRefused as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        print_json(result.to_json())
    else:
        if result.duplicate:
            print(f"{path.name} was imported before; nothing new was stored.")
        else:
            print(
                f"Response from {result.cmo} to pack {result.pack_id} ({result.engagement}): "
                f"{plural(result.answered, 'answer')}, {plural(len(result.changes), 'change')} since the last one."
            )
        for change in result.changes:
            print(
                f"  {change.item} — {change.field}: {change.before or '∅'} → {change.after or '∅'}"
            )
        for edit in result.ignored:
            print(f"ignored: {edit_text(edit)}")
        for problem in result.problems:
            print(f"problem: {problem}")
    return EXIT_ROW_PROBLEMS if (result.ignored or result.problems) else EXIT_OK


def edit_text(edit) -> str:
    from planner.services.pack_responses import edit_to_json

    data = edit_to_json(edit)
    return ", ".join(f"{k}: {v}" for k, v in data.items())


def add_commands(sub) -> None:
    p = sub.add_parser("export-pack", help="write the alignment pack for one CMO and record it")
    p.add_argument("engagement", metavar="ENGAGEMENT", help="id, title or program code")
    p.add_argument("--cmo", required=True, metavar="CMO", help="the CMO's name or id")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the same content as a PDF")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_export_pack)

    p = sub.add_parser(
        "import-response", help="read a pack the CMO filled in and store its answers"
    )
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_import_response)
