"""Typed SQLAlchemy models for the whole domain model of DESIGN.md.

Importing this package registers every table on `Base.metadata` (Alembic's autogenerate and
`create_all` in tests need all of them).
"""

from planner.store.models.base import Base
from planner.store.models.criteria import (
    CriteriaSetRow,
    CriterionRow,
    KpiActualRow,
    ScoreRow,
    SignOffRow,
)
from planner.store.models.engagements import EngagementCandidateRow, EngagementRow
from planner.store.models.pipeline import DisclosureDecisionRow, PipelineAssetRow
from planner.store.models.records import (
    ChangeLogRow,
    ImportBatchItemRow,
    ImportBatchRow,
    MappingProfileRow,
    PackResponseRow,
    PackRow,
    StoreSettingRow,
)
from planner.store.models.suppliers import AgreementRow, CmoRow, ContactRow
from planner.store.models.timeline import MilestoneLinkRow, MilestoneRow

__all__ = [
    "AgreementRow",
    "Base",
    "ChangeLogRow",
    "CmoRow",
    "ContactRow",
    "CriteriaSetRow",
    "CriterionRow",
    "DisclosureDecisionRow",
    "EngagementCandidateRow",
    "EngagementRow",
    "ImportBatchItemRow",
    "ImportBatchRow",
    "KpiActualRow",
    "MappingProfileRow",
    "MilestoneLinkRow",
    "MilestoneRow",
    "PackResponseRow",
    "PackRow",
    "PipelineAssetRow",
    "ScoreRow",
    "SignOffRow",
    "StoreSettingRow",
]
