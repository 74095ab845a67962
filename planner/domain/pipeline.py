"""Confidential pipeline assets: what the sponsor has coming, before any of it is shared.

Nothing in here decides what may leave the company; `disclosure_levels.disclose` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    """Development phase; the value is what the store and the packs carry."""

    PRECLINICAL = "Preclinical"
    PHASE_1 = "Phase 1"
    PHASE_2 = "Phase 2"
    PHASE_3 = "Phase 3"
    FILED = "Filed"
    MARKETED = "Marketed"

    @property
    def is_late(self) -> bool:
        """Late = pivotal or beyond: what a CMO reads as 'commercial volumes are coming'."""
        return self in (Phase.PHASE_3, Phase.FILED, Phase.MARKETED)


# Mass units a forecast may be given in, with their factor to kilograms. Volume bands are in kg, so
# a unit without a mass (doses, litres) could not be banded and is not accepted.
VOLUME_UNITS: dict[str, float] = {"g": 0.001, "kg": 1.0, "t": 1000.0}

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class PipelineAsset:
    code: str
    inn: str = ""  # international non-proprietary name; "" until one is assigned
    modality: str = ""
    therapeutic_area: str = ""
    indication: str = ""
    phase: Phase | None = None
    # Expected quantity per calendar year, in `volume_unit`; years without a forecast are absent.
    volumes: dict[int, float] = field(default_factory=dict)
    volume_unit: str = "kg"
    manufacturing_needs: str = ""
    timing: str = ""  # key dates in the sponsor's words ("PPQ Q3 2027; launch 2029")
    archived: bool = False
    id: int | None = None

    def volumes_kg(self) -> dict[int, float]:
        factor = VOLUME_UNITS.get(self.volume_unit, 1.0)
        return {year: amount * factor for year, amount in self.volumes.items()}

    def peak_volume_kg(self) -> float | None:
        """The largest yearly forecast in kg; None when nothing is forecast."""
        per_year = self.volumes_kg()
        return max(per_year.values()) if per_year else None


@dataclass(frozen=True)
class PipelineAssetRow:
    """One line of the pipeline register table."""

    id: int
    code: str
    inn: str
    modality: str
    therapeutic_area: str
    phase: str
    peak_volume_kg: float | None
    archived: bool
    decisions: int  # disclosure decisions recorded for it, over all engagements


class PipelineRuleError(ValueError):
    """An asset that may not be stored as it is; the message is for the user."""


def parse_phase(text: str | None) -> Phase | None:
    """Accepts the value or a loose spelling ('phase 3', 'P3', 'III'); None for blank."""
    if text is None or not text.strip():
        return None
    folded = text.strip().lower().replace("phase", "").replace(" ", "")
    if folded[:1] == "p" and folded[1:] in ("1", "2", "3"):  # "P3"
        folded = folded[1:]
    aliases = {
        "preclinical": Phase.PRECLINICAL,
        "1": Phase.PHASE_1,
        "i": Phase.PHASE_1,
        "2": Phase.PHASE_2,
        "ii": Phase.PHASE_2,
        "3": Phase.PHASE_3,
        "iii": Phase.PHASE_3,
        "filed": Phase.FILED,
        "marketed": Phase.MARKETED,
    }
    if folded in aliases:
        return aliases[folded]
    raise PipelineRuleError(
        f"'{text}' is not a phase; use one of {', '.join(p.value for p in Phase)}."
    )


def check_asset(asset: PipelineAsset) -> None:
    if not asset.code.strip():
        raise PipelineRuleError("A pipeline asset needs a code.")
    if asset.volume_unit not in VOLUME_UNITS:
        raise PipelineRuleError(
            f"Volumes must be given in {', '.join(VOLUME_UNITS)} (not '{asset.volume_unit}')."
        )
    for year, amount in asset.volumes.items():
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PipelineRuleError(f"{year} is not a forecast year.")
        if not math.isfinite(amount) or amount < 0:
            raise PipelineRuleError(f"The {year} volume must be a number of zero or more.")
