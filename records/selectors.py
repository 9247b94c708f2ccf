"""Finding records: the filters auditors use, applied inside the permission filter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from sapa.documents.models import ControlledDocument, QmsForm, Unit

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
    """Records ``user`` may see, filtered. Names typed by the user (procedure, form, unit) are
    turned into ids first, so that the list query walks one index in its own order and stops
    at the page: a million records answer as fast as a thousand. With a period filter the
    newest periods come first; otherwise the newest records."""
    queryset = visible_records(user).select_related(
        "series", "form", "unit", "document", "edition", "organisation"
    )
    if filters.organisation:
        queryset = queryset.filter(organisation_id=filters.organisation)
    if filters.procedure:
        documents = ControlledDocument.objects.filter(
            Q(number=filters.procedure) | Q(code=filters.procedure)
        )
        queryset = queryset.filter(document_id__in=list(documents.values_list("pk", flat=True)))
    if filters.form:
        forms = QmsForm.objects.filter(Q(number=filters.form) | Q(code=filters.form))
        queryset = queryset.filter(form_id__in=list(forms.values_list("pk", flat=True)))
    if filters.unit:
        units = Unit.objects.filter(short_name=filters.unit)
        if filters.unit.isdigit():
            units = Unit.objects.filter(Q(short_name=filters.unit) | Q(pk=int(filters.unit)))
        queryset = queryset.filter(unit_id__in=list(units.values_list("pk", flat=True)))
    if filters.status == "on_hold":
        queryset = queryset.on_hold()
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.date_from:
        queryset = queryset.filter(period_end__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(period_start__lte=filters.date_to)
    if filters.text and getattr(settings, "SAPA_RECORD_TEXT_SEARCH", ""):
        # The search index answers (Kazakh stemming, extracted text of the files); it is a
        # higher layer, so it is named in the settings rather than imported here.
        matching = import_string(settings.SAPA_RECORD_TEXT_SEARCH)
        queryset = queryset.filter(pk__in=matching(user, filters.text))
    elif filters.text:
        for word in filters.text.split():
            in_files = RecordFile.objects.filter(record=OuterRef("pk"), text__icontains=word)
            queryset = queryset.filter(
                Q(identifier__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
                | Exists(in_files)
            )
    if filters.date_from or filters.date_to:
        return queryset.order_by("-period_start", "-id")
    return queryset.order_by("-record_date", "-id")


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: past that the page says "1000+" instead of scanning a
    million rows for an exact number nobody reads (narrow the filters to page further)."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


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
