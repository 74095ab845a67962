from datetime import date

import pytest

from planner.domain.criteria import CriterionStage
from planner.domain.disclosure_levels import FIELDS, fields_of
from planner.domain.engagement import Engagement
from planner.reports.pack_content import build_content, clean_text
from planner.services.cmos import CmoService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.disclosure_outlook import pack_outlook
from planner.services.engagements import EngagementService
from planner.services.packs import preview_pack
from planner.services.timeline import TimelineService


def ids(store, program: str, cmo: str) -> tuple[int, int]:
    return EngagementService(store).find(program).id, CmoService(store).find_by_name(cmo).id


def test_criteria_are_those_of_the_shareable_version(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-2417", "Kestrelmoor Chimica Milano")
    shareable = CriteriaSetService(demo_store).shareable(eid)
    content = preview_pack(demo_store, eid, cid).content
    assert content.cover.criteria_version == shareable.version == 1
    assert [c.name for c in content.criteria] == [
        c.name for c in shareable.stage_criteria(CriterionStage.SELECTION)
    ]
    assert [k.name for k in content.kpis] == [
        c.name for c in shareable.stage_criteria(CriterionStage.PERFORMANCE)
    ]
    assert round(sum(c.weight for c in content.criteria)) == 100
    assert all(len(c.scale) == 5 for c in content.criteria)
    assert all(k.target.startswith(("≥", "≤")) for k in content.kpis)


def test_a_set_not_yet_aligned_sends_no_criteria(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-4021", "Bernina Sterile")
    preview = preview_pack(demo_store, eid, cid)
    assert preview.content.criteria == () and preview.content.kpis == ()
    assert preview.content.cover.criteria_version is None
    assert any("not aligned yet" in w for w in preview.warnings)


def test_only_shared_milestones_and_links_between_them(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-3308", "Hanbit BioWorks Songdo")
    timeline = TimelineService(demo_store).timeline(eid)
    shared = {m.name for m in timeline.milestones if m.share_with_cmo}
    hidden = {m.name for m in timeline.milestones if not m.share_with_cmo}
    assert shared and hidden
    content = preview_pack(demo_store, eid, cid).content
    assert {m.name for m in content.milestones} == shared
    linked = {n for m in content.milestones for n, _ in (*m.hinges_on_it, *m.depends_on)}
    assert linked and linked <= shared
    assert content.cover.timeline_version == TimelineService(demo_store).version(eid)


def test_an_asset_shows_exactly_the_fields_of_its_level(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-2417", "Kestrelmoor Chimica Milano")
    (asset,) = preview_pack(demo_store, eid, cid).content.assets
    assert asset.label == "ORP-2417" and asset.level == 3
    assert tuple(f.name for f in asset.fields) == FIELDS[3]


def test_l1_assets_are_not_named_and_l0_assets_are_absent(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-4021", "Bernina Sterile")
    outlook = pack_outlook(demo_store, eid, cid)
    assert {i.asset_code: int(i.level) for i in outlook.items if i.level} == {"ORP-4021": 1}
    content = preview_pack(demo_store, eid, cid).content
    (asset,) = content.assets
    assert asset.label == "Undisclosed program 1"
    assert tuple(f.name for f in asset.fields) == fields_of(1)
    assert asset.value("code") is None and asset.value("inn") is None
    assert content.asset_fields == fields_of(1)


def test_preview_warns_when_the_cover_names_an_undisclosed_code(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-4021", "Bernina Sterile")
    warnings = preview_pack(demo_store, eid, cid).warnings
    assert any("names ORP-4021" in w and "L1" in w for w in warnings)


def test_one_question_per_criterion_kpi_and_shared_milestone(demo_store) -> None:
    eid, cid = ids(demo_store, "ORP-2417", "Kestrelmoor Chimica Milano")
    content = preview_pack(demo_store, eid, cid).content
    keys = [q.key for q in content.questions]
    assert keys == [
        *(c.key for c in content.criteria),
        *(k.key for k in content.kpis),
        *(m.key for m in content.milestones),
    ]
    assert len(set(keys)) == len(keys)
    assert [q.asks_date for q in content.questions] == [
        q.key.startswith("milestone:") for q in content.questions
    ]


def test_build_content_without_anything_to_share() -> None:
    content = build_content(
        sponsor="",
        engagement=Engagement(title="Tablets"),
        cmo="Acme",
        criteria=None,
        milestones=[],
        timeline_version=None,
        outlook=[],
        issued_on=date(2027, 1, 4),
    )
    assert content.is_empty and content.questions == ()
    assert content.cover.sponsor == "The sponsor"
    assert "exclusively for Acme" in content.cover.notice


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain", "plain"),
        ("a\tb\nc", "a\tb\nc"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("bell\x07 nul\x00 esc\x1b del\x7f c1\x85", "bell nul esc del c1"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("non\ufffechar\uffff", "nonchar"),
        (None, ""),
        (12, "12"),
    ],
)
def test_clean_text(raw, clean) -> None:
    assert clean_text(raw) == clean


def test_clean_text_cuts_long_text() -> None:
    assert clean_text("x" * 40_000) == "x" * 31_999 + "…"
