"""The alignment pack as a PDF: the pack's HTML laid out by QTextDocument onto A4 pages.

Qt ships everything needed (no extra dependency); the command line uses it through
`ensure_application()`, which starts an offscreen QGuiApplication when there is no screen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

_APP: QGuiApplication | None = None


def ensure_application() -> None:
    """Fonts and layout need a QGuiApplication; start one offscreen if none runs."""
    global _APP
    if QGuiApplication.instance() is not None:
        return
    if (
        not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and sys.platform.startswith("linux")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP = QGuiApplication(["planner"])


def write_pdf(html: str, path: Path, title: str = "Alignment pack") -> None:
    ensure_application()
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Outsourcing Relationship Planner")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(96)
    document = QTextDocument()
    document.setDefaultStyleSheet(
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; } "
        "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 12px; } "
        "th { background: #e8eef3; text-align: left; } td, th { padding: 3px; }"
    )
    document.setHtml(html)
    layout = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(layout.width(), layout.height()))
    document.print_(writer)
