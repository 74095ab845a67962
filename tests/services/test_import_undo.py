"""Undoing an import: created suppliers go, updated ones get their values back, unless later
work would be lost."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.cmo import CMO, Contact
from planner.domain.engagement import Engagement
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.import_suppliers import (
    UndoRefused,
    list_batches,
    run_import,
    undo_import,
)
from tests.excel.builders import store_counts, write_xlsx

HEADERS = ["Company Name", "Country", "City", "Last Inspection", "Contact Name", "E-mail"]


def test_undo_created_rows_restores_the_store(store, tmp_path) -> None:
    before = store_counts(store)
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            HEADERS,
            ["Alpha", "DE", "Bonn", "2024-01-02", "Al", "al@a.example"],
            ["Beta", "FR", "", "", "", ""],
        ],
    )
    result = run_import(store, path)
    assert result.created == 2
    undone = undo_import(store)
    assert (undone.batch_id, undone.removed, undone.restored) == (result.batch_id, 2, 0)
    after = store_counts(store)
    assert (after["cmo"], after["contact"]) == (before["cmo"], before["contact"])
    [batch] = list_batches(store)
    assert batch.undone and (batch.created, batch.file_name) == (2, "a.xlsx")


def test_undo_update_restores_values_and_contacts(store, tmp_path) -> None:
    service = CmoService(store)
    original = service.create(
        CMO(
            name="Gamma Labs",
            country="IT",
            city="Milano",
            last_inspection_date=date(2020, 5, 6),
            capabilities=["API"],
            contacts=[Contact("Gia", "QA", "gia@gamma.example")],
        )
    )
    path = write_xlsx(
        tmp_path / "u.xlsx",
        [
            HEADERS + ["Capabilities"],
            ["GAMMA LABS", "Italy", "Roma", "2025-02-03", "Gio", "gio@gamma.example", "Biologics"],
        ],
    )
    result = run_import(store, path)
    assert (result.created, result.updated) == (0, 1)
    changed = service.get(original.id)
    assert (changed.city, changed.capabilities, len(changed.contacts)) == ("Roma", ["Biologics"], 2)
    assert "roma" not in original.city.lower()

    undone = undo_import(store, result.batch_id)
    assert (undone.removed, undone.restored) == (0, 1)
    restored = service.get(original.id)
    assert restored.city == "Milano"
    assert restored.last_inspection_date == date(2020, 5, 6)
    assert restored.capabilities == ["API"]
    assert [(c.name, c.email) for c in restored.contacts] == [("Gia", "gia@gamma.example")]
    assert CmoService(store).list_rows("milano")[0].id == original.id  # search text rebuilt


def test_undo_refused_after_a_later_edit_names_the_supplier(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "e.xlsx",
        [HEADERS, ["Delta", "DE", "", "", "", ""], ["Epsilon", "DE", "", "", "", ""]],
    )
    result = run_import(store, path)
    service = CmoService(store)
    delta = service.get(service.find_by_name("Delta").id)
    delta.city = "Köln"
    service.update(delta)
    before = store_counts(store)
    with pytest.raises(UndoRefused, match=r"1 supplier \(Delta\) changed after it"):
        undo_import(store, result.batch_id)
    assert store_counts(store) == before


def test_undo_refused_after_a_contact_only_edit(store, tmp_path) -> None:
    result = run_import(
        store, write_xlsx(tmp_path / "c.xlsx", [HEADERS, ["Zeta", "DE", "", "", "", ""]])
    )
    service = CmoService(store)
    zeta = service.get(service.find_by_name("Zeta").id)
    zeta.contacts.append(Contact("Zoe"))
    service.update(zeta)
    with pytest.raises(UndoRefused, match="Zeta"):
        undo_import(store, result.batch_id)


def test_undo_refused_when_a_created_supplier_is_in_use(store, tmp_path) -> None:
    result = run_import(
        store, write_xlsx(tmp_path / "g.xlsx", [HEADERS, ["Eta", "DE", "", "", "", ""]])
    )
    eta = CmoService(store).find_by_name("Eta")
    EngagementService(store).create(Engagement(title="Tech transfer", candidate_ids=[eta.id]))
    with pytest.raises(UndoRefused, match="used in engagements"):
        undo_import(store, result.batch_id)


def test_undo_twice_and_nothing_to_undo(store, tmp_path) -> None:
    with pytest.raises(UndoRefused, match="no import left"):
        undo_import(store)
    result = run_import(
        store, write_xlsx(tmp_path / "t.xlsx", [HEADERS, ["Theta", "DE", "", "", "", ""]])
    )
    undo_import(store)
    with pytest.raises(UndoRefused, match="already undone"):
        undo_import(store, result.batch_id)
    with pytest.raises(UndoRefused, match="no import with id 999"):
        undo_import(store, 999)
    assert isinstance(UndoRefused("x"), ValueError)


def test_later_import_blocks_undo_of_the_earlier_one_until_undone(store, tmp_path) -> None:
    first = run_import(
        store, write_xlsx(tmp_path / "1.xlsx", [HEADERS, ["Iota", "DE", "Bonn", "", "", ""]])
    )
    second = run_import(
        store, write_xlsx(tmp_path / "2.xlsx", [HEADERS, ["Iota", "DE", "Köln", "", "", ""]])
    )
    assert second.updated == 1
    with pytest.raises(UndoRefused, match="Iota"):
        undo_import(store, first.batch_id)
    assert undo_import(store).batch_id == second.batch_id  # latest first
    assert undo_import(store).batch_id == first.batch_id
    assert CmoService(store).count() == 0
    assert [b.id for b in list_batches(store)] == [second.batch_id, first.batch_id]
