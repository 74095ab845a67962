import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.disclosure_levels import (
    ALL_FIELDS,
    FIELDS,
    NO_FORECAST,
    DisclosureLevel,
    disclose,
    fields_of,
    level_of,
    volume_band,
    withheld_fields,
)
from planner.domain.pipeline import (
    Phase,
    PipelineAsset,
    PipelineRuleError,
    check_asset,
    parse_phase,
)

SECRET_TEXT = {
    "code": "ORP-9XQ7",
    "inn": "zorbulimab",
    "indication": "Refractory zebra fever",
    "manufacturing_needs": "OEB 5 isolator; 2,000 L single-use",
    "timing": "PPQ Q3 2031",
}


def asset(**overrides) -> PipelineAsset:
    values = dict(
        code=SECRET_TEXT["code"],
        inn=SECRET_TEXT["inn"],
        modality="ADC",
        therapeutic_area="Oncology",
        indication=SECRET_TEXT["indication"],
        phase=Phase.PHASE_2,
        volumes={2027: 37.25, 2028: 412.5},
        volume_unit="kg",
        manufacturing_needs=SECRET_TEXT["manufacturing_needs"],
        timing=SECRET_TEXT["timing"],
    )
    values.update(overrides)
    return PipelineAsset(**values)


assets = st.builds(
    PipelineAsset,
    code=st.text(min_size=1, max_size=12),
    inn=st.text(max_size=12),
    modality=st.sampled_from(["ADC", "Peptide", "siRNA", ""]),
    therapeutic_area=st.sampled_from(["Oncology", "Neurology", ""]),
    indication=st.text(max_size=20),
    phase=st.none() | st.sampled_from(list(Phase)),
    volumes=st.dictionaries(
        st.integers(2020, 2040),
        st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
        max_size=5,
    ),
    volume_unit=st.sampled_from(["g", "kg", "t"]),
    manufacturing_needs=st.text(max_size=20),
    timing=st.text(max_size=20),
)
levels = st.sampled_from(list(DisclosureLevel))


def test_the_field_table_of_the_module_docstring() -> None:
    assert FIELDS[DisclosureLevel.NONE] == ()
    assert set(FIELDS[DisclosureLevel.AGGREGATE]) == {
        "modality",
        "therapeutic_area",
        "phase_band",
        "volume_band",
    }
    assert set(FIELDS[DisclosureLevel.PROGRAM]) - set(FIELDS[DisclosureLevel.AGGREGATE]) == {
        "code",
        "phase",
        "timing",
        "volumes",
        "volume_unit",
    }
    assert set(FIELDS[DisclosureLevel.FULL]) - set(FIELDS[DisclosureLevel.PROGRAM]) == {
        "inn",
        "indication",
        "manufacturing_needs",
    }
    assert ALL_FIELDS == FIELDS[DisclosureLevel.FULL]


def test_l1_reveals_bands_and_nothing_identifying() -> None:
    shown = disclose(asset(), 1)
    assert shown == {
        "modality": "ADC",
        "therapeutic_area": "Oncology",
        "phase_band": "early",
        "volume_band": "100–1,000 kg a year",
    }
    text = json.dumps(shown)
    for secret in SECRET_TEXT.values():
        assert secret not in text
    assert "37.25" not in text and "412.5" not in text and "Phase 2" not in text


def test_l2_adds_program_dates_and_forecast_but_not_inn_or_indication() -> None:
    shown = disclose(asset(), 2)
    assert shown["code"] == "ORP-9XQ7"
    assert shown["phase"] == "Phase 2"
    assert shown["volumes"] == {"2027": 37.25, "2028": 412.5}
    assert shown["timing"] == "PPQ Q3 2031"
    for withheld in ("inn", "indication", "manufacturing_needs"):
        assert withheld not in shown
    assert SECRET_TEXT["inn"] not in json.dumps(shown)


def test_l3_is_the_full_technical_package() -> None:
    shown = disclose(asset(), 3)
    assert shown["inn"] == "zorbulimab"
    assert shown["indication"] == SECRET_TEXT["indication"]
    assert shown["manufacturing_needs"] == SECRET_TEXT["manufacturing_needs"]
    assert withheld_fields(3) == ()
    assert set(withheld_fields(1)) == {"code", "phase", "timing", "volumes", "volume_unit"} | {
        "inn",
        "indication",
        "manufacturing_needs",
    }


@pytest.mark.parametrize(
    ("phase", "band"),
    [
        (Phase.PRECLINICAL, "early"),
        (Phase.PHASE_1, "early"),
        (Phase.PHASE_2, "early"),
        (Phase.PHASE_3, "late"),
        (Phase.FILED, "late"),
        (Phase.MARKETED, "late"),
        (None, ""),
    ],
)
def test_phase_bands(phase, band) -> None:
    assert disclose(asset(phase=phase), 1)["phase_band"] == band


@pytest.mark.parametrize(
    ("peak_kg", "band"),
    [
        (None, NO_FORECAST),
        (0.0, "under 10 kg a year"),
        (9.99, "under 10 kg a year"),
        (10.0, "10–100 kg a year"),
        (99.9, "10–100 kg a year"),
        (100.0, "100–1,000 kg a year"),
        (999.0, "100–1,000 kg a year"),
        (1000.0, "over 1 t a year"),
        (5e6, "over 1 t a year"),
    ],
)
def test_volume_bands_are_of_the_peak_year_in_kg(peak_kg, band) -> None:
    assert volume_band(peak_kg) == band


def test_volume_band_converts_units() -> None:
    assert disclose(asset(volumes={2027: 2.0}, volume_unit="t"), 1)["volume_band"] == (
        "over 1 t a year"
    )
    assert disclose(asset(volumes={2027: 50_000.0}, volume_unit="g"), 1)["volume_band"] == (
        "10–100 kg a year"
    )
    assert disclose(asset(volumes={}), 1)["volume_band"] == NO_FORECAST


def test_level_of_rejects_out_of_range() -> None:
    assert level_of(2) is DisclosureLevel.PROGRAM
    with pytest.raises(ValueError, match="0 to 3"):
        level_of(4)
    with pytest.raises(ValueError):
        fields_of(-1)


@given(assets)
def test_l0_discloses_nothing(a: PipelineAsset) -> None:
    assert disclose(a, 0) == {}


@given(assets, levels)
def test_output_has_exactly_the_fields_of_its_level(a: PipelineAsset, level) -> None:
    assert tuple(disclose(a, level)) == FIELDS[level]


@given(assets, st.sampled_from([0, 1, 2]))
def test_each_level_reveals_everything_the_level_below_does(a: PipelineAsset, level: int) -> None:
    lower, higher = disclose(a, level), disclose(a, level + 1)
    assert set(lower) <= set(higher)
    assert all(higher[k] == v for k, v in lower.items())


@given(assets, levels)
def test_output_is_json_friendly(a: PipelineAsset, level) -> None:
    json.dumps(disclose(a, level))


@given(
    st.lists(
        st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=5,
    ),
    st.floats(0.01, 0.99),
)
def test_l1_depends_on_the_band_only_and_carries_no_volume(amounts, factor) -> None:
    volumes = {2027 + i: v for i, v in enumerate(amounts)}
    shown = disclose(asset(volumes=volumes), 1)
    assert all(isinstance(v, str) for v in shown.values())
    assert "volumes" not in shown and "volume_unit" not in shown
    # Same band, other numbers: the L1 output cannot tell them apart.
    peak = max(amounts)
    scaled = {2027: peak, 2031: peak * factor}
    assert disclose(asset(volumes=scaled), 1) == shown
    for value in amounts:
        if value != int(value):  # round numbers may coincide with a band edge in a label
            assert repr(value) not in json.dumps(shown)


def test_parse_phase_accepts_loose_spellings() -> None:
    assert parse_phase("phase 3") is Phase.PHASE_3
    assert parse_phase("P2") is Phase.PHASE_2
    assert parse_phase("preclinical") is Phase.PRECLINICAL
    assert parse_phase("Marketed") is Phase.MARKETED
    assert parse_phase("III") is Phase.PHASE_3
    assert parse_phase("Filed") is Phase.FILED
    assert parse_phase("  ") is None
    with pytest.raises(PipelineRuleError, match="not a phase"):
        parse_phase("Phase 7")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": " "}, "needs a code"),
        ({"volume_unit": "doses"}, "must be given in"),
        ({"volumes": {1999: 1.0}}, "not a forecast year"),
        ({"volumes": {2027: -1.0}}, "zero or more"),
        ({"volumes": {2027: float("nan")}}, "zero or more"),
    ],
)
def test_check_asset(change, message) -> None:
    with pytest.raises(PipelineRuleError, match=message):
        check_asset(asset(**change))
    check_asset(asset())
