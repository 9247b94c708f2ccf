"""The quality office works in the Wagtail admin: create a procedure, meet the register rule."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sapa.documents.models import ProcedurePage
from tests.documents.helpers import fresh, save_and_publish
from tests.factories.documents import ProcedurePageFactory

pytestmark = pytest.mark.django_db


def page_form(**overrides):
    fields = {
        "title": "Сапа жөніндегі жазбаларды басқару",
        "slug": "404-kp",
        "code": "ҚазҰТЗУ 404 ҚП",
        "number": "404",
        "title_ru": "Управление записями по качеству",
        "title_en": "",
        "qms_level": "2-деңгейлі СМЖ құжаты",
        "owning_unit": "",
        "edition_number": "1",
        "edition_version": "",
        "edition_label": "№1 басылым",
        "edition_date": "2016-07-08",
        "effective_date": "2016-07-08",
        "validity": "until_replaced",
        "review_date": "",
        "introduced_first_time": "on",
        "replaces_edition": "",
        "developed_unit": "Сапа менеджменті бөлімі",
        "developed_position": "Бөлім басшысы",
        "developed_person": "А.Сауранбаева",
        "developed_date": "2016-06-20",
        "approval_order_number": "",
        "approval_order_date": "",
        "approver_position": "Ректор",
        "approver_name": "",
        "agreed_by": inline_formset(
            [
                {
                    "position": "Заң жүзінде қамтамасыз ету бөлімінің бастығы",
                    "person": "Б.Туткина",
                    "date": "",
                    "user": "",
                }
            ]
        ),
        "register_entries": inline_formset([]),
        "comments": inline_formset([]),
        "body": streamfield(
            [
                (
                    "section",
                    {
                        "number": "1",
                        "title": "Міндеті және қолдану саласы",
                        "content": streamfield(
                            [
                                (
                                    "clause",
                                    {
                                        "number": "1.1",
                                        "title": "",
                                        "text": "Жазбаларды сәйкестендіру және сақтау.",
                                        "items": {"count": 0},
                                    },
                                )
                            ]
                        ),
                    },
                )
            ]
        ),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    fields.update(overrides)
    return nested_form_data(fields)


def test_quality_office_creates_a_procedure_in_the_admin(client, kaznrtu_library, users):
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:add", args=("documents", "procedurepage", kaznrtu_library.pk))
    assert client.get(url).status_code == 200
    response = client.post(url, page_form())
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ProcedurePage.objects.get(code="ҚазҰТЗУ 404 ҚП")
    assert page.organisation.code_prefix == "ҚазҰТЗУ"
    assert page.title == "Сапа жөніндегі жазбаларды басқару"
    draft = page.get_latest_revision_as_object()
    assert [line.person for line in draft.agreed_by.all()] == ["Б.Туткина"]
    assert draft.body[0].value["content"][0].value["number"] == "1.1"
    assert not page.live


def test_staff_cannot_reach_the_admin(client, kaznrtu_library, users):
    client.force_login(users["staff"])
    url = reverse("wagtailadmin_pages:add", args=("documents", "procedurepage", kaznrtu_library.pk))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert ProcedurePage.objects.count() == 0


def test_admin_refuses_a_change_without_register_row(client, kaznrtu_library, users):
    page = ProcedurePageFactory(
        parent=kaznrtu_library, slug="404-kp", number="404", code="ҚазҰТЗУ 404 ҚП"
    )
    save_and_publish(page, users["quality"])
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = page_form(
        title="Жазбаларды басқару (өзгертілген)", **{"action-publish": "action-publish"}
    )
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Өзгерістерді тіркеу парағы" in html
    assert fresh(page).title == "Білім алушыларға академиялық қолдау көрсету"
