"""Closed vocabularies of the domain. Values are what the store and the JSON output carry."""

from enum import StrEnum


class Stage(StrEnum):
    CONSIDERATION = "consideration"
    SELECTED = "selected"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RelationshipType(StrEnum):
    TRANSACTIONAL = "transactional"
    PREFERRED_PROVIDER = "preferred_provider"
    STRATEGIC_PARTNERSHIP = "strategic_partnership"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AgreementType(StrEnum):
    CDA = "CDA"
    MSA = "MSA"
    QUALITY = "QUALITY"
    SUPPLY = "SUPPLY"

    @property
    def label(self) -> str:
        return {
            "CDA": "Confidential disclosure (CDA)",
            "MSA": "Master services (MSA)",
            "QUALITY": "Quality agreement",
            "SUPPLY": "Supply agreement",
        }[self.value]


class InspectionOutcome(StrEnum):
    """FDA inspection classification: no action, voluntary action, official action indicated."""

    NAI = "NAI"
    VAI = "VAI"
    OAI = "OAI"


# Suggested capability tags; CMOs may carry others (imports bring their own words).
CAPABILITY_TAGS: tuple[str, ...] = (
    "API",
    "HPAPI",
    "Drug product",
    "Sterile fill-finish",
    "Biologics",
    "Oral solids",
    "Packaging",
    "Analytical",
    "Lyophilisation",
    "Clinical supply",
    "Cell and gene therapy",
    "Peptides",
    "Oligonucleotides",
    "Formulation development",
)
