"""Operations on quality records: one write path for views, the admin and commands.

Every function is keyword-only and transactional; every change to a record carries the user
and a reason into its history (django-simple-history's ``_history_user``/``_change_reason``).
"""

from .access import log_access
from .export import records_export, records_verify
from .files import extract_text, file_add
from .records import record_close, record_create, record_update
from .retention import (
    disposition_approve,
    disposition_propose,
    disposition_reject,
    hold_place,
    hold_release,
    records_eligible_for_disposition,
    records_held_past_retention,
)

__all__ = [
    "disposition_approve",
    "disposition_propose",
    "disposition_reject",
    "extract_text",
    "file_add",
    "hold_place",
    "hold_release",
    "log_access",
    "record_close",
    "record_create",
    "record_update",
    "records_eligible_for_disposition",
    "records_export",
    "records_held_past_retention",
    "records_verify",
]
