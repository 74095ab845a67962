import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from planner.store import migrations
from planner.store.errors import NotAPlannerStore, StoreTooNew
from planner.store.models import Base
from planner.store.store import open_store


def test_empty_store_is_migrated_to_head(store) -> None:
    assert migrations.current_revision(store.engine) == migrations.head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models(store) -> None:
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_downgrade_to_base_and_up_again(store) -> None:
    migrations.downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(store.engine)
    assert migrations.current_revision(store.engine) == migrations.head_revision()


def test_sqlite_pragmas(store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_store_from_a_newer_version_is_refused(store_path) -> None:
    open_store(store_path).close()
    con = sqlite3.connect(store_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreTooNew, match="newer version"):
        open_store(store_path)


def test_database_of_another_program_is_refused(tmp_path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    con.commit()
    con.close()
    with pytest.raises(NotAPlannerStore, match="another program"):
        open_store(path)


def test_backup_is_taken_before_a_pending_migration(store_path, monkeypatch) -> None:
    with open_store(store_path) as s:
        with s.transaction() as session:
            session.execute(
                text("INSERT INTO store_setting (key, value) VALUES ('sponsor', 'Acme')")
            )
    head = migrations.head_revision()
    # Only one revision exists yet: present the store as one revision behind.
    monkeypatch.setattr(migrations, "pending", lambda engine: ("0000_older", head))
    monkeypatch.setattr(migrations, "upgrade", lambda engine, revision="head": None)
    open_store(store_path).close()
    backups = list((store_path.parent / "backups").glob("planner-*-before-migration-0000_older.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT value FROM store_setting").fetchone() == ("Acme",)
    con.close()


def test_no_backup_for_a_new_store(store_path) -> None:
    open_store(store_path).close()
    assert not (store_path.parent / "backups").exists()


def _insert_cmo_row(
    store, name: str, country: str, city: str, capabilities: str, key: str, text_: str
) -> None:
    """A CMO written straight into the table, with derived columns as an older planner left them."""
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cmo (name, legal_name, parent_company, country, city, address, "
                "website, fei_number, duns_number, capabilities, dosage_forms, certifications, "
                "capacity_notes, notes, last_inspection_outcome, name_key, search_text, "
                "created_at, updated_at) VALUES (:name, '', '', :country, :city, '', '', '', '', "
                ":capabilities, '[]', '[]', '', '', '', :key, :text, '2026-01-01', '2026-01-01')"
            ),
            {
                "name": name,
                "country": country,
                "city": city,
                "capabilities": capabilities,
                "key": key,
                "text": text_,
            },
        )


def test_0002_derives_the_name_keys_again(store) -> None:
    migrations.downgrade(store.engine, "0001")
    _insert_cmo_row(
        store,
        "Mueller Pharma GmbH",
        "DE",
        "Köln",
        '["API"]',
        "mueller pharma",
        "mueller pharma gmbh",
    )
    migrations.upgrade(store.engine)
    with store.engine.connect() as conn:
        key, searched = conn.execute(text("SELECT name_key, search_text FROM cmo")).one()
    assert key == "muller pharma"  # the key "Müller Pharma" has
    assert searched == "mueller pharma gmbh de germany koln api"


def test_0003_joins_apostrophes_in_stored_keys(store) -> None:
    migrations.downgrade(store.engine, "0002")
    _insert_cmo_row(
        store,
        "Dr. Reddy's Laboratories Ltd",
        "IN",
        "",
        "[]",
        "dr reddy s laboratories",
        "dr reddy s laboratories ltd in india",
    )
    migrations.upgrade(store.engine)
    with store.engine.connect() as conn:
        key, searched = conn.execute(text("SELECT name_key, search_text FROM cmo")).one()
    assert key == "dr reddys laboratories"
    assert searched == "dr reddys laboratories ltd in india"
