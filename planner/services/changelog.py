"""Who changed what: every service that edits records writes here in the same transaction."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from planner.store.models import ChangeLogRow


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def record(
    session: Session,
    entity: str,
    entity_id: object,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    summary: str = "",
) -> None:
    session.add(
        ChangeLogRow(
            user=current_user(),
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            changes=changes or {},
            summary=summary,
        )
    )
