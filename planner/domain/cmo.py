"""Supplier organisations (CMO sites) with their contacts and agreements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from planner.domain.enums import AgreementType, InspectionOutcome


@dataclass
class Contact:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    id: int | None = None


@dataclass
class Agreement:
    type: AgreementType
    effective_date: date | None = None
    expiry_date: date | None = None
    scope: str = ""
    id: int | None = None

    def in_force_on(self, day: date) -> bool:
        """An agreement without an effective date is taken as not yet signed."""
        if self.effective_date is None or self.effective_date > day:
            return False
        return self.expiry_date is None or self.expiry_date >= day

    def expires_within(self, day: date, days: int) -> bool:
        if self.expiry_date is None or not self.in_force_on(day):
            return False
        return (self.expiry_date - day).days <= days


@dataclass
class CMO:
    name: str
    country: str = ""  # ISO 3166 alpha-2, "" when unknown
    city: str = ""
    legal_name: str = ""
    parent_company: str = ""
    address: str = ""
    website: str = ""
    fei_number: str = ""
    duns_number: str = ""
    capabilities: list[str] = field(default_factory=list)
    dosage_forms: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    last_inspection_date: date | None = None
    last_inspection_outcome: InspectionOutcome | None = None
    capacity_notes: str = ""
    ownership_change_date: date | None = None
    notes: str = ""
    contacts: list[Contact] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    source_import_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class CmoRow:
    """One line of the supplier directory: what the table and `list cmos` show."""

    id: int
    name: str
    country: str
    city: str
    capabilities: tuple[str, ...]
    fei_number: str
    duns_number: str
    last_inspection_outcome: str


class CmoRuleError(ValueError):
    """A CMO that may not be stored as it is; the message is for the user."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def check_cmo(cmo: CMO) -> None:
    if not cmo.name.strip():
        raise CmoRuleError("A CMO needs a name.")
    if cmo.country and (
        len(cmo.country) != 2 or not cmo.country.isalpha() or not cmo.country.isupper()
    ):
        raise CmoRuleError(f"Country '{cmo.country}' is not an ISO 3166 alpha-2 code.")
    for ident, label in ((cmo.fei_number, "FEI number"), (cmo.duns_number, "DUNS number")):
        if ident and not ident.isdigit():
            raise CmoRuleError(f"The {label} may hold digits only ('{ident}').")
    for contact in cmo.contacts:
        if not contact.name.strip():
            raise CmoRuleError("Every contact needs a name.")
        if contact.email and not is_email(contact.email):
            raise CmoRuleError(f"'{contact.email}' is not an email address.")
    for agreement in cmo.agreements:
        if (
            agreement.effective_date
            and agreement.expiry_date
            and agreement.expiry_date < agreement.effective_date
        ):
            raise CmoRuleError(f"The {agreement.type.value} expires before it takes effect.")
