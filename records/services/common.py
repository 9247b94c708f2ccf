from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why: every change to a record keeps its reason."))
    return reason


def save_with_history(obj, *, user, reason: str, **kwargs) -> None:
    """Save a history-tracked object with who and why (never ``QuerySet.update``)."""
    obj._history_user = user
    obj._change_reason = require_reason(reason)
    obj.save(**kwargs)
