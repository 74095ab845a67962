from datetime import date

import pytest

from planner.domain.cmo import CMO, Agreement, CmoRuleError, Contact
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, InspectionOutcome, Stage
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.store.models import ChangeLogRow


def alpine() -> CMO:
    return CMO(
        name="Alpine Pharma GmbH",
        country="DE",
        city="Freiburg",
        fei_number="0001234567",
        duns_number="012345678",
        capabilities=["API", "HPAPI"],
        last_inspection_date=date(2025, 3, 4),
        last_inspection_outcome=InspectionOutcome.VAI,
        contacts=[Contact("Anna Berg", "BD director", "anna@alpine.example", "+49 761 0")],
        agreements=[
            Agreement(AgreementType.CDA, date(2025, 1, 1), date(2027, 1, 1), "All programs")
        ],
    )


def test_create_and_get_round_trip(store) -> None:
    service = CmoService(store)
    created = service.create(alpine())
    loaded = service.get(created.id)
    assert loaded.name == "Alpine Pharma GmbH"
    assert loaded.fei_number == "0001234567"  # leading zeros kept
    assert loaded.capabilities == ["API", "HPAPI"]
    assert loaded.contacts[0].email == "anna@alpine.example"
    assert loaded.agreements[0].type is AgreementType.CDA
    assert loaded.last_inspection_outcome is InspectionOutcome.VAI


def test_update_keeps_child_identities_and_logs_the_change(store) -> None:
    service = CmoService(store)
    cmo = service.create(alpine())
    contact_id = cmo.contacts[0].id
    cmo.city = "Basel"
    cmo.contacts[0].role = "Head of BD"
    cmo.contacts.append(Contact("Ben Ort", email="ben@alpine.example"))
    cmo.agreements = []
    saved = service.update(cmo)
    assert saved.contacts[0].id == contact_id
    assert [c.name for c in saved.contacts] == ["Anna Berg", "Ben Ort"]
    assert saved.agreements == []
    with store.reading() as s:
        log = s.query(ChangeLogRow).filter_by(entity="cmo", action="updated").one()
    assert log.changes["city"] == ["Freiburg", "Basel"]


def test_invalid_cmo_is_refused_and_nothing_is_written(store) -> None:
    service = CmoService(store)
    with pytest.raises(CmoRuleError):
        service.create(CMO(name="X", country="Germany"))
    assert service.count() == 0


def test_search_matches_every_word_over_name_country_city_capabilities(store) -> None:
    service = CmoService(store)
    service.create(alpine())
    service.create(
        CMO(name="Seoul Biologics", country="KR", city="Incheon", capabilities=["Biologics"])
    )
    service.create(
        CMO(name="Lyon Steriles", country="FR", city="Lyon", capabilities=["Sterile fill-finish"])
    )
    names = lambda text: [r.name for r in service.list_rows(text)]  # noqa: E731
    assert names("") == ["Alpine Pharma GmbH", "Lyon Steriles", "Seoul Biologics"]
    assert names("hpapi") == ["Alpine Pharma GmbH"]
    assert names("korea") == ["Seoul Biologics"]  # country name, not only the code
    assert names("lyon sterile") == ["Lyon Steriles"]
    assert names("incheon api") == []
    assert names("100%_") == []  # LIKE wildcards are taken literally


def test_find_by_name_uses_the_normalised_name(store) -> None:
    service = CmoService(store)
    service.create(alpine())
    assert service.find_by_name("ALPINE PHARMA").name == "Alpine Pharma GmbH"
    assert service.find_by_name("Nobody") is None


def test_delete_removes_contacts_and_agreements(store) -> None:
    service = CmoService(store)
    cmo = service.create(alpine())
    service.delete(cmo.id)
    with pytest.raises(NotFound):
        service.get(cmo.id)
    from sqlalchemy import func, select

    from planner.store.models import AgreementRow, ContactRow

    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(ContactRow)) == 0
        assert s.scalar(select(func.count()).select_from(AgreementRow)) == 0


def test_chosen_cmo_of_an_active_engagement_cannot_be_deleted(store) -> None:
    cmos = CmoService(store)
    cmo = cmos.create(alpine())
    EngagementService(store).create(
        Engagement(title="API supply", stage=Stage.ACTIVE, chosen_cmo_id=cmo.id)
    )
    with pytest.raises(Conflict, match="API supply"):
        cmos.delete(cmo.id)
    assert cmos.count() == 1


def test_names_of_just_some_cmos(store) -> None:
    service = CmoService(store)
    ids = [service.create(CMO(name=n)).id for n in ("beta", "Alpha", "Gamma")]
    assert service.names([ids[0], ids[1], 999]) == [(ids[1], "Alpha"), (ids[0], "beta")]
    assert service.names([]) == []
