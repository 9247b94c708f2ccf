"""Periodic review of controlled documents.

Each document in force is reviewed every ``review_interval_months`` (its own, else its
organisation's, 36 months by default). The next review falls that many months after the
later of the edition's effective date and the last review (or on the document's review date,
if it is valid until one and that comes sooner). The quality office sees on the
admin dashboard what is overdue and what falls due within ``DUE_WITHIN_DAYS``; the daily
``manage.py documents_review_reminders`` emails each document's owner (the account that owns
the page in Wagtail). A review either starts a new edition (the existing "New edition"
action) or records "reviewed, no change" with a comment here, which enters the page history
and restarts the clock. A review that finds a new edition needed is recorded too (who, when,
why, and the draft it started) in the review history and the page history; the clock then
restarts when that edition takes effect.

The hooks below are registered by importing this module from ``wagtail_hooks``.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter, log

from sapa.localisation.dates import format_date

from .admin_permissions import admin_organisation_ids, user_acts_on
from .admin_views import NewEditionForm
from .models import (
    ControlledDocument,
    DocumentReview,
    Edition,
    EditionStatus,
    ReviewOutcome,
    Validity,
)
from .services import edition_start_new
from .templatetags.documents_tags import edition_name_of

DUE_WITHIN_DAYS = 30
REVIEWED_LOG_ACTION = "sapa.review_no_change"
NEW_EDITION_LOG_ACTION = "sapa.review_new_edition"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` ``months`` later; the 31st becomes the month's last day when it has none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


@dataclass(frozen=True)
class ReviewDue:
    document: ControlledDocument
    interval_months: int
    since: datetime.date  # the edition's effective date or the last review, the later
    next_review: datetime.date
    today: datetime.date
    new_edition_started: datetime.date | None = None  # by a review, since ``since``
    # What the date is counted from: "edition" (its effective date), "review" (the last
    # "reviewed, no change"), "review_date" (the date the document is valid until).
    basis: str = "edition"

    @property
    def days_left(self) -> int:
        return (self.next_review - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def overdue(self) -> bool:
        return self.next_review < self.today


def review_schedule(*, organisation_ids=None, today: datetime.date | None = None):
    """The review dates of the published documents that have an edition in force, soonest
    first; ``organisation_ids``: only those organisations' (None: every one)."""
    today = today or timezone.localdate()
    documents = (
        ControlledDocument.objects.live()
        .filter(organisation__isnull=False)
        .select_related("organisation", "owner")
        .annotate(
            in_force_from=Subquery(
                Edition.objects.filter(
                    document=OuterRef("pk"), status=EditionStatus.IN_FORCE
                ).values("effective_from")[:1]
            ),
            # only "no change" restarts the clock; a new edition does when it takes effect
            last_reviewed_at=Max(
                "reviews__reviewed_at", filter=Q(reviews__outcome=ReviewOutcome.NO_CHANGE)
            ),
            new_edition_at=Max(
                "reviews__reviewed_at", filter=Q(reviews__outcome=ReviewOutcome.NEW_EDITION)
            ),
        )
        .filter(in_force_from__isnull=False)
    )
    if organisation_ids is not None:
        documents = documents.filter(organisation_id__in=sorted(organisation_ids))
    schedule = []
    for document in documents:
        since, basis = document.in_force_from, "edition"
        if document.last_reviewed_at is not None:
            reviewed = timezone.localdate(document.last_reviewed_at)
            if reviewed > since:
                since, basis = reviewed, "review"
        interval = document.review_interval_months or document.organisation.review_interval_months
        next_review = add_months(since, interval)
        # "valid until a review date" (ҚОЛДАНУ МЕРЗІМІ): that date, if sooner and not yet
        # reviewed past
        if document.validity == Validity.REVIEW_DATE and document.review_date:
            if since < document.review_date < next_review:
                next_review, basis = document.review_date, "review_date"
        started = None
        if document.new_edition_at is not None:
            started = timezone.localdate(document.new_edition_at)
            started = started if started >= since else None
        schedule.append(
            ReviewDue(
                document=document,
                interval_months=interval,
                since=since,
                next_review=next_review,
                today=today,
                new_edition_started=started,
                basis=basis,
            )
        )
    schedule.sort(key=lambda item: (item.next_review, item.document.code, item.document.pk))
    return schedule


def due_for_review(*, organisation_ids=None, today=None, within_days: int = DUE_WITHIN_DAYS):
    """Documents overdue or due within ``within_days`` days."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=within_days)
    return [
        item
        for item in review_schedule(organisation_ids=organisation_ids, today=today)
        if item.next_review <= limit
    ]


def review_of(document: ControlledDocument, today=None) -> ReviewDue | None:
    for item in review_schedule(today=today):
        if item.document.pk == document.pk:
            return item
    return None


@transaction.atomic
def record_no_change(*, document: ControlledDocument, user, comment: str) -> DocumentReview:
    """Record "reviewed, no change": a review row and an entry of the page's history."""
    review = DocumentReview.objects.create(
        document=document, reviewed_by=user, outcome=ReviewOutcome.NO_CHANGE, comment=comment
    )
    log(
        instance=document,
        action=REVIEWED_LOG_ACTION,
        user=user,
        data={"comment": comment, "review_id": review.pk},
    )
    return review


@transaction.atomic
def record_new_edition(
    *, document: ControlledDocument, user, comment: str, label: str = "", version: str = ""
) -> DocumentReview:
    """The review found that a new edition is needed: start its draft and record the review
    (who, when, why, which draft) in the review history and the page history. Nothing is
    written if the draft cannot be started."""
    revision = edition_start_new(document=document, user=user, label=label, version=version)
    review = DocumentReview.objects.create(
        document=document,
        reviewed_by=user,
        outcome=ReviewOutcome.NEW_EDITION,
        comment=comment,
        revision=revision,
    )
    log(
        instance=document,
        action=NEW_EDITION_LOG_ACTION,
        user=user,
        data={
            "comment": comment,
            "review_id": review.pk,
            "revision_id": revision.pk,
            "edition": revision.content.get("edition_label", ""),
            "edition_number": revision.content.get("edition_number"),
            "edition_version": revision.content.get("edition_version") or "",
        },
    )
    return review


def _edition_named(number, version, label) -> str:
    """An edition as the interface names it ("Edition 2", "Издание №2", "№2 басылым")."""
    return edition_name_of(SimpleNamespace(number=number, version=version or "", label=label))


def review_edition_name(review: DocumentReview) -> str:
    """The new edition a review started, as the interface names it."""
    if review.revision_id is None:
        return ""
    content = review.revision.content
    return _edition_named(
        content.get("edition_number"), content.get("edition_version"), content.get("edition_label")
    )


def _draft_edition(document: ControlledDocument, review: DocumentReview) -> dict | None:
    """What a "new edition" review links to: the edition once published, else the draft."""
    if review.revision_id is None:
        return None
    content = review.revision.content
    label = review_edition_name(review)
    edition = (
        document.editions.filter(
            number=content.get("edition_number"), version=content.get("edition_version") or ""
        )
        .exclude(revision=None)
        .first()
    )
    if edition is not None:
        url = document.get_url()
        if url and edition.status != EditionStatus.IN_FORCE:
            url += document.reverse_subpage("edition", args=(edition.url_key,))
        return {"label": edition_name_of(edition), "url": url, "published": edition}
    return {
        "label": label,
        "url": reverse("wagtailadmin_pages:edit", args=(document.pk,)),
        "published": None,
    }


def review_history(document: ControlledDocument) -> list[dict]:
    """The document's reviews, latest first, each with the new edition it started, if any."""
    return [
        {"review": review, "edition": _draft_edition(document, review)}
        for review in document.reviews.select_related("reviewed_by", "revision")
    ]


# --- admin ---------------------------------------------------------------------------------


def _may_review(user, document: ControlledDocument) -> bool:
    return document.permissions_for_user(user).can_publish()


def _finding(label, help_text) -> forms.CharField:
    """What a review found, in the reviewer's words: required, blank after trimming refused
    (Django's CharField trims before it checks ``required``)."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=help_text,
        error_messages={"required": gettext_lazy("Write what the review found.")},
    )


class ReviewForm(forms.Form):
    comment = _finding(
        gettext_lazy("Comment"), gettext_lazy("What was checked and why nothing needs to change.")
    )


class NewEditionReviewForm(NewEditionForm):
    """The review found that changes are needed: why, and the new edition to start."""

    reason = _finding(
        gettext_lazy("What needs to change"),
        gettext_lazy("What the review found; it stays in the document's history."),
    )
    field_order = ["reason", "label", "version"]


NEW_EDITION_PREFIX = "edition"


def review_document(request, page_id: int):
    """The periodic review of one document: its dates, its earlier reviews, "start a new
    edition" and "reviewed, no change". The quality office of the document's organisation
    only; another organisation's document answers 404."""
    document = get_object_or_404(ControlledDocument, pk=page_id).specific
    if not user_acts_on(request.user, document, "organisation"):
        raise Http404
    if not _may_review(request.user, document):
        raise PermissionDenied
    can_start_edition = document.editions.filter(status=EditionStatus.IN_FORCE).exists()
    wants_edition = request.method == "POST" and "start_new_edition" in request.POST
    edition_form = NewEditionReviewForm(
        request.POST if wants_edition else None, prefix=NEW_EDITION_PREFIX
    )
    form = ReviewForm(request.POST if request.method == "POST" and not wants_edition else None)
    if wants_edition and edition_form.is_valid():
        data = edition_form.cleaned_data
        try:
            review = record_new_edition(
                document=document,
                user=request.user,
                comment=data["reason"],
                label=data["label"],
                version=data["version"],
            )
        except ValidationError as error:
            edition_form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "«%(title)s»: the review found that a new edition is needed. The draft of "
                    "%(edition)s is ready: collect the agreements and approval."
                )
                % {
                    "title": document.get_admin_display_title(),
                    "edition": review_edition_name(review),
                },
            )
            return redirect(reverse("wagtailadmin_pages:edit", args=(document.pk,)))
    elif request.method == "POST" and not wants_edition and form.is_valid():
        record_no_change(document=document, user=request.user, comment=form.cleaned_data["comment"])
        item = review_of(document)
        messages.success(
            request,
            _("«%(title)s»: reviewed, no change. Next review: %(date)s.")
            % {
                "title": document.get_admin_display_title(),
                "date": format_date(item.next_review) if item else "—",
            },
        )
        return redirect(reverse("wagtailadmin_home"))
    return TemplateResponse(
        request,
        "documents/admin/review.html",
        {
            "page": document,
            "form": form,
            "edition_form": edition_form,
            "schedule": review_of(document),
            "reviews": review_history(document),
            "can_start_edition": can_start_edition,
        },
        status=400 if request.method == "POST" else 200,
    )


@hooks.register("register_admin_urls")
def review_admin_urls():
    return [path("documents/<int:page_id>/review/", review_document, name="documents_review")]


class ReviewPanel(Component):
    """Dashboard panel: the documents of the user's organisations overdue for review or due
    within 30 days."""

    name = "sapa_review_due"
    template_name = "documents/admin/review_panel.html"
    order = 90

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {
            "overdue": [item for item in self.items if item.overdue],
            "due_soon": [item for item in self.items if not item.overdue],
            "within_days": DUE_WITHIN_DAYS,
        }


@hooks.register("construct_homepage_panels")
def review_panel(request, panels):
    ids = admin_organisation_ids(request.user)
    if ids is not None and not ids:
        return
    items = [
        item
        for item in due_for_review(organisation_ids=ids)
        if _may_review(request.user, item.document)
    ]
    if items:
        panels.append(ReviewPanel(items))


class ReviewButton(PageMenuItem):
    label = gettext_lazy("Periodic review")
    icon_name = "calendar-check"
    priority = 26

    @property
    def url(self):
        return reverse("documents_review", args=(self.page.pk,))

    def is_shown(self, user):
        page = self.page.specific
        return (
            isinstance(page, ControlledDocument)
            and page.live
            and user_acts_on(user, page, "organisation")
            and _may_review(user, page)
        )


@hooks.register("register_page_header_buttons")
def review_header_button(page, user, view_name, next_url=None):
    if isinstance(page.specific, ControlledDocument):
        yield ReviewButton(page=page, next_url=next_url)


@hooks.register("register_log_actions")
def review_log_actions(actions):
    @actions.register_action(REVIEWED_LOG_ACTION)
    class ReviewedFormatter(LogFormatter):
        label = gettext_lazy("Periodic review")
        message = gettext_lazy("Reviewed, no change")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action(NEW_EDITION_LOG_ACTION)
    class NewEditionFormatter(LogFormatter):
        label = gettext_lazy("Periodic review")

        def format_message(self, log_entry):
            data = log_entry.data
            edition = _edition_named(
                data.get("edition_number"), data.get("edition_version"), data.get("edition", "")
            )
            return _("New edition needed: the draft of %(edition)s was started") % {
                "edition": edition
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")
