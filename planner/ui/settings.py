"""User settings, declared once with their defaults; QSettings stores them per user."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_VERSION = 1

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/page": 0,
    "engagements/splitter": QByteArray(),
}

# Keys renamed between versions: old -> new. Applied once when an older file is opened.
RENAMED: dict[str, str] = {}


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or QSettings()
        if self._version() < SETTINGS_VERSION:
            for old, new in RENAMED.items():
                if self._q.contains(old):
                    self._q.setValue(new, self._q.value(old))
                    self._q.remove(old)
            self._q.setValue("settings/version", SETTINGS_VERSION)

    def _version(self) -> int:
        try:  # a hand-edited or damaged settings file must not stop the app from starting
            return int(str(self._q.value("settings/version", 0) or 0))
        except ValueError:
            return 0

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value = self._q.value(key, default)
        if isinstance(default, int) and not isinstance(value, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        if isinstance(default, QByteArray) and not isinstance(value, QByteArray):
            return default
        return value

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(f"Undeclared setting {key}")
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()
