from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.store.models.base import Base


class MilestoneRow(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    template_key: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(300))
    planned_date: Mapped[date | None]
    owner: Mapped[str] = mapped_column(String(20), default="")  # sponsor | cmo | joint
    driver: Mapped[str] = mapped_column(String(30), default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    external_consequences: Mapped[str] = mapped_column(Text, default="")
    slip_impact: Mapped[str] = mapped_column(Text, default="")
    buffer_days: Mapped[int] = mapped_column(default=0)
    hard_deadline: Mapped[bool] = mapped_column(default=False)
    share_with_cmo: Mapped[bool] = mapped_column(default=False)
    cmo_confirmed_on: Mapped[date | None]
    cmo_confirmed_by: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)


class MilestoneLinkRow(Base):
    """`dependent` may not be planned before `prerequisite` plus `min_lead_days`."""

    __tablename__ = "milestone_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    prerequisite_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    dependent_id: Mapped[int] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True
    )
    min_lead_days: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("prerequisite_id", "dependent_id"),
        CheckConstraint("prerequisite_id <> dependent_id", name="not_self"),
    )
