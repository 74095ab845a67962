"""Disclosure levels and the exact asset fields each one reveals: the one place that decides it.

`disclose(asset, level)` is the single choke point between the confidential pipeline register and
anything that leaves the company (alignment packs, PDFs, the wizard's preview). It returns only the
fields the level reveals; a withheld value is never in its result, not even blanked.

| output field       | what it holds                                      | L0 | L1 | L2 | L3 |
|--------------------|----------------------------------------------------|----|----|----|----|
| modality           | as recorded ("Monoclonal antibody")                |    | x  | x  | x  |
| therapeutic_area   | as recorded ("Oncology")                           |    | x  | x  | x  |
| phase_band         | "early" (preclinical, phase 1, 2) or "late"        |    | x  | x  | x  |
|                    | (phase 3, filed, marketed); "" when unknown        |    |    |    |    |
| volume_band        | band of the peak yearly forecast in kg: under 10,  |    | x  | x  | x  |
|                    | 10–100, 100–1,000 kg, over 1 t a year; or none     |    |    |    |    |
| code               | program code ("ORP-2417")                          |    |    | x  | x  |
| phase              | exact phase ("Phase 3")                            |    |    | x  | x  |
| timing             | key dates in the sponsor's words                   |    |    | x  | x  |
| volumes            | forecast by year {"2027": 60.0, ...}               |    |    | x  | x  |
| volume_unit        | unit of `volumes` ("kg")                           |    |    | x  | x  |
| inn                | international non-proprietary name                 |    |    |    | x  |
| indication         | the disease and population                         |    |    |    | x  |
| manufacturing_needs| process, scale, containment, dosage form           |    |    |    | x  |

L0 reveals nothing (an empty dict). L1 reveals bands, not values: no code, no INN, no indication, no
number from the forecast. Every level reveals everything the level below does (FIELDS is cumulative).
"""

from __future__ import annotations

from enum import IntEnum

from planner.domain.pipeline import PipelineAsset

DisclosedValue = str | dict[str, float]


class DisclosureLevel(IntEnum):
    NONE = 0
    AGGREGATE = 1
    PROGRAM = 2
    FULL = 3

    @property
    def short(self) -> str:
        return f"L{self.value}"

    @property
    def label(self) -> str:
        return {
            0: "L0 – nothing shared",
            1: "L1 – aggregate (modality, area, bands)",
            2: "L2 – program under CDA (code, phase, dates, forecast)",
            3: "L3 – full technical package",
        }[self.value]


_ADDED_AT: dict[DisclosureLevel, tuple[str, ...]] = {
    DisclosureLevel.NONE: (),
    DisclosureLevel.AGGREGATE: ("modality", "therapeutic_area", "phase_band", "volume_band"),
    DisclosureLevel.PROGRAM: ("code", "phase", "timing", "volumes", "volume_unit"),
    DisclosureLevel.FULL: ("inn", "indication", "manufacturing_needs"),
}

# The exact output fields of each level, cumulative, in the order exports show them.
FIELDS: dict[DisclosureLevel, tuple[str, ...]] = {
    level: tuple(f for lower in DisclosureLevel if lower <= level for f in _ADDED_AT[lower])
    for level in DisclosureLevel
}

ALL_FIELDS: tuple[str, ...] = FIELDS[DisclosureLevel.FULL]

FIELD_LABELS: dict[str, str] = {
    "modality": "Modality",
    "therapeutic_area": "Therapeutic area",
    "phase_band": "Development stage",
    "volume_band": "Expected volume (peak year)",
    "code": "Program code",
    "phase": "Phase",
    "timing": "Key dates",
    "volumes": "Forecast volumes by year",
    "volume_unit": "Volume unit",
    "inn": "INN",
    "indication": "Indication",
    "manufacturing_needs": "Manufacturing needs",
}

# Upper bounds in kg per year (exclusive) with their label; the last band is open-ended.
VOLUME_BANDS: tuple[tuple[float, str], ...] = (
    (10.0, "under 10 kg a year"),
    (100.0, "10–100 kg a year"),
    (1000.0, "100–1,000 kg a year"),
    (float("inf"), "over 1 t a year"),
)
NO_FORECAST = "no forecast yet"


def level_of(value: int) -> DisclosureLevel:
    """Raises ValueError with a readable message for anything outside 0..3."""
    try:
        return DisclosureLevel(value)
    except ValueError:
        raise ValueError(f"{value} is not a disclosure level (0 to 3).") from None


def fields_of(level: int) -> tuple[str, ...]:
    return FIELDS[level_of(level)]


def withheld_fields(level: int) -> tuple[str, ...]:
    shown = set(fields_of(level))
    return tuple(f for f in ALL_FIELDS if f not in shown)


def volume_band(peak_kg: float | None) -> str:
    if peak_kg is None:
        return NO_FORECAST
    for upper, label in VOLUME_BANDS:
        if peak_kg < upper:
            return label
    return VOLUME_BANDS[-1][1]


def phase_band(asset: PipelineAsset) -> str:
    if asset.phase is None:
        return ""
    return "late" if asset.phase.is_late else "early"


def _value(asset: PipelineAsset, name: str) -> DisclosedValue:
    if name == "phase_band":
        return phase_band(asset)
    if name == "volume_band":
        return volume_band(asset.peak_volume_kg())
    if name == "phase":
        return asset.phase.value if asset.phase else ""
    if name == "volumes":
        return {str(year): float(asset.volumes[year]) for year in sorted(asset.volumes)}
    value = getattr(asset, name)
    assert isinstance(value, str), name
    return value


def disclose(asset: PipelineAsset, level: int) -> dict[str, DisclosedValue]:
    """What may leave the company about `asset` at `level`: exactly FIELDS[level], nothing else.

    Values are JSON-friendly (strings, and for `volumes` a {year: amount} dict with string keys).
    """
    return {name: _value(asset, name) for name in fields_of(level)}
