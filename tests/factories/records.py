"""Records test data, as factory_boy factories: one organisation with two units, two series
(one confidential), and a user for every role. Series and records are made through the
services people's actions go through (history, identifiers), never by writing rows past them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
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


class UserFactory(factory.django.DjangoModelFactory):
    """An account whose password is its name (as the demo's), in the groups given."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_superuser = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=kwargs["username"], **kwargs)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class QmsFormFactory(factory.django.DjangoModelFactory):
    """A form of a procedure (with its first revision, as the admin saves it)."""

    class Meta:
        model = QmsForm
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"715-{n + 10:02d}")
    code = factory.LazyAttribute(lambda o: f"ҚазҰТЗУ {o.number} Ү")
    kind = "Ү"
    title = "Эдвайзердің жұмыс жоспары"

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create:
            self.save_revision()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Кафедра {n}")
    short_name = factory.Sequence(lambda n: f"К{n}")


class RecordSeriesFactory(factory.django.DjangoModelFactory):
    """A series of the records nomenclature, saved with its history row."""

    class Meta:
        model = RecordSeries

    organisation = factory.SelfAttribute("form.organisation")
    title = factory.SelfAttribute("form.title")
    retention_rule = "years"
    retention_years = 5
    confidentiality = Confidentiality.NORMAL

    class Params:
        confidential = factory.Trait(confidentiality=Confidentiality.CONFIDENTIAL)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        item = model_class(*args, **kwargs)
        save_with_history(item, user=None, reason="test nomenclature")
        return item


class QualityRecordFactory(factory.Factory):
    """A record filed by its keeper through ``record_create``, as the records page files it."""

    class Meta:
        model = dict  # built by the service below, never by the model's constructor

    title = "Эдвайзер жоспары"
    period_kind = "academic_year"
    academic_year = "2025-2026"
    record_date = factory.LazyAttribute(lambda o: datetime.date(int(o.academic_year[:4]), 10, 1))
    reason = "толтырылды"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return record_create(**kwargs)


def user(username: str, *groups: str, is_superuser: bool = False):
    return UserFactory(username=username, groups=groups, is_superuser=is_superuser)


def form(organisation, number: str, title: str) -> QmsForm:
    return QmsFormFactory(organisation=organisation, number=number, title=title)


def series(organisation, form_obj, *, confidential=False, years=5, rule="years") -> RecordSeries:
    return RecordSeriesFactory(
        organisation=organisation,
        form=form_obj,
        confidential=confidential,
        retention_years=years,
        retention_rule=rule,
    )


def build_world(library) -> World:
    organisation = Organisation.for_page(library)
    institute = Unit.objects.get_or_create(
        organisation=organisation,
        name="Ақпараттық және телекоммуникациялық технологиялар институты",
        defaults={"short_name": "ИТИ"},
    )[0]
    chair = UnitFactory(organisation=organisation, name="Геология кафедрасы", short_name="ГК")
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
    for granted in (plans, certificates):
        SeriesGrant.objects.create(user=users["granted"], series=granted)
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
    return QualityRecordFactory(
        series=series or world.plans,
        unit=unit or world.institute,
        title=title,
        academic_year=year,
        **({"record_date": record_date} if record_date else {}),
        user=user or world.users["keeper"],
    )


def attach(record, data: bytes, name: str, *, user, reason="қол қойылған нұсқа"):
    return file_add(record=record, upload=ContentFile(data, name=name), user=user, reason=reason)
