from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.cmo import CMO
from planner.domain.names import name_key
from planner.excel import normalise as n
from planner.services.cmos import search_text
from planner.services.import_writer import derived_columns


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-05", "2025-03-05T10:30:00", "2025/03/05", "03/05/2025", "3/5/25", "05.03.2025",
        "5.3.2025", "05-03-2025", "05-Mar-2025", "5-Mar-25", "5 March 2025", "5th March 2025",
        "March 5, 2025", "Mar 5 2025", "05 mär 2025", 45721, 45721.75, "45721",
        date(2025, 3, 5), datetime(2025, 3, 5, 14, 0),
    ],
)  # fmt: skip
def test_dates_in_common_forms(value: object) -> None:
    assert n.date_value(value, "Date") == date(2025, 3, 5)


def test_slashed_dates_are_month_first_unless_the_first_number_is_over_12() -> None:
    assert n.date_value("12/31/2025", "d") == date(2025, 12, 31)
    assert n.date_value("31/12/2025", "d") == date(2025, 12, 31)


@pytest.mark.parametrize(
    "value", ["31/31/2025", "2025-02-30", "next week", "0", -5, True, "13.13.2025", 2021, 6.0]
)
def test_bad_dates_are_cell_problems(value: object) -> None:
    with pytest.raises(n.CellProblem, match="left out"):
        n.date_value(value, "Date")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Germany", "DE"), ("DEU", "DE"), ("de", "DE"), ("USA", "US"), ("United States of America", "US"),
        ("Korea, Republic of", "KR"), ("Korea, South (KOR)", "KR"), ("South Korea", "KR"),
        ("Viet Nam", "VN"), ("Türkiye", "TR"), ("UK", "GB"), ("P.R. China", "CN"), ("Schweiz", "CH"),
        ("Czech Rep.", "CZ"), ("Hong Kong SAR, China", "HK"), ("Lao PDR", "LA"), ("Slovak Republic", "SK"),
        ("Chinese Taipei", "TW"), ("Côte d'Ivoire", "CI"), ("Russian Federation", "RU"),
    ],
)  # fmt: skip
def test_country_forms(value: str, code: str) -> None:
    assert n.country_value(value) == code


def test_country_from_fda_address() -> None:
    assert n.country_from_address("Hauptstr. 5, Freiburg, , 79108 (DEU)") == "DE"
    assert n.country_from_address("1 Main St, Boston, MA, 02110 (USA)") == "US"
    assert n.country_from_address("Somewhere without a code") is None
    with pytest.raises(n.CellProblem, match="'Atlantis' is not a country"):
        n.country_value("Atlantis")


@pytest.mark.parametrize(
    ("value", "width", "expected"),
    [
        ("0012345", None, "0012345"), (3004567890.0, None, "3004567890"), ("3004567890.0", None, "3004567890"),
        (12345678.0, 9, "012345678"), ("12-345-6789", 9, "123456789"), ("0000000", None, None),
        ("0", 9, None), (0.0, None, None),
        ("12345678", 9, "012345678"), ("1234567", 9, "001234567"),  # zeros lost on a CSV trip
        ("'0012345", None, "0012345"), ("'012345681", 9, "012345681"),  # Excel's text mark
        ("3.001234582E+09", None, "3001234582"), ("3.0012345820E9", None, "3001234582"),
        ("1.2345678E+07", 9, "012345678"),
    ],
)  # fmt: skip
def test_identifiers_stay_text(value: object, width: int | None, expected: str | None) -> None:
    assert n.identifier(value, "FEI number", width) == expected


@pytest.mark.parametrize(
    ("value", "width"),
    [
        ("12AB", None), (1.5, None), ("123456", 9), ("1234567890", 9), ("٣٤٥", None),
        ("3.00123E+09", None), ("1.5E0", None),  # digits rounded away; not whole
    ],
)  # fmt: skip
def test_bad_identifiers(value: object, width: int | None) -> None:
    with pytest.raises(n.CellProblem):
        n.identifier(value, "DUNS number", width)


def test_emails_lists_and_outcomes() -> None:
    assert n.email_value("mailto:a@b.example") == "a@b.example"
    assert n.email_value("Anna <anna@b.example>") == "anna@b.example"
    assert n.email_value("a@b.example; c@d.example") == "a@b.example"
    with pytest.raises(n.CellProblem, match="not an email"):
        n.email_value("anna at example")
    assert n.list_value("API MANUFACTURE; PACK") == ["API MANUFACTURE", "PACK"]
    assert n.list_value("api, Oral Solids,,API\nbiologics") == ["API", "Oral solids", "Biologics"]
    assert n.list_value(" ; ") is None
    for text, code in [
        ("NAI", "NAI"),
        ("No Action Indicated (NAI)", "NAI"),
        ("vai", "VAI"),
        ("Official Action Indicated", "OAI"),
    ]:
        assert n.outcome_value(text) == code
    with pytest.raises(n.CellProblem):
        n.outcome_value("Pending")


def test_cell_text_shows_what_excel_shows() -> None:
    assert n.cell_text(3004567890.0) == "3004567890"
    assert n.cell_text(1.25) == "1.25"
    assert n.cell_text(datetime(2025, 3, 5)) == "2025-03-05"
    assert n.cell_text(datetime(2025, 3, 5, 8, 30)) == "2025-03-05 08:30:00"
    assert n.cell_text(True) == "TRUE" and n.cell_text(None) == ""


names = st.text(
    alphabet=st.sampled_from(list("aZ &.-,'éüß北京 0GmbHLtdCo")), min_size=1, max_size=30
)


@settings(max_examples=400, deadline=None)
@given(
    name=names,
    legal=st.one_of(st.just(""), names),
    country=st.sampled_from(["", "DE", "KR", "US"]),
    city=st.sampled_from(["", "Zürich", "São Paulo", "St. Louis"]),
    caps=st.lists(
        st.sampled_from(["API", "Sterile fill-finish", "R&D", "Oral solids"]), max_size=3
    ),
)
def test_fast_derived_columns_equal_the_cmo_service(name, legal, country, city, caps) -> None:
    cmo = CMO(name=name, legal_name=legal, country=country, city=city, capabilities=caps)
    row = {
        "name": name,
        "legal_name": legal,
        "country": country,
        "city": city,
        "capabilities": caps,
    }
    assert derived_columns(row) == {"name_key": name_key(name), "search_text": search_text(cmo)}
