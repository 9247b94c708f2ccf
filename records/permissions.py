"""Who may do what with quality records. Every view, export and search result asks here.

Roles are Django groups (names below). The quality office and auditors act on the records
of the organisations they are members of (``OrganisationMembership``; a superuser on every
one); record keepers are tied to their units by ``KeeperAssignment``; staff see a series only
through a ``SeriesGrant``. Confidential series (students' social situation, complaints,
health) are visible only to the quality office, the owning unit's keepers and auditors.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sapa.documents.models import Organisation, Unit

from .models import (
    Confidentiality,
    Disposition,
    KeeperAssignment,
    OrganisationMembership,
    QualityRecord,
    RecordStatus,
    SeriesGrant,
)

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


def organisation_ids(user) -> frozenset[int] | None:
    """The organisations whose records ``user`` acts on as quality office or auditor: None
    for a superuser (every one), else their memberships (none without one of the roles)."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    if not (is_quality_office(user) or is_auditor(user)):
        return frozenset()
    cache = getattr(user, "_sapa_organisations", None)
    if cache is None:
        cache = frozenset(
            OrganisationMembership.objects.filter(user=user).values_list(
                "organisation_id", flat=True
            )
        )
        user._sapa_organisations = cache
    return cache


def managed_organisations(user) -> QuerySet:
    """The configured organisations ``user``'s role covers."""
    ids = organisation_ids(user)
    organisations = Organisation.configured()
    return organisations if ids is None else organisations.filter(pk__in=ids)


def acts_for(user, organisation_id: int | None) -> bool:
    """Whether ``user``'s quality-office or auditor role covers this organisation."""
    ids = organisation_ids(user)
    return ids is None or organisation_id in ids


def keeper_unit_ids(user) -> set[int]:
    if not _in_group(user, KEEPERS_GROUP):
        return set()
    # asked several times a request (the list's filter, its "New record" button): once
    cache = getattr(user, "_sapa_keeper_units", None)
    if cache is None:
        cache = frozenset(
            KeeperAssignment.objects.filter(user=user).values_list("unit_id", flat=True)
        )
        user._sapa_keeper_units = cache
    return set(cache)


def filing_units(user) -> QuerySet:
    """The units whose records ``user`` may file: a keeper's own units, and every unit of
    the organisations the quality office member manages."""
    units = Unit.objects.filter(pk__in=keeper_unit_ids(user))
    if is_quality_office(user):
        units |= Unit.objects.filter(organisation__in=managed_organisations(user))
    return units


def may_see_records(user) -> bool:
    """Whether ``user`` may see any record at all: a quality office or an auditor of an
    organisation, a unit's keeper, or someone granted a series that is not confidential (as
    ``visible_records`` filters them; staff are none of these)."""
    organisations = organisation_ids(user)
    return (
        organisations is None
        or bool(organisations)
        or bool(keeper_unit_ids(user))
        or SeriesGrant.objects.filter(user=user)
        .exclude(series__confidentiality=Confidentiality.CONFIDENTIAL)
        .exists()
    )


def visible_records(user, queryset: QuerySet | None = None) -> QuerySet:
    """The records ``user`` may see, as a filter inside the query (never applied afterwards)."""
    queryset = QualityRecord.objects.all() if queryset is None else queryset
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    organisations = organisation_ids(user)
    if organisations is None or (
        organisations
        and organisations >= set(Organisation.configured().values_list("pk", flat=True))
    ):
        return queryset  # every organisation: no filter, so the list keeps its index plans
    # Only the parts that can match go into the query: an OR with an empty or subquery part
    # would keep the database from using the organisation index.
    parts = []
    if organisations:
        parts.append(Q(organisation_id__in=sorted(organisations)))
    units = keeper_unit_ids(user)
    if units:
        parts.append(Q(unit_id__in=sorted(units)))
    granted = list(SeriesGrant.objects.filter(user=user).values_list("series_id", flat=True))
    if granted:
        parts.append(
            Q(series_id__in=granted) & ~Q(series__confidentiality=Confidentiality.CONFIDENTIAL)
        )
    if not parts:
        return queryset.none()
    allowed = parts[0]
    for part in parts[1:]:
        allowed |= part
    return queryset.filter(allowed)


def can_create(user, unit_id: int) -> bool:
    if unit_id in keeper_unit_ids(user):
        return True
    organisation_id = Unit.objects.filter(pk=unit_id).values_list("organisation_id", flat=True)
    return is_quality_office(user) and acts_for(user, organisation_id.first())


def can_edit(user, record: QualityRecord) -> bool:
    """Open records: their unit's keepers and the quality office. A closed record is frozen
    for its keepers; only the quality office corrects it (each change a new version with its
    reason). A disposition certificate and a disposed record are changed by nobody."""
    if record.status == RecordStatus.DISPOSED or _is_certificate(record):
        return False
    if is_quality_office(user) and acts_for(user, record.organisation_id):
        return True
    return record.status == RecordStatus.OPEN and record.unit_id in keeper_unit_ids(user)


def keeps(user, record: QualityRecord) -> bool:
    """Whether ``user`` is among the people who change ``record`` (its unit's keepers, the
    quality office of its organisation), whatever its state: a refusal tells them why this
    record is closed to them, not that they are not its people."""
    return record.unit_id in keeper_unit_ids(user) or (
        is_quality_office(user) and acts_for(user, record.organisation_id)
    )


def _is_certificate(record: QualityRecord) -> bool:
    return Disposition.objects.filter(certificate_id=record.pk).exists()


def can_manage_retention(user, organisation_id: int | None = None) -> bool:
    """Holds, dispositions, the nomenclature: the quality office only, of the organisation
    concerned (without one: of any organisation)."""
    if not is_quality_office(user):
        return False
    if organisation_id is None:
        return organisation_ids(user) != frozenset()
    return acts_for(user, organisation_id)


def can_read_access_log(user) -> bool:
    return is_quality_office(user) or is_auditor(user)


def can_export(user) -> bool:
    return is_quality_office(user) or is_auditor(user)
