"""The confidential pipeline register: add, edit, archive and restore assets.

Archived assets are hidden by default and get no new disclosure decisions (existing decisions and
packs stay in the register). Assets are never deleted here: the disclosure register refers to them.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from planner.domain import pipeline as d
from planner.domain.names import fold
from planner.services import changelog
from planner.services.errors import Conflict, NotFound
from planner.store.models import DisclosureDecisionRow, PipelineAssetRow
from planner.store.store import Store

SCALAR_FIELDS = (
    "code",
    "inn",
    "modality",
    "therapeutic_area",
    "indication",
    "volume_unit",
    "manufacturing_needs",
    "timing",
)


def _phase(text: str) -> d.Phase | None:
    try:
        return d.parse_phase(text)
    except d.PipelineRuleError:  # written by an older version or by hand: shown as unknown
        return None


def to_domain(row: PipelineAssetRow) -> d.PipelineAsset:
    volumes: dict[int, float] = {}
    for year, amount in (row.volumes or {}).items():
        if str(year).isdigit() and isinstance(amount, int | float):
            volumes[int(year)] = float(amount)
    return d.PipelineAsset(
        **{f: getattr(row, f) or "" for f in SCALAR_FIELDS},
        phase=_phase(row.phase or ""),
        volumes=dict(sorted(volumes.items())),
        archived=row.archived,
        id=row.id,
    )


def apply_to_row(asset: d.PipelineAsset, row: PipelineAssetRow) -> None:
    for f in SCALAR_FIELDS:
        setattr(row, f, getattr(asset, f).strip())
    row.phase = asset.phase.value if asset.phase else ""
    row.volumes = {str(year): float(asset.volumes[year]) for year in sorted(asset.volumes)}


def _snapshot(asset: d.PipelineAsset) -> dict:
    data = asdict(asset)
    data.pop("id", None)
    data["phase"] = asset.phase.value if asset.phase else ""
    data["volumes"] = {str(y): v for y, v in sorted(asset.volumes.items())}
    return data


class PipelineService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_assets(self, include_archived: bool = False) -> list[d.PipelineAsset]:
        """Sorted by code."""
        query = select(PipelineAssetRow).order_by(func.lower(PipelineAssetRow.code))
        if not include_archived:
            query = query.where(PipelineAssetRow.archived.is_(False))
        with self._store.reading() as s:
            return [to_domain(r) for r in s.scalars(query)]

    def list_rows(
        self, include_archived: bool = False, search: str = ""
    ) -> list[d.PipelineAssetRow]:
        """Register lines; every search word must appear in code, INN, modality, area or phase."""
        decisions = (
            select(DisclosureDecisionRow.asset_id, func.count().label("n"))
            .group_by(DisclosureDecisionRow.asset_id)
            .subquery()
        )
        query = (
            select(PipelineAssetRow, func.coalesce(decisions.c.n, 0))
            .outerjoin(decisions, decisions.c.asset_id == PipelineAssetRow.id)
            .order_by(func.lower(PipelineAssetRow.code))
        )
        if not include_archived:
            query = query.where(PipelineAssetRow.archived.is_(False))
        for term in fold(search).split():
            query = query.where(
                or_(
                    *(
                        func.lower(column).contains(term, autoescape=True)
                        for column in (
                            PipelineAssetRow.code,
                            PipelineAssetRow.inn,
                            PipelineAssetRow.modality,
                            PipelineAssetRow.therapeutic_area,
                            PipelineAssetRow.phase,
                        )
                    )
                )
            )
        with self._store.reading() as s:
            result = []
            for row, count in s.execute(query):
                asset = to_domain(row)
                result.append(
                    d.PipelineAssetRow(
                        id=row.id,
                        code=asset.code,
                        inn=asset.inn,
                        modality=asset.modality,
                        therapeutic_area=asset.therapeutic_area,
                        phase=asset.phase.value if asset.phase else "",
                        peak_volume_kg=asset.peak_volume_kg(),
                        archived=asset.archived,
                        decisions=int(count),
                    )
                )
            return result

    def get(self, asset_id: int) -> d.PipelineAsset:
        with self._store.reading() as s:
            return to_domain(self._load(s, asset_id))

    def find(self, key: str) -> d.PipelineAsset:
        """By code (case-insensitive) or id: what the command line accepts as ASSET."""
        with self._store.reading() as s:
            row = s.scalars(
                select(PipelineAssetRow).where(
                    func.lower(PipelineAssetRow.code) == key.strip().lower()
                )
            ).first()
            if row is None and key.strip().isdigit():
                row = s.get(PipelineAssetRow, int(key))
            if row is None:
                raise NotFound(f"There is no pipeline asset '{key}'.")
            return to_domain(row)

    def create(self, asset: d.PipelineAsset) -> d.PipelineAsset:
        d.check_asset(asset)
        with self._store.transaction() as s:
            self._check_code_free(s, asset.code, None)
            row = PipelineAssetRow(archived=False)
            apply_to_row(asset, row)
            s.add(row)
            s.flush()
            changelog.record(s, "pipeline_asset", row.id, "created", summary=row.code)
            return to_domain(row)

    def update(self, asset: d.PipelineAsset) -> d.PipelineAsset:
        """Edits every field except `archived` (see archive/restore)."""
        d.check_asset(asset)
        if asset.id is None:
            raise NotFound("This pipeline asset has not been saved yet.")
        with self._store.transaction() as s:
            row = self._load(s, asset.id)
            self._check_code_free(s, asset.code, row.id)
            before = _snapshot(to_domain(row))
            apply_to_row(asset, row)
            s.flush()
            changes = changelog.diff(before, _snapshot(to_domain(row)))
            if changes:
                changelog.record(s, "pipeline_asset", row.id, "updated", changes, summary=row.code)
            return to_domain(row)

    def archive(self, asset_id: int) -> d.PipelineAsset:
        return self._set_archived(asset_id, True)

    def restore(self, asset_id: int) -> d.PipelineAsset:
        return self._set_archived(asset_id, False)

    def _set_archived(self, asset_id: int, archived: bool) -> d.PipelineAsset:
        with self._store.transaction() as s:
            row = self._load(s, asset_id)
            if row.archived != archived:
                row.archived = archived
                changelog.record(
                    s,
                    "pipeline_asset",
                    row.id,
                    "archived" if archived else "restored",
                    {"archived": [not archived, archived]},
                    summary=row.code,
                )
            return to_domain(row)

    @staticmethod
    def _check_code_free(s: Session, code: str, own_id: int | None) -> None:
        clash = s.scalars(
            select(PipelineAssetRow.id).where(
                func.lower(PipelineAssetRow.code) == code.strip().lower()
            )
        ).first()
        if clash is not None and clash != own_id:
            raise Conflict(f"Another pipeline asset already has the code '{code.strip()}'.")

    @staticmethod
    def _load(s: Session, asset_id: int) -> PipelineAssetRow:
        row = s.get(PipelineAssetRow, asset_id)
        if row is None:
            raise NotFound(f"There is no pipeline asset with id {asset_id}.")
        return row
