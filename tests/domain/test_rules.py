from datetime import date

import pytest

from planner.domain.cmo import CMO, Agreement, CmoRuleError, Contact, check_cmo
from planner.domain.engagement import Engagement, EngagementRuleError, check_engagement
from planner.domain.enums import AgreementType, Stage


def test_cmo_needs_a_name() -> None:
    with pytest.raises(CmoRuleError, match="name"):
        check_cmo(CMO(name="  "))


@pytest.mark.parametrize("country", ["de", "DEU", "D1"])
def test_cmo_country_must_be_alpha2(country: str) -> None:
    with pytest.raises(CmoRuleError, match="alpha-2"):
        check_cmo(CMO(name="A", country=country))


def test_identifiers_are_digits() -> None:
    with pytest.raises(CmoRuleError, match="FEI"):
        check_cmo(CMO(name="A", fei_number="12a"))


def test_contact_email_checked() -> None:
    with pytest.raises(CmoRuleError, match="email"):
        check_cmo(CMO(name="A", contacts=[Contact("Ann", email="ann@")]))


def test_agreement_dates_in_order() -> None:
    bad = Agreement(AgreementType.CDA, date(2026, 5, 1), date(2026, 1, 1))
    with pytest.raises(CmoRuleError, match="expires before"):
        check_cmo(CMO(name="A", agreements=[bad]))


def test_agreement_in_force() -> None:
    cda = Agreement(AgreementType.CDA, date(2025, 1, 1), date(2026, 12, 31))
    assert cda.in_force_on(date(2026, 12, 31))
    assert not cda.in_force_on(date(2027, 1, 1))
    assert not cda.in_force_on(date(2024, 12, 31))
    assert cda.expires_within(date(2026, 12, 1), 30)
    assert not cda.expires_within(date(2026, 10, 1), 30)
    assert Agreement(AgreementType.MSA, date(2025, 1, 1)).in_force_on(date(2030, 1, 1))
    assert not Agreement(AgreementType.MSA).in_force_on(date(2030, 1, 1))


def test_engagement_past_consideration_needs_a_cmo() -> None:
    with pytest.raises(EngagementRuleError, match="chosen CMO"):
        check_engagement(Engagement(title="X", stage=Stage.ACTIVE))
    check_engagement(Engagement(title="X", stage=Stage.CONSIDERATION))


def test_engagement_dates_in_order() -> None:
    with pytest.raises(EngagementRuleError, match="before the start"):
        check_engagement(
            Engagement(title="X", start_date=date(2026, 2, 1), target_date=date(2026, 1, 1))
        )
