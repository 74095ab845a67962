"""The base of every wizard: a checklist of steps beside the pages, an inline message line, and
fixed hooks so each page is a small class.

Hooks a page overrides: `enter()` (fill from stored answers), `problem()` (why Next is not
possible yet, or None), `leave()` (persist; False keeps the user on the page).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

DONE, CURRENT, TODO = "✓", "▸", "○"


class StepPage(QWizardPage):
    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.body = QVBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("stepMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        outer = QVBoxLayout(self)
        outer.addLayout(self.body, 1)
        outer.addWidget(self.message)

    # -- hooks ---------------------------------------------------------------------------
    def enter(self) -> None:
        """Fill the page from what is stored (the wizard is resumable)."""

    def problem(self) -> str | None:
        return None

    def leave(self) -> bool:
        return True

    # -- QWizardPage plumbing -----------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802
        self.show_message("")
        self.enter()

    def isComplete(self) -> bool:  # noqa: N802
        return self.problem() is None

    def validatePage(self) -> bool:  # noqa: N802
        problem = self.problem()
        if problem:
            self.show_message(problem)
            return False
        return self.leave()

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def changed(self) -> None:
        """Call when an input changed: re-evaluates Next and the checklist."""
        self.completeChanged.emit()


class ChecklistWizard(QWizard):
    """A QWizard with the list of steps on the left: done, current, still to do."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.steps = QListWidget()
        self.steps.setObjectName("wizardSteps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.steps.setFixedWidth(210)
        self.steps.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { padding: 5px 4px; }"
        )
        side = QWidget()
        layout = QVBoxLayout(side)
        heading = QLabel("Steps")
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(self.steps, 1)
        self._side = side  # PySide does not take ownership through setSideWidget
        self.setSideWidget(side)
        self.currentIdChanged.connect(self._update_steps)
        self.resize(940, 620)

    def add_step(self, page: StepPage) -> int:
        page_id = self.addPage(page)
        QListWidgetItem(f"{TODO}  {page.title()}", self.steps)
        page.completeChanged.connect(self._update_steps)
        return page_id

    def _update_steps(self, *_args: object) -> None:
        current = self.currentId()
        visited = set(self.visitedIds())
        for row, page_id in enumerate(self.pageIds()):
            item = self.steps.item(row)
            page = self.page(page_id)
            if page_id == current:
                mark = CURRENT
            elif page_id in visited and page.isComplete():
                mark = DONE
            else:
                mark = TODO
            item.setText(f"{mark}  {page.title()}")
            font = QFont(item.font())
            font.setBold(page_id == current)
            item.setFont(font)
