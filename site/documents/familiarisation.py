"""Familiarisation: tasks to read an edition or change when it takes effect, their
confirmation, and who may see a sheet.

Called from ``services.edition_record_publication``, the one place every publication passes
(admin, workflow, scheduled go-live, management commands)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapa.localisation.profile import preferred_language

from .admin_permissions import admin_organisation_ids
from .models import (
    ControlledDocument,
    Edition,
    FamiliarisationSheet,
    FamiliarisationTask,
    Unit,
    UnitMember,
)
from .templatetags.documents_tags import sheet_subject

logger = logging.getLogger(__name__)


def units_with_descendants(units) -> set[int]:
    """The ids of ``units`` and of every unit below them."""
    ids = {unit.pk if isinstance(unit, Unit) else unit for unit in units}
    frontier = set(ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= ids
        ids |= frontier
    return ids


def audience_units(document: ControlledDocument) -> set[int]:
    """The units a document applies to: its owning unit and the units below it; a document
    without an owning unit applies to every unit of its organisation."""
    if document.owning_unit_id:
        return units_with_descendants([document.owning_unit_id])
    if document.organisation_id is None:
        return set()
    return set(
        Unit.objects.filter(organisation_id=document.organisation_id).values_list("pk", flat=True)
    )


def familiarisation_start(
    *, document: ControlledDocument, edition: Edition, revision, new_edition: bool
) -> FamiliarisationSheet | None:
    """Start the sheet of what has just taken effect: a new edition (whose earlier editions'
    open tasks are closed), or the change(s) this revision carried. Emails the people after
    the publication commits."""
    change = edition.changes.filter(revision=revision).order_by("-pk").first()
    has_sheet = edition.familiarisation_sheets.exists()
    if not new_edition and has_sheet and change is None:
        return None  # republished without a new register row: nothing new to read
    if new_edition or not has_sheet:
        change = None
        FamiliarisationTask.objects.filter(
            sheet__document=document, confirmed_at__isnull=True, closed_at__isnull=True
        ).exclude(sheet__edition=edition).update(closed_at=timezone.now())
    sheet = FamiliarisationSheet.objects.create(
        document=document, edition=edition, change=change, revision=revision
    )
    members = (
        UnitMember.objects.filter(unit_id__in=audience_units(document), user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__name", "pk")
    )
    seen: set[int] = set()
    tasks = []
    for member in members:
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        tasks.append(FamiliarisationTask(sheet=sheet, user=member.user, unit=member.unit))
    FamiliarisationTask.objects.bulk_create(tasks)
    transaction.on_commit(lambda: familiarisation_email(sheet_id=sheet.pk))
    return sheet


class MailServerUnreachable(Exception):
    """The mail server could not be reached: nobody was emailed."""


def familiarisation_email(*, sheet_id: int) -> int:
    """Email every person of the sheet who has not been emailed yet; returns how many.

    Called once the publication has committed: a mail server that cannot be reached, or that
    refuses an address, leaves those people not emailed (logged) and the publication as it
    is; each of them still finds the document in their documents to read, and
    ``manage.py documents_familiarisation_emails`` emails them later."""
    try:
        return reading_emails_send(FamiliarisationTask.objects.filter(sheet_id=sheet_id))
    except MailServerUnreachable:
        logger.exception("familiarisation emails of sheet %s not sent: no mail server", sheet_id)
        return 0


def unsent_tasks(tasks: QuerySet | None = None) -> QuerySet:
    """Of ``tasks`` (every task by default), those still open (not confirmed, not closed by a
    newer edition) whose person has not been emailed and has an active account with an
    address."""
    tasks = FamiliarisationTask.objects.all() if tasks is None else tasks
    return (
        tasks.filter(
            emailed_at__isnull=True,
            confirmed_at__isnull=True,
            closed_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("sheet_id", "pk")
    )


def reading_emails_send(tasks: QuerySet) -> int:
    """Email the people of ``tasks`` not emailed yet (``unsent_tasks``), each in their own
    language, through one connection; returns how many were emailed. An address the server
    refuses is logged and left not emailed; raises ``MailServerUnreachable`` (nobody
    emailed) when the server cannot be reached."""
    unsent = list(
        unsent_tasks(tasks).select_related(
            "user",
            "user__wagtail_userprofile",
            "sheet__document",
            "sheet__edition",
            "sheet__change",
        )
    )
    if not unsent:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        raise MailServerUnreachable(str(error) or type(error).__name__) from error
    about: dict[int, tuple] = {}  # per sheet: its document, link and reading list's address
    sent = 0
    try:
        for task in unsent:
            if task.sheet_id not in about:
                document = task.sheet.document.specific
                about[task.sheet_id] = (document, document.full_url or "", my_reading_url(document))
            document, link, reading = about[task.sheet_id]
            # in the recipient's language: their profile's choice, else the site's
            with translation.override(preferred_language(task.user) or settings.LANGUAGE_CODE):
                subject = _("To read: %(document)s") % {"document": document}
                body = _(
                    "%(document)s, %(what)s, has taken effect and applies to your unit.\n"
                    "Open it, read it and confirm with the button «I have read and understood» "
                    "at the end of the page:\n%(link)s\n\nYour documents to read: %(reading)s\n"
                ) % {
                    "document": document,
                    "what": sheet_subject(task.sheet),
                    "link": link,
                    "reading": reading,
                }
            try:
                EmailMessage(subject, body, None, [task.user.email], connection=connection).send()
            except (smtplib.SMTPException, OSError):
                logger.exception("familiarisation email to user %s not sent", task.user_id)
                continue
            task.emailed_at = timezone.now()
            task.save(update_fields=["emailed_at"])
            sent += 1
    finally:
        connection.close()
    return sent


def my_reading_url(document: ControlledDocument) -> str:
    """``/my/reading/`` as a full address on the site the document belongs to, the host its
    own link in the same email is on (a bare path is no link in a mail reader); on
    ``WAGTAILADMIN_BASE_URL`` when the document has no address of its own."""
    from django.urls import reverse

    parts = document.get_url_parts()
    root = parts[1] if parts and parts[1] else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + reverse("familiarisation:mine")


def open_tasks(user, document=None) -> QuerySet:
    """``user``'s tasks not yet confirmed (of ``document`` only, when given)."""
    if not user or not user.is_authenticated:
        return FamiliarisationTask.objects.none()
    tasks = FamiliarisationTask.objects.filter(
        user=user, confirmed_at__isnull=True, closed_at__isnull=True
    ).select_related("sheet__document", "sheet__edition", "sheet__change")
    if document is not None:
        tasks = tasks.filter(sheet__document_id=document.pk)
    return tasks.order_by("sheet__started_at", "pk")


def mark_opened(*, user, document) -> int:
    """Record that ``user`` opened the text in force of ``document``."""
    return (
        open_tasks(user, document).filter(opened_at__isnull=True).update(opened_at=timezone.now())
    )


# Headers a browser sends when it fetches a page ahead of time (link prefetch, speculation
# rules, prerender, a tab preview), not because the person opened it.
_AHEAD_OF_TIME_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
_AHEAD_OF_TIME_WORDS = ("prefetch", "prerender", "preview")


def fetched_ahead_of_time(request) -> bool:
    for header in _AHEAD_OF_TIME_HEADERS:
        value = request.headers.get(header, "").lower()
        if any(word in value for word in _AHEAD_OF_TIME_WORDS):
            return True
    return False


def record_opening(*, request, document) -> int:
    """The signed-in person GETs the page of the text in force of ``document``: their open
    tasks for it are opened now. A HEAD, a prefetch, an admin preview, or any other page that
    merely lists or shows the task opens nothing. Returns how many tasks were opened."""
    user = getattr(request, "user", None)
    if (
        request.method != "GET"
        or user is None
        or not user.is_authenticated
        or getattr(request, "is_preview", False)
        or fetched_ahead_of_time(request)
    ):
        return 0
    return mark_opened(user=user, document=document)


@transaction.atomic
def confirm(*, user, document) -> int:
    """``user`` has read and understood the text in force of ``document``: every open task
    of theirs for it that they opened is confirmed now. Returns how many."""
    return (
        open_tasks(user, document)
        .filter(opened_at__isnull=False)
        .update(confirmed_at=timezone.now())
    )


# --- who sees a sheet -----------------------------------------------------------------------


def headed_unit_ids(user) -> set[int]:
    """The units ``user`` heads, with the units below them."""
    if not user or not user.is_authenticated:
        return set()
    heads = UnitMember.objects.filter(user=user, is_head=True).values_list("unit_id", flat=True)
    return units_with_descendants(list(heads)) if heads else set()


def sheets_for(user) -> QuerySet:
    """The sheets ``user`` may open: the quality office those of its organisations, a unit
    head those with a task in their unit; nobody else any."""
    if not user or not user.is_authenticated or not user.is_active:
        return FamiliarisationSheet.objects.none()
    sheets = FamiliarisationSheet.objects.select_related("document", "edition", "change")
    ids = admin_organisation_ids(user)
    if ids is None:
        return sheets
    visible = Q(document__organisation_id__in=sorted(ids))
    units = headed_unit_ids(user)
    if units:
        visible |= Q(tasks__unit_id__in=sorted(units))
    return sheets.filter(visible).distinct() if (ids or units) else sheets.none()


def sheet_tasks(sheet: FamiliarisationSheet, user) -> QuerySet:
    """The rows of ``sheet`` that ``user`` sees: all for the quality office, the rows of
    their units for a unit head."""
    tasks = sheet.tasks.select_related("user", "unit").order_by(
        "unit__name", "user__last_name", "user__username"
    )
    ids = admin_organisation_ids(user)
    if ids is None or sheet.document.organisation_id in ids:
        return tasks
    return tasks.filter(unit_id__in=sorted(headed_unit_ids(user)))


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def status_of(task: FamiliarisationTask) -> str:
    if task.confirmed_at:
        return _("confirmed")
    if task.closed_at:
        return _("not confirmed (edition replaced)")
    return _("not confirmed yet")
