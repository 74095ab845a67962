"""What happened: packs sent, responses received, imports, changes, and store-wide settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.store.models.base import Base, utcnow


class PackRow(Base):
    """The disclosure register: one row per alignment pack exported."""

    __tablename__ = "pack"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID, also in the pack file
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="RESTRICT"), index=True
    )
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="RESTRICT"), index=True)
    criteria_version: Mapped[int | None]
    timeline_version: Mapped[int | None]
    file_name: Mapped[str] = mapped_column(String(500), default="")
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    pdf_hash: Mapped[str] = mapped_column(String(64), default="")
    disclosed: Mapped[dict] = mapped_column(
        default=dict
    )  # {asset_code: {"level": n, "fields": [...]}}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class PackResponseRow(Base):
    __tablename__ = "pack_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(String(500), default="")
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    answers: Mapped[list] = mapped_column(default=list)
    ignored_edits: Mapped[list] = mapped_column(default=list)


class ImportBatchRow(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    sheet: Mapped[str] = mapped_column(String(200), default="")
    mapping: Mapped[dict] = mapped_column(default=dict)
    policy: Mapped[str] = mapped_column(String(10), default="update")
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(default=list)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    undone_at: Mapped[datetime | None]


class ImportBatchItemRow(Base):
    """What an import did to one CMO, with the values it replaced, so the import can be undone."""

    __tablename__ = "import_batch_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    cmo_id: Mapped[int] = mapped_column(index=True)  # no FK: the CMO may be deleted later
    action: Mapped[str] = mapped_column(String(10))  # created | updated
    before: Mapped[dict] = mapped_column(default=dict)
    after_updated_at: Mapped[datetime | None]


class MappingProfileRow(Base):
    __tablename__ = "mapping_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    header_signature: Mapped[str] = mapped_column(String(64), index=True)
    headers: Mapped[list] = mapped_column(default=list)
    mapping: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeLogRow(Base):
    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(200), default="")
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(default=dict)  # {field: [old, new]}
    summary: Mapped[str] = mapped_column(Text, default="")


class StoreSettingRow(Base):
    """Store-wide facts: the store's own id (packs name it), the sponsor's name."""

    __tablename__ = "store_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
