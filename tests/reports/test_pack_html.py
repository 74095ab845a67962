from datetime import date
from html.parser import HTMLParser

from planner.domain.criteria import CriteriaSet, Criterion, CriterionStage, Direction
from planner.domain.engagement import Engagement
from planner.domain.timeline import Milestone
from planner.domain.timeline_summary import SharedMilestone
from planner.reports.pack_content import build_content
from planner.reports.pack_html import render

# What QTextDocument renders (its supported HTML subset); anything else would be dropped.
QT_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "b",
    "i",
    "br",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tr",
    "th",
    "td",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def content(name: str = "Quality <systems> & more"):
    criteria = CriteriaSet(
        engagement_id=1,
        version=3,
        criteria=[
            Criterion(name, CriterionStage.SELECTION, "desc", 100, list("abcde"), knockout=True),
            Criterion(
                "OTIF",
                CriterionStage.PERFORMANCE,
                "",
                100,
                [],
                metric="orders",
                unit="%",
                target=95,
                direction=Direction.HIGHER,
                floor=80,
            ),
        ],
    )
    milestone = Milestone("PPQ", date(2027, 7, 1), rationale="Launch\nwindow", id=7)
    return build_content(
        sponsor="Orpheline & Co",
        engagement=Engagement(title="ORP-1 <b>bold</b>", program="ORP-1"),
        cmo="Acme",
        criteria=criteria,
        milestones=[SharedMilestone(milestone, (), ())],
        timeline_version=4,
        outlook=[],
        pack_id="p-1",
        issued_on=date(2027, 1, 4),
    )


def test_render_has_every_section_on_its_own_page() -> None:
    html = render(content())
    for title in (
        "Evaluation criteria",
        "Performance metrics",
        "Timeline",
        "Pipeline outlook",
        "Questions for your response",
    ):
        assert f"<h2 style='page-break-before: always'>{title}</h2>" in html
    assert "Your response</h2>" not in html  # the response sheet becomes a list of questions
    assert html.count("<li><b>Selection criterion: ") == 1
    assert "<li><b>Milestone: PPQ</b>" in html
    assert "Prepared by Orpheline &amp; Co exclusively for Acme" in html
    assert "This pack carries no pipeline information." in html
    assert "≥ 95" in html and ">80<" in html
    assert "Launch<br>window" in html


def test_text_from_the_store_never_becomes_markup() -> None:
    html = render(content("<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


def test_only_tags_qtextdocument_renders() -> None:
    parser = Tags()
    parser.feed(render(content()))
    assert set(parser.tags) <= QT_TAGS
