"""Alembic migrations run at start-up; a store from a newer version is refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from planner.store.errors import NotAPlannerStore, StoreTooNew

SCRIPT_LOCATION = Path(__file__).with_name("alembic")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pending(engine: Engine) -> tuple[str | None, str]:
    """(current, head) after refusing stores this version cannot handle."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is None and tables - {"alembic_version"}:
        raise NotAPlannerStore(
            "This database belongs to another program (it has tables but no planner schema)."
        )
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:  # unknown revision: written by a newer planner
            raise StoreTooNew(
                f"This store was written by a newer version of the planner (schema {current}). "
                "Update the planner to open it."
            ) from exc
    return current, head


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
