from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.store.models.base import Base, utcnow


class CriteriaSetRow(Base):
    """One version of an engagement's evaluation criteria; frozen once communicated."""

    __tablename__ = "criteria_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    required_roles: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    communicated_at: Mapped[datetime | None]

    criteria: Mapped[list[CriterionRow]] = relationship(
        back_populates="criteria_set",
        cascade="all, delete-orphan",
        order_by="CriterionRow.position",
    )
    sign_offs: Mapped[list[SignOffRow]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("engagement_id", "version"),)


class CriterionRow(Base):
    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_set.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))  # selection | performance
    library_key: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(default=0.0)  # percent; each stage sums to 100
    scale: Mapped[list] = mapped_column(default=list)  # five anchored descriptions, 1..5
    metric: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    target: Mapped[str] = mapped_column(String(100), default="")
    evidence_requested: Mapped[str] = mapped_column(Text, default="")
    knockout: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    criteria_set: Mapped[CriteriaSetRow] = relationship(back_populates="criteria")


class SignOffRow(Base):
    __tablename__ = "sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_set.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))
    person: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None]
    verdict: Mapped[str] = mapped_column(String(30), default="")
    comment: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("criteria_set_id", "role"),)


class ScoreRow(Base):
    """A candidate's proposal score on one selection criterion; score None means N/A."""

    __tablename__ = "proposal_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="CASCADE"), index=True)
    score: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("criterion_id", "cmo_id"),)


class KpiActualRow(Base):
    """A performance KPI's actual for the chosen CMO in one period (e.g. 2026-Q3)."""

    __tablename__ = "kpi_actual"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    cmo_id: Mapped[int] = mapped_column(ForeignKey("cmo.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    actual: Mapped[float | None]
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("criterion_id", "cmo_id", "period"),)
