from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.store.models.base import Base, utcnow
from planner.store.models.suppliers import CmoRow


class EngagementRow(Base):
    __tablename__ = "engagement"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    program: Mapped[str] = mapped_column(String(100), default="")
    service_type: Mapped[str] = mapped_column(String(200), default="")
    relationship_type: Mapped[str] = mapped_column(String(30), default="transactional")
    stage: Mapped[str] = mapped_column(String(20), default="consideration")
    owner: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None]
    target_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    chosen_cmo_id: Mapped[int | None] = mapped_column(ForeignKey("cmo.id", ondelete="SET NULL"))
    # Bumped whenever a milestone of this engagement changes; packs record which version they carry.
    timeline_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    chosen_cmo: Mapped[CmoRow | None] = relationship(foreign_keys=[chosen_cmo_id])
    candidates: Mapped[list[EngagementCandidateRow]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan"
    )


class EngagementCandidateRow(Base):
    __tablename__ = "engagement_candidate"

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True
    )
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    engagement: Mapped[EngagementRow] = relationship(back_populates="candidates")
    cmo: Mapped[CmoRow] = relationship()
