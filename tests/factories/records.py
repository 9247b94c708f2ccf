"""Records test data: one organisation with two units, two series (one confidential), and
a user for every role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from records.models import (
    Confidentiality,
    KeeperAssignment,
    OrganisationMembership,
    RecordSeries,
    SeriesGrant,
)
from records.permissions import AUDITORS_GROUP, KEEPERS_GROUP, QUALITY_OFFICE_GROUP
from records.services import file_add, record_create
from records.services.common import save_with_history
from sapa.documents.models import Organisation, QmsForm, Unit


@dataclass
class World:
    organisation: Organisation
    institute: Unit
    chair: Unit
    plans: RecordSeries
    certificates: RecordSeries
    users: dict


def user(username: str, *groups: str, is_superuser: bool = False):
    account = get_user_model().objects.create_user(
        username=username, password=username, is_superuser=is_superuser
    )
    for name in groups:
        account.groups.add(Group.objects.get_or_create(name=name)[0])
    return account


def form(organisation, number: str, title: str) -> QmsForm:
    item = QmsForm.objects.create(
        organisation=organisation,
        code=f"ҚазҰТЗУ {number} Ү",
        number=number,
        kind="Ү",
        title=title,
    )
    item.save_revision()
    return item


def series(organisation, form_obj, *, confidential=False, years=5, rule="years") -> RecordSeries:
    item = RecordSeries(
        organisation=organisation,
        form=form_obj,
        title=form_obj.title,
        retention_rule=rule,
        retention_years=years,
        confidentiality=Confidentiality.CONFIDENTIAL if confidential else Confidentiality.NORMAL,
    )
    save_with_history(item, user=None, reason="test nomenclature")
    return item


def build_world(library) -> World:
    organisation = Organisation.for_page(library)
    institute = Unit.objects.get_or_create(
        organisation=organisation,
        name="Ақпараттық және телекоммуникациялық технологиялар институты",
        defaults={"short_name": "ИТИ"},
    )[0]
    chair = Unit.objects.create(
        organisation=organisation, name="Геология кафедрасы", short_name="ГК"
    )
    plans = series(organisation, form(organisation, "715-02", "Эдвайзердің жұмыс жоспары"))
    certificates = series(
        organisation, form(organisation, "715-01", "МЗТО-дан анықтама"), confidential=True
    )
    users = {
        "quality": user("quality", QUALITY_OFFICE_GROUP),
        "quality2": user("quality2", QUALITY_OFFICE_GROUP),
        "keeper": user("keeper", KEEPERS_GROUP),
        "keeper_other": user("keeper_other", KEEPERS_GROUP),
        "staff": user("staff"),
        "granted": user("granted"),
        "auditor": user("auditor", AUDITORS_GROUP),
    }
    for name in ("quality", "quality2", "auditor"):
        OrganisationMembership.objects.create(user=users[name], organisation=organisation)
    KeeperAssignment.objects.create(user=users["keeper"], unit=institute)
    KeeperAssignment.objects.create(user=users["keeper_other"], unit=chair)
    SeriesGrant.objects.create(user=users["granted"], series=plans)
    SeriesGrant.objects.create(user=users["granted"], series=certificates)
    return World(organisation, institute, chair, plans, certificates, users)


def make_record(
    world: World,
    *,
    series=None,
    unit=None,
    title="Эдвайзер жоспары",
    year="2025-2026",
    user=None,
    record_date=None,
):
    return record_create(
        series=series or world.plans,
        unit=unit or world.institute,
        title=title,
        period_kind="academic_year",
        academic_year=year,
        record_date=record_date or datetime.date(int(year[:4]), 10, 1),
        user=user or world.users["keeper"],
        reason="толтырылды",
    )


def attach(record, data: bytes, name: str, *, user, reason="қол қойылған нұсқа"):
    return file_add(record=record, upload=ContentFile(data, name=name), user=user, reason=reason)
