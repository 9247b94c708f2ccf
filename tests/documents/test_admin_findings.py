"""The quality office in the Wagtail admin: finding a document by its code, and seeing that a
publication waits for its date (and for ``manage.py publish_scheduled``)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from wagtail.users.models import UserProfile

from sapa.localisation.dates import format_date
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text
from tests.factories.documents import ProcedurePageFactory, register_row

pytestmark = pytest.mark.django_db

TITLE = "Білім алушыларға академиялық қолдау көрсету"


@pytest.fixture
def procedure(kaznrtu_library, users):
    page = ProcedurePageFactory(
        parent=kaznrtu_library, slug="715-kp", number="715", code="ҚазҰТЗУ 715 ҚП"
    )
    save_and_publish(page, users["quality"])
    return fresh(page)


@pytest.fixture
def office(client, users):
    profile = UserProfile.get_for_user(users["quality"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(users["quality"])
    return client


def found(client, query: str) -> bool:
    response = client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    return TITLE in response.content.decode()


@pytest.mark.parametrize("query", ["715", "715 ҚП", "ҚазҰТЗУ 715 ҚП", "қазұтзу 715", "ҚазҰТЗУ 71"])
def test_admin_page_search_finds_a_document_by_its_code(procedure, office, query):
    assert found(office, query)


def test_admin_page_search_does_not_find_another_code(procedure, office):
    assert not found(office, "404 ҚП")


def schedule_change(page, user, *, days: int):
    draft = draft_of(page)
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    draft.register_entries = [register_row("1")]
    draft.go_live_at = timezone.now() + datetime.timedelta(days=days)
    revision = draft.save_revision(user=user)
    revision.publish(user=user)
    revision.refresh_from_db()
    return revision


def test_edit_page_says_the_change_waits_and_how_to_change_it_meanwhile(procedure, users, office):
    # (It named the server's command and cron to the quality office, who can act on neither
    # (a tester); the command is named when it has not run, for the site administrator.)
    edit_url = f"/admin/pages/{procedure.pk}/edit/"
    assert "comes into force on" not in office.get(edit_url).content.decode()

    revision = schedule_change(procedure, users["quality"], days=10)
    go_live = timezone.localtime(revision.approved_go_live_at)
    html = office.get(edit_url).content.decode()
    assert (
        "Scheduled: a change to the edition in force comes into force on "
        f"{format_date(go_live, language='en')} at {go_live:%H:%M}." in html
    )
    assert "on that day the scheduled text is published by itself" in html
    assert "cancel the scheduled publication" in html
    assert "manage.py" not in html

    with time_machine.travel(revision.approved_go_live_at + datetime.timedelta(hours=2)):
        late = office.get(edit_url).content.decode()
    assert "manage.py publish_scheduled has not run since" in late


def test_edit_page_names_a_scheduled_new_edition(procedure, users, office):
    from sapa.documents.services import edition_start_new

    draft = edition_start_new(document=procedure, user=users["quality"]).as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(days=30)
    draft.save_revision(user=users["quality"]).publish(user=users["quality"])
    html = office.get(f"/admin/pages/{procedure.pk}/edit/").content.decode()
    assert "Scheduled: a new edition, «№2 басылым», comes into force on" in html


DELETE_REFUSED = (
    "«ҚазҰТЗУ 715 ҚП Білім алушыларға академиялық қолдау көрсету» has been in force: a "
    "controlled document is never deleted"
)


def test_a_document_that_has_been_in_force_is_never_deleted(procedure, office, django_user_model):
    """A tester could delete 715, in force, behind Wagtail's ordinary prompt; its editions
    would have gone with it."""
    url = f"/admin/pages/{procedure.pk}/delete/"
    for response in (office.get(url, follow=True), office.post(url, follow=True)):
        said = response.content.decode()
        assert DELETE_REFUSED in said and "Withdraw it (Unpublish) instead" in said
    page = fresh(procedure)
    assert page.live and page.editions.count() == 1
    # nor, for a superuser, the library above it, which would take it along
    admin = django_user_model.objects.create_superuser("root", password="x")
    UserProfile.objects.update_or_create(user=admin, defaults={"preferred_language": "en"})
    office.force_login(admin)
    library = page.get_parent()
    response = office.post(f"/admin/pages/{library.pk}/delete/", follow=True)
    assert DELETE_REFUSED in response.content.decode()
    assert fresh(procedure).live


def test_bulk_delete_refuses_a_document_that_has_been_in_force(procedure, office):
    parent = procedure.get_parent()
    url = f"/admin/bulk/wagtailcore/page/delete/?id={procedure.pk}&childOf={parent.pk}"
    response = office.post(url, follow=True)
    assert DELETE_REFUSED in response.content.decode()
    assert fresh(procedure).live


def test_a_draft_never_in_force_may_be_deleted(kaznrtu_library, office):
    draft = ProcedurePageFactory(parent=kaznrtu_library, slug="716-kp", live=False)
    response = office.post(f"/admin/pages/{draft.pk}/delete/", follow=True)
    assert "has been in force" not in response.content.decode()
    assert not type(draft).objects.filter(pk=draft.pk).exists()
