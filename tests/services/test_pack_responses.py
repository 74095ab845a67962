from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import delete, func, select

from planner.excel import pack_layout as layout
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.pack_identity import STORE_ID_SETTING
from planner.services.pack_responses import (
    ResponseRefused,
    import_response,
    latest_answers,
    responses,
    sent_packs,
)
from planner.services.packs import ExportResult, export_pack
from planner.store.models import PackResponseRow, PackRow, StoreSettingRow
from planner.store.store import open_store


@pytest.fixture
def sent(demo_store, tmp_path: Path) -> ExportResult:
    eid = EngagementService(demo_store).find("ORP-2417").id
    cid = CmoService(demo_store).find_by_name("Kestrelmoor Chimica Milano").id
    return export_pack(demo_store, eid, cid, tmp_path / "pack.xlsx")


def fill(pack: Path, out: Path, changes: dict[tuple[str, str], object]) -> Path:
    """What the CMO does: open the pack in another program, type, save under a new name."""
    wb = openpyxl.load_workbook(pack)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    wb.save(out)
    return out


def response_row(pack: Path, key: str) -> int:
    wb = openpyxl.load_workbook(pack)
    for row in wb[layout.META_SHEET].iter_rows(values_only=True):
        if row[0] == "response" and row[2] == key:
            return int(row[1])
    raise KeyError(key)


def test_round_trip_through_another_spreadsheet_program(demo_store, sent, tmp_path) -> None:
    milestone_key = next(k for k in _keys(sent.path) if k.startswith("milestone:"))
    m = response_row(sent.path, milestone_key)
    back = fill(
        sent.path,
        tmp_path / "from Kestrelmoor.xlsx",
        {
            ("Your response", "E5"): "Yes",
            ("Your response", "F5"): "With conditions",
            ("Your response", "H5"): '=HYPERLINK("http://evil.example","x")',
            ("Your response", f"E{m}"): "No",
            ("Your response", f"F{m}"): "No",
            ("Your response", f"G{m}"): datetime(2027, 9, 1),
            ("Your response", f"H{m}"): "Our OEB 5 suite is booked until August.",
            ("Evaluation criteria", "D5"): 99,  # a weight changed: ignored
            ("Timeline", "B5"): "Moved by us",
        },
    )
    result = import_response(demo_store, back)
    assert result.first and not result.duplicate and result.answered == 2
    assert result.pack_id == sent.pack_id and result.cmo == "Kestrelmoor Chimica Milano"
    answers = {a.key: a for a in result.answers}
    first = result.answers[0]
    assert (first.acknowledged, first.feasible) == ("Yes", "With conditions")
    assert first.comment == '=HYPERLINK("http://evil.example","x")'
    milestone = answers[milestone_key]
    assert milestone.proposed_date == date(2027, 9, 1)
    assert {(e.sheet, e.cell, e.change) for e in result.ignored} == {
        ("Evaluation criteria", "D5", "changed"),
        ("Timeline", "B5", "changed"),
    }
    assert {(c.key, c.field) for c in result.changes} == {
        (first.key, "acknowledged"),
        (first.key, "feasible"),
        (first.key, "comment"),
        (milestone.key, "acknowledged"),
        (milestone.key, "feasible"),
        (milestone.key, "proposed_date"),
        (milestone.key, "comment"),
    }
    (stored,) = responses(demo_store, sent.pack_id)
    assert stored.answers == result.answers and stored.ignored == result.ignored
    assert latest_answers(demo_store, sent.pack_id)[milestone.key].feasible == "No"
    assert result.to_json()["ignored_edits"][0]["sheet"] in ("Evaluation criteria", "Timeline")


def test_a_second_response_reports_what_changed(demo_store, sent, tmp_path) -> None:
    first = fill(sent.path, tmp_path / "r1.xlsx", {("Your response", "E5"): "Yes"})
    import_response(demo_store, first)
    second = fill(
        first, tmp_path / "r2.xlsx", {("Your response", "E5"): "No", ("Your response", "H6"): "ok"}
    )
    result = import_response(demo_store, second)
    assert not result.first
    assert [(c.field, c.before, c.after) for c in result.changes] == [
        ("acknowledged", "Yes", "No"),
        ("comment", None, "ok"),
    ]
    again = import_response(demo_store, second)
    assert again.duplicate and again.changes == ()
    with demo_store.reading() as s:
        assert s.scalar(select(func.count()).select_from(PackResponseRow)) == 2


def test_an_edited_identification_is_refused(demo_store, sent, tmp_path) -> None:
    back = fill(sent.path, tmp_path / "r.xlsx", {(layout.META_SHEET, "B5"): "1"})
    with pytest.raises(ResponseRefused, match="identification was altered after export"):
        import_response(demo_store, back)
    with demo_store.reading() as s:
        assert s.scalar(select(func.count()).select_from(PackResponseRow)) == 0


def test_a_pack_from_another_store_is_refused(sent, tmp_path) -> None:
    with open_store(tmp_path / "other" / "planner.db") as other:
        with pytest.raises(ResponseRefused, match="another planner store"):
            import_response(other, sent.path)
        with other.transaction() as s:
            s.add(StoreSettingRow(key=STORE_ID_SETTING, value="someone-else"))
            s.add(StoreSettingRow(key="pack_signing_key", value="00" * 32))
        with pytest.raises(ResponseRefused, match="another planner store"):
            import_response(other, sent.path)


def test_a_pack_the_register_does_not_know_is_refused(demo_store, sent) -> None:
    with demo_store.transaction() as s:
        s.execute(delete(PackRow).where(PackRow.id == sent.pack_id))
    with pytest.raises(ResponseRefused, match=f"pack {sent.pack_id}, which this store has no"):
        import_response(demo_store, sent.path)


def test_files_that_are_not_packs_are_refused_in_one_line(demo_store, tmp_path) -> None:
    plain = tmp_path / "suppliers.xlsx"
    openpyxl.Workbook().save(plain)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    missing = tmp_path / "missing.xlsx"
    for path, reason in (
        (plain, "no pack identification"),
        (text, "not an alignment pack"),
        (missing, "does not exist"),
    ):
        with pytest.raises(ResponseRefused, match=reason) as caught:
            import_response(demo_store, path)
        assert "\n" not in str(caught.value)


def _keys(pack: Path) -> list[str]:
    wb = openpyxl.load_workbook(pack)
    return [r[2] for r in wb[layout.META_SHEET].iter_rows(values_only=True) if r[0] == "response"]


def test_sent_packs_say_which_still_await_a_response(demo_store, sent, tmp_path) -> None:
    (pack,) = sent_packs(demo_store, cmo_id=sent.cmo_id)
    assert pack.pack_id == sent.pack_id and pack.awaiting_response
    assert pack.cmo == "Kestrelmoor Chimica Milano" and pack.sent_at.tzinfo is not None
    import_response(
        demo_store, fill(sent.path, tmp_path / "r.xlsx", {("Your response", "E5"): "Yes"})
    )
    (pack,) = sent_packs(demo_store, engagement_id=sent.engagement_id)
    assert pack.responses == 1 and pack.last_response_at is not None
    assert sent_packs(demo_store, engagement_id=sent.engagement_id + 100) == []
