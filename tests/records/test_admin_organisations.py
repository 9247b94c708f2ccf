"""Organisation boundaries in the records admin (issue 10, S3): the nomenclature, keepers,
grants, memberships and identifier patterns of АӨУ stay out of reach of a quality-office
member of ҚазҰТЗУ only, on every view: listing, edit, delete, history, usage."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from records.models import (
    KeeperAssignment,
    OrganisationMembership,
    RecordSeries,
    RecordsPolicy,
    SeriesGrant,
)
from records.permissions import KEEPERS_GROUP, QUALITY_OFFICE_GROUP
from tests.factories.records import user
from tests.factories.universities import Universities, build_universities

pytestmark = pytest.mark.django_db


@pytest.fixture
def universities(users, kaznrtu_library, aru_library) -> Universities:
    return build_universities(kaznrtu_library, aru_library)


VIEWS = ("edit", "delete", "history", "history_results", "usage")


def series_post(item: RecordSeries, **changes) -> dict:
    data = {
        "organisation": item.organisation_id,
        "form": item.form_id,
        "title": item.title,
        "responsible_unit": "",
        "responsible_position": "",
        "storage": "electronic",
        "storage_place": "",
        "retention_rule": "years",
        "retention_years": "5",
        "disposition": "destroy",
        "confidentiality": "normal",
        "change_reason": "тексеру",
    }
    return {**data, **changes}


@pytest.mark.parametrize("view", VIEWS)
def test_another_organisations_series_does_not_open_in_any_view(client, universities, view):
    u = universities
    url = reverse(f"recordseries:{view}", args=(u.aru_series.pk,))
    if view != "history_results":  # (a partial: the log entries only)
        client.force_login(u.root)  # the view shows the series to someone who may see it
        assert u.aru_series.title in client.get(url).content.decode()
    client.force_login(u.office)
    response = client.get(url)
    assert response.status_code == 404
    assert u.aru_series.title not in response.content.decode()
    if view not in ("history_results", "delete"):  # (the demo's office deletes no series)
        own = client.get(reverse(f"recordseries:{view}", args=(u.kaz_series.pk,)))
        assert own.status_code == 200 and u.kaz_series.title in own.content.decode()


def test_another_organisations_series_is_not_changed_or_deleted(client, universities):
    u = universities
    client.force_login(u.office)
    response = client.post(
        reverse("recordseries:edit", args=(u.aru_series.pk,)),
        series_post(u.aru_series, title="Бөтен өзгеріс", retention_years="1"),
    )
    assert response.status_code == 404
    assert client.post(reverse("recordseries:delete", args=(u.aru_series.pk,))).status_code == 404
    u.aru_series.refresh_from_db()
    assert (u.aru_series.title, u.aru_series.retention_years) == ("Ментордың жылдық есебі", 5)
    assert u.aru_series.history.count() == 1


def test_the_nomenclature_lists_only_ones_own_series(client, universities):
    u = universities
    client.force_login(u.office)
    page = client.get(reverse("recordseries:index")).content.decode()
    assert u.kaz_series.title in page and u.aru_series.title not in page
    assert ">АӨУ</option>" not in page  # nor does the organisation filter offer it
    filtered = client.get(reverse("recordseries:index"), {"organisation": u.aru.pk})
    assert u.aru_series.title not in filtered.content.decode()
    client.force_login(u.root)
    page = client.get(reverse("recordseries:index")).content.decode()
    assert u.kaz_series.title in page and u.aru_series.title in page


def test_a_series_cannot_point_at_another_organisations_form(client, universities):
    u = universities
    client.force_login(u.office)
    form = client.get(reverse("recordseries:add")).context["form"]
    assert u.aru_form not in form.fields["form"].queryset
    assert u.aru_unit not in form.fields["responsible_unit"].queryset
    response = client.post(
        reverse("recordseries:add"),
        series_post(u.kaz_series, form=u.aru_form.pk, title="Бөтен формадан серия"),
    )
    assert "form" in response.context["form"].errors
    assert not RecordSeries.objects.filter(title="Бөтен формадан серия").exists()


def test_keepers_grants_and_patterns_of_another_organisation_stay_hidden(client, universities):
    u = universities
    keeper = user("aru_keeper", KEEPERS_GROUP)
    reader = user("aru_reader")
    assignment = KeeperAssignment.objects.create(user=keeper, unit=u.aru_unit)
    grant = SeriesGrant.objects.create(user=reader, series=u.aru_series)
    pattern = RecordsPolicy.objects.create(organisation=u.aru, identifier_pattern="АӨУ/{seq:04d}")
    client.force_login(u.office)
    for name, obj, text in (
        ("keeperassignment", assignment, "aru_keeper"),
        ("seriesgrant", grant, "aru_reader"),
        ("recordspolicy", pattern, "АӨУ/{seq:04d}"),
    ):
        assert text not in client.get(reverse(f"{name}:index")).content.decode()
        for view in VIEWS:
            response = client.get(reverse(f"{name}:{view}", args=(obj.pk,)))
            assert response.status_code == 404, (name, view)
            assert text not in response.content.decode()
    response = client.post(
        reverse("keeperassignment:edit", args=(assignment.pk,)),
        {"user": keeper.pk, "unit": u.kaz_unit.pk},
    )
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.unit == u.aru_unit
    # nor may one's own office assign a keeper to the other university's unit
    response = client.post(
        reverse("keeperassignment:add"), {"user": keeper.pk, "unit": u.aru_unit.pk}
    )
    assert "unit" in response.context["form"].errors
    assert KeeperAssignment.objects.filter(user=keeper).count() == 1


def test_memberships_of_another_organisation_stay_hidden(client, universities):
    u = universities
    Group.objects.get(name=QUALITY_OFFICE_GROUP).permissions.add(
        *Permission.objects.filter(
            codename__in=["add_organisationmembership", "change_organisationmembership"]
        )
    )
    aru_office = user("aru_office", QUALITY_OFFICE_GROUP)
    membership = OrganisationMembership.objects.create(user=aru_office, organisation=u.aru)
    client.force_login(u.office)
    assert "aru_office" not in client.get(reverse("organisationmembership:index")).content.decode()
    for view in VIEWS:
        url = reverse(f"organisationmembership:{view}", args=(membership.pk,))
        assert client.get(url).status_code == 404
    # one cannot make oneself a member of the other university either
    client.post(
        reverse("organisationmembership:add"), {"user": u.office.pk, "organisation": u.aru.pk}
    )
    assert not OrganisationMembership.objects.filter(user=u.office, organisation=u.aru).exists()
