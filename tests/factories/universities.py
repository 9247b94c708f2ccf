"""Two universities as the demo builds them (ҚазҰТЗУ and АӨУ), each with a form, a unit and
a series, and a quality-office member of ҚазҰТЗУ only: the organisation-boundary tests of
the admin use them."""

from __future__ import annotations

from dataclasses import dataclass

from records.models import OrganisationMembership, RecordSeries
from records.permissions import QUALITY_OFFICE_GROUP
from sapa.documents.models import DocumentLibraryPage, Organisation, QmsForm, Unit

from .records import series, user


@dataclass
class Universities:
    kaz: Organisation
    aru: Organisation
    kaz_library: DocumentLibraryPage
    aru_library: DocumentLibraryPage
    kaz_form: QmsForm
    aru_form: QmsForm
    kaz_unit: Unit
    aru_unit: Unit
    kaz_series: RecordSeries
    aru_series: RecordSeries
    office: object  # quality office, member of ҚазҰТЗУ only
    root: object  # superuser


def qms_form(organisation, code, number, kind, title):
    item = QmsForm.objects.create(
        organisation=organisation, code=code, number=number, kind=kind, title=title
    )
    item.save_revision()
    return item


def build_universities(kaznrtu_library, aru_library) -> Universities:
    """A form, a unit and a series in each university, a quality-office member of ҚазҰТЗУ
    only and a superuser. Build it after the demo's groups (the ``users`` fixture), so that
    the quality-office group holds the demo's model and page permissions on both."""
    kaz = Organisation.for_page(kaznrtu_library)
    aru = Organisation.for_page(aru_library)
    kaz_form = qms_form(kaz, "ҚазҰТЗУ 715-02 Ү", "715-02", "Ү", "Эдвайзердің жұмыс жоспары")
    aru_form = qms_form(aru, "АӨУ 12-01 Ф", "12-01", "Ф", "Ментордың жылдық есебі")
    office = user("kaz_office", QUALITY_OFFICE_GROUP)
    OrganisationMembership.objects.create(user=office, organisation=kaz)
    return Universities(
        kaz=kaz,
        aru=aru,
        kaz_library=kaznrtu_library,
        aru_library=aru_library,
        kaz_form=kaz_form,
        aru_form=aru_form,
        kaz_unit=Unit.objects.get(organisation=kaz, short_name="ИТИ"),
        aru_unit=Unit.objects.get(organisation=aru, short_name="ӘМЖСД"),
        kaz_series=series(kaz, kaz_form),
        aru_series=series(aru, aru_form),
        office=office,
        root=user("root", is_superuser=True),
    )
