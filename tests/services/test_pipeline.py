import pytest
from sqlalchemy import select

from planner.domain.pipeline import Phase, PipelineAsset, PipelineRuleError
from planner.services.errors import Conflict, NotFound
from planner.services.pipeline import PipelineService
from planner.store.models import ChangeLogRow


def new_asset(code: str = "ORP-9001", **kw) -> PipelineAsset:
    values = dict(
        code=code,
        inn="examplimab",
        modality="Monoclonal antibody",
        therapeutic_area="Immunology",
        indication="Psoriasis",
        phase=Phase.PHASE_2,
        volumes={2027: 12.5, 2028: 40.0},
        manufacturing_needs="CHO fed-batch at 2,000 L",
        timing="Phase 3 start 2028",
    )
    values.update(kw)
    return PipelineAsset(**values)


def test_create_get_and_round_trip(store) -> None:
    service = PipelineService(store)
    created = service.create(new_asset())
    assert created.id is not None
    got = service.get(created.id)
    assert got == created
    assert got.phase is Phase.PHASE_2
    assert got.volumes == {2027: 12.5, 2028: 40.0}


def test_codes_are_unique_case_insensitively(store) -> None:
    service = PipelineService(store)
    service.create(new_asset("ORP-1"))
    with pytest.raises(Conflict, match="already has the code"):
        service.create(new_asset("orp-1"))
    other = service.create(new_asset("ORP-2"))
    other.code = "ORP-1"
    with pytest.raises(Conflict):
        service.update(other)


def test_rules_are_checked_before_writing(store) -> None:
    service = PipelineService(store)
    with pytest.raises(PipelineRuleError):
        service.create(new_asset(volume_unit="vials"))
    assert service.list_assets() == []


def test_update_records_the_change(store) -> None:
    service = PipelineService(store)
    asset = service.create(new_asset())
    asset.phase = Phase.PHASE_3
    asset.volumes = {2029: 100.0}
    updated = service.update(asset)
    assert updated.phase is Phase.PHASE_3 and updated.volumes == {2029: 100.0}
    with store.reading() as s:
        log = s.scalars(select(ChangeLogRow).where(ChangeLogRow.entity == "pipeline_asset")).all()
    assert [r.action for r in log] == ["created", "updated"]
    assert log[1].changes["phase"] == ["Phase 2", "Phase 3"]


def test_archived_assets_are_hidden_by_default_and_can_be_restored(store) -> None:
    service = PipelineService(store)
    kept = service.create(new_asset("ORP-1"))
    gone = service.create(new_asset("ORP-2"))
    assert service.archive(gone.id).archived
    assert [a.code for a in service.list_assets()] == ["ORP-1"]
    assert [a.code for a in service.list_assets(include_archived=True)] == ["ORP-1", "ORP-2"]
    assert [r.code for r in service.list_rows()] == ["ORP-1"]
    assert service.restore(gone.id).archived is False
    assert len(service.list_assets()) == 2
    # update never archives or restores by accident
    kept.archived = True
    assert service.update(kept).archived is False


def test_find_by_code_or_id(store) -> None:
    service = PipelineService(store)
    asset = service.create(new_asset("ORP-77"))
    assert service.find("orp-77").id == asset.id
    assert service.find(str(asset.id)).code == "ORP-77"
    with pytest.raises(NotFound):
        service.find("ORP-404")
    with pytest.raises(NotFound):
        service.get(9999)


def test_list_rows_search_and_peak(store) -> None:
    service = PipelineService(store)
    service.create(new_asset("ORP-1", modality="Peptide", volumes={2027: 2.0}, volume_unit="t"))
    service.create(new_asset("ORP-2", modality="siRNA", therapeutic_area="Cardiovascular"))
    rows = service.list_rows(search="peptide")
    assert [(r.code, r.peak_volume_kg, r.decisions) for r in rows] == [("ORP-1", 2000.0, 0)]
    assert [r.code for r in service.list_rows(search="cardio")] == ["ORP-2"]


def test_demo_assets_read_back(demo_store) -> None:
    service = PipelineService(demo_store)
    codes = [a.code for a in service.list_assets()]
    assert codes == sorted(codes) and len(codes) == 6
    gene = service.find("ORP-0789")
    assert gene.inn == "" and gene.phase is Phase.PRECLINICAL
    assert gene.peak_volume_kg() == pytest.approx(0.05)
