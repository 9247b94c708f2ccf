"""Familiarisation: an edition or change taking effect asks the staff of the units it applies
to to read it; they confirm after opening it; the sheet shows who did and who has not."""

import csv
import datetime
import io
import re
from urllib.parse import urlsplit

import pdfplumber
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from records.models import OrganisationMembership
from records.permissions import QUALITY_OFFICE_GROUP
from sapa.documents.models import (
    FamiliarisationSheet,
    FamiliarisationTask,
    Organisation,
    Unit,
    UnitMember,
)
from sapa.documents.services import edition_start_new
from sapa.localisation.dates import format_date, format_datetime
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text, visit
from tests.factories.documents import ProcedurePageFactory, register_row

pytestmark = pytest.mark.django_db

CONFIRM_BUTTON = "I have read and understood"


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, whatever the catalogues say in Kazakh."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _user(username, **extra):
    return get_user_model().objects.create_user(
        username=username, password=username, email=f"{username}@example.kz", **extra
    )


@pytest.fixture
def people(kaznrtu_library, aru_library, users):
    kaz = Organisation.for_site(kaznrtu_library.get_site())
    aru = Organisation.for_site(aru_library.get_site())
    owning = Unit.objects.get(organisation=kaz, short_name="ТжӘЖД")
    other = Unit.objects.get(organisation=kaz, short_name="АМД")
    sector = Unit.objects.create(organisation=kaz, name="Тәрбие секторы", parent=owning)
    reader = _user("reader", first_name="Әсел", last_name="Құрманғалиқызы")
    second = _user("second", first_name="Ұлан", last_name="Төлеубаев")
    head = _user("head", first_name="Гүлнәр", last_name="Аршабекова")
    outsider = _user("outsider")
    UnitMember.objects.create(user=reader, unit=owning)
    UnitMember.objects.create(user=second, unit=sector)
    UnitMember.objects.create(user=head, unit=owning, is_head=True)
    UnitMember.objects.create(user=outsider, unit=other)
    aru_quality = _user("aru_quality")
    aru_quality.groups.add(Group.objects.get(name=QUALITY_OFFICE_GROUP))
    OrganisationMembership.objects.create(user=aru_quality, organisation=aru)
    return {
        "reader": reader,
        "second": second,
        "head": head,
        "outsider": outsider,
        "aru_quality": aru_quality,
        "quality": users["quality"],
        "owning": owning,
    }


@pytest.fixture
def published(kaznrtu_library, users, people, django_capture_on_commit_callbacks):
    page = ProcedurePageFactory(parent=kaznrtu_library, owning_unit=people["owning"])
    with django_capture_on_commit_callbacks(execute=True):
        save_and_publish(page, users["quality"])
    return fresh(page)


def _publish_change(document, user, number="1", text="Тағайындалған эдвайзер жыл сайын жасайды:"):
    draft = draft_of(document)
    set_clause_text(draft, "7.2", text)
    draft.register_entries = [*draft.register_entries.all(), register_row(number)]
    return save_and_publish(draft, user)


def _sheet_url(sheet, suffix=""):
    return f"/my/reading/sheets/{sheet.pk}/{suffix}"


def test_publishing_an_edition_asks_the_units_staff_and_emails_them(published, people):
    sheet = FamiliarisationSheet.objects.get(document=published)
    assert sheet.change is None and sheet.edition.key == "1"
    asked = set(sheet.tasks.values_list("user__username", flat=True))
    # the owning unit and the sector below it; not the other department
    assert asked == {"reader", "second", "head"}
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == ["head@example.kz", "reader@example.kz", "second@example.kz"]
    message = next(m for m in mail.outbox if m.to == ["reader@example.kz"])
    assert published.code in message.subject
    assert published.full_url in message.body
    assert "/my/reading/" in message.body


def test_the_email_links_ones_documents_to_read_on_the_documents_own_site(published, people):
    # A reader saw "Ваши документы для ознакомления: /my/reading/", a path no mail reader
    # opens, under the document's full link (the email is in the reader's language, here the
    # site's Kazakh: "Сіз танысатын құжаттар: …").
    message = next(m for m in mail.outbox if m.to == ["reader@example.kz"])
    root = published.get_site().root_url
    assert root.startswith("http") and published.full_url.startswith(root + "/")
    assert f"\n{published.full_url}\n" in message.body
    assert message.body.endswith(f": {root}/my/reading/\n")


def test_publishing_a_change_starts_its_own_sheet_and_emails(
    published, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _publish_change(published, people["quality"])
    sheet = FamiliarisationSheet.objects.filter(document=published).latest("pk")
    assert sheet.change.change_number == "1"
    assert set(sheet.tasks.values_list("user__username", flat=True)) == {
        "reader",
        "second",
        "head",
    }
    assert len(mail.outbox) == 3
    assert all("1" in m.body for m in mail.outbox)


def test_the_task_appears_on_the_readers_page_only(published, people, client):
    client.force_login(people["reader"])
    html = client.get("/my/reading/").content.decode()
    assert "My documents to read" in html
    assert published.title in html
    assert "Edition 1" in html  # the interface names the edition; «№1 басылым» is the text's
    client.force_login(people["outsider"])
    html = client.get("/my/reading/").content.decode()
    assert published.title not in html


def test_confirming_after_opening_records_who_and_when(published, people, client):
    client.force_login(people["reader"])
    page = visit(client, published).content.decode()
    assert CONFIRM_BUTTON in page
    task = FamiliarisationTask.objects.get(user=people["reader"])
    assert task.opened_at is not None and task.confirmed_at is None

    back = urlsplit(published.full_url)
    response = client.post(
        f"/my/reading/documents/{published.pk}/confirm/",
        {"next": back.path},
        HTTP_HOST=back.netloc,
    )
    assert response.status_code == 302
    assert response["Location"] == back.path
    # back to the document, which says so
    page = client.get(back.path, HTTP_HOST=back.netloc).content.decode()
    assert "Recorded: you have read and understood" in page
    task.refresh_from_db()
    assert task.confirmed_at is not None
    listing = client.get("/my/reading/").content.decode()
    assert "familiarisation-none" in listing  # nothing left to read
    again = visit(client, published).content.decode()
    assert "familiarisation-done" in again
    assert format_date(task.confirmed_at, language="en") in again
    # a second click finds no open task
    assert client.post(f"/my/reading/documents/{published.pk}/confirm/").status_code == 404


def test_confirming_without_opening_is_refused(published, people, client):
    client.force_login(people["reader"])
    client.post(f"/my/reading/documents/{published.pk}/confirm/", follow=True)
    assert FamiliarisationTask.objects.get(user=people["reader"]).confirmed_at is None


def test_a_task_shown_but_not_opened_cannot_be_confirmed_until_the_page_is_opened(
    published, people, client
):
    """Only the person's own GET of the document's page opens the task: their list, a HEAD,
    a browser's prefetch, the editions list and the in-force answer do not."""
    reader = people["reader"]
    client.force_login(reader)
    listing = client.get("/my/reading/").content.decode()
    assert published.title in listing and "not opened yet" in listing
    url = urlsplit(published.full_url)
    client.head(url.path, HTTP_HOST=url.netloc)
    for purpose in ({"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_PURPOSE": "prefetch"}):
        prefetched = visit(client, published, **purpose).content.decode()
        assert CONFIRM_BUTTON in prefetched  # drawn, but nobody has read it yet
    visit(client, published, "editions/")
    visit(client, published, "in-force/")
    task = FamiliarisationTask.objects.get(user=reader)
    assert task.opened_at is None
    assert "not opened yet" in client.get("/my/reading/").content.decode()

    # confirming now is refused: back to the document, which says why
    refused = client.post(
        f"/my/reading/documents/{published.pk}/confirm/", {"next": url.path}, HTTP_HOST=url.netloc
    )
    assert refused.status_code == 302 and refused["Location"] == url.path
    task.refresh_from_db()
    assert task.confirmed_at is None and task.opened_at is None
    page = client.get(url.path, HTTP_HOST=url.netloc).content.decode()
    assert "Open the document and read it first, then confirm." in page
    task.refresh_from_db()
    assert task.opened_at is not None and task.confirmed_at is None  # now it is open
    assert "opened, not confirmed yet" in client.get("/my/reading/").content.decode()

    # one click confirms
    client.post(f"/my/reading/documents/{published.pk}/confirm/")
    task.refresh_from_db()
    assert task.confirmed_at is not None and task.confirmed_at >= task.opened_at


def test_the_sheet_shows_when_each_person_opened_and_confirmed(published, people, client):
    client.force_login(people["second"])
    visit(client, published)  # opened, not confirmed
    _confirm(client, published, people["reader"])
    reader = FamiliarisationTask.objects.get(user=people["reader"])
    second = FamiliarisationTask.objects.get(user=people["second"])
    sheet = FamiliarisationSheet.objects.get(document=published)
    client.force_login(people["quality"])
    html = client.get(_sheet_url(sheet)).content.decode()
    assert "<th>Opened at</th><th>Confirmed at</th>" in html
    rows = {
        name: html.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Әсел Құрманғалиқызы", "Ұлан Төлеубаев", "Гүлнәр Аршабекова")
    }
    assert format_datetime(reader.opened_at, language="en") in rows["Әсел Құрманғалиқызы"]
    assert format_datetime(reader.confirmed_at, language="en") in rows["Әсел Құрманғалиқызы"]
    assert format_datetime(second.opened_at, language="en") in rows["Ұлан Төлеубаев"]
    assert 'class="confirmed-at">—' in rows["Ұлан Төлеубаев"]
    assert 'class="opened-at">—' in rows["Гүлнәр Аршабекова"]  # the head has not opened it


def test_the_button_is_shown_only_to_a_person_with_an_open_task(published, people, client):
    client.force_login(people["outsider"])
    assert CONFIRM_BUTTON not in visit(client, published).content.decode()
    client.logout()
    assert CONFIRM_BUTTON not in visit(client, published).content.decode()
    assert "familiarisation" not in visit(client, published).content.decode()


def _confirm(client, document, user):
    client.force_login(user)
    visit(client, document)
    client.post(f"/my/reading/documents/{document.pk}/confirm/")


def test_the_sheet_lists_confirmed_and_pending(published, people, client):
    _confirm(client, published, people["reader"])
    sheet = FamiliarisationSheet.objects.get(document=published)
    confirmed_at = FamiliarisationTask.objects.get(user=people["reader"]).confirmed_at
    client.force_login(people["quality"])
    html = client.get(_sheet_url(sheet)).content.decode()
    assert "Әсел Құрманғалиқызы" in html and "Ұлан Төлеубаев" in html
    assert "Гүлнәр Аршабекова" in html
    assert format_date(confirmed_at, language="en") in html
    assert html.count('class="confirmed"') == 1
    assert html.count('class="pending"') == 2


def test_the_sheet_exports_to_csv(published, people, client):
    _confirm(client, published, people["reader"])
    sheet = FamiliarisationSheet.objects.get(document=published)
    client.force_login(people["quality"])
    response = client.get(_sheet_url(sheet, "csv/"))
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(".csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1] == "Edition 1"  # in the language of whoever downloads it
    by_account = {row[2]: row for row in rows[2:]}
    assert set(by_account) == {"reader", "second", "head"}
    assert by_account["reader"][0] == "Тәрбие және әлеуметтік жұмыс департаменті"
    assert by_account["reader"][1] == "Әсел Құрманғалиқызы"
    assert rows[1][4:] == ["Opened at", "Confirmed at"]
    # opened at, confirmed at: as a spreadsheet sorts dates, in the site's time
    today = timezone.localdate().isoformat()
    assert re.fullmatch(rf"{today} \d\d:\d\d", by_account["reader"][4])
    assert re.fullmatch(rf"{today} \d\d:\d\d", by_account["reader"][5])
    assert by_account["second"][4:] == ["", ""]
    assert by_account["second"][0] == "Тәрбие секторы"


def test_the_csv_never_carries_a_formula(published, people, client):
    reader = people["reader"]
    reader.first_name, reader.last_name = "=HYPERLINK(1)", "Әсел"
    reader.save()
    sheet = FamiliarisationSheet.objects.get(document=published)
    client.force_login(people["quality"])
    text = client.get(_sheet_url(sheet, "csv/")).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[2:3] == ["reader"])
    assert row[1] == "'=HYPERLINK(1) Әсел"


def test_the_sheet_exports_to_pdf_with_kazakh_letters(published, people, client):
    sheet = FamiliarisationSheet.objects.get(document=published)
    client.force_login(people["quality"])
    response = client.get(_sheet_url(sheet, "pdf/"))
    assert response.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    for word in ("Әсел", "Құрманғалиқызы", "Ұлан", "Төлеубаев", "Тәрбие секторы", "Edition 1"):
        assert word in text


def test_a_new_edition_starts_a_new_sheet(
    published, people, users, client, django_capture_on_commit_callbacks
):
    _confirm(client, published, people["reader"])
    revision = edition_start_new(document=fresh(published), user=users["quality"])
    draft = revision.as_object()
    set_clause_text(draft, "7.2", "Екінші басылымның мәтіні.")
    with django_capture_on_commit_callbacks(execute=True):
        save_and_publish(draft, users["quality"])
    first, second = FamiliarisationSheet.objects.filter(document=published).order_by("pk")
    assert (first.edition.key, second.edition.key) == ("1", "2")
    # the first sheet keeps its record; whoever had not confirmed it is no longer asked to
    assert first.tasks.get(user=people["reader"]).confirmed_at is not None
    assert first.tasks.get(user=people["second"]).closed_at is not None
    # everyone is asked again for the new edition, the reader included
    assert second.tasks.filter(confirmed_at__isnull=True, closed_at__isnull=True).count() == 3
    client.force_login(people["reader"])
    html = client.get("/my/reading/").content.decode()
    assert "Edition 2" in html


def test_permissions_on_the_sheet(published, people, client):
    sheet = FamiliarisationSheet.objects.get(document=published)
    # another organisation's quality office: as if it did not exist
    client.force_login(people["aru_quality"])
    for suffix in ("", "csv/", "pdf/"):
        assert client.get(_sheet_url(sheet, suffix)).status_code == 404
    # staff without the head role
    client.force_login(people["reader"])
    assert client.get(_sheet_url(sheet)).status_code == 404
    assert client.get(_sheet_url(sheet, "csv/")).status_code == 404
    # the head of the unit sees the sheet, for the unit (and the sector below it)
    client.force_login(people["head"])
    html = client.get(_sheet_url(sheet)).content.decode()
    assert "Әсел Құрманғалиқызы" in html and "Ұлан Төлеубаев" in html
    # anonymous: to sign in
    client.logout()
    response = client.get(_sheet_url(sheet))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_head_sees_only_the_rows_of_their_unit(published, people, client):
    sheet = FamiliarisationSheet.objects.get(document=published)
    UnitMember.objects.create(user=people["outsider"], unit=people["owning"])  # not a head
    sector = Unit.objects.get(name="Тәрбие секторы")
    sector_head = _user("sector_head", first_name="Сәуле")
    UnitMember.objects.create(user=sector_head, unit=sector, is_head=True)
    FamiliarisationTask.objects.create(sheet=sheet, user=sector_head, unit=sector)
    client.force_login(sector_head)
    html = client.get(_sheet_url(sheet)).content.decode()
    assert "Ұлан Төлеубаев" in html
    assert "Әсел Құрманғалиқызы" not in html


def test_confirming_another_organisations_or_unknown_document_answers_404(
    published, people, client
):
    client.force_login(people["outsider"])
    assert client.post(f"/my/reading/documents/{published.pk}/confirm/").status_code == 404
    assert client.get(f"/my/reading/documents/{published.pk}/confirm/").status_code == 405


def test_a_scheduled_change_asks_the_staff_when_it_goes_live(
    published, people, django_capture_on_commit_callbacks
):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", "Тағайындалған эдвайзер жыл сайын жасайды:")
    draft.register_entries = [register_row("1")]
    draft.go_live_at = timezone.now() + datetime.timedelta(days=3)
    revision = draft.save_revision(user=people["quality"])
    revision.publish(user=people["quality"])
    # scheduled, not in effect yet: nobody is asked
    assert FamiliarisationSheet.objects.filter(document=published).count() == 1
    mail.outbox.clear()
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=4)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_scheduled")
    sheet = FamiliarisationSheet.objects.filter(document=published).latest("pk")
    assert sheet.change is not None and sheet.change.change_number == "1"
    assert sheet.tasks.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "head@example.kz",
        "reader@example.kz",
        "second@example.kz",
    ]


def test_the_quality_office_links_staff_to_its_own_units_only(people, client):
    kaz_quality = _user("kaz_quality")
    kaz_quality.groups.add(Group.objects.get(name=QUALITY_OFFICE_GROUP))
    kaz = people["owning"].organisation
    OrganisationMembership.objects.create(user=kaz_quality, organisation=kaz)
    aru_unit = Unit.objects.exclude(organisation=kaz).first()
    client.force_login(kaz_quality)
    url = "/admin/snippets/documents/unitmember/add/"
    refused = client.post(url, {"user": people["outsider"].pk, "unit": aru_unit.pk})
    assert refused.status_code == 200
    assert not UnitMember.objects.filter(unit=aru_unit).exists()
    client.post(url, {"user": people["outsider"].pk, "unit": people["owning"].pk, "is_head": "on"})
    member = UnitMember.objects.get(user=people["outsider"], unit=people["owning"])
    assert member.is_head
    # the other organisation's member answers 404
    theirs = UnitMember.objects.create(user=people["reader"], unit=aru_unit)
    edit = client.get(f"/admin/snippets/documents/unitmember/edit/{theirs.pk}/")
    assert edit.status_code == 404


def test_an_edition_and_its_change_to_read_are_one_row_with_one_link(
    published, people, client, django_capture_on_commit_callbacks
):
    """A tester: the edition and its change were two rows linking to the same page, which
    one confirmation answers."""
    with django_capture_on_commit_callbacks(execute=True):
        _publish_change(published, people["quality"])
    client.force_login(people["reader"])
    listing = client.get("/my/reading/").content.decode()
    table = listing[listing.index("familiarisation-open") : listing.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    assert len(rows) == 1, rows
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in rows[0].split("</td>")]
    assert published.title in cells[0]
    assert cells[1] == "Edition 1; Edition 1, change 1"
    assert cells[3] == "not opened yet"


def test_the_box_names_everything_one_click_confirmed(
    published, people, client, django_capture_on_commit_callbacks
):
    """Asked to confirm the edition and its change 1, one click confirms both: the box said
    "You confirmed … Edition 1" alone."""
    with django_capture_on_commit_callbacks(execute=True):
        _publish_change(published, people["quality"])
    _confirm(client, published, people["reader"])
    assert (
        FamiliarisationTask.objects.filter(
            user=people["reader"], confirmed_at__isnull=False
        ).count()
        == 2
    )
    page = visit(client, published).content.decode()
    box = page[page.index("familiarisation-done") :]
    box = box[: box.index("</section>")]
    confirmed = re.findall(r"<li>([^<]+)</li>", box)
    assert confirmed == ["Edition 1", "Edition 1, change 1"]


def test_who_has_read_it_is_a_click_from_the_document_for_those_who_may_see(
    published, people, client
):
    """A tester found the sheets only on /my/reading/: neither the document's page nor its
    editor linked them."""
    sheet = FamiliarisationSheet.objects.get(document=published)
    link = f'<a href="{_sheet_url(sheet)}">'
    for who in ("quality", "head"):
        client.force_login(people[who])
        page = visit(client, published).content.decode()
        assert "Familiarisation sheets:" in page and link in page
    # The editor's header (its "More" menu) too.
    client.force_login(people["quality"])
    editor = client.get(f"/admin/pages/{published.pk}/edit/").content.decode()
    assert _sheet_url(sheet) in editor and "Familiarisation sheet" in editor
    # Staff who read it, and another university's quality office: no link.
    for who in ("reader", "aru_quality"):
        client.force_login(people[who])
        page = visit(client, published).content.decode()
        assert "Familiarisation sheets" not in page and _sheet_url(sheet) not in page
