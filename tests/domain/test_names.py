import pytest

from planner.domain.names import fold, name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Alpine Pharma GmbH", "ALPINE-PHARMA"),
        ("Acme Co., Ltd.", "acme"),
        ("Lonza S.A.", "Lonza"),
        ("Sun Pharma Pvt Ltd", "Sun Pharma"),
        ("Müller & Söhne GmbH & Co. KG", "Muller and Sohne"),
        ("Biocon  Limited", "biocon"),
        ("Catalent Pharma Solutions, LLC", "Catalent Pharma Solutions"),
        ("Dr. Reddy's Laboratories Ltd", "Dr Reddys Laboratories Limited"),
        ("Dr. Reddy\u2019s Laboratories", "DR REDDYS LABORATORIES"),
        ("L'Oréal", "LOreal"),
    ],
)
def test_same_company_same_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_companies_differ() -> None:
    assert name_key("Alpine Pharma") != name_key("Alpine Biologics")


def test_a_name_made_only_of_a_suffix_is_kept() -> None:
    assert name_key("Corp") == "corp"


def test_fold_removes_accents_and_punctuation() -> None:
    assert fold("  Zürich / Bâle ") == "zurich bale"
