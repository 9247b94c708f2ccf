"""The quality office keeps the records nomenclature in the Wagtail admin, with reasons."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from records.models import RecordSeries

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world, users):
    # The demo's quality-office group carries the admin permissions.
    return users["quality"]


def test_series_change_in_the_admin_needs_and_keeps_a_reason(client, world, office):
    client.force_login(office)
    url = reverse("recordseries:edit", args=(world.plans.pk,))
    data = {
        "organisation": world.organisation.pk,
        "form": world.plans.form_id,
        "title": "Эдвайзердің жұмыс жоспары",
        "responsible_unit": "",
        "responsible_position": "Институт директоры",
        "storage": "paper",
        "storage_place": "",
        "retention_rule": "years",
        "retention_years": "7",
        "disposition": "archive",
        "confidentiality": "normal",
        "change_reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused: no reason, and paper with no place
    form = response.context["form"]
    assert "change_reason" in form.errors and "storage_place" in form.errors
    assert RecordSeries.objects.get(pk=world.plans.pk).retention_years == 5

    data.update(storage_place="Бас ғимарат, 214 бөлме", change_reason="2026 номенклатурасы бойынша")
    response = client.post(url, data)
    assert response.status_code == 302
    series = RecordSeries.objects.get(pk=world.plans.pk)
    assert (series.retention_years, series.disposition, series.storage_place) == (
        7,
        "archive",
        "Бас ғимарат, 214 бөлме",
    )
    latest = series.history.latest()
    assert latest.history_user == office
    assert latest.history_change_reason == "2026 номенклатурасы бойынша"
    assert {c.field for c in latest.diff_against(latest.prev_record).changes} >= {
        "retention_years",
        "disposition",
    }


def test_staff_and_keepers_cannot_edit_the_nomenclature(client, world):
    for role in ("keeper", "auditor"):
        client.force_login(world.users[role])
        response = client.get(reverse("recordseries:edit", args=(world.plans.pk,)))
        assert response.status_code in (302, 403)
    assert not Permission.objects.filter(user=world.users["keeper"]).exists()
