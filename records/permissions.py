"""Who may do what with quality records. Every view, export and search result asks here.

Roles are Django groups (names below); record keepers are tied to their units by
``KeeperAssignment``; staff see a series only through a ``SeriesGrant``. Confidential series
(students' social situation, complaints, health) are visible only to the quality office,
the owning unit's keepers and auditors.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Confidentiality, KeeperAssignment, QualityRecord, RecordStatus, SeriesGrant

QUALITY_OFFICE_GROUP = "Сапа бөлімі"
KEEPERS_GROUP = "Жазба жүргізушілер"
AUDITORS_GROUP = "Аудиторлар"


def _in_group(user, name: str) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_sapa_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._sapa_groups = cache
    return name in cache


def is_quality_office(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser) or _in_group(
        user, QUALITY_OFFICE_GROUP
    )


def is_auditor(user) -> bool:
    return _in_group(user, AUDITORS_GROUP)


def keeper_unit_ids(user) -> set[int]:
    if not _in_group(user, KEEPERS_GROUP):
        return set()
    return set(KeeperAssignment.objects.filter(user=user).values_list("unit_id", flat=True))


def visible_records(user, queryset: QuerySet | None = None) -> QuerySet:
    """The records ``user`` may see, as a filter inside the query (never applied afterwards)."""
    queryset = QualityRecord.objects.all() if queryset is None else queryset
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_quality_office(user) or is_auditor(user):
        return queryset
    units = keeper_unit_ids(user)
    granted = SeriesGrant.objects.filter(user=user).values("series_id")
    allowed = Q(unit_id__in=units) | (
        Q(series_id__in=granted) & ~Q(series__confidentiality=Confidentiality.CONFIDENTIAL)
    )
    return queryset.filter(allowed)


def can_view(user, record: QualityRecord) -> bool:
    return visible_records(user, QualityRecord.objects.filter(pk=record.pk)).exists()


def can_create(user, unit_id: int) -> bool:
    return is_quality_office(user) or unit_id in keeper_unit_ids(user)


def can_edit(user, record: QualityRecord) -> bool:
    if record.status == RecordStatus.DISPOSED:
        return False
    return is_quality_office(user) or record.unit_id in keeper_unit_ids(user)


def can_manage_retention(user) -> bool:
    """Holds, dispositions, the nomenclature: the quality office only."""
    return is_quality_office(user)


def can_read_access_log(user) -> bool:
    return is_quality_office(user) or is_auditor(user)


def can_export(user) -> bool:
    return is_quality_office(user) or is_auditor(user)
