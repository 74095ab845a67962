import zipfile
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from planner.services.disclosure_register import DisclosureRegister
from planner.services.engagements import EngagementService
from tests.ui.conftest import save_screenshot


def open_dialog(window, store, program: str):
    engagement = EngagementService(store).find(program)
    window.nav.setCurrentRow(1)
    window.engagements.select_id(engagement.id)
    window.engagements.export_button.click()
    return window.engagements.export_dialog, engagement


def test_preview_then_export_records_the_pack(
    qtbot, demo_store, make_window, tmp_path, monkeypatch
) -> None:
    window = make_window(demo_store)
    dialog, engagement = open_dialog(window, demo_store, "ORP-2417")
    titles = [dialog.preview.tabText(i) for i in range(dialog.preview.count())]
    assert titles[0] == "Cover" and "Pipeline outlook" in titles and len(titles) >= 5
    assert "CDA" in dialog.warnings.text()  # the expiring CDA is flagged before export
    save_screenshot(dialog, "export_pack_preview")
    target = tmp_path / "pack.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.with_pdf.setChecked(True)
    dialog.export_button.click()
    assert target.exists() and target.with_suffix(".pdf").exists()
    assert zipfile.is_zipfile(target)
    assert "recorded in the disclosure register" in dialog.outcome.text()
    assert dialog.open_folder.isVisible()
    packs = DisclosureRegister(demo_store).packs()
    assert [p.file_name for p in packs] == ["pack.xlsx"]
    save_screenshot(dialog, "export_pack_done")


def test_a_blocked_cmo_cannot_be_exported(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    dialog, _ = open_dialog(window, demo_store, "ORP-5530")
    lianyun = dialog.cmo.findText("Lianyun Nucleic Acid Manufacturing")
    dialog.cmo.setCurrentIndex(lianyun)
    assert not dialog.export_button.isEnabled()
    assert "Cannot be exported" in dialog.warnings.text()


def test_export_for_all_candidates(qtbot, demo_store, make_window, tmp_path, monkeypatch) -> None:
    window = make_window(demo_store)
    dialog, _ = open_dialog(window, demo_store, "ORP-5530")
    assert dialog.all_button.isVisible()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    dialog.all_button.click()
    written = sorted(p.name for p in Path(tmp_path).glob("*.xlsx"))
    assert len(written) == 2  # Lianyun is refused: its CDA expired
    assert "Refused" in dialog.outcome.text() and "Lianyun" in dialog.outcome.text()
