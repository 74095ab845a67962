"""Counts in messages."""

from planner.domain.wording import plural


def test_one_is_singular_and_others_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(2048, "row") == "2,048 rows"


def test_irregular_plurals_are_given() -> None:
    assert plural(3, "entity", "entities") == "3 entities"
    assert plural(1, "entity", "entities") == "1 entity"
