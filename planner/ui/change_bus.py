"""Tells views which parts of the store changed, so each refreshes only what it shows."""

from PySide6.QtCore import QObject, Signal

CMOS = "cmos"
ENGAGEMENTS = "engagements"
PIPELINE = "pipeline"
PACKS = "packs"
ALL = frozenset({CMOS, ENGAGEMENTS, PIPELINE, PACKS})


class ChangeBus(QObject):
    changed = Signal(object)  # frozenset[str] of the parts above

    def notify(self, *parts: str) -> None:
        self.changed.emit(frozenset(parts))
