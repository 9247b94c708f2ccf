"""Finding records: the filters auditors use, applied inside the permission filter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import QualityRecord, RecordFile
from .permissions import visible_records


@dataclass(frozen=True)
class RecordFilters:
    organisation: int | None = None
    procedure: str = ""  # document number ("715") or code
    form: str = ""  # form number ("715-02") or code
    unit: str = ""  # unit id or abbreviation
    status: str = ""  # open, closed, disposed, on_hold
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def find_records(user, filters: RecordFilters) -> QuerySet:
    queryset = visible_records(user).select_related(
        "series", "form", "unit", "document", "edition", "organisation"
    )
    if filters.organisation:
        queryset = queryset.filter(organisation_id=filters.organisation)
    if filters.procedure:
        queryset = queryset.filter(
            Q(document__number=filters.procedure) | Q(document__code=filters.procedure)
        )
    if filters.form:
        queryset = queryset.filter(Q(form__number=filters.form) | Q(form__code=filters.form))
    if filters.unit:
        unit = filters.unit
        queryset = queryset.filter(
            Q(unit__short_name=unit) | Q(unit_id=int(unit) if unit.isdigit() else None)
        )
    if filters.status == "on_hold":
        queryset = queryset.on_hold()
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.date_from:
        queryset = queryset.filter(period_end__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(period_start__lte=filters.date_to)
    if filters.text:
        words = filters.text.split()
        for word in words:
            in_files = RecordFile.objects.filter(record=OuterRef("pk"), text__icontains=word)
            queryset = queryset.filter(
                Q(identifier__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
                | Exists(in_files)
            )
    return queryset.order_by("-record_date", "-pk")


def record_history(record: QualityRecord) -> list[dict]:
    """Every version of the record, newest first, with who, when, why and what changed."""
    entries = list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    rows = []
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [
                {"field": change.field, "old": change.old, "new": change.new}
                for change in delta.changes
            ]
        rows.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "reason": newer.history_change_reason,
                "type": newer.get_history_type_display(),
                "changes": changes,
            }
        )
    return rows
