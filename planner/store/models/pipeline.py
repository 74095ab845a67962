from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.store.models.base import Base, utcnow


class PipelineAssetRow(Base):
    """Confidential: every field here is withheld unless a disclosure decision reveals it."""

    __tablename__ = "pipeline_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    inn: Mapped[str] = mapped_column(String(200), default="")
    modality: Mapped[str] = mapped_column(String(100), default="")
    therapeutic_area: Mapped[str] = mapped_column(String(200), default="")
    indication: Mapped[str] = mapped_column(String(300), default="")
    phase: Mapped[str] = mapped_column(String(30), default="")
    volumes: Mapped[dict] = mapped_column(default=dict)  # {"2027": 12.5, ...}
    volume_unit: Mapped[str] = mapped_column(String(20), default="kg")
    manufacturing_needs: Mapped[str] = mapped_column(Text, default="")
    timing: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DisclosureDecisionRow(Base):
    __tablename__ = "disclosure_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("pipeline_asset.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(default=0)  # 0 none .. 3 full technical package
    checklist: Mapped[dict] = mapped_column(default=dict)
    rationale: Mapped[str] = mapped_column(Text, default="")
    expected_benefit: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    approver: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None]
    review_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("engagement_id", "asset_id"),
        CheckConstraint("level >= 0 AND level <= 3", name="level_range"),
    )
