"""The pack's HTML cut into its sheets, for the export preview (one tab per sheet)."""

from __future__ import annotations

from planner.reports import pack_html
from planner.reports.pack_content import PackContent

_PARTS = (
    ("Cover", pack_html._cover),
    ("Evaluation criteria", pack_html._criteria),
    ("Performance metrics", pack_html._kpis),
    ("Timeline", pack_html._timeline),
    ("Pipeline outlook", pack_html._pipeline),
    ("Your response", pack_html._questions),
)


def sections(content: PackContent) -> list[tuple[str, str]]:
    head = f"<html><head><meta charset='utf-8'><style>{pack_html.STYLE}</style></head><body>"
    return [
        (
            title,
            head
            + "\n".join(part(content)).replace("page-break-before: always", "")
            + "</body></html>",
        )
        for title, part in _PARTS
    ]
