"""The alignment pack as one HTML document, for the PDF (rendered by Qt's QTextDocument).

Same sections as the workbook; the response sheet becomes the list of questions. Only what
QTextDocument's rich-text subset renders is used: h1–h3, p, b/i, ul/li, tables with attributes
(border, cellpadding, width, bgcolor), simple CSS (font, colour) and page-break-before.
Every piece of text is escaped, so nothing from the store can become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from planner.reports import pack_content as pc
from planner.reports.pack_content import PackContent, clean_text

HEADER_BG = "#2F5597"
STYLE = (
    "body { font-family: 'Calibri', 'Arial', sans-serif; font-size: 10pt; color: #1F2A44; }"
    " h1 { font-size: 20pt; color: #1F2A44; } h2 { font-size: 14pt; color: #2F5597; }"
    " h3 { font-size: 11pt; } th { color: #FFFFFF; } .note { color: #44546A; }"
    " .notice { font-size: 9pt; color: #C00000; }"
)


def render(content: PackContent) -> str:
    f = content.cover
    parts = [
        "<html><head><meta charset='utf-8'>",
        f"<title>{_e(f'Alignment pack from {f.sponsor}')}</title>",
        f"<style>{STYLE}</style></head><body>",
        *(line for _title, part in _PARTS for line in part(content)),
        "</body></html>",
    ]
    return "\n".join(parts)


def sections(content: PackContent) -> list[tuple[str, str]]:
    """The same content cut into its sheets, each a document of its own (the export preview)."""
    head = f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"
    return [
        (
            title,
            head
            + "\n".join(part(content)).replace("page-break-before: always", "")
            + "</body></html>",
        )
        for title, part in _PARTS
    ]


def _e(value: object) -> str:
    """Escaped text with line breaks kept."""
    return escape(clean_text(value)).replace("\n", "<br>")


def _section(title: str) -> str:
    return f"<h2 style='page-break-before: always'>{_e(title)}</h2>"


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> str:
    """`widths` in percent of the page, one per column; without them Qt makes columns equal."""
    sizes = [f" width='{w}%'" for w in widths] or ["" for _ in headers]
    head = "".join(
        f"<th bgcolor='{HEADER_BG}' align='left'{size}>{_e(h)}</th>"
        for h, size in zip(headers, sizes, strict=True)
    )
    body = "".join(
        "<tr>" + "".join(f"<td valign='top'>{_e(v)}</td>" for v in row) + "</tr>" for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='4' width='100%' "
        f"style='border-color: #B4BCCB; font-size: 9pt'><thead><tr>{head}</tr></thead>{body}</table>"
    )


def _cover(content: PackContent) -> list[str]:
    f = content.cover
    facts = [
        ("Sponsor", f.sponsor),
        ("Prepared for", f.cmo),
        ("Engagement", f.engagement),
        ("Program", f.program or "—"),
        ("Service", f.service_type or "—"),
        ("Pack id", f.pack_id or "assigned when the pack is exported"),
        ("Evaluation criteria version", _version(f.criteria_version)),
        ("Timeline version", _version(f.timeline_version)),
        ("Issued on", pc.date_text(f.issued_on)),
    ]
    rows = "".join(
        f"<tr><td width='30%'><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>" for k, v in facts
    )
    contents = "".join(
        f"<li><b>{_e(title)}</b>: {_e(holds)}</li>"
        for title, holds in content.sections()
        if title != pc.SECTION_RESPONSE
    )
    questions = f"{len(content.questions)} question{'s' if len(content.questions) != 1 else ''}"
    return [
        "<h1>Alignment pack</h1>",
        f"<h3>{_e(f'{f.sponsor} for {f.cmo}')}</h3>",
        f"<table cellspacing='0' cellpadding='3' width='100%'>{rows}</table>",
        f"<p class='notice'><b>Confidentiality.</b> {_e(f.notice)}</p>",
        "<h3>Contents</h3>",
        f"<ul>{contents}<li><b>Questions for your response</b>: {questions}</li></ul>",
    ]


def _version(version: int | None) -> str:
    return f"Version {version}" if version is not None else "not included in this pack"


def _empty(text: str) -> str:
    return f"<p class='note'><i>{_e(text)}</i></p>"


def _criteria(content: PackContent) -> list[str]:
    parts = [_section(pc.SECTION_CRITERIA)]
    if not content.criteria:
        return [*parts, _empty("This pack carries no evaluation criteria yet.")]
    parts.append(
        "<p class='note'>Each criterion is scored from 1 to 5 against the wording of its scale; "
        "the weights (percent, together 100) give the total. A knockout criterion scored 1 "
        "eliminates the proposal whatever the total.</p>"
    )
    parts.append(
        _table(
            ("#", "Criterion", "Weight (%)", "Knockout", "Evidence requested"),
            [
                (i, c.name, f"{c.weight:g}", "Yes" if c.knockout else "No", c.evidence_requested)
                for i, c in enumerate(content.criteria, start=1)
            ],
            (3, 25, 9, 8, 55),
        )
    )
    for i, c in enumerate(content.criteria, start=1):
        parts.append(f"<h3>{i}. {_e(c.name)}</h3>")
        if c.description:
            parts.append(f"<p>{_e(c.description)}</p>")
        if c.scale:
            parts.append(
                _table(("Score", "What it means"), list(enumerate(c.scale, start=1)), (8, 92))
            )
    return parts


def _kpis(content: PackContent) -> list[str]:
    parts = [_section(pc.SECTION_KPIS)]
    if not content.kpis:
        return [*parts, _empty("This pack carries no performance metrics yet.")]
    parts.append(
        "<p class='note'>Targets: ≥ means higher is better, ≤ lower is better; a result at the "
        "value in 'Scored zero at' earns no points.</p>"
    )
    parts.append(
        _table(
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
            [
                (
                    i,
                    k.name,
                    k.description,
                    k.metric,
                    k.unit,
                    k.target,
                    k.zero_points_at,
                    f"{k.weight:g}",
                )
                for i, k in enumerate(content.kpis, start=1)
            ],
            (3, 15, 27, 21, 6, 10, 9, 9),
        )
    )
    return parts


def _timeline(content: PackContent) -> list[str]:
    parts = [_section(pc.SECTION_TIMELINE)]
    if not content.milestones:
        return [*parts, _empty("This pack carries no milestones.")]
    rows = []
    for i, m in enumerate(content.milestones, start=1):
        hinges = "\n".join(t for t in (pc.lead_text(m.hinges_on_it), m.external_consequences) if t)
        rows.append(
            (
                i,
                m.name,
                pc.date_text(m.planned_date),
                m.owner,
                m.driver,
                m.rationale,
                hinges,
                pc.lead_text(m.depends_on),
                f"{m.buffer_days} days",
                "Yes" if m.hard_deadline else "No",
            )
        )
    parts.append(
        _table(
            (
                "#",
                "Milestone",
                "Planned date",
                "Owner",
                "Driver",
                "Why this date",
                "What hinges on it",
                "Depends on",
                "Buffer",
                "Hard deadline",
            ),
            rows,
            (2, 11, 9, 8, 10, 20, 18, 9, 5, 8),
        )
    )
    return parts


def _pipeline(content: PackContent) -> list[str]:
    parts = [_section(pc.SECTION_PIPELINE)]
    if not content.assets:
        return [*parts, _empty("This pack carries no pipeline information.")]
    parts.append(
        "<p class='note'>What we expect to need, shared so you can plan capacity. For each "
        "program we show only what we decided to share with you.</p>"
    )
    for asset in content.assets:
        parts.append(f"<h3>{_e(asset.label)}</h3><p class='note'>{_e(asset.level_label)}</p>")
        parts.append(
            _table(("Field", "Value"), [(f.label, f.text) for f in asset.fields], (25, 75))
        )
    return parts


def _questions(content: PackContent) -> list[str]:
    parts = [_section("Questions for your response")]
    if not content.questions:
        return [*parts, _empty("This pack asks no questions.")]
    parts.append(
        f"<p>Please answer in the sheet '{_e(pc.SECTION_RESPONSE)}' of the workbook that came "
        f"with this document and send it back to {_e(content.cover.sponsor)}.</p>"
    )
    items = "".join(
        f"<li><b>{_e(q.section)}: {_e(q.item)}</b><br>{_e(q.prompt)}</li>"
        for q in content.questions
    )
    return [*parts, f"<ol>{items}</ol>"]


# In the order of the workbook's sheets; render() and sections() both follow it.
_PARTS = (
    ("Cover", _cover),
    ("Evaluation criteria", _criteria),
    ("Performance metrics", _kpis),
    ("Timeline", _timeline),
    ("Pipeline outlook", _pipeline),
    ("Your response", _questions),
)
