"""The access log: every look at records, by anyone, with where it came from."""

from __future__ import annotations

from ..models import AccessLogEntry


def log_access(
    *, request=None, user=None, action: str, record=None, file=None, **detail
) -> AccessLogEntry:
    user = user or (request.user if request is not None else None)
    meta = request.META if request is not None else {}
    return AccessLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        action=action,
        record=record,
        file=file,
        ip_address=meta.get("REMOTE_ADDR") or None,
        user_agent=(meta.get("HTTP_USER_AGENT") or "")[:300],
        detail=detail,
    )
