"""What every page's header offers the signed-in person, the same on every page: the records
screens their role opens, and the admin with the drafts awaiting their review."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from wagtail.models import TaskState

from records import permissions


def _header_links(user, request=None) -> dict:
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
    links["register"] = _own_register(user, request)
    return links


def _own_register(user, request=None) -> str:
    """The address of the document register of the one organisation ``user`` works in, for
    the header of pages that belong to no organisation (search, one's documents to read): a
    tester's staff member found no way to the register from there. "" when they work in none
    or in several."""
    from sapa.documents.models import DocumentLibraryPage, Organisation
    from search.services import home_organisation_ids

    ids = home_organisation_ids(user)
    if len(ids) != 1:
        return ""
    organisation = Organisation.objects.filter(pk=next(iter(ids))).select_related("site").first()
    if organisation is None or organisation.site is None:
        return ""
    library = (
        DocumentLibraryPage.objects.live()
        .filter(path__startswith=organisation.site.root_page.path)
        .first()
    )
    return (library.get_url(request) or "") if library is not None else ""


def header(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_links": SimpleLazyObject(lambda: _header_links(user, request))}
