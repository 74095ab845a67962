"""The supplier directory: CMOs with their contacts and agreements."""

from __future__ import annotations

from dataclasses import asdict
from typing import TypeVar

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from planner.domain import cmo as d
from planner.domain.enums import AgreementType, InspectionOutcome, Stage
from planner.domain.names import fold, name_key, search_text_for
from planner.domain.wording import plural
from planner.services import changelog
from planner.services.errors import Conflict, NotFound
from planner.store.models import AgreementRow, CmoRow, ContactRow, EngagementRow, PackRow
from planner.store.store import Store

_Child = TypeVar("_Child", ContactRow, AgreementRow)

# Fields copied one to one between the domain object and the row.
SCALAR_FIELDS = (
    "name",
    "legal_name",
    "parent_company",
    "country",
    "city",
    "address",
    "website",
    "fei_number",
    "duns_number",
    "last_inspection_date",
    "capacity_notes",
    "ownership_change_date",
    "notes",
)
LIST_FIELDS = ("capabilities", "dosage_forms", "certifications")


def search_text(cmo: d.CMO) -> str:
    return search_text_for(cmo.name, cmo.legal_name, cmo.country, cmo.city, cmo.capabilities)


def search_terms(text: str) -> list[str]:
    return fold(text).split()


def to_domain(row: CmoRow) -> d.CMO:
    cmo = d.CMO(
        **{f: getattr(row, f) for f in SCALAR_FIELDS},
        **{f: list(getattr(row, f) or []) for f in LIST_FIELDS},
        last_inspection_outcome=(
            InspectionOutcome(row.last_inspection_outcome) if row.last_inspection_outcome else None
        ),
        source_import_id=row.source_import_id,
        id=row.id,
    )
    cmo.contacts = [d.Contact(c.name, c.role, c.email, c.phone, id=c.id) for c in row.contacts]
    cmo.agreements = [
        d.Agreement(AgreementType(a.type), a.effective_date, a.expiry_date, a.scope, id=a.id)
        for a in row.agreements
    ]
    return cmo


def apply_to_row(cmo: d.CMO, row: CmoRow) -> None:
    for f in SCALAR_FIELDS:
        value = getattr(cmo, f)
        setattr(row, f, value.strip() if isinstance(value, str) else value)
    for f in LIST_FIELDS:
        setattr(row, f, [v.strip() for v in getattr(cmo, f) if v.strip()])
    row.last_inspection_outcome = (
        cmo.last_inspection_outcome.value if cmo.last_inspection_outcome else ""
    )
    row.name_key = name_key(cmo.name)
    row.search_text = search_text(cmo)
    by_id = {c.id: c for c in row.contacts}
    row.contacts = [
        _fill(
            by_id.get(c.id) or ContactRow(),
            name=c.name.strip(),
            role=c.role.strip(),
            email=c.email.strip(),
            phone=c.phone.strip(),
        )
        for c in cmo.contacts
    ]
    agreements = {a.id: a for a in row.agreements}
    row.agreements = [
        _fill(
            agreements.get(a.id) or AgreementRow(),
            type=a.type.value,
            effective_date=a.effective_date,
            expiry_date=a.expiry_date,
            scope=a.scope.strip(),
        )
        for a in cmo.agreements
    ]


def _fill(target: _Child, **values: object) -> _Child:
    """Update a child row in place (keeping its identity) or fill a new one."""
    for key, value in values.items():
        setattr(target, key, value)
    return target


def _snapshot(cmo: d.CMO) -> dict:
    data = asdict(cmo)
    data["contacts"] = [(c["name"], c["email"]) for c in data["contacts"]]
    data["agreements"] = [(a["type"], str(a["expiry_date"])) for a in data["agreements"]]
    data.pop("id", None)
    return data


class CmoService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def count(self) -> int:
        with self._store.reading() as s:
            return s.scalar(select(func.count()).select_from(CmoRow)) or 0

    def list_rows(self, search: str = "") -> list[d.CmoRow]:
        """Directory lines, sorted by name; every search word must appear (name, country, city, capabilities)."""
        query = select(
            CmoRow.id,
            CmoRow.name,
            CmoRow.country,
            CmoRow.city,
            CmoRow.capabilities,
            CmoRow.fei_number,
            CmoRow.duns_number,
            CmoRow.last_inspection_outcome,
        ).order_by(func.lower(CmoRow.name), CmoRow.id)
        terms = search_terms(search)
        if terms:
            query = query.where(
                and_(*(CmoRow.search_text.contains(t, autoescape=True) for t in terms))
            )
        with self._store.reading() as s:
            return [
                d.CmoRow(
                    r.id,
                    r.name,
                    r.country,
                    r.city,
                    tuple(r.capabilities or ()),
                    r.fei_number,
                    r.duns_number,
                    r.last_inspection_outcome,
                )
                for r in s.execute(query)
            ]

    def names(self, cmo_ids) -> list[tuple[int, str]]:
        """(id, name) of just these CMOs, by name; ids that no longer exist are left out."""
        wanted = list(set(cmo_ids))
        if not wanted:
            return []
        with self._store.reading() as s:
            rows = s.execute(select(CmoRow.id, CmoRow.name).where(CmoRow.id.in_(wanted)))
            return sorted(((r.id, r.name) for r in rows), key=lambda p: (p[1].lower(), p[0]))

    def get(self, cmo_id: int) -> d.CMO:
        with self._store.reading() as s:
            return to_domain(self._load(s, cmo_id))

    def find_by_name(self, name: str) -> d.CMO | None:
        """Exact name first, then the normalised name (so 'alpine pharma' finds 'Alpine Pharma GmbH')."""
        with self._store.reading() as s:
            for clause in (CmoRow.name == name.strip(), CmoRow.name_key == name_key(name)):
                ids = s.scalars(select(CmoRow.id).where(clause).order_by(CmoRow.id)).all()
                if len(ids) == 1:
                    return to_domain(self._load(s, ids[0]))
                if len(ids) > 1:
                    raise Conflict(f"'{name}' names {len(ids)} CMOs; use the id instead.")
        return None

    def create(self, cmo: d.CMO) -> d.CMO:
        d.check_cmo(cmo)
        with self._store.transaction() as s:
            row = CmoRow()
            apply_to_row(cmo, row)
            row.source_import_id = cmo.source_import_id
            s.add(row)
            s.flush()
            changelog.record(s, "cmo", row.id, "created", summary=row.name)
            s.flush()
            return to_domain(row)

    def update(self, cmo: d.CMO) -> d.CMO:
        d.check_cmo(cmo)
        if cmo.id is None:
            raise NotFound("This CMO has not been saved yet.")
        with self._store.transaction() as s:
            row = self._load(s, cmo.id)
            before = _snapshot(to_domain(row))
            apply_to_row(cmo, row)
            s.flush()
            changes = changelog.diff(before, _snapshot(cmo))
            if changes:
                changelog.record(s, "cmo", row.id, "updated", changes, summary=row.name)
            return to_domain(row)

    def delete(self, cmo_id: int) -> None:
        with self._store.transaction() as s:
            row = self._load(s, cmo_id)
            packs = s.scalar(select(func.count()).where(PackRow.cmo_id == cmo_id)) or 0
            if packs:
                raise Conflict(
                    f"{row.name} has received {plural(packs, 'alignment pack')}; the disclosure register "
                    "must keep it, so it cannot be deleted."
                )
            busy = s.scalars(
                select(EngagementRow.title).where(
                    EngagementRow.chosen_cmo_id == cmo_id,
                    EngagementRow.stage != Stage.CONSIDERATION,
                )
            ).all()
            if busy:
                raise Conflict(
                    f"{row.name} is the chosen CMO of: {', '.join(busy)}. Choose another CMO first."
                )
            s.delete(row)
            changelog.record(s, "cmo", cmo_id, "deleted", summary=row.name)

    @staticmethod
    def _load(s: Session, cmo_id: int) -> CmoRow:
        row = s.get(
            CmoRow, cmo_id, options=[selectinload(CmoRow.contacts), selectinload(CmoRow.agreements)]
        )
        if row is None:
            raise NotFound(f"There is no CMO with id {cmo_id}.")
        return row
