"""Models of controlled documents; import from here, not from the sub-modules."""

from .editions import Edition, EditionStatus, RegisterChange
from .familiarisation import FamiliarisationSheet, FamiliarisationTask, UnitMember
from .forms import DocumentReference, FormCitation, FormKind, QmsForm
from .notices import ChangeNotice, NoticeCounter
from .organisations import Organisation, Unit
from .pages import (
    AgreedBy,
    ChangeType,
    ControlledDocument,
    DocumentKind,
    DocumentLibraryPage,
    JobInstructionPage,
    ProcedurePage,
    RegisterEntry,
    Validity,
)
from .renderings import OfficialRendering, RenderingKind
from .review import DocumentReview, ReviewOutcome
from .workflow import (
    AGREE_WITH_COMMENT,
    AgreementRecord,
    AgreementTask,
    ApprovalRecord,
    ApprovalTask,
    go_live_for,
)

__all__ = [
    "AGREE_WITH_COMMENT",
    "AgreedBy",
    "AgreementRecord",
    "AgreementTask",
    "ApprovalRecord",
    "ApprovalTask",
    "ChangeNotice",
    "ChangeType",
    "ControlledDocument",
    "DocumentKind",
    "DocumentLibraryPage",
    "DocumentReference",
    "DocumentReview",
    "Edition",
    "EditionStatus",
    "FamiliarisationSheet",
    "FamiliarisationTask",
    "FormCitation",
    "FormKind",
    "JobInstructionPage",
    "NoticeCounter",
    "OfficialRendering",
    "Organisation",
    "ProcedurePage",
    "QmsForm",
    "RegisterChange",
    "RegisterEntry",
    "RenderingKind",
    "ReviewOutcome",
    "Unit",
    "UnitMember",
    "Validity",
    "go_live_for",
]
