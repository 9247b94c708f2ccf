"""What every page's header offers the signed-in person, the same on every page: the records
screens their role opens, and the admin with the drafts awaiting their review."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from wagtail.models import TaskState

from records import permissions


def _header_links(user) -> dict:
    links = {
        "records": permissions.may_see_records(user),
        "retention": permissions.can_manage_retention(user),
        "access_log": permissions.can_read_access_log(user),
        "admin": user.has_perm("wagtailadmin.access_admin"),
        "awaiting_review": 0,
    }
    if links["admin"]:
        # an agreer signs in on the site: the header says a draft waits for them
        links["awaiting_review"] = TaskState.objects.reviewable_by(user).count()
    return links


def header(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_links": SimpleLazyObject(lambda: _header_links(user))}
