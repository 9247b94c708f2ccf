"""The quality office works in the Wagtail admin: create a procedure, meet the register rule."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sapa.documents.models import ProcedurePage
from tests.documents.edit_form import edit_post_data, set_clause_text
from tests.documents.helpers import clause_texts, fresh, save_and_publish, visit
from tests.documents.long_procedure import create_long_procedure
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


def test_an_approval_order_typed_with_its_numero_sign_is_printed_with_one(
    client, kaznrtu_library, users
):
    """The approval sheet prints "№" before the order's number: "№ 254-Б" typed in the
    editor read "№№254-Б" on the page."""
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:add", args=("documents", "procedurepage", kaznrtu_library.pk))
    data = page_form(approval_order_number="№ 254-Б", approval_order_date="2016-07-08")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ProcedurePage.objects.get(code="ҚазҰТЗУ 404 ҚП")
    assert page.get_latest_revision_as_object().approval_order_number == "254-Б"
    save_and_publish(fresh(page), users["quality"])
    html = visit(client, fresh(page)).content.decode()
    assert "№254-Б" in html and "№№" not in html and "№ 254" not in html


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


# --- long documents: the edit form as Wagtail's edit page posts it -----------------------


@pytest.fixture
def kp715(kaznrtu_library, users, made_once):
    """ҚазҰТЗУ 715 ҚП as the demo has it: imported from its seed text, with its 21 agreers,
    and published, so that saving makes a draft (made once: tests/conftest.py)."""
    from home.demo import DEMO_DATA
    from sapa.documents.importing.build import draft_from_parsed
    from sapa.documents.importing.text import parse_text

    def published():
        seed = "kaznrtu_715_kp.txt"
        parsed = parse_text((DEMO_DATA / seed).read_text(encoding="utf-8"), filename=seed)
        page, _ = draft_from_parsed(parsed, library=kaznrtu_library, user=users["quality"])
        save_and_publish(fresh(page), users["quality"])
        return fresh(page)

    return made_once("715 published", published)


def save_draft_through_admin(client, page, number: str, text: str):
    """GET the edit page, post back what the browser would with clause ``number``'s text
    changed, as "Save draft" does."""
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.get(url)
    assert response.status_code == 200
    data = edit_post_data(response.content.decode(), page)
    set_clause_text(data, number, text)
    return client.post(url, data), data


def test_quality_office_saves_a_draft_of_715(client, kp715, users):
    assert kp715.agreed_by.count() == 21
    client.force_login(users["quality"])
    text = "Білім алушыларға әлеуметтік жағдай жасалады (өзгертілді)."
    response, posted = save_draft_through_admin(client, kp715, "5.1", text)
    assert response.status_code == 302, response.content[:300]
    draft = fresh(kp715).get_latest_revision_as_object()
    assert clause_texts(draft)["5.1"] == text
    assert clause_texts(fresh(kp715))["5.1"] != text, "the published text stays until published"
    assert [line.person for line in draft.agreed_by.all()] == [
        line.person for line in kp715.agreed_by.all()
    ]
    assert len(posted) < 1000, "715 fits Django's default limit again"


def test_quality_office_saves_a_draft_of_a_60_page_procedure(client, kp715, users):
    long = create_long_procedure(kp715, user=users["quality"], times=4)
    assert len(long.body) == 44
    client.force_login(users["quality"])
    text = "Төртінші бөліктегі тармақ өзгертілді: «ә, ғ, қ, ң, ө, ұ, ү, һ, і» сақталады."
    response, posted = save_draft_through_admin(client, long, "38.1", text)  # 5.1 of copy 4
    assert response.status_code == 302, response.content[:300]
    assert len(posted) > 2000
    draft = fresh(long).get_latest_revision_as_object()
    assert clause_texts(draft)["38.1"] == text
    assert clause_texts(draft)["5.1"] == clause_texts(kp715)["5.1"]
    assert len(draft.body) == 44


def test_bullets_are_edited_one_a_line_and_kept_as_items(client, kp715, users):
    client.force_login(users["quality"])
    url = reverse("wagtailadmin_pages:edit", args=(kp715.pk,))
    data = edit_post_data(client.get(url).content.decode(), kp715)
    name = set_clause_text(data, "6.3", "Жоспарлау кезінде ескеріледі:").replace("-text", "-items")
    assert data[name].splitlines()[0] == "алдыңғы кезеңде тиісті жоспарларды орындау нәтижелері;"
    data[name] = "студенттер контингенті;\n\n  жоспарларды келісу.  \n"
    assert client.post(url, data).status_code == 302
    draft = fresh(kp715).get_latest_revision_as_object()
    clause = next(
        child.value
        for section in draft.body
        for child in section.value["content"]
        if child.block_type == "clause" and child.value["number"] == "6.3"
    )
    assert clause["items"] == ["студенттер контингенті;", "жоспарларды келісу."]
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(kp715.pk, "live", "latest"))
    html = client.get(compare).content.decode()
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "тізім алдыңғы кезеңде тиісті" in words, "the removed bullets, compared as lines"
    assert "әлеуметтік және тәрбие жұмысын жақсарту" in words
    assert 'class="deletion"' in html


def _child(raw, kind, number=None):
    return next(
        child
        for section in raw
        for child in section["value"]["content"]
        if child["type"] == kind and (number is None or child["value"]["number"] == number)
    )


def test_bullets_saved_by_the_former_list_block_are_read_and_migrated(kp715):
    """Bodies saved through the admin before bullets became lines hold ListBlock items
    ({"type": "item", "value": …, "id": …}): they read as before, and the migration stores
    them as plain strings."""
    import importlib
    import json

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("sapa.documents.migrations.0004_body_bullets_as_lines")
    raw = list(kp715.body.raw_data)
    clause, bullets = _child(raw, "clause", "6.3"), _child(raw, "bullets")
    expected = list(clause["value"]["items"]), list(bullets["value"])
    assert expected[0] and expected[1]
    clause["value"]["items"] = [{"type": "item", "value": v, "id": "a"} for v in expected[0]]
    bullets["value"] = [{"type": "item", "value": v, "id": "b"} for v in expected[1]]
    table = kp715._meta.get_field("body").model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET body = %s WHERE page_ptr_id = %s", [json.dumps(raw), kp715.pk]
        )
    page = fresh(kp715)
    assert isinstance(_child(page.body.raw_data, "bullets")["value"][0], dict)
    blocks = [child for section in page.body for child in section.value["content"]]
    assert next(c.value for c in blocks if c.block_type == "bullets") == expected[1]
    clauses = {c.value["number"]: c.value for c in blocks if c.block_type == "clause"}
    assert clauses["6.3"]["items"] == expected[0]
    assert f"<li>{expected[1][0]}</li>" in str(page.body)

    migration.bullets_as_plain_strings(apps, None)
    raw = fresh(kp715).body.raw_data
    assert _child(raw, "clause", "6.3")["value"]["items"] == expected[0]
    assert _child(raw, "bullets")["value"] == expected[1]


def test_agreer_is_chosen_among_admin_accounts_not_listed_per_line(client, kp715, users):
    """Each КЕЛІСІЛДІ line used to list every account of the university in a select: the
    page grew by (lines × accounts) options. The chooser shows the chosen account, and its
    modal lists only the accounts that can agree (those that reach the admin)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.bulk_create(
        [get_user_model()(username=f"student{n}", last_name="Студент") for n in range(200)]
    )
    line = kp715.agreed_by.first()
    line.user = users["agreer1"]
    line.save()
    client.force_login(users["quality"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(kp715.pk,))).content.decode()
    assert "student17" not in html
    assert 'name="agreed_by-0-user"' in html and f'value="{users["agreer1"].pk}"' in html

    modal = client.get(reverse("agreer_chooser:choose"), {"q": "agree"})
    listed = modal.json()["html"]
    assert "agreer1" in listed and "agreer2" in listed
    assert "staff" not in listed and "student" not in listed
    everyone = client.get(reverse("agreer_chooser:choose")).json()["html"]
    assert "quality" in everyone and "student" not in everyone

    response, _ = save_draft_through_admin(client, kp715, "5.1", "Өзгертілді.")
    assert response.status_code == 302
    draft = fresh(kp715).get_latest_revision_as_object()
    assert draft.agreed_by.first().user == users["agreer1"]


def test_the_admin_shows_no_gravatar_picture(client, users):
    # A tester saw every account's picture fetched from www.gravatar.com: broken offline, and
    # a hash of each person's email address sent to an outside site.
    client.force_login(users["quality"])
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "wagtailadmin/images/default-user-avatar" in page  # the picture Wagtail serves
    assert "gravatar.com" not in page


def test_a_revision_shown_in_the_admin_links_where_the_admin_is_read_and_offers_no_pdf(
    client, kp715, users
):
    """A tester opened a new edition's revision in the admin: its "Download the official
    PDF" was edition 1's (size, hash and all), and it and "All editions" led to
    /docs/715-kp/…, the university's own site's paths, which the portal the admin was read
    on does not serve."""
    client.force_login(users["quality"])
    revision = fresh(kp715).latest_revision
    page = client.get(f"/admin/pages/{kp715.pk}/revisions/{revision.pk}/view/").content.decode()
    asked = RequestFactory().get("/")  # the host the admin is read on: the portal's
    portal_path = kp715.relative_url(Site.find_for_request(asked), asked)
    assert portal_path.startswith("/kaznrtu/")
    assert f'href="{portal_path}editions/"' in page
    assert 'href="/docs/' not in page
    assert "official-pdf-link" not in page and "SHA-256" not in page
    assert "Жоба: ресми PDF құжаты бекітілгенде жасалады." in page
    # The published page itself still offers its official PDF.
    assert "official-pdf" in visit(client, kp715).content.decode()
