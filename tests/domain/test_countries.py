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
