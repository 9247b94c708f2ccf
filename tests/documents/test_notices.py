"""Change notices (хабарлама): each published change of an edition in force gets a notice
numbered per organisation and year, rendered once to PDF (what changed, why, from when, by
whose order) and linked from its register row."""

from __future__ import annotations

import datetime
import hashlib
import io
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from sapa.documents import notices as notices_module
from sapa.documents.models import ChangeNotice, NoticeCounter
from sapa.documents.rendering.notices import render_notice
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text, visit
from tests.documents.render_helpers import page_texts, run_worker, stored_bytes
from tests.factories.documents import ProcedurePageFactory, agreed, register_row

pytestmark = pytest.mark.django_db
NEW_WORDING = "Эдвайзерді кафедра меңгерушісі жыл сайын тағайындайды."


@pytest.fixture(autouse=True)
def renderings_root(settings, tmp_path):
    settings.SAPA_RENDERINGS_ROOT = tmp_path / "renderings"
    return tmp_path / "renderings"


def publish_change(page, user, capture, *, number: str, clause="7.2", text=NEW_WORDING, **row):
    draft = draft_of(page)
    set_clause_text(draft, clause, text)
    rows = list(draft.register_entries.all())
    rows.append(register_row(number, section_clause=clause, **row))
    draft.register_entries = rows
    with capture(execute=True):
        save_and_publish(draft, user)
    return fresh(page)


@pytest.fixture
def published(kaznrtu_library, users, django_capture_on_commit_callbacks):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    with django_capture_on_commit_callbacks(execute=True):
        save_and_publish(page, users["quality"])
    return fresh(page)


def change_rows(data: bytes) -> list[list[str]]:
    """The rows of the notice's table of changes, each cell's lines joined."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows = [row for page in pdf.pages for table in page.extract_tables() for row in table]
    cells = [[" ".join((cell or "").split()) for cell in row] for row in rows]
    return [row for row in cells if row and row[0] != "Өзгерістің реттік нөмірі"]


def notice_of(page, change_number: str) -> ChangeNotice:
    return ChangeNotice.objects.get(document=page, changes__change_number=change_number)


def test_each_change_gets_the_next_number_of_its_organisation_and_year(
    published, aru_library, users, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    year = timezone.localdate().year
    # the first publication of an edition is no change: no notice
    assert not ChangeNotice.objects.exists()

    page = publish_change(published, users["quality"], capture, number="1")
    page = publish_change(page, users["quality"], capture, number="2", text="Екінші өзгеріс.")
    assert notice_of(page, "1").number == f"1/{year}"
    assert notice_of(page, "2").number == f"2/{year}"

    other = ProcedurePageFactory(parent=aru_library, number="101", title="Басқа құжат")
    with capture(execute=True):
        save_and_publish(other, users["quality"])
    other = publish_change(fresh(other), users["quality"], capture, number="1")
    aru_notice = notice_of(other, "1")
    assert aru_notice.number == f"1/{year}"  # independent numbering per organisation
    assert aru_notice.organisation != notice_of(page, "1").organisation
    assert ChangeNotice.objects.count() == 3


def test_a_new_year_starts_again_at_one(published, users, django_capture_on_commit_callbacks):
    NoticeCounter.objects.create(
        organisation=published.organisation, year=timezone.localdate().year - 1, last=17
    )
    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    assert notice_of(page, "1").sequence == 1


def test_numbers_taken_together_never_repeat(published, monkeypatch):
    """Two notices issued at once in one organisation: the counter row is locked; a clash
    on the unique number is retried rather than refused."""
    organisation = published.organisation
    year = timezone.localdate().year
    calls = {"n": 0}
    real = notices_module.next_notice_number

    def stale_first(*, organisation, year):
        calls["n"] += 1
        if calls["n"] == 1:  # as if another worker took this number in between
            return 1
        return real(organisation=organisation, year=year)

    ChangeNotice.objects.create(
        organisation=organisation,
        year=year,
        sequence=1,
        number=f"1/{year}",
        document=published,
        edition=published.editions.get(),
        issued_on=timezone.localdate(),
        effective_date=timezone.localdate(),
    )
    NoticeCounter.objects.create(organisation=organisation, year=year, last=1)
    monkeypatch.setattr(notices_module, "next_notice_number", stale_first)
    edition = published.editions.get()
    change = edition.changes.create(
        change_number="9",
        section_clause="7.2",
        change_type="modify",
        entered_date=datetime.date(2017, 9, 15),
        entered_by="Аршабекова Г.",
    )
    notice = notices_module.notice_issue(change_ids=[change.pk])
    assert notice.number == f"2/{year}"
    assert calls["n"] == 2


def test_the_notice_pdf_says_what_changed_why_when_and_by_whose_order(
    published, users, workflow, django_capture_on_commit_callbacks
):
    from tests.documents.test_workflow import act

    draft = draft_of(published)
    set_clause_text(draft, "7.2", NEW_WORDING)
    draft.register_entries = [register_row("1", notice_number="", notice_date=None)]
    draft.agreed_by = [
        agreed("Академиялық жұмыс жөніндегі проректор", "Р.Искаков", user=users["agreer1"]),
        agreed("Ректор аппаратының басшысы", "Б.Мықтыбаев", user=users["agreer2"]),
    ]
    draft.save_revision(user=users["quality"])
    with django_capture_on_commit_callbacks(execute=True):
        published.get_workflow().start(fresh(published), users["quality"])
        page = act(published, users["agreer1"], "approve", comment="Ескертпем жоқ")
        page = act(page, users["agreer2"], "approve")
        page = act(
            page,
            users["quality"],
            "approve",
            order_number="45-Б",
            order_date="2017-09-12",
            comment="Эдвайзерлерді тағайындау тәртібі өзгерді",
        )
    assert page.live
    notice = notice_of(page, "1")
    assert (notice.order_number, notice.order_date) == ("45-Б", datetime.date(2017, 9, 12))
    # the approval's comment; an agreer's remark is no reason
    assert notice.reason == "Эдвайзерлерді тағайындау тәртібі өзгерді"

    run_worker()
    notice.refresh_from_db()
    assert notice.is_rendered
    data = stored_bytes(notice)
    assert hashlib.sha256(data).hexdigest() == notice.sha256
    text = " ".join(page_texts(data)).replace("\n", " ")
    today = timezone.localdate()
    assert f"Өзгеріс туралы хабарлама №1/{today.year}" in text
    assert page.code in text
    (row,) = change_rows(data)  # the table of changes, cell by cell
    number, clause, kind, wording, reason = row
    assert (number, clause, kind) == ("1", "7.2", "өзгерту")
    assert wording.startswith(f"7.2 {NEW_WORDING} ")  # the clause as published, its items too
    assert reason == "Эдвайзерлерді тағайындау тәртібі өзгерді"
    assert f"Күшіне енетін күні: {today:%d.%m.%Y}" in text
    assert "2017 жылғы «12» 09 №45-Б бұйрықпен" in text


def test_a_stored_notice_is_never_rendered_again(
    published, users, django_capture_on_commit_callbacks, renderings_root, monkeypatch
):
    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    run_worker()
    notice = notice_of(page, "1")
    before = stored_bytes(notice)

    from sapa.documents.rendering import notices as rendering_notices

    monkeypatch.setattr(rendering_notices, "notice_html", lambda notice: "<p>new</p>")
    again = render_notice(ChangeNotice.objects.get(pk=notice.pk))
    assert again.sha256 == notice.sha256 and again.file_name == notice.file_name
    assert stored_bytes(again) == before
    assert len(list(Path(renderings_root).rglob("notice-*.pdf"))) == 1


def test_the_register_row_links_its_notice_and_shows_its_number_and_date(
    published, users, client, django_capture_on_commit_callbacks
):
    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    notice = notice_of(page, "1")
    html = visit(client, page).content.decode()
    year = notice.year
    assert f"notices/1-{year}/pdf/" in html
    assert f"№1/{year}, {notice.issued_on:%d.%m.%Y}</a>" in html

    waiting = visit(client, page, f"notices/1-{year}/pdf/")
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    assert f"№1/{year} өзгеріс туралы хабарламаның ресми PDF" in waiting.content.decode()
    run_worker()
    notice.refresh_from_db()
    response = visit(client, page, f"notices/1-{year}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == notice.sha256 == response["X-Content-SHA256"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="') and "filename*=utf-8''" in disposition
    assert disposition.split('"')[1].isascii() and f"No1-{year}" in disposition.split('"')[1]
    assert visit(client, page, f"notices/7-{year}/pdf/").status_code == 404


def test_a_private_pages_notice_asks_to_sign_in(
    published, users, client, django_capture_on_commit_callbacks
):
    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    run_worker()
    year = notice_of(page, "1").year
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = visit(client, page, f"notices/1-{year}/pdf/")
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(users["staff"])
    assert visit(client, page, f"notices/1-{year}/pdf/")["Content-Type"] == "application/pdf"


def test_another_documents_notice_is_not_served_here(
    published, kaznrtu_library, users, client, django_capture_on_commit_callbacks
):
    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    run_worker()
    other = ProcedurePageFactory(parent=kaznrtu_library, number="102", title="Басқа")
    save_and_publish(other, users["quality"])
    year = notice_of(page, "1").year
    assert visit(client, fresh(other), f"notices/1-{year}/pdf/").status_code == 404


def test_a_notice_whose_rendering_was_lost_is_rendered_by_the_command(
    published, users, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    page = publish_change(
        published, users["quality"], django_capture_on_commit_callbacks, number="1"
    )
    DBTaskResult.objects.all().delete()  # the worker never ran them
    call_command("documents_render", "--missing", "--document", str(page.pk))
    notice = notice_of(page, "1")
    assert notice.is_rendered
    assert f"Өзгеріс туралы хабарлама №{notice.number}" in page_texts(stored_bytes(notice))[0]
