"""Models of quality records; import from here, not from the sub-modules."""

from .access import (
    AccessAction,
    AccessLogEntry,
    KeeperAssignment,
    OrganisationMembership,
    SeriesGrant,
)
from .disposition import Disposition, DispositionStatus
from .holds import HeldRecord, HeldSeries, Hold, HoldReason, held_days
from .policy import IdentifierCounter, RecordsPolicy
from .records import (
    ExtractionStatus,
    PeriodKind,
    QualityRecord,
    RecordFile,
    RecordStatus,
)
from .series import (
    Confidentiality,
    DispositionRule,
    RecordSeries,
    RetentionRule,
    Storage,
)

__all__ = [
    "AccessAction",
    "AccessLogEntry",
    "Confidentiality",
    "Disposition",
    "DispositionRule",
    "DispositionStatus",
    "ExtractionStatus",
    "HeldRecord",
    "HeldSeries",
    "Hold",
    "HoldReason",
    "IdentifierCounter",
    "KeeperAssignment",
    "OrganisationMembership",
    "PeriodKind",
    "QualityRecord",
    "RecordFile",
    "RecordSeries",
    "RecordStatus",
    "RecordsPolicy",
    "RetentionRule",
    "SeriesGrant",
    "Storage",
    "held_days",
]
