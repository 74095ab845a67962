import pytest

from planner.domain.countries import country_name, to_alpha2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germany", "DE"),
        ("DEU", "DE"),
        ("de", "DE"),
        ("USA", "US"),
        ("United States", "US"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Korea, South", "KR"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Schweiz", "CH"),
        ("Türkiye", "TR"),
        ("China", "CN"),
        ("India", "IN"),
        ("  italy ", "IT"),
    ],
)
def test_known_forms(text: str, code: str) -> None:
    assert to_alpha2(text) == code


@pytest.mark.parametrize("text", ["", "Atlantis", "XX", "123"])
def test_unknown_forms(text: str) -> None:
    assert to_alpha2(text) is None


def test_country_name_prefers_common_name() -> None:
    assert country_name("KR") in {"Korea, Republic of", "South Korea"}
    assert country_name("DE") == "Germany"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Frankreich", "FR"), ("Vereinigte Staaten", "US"), ("Großbritannien", "GB"),
        ("Niederlande", "NL"), ("Dänemark", "DK"), ("Royaume-Uni", "GB"), ("États-Unis", "US"),
        ("Allemagne", "DE"), ("Paesi Bassi", "NL"), ("Reino Unido", "GB"), ("Südkorea", "KR"),
    ],
)  # fmt: skip
def test_names_in_european_languages(name: str, code: str) -> None:
    assert to_alpha2(name) == code


def test_namibia_keeps_its_code() -> None:
    assert to_alpha2("NA") == "NA"
