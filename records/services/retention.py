"""Holds and disposition: retention ends, two people decide, the certificate is a record."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sapa.documents.models import Organisation
from sapa.localisation.dates import format_date, interface_language

from ..display import person
from ..models import (
    Confidentiality,
    Disposition,
    DispositionStatus,
    Hold,
    PeriodKind,
    QualityRecord,
    RecordSeries,
    RecordStatus,
    RetentionRule,
)
from ..models.series import CERTIFICATE_SERIES_TITLE, CONFIDENTIAL_CERTIFICATE_SERIES_TITLE
from ..permissions import can_manage_retention
from .common import require_reason, save_with_history


@transaction.atomic
def hold_place(
    *,
    reason: str,
    description: str,
    user,
    records=(),
    series=(),
    organisation: Organisation | None = None,
) -> Hold:
    """Put records, or whole series, under hold: no disposition, no deletion, the retention
    clock stops until the hold is released. A hold covers one organisation's records:
    ``organisation``, or the one that owns ``records`` and ``series``."""
    items = [*records, *series]
    if organisation is None:
        organisation = _sole_owner(items)
    if organisation is not None and not can_manage_retention(user, organisation.pk):
        raise PermissionDenied
    require_reason(description)
    if not items:
        raise ValidationError(_("Choose the records or the series to hold."))
    if organisation is None or any(item.organisation_id != organisation.pk for item in items):
        raise ValidationError(_("A hold covers the records of one organisation."))
    hold = Hold(organisation=organisation, reason=reason, description=description, placed_by=user)
    save_with_history(hold, user=user, reason=description)
    hold.records.add(*records)
    hold.series.add(*series)
    return hold


def _sole_owner(items: list) -> Organisation | None:
    """The organisation that owns every one of ``items`` (records or series), or None when
    there are none or they belong to several."""
    owners = {item.organisation_id for item in items}
    return items[0].organisation if len(owners) == 1 else None


@transaction.atomic
def hold_release(*, hold: Hold, user, reason: str) -> Hold:
    if not can_manage_retention(user, hold.organisation_id):
        raise PermissionDenied
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at:
        raise ValidationError(_("This hold was already released."))
    hold.released_at = timezone.now()
    hold.released_by = user
    save_with_history(hold, user=user, reason=reason)
    return hold


def _past_retention(
    *, organisation: Organisation, day: datetime.date | None, held: bool
) -> list[QualityRecord]:
    day = day or timezone.localdate()
    candidates = (
        QualityRecord.objects.filter(organisation=organisation, status=RecordStatus.CLOSED)
        .exclude(series__retention_rule=RetentionRule.PERMANENT)
        .select_related("series", "edition")
    )
    candidates = candidates.on_hold() if held else candidates.not_on_hold()
    eligible = []
    for record in candidates:
        end = record.retention_end()
        if end is not None and end <= day:
            eligible.append(record)
    return eligible


def records_eligible_for_disposition(
    *, organisation: Organisation, day: datetime.date | None = None
) -> list[QualityRecord]:
    """Closed records whose retention has ended by ``day`` and that no hold covers."""
    return _past_retention(organisation=organisation, day=day, held=False)


def records_held_past_retention(
    *, organisation: Organisation, day: datetime.date | None = None
) -> list[QualityRecord]:
    """Closed records whose retention has ended by ``day`` but that a hold keeps: due, and
    not to be disposed of while held. Each carries ``active_holds``, the holds that keep it
    (who placed them, when, why): a held record left the list of those due without a word."""
    records = _past_retention(organisation=organisation, day=day, held=True)
    for record in records:
        record.active_holds = list(
            Hold.objects.filter(released_at__isnull=True)
            .filter(Q(records=record) | Q(series=record.series_id))
            .select_related("placed_by")
            .distinct()
            .order_by("placed_at", "pk")
        )
    return records


def _check_disposable(records: list[QualityRecord], organisation: Organisation) -> None:
    eligible = {r.pk for r in records_eligible_for_disposition(organisation=organisation)}
    held = set(
        QualityRecord.objects.filter(pk__in=[r.pk for r in records])
        .on_hold()
        .values_list("identifier", flat=True)
    )
    if held:
        raise ValidationError(
            _("Records under hold cannot be disposed of: %(ids)s")
            % {"ids": ", ".join(sorted(held))}
        )
    not_due = sorted(r.identifier for r in records if r.pk not in eligible)
    if not_due:
        raise ValidationError(
            _("The retention period of these records has not ended: %(ids)s")
            % {"ids": ", ".join(not_due)}
        )


@transaction.atomic
def disposition_propose(
    *,
    records: list[QualityRecord],
    user,
    note: str = "",
    organisation: Organisation | None = None,
) -> Disposition:
    """Propose ``records`` for disposition; a second person of the quality office decides.
    ``organisation``: the one whose records these are (by default, the one that owns them)."""
    if organisation is None:
        organisation = _sole_owner(records)
        if organisation is None and records:
            raise ValidationError(_("Choose records of one organisation."))
    if organisation is not None and not can_manage_retention(user, organisation.pk):
        raise PermissionDenied
    if not records:
        raise ValidationError(_("Choose the records to dispose of."))
    _check_disposable(records, organisation)
    disposition = Disposition(organisation=organisation, proposed_by=user, note=note)
    save_with_history(disposition, user=user, reason=note or _("Disposition proposed"))
    disposition.records.set(records)
    return disposition


def _locked_for_decision(disposition: Disposition, user, *, proposer: str) -> Disposition:
    """``disposition`` locked for ``user``'s decision: the quality office of its
    organisation decides a proposed disposition, never the person who proposed it (refused
    with ``proposer``)."""
    if not can_manage_retention(user, disposition.organisation_id):
        raise PermissionDenied
    disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
    if disposition.status != DispositionStatus.PROPOSED:
        raise ValidationError(_("This disposition was already decided."))
    if disposition.proposed_by_id == user.pk:
        raise ValidationError(proposer)
    return disposition


@transaction.atomic
def disposition_reject(*, disposition: Disposition, user, note: str) -> Disposition:
    disposition = _locked_for_decision(
        disposition, user, proposer=_("A different person of the quality office must decide.")
    )
    disposition.status = DispositionStatus.REJECTED
    disposition.decided_by = user
    disposition.decided_at = timezone.now()
    save_with_history(disposition, user=user, reason=note)
    return disposition


@transaction.atomic
def disposition_approve(*, disposition: Disposition, user) -> Disposition:
    """A second person approves: the records' files are removed (after the commit), their
    metadata and history stay, and a disposition certificate is filed as a record."""
    disposition = _locked_for_decision(
        disposition,
        user,
        proposer=_(
            "The person who proposed a disposition cannot approve it: a second person must."
        ),
    )
    records = list(
        QualityRecord.objects.select_for_update()
        .filter(pk__in=disposition.records.values("pk"))
        .select_related("series", "unit")
    )
    _check_disposable(records, disposition.organisation)
    now = timezone.now()
    reason = _("Disposed of by disposition no. %(n)s") % {"n": disposition.pk}
    doomed = []
    for record in records:
        # The bytes go (after the commit) and so does every copy of their content: the
        # extracted or OCR'd text (never kept in the files' history, see RecordFile.history).
        # What stays is what ISO 15489 keeps of a disposed record: identifier, series, name,
        # size and checksum of each file, dates, and the decision with its certificate.
        for entry in record.files.filter(Q(removed_at__isnull=True) | ~Q(text="")):
            if entry.removed_at is None:
                doomed.append((entry.file.storage, entry.file.name))
                entry.removed_at = now
            entry.text = ""
            entry.extraction_error = ""
            save_with_history(entry, user=user, reason=reason)
        record.status = RecordStatus.DISPOSED
        record.disposed_at = now
        save_with_history(record, user=user, reason=reason)
    disposition.status = DispositionStatus.APPROVED
    disposition.decided_by = user
    disposition.decided_at = now
    disposition.certificate = _certificate(disposition, records, user)
    save_with_history(disposition, user=user, reason=reason)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in doomed if name])
    return disposition


def _certificate_series(organisation: Organisation, *, confidential: bool) -> RecordSeries:
    """The series Sapa files disposition certificates in. A certificate names the records it
    disposes of, so it is as confidential as the most confidential of them: certificates of
    dispositions that include a confidential record go into a confidential series of their
    own, which staff grants never open (only the quality office, auditors and the unit's
    keepers see it)."""
    title = CONFIDENTIAL_CERTIFICATE_SERIES_TITLE if confidential else CERTIFICATE_SERIES_TITLE
    level = Confidentiality.CONFIDENTIAL if confidential else Confidentiality.NORMAL
    series = RecordSeries.objects.filter(
        organisation=organisation, form=None, title=title, confidentiality=level
    ).first()
    if series is None:
        series = RecordSeries(
            organisation=organisation,
            form=None,
            title=title,
            retention_rule=RetentionRule.PERMANENT,
            confidentiality=level,
        )
        save_with_history(series, user=None, reason=_("Series for disposition certificates"))
    return series


def _certificate_pdf(certificate: QualityRecord, content: dict, proposer, approver) -> bytes:
    """The disposition certificate as a printable act (WeasyPrint, the fonts of the official
    renderings), in the language it is written in, the approver's."""
    from django.template.loader import render_to_string

    from sapa.documents.rendering.html import font_faces
    from sapa.documents.rendering.pdf import html_to_pdf

    html = render_to_string(
        "records/disposition_certificate_pdf.html",
        {
            "title": certificate.title,
            "content": content,
            "proposed_by": person(proposer),
            "approved_by": person(approver),
            "fonts": font_faces(),
        },
    )
    return html_to_pdf(html).data


def _certificate(disposition: Disposition, records: list[QualityRecord], user) -> QualityRecord:
    from .files import file_add
    from .records import record_create

    today = timezone.localdate()
    unit = records[0].unit
    certificate = record_create(
        series=_certificate_series(
            disposition.organisation,
            confidential=any(r.series.is_confidential for r in records),
        ),
        unit=unit,
        title=_("Disposition certificate no. %(n)s") % {"n": disposition.pk},
        period_kind=PeriodKind.DATES,
        period_start=today,
        period_end=today,
        user=user,
        reason=_("Disposition certificate"),
        description=ngettext(
            "%(count)s record disposed of; proposed by %(p)s, approved by %(a)s.",
            "%(count)s records disposed of; proposed by %(p)s, approved by %(a)s.",
            len(records),
        )
        # People by their names, as the records' pages name them (their logins were shown).
        % {"count": len(records), "p": person(disposition.proposed_by), "a": person(user)},
    )
    # Written once, in the language of the person who approves, which it names; dates are
    # given both as data (ISO) and as that person reads them.
    approved_at = timezone.now()
    content = {
        "disposition": disposition.pk,
        "language": interface_language(),
        "organisation": str(disposition.organisation),
        "proposed_by": disposition.proposed_by.get_username(),
        "proposed_at": disposition.proposed_at.isoformat(),
        "proposed_on": format_date(disposition.proposed_at),
        "approved_by": user.get_username(),
        "approved_at": approved_at.isoformat(),
        "approved_on": format_date(approved_at),
        "records": [
            {
                "identifier": r.identifier,
                "title": r.title,
                "series": str(r.series),
                "rule": r.series.get_retention_rule_display(),
                "years": r.series.retention_years,
                "retention": r.series.retention_display(),
                "disposition": r.series.get_disposition_display(),
                "closed_on": r.closed_on.isoformat() if r.closed_on else None,
                "closed_on_text": format_date(r.closed_on),
                "retention_end": (r.retention_end() or today).isoformat(),
                "retention_end_text": format_date(r.retention_end() or today),
                "files": [
                    {"name": f.name, "version": f.version, "sha256": f.sha256}
                    for f in r.files.all()
                ],
            }
            for r in records
        ],
    }
    data = json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
    upload = ContentFile(data, name=f"disposition-{disposition.pk}.json")
    file_add(record=certificate, upload=upload, user=user, reason=_("Disposition certificate"))
    # The act as people read and print it, beside the data: what was disposed of, by whose
    # decision, when (it was the JSON alone).
    act = ContentFile(
        _certificate_pdf(certificate, content, disposition.proposed_by, user),
        name=f"disposition-{disposition.pk}.pdf",
    )
    file_add(record=certificate, upload=act, user=user, reason=_("Disposition certificate"))
    certificate.status = RecordStatus.CLOSED
    certificate.closed_on = today
    save_with_history(certificate, user=user, reason=_("Disposition certificate"))
    return certificate
