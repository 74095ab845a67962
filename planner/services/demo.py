"""`planner demo`: a realistic portfolio so the app is useful at once. Running it twice changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from planner.domain.cmo import CMO, Agreement, Contact
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, InspectionOutcome, RelationshipType, Stage
from planner.resource_files import resource
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.store.models import CmoRow, EngagementRow, PipelineAssetRow, StoreSettingRow
from planner.store.store import Store


@dataclass
class DemoResult:
    cmos: int = 0
    engagements: int = 0
    assets: int = 0
    timelines: int = 0
    decisions: int = 0
    criteria_sets: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.cmos or self.engagements or self.assets or self.timelines or self.decisions
        )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def cmo_from_json(item: dict) -> CMO:
    outcome = item.get("last_inspection_outcome")
    return CMO(
        name=item["name"],
        legal_name=item.get("legal_name") or "",
        parent_company=item.get("parent_company") or "",
        country=item.get("country") or "",
        city=item.get("city") or "",
        address=item.get("address") or "",
        website=item.get("website") or "",
        fei_number=item.get("fei_number") or "",
        duns_number=item.get("duns_number") or "",
        capabilities=list(item.get("capabilities") or []),
        dosage_forms=list(item.get("dosage_forms") or []),
        certifications=list(item.get("certifications") or []),
        last_inspection_date=_day(item.get("last_inspection_date")),
        last_inspection_outcome=InspectionOutcome(outcome) if outcome else None,
        capacity_notes=item.get("capacity_notes") or "",
        ownership_change_date=_day(item.get("ownership_change_date")),
        notes=item.get("notes") or "",
        contacts=[
            Contact(c["name"], c.get("role", ""), c.get("email", ""), c.get("phone", ""))
            for c in item.get("contacts", [])
        ],
        agreements=[
            Agreement(
                AgreementType(a["type"]),
                _day(a.get("effective_date")),
                _day(a.get("expiry_date")),
                a.get("scope", ""),
            )
            for a in item.get("agreements", [])
        ],
    )


def load_demo(store: Store, source: Path | None = None) -> DemoResult:
    data = json.loads((source or resource("demo", "portfolio.json")).read_text(encoding="utf-8"))
    result = DemoResult()
    cmos = CmoService(store)
    with store.reading() as s:
        known = {name: cid for cid, name in s.execute(select(CmoRow.id, CmoRow.name))}
        titles = set(s.scalars(select(EngagementRow.title)))
        codes = set(s.scalars(select(PipelineAssetRow.code)))
    for item in data["cmos"]:
        if item["name"] not in known:
            known[item["name"]] = cmos.create(cmo_from_json(item)).id
            result.cmos += 1
    engagements = EngagementService(store)
    for item in data["engagements"]:
        if item["title"] in titles:
            continue
        engagements.create(
            Engagement(
                title=item["title"],
                program=item.get("program", ""),
                service_type=item.get("service_type", ""),
                relationship_type=RelationshipType(item["relationship_type"]),
                stage=Stage(item["stage"]),
                owner=item.get("owner", ""),
                start_date=_day(item.get("start_date")),
                target_date=_day(item.get("target_date")),
                notes=item.get("notes", ""),
                candidate_ids=[known[n] for n in item.get("candidates", [])],
                chosen_cmo_id=known[item["chosen"]] if item.get("chosen") else None,
            )
        )
        result.engagements += 1
    with store.transaction() as s:
        for item in data["pipeline_assets"]:
            if item["code"] in codes:
                continue
            s.add(
                PipelineAssetRow(
                    code=item["code"],
                    inn=item.get("inn") or "",
                    modality=item.get("modality", ""),
                    therapeutic_area=item.get("therapeutic_area", ""),
                    indication=item.get("indication", ""),
                    phase=item.get("phase", ""),
                    volumes={str(k): v for k, v in (item.get("volumes") or {}).items()},
                    volume_unit=item.get("volume_unit", "kg"),
                    manufacturing_needs=item.get("manufacturing_needs", ""),
                    timing=item.get("timing", ""),
                )
            )
            result.assets += 1
        if data.get("sponsor") and s.get(StoreSettingRow, "sponsor") is None:
            s.add(StoreSettingRow(key="sponsor", value=data["sponsor"]))
    if source is None:  # the shipped portfolio: add the feature demos that build on it
        from planner.services.demo_criteria import load_criteria_demo
        from planner.services.demo_pipeline import load_pipeline_demo
        from planner.services.demo_timeline import load_timeline_demo

        result.timelines = load_timeline_demo(store)
        result.decisions = load_pipeline_demo(store)
        result.criteria_sets = load_criteria_demo(store)
    return result
