"""Editions, the revision register rule, superseded editions and the in-force-on-date answer."""

import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from sapa.documents.models import Edition, EditionStatus, RegisterChange
from sapa.documents.services import edition_start_new
from sapa.localisation.dates import format_date
from tests.documents import helpers
from tests.documents.helpers import (
    clause_texts,
    draft_of,
    fresh,
    save_and_publish,
    set_clause_text,
    visit,
)
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db


def test_first_publication_puts_edition_in_force(published):
    edition = published.editions.get()
    assert edition.status == EditionStatus.IN_FORCE
    assert (edition.key, edition.label) == ("1", "№1 басылым")
    assert edition.effective_from == datetime.date(2016, 7, 8)
    assert edition.approval_order_number == "254-Б"
    assert edition.revision_id == published.live_revision_id


def test_change_without_register_row_is_refused_in_kazakh(published, users):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    revision = draft.save_revision(user=users["quality"])
    with translation.override("kk"), pytest.raises(ValidationError) as caught:
        revision.publish(user=users["quality"])
    assert "Өзгерістерді тіркеу парағы" in caught.value.messages[0]
    assert "күшінде" in caught.value.messages[0]
    live = fresh(published)
    assert clause_texts(live)["7.2"] == "Тағайындалған эдвайзер жасайды:"
    assert live.live_revision_id != revision.pk


def test_change_with_register_row_is_published_and_linked_to_its_revision(published, users):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    draft.register_entries = [register_row("1")]
    revision = save_and_publish(draft, users["quality"])

    live = fresh(published)
    assert clause_texts(live)["7.2"] == "Тағайындалған эдвайзер жыл сайын жасайды:"
    change = RegisterChange.objects.get()
    assert change.edition.key == "1"
    assert change.revision_id == revision.pk
    assert (change.change_number, change.section_clause, change.change_type) == (
        "1",
        "7.2",
        "modify",
    )
    assert change.notice_date == datetime.date(2017, 9, 12)

    # A second change needs a second row; the first keeps pointing at its own revision.
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Эдвайзер жасайды:")
    with pytest.raises(ValidationError):
        save_and_publish(draft, users["quality"])
    draft = draft_of(published)
    draft.register_entries = [
        *draft.register_entries.all(),
        register_row("2", section_clause="7.3"),
    ]
    second = save_and_publish(draft, users["quality"])
    rows = {row.change_number: row.revision_id for row in RegisterChange.objects.all()}
    assert rows == {"1": revision.pk, "2": second.pk}


def test_page_shows_register_rows(published, users, client):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Жаңа мәтін.")
    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])
    html = visit(client, fresh(published)).content.decode()
    assert "Өзгерістерді тіркеу парағы" in html
    assert "Аршабекова Г., сектор меңгерушісі" in html
    assert "12.09.2017" in html and "15.09.2017" in html


REGISTER_TABLE = re.compile(
    r'<section id="register" class="register">\s*<h2[^>]*>[^<]*</h2>\s*'
    r'<div class="table-scroll"><table([^>]*)>'
)


def test_an_empty_register_is_marked_so_that_a_phone_shows_it_without_a_swipe(
    published, users, client
):
    """A 390 px phone said "The table is wider than the screen: swipe it sideways" above a
    register holding no change: the empty register is marked, and on a phone its headings
    are left to screen readers (sapa.css), so that it fits and nothing is said above it."""
    page = visit(client, published).content.decode()
    assert REGISTER_TABLE.search(page).group(1) == ' class="empty"'
    assert "Өзгерістер тіркелмеген." in page
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Жаңа мәтін.")
    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])
    page = visit(client, fresh(published)).content.decode()
    assert REGISTER_TABLE.search(page).group(1) == ""


def test_a_drafts_preview_shows_the_register_rows_it_adds(published, users, client):
    # change 1 published; the draft adds change 2 (not saved as rows until it is published)
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Бірінші өзгеріс.")
    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])
    draft = draft_of(fresh(published))
    set_clause_text(draft, "7.2", "Жаңа мәтін.")
    second = register_row("2")
    second.section_clause = "7.2"
    draft.register_entries = [*draft.register_entries.all(), second]
    draft.save_revision(user=users["quality"])
    client.force_login(users["quality"])
    with translation.override("kk"):
        preview = client.get(f"/admin/pages/{published.pk}/view_draft/").content.decode()
        in_draft = translation.gettext("in this draft: not published yet")
    rows = re.findall(r'<tr id="register-(\d+)">(.*?)</tr>', preview, re.S)
    assert [number for number, _ in rows] == ["1", "2"]
    assert "7.2" in rows[1][1] and in_draft in rows[1][1] and in_draft not in rows[0][1]
    assert "Өзгерістер тіркелмеген" not in preview
    # Asked from an admin in Russian (the browser's language), the preview reads in Russian.
    russian = client.get(
        f"/admin/pages/{published.pk}/view_draft/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    with translation.override("ru"):
        assert translation.gettext("in this draft: not published yet") in russian
    assert '<html lang="ru">' in russian
    # The published page lists only what was published.
    page = visit(client, fresh(published)).content.decode()
    assert re.findall(r'<tr id="register-(\d+)">', page) == ["1"]


@pytest.fixture
def second_edition(published, users):
    revision = edition_start_new(document=fresh(published), user=users["quality"])
    draft = revision.as_object()
    assert draft.edition_number == 2
    assert draft.edition_label == "№2 басылым"
    assert list(draft.register_entries.all()) == []
    assert draft.replaces_edition == "№1 басылым"
    draft.effective_date = datetime.date(2020, 9, 1)
    draft.edition_date = datetime.date(2020, 8, 20)
    set_clause_text(draft, "7.2", "Екінші басылымның мәтіні.")
    save_and_publish(draft, users["quality"])
    return fresh(published)


def test_new_edition_supersedes_the_previous_one(second_edition):
    first, second = second_edition.editions.order_by("effective_from")
    assert (first.key, first.status) == ("1", EditionStatus.SUPERSEDED)
    assert first.superseded_on == datetime.date(2020, 9, 1)
    assert first.superseded_by == second
    assert (second.key, second.status) == ("2", EditionStatus.IN_FORCE)
    assert clause_texts(second_edition)["7.2"] == "Екінші басылымның мәтіні."


def test_superseded_edition_stays_readable_and_marked(second_edition, client):
    old = visit(client, second_edition, "editions/1/")
    assert old.status_code == 200
    html = old.content.decode()
    assert "Күшін жойған басылым" in html
    assert "Тағайындалған эдвайзер жасайды:" in html
    assert "Екінші басылымның мәтіні." not in html

    current = visit(client, second_edition).content.decode()
    assert "Екінші басылымның мәтіні." in current
    assert "Тағайындалған эдвайзер жасайды:" not in current
    assert "Күшін жойған басылым" not in current

    # The edition in force is served at the page's own URL only.
    redirect = visit(client, second_edition, "editions/2/")
    assert redirect.status_code == 302
    assert redirect.url == urlsplit(second_edition.full_url).path
    assert visit(client, second_edition, "editions/9/").status_code == 404


def test_superseded_edition_cannot_be_published_again(second_edition, users):
    draft = draft_of(second_edition)
    draft.edition_number = 1
    draft.edition_label = "№1 басылым"
    with pytest.raises(ValidationError):
        save_and_publish(draft, users["quality"])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2016, 7, 7), None),
        (datetime.date(2016, 7, 8), "1"),
        (datetime.date(2020, 8, 31), "1"),
        (datetime.date(2020, 9, 1), "2"),
        (datetime.date(2026, 1, 1), "2"),
    ],
)
def test_edition_in_force_on_a_date(second_edition, day, expected):
    edition = second_edition.edition_in_force_on(day)
    assert (edition.key if edition else None) == expected


def test_in_force_view_answers_auditors(second_edition, client):
    html = visit(client, second_edition, "in-force/?date=2018-03-01").content.decode()
    assert "«01» 03 2018 ж. күні" in html and "№1 басылым" in html and "31.08.2020" not in html
    assert "«01» 09 2020 ж. дейін" in html
    none = visit(client, second_edition, "in-force/?date=2015-01-01").content.decode()
    assert "ешбір басылымы күшінде болған жоқ" in none
    bad = visit(client, second_edition, "in-force/?date=01.03.2018")
    assert bad.status_code == 400


def test_withdrawn_document_is_no_longer_in_force(published, users):
    with time_machine.travel(datetime.datetime(2024, 1, 1, 6, tzinfo=datetime.UTC)):
        helpers.withdraw_in_admin(published, users["quality"])
    page = fresh(published)
    assert not page.live
    edition = Edition.objects.get(document=page)
    assert edition.status == EditionStatus.WITHDRAWN
    assert page.edition_in_force_on(datetime.date(2023, 12, 31)).key == "1"
    assert page.edition_in_force_on(datetime.date(2024, 1, 1)) is None


def test_unpublishing_in_the_admin_withdraws_the_edition(published, users, client):
    client.force_login(users["quality"])
    response = client.post(f"/admin/pages/{published.pk}/unpublish/")
    assert response.status_code == 302
    page = fresh(published)
    assert not page.live
    edition = page.editions.get()
    assert edition.status == EditionStatus.WITHDRAWN
    assert page.edition_in_force_on(datetime.date(2020, 1, 1)).key == "1"


def test_a_new_edition_asks_every_agreement_again(kaznrtu_library, users):
    """The sheet of a new edition starts with no date: the edition in force's agreements
    are not this one's (the published sheet named people who had never seen it)."""
    from tests.factories.documents import ProcedurePageFactory, agreed

    published = ProcedurePageFactory(parent=kaznrtu_library)
    published.agreed_by = [
        agreed("Проректор", "А.Исаева", date=datetime.date(2016, 6, 30)),
        agreed("Заңгер", "Ж.Ахметова", user=users["agreer1"], date=datetime.date(2016, 6, 27)),
    ]
    save_and_publish(published, users["quality"])
    lines = draft_of(fresh(published)).agreed_by.all()
    assert [line.date for line in lines] == [datetime.date(2016, 6, 30), datetime.date(2016, 6, 27)]

    new = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
    assert [(line.person, line.date) for line in new.agreed_by.all()] == [
        ("А.Исаева", None),
        ("Ж.Ахметова", None),
    ]
    assert [line.user_id for line in new.agreed_by.all()] == [None, users["agreer1"].pk]


def test_new_edition_from_the_admin(published, users, client):
    client.force_login(users["staff"])
    url = f"/admin/documents/{published.pk}/new-edition/"
    assert client.post(url).status_code in (302, 403)
    assert fresh(published).get_latest_revision_as_object().edition_number == 1

    client.force_login(users["quality"])
    edit = client.get(f"/admin/pages/{published.pk}/edit/").content.decode()
    assert url in edit
    assert client.get(url).status_code == 200
    response = client.post(url, {"label": "", "version": ""})
    assert response.status_code == 302
    draft = fresh(published).get_latest_revision_as_object()
    assert (draft.edition_number, draft.edition_label) == (2, "№2 басылым")
    assert fresh(published).editions.get().status == EditionStatus.IN_FORCE  # still in force


def test_no_new_edition_while_an_approved_change_waits_for_its_day(published, users, client):
    """A tester started a new edition while change 1 waited for its day: the page stayed
    locked by the schedule, the new edition's draft was never saved, and cancelling the
    schedule put the change's text into the new edition unannounced. The quality office is
    told why and what to do, in its language, and nothing is started."""
    from django.utils import timezone
    from wagtail.users.models import UserProfile

    from tests.documents.test_edition_reading import schedule

    revision = schedule(published, users["quality"], days=4, number="1")
    day = timezone.localtime(revision.approved_go_live_at).date()
    client.force_login(users["quality"])
    profile = UserProfile.get_for_user(users["quality"])
    profile.preferred_language = "ru"
    profile.save()
    url = f"/admin/documents/{published.pk}/new-edition/"
    answer = html.unescape(client.post(url, {"label": "", "version": ""}).content.decode())
    assert (
        f"Утверждённое изменение вступает в силу {format_date(day, language='ru')}: начните "
        "новое издание, когда оно вступит в силу" in answer
    )
    assert fresh(published).get_latest_revision_as_object().edition_number == 1
    assert fresh(published).scheduled_revision.pk == revision.pk


def test_a_register_row_published_with_a_new_edition_leads_to_what_the_edition_changed(
    published, users, client
):
    """A row entered with a new edition has no text "before the change" inside the edition;
    the register said "earlier text not kept" while the comparison with the edition before
    it showed the change. It now leads there."""
    draft = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    set_clause_text(draft, "7.2", "Екінші басылымның мәтіні.")
    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])
    with translation.override("en"):
        page = visit(client, fresh(published), "", HTTP_ACCEPT_LANGUAGE="en")
    register = page.content.decode().split('id="register"', 1)[1].split("</table>", 1)[0]
    assert "earlier text not kept" not in register
    link = re.search(r'<a class="what-changed" href="([^"]+)">([^<]+)</a>', register)
    assert link and link[2] == "Came with this edition: what changed from Edition 1"
    host = urlsplit(fresh(published).full_url).netloc
    diff = client.get(html.unescape(link[1]), HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST=host)
    assert diff.status_code == 200 and "Екінші" in diff.content.decode()  # the new words
