"""The visible sheets of an alignment pack, each drawn from the content model only."""

from __future__ import annotations

from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.disclosure_levels import FIELD_LABELS
from planner.excel import pack_cells as c
from planner.excel import pack_layout as layout
from planner.reports import pack_content as pc
from planner.reports.pack_content import PackContent

TABLE_HEADER_ROW = 4
# Serial numbers of 1 January 2000 and 31 December 2099: the proposed-date validation range.
FIRST_DATE_SERIAL, LAST_DATE_SERIAL = 36526, 73050


def add_sheets(wb: Workbook, content: PackContent) -> list[tuple[int, pc.ResponseQuestion]]:
    """Draw every visible sheet into `wb` (whose default sheet becomes the cover); returns the
    response sheet's (row, question) pairs."""
    cover = wb.active
    assert cover is not None
    _cover(cover, content)
    _criteria(wb.create_sheet(pc.SECTION_CRITERIA), content)
    _kpis(wb.create_sheet(pc.SECTION_KPIS), content)
    _timeline(wb.create_sheet(pc.SECTION_TIMELINE), content)
    _pipeline(wb.create_sheet(pc.SECTION_PIPELINE), content)
    return _response(wb.create_sheet(pc.SECTION_RESPONSE), content)


def _cover(ws: Worksheet, content: PackContent) -> None:
    ws.title = pc.SECTION_COVER
    f = content.cover
    widths = (34, 96)
    c.put(ws, 1, 1, "Alignment pack", c.TITLE)
    c.put(ws, 2, 1, f"{f.sponsor} for {f.cmo}", c.SUBTITLE)
    facts = (
        ("Sponsor", f.sponsor),
        ("Prepared for", f.cmo),
        ("Engagement", f.engagement),
        ("Program", f.program or "—"),
        ("Service", f.service_type or "—"),
        ("Pack id", f.pack_id or "assigned when the pack is exported"),
        ("Evaluation criteria version", _version(f.criteria_version)),
        ("Timeline version", _version(f.timeline_version)),
        ("Issued on", f.issued_on),
    )
    row = 4
    for label, value in facts:
        c.put(ws, row, 1, label, c.LABEL)
        c.put(ws, row, 2, value, c.PLAIN_DATE if label == "Issued on" else c.PLAIN)
        row += 1
    row += 1
    c.put(ws, row, 1, "Confidentiality", c.HEADING)
    c.put(ws, row + 1, 1, f.notice, c.PLAIN)
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=2)
    ws.row_dimensions[row + 1].height = 36
    row += 3
    c.put(ws, row, 1, "Contents", c.HEADING)
    for title, holds in content.sections():
        row += 1
        c.put(ws, row, 1, title, c.LABEL)
        c.put(ws, row, 2, holds, c.PLAIN)
    row += 2
    c.put(ws, row, 1, "How to respond", c.HEADING)
    c.put(
        ws,
        row + 1,
        1,
        f"Fill in the yellow cells of the sheet '{pc.SECTION_RESPONSE}' and send this workbook "
        f"back to {f.sponsor}. Every other cell is protected; changes made to them are not read.",
        c.PLAIN,
    )
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=2)
    ws.row_dimensions[row + 1].height = 36
    c.finish_sheet(ws, widths, f.short_notice, None, tab_color=c.INK)
    ws.print_options.horizontalCentered = True


def _version(version: int | None) -> str:
    return f"Version {version}" if version is not None else "not included in this pack"


def _table(
    ws: Worksheet,
    title: str,
    intro: str,
    headers: tuple[str, ...],
    rows: list[tuple[object, ...]],
    looks: tuple[c.Look, ...],
    widths: tuple[float, ...],
    empty: str,
    notice: str,
) -> None:
    c.put(ws, 1, 1, title, c.TITLE)
    c.put(ws, 2, 1, intro if rows else empty, c.NOTE)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    ws.row_dimensions[2].height = 30
    c.put_row(ws, TABLE_HEADER_ROW, headers, c.HEADER)
    for offset, values in enumerate(rows, start=1):
        row = TABLE_HEADER_ROW + offset
        for column, (value, look) in enumerate(zip(values, looks, strict=True), start=1):
            c.put(ws, row, column, value, look)
        c.fit_height(ws, row, widths)
    c.finish_sheet(ws, widths, notice, TABLE_HEADER_ROW)


def _criteria(ws: Worksheet, content: PackContent) -> None:
    rows: list[tuple[object, ...]] = [
        (
            i,
            k.name,
            k.description,
            k.weight,
            "Yes" if k.knockout else "No",
            k.evidence_requested,
            "\n".join(f"{n} – {text}" for n, text in enumerate(k.scale, start=1)),
        )
        for i, k in enumerate(content.criteria, start=1)
    ]
    _table(
        ws,
        pc.SECTION_CRITERIA,
        "How we will assess proposals: each criterion is scored from 1 to 5 against the wording "
        "of its scale, and the weights (percent, together 100) give the total. A knockout "
        "criterion scored 1 eliminates the proposal whatever the total.",
        (
            "#",
            "Criterion",
            "What we look for",
            "Weight (%)",
            "Knockout",
            "Evidence requested",
            "Scoring scale",
        ),
        rows,
        (c.INTEGER, c.BODY, c.BODY, c.NUMBER, c.BODY, c.BODY, c.BODY),
        (5, 30, 50, 11, 11, 40, 64),
        "This pack carries no evaluation criteria yet.",
        content.cover.short_notice,
    )


def _kpis(ws: Worksheet, content: PackContent) -> None:
    rows: list[tuple[object, ...]] = [
        (i, k.name, k.description, k.metric, k.unit, k.target, k.zero_points_at, k.weight)
        for i, k in enumerate(content.kpis, start=1)
    ]
    _table(
        ws,
        pc.SECTION_KPIS,
        "How we will measure performance once work starts: each KPI has a target (≥: higher is "
        "better, ≤: lower is better); a result at the value in 'Scored zero at' earns no points.",
        (
            "#",
            "KPI",
            "Description",
            "How it is measured",
            "Unit",
            "Target",
            "Scored zero at",
            "Weight (%)",
        ),
        rows,
        (c.INTEGER, c.BODY, c.BODY, c.BODY, c.BODY, c.BODY, c.BODY, c.NUMBER),
        (5, 30, 46, 36, 10, 12, 14, 11),
        "This pack carries no performance metrics yet.",
        content.cover.short_notice,
    )


def _timeline(ws: Worksheet, content: PackContent) -> None:
    rows: list[tuple[object, ...]] = []
    for i, m in enumerate(content.milestones, start=1):
        hinges = "\n".join(t for t in (pc.lead_text(m.hinges_on_it), m.external_consequences) if t)
        rows.append(
            (
                i,
                m.name,
                m.planned_date if m.planned_date else "not dated yet",
                m.owner,
                m.driver,
                m.rationale,
                hinges,
                pc.lead_text(m.depends_on),
                m.buffer_days,
                "Yes" if m.hard_deadline else "No",
            )
        )
    _table(
        ws,
        pc.SECTION_TIMELINE,
        "The milestones we share with you, why each date matters and what hinges on it. The "
        "buffer is the contingency held in front of a milestone.",
        (
            "#",
            "Milestone",
            "Planned date",
            "Owner",
            "Driver",
            "Why this date",
            "What hinges on it",
            "Depends on",
            "Buffer (days)",
            "Hard deadline",
        ),
        rows,
        (c.INTEGER, c.BODY, c.DATE, c.BODY, c.BODY, c.BODY, c.BODY, c.BODY, c.INTEGER, c.BODY),
        (5, 30, 14, 10, 18, 50, 46, 32, 10, 10),
        "This pack carries no milestones.",
        content.cover.short_notice,
    )


def _pipeline(ws: Worksheet, content: PackContent) -> None:
    names = content.asset_fields
    headers = ("Program", "What is shared", *(FIELD_LABELS[n] for n in names))
    rows: list[tuple[object, ...]] = []
    for asset in content.assets:
        values = [asset.value(n) for n in names]
        rows.append(
            (asset.label, asset.level_label, *(v if v is not None else "—" for v in values))
        )
    _table(
        ws,
        pc.SECTION_PIPELINE,
        "What we expect to need, shared so you can plan capacity. For each program we show only "
        "what we decided to share with you; '—' marks what is not part of that level.",
        headers,
        rows,
        tuple(c.BODY for _ in headers),
        (24, 30, *(30 for _ in names)),
        "This pack carries no pipeline information.",
        content.cover.short_notice,
    )


def _response(ws: Worksheet, content: PackContent) -> list[tuple[int, pc.ResponseQuestion]]:
    widths = (5, 18, 32, 56, 14, 17, 15, 56)
    f = content.cover
    c.put(ws, 1, 1, pc.SECTION_RESPONSE, c.TITLE)
    c.put(
        ws,
        2,
        1,
        "Please fill in the yellow cells: Acknowledged (Yes or No), Feasible (Yes, No or With "
        "conditions), a proposed date where a milestone date does not work for you, and any "
        f"comment. Then send the workbook back to {f.sponsor}."
        if content.questions
        else "This pack asks no questions.",
        c.NOTE,
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(widths))
    ws.row_dimensions[2].height = 30
    c.put_row(
        ws,
        layout.RESPONSE_HEADER_ROW,
        (
            "#",
            "Section",
            "Item",
            "What we ask",
            "Acknowledged",
            "Feasible",
            "Proposed date",
            "Comment",
        ),
        c.HEADER,
    )
    ack = _choice(pc.ACK_CHOICES, "Acknowledged", "Choose Yes or No.")
    feasible = _choice(pc.FEASIBLE_CHOICES, "Feasible", "Choose Yes, No or With conditions.")
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=str(FIRST_DATE_SERIAL),
        formula2=str(LAST_DATE_SERIAL),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Proposed date",
        error="Enter a date, for example 2027-03-15.",
    )
    placed = []
    for i, q in enumerate(content.questions, start=1):
        row = layout.RESPONSE_FIRST_ROW + i - 1
        c.put_row(ws, row, (i, q.section, q.item, q.prompt))
        ws.cell(row=row, column=layout.COL_NUMBER).number_format = "0"
        c.put(ws, row, layout.COL_ACK, None, c.INPUT)
        c.put(ws, row, layout.COL_FEASIBLE, None, c.INPUT)
        c.put(ws, row, layout.COL_DATE, None, c.INPUT_DATE if q.asks_date else c.NOT_ASKED)
        c.put(ws, row, layout.COL_COMMENT, None, c.INPUT)
        if q.asks_date:
            dates.add(ws.cell(row=row, column=layout.COL_DATE).coordinate)
        c.fit_height(ws, row, widths)
        placed.append((row, q))
    if placed:
        first, last = placed[0][0], placed[-1][0]
        for validation, column in ((ack, layout.COL_ACK), (feasible, layout.COL_FEASIBLE)):
            letter = layout.column_letter(column)
            validation.add(f"{letter}{first}:{letter}{last}")
    for validation in (ack, feasible, dates):
        if validation.sqref.ranges:
            ws.add_data_validation(validation)
    c.finish_sheet(ws, widths, f.short_notice, layout.RESPONSE_HEADER_ROW, tab_color="C55A11")
    return placed


def _choice(choices: tuple[str, ...], title: str, error: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )
