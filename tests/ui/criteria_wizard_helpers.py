"""Driving the criteria wizard in tests: opening it on a store, ticking, dialogs, screenshots."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from planner.domain.criteria import CriterionStage
from planner.services.cmos import CmoService
from planner.services.criteria_library import CriteriaLibrary
from planner.services.criteria_overview import CriteriaOverviewService
from planner.services.criteria_pairwise import CriteriaPairwiseService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.ui.criteria_pages_criterion import CriterionDialog
from planner.ui.criteria_wizard import CriteriaServices, CriteriaWizard
from tests.ui.conftest import save_screenshot

SEL, KPI = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


class MemoryRecipients:
    """Stands in for the store-backed choice the composition root will pass."""

    def __init__(self) -> None:
        self.saved: dict[int, list[int]] = {}

    def load(self, engagement_id: int) -> list[int] | None:
        return self.saved.get(engagement_id)

    def save(self, engagement_id: int, cmo_ids: list[int]) -> None:
        self.saved[engagement_id] = list(cmo_ids)


def criteria_services(store, recipients=None) -> CriteriaServices:
    def candidates(engagement_id: int) -> list[tuple[int, str]]:
        ids = EngagementService(store).get(engagement_id).candidate_ids
        names = {r.id: r.name for r in CmoService(store).list_rows()}
        return sorted(((i, names[i]) for i in ids), key=lambda p: p[1])

    library = CriteriaLibrary(store)
    return CriteriaServices(
        sets=CriteriaSetService(store, library),
        sign_off=CriteriaSignOffService(store),
        pairwise=CriteriaPairwiseService(store),
        overview=CriteriaOverviewService(store),
        library=library,
        candidates=candidates,
        recipients=recipients,
    )


def open_wizard(qtbot, store, program: str, recipients=None) -> CriteriaWizard:
    engagement = EngagementService(store).find(program)
    wizard = CriteriaWizard(criteria_services(store, recipients), engagement.id, engagement.title)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def current(store, program: str):
    return CriteriaSetService(store).current(EngagementService(store).find(program).id)


def go_next(wizard: CriteriaWizard) -> None:
    before = wizard.currentId()
    wizard.next()
    assert wizard.currentId() != before, wizard.currentPage().blocker.text()


def settle() -> None:
    QApplication.processEvents()  # list rebuilds wait for the end of the item's own signal


def shot(widget, name: str) -> None:
    settle()  # pending layout requests: wrapped labels get their height first
    save_screenshot(widget, name)


def tick(page, *names: str, on: bool = True) -> None:
    for name in names:
        item = next(i for i in page._items() if i.text(0) == name)
        item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        settle()


def ticked(page) -> list[str]:
    return [i.text(0) for i in page._items() if i.checkState(0) == Qt.CheckState.Checked]


def with_dialog(kind: type, act: Callable[[QDialog], None]) -> list[str]:
    """Run `act` on the next modal dialog of `kind` once it is open; failures come back."""
    errors: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        try:
            act(dialog)
        except Exception as exc:  # noqa: BLE001 - reported by the test after exec returns
            errors.append(repr(exc))
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, run)
    return errors


def fill_criterion(dialog: CriterionDialog, name: str, anchors: bool = True, library=False):
    dialog.name.setText(name)
    dialog.description.setPlainText(
        "Capacity to make GalNAc-siRNA duplex at 2–10 kg per campaign with annealing and "
        "lyophilisation in house."
    )
    dialog.evidence.setPlainText("Campaign history for duplexes over 1 kg.")
    if anchors:
        for i, edit in enumerate(dialog.scale, start=1):
            edit.setText(f"Score {i}: {'no' if i == 1 else i * 2} kg campaigns shown.")
    dialog.to_library.setChecked(library)


def weight_of(cs, name: str) -> float:
    return next(c.weight for c in cs.criteria if c.name == name)
