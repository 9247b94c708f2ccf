"""One access table: every URL pattern of Sapa × every role, on objects of both universities
(ҚазҰТЗУ and АӨУ) and of normal and confidential series, with what a records system must
answer. The resolver is walked, so a URL pattern that is not in the table fails the suite
with its name (``test_every_url_pattern_is_in_the_table``).

Outcomes: ``OK`` (200), ``FORBIDDEN`` (403), ``NOT_FOUND`` (404), ``SIGN_IN`` (a redirect to
a sign-in page), ``AWAY`` (a redirect elsewhere), ``DENIED`` (Wagtail's refusal to an admin
user: 403, or a redirect to the admin's dashboard with "Sorry, you do not have permission"),
``NOT_READY`` (503, an official PDF being prepared), ``REFUSED``
(``DENIED`` or 404, where the role holds no permission on the model at all). Another
university's record answers as if it did not exist (404).

Wagtail's and Django's own admin URLs (hundreds) are covered by a rule, checked on a sample:
anonymous and accounts without admin access are sent to sign in (a GET of Wagtail's admin
by a signed-in account without admin access goes to its own pages on the site instead).
Every URL that Sapa's code adds or registers (its records, search, snippet and model
viewsets, ``register_admin_urls``, its page types' routes, the organisation settings) is an
explicit row.

Rows that today's code gets wrong, in areas being fixed at the same time, are strict xfails:
they turn red as soon as the fix lands, and then their mark is removed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from .conftest import DRAFT_TEXT, FILE_WORD, ROLES, TITLE_WORDS

OK, FORBIDDEN, NOT_FOUND = "200", "403", "404"
NOT_READY = "503"  # an official PDF not rendered yet (``manage.py documents_render``)
SIGN_IN, AWAY, DENIED = "sign-in", "away", "denied"
# Refused without telling whether the object exists: DENIED or 404 (a role that holds no
# permission on the model at all learns nothing from either).
REFUSED = "refused"
SIGN_IN_PATHS = {"/accounts/login/", "/admin/login/", "/django-admin/login/", "/_util/login/"}

NO_ADMIN = ("staff", "granted", "keeper", "keeper_other", "auditor", "auditor_other")

# Who sees each record (detail, history, download) and who changes it (edit, files, close).
VIEW = {
    "k_plain": {"granted", "keeper", "auditor", "quality", "superuser"},
    "k_secret": {"keeper", "auditor", "quality", "superuser"},  # confidential: no grant
    "a_plain": {"auditor_other", "quality_other", "superuser"},
    "a_secret": {"auditor_other", "quality_other", "superuser"},
    # a disposition certificate naming a confidential record of ИТИ (S2)
    "k_cert": {"keeper", "auditor", "quality", "superuser"},
}
EDIT = {
    "k_plain": {"keeper", "quality", "superuser"},
    "k_secret": {"keeper", "quality", "superuser"},
    "a_plain": {"quality_other", "superuser"},
    "a_secret": {"quality_other", "superuser"},
    "k_cert": set(),  # a certificate is changed by nobody
}
RECORDS = tuple(VIEW)
FILED = tuple(TITLE_WORDS)  # the records filed with the file that holds FILE_WORD


@dataclass(frozen=True)
class Row:
    route: str  # the pattern's route as the resolver shows it (page routes: "page:…")
    variant: str  # which object the URL names
    url: Callable  # world -> path
    expect: dict  # role -> outcome
    method: str = "get"
    data: dict = field(default_factory=dict)
    xfail: dict = field(default_factory=dict)  # role -> reason
    # Its view asks the search backend (checked by ``test_access``): the engine step runs the
    # row again on the engine; the other rows answer the same whichever backend is set.
    searches: bool = False


def outcomes(default=OK, anonymous=SIGN_IN, **roles) -> dict:
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    table.update(roles)
    return table


def signed_in(**roles) -> dict:
    """A page every signed-in person may open (anonymous: to the sign-in page)."""
    return outcomes(OK, **roles)


def admin(default=SIGN_IN, *, quality=OK, quality_other=OK, superuser=OK) -> dict:
    """An admin page: accounts without admin access are sent to sign in."""
    return outcomes(
        default,
        anonymous=SIGN_IN,
        quality=quality,
        quality_other=quality_other,
        superuser=superuser,
    )


def own(org: str, mine=OK, theirs=NOT_FOUND) -> dict:
    """An admin page of one organisation's object: its quality office, not the other's."""
    return admin(
        quality=mine if org == "k" else theirs, quality_other=mine if org == "a" else theirs
    )


def public() -> dict:
    return outcomes(OK, anonymous=OK)


def everyone(outcome) -> dict:
    return outcomes(outcome, anonymous=outcome)


def record_page(variant: str, allowed=OK, *, edit=False) -> dict:
    """A record's page: 404 to whoever may not see it; a change refused (403) to whoever
    sees it but may not change it."""
    table = outcomes(NOT_FOUND)
    for role in VIEW[variant]:
        table[role] = FORBIDDEN if edit and role not in EDIT[variant] else allowed
    return table


def retention(org: str | None, allowed=OK) -> dict:
    """Holds and disposition: the quality office of the organisation concerned."""
    table = outcomes(FORBIDDEN, quality=allowed, quality_other=allowed, superuser=allowed)
    if org == "k":
        table["quality_other"] = NOT_FOUND
    elif org == "a":
        table["quality"] = NOT_FOUND
    return table


# --- the objects ------------------------------------------------------------------------


def record(w, variant):
    org, kind = variant.split("_")
    return getattr(w, org).records[kind]


def portal_path(w, page) -> str:
    """A page's path on the portal's default site (``/kaznrtu/docs/715-kp/``)."""
    return "/" + page.url_path[len(w.portal.url_path) :]


def doc(org):
    return lambda w: getattr(w, org).document


def orgs(*keys):
    return keys or ("k", "a")


ROWS: list[Row] = []


def row(route, expect, url, variant="", **kwargs):
    ROWS.append(Row(route, variant, url, expect, **kwargs))


# --- records/ ---------------------------------------------------------------------------

row("records/", signed_in(), lambda w: "/records/")
row(
    "records/new/",
    outcomes(FORBIDDEN, keeper=OK, keeper_other=OK, quality=OK, quality_other=OK, superuser=OK),
    lambda w: "/records/new/",
)
for route in ("records/export/", "records/access-log/"):
    row(
        route,
        outcomes(
            FORBIDDEN, auditor=OK, auditor_other=OK, quality=OK, quality_other=OK, superuser=OK
        ),
        lambda w, route=route: "/" + route,
    )
row("records/retention/", retention(None), lambda w: "/records/retention/")
row(
    "records/retention/propose/",
    retention(None),  # nothing chosen: the page again, with the reason
    lambda w: "/records/retention/propose/",
    method="post",
)
for org in orgs():
    row(
        "records/retention/<int:pk>/decide/",
        retention(org, AWAY),  # rejected without a note: back to the retention page
        lambda w, org=org: f"/records/retention/{getattr(w, org).disposition.pk}/decide/",
        org,
        method="post",
        data={"decision": "reject", "note": "сынақ"},
    )
    row(
        "records/holds/<int:pk>/release/",
        retention(org, AWAY),  # no reason given: back, with the reason asked for
        lambda w, org=org: f"/records/holds/{getattr(w, org).hold.pk}/release/",
        org,
        method="post",
    )
for variant in RECORDS:
    pk = lambda w, v=variant: record(w, v).pk  # noqa: E731
    row("records/<int:pk>/", record_page(variant), lambda w, pk=pk: f"/records/{pk(w)}/", variant)
    row(
        "records/<int:pk>/history/",
        record_page(variant),
        lambda w, pk=pk: f"/records/{pk(w)}/history/",
        variant,
    )
    row(
        "records/<int:pk>/edit/",
        record_page(variant, edit=True),
        lambda w, pk=pk: f"/records/{pk(w)}/edit/",
        variant,
    )
    row(
        "records/<int:pk>/files/add/",
        record_page(variant, edit=True),
        lambda w, pk=pk: f"/records/{pk(w)}/files/add/",
        variant,
    )
    row(
        "records/<int:pk>/close/",
        record_page(variant, edit=True),  # no reason: the record's page with the refusal
        lambda w, pk=pk: f"/records/{pk(w)}/close/",
        variant,
        method="post",
    )
    row(
        "records/files/<int:pk>/download/",
        record_page(variant),
        lambda w, v=variant: (
            f"/records/files/{record(w, v).files.order_by('pk').first().pk}/download/"
        ),
        variant,
    )

# --- search/ and the public site ---------------------------------------------------------

row("search/", public(), lambda w: "/search/?q=анықтама", searches=True)
row("page:home.HomePage", public(), lambda w: "/")
for org in orgs():
    row(
        "page:home.OrganisationHomePage",
        public(),
        lambda w, org=org: portal_path(w, getattr(w, org).home),
        org,
    )
    row(
        "page:documents.DocumentLibraryPage",
        public(),
        lambda w, org=org: portal_path(w, getattr(w, org).library),
        org,
    )
row(
    "page:documents.DocumentLibraryPage:forms/<int:form_id>/",
    public(),
    lambda w: portal_path(w, w.k.library) + f"forms/{w.k.form.pk}/",
    "k",
)
row(  # АӨУ's form asked for under ҚазҰТЗУ's library
    "page:documents.DocumentLibraryPage:forms/<int:form_id>/",
    everyone(NOT_FOUND),
    lambda w: portal_path(w, w.k.library) + f"forms/{w.a.form.pk}/",
    "a-under-k",
)
PROCEDURE = "page:documents.ProcedurePage"
row(PROCEDURE, public(), lambda w: portal_path(w, w.k.document), "k")
row(PROCEDURE, everyone(NOT_FOUND), lambda w: portal_path(w, w.draft_document), "draft")
row(f"{PROCEDURE}:editions/", public(), lambda w: portal_path(w, w.k.document) + "editions/", "k")
row(
    f"{PROCEDURE}:editions/",
    everyone(NOT_FOUND),
    lambda w: portal_path(w, w.draft_document) + "editions/",
    "draft",
)
EDITION = r"^editions/(?P<key>[\w.-]+)/$"
CHANGE = r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/$"
row(
    f"{PROCEDURE}:{EDITION}",
    public(),
    lambda w: portal_path(w, w.k.document) + "editions/1/",
    "superseded",
)
row(
    f"{PROCEDURE}:{EDITION}",
    everyone(AWAY),  # the edition in force is the page itself
    lambda w: portal_path(w, w.k.document) + "editions/2/",
    "in-force",
)
row(
    f"{PROCEDURE}:{CHANGE}",
    public(),
    lambda w: portal_path(w, w.k.document) + "editions/1/changes/1/",
    "k",
)
EDITION_DIFF = r"^editions/(?P<key>[\w.-]+)/diff/$"
CHANGE_DIFF = r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/diff/$"
row(  # what changed in edition 2 since edition 1: whoever reads the page
    f"{PROCEDURE}:{EDITION_DIFF}",
    public(),
    lambda w: portal_path(w, w.k.document) + "editions/2/diff/",
    "k",
)
row(
    f"{PROCEDURE}:{EDITION_DIFF}",
    everyone(NOT_FOUND),  # a first edition has nothing to compare with
    lambda w: portal_path(w, w.k.document) + "editions/1/diff/",
    "first",
)
row(
    f"{PROCEDURE}:{CHANGE_DIFF}",
    public(),
    lambda w: portal_path(w, w.k.document) + "editions/1/changes/1/diff/",
    "k",
)
row(
    f"{PROCEDURE}:in-force/",
    public(),
    lambda w: portal_path(w, w.k.document) + "in-force/?date=2017-01-31",
    "k",
)
JOB = "page:documents.JobInstructionPage"
row(JOB, public(), lambda w: portal_path(w, w.a.document), "a")
row(f"{JOB}:editions/", public(), lambda w: portal_path(w, w.a.document) + "editions/", "a")
row(
    f"{JOB}:{EDITION}",
    everyone(AWAY),
    lambda w: portal_path(w, w.a.document) + "editions/1/",
    "in-force",
)
row(
    f"{JOB}:{CHANGE}",
    everyone(NOT_FOUND),  # no change was ever published
    lambda w: portal_path(w, w.a.document) + "editions/1/changes/1/",
    "a",
)
row(f"{JOB}:in-force/", public(), lambda w: portal_path(w, w.a.document) + "in-force/", "a")
row(
    f"{JOB}:{EDITION_DIFF}",
    everyone(NOT_FOUND),
    lambda w: portal_path(w, w.a.document) + "editions/1/diff/",
    "a",
)
row(
    f"{JOB}:{CHANGE_DIFF}",
    everyone(NOT_FOUND),  # no change was ever published
    lambda w: portal_path(w, w.a.document) + "editions/1/changes/1/diff/",
    "a",
)
# The official PDFs: whoever reads the page; none is rendered in this world, so "not ready"
# (503), except where there is no such edition, change or live page (404).
EDITION_PDF = r"^editions/(?P<key>[\w.-]+)/pdf/$"
CHANGE_PDF = r"^editions/(?P<key>[\w.-]+)/changes/(?P<number>[\w.-]+)/pdf/$"
row(
    f"{PROCEDURE}:{EDITION_PDF}",
    everyone(NOT_READY),
    lambda w: portal_path(w, w.k.document) + "editions/1/pdf/",
    "superseded",
)
row(
    f"{PROCEDURE}:{EDITION_PDF}",
    everyone(NOT_FOUND),
    lambda w: portal_path(w, w.draft_document) + "editions/1/pdf/",
    "draft",
)
row(
    f"{PROCEDURE}:{CHANGE_PDF}",
    everyone(NOT_READY),
    lambda w: portal_path(w, w.k.document) + "editions/1/changes/1/pdf/",
    "k",
)
row(
    f"{JOB}:{EDITION_PDF}",
    everyone(NOT_READY),
    lambda w: portal_path(w, w.a.document) + "editions/1/pdf/",
    "in-force",
)
row(
    f"{JOB}:{CHANGE_PDF}",
    everyone(NOT_FOUND),
    lambda w: portal_path(w, w.a.document) + "editions/1/changes/1/pdf/",
    "a",
)
# A change notice's PDF: change 1 of ҚазҰТЗУ's edition 1 gets its notice (issued in the test's
# transaction, as publication does once it commits; not rendered, so "not ready"); the job
# instruction had no change, so no notice.
NOTICE_PDF = r"^notices/(?P<number>[\w-]+)/pdf/$"


def notice_url(w, org: str) -> str:
    from django.utils import timezone

    from sapa.documents.models import RegisterChange
    from sapa.documents.notices import notice_issue

    document = getattr(w, org).document
    changes = RegisterChange.objects.filter(edition__document=document)
    notice = notice_issue(change_ids=list(changes.values_list("pk", flat=True)))
    key = notice.url_key if notice else f"1-{timezone.localdate().year}"
    return portal_path(w, document) + f"notices/{key}/pdf/"


row(f"{PROCEDURE}:{NOTICE_PDF}", everyone(NOT_READY), lambda w: notice_url(w, "k"), "k")
row(f"{JOB}:{NOTICE_PDF}", everyone(NOT_FOUND), lambda w: notice_url(w, "a"), "a")
row("^((?:[\\w\\-]+/)*)$", public(), lambda w: "/kaznrtu/")  # wagtail_serve itself
row(
    "documents/^(\\d+)/(.*)$",
    public(),  # form templates are public, as the forms are
    lambda w: reverse(
        "wagtaildocs_serve", args=(w.wagtail_document.pk, w.wagtail_document.filename)
    ),
)
row(
    "documents/authenticate_with_password/<int:restriction_id>/",
    everyone(NOT_FOUND),
    lambda w: "/documents/authenticate_with_password/999999/",
)
row(
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
    everyone(NOT_FOUND),
    lambda w: f"/_util/authenticate_with_password/999999/{w.k.document.pk}/",
)
row("_util/login/", public(), lambda w: "/_util/login/")

# --- my/reading/: familiarisation ----------------------------------------------------------


def sheet(w, org):
    from sapa.documents.models import FamiliarisationSheet

    return FamiliarisationSheet.objects.filter(document=getattr(w, org).document).latest("pk")


row("my/reading/", signed_in(), lambda w: "/my/reading/")
row(  # nobody in this world has a task to read the document: nothing to confirm
    "my/reading/documents/<int:document_id>/confirm/",
    outcomes(NOT_FOUND),
    lambda w: f"/my/reading/documents/{w.k.document.pk}/confirm/",
    "k",
    method="post",
)
for org in orgs():
    # the quality office and auditors of the document's organisation (and unit heads, of
    # whom this world has none); another organisation's sheet answers 404
    mine = {"k": ("quality", "auditor"), "a": ("quality_other", "auditor_other")}[org]
    for suffix in ("", "csv/", "pdf/"):
        row(
            f"my/reading/sheets/<int:pk>/{suffix}",
            outcomes(NOT_FOUND, superuser=OK, **dict.fromkeys(mine, OK)),
            lambda w, org=org, suffix=suffix: f"/my/reading/sheets/{sheet(w, org).pk}/{suffix}",
            org,
        )

# --- accounts/ -------------------------------------------------------------------------

row("accounts/login/", public(), lambda w: "/accounts/login/")
row("accounts/logout/", everyone(AWAY), lambda w: "/accounts/logout/", method="post")
row("accounts/password_change/", signed_in(), lambda w: "/accounts/password_change/")
row("accounts/password_change/done/", signed_in(), lambda w: "/accounts/password_change/done/")
row("accounts/password_reset/", public(), lambda w: "/accounts/password_reset/")
row("accounts/password_reset/done/", public(), lambda w: "/accounts/password_reset/done/")
row(
    "accounts/reset/<uidb64>/<token>/",
    public(),  # "The password reset link was invalid"
    lambda w: "/accounts/reset/MQ/bad-token/",
)
row("accounts/reset/done/", public(), lambda w: "/accounts/reset/done/")

# --- the interface language: anyone may choose it; both answer with a redirect -------------

row(
    "i18n/setlang/",
    everyone(AWAY),
    lambda w: "/i18n/setlang/",
    method="post",
    data={"language": "ru", "next": "/records/"},
)
row("^(?P<language>kk|ru|en)/(?P<rest>.*)$", everyone(AWAY), lambda w: "/ru/records/")

# --- the admin: Sapa's own URLs ----------------------------------------------------------

for variant, key in (
    ("k_plain", lambda w: f"record:{w.k.records['plain'].pk}"),
    ("k_secret", lambda w: f"record:{w.k.records['secret'].pk}"),
    ("a_plain", lambda w: f"record:{w.a.records['plain'].pk}"),
    ("k_document", lambda w: f"document:{w.k.document.pk}"),
    ("a_document", lambda w: f"document:{w.a.document.pk}"),
):
    # Another university's object answers as if it did not exist (404), as on /records/
    # and in the rest of the admin.
    row(
        "admin/search/index/<str:object_key>/",
        own(variant[0]),
        lambda w, key=key: f"/admin/search/index/{key(w)}/",
        variant,
        searches=True,
    )
for org in orgs():
    row(
        "admin/documents/<int:page_id>/new-edition/",
        own(org, theirs=DENIED),
        lambda w, org=org: f"/admin/documents/{getattr(w, org).document.pk}/new-edition/",
        org,
    )
    row(
        "admin/documents/<int:page_id>/review/",
        own(org),  # periodic review: the quality office of the document's organisation
        lambda w, org=org: f"/admin/documents/{getattr(w, org).document.pk}/review/",
        org,
    )
for org in orgs():
    row(
        "admin/documents/<int:page_id>/propose-rows/",
        own(org, theirs=DENIED),
        lambda w, org=org: f"/admin/documents/{getattr(w, org).document.pk}/propose-rows/",
        org,
    )
row("admin/documents/import/", admin(), lambda w: "/admin/documents/import/")
# The review of an upload's proposed fixes: only its owner's token exists (tests/documents/
# test_import_fixes.py); a token nobody was given answers 404 to every admin.
row(
    "admin/documents/import/<str:token>/",
    admin(quality=NOT_FOUND, quality_other=NOT_FOUND, superuser=NOT_FOUND),
    lambda w: "/admin/documents/import/0123456789abcdef0123456789abcdef/",
)

# Sapa's page views for controlled documents (ControlledDocumentViewSet).
for org in orgs():
    row(
        "admin/pages/<int:page_id>/edit/",
        own(org, theirs=DENIED),
        lambda w, org=org: f"/admin/pages/{getattr(w, org).document.pk}/edit/",
        org,
    )
    row(
        "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)"
        "\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$",
        own(org, theirs=DENIED),
        lambda w, org=org: (
            f"/admin/pages/{getattr(w, org).document.pk}/revisions/compare/earliest...latest/"
        ),
        org,
    )
row(
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
    admin(quality=NOT_FOUND, quality_other=NOT_FOUND, superuser=NOT_FOUND),  # no such task
    lambda w: f"/admin/pages/workflow/action/{w.k.document.pk}/approve/999999/",
)

# The organisation's own settings (Sapa's Organisation setting, per Site).
for org in orgs():
    row(
        "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/",
        # Wagtail's settings view refuses another site's settings its own way (a redirect
        # to the dashboard with "Sorry, you do not have permission"): sites are not secret.
        own(org, theirs=REFUSED),
        lambda w, org=org: (
            f"/admin/settings/documents/organisation/{getattr(w, org).organisation.site_id}/"
        ),
        org,
    )
row(
    "admin/settings/<slug:app_name>/<slug:model_name>/",
    admin(quality=AWAY, quality_other=AWAY, superuser=AWAY),  # to the default site's settings
    lambda w: "/admin/settings/documents/organisation/",
)

# The records admin (ModelViewSets).
VIEWSETS = {
    # prefix: (object of each organisation, may the quality office change it)
    "recordseries": (lambda w, o: getattr(w, o).plain_series, True),
    "keeperassignment": (lambda w, o: getattr(w, o).keeper_assignment, True),
    "seriesgrant": (lambda w, o: w.grant if o == "k" else w.a_grant, True),
    "organisationmembership": (lambda w, o: getattr(w, o).membership, False),
    "recordspolicy": (lambda w, o: getattr(w, o).policy, True),
}
for prefix, (obj, office) in VIEWSETS.items():
    allowed = OK if office else DENIED
    for suffix in ("", "results/", "new/"):
        row(
            f"admin/{prefix}/{suffix}",
            admin(quality=allowed, quality_other=allowed),
            lambda w, prefix=prefix, suffix=suffix: f"/admin/{prefix}/{suffix}",
        )
    for org in orgs():
        for view in ("edit", "delete", "history", "history-results", "usage"):
            if not office or view == "delete":
                # memberships are granted by a superuser; nobody but a superuser deletes
                # the nomenclature's rows; the other organisation's row does not exist
                expect = own(org, mine=DENIED, theirs=REFUSED)
            else:
                expect = own(org)
            row(
                f"admin/{prefix}/{view}/<int:pk>/",
                expect,
                lambda w, prefix=prefix, view=view, org=org, obj=obj: (
                    f"/admin/{prefix}/{view}/{obj(w, org).pk}/"
                ),
                org,
            )


def unit_member(w, org):
    """The staff account as a member of the organisation's unit (made in the test's
    transaction, so the world stays as it is)."""
    from sapa.documents.models import UnitMember

    return UnitMember.objects.get_or_create(user=w.users["staff"], unit=getattr(w, org).unit)[0]


# The QMS snippets (forms, units, unit members): each organisation's own, edited by its
# quality office.
SNIPPETS = {
    "documents/qmsform": (lambda w, o: getattr(w, o).form, True),
    "documents/unit": (lambda w, o: getattr(w, o).unit, False),
    "documents/unitmember": (lambda w, o: unit_member(w, o), False),
}
for prefix, (obj, revisions) in SNIPPETS.items():
    for suffix in ("", "results/", "add/"):
        row(
            f"admin/snippets/{prefix}/{suffix}",
            admin(),
            lambda w, prefix=prefix, suffix=suffix: f"/admin/snippets/{prefix}/{suffix}",
        )
    for suffix in ("", "results/", "chosen-multiple/", "create/"):
        row(
            f"admin/snippets/choose/{prefix}/{suffix}",
            admin(),
            lambda w, prefix=prefix, suffix=suffix: f"/admin/snippets/choose/{prefix}/{suffix}",
        )
    views = ["edit", "delete", "usage", "history", "history-results", "copy"]
    for org in orgs():
        for view in views:
            row(
                f"admin/snippets/{prefix}/{view}/<int:pk>/",
                own(org, mine=DENIED, theirs=REFUSED) if view == "delete" else own(org),
                lambda w, prefix=prefix, view=view, org=org, obj=obj: (
                    f"/admin/snippets/{prefix}/{view}/{obj(w, org).pk}/"
                ),
                org,
            )
        row(
            f"admin/snippets/choose/{prefix}/chosen/<str:pk>/",
            own(org),
            lambda w, prefix=prefix, org=org, obj=obj: (
                f"/admin/snippets/choose/{prefix}/chosen/{obj(w, org).pk}/"
            ),
            org,
        )
        if revisions:
            row(
                f"admin/snippets/{prefix}/history/<int:pk>/revisions/<int:revision_id>/revert/",
                own(org),
                lambda w, prefix=prefix, org=org, obj=obj: (
                    f"/admin/snippets/{prefix}/history/{obj(w, org).pk}/revisions/"
                    f"{obj(w, org).revisions.order_by('pk').first().pk}/revert/"
                ),
                org,
            )
            row(
                f"admin/snippets/{prefix}/history/(?P<pk>.+)/revisions/compare/"
                "(?P<revision_id_a>live|earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$",
                own(org),
                lambda w, prefix=prefix, org=org, obj=obj: (
                    f"/admin/snippets/{prefix}/history/{obj(w, org).pk}/revisions/compare/"
                    "earliest...latest/"
                ),
                org,
            )

# Equivalent search terms: one list for the whole portal, so only a superuser edits it.
SYNONYMS = "sapa_search/synonymgroup"
for suffix in ("", "results/", "add/"):
    row(
        f"admin/snippets/{SYNONYMS}/{suffix}",
        admin(quality=DENIED, quality_other=DENIED),
        lambda w, suffix=suffix: f"/admin/snippets/{SYNONYMS}/{suffix}",
    )
for view in ("edit", "delete", "usage", "history", "history-results", "copy"):
    row(
        f"admin/snippets/{SYNONYMS}/{view}/<int:pk>/",
        admin(quality=DENIED, quality_other=DENIED),
        lambda w, view=view: f"/admin/snippets/{SYNONYMS}/{view}/{w.synonyms.pk}/",
    )
# Choosing them (read-only, nothing confidential) is open to the admin's users.
for suffix in ("", "results/", "chosen-multiple/"):
    row(
        f"admin/snippets/choose/{SYNONYMS}/{suffix}",
        admin(),
        lambda w, suffix=suffix: f"/admin/snippets/choose/{SYNONYMS}/{suffix}",
    )
row(
    f"admin/snippets/choose/{SYNONYMS}/create/",
    admin(quality=DENIED, quality_other=DENIED),
    lambda w: f"/admin/snippets/choose/{SYNONYMS}/create/",
)
row(
    f"admin/snippets/choose/{SYNONYMS}/chosen/<str:pk>/",
    admin(),
    lambda w: f"/admin/snippets/choose/{SYNONYMS}/chosen/{w.synonyms.pk}/",
)

# The chooser of agreeing accounts (КЕЛІСІЛДІ lines): for whoever edits documents; it
# creates no account.
for suffix in ("", "results/", "chosen-multiple/"):
    row(
        f"admin/documents/agreers/{suffix}",
        admin(),
        lambda w, suffix=suffix: f"/admin/documents/agreers/{suffix}",
    )
row(
    "admin/documents/agreers/create/",
    admin(quality=DENIED, quality_other=DENIED),
    lambda w: "/admin/documents/agreers/create/",
)
row(
    "admin/documents/agreers/chosen/<str:pk>/",
    admin(),
    lambda w: f"/admin/documents/agreers/chosen/{w.users['quality'].pk}/",
)

# --- Wagtail's and Django's own admin: the rule, on a sample ------------------------------

WAGTAIL_SAMPLE = {
    "admin/": admin(),
    "admin/pages/": admin(quality=AWAY, quality_other=AWAY),  # to their own library
    "admin/users/": admin(quality=DENIED, quality_other=DENIED),
    "admin/sites/": admin(quality=DENIED, quality_other=DENIED),
    "admin/documents/": admin(quality=DENIED, quality_other=DENIED),  # no collection
    "admin/reports/site-history/": admin(),
    "admin/reports/workflow_tasks/": admin(),  # Sapa's, in front of Wagtail's (its export)
    "admin/workflows/list/": admin(quality=DENIED, quality_other=DENIED),
}
for route, expect in WAGTAIL_SAMPLE.items():
    row(route, expect, lambda w, route=route: "/" + route, "sample")
row("django-admin/", outcomes(SIGN_IN, superuser=OK), lambda w: "/django-admin/", "sample")


def rule(route: str) -> str | None:
    """The rule that covers a pattern of Wagtail's or Django's admin, if any."""
    if route.startswith("django-admin/"):
        return "django admin: only a superuser (is_staff); everyone else to its sign-in page"
    if route.startswith("admin/"):
        return "wagtail core admin: anonymous and accounts without admin access to sign in"
    return None


# --- walking the resolver ----------------------------------------------------------------

SAPA_PACKAGES = {"sapa", "records", "search", "home"}
SAPA_APPS = {"documents", "records", "sapa_search", "search", "home"}


def _module_root(obj) -> str:
    return (getattr(obj, "__module__", "") or "").split(".")[0]


def sapa_namespaces() -> set[str]:
    """The URL namespaces of the admin viewsets Sapa registers (its own classes, or its
    models: snippets get Wagtail's chooser viewsets)."""
    found = set()
    for viewset in admin_viewsets.viewsets:
        model = getattr(viewset, "model", None)
        label = getattr(getattr(model, "_meta", None), "app_label", "")
        if _module_root(type(viewset)) in SAPA_PACKAGES or label in SAPA_APPS:
            try:
                found.add(viewset.url_namespace)
            except ImproperlyConfigured:
                pass  # a page viewset: Wagtail's page URLs route to it
    return found


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def project_patterns() -> dict[str, bool]:
    """Every URL pattern of the project: route -> whether Sapa's own code adds it. Page
    types' routes (RoutablePageMixin) count as patterns too: ``page:<model>:<route>``."""
    get_resolver().url_patterns  # noqa: B018 (loads the admin's hooks)
    namespaces = sapa_namespaces()
    found = {}
    for route, namespace, pattern in walk(get_resolver().url_patterns):
        callback = pattern.callback
        ours = _module_root(callback) in SAPA_PACKAGES or any(
            part in namespaces for part in namespace.split(":") if part
        )
        found[route] = found.get(route, False) or ours
    for model in get_page_models():
        label = model._meta.label
        if model._meta.app_label not in SAPA_APPS or not model.is_creatable:
            continue
        if not issubclass(model, RoutablePageMixin):
            found[f"page:{label}"] = True
            continue
        for sub in model.get_subpage_urls():
            route = str(sub.pattern)
            found[f"page:{label}" + (f":{route}" if route else "")] = True
    return found


def test_every_url_pattern_is_in_the_table():
    patterns = project_patterns()
    in_table = {r.route for r in ROWS}
    missing = sorted(
        route
        for route, ours in patterns.items()
        if route not in in_table and (ours or rule(route) is None)
    )
    assert not missing, (
        "URL patterns not in the access table (tests/security/test_access_table.py): add a "
        "row with the expected outcome for every role:\n  " + "\n  ".join(missing)
    )
    unknown = sorted(in_table - set(patterns))
    assert not unknown, "Rows of the access table name no URL pattern:\n  " + "\n  ".join(unknown)


# --- the table ----------------------------------------------------------------------------


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        if path in SIGN_IN_PATHS:
            return SIGN_IN
        if path == "/admin/":
            return DENIED  # wagtail.admin.auth.permission_denied
        return AWAY
    return str(response.status_code)


def matches(expected: str, actual: str) -> bool:
    if expected == REFUSED:
        return actual in (DENIED, FORBIDDEN, NOT_FOUND)
    return actual == expected or (expected == DENIED and actual == FORBIDDEN)


def _cases():
    for item in ROWS:
        for role in ROLES:
            marks = []
            if role in item.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=item.xfail[role]))
            if not item.searches:
                marks.append(pytest.mark.search_free)
            name = f"{item.method.upper()} {item.route} [{item.variant}] {role}"
            yield pytest.param(item, role, id=re.sub(r"\s+", " ", name), marks=marks)


# What a search backend is asked (search.backends.base.Backend).
BACKEND_METHODS = (
    "upsert",
    "delete_object",
    "search",
    "entries_for",
    "all_versions",
    "rebuild",
    "stats",
)


@pytest.fixture
def backend_asked(monkeypatch) -> list[str]:
    """The names of the search backend's methods that ran during the test, whichever backend
    is configured; the backend's own methods still do the work."""
    from search.backends.engine import EngineBackend
    from search.backends.tantivy_index import TantivyBackend

    asked: list[str] = []

    def noting(name: str, method):
        def noted(self, *args, **kwargs):
            asked.append(name)
            return method(self, *args, **kwargs)

        return noted

    for backend in (TantivyBackend, EngineBackend):
        for name in BACKEND_METHODS:
            monkeypatch.setattr(backend, name, noting(name, getattr(backend, name)))
    return asked


@pytest.mark.parametrize(("item", "role"), list(_cases()))
def test_access(world, db, client, backend_asked, item: Row, role: str):
    world.sign_in(client, role)
    url = item.url(world)
    call = client.post if item.method == "post" else client.get
    response = call(url, item.data)
    actual = outcome_of(response)
    expected = item.expect[role]
    if (
        expected == SIGN_IN
        and role in NO_ADMIN
        and item.method != "post"
        and url.startswith("/admin/")
    ):
        # Signed in without admin access, a GET of the admin takes them to their own pages
        # on the site, told why (home.middleware): keepers and auditors to the records.
        expected = AWAY
        if actual == AWAY:
            own = "/records/" if role.startswith(("keeper", "auditor")) else "/"
            assert urlsplit(response["Location"]).path == own, (url, role, response["Location"])
    assert matches(expected, actual), (
        f"{item.method.upper()} {url} as {role}: expected {expected}, got {actual}"
        + (f" → {response['Location']}" if response.has_header("Location") else "")
    )
    # A row that reaches the search must say so, or the engine step would not run it there.
    assert item.searches or not backend_asked, (
        f"{item.method.upper()} {url} as {role} asked the search backend "
        f"({', '.join(sorted(set(backend_asked)))}): give its row searches=True"
    )


# --- what the pages show: search, facets, suggestions, lists, logs, histories --------------


def shown(page: str, item) -> bool:
    return item.identifier in page or f"/records/{item.pk}/" in page


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_a_record_only_for_whoever_may_see_it(world, db, client, role):
    """By a word of its title and by a word of its file's text; the facet counts count only
    those, and no suggestion is made of a record's words."""
    from search.services import search_for

    world.sign_in(client, role)
    for variant, word in TITLE_WORDS.items():
        item = record(world, variant)
        response = client.get("/search/", {"q": word})
        assert shown(response.content.decode(), item) == (role in VIEW[variant]), (variant, word)
        assert word.lower() not in [s.lower() for s in response.context.get("suggestions", [])]
    page = client.get("/search/", {"q": FILE_WORD}).content.decode()
    visible = [v for v in FILED if role in VIEW[v]]
    for variant in FILED:
        assert shown(page, record(world, variant)) == (variant in visible), variant
    results = search_for(world.user(role), FILE_WORD, types=("record",)).results
    assert results.total == len(visible)
    assert sum(results.facets["organisation_id"].values()) == len(visible)
    expected_orgs = {getattr(world, v[0]).organisation.pk for v in visible}
    assert set(results.facets["organisation_id"]) == expected_orgs
    assert set(results.facets["unit_id"]) == {getattr(world, v[0]).unit.pk for v in visible}
    if not any(v.startswith("a") for v in visible):
        assert world.a.unit.short_name not in page  # no facet of АӨУ's unit either
    if not any(v.startswith("k") for v in visible):
        assert world.k.unit.short_name not in page
    for org in ("k", "a"):  # a filter narrows what the role sees, never widens it
        chosen = {"q": FILE_WORD, "organisation_id": getattr(world, org).organisation.pk}
        page = client.get("/search/", chosen).content.decode()
        for variant in FILED:
            expected = variant in visible and variant.startswith(org)
            assert shown(page, record(world, variant)) == expected, (org, variant)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_never_shows_in_search(world, db, client, role):
    world.sign_in(client, role)
    page = client.get("/search/", {"q": "Сұңқар"}).content.decode()
    assert DRAFT_TEXT not in page and portal_path(world, world.draft_document) not in page


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_records_list_shows_only_what_the_role_may_see(world, db, client, role):
    world.sign_in(client, role)
    page = client.get("/records/").content.decode()
    for variant in RECORDS:
        assert shown(page, record(world, variant)) == (role in VIEW[variant]), variant
    page = client.get("/records/", {"q": FILE_WORD}).content.decode()
    for variant in FILED:
        assert shown(page, record(world, variant)) == (role in VIEW[variant]), variant


def test_the_access_log_and_retention_show_only_ones_own_organisation(world, db, client):
    world.sign_in(client, "keeper")
    secret = world.k.records["secret"]
    assert secret.title in client.get(f"/records/{secret.pk}/").content.decode()
    for role, sees in (("auditor", True), ("quality", True), ("auditor_other", False)):
        world.sign_in(client, role)
        log = client.get("/records/access-log/").content.decode()
        assert (secret.identifier in log) == sees, role
        assert ("acc_keeper<" in log or ">acc_keeper" in log) == sees, role
    held = world.k.records["plain"]
    for role, sees in (("quality", True), ("quality_other", False)):
        world.sign_in(client, role)
        page = client.get("/records/retention/").content.decode()
        assert (held.identifier in page) == sees, role


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("quality", True),
        ("quality_other", False),
    ],
)
def test_the_forms_admin_lists_only_ones_own_organisations_forms(world, db, client, role, sees):
    world.sign_in(client, role)
    listing = client.get("/admin/snippets/documents/qmsform/").content.decode()
    assert (world.k.form.code in listing) == sees


def test_a_series_made_confidential_leaves_search_for_the_granted(world, db, client):
    """S1: a granted person found a record of a series that then became confidential."""
    from records.models import Confidentiality
    from records.services.common import save_with_history
    from search import indexing

    plans, item = world.k.plain_series, world.k.records["plain"]
    world.sign_in(client, "granted")
    assert shown(client.get("/search/", {"q": FILE_WORD}).content.decode(), item)
    try:
        plans.confidentiality = Confidentiality.CONFIDENTIAL
        save_with_history(plans, user=world.users["quality"], reason="студенттердің аты-жөні")
        indexing.sync()
        assert client.get(f"/records/{item.pk}/").status_code == 404
        for word in (FILE_WORD, TITLE_WORDS["k_plain"]):
            assert not shown(client.get("/search/", {"q": word}).content.decode(), item), word
    finally:  # the index is a file outside the transaction: put it back as the world has it
        plans.confidentiality = Confidentiality.NORMAL
        save_with_history(plans, user=world.users["quality"], reason="қайтарылды")
        indexing.sync()


@pytest.mark.parametrize("role", ["anonymous", "quality_other"])
def test_a_scheduled_edition_is_announced_but_never_readable(world, db, client, role):
    """Approved for a later day, the next edition's text shows on no route of the document
    before that day, to nobody outside the office that drafted it."""
    import datetime

    from django.utils import timezone

    from sapa.documents.services import edition_start_new
    from tests.documents.helpers import draft_of, fresh, set_clause_text

    text = "Келесі басылымның әлі күшіне енбеген мәтіні."
    root = world.users["superuser"]
    edition_start_new(document=fresh(world.k.document), user=root)
    draft = draft_of(world.k.document)
    set_clause_text(draft, "7.2", text)
    draft.go_live_at = timezone.now() + datetime.timedelta(days=30)
    draft.save_revision(user=root).publish(user=root)
    world.sign_in(client, role)
    base = portal_path(world, world.k.document)
    for suffix in ("", "editions/", "editions/3/", "editions/3/pdf/", "in-force/?date=2099-01-01"):
        response = client.get(base + suffix)
        assert text not in response.content.decode(), suffix
    assert client.get(base + "editions/3/").status_code == 404


@pytest.mark.parametrize(
    "role", ["auditor", "auditor_other", "quality", "quality_other", "superuser"]
)
def test_an_export_holds_exactly_the_records_the_role_may_see(world, db, client, role):
    import io
    import json
    import zipfile

    world.sign_in(client, role)
    response = client.get("/records/export/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        manifest = bundle.read("manifest.json").decode()
        exported = {row["identifier"] for row in json.loads(manifest)}
    for variant in RECORDS:
        assert (record(world, variant).identifier in exported) == (role in VIEW[variant])
    assert response["X-Records-Count"] == str(len(exported))


def test_the_other_universitys_drafts_stay_out_of_the_admins_choosers_and_reports(
    world, db, client
):
    world.sign_in(client, "quality_other")
    title = world.draft_document.title
    for url in ("/admin/choose-page/search/?q=Жоба", "/admin/reports/page-types-usage/"):
        assert title not in client.get(url).content.decode(), url


@pytest.mark.parametrize("role", [r for r in ROLES if r not in VIEW["k_cert"]])
def test_a_certificate_naming_a_confidential_record_is_found_by_nobody_else(
    world, db, client, role
):
    """S2: the certificate's file names the disposed records; whoever may not see the
    certificate (the granted person holds a grant on its series) finds it by none of their
    words."""
    world.sign_in(client, role)
    certificate = world.k.records["cert"]
    for word in ("Сауысқан", "Жапалақ", certificate.title):
        page = client.get("/search/", {"q": word}).content.decode()
        assert not shown(page, certificate), word


def _restricted(world):
    """ҚазҰТЗУ's document made private (Wagtail's privacy: signed-in people only)."""
    from wagtail.models import PageViewRestriction

    from search import indexing

    PageViewRestriction.objects.create(
        page=world.k.document, restriction_type=PageViewRestriction.LOGIN
    )
    indexing.sync()


@pytest.mark.parametrize(
    "suffix", ["", "editions/", "editions/1/", "editions/1/changes/1/", "editions/1/pdf/"]
)
def test_a_private_documents_routes_ask_to_sign_in(world, db, client, suffix):
    _restricted(world)
    response = client.get(portal_path(world, world.k.document) + suffix)
    assert outcome_of(response) == SIGN_IN
    world.sign_in(client, "staff")
    assert client.get(portal_path(world, world.k.document) + suffix).status_code in (200, 503)


def test_a_private_document_is_not_found_by_anonymous(world, db, client):
    from search import indexing

    try:
        _restricted(world)
        page = client.get("/search/", {"q": "Екінші басылымның мәтіні"}).content.decode()
        assert portal_path(world, world.k.document) not in page
        assert world.k.document.code not in page
        world.sign_in(client, "staff")  # signed in, the restriction is passed
        page = client.get("/search/", {"q": "Екінші басылымның мәтіні"}).content.decode()
        assert portal_path(world, world.k.document) in page
    finally:  # the index is outside the transaction: back to the world as it was
        world.k.document.view_restrictions.all().delete()
        indexing.rebuild()
