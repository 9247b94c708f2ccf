"""Creating and changing records: identifiers, periods, frozen form revision and edition."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from sapa.documents.models import Edition, Unit

from ..models import (
    IdentifierCounter,
    PeriodKind,
    QualityRecord,
    RecordSeries,
    RecordsPolicy,
    RecordStatus,
)
from ..models.policy import DEFAULT_PATTERN
from .common import require_reason, save_with_history

EDITABLE_FIELDS = {"title", "description", "record_date"}


#: What people type between the two years: a hyphen, the dashes a word processor makes of
#: it, a slash; with spaces around or not.
_YEAR_JOIN = re.compile(r"\s*[-\u2010-\u2015/]\s*")


def normal_academic_year(typed: str) -> str:
    """``typed`` written as academic years are, "2025-2026": "2025–2026" (an en dash, as
    Word makes it), "2025/2026" and " 2025 - 2026 " are the same year."""
    return _YEAR_JOIN.sub("-", typed.strip())


def academic_year_bounds(academic_year: str) -> tuple[datetime.date, datetime.date]:
    try:
        first, second = (int(part) for part in normal_academic_year(academic_year).split("-"))
    except ValueError:
        first = second = 0
    # four-digit years: "25-26" listed nothing at all, from the year 25 (a tester)
    if second != first + 1 or not 1900 <= first <= 2199:
        raise ValidationError({"academic_year": _("Write the academic year as 2025-2026.")})
    return datetime.date(first, 9, 1), datetime.date(second, 8, 31)


def period_bounds(
    *, kind: str, academic_year: str, semester: int | None, start, end
) -> tuple[datetime.date, datetime.date]:
    if kind == PeriodKind.DATES:
        # Each case said as it is: empty days were told to be "given in order" (a tester).
        if not start:
            raise ValidationError({"period_start": _("Fill in the first day of the period.")})
        if not end:
            raise ValidationError({"period_end": _("Fill in the last day of the period.")})
        if end < start:
            raise ValidationError(
                {"period_end": _("The last day of the period comes before its first day.")}
            )
        return start, end
    year_start, year_end = academic_year_bounds(academic_year)
    if kind == PeriodKind.ACADEMIC_YEAR:
        return year_start, year_end
    if semester == 1:
        return year_start, datetime.date(year_end.year, 1, 31)
    if semester == 2:
        return datetime.date(year_end.year, 2, 1), year_end
    raise ValidationError({"semester": _("The semester is 1 or 2.")})


def form_revision_on(form, day: datetime.date) -> Revision | None:
    """The form's revision that was current on ``day`` (its first one if it is younger)."""
    if form is None:
        return None
    end_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    revisions = form.revisions.order_by("-created_at", "-pk")
    return revisions.filter(created_at__lte=end_of_day).first() or revisions.last()


def allocate_identifier(*, series: RecordSeries, unit: Unit, period_label: str, year: int) -> str:
    policy = RecordsPolicy.objects.filter(organisation=series.organisation).first()
    pattern = policy.identifier_pattern if policy else DEFAULT_PATTERN
    values = {
        "form": series.identifier_prefix,
        "period": period_label,
        "unit": unit.short_name or str(unit.pk),
        "year": year,
    }
    key = pattern.replace("{seq:04d}", "{seq}").format(**values, seq="#")
    counter, _created = IdentifierCounter.objects.select_for_update().get_or_create(
        organisation=series.organisation, key=key
    )
    counter.value += 1
    counter.save(update_fields=["value"])
    return pattern.format(**values, seq=counter.value)


@transaction.atomic
def record_create(
    *,
    series: RecordSeries,
    unit: Unit,
    title: str,
    period_kind: str,
    user,
    reason: str = "",
    academic_year: str = "",
    semester: int | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    record_date: datetime.date | None = None,
    description: str = "",
) -> QualityRecord:
    """Make a record of ``series`` for ``unit``: its identifier, and frozen links to the form
    revision and the procedure edition that were in force on the record's date."""
    if unit.organisation_id != series.organisation_id:
        raise ValidationError(_("The unit belongs to another organisation."))
    if not title.strip():
        raise ValidationError(_("Give the record a title."))
    # the year as academic years are written; a period of dates has none (a year typed and
    # then hidden by choosing dates is not kept)
    uses_year = period_kind != PeriodKind.DATES
    academic_year = normal_academic_year(academic_year) if academic_year and uses_year else ""
    start, end = period_bounds(
        kind=period_kind,
        academic_year=academic_year,
        semester=semester,
        start=period_start,
        end=period_end,
    )
    day = record_date or timezone.localdate()
    form = series.form
    document = form.owning_document if form else None
    edition = Edition.objects.in_force_on(document=document, day=day) if document else None
    record = QualityRecord(
        organisation=series.organisation,
        series=series,
        form=form,
        form_revision=form_revision_on(form, day),
        document=document,
        edition=edition,
        unit=unit,
        period_kind=period_kind,
        academic_year=academic_year,
        semester=semester,
        period_start=start,
        period_end=end,
        record_date=day,
        title=title.strip(),
        description=description,
        created_by=user,
    )
    record.identifier = allocate_identifier(
        series=series, unit=unit, period_label=record.period_label.replace("/", "-"), year=day.year
    )
    save_with_history(record, user=user, reason=reason or _("Record created"))
    return record


@transaction.atomic
def record_update(*, record: QualityRecord, user, reason: str, **changes) -> QualityRecord:
    """Change what may change (title, description, date); everything else is the record's
    identity and stays."""
    require_reason(reason)
    record = QualityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == RecordStatus.DISPOSED:
        raise ValidationError(_("A disposed record cannot be changed."))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if changes.get("record_date") and changes["record_date"] > timezone.localdate():
        raise ValidationError(
            {"record_date": _("A record is dated the day it was made: not later than today.")}
        )
    for name, value in changes.items():
        setattr(record, name, value)
    save_with_history(record, user=user, reason=reason)
    return record


@transaction.atomic
def record_close(
    *, record: QualityRecord, user, reason: str, closed_on: datetime.date | None = None
) -> QualityRecord:
    """Close a record: from this day its retention period runs."""
    record = QualityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != RecordStatus.OPEN:
        raise ValidationError(_("Only an open record can be closed."))
    record.status = RecordStatus.CLOSED
    record.closed_on = closed_on or timezone.localdate()
    save_with_history(record, user=user, reason=reason)
    return record
