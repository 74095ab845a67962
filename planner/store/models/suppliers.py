from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.store.models.base import Base, utcnow


class CmoRow(Base):
    __tablename__ = "cmo"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    legal_name: Mapped[str] = mapped_column(String(300), default="")
    parent_company: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    fei_number: Mapped[str] = mapped_column(String(20), default="")
    duns_number: Mapped[str] = mapped_column(String(20), default="")
    capabilities: Mapped[list] = mapped_column(default=list)
    dosage_forms: Mapped[list] = mapped_column(default=list)
    certifications: Mapped[list] = mapped_column(default=list)
    last_inspection_date: Mapped[date | None]
    last_inspection_outcome: Mapped[str] = mapped_column(String(3), default="")
    capacity_notes: Mapped[str] = mapped_column(Text, default="")
    ownership_change_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    # Normalised name (legal suffixes, case, accents and punctuation removed) for duplicate matching.
    name_key: Mapped[str] = mapped_column(String(300), default="")
    # Lower-cased name, country, city and capabilities: a portable LIKE target for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    source_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contacts: Mapped[list[ContactRow]] = relationship(
        back_populates="cmo", cascade="all, delete-orphan", order_by="ContactRow.id"
    )
    agreements: Mapped[list[AgreementRow]] = relationship(
        back_populates="cmo", cascade="all, delete-orphan", order_by="AgreementRow.id"
    )

    __table_args__ = (
        Index("ix_cmo_fei_number", "fei_number"),
        Index("ix_cmo_duns_number", "duns_number"),
        Index("ix_cmo_name_key_country", "name_key", "country"),
        Index("ix_cmo_name", "name"),
    )


class ContactRow(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(80), default="")

    cmo: Mapped[CmoRow] = relationship(back_populates="contacts")


class AgreementRow(Base):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[date | None]
    expiry_date: Mapped[date | None]
    scope: Mapped[str] = mapped_column(Text, default="")

    cmo: Mapped[CmoRow] = relationship(back_populates="agreements")
