from datetime import date

import pytest
from sqlalchemy import select

from planner.domain.criteria import CriteriaRuleError, CriterionStage, SetStatus, Verdict
from planner.domain.engagement import Engagement
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict
from planner.store.models import ChangeLogRow

SEL, PERF = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


@pytest.fixture
def set_id(store) -> int:
    engagement = EngagementService(store).create(Engagement(title="Tablets"))
    sets = CriteriaSetService(store)
    cs = sets.start(engagement.id, ["qa", "Supply chain", "procurement"])
    cs = sets.add_from_library(cs.id, ["quality_systems", "cost", "on_time_in_full"])
    sets.normalise_weights(cs.id, SEL)
    return sets.normalise_weights(cs.id, PERF).id


@pytest.fixture
def sign(store) -> CriteriaSignOffService:
    return CriteriaSignOffService(store)


def test_a_set_with_problems_cannot_go_to_review(store, sign) -> None:
    engagement = EngagementService(store).create(Engagement(title="Empty"))
    cs = CriteriaSetService(store).start(engagement.id)
    with pytest.raises(Conflict, match="Not ready for sign-off: Choose at least one criterion"):
        sign.submit_for_review(cs.id)
    with pytest.raises(Conflict, match="Not ready"):
        sign.record_sign_off(cs.id, "qa", "Ann", Verdict.AGREE)


def test_draft_to_review_to_aligned_to_communicated(sign, set_id) -> None:
    cs = sign.submit_for_review(set_id)
    assert cs.status is SetStatus.IN_REVIEW
    cs = sign.record_sign_off(set_id, "QA", "Ann Lee", Verdict.AGREE, signed_on=date(2026, 3, 1))
    cs = sign.record_sign_off(set_id, "supply_chain", "Bo", Verdict.AGREE_WITH_COMMENT, "Add OTIF")
    assert cs.status is SetStatus.IN_REVIEW
    assert cs.sign_off("qa").signed_on == date(2026, 3, 1)
    assert cs.sign_off("supply_chain").signed_on == date.today()
    with pytest.raises(Conflict, match="only criteria aligned"):
        sign.mark_communicated(set_id)
    cs = sign.record_sign_off(set_id, "procurement", "Cy", Verdict.AGREE)
    assert cs.status is SetStatus.ALIGNED
    cs = sign.mark_communicated(set_id)
    assert cs.status is SetStatus.COMMUNICATED
    again = sign.mark_communicated(set_id)
    assert again.communicated_at == cs.communicated_at  # idempotent for repeated exports


def test_an_objection_holds_the_set_in_review(sign, set_id) -> None:
    for role in ("qa", "supply_chain"):
        sign.record_sign_off(set_id, role, "X", Verdict.AGREE)
    cs = sign.record_sign_off(set_id, "procurement", "Cy", Verdict.OBJECT, "Cost weight too low")
    assert cs.status is SetStatus.IN_REVIEW
    cs = sign.record_sign_off(set_id, "procurement", "Cy", Verdict.AGREE)
    assert cs.status is SetStatus.ALIGNED
    cs = sign.clear_sign_off(set_id, "qa")
    assert cs.status is SetStatus.IN_REVIEW and cs.sign_off("qa").verdict is None
    assert cs.sign_off("qa").person == "X"


def test_verdict_rules(sign, set_id) -> None:
    with pytest.raises(CriteriaRuleError, match="needs a comment"):
        sign.record_sign_off(set_id, "qa", "Ann", Verdict.OBJECT)
    with pytest.raises(CriteriaRuleError, match="needs a comment"):
        sign.record_sign_off(set_id, "qa", "Ann", Verdict.AGREE_WITH_COMMENT, "  ")
    with pytest.raises(CriteriaRuleError, match="who signs"):
        sign.record_sign_off(set_id, "qa", "", Verdict.AGREE)
    with pytest.raises(Conflict, match="Finance is not asked to sign off"):
        sign.record_sign_off(set_id, "finance", "Di", Verdict.AGREE)


def test_required_roles_are_configurable_and_re_derive_the_status(sign, set_id) -> None:
    sign.record_sign_off(set_id, "qa", "Ann", Verdict.AGREE)
    sign.record_sign_off(set_id, "supply_chain", "Bo", Verdict.AGREE)
    cs = sign.set_required_roles(set_id, ["qa", "supply_chain"])
    assert cs.status is SetStatus.ALIGNED and [s.role for s in cs.sign_offs] == [
        "qa",
        "supply_chain",
    ]
    cs = sign.set_required_roles(set_id, ["qa", "supply_chain", "Finance", "Clinical ops", "qa"])
    assert cs.required_roles == ["qa", "supply_chain", "finance", "Clinical ops"]
    assert cs.status is SetStatus.IN_REVIEW
    cs = sign.assign_signer(set_id, "clinical OPS", "Eve")
    assert cs.sign_off("Clinical ops").person == "Eve" and cs.status is SetStatus.IN_REVIEW


def test_return_to_draft_clears_verdicts_and_logs_them(store, sign, set_id) -> None:
    sign.record_sign_off(set_id, "qa", "Ann", Verdict.AGREE)
    cs = sign.return_to_draft(set_id, "scope changed")
    assert cs.status is SetStatus.DRAFT and all(s.verdict is None for s in cs.sign_offs)
    with store.reading() as s:
        summaries = list(s.scalars(select(ChangeLogRow.summary).order_by(ChangeLogRow.id)))
    assert "Version 1 submitted for review" in summaries
    assert "Version 1: QA (Ann) agree" in summaries
    assert "Version 1 back to draft: scope changed" in summaries


def test_review_of_a_later_version_logs_what_changed_since_the_previous_one(
    store, sign, set_id
) -> None:
    for role in ("qa", "supply_chain", "procurement"):
        sign.record_sign_off(set_id, role, "X", Verdict.AGREE)
    sign.mark_communicated(set_id)
    sets = CriteriaSetService(store)
    v2 = sets.open_for_editing(sets.get(set_id).engagement_id)
    v2 = sets.lock_weight(v2.id, v2.criteria[0].id, 70)
    sign.submit_for_review(v2.id)
    with store.reading() as s:
        entry = s.scalars(
            select(ChangeLogRow)
            .where(ChangeLogRow.entity_id == str(v2.id), ChangeLogRow.action == "status")
            .order_by(ChangeLogRow.id.desc())
        ).first()
    assert entry.changes["since_previous_version"][1] == [
        "'Quality systems and cGMP compliance': weight 60% → 70%.",
        "'Cost': weight 40% → 30%.",
    ]
