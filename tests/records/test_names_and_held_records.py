"""What the records' pages say about people and holds: a person by their name (their login
only when they have none), and a record due for disposal that a hold keeps, shown as due and
held, with who placed the hold and why, not left out of the list."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from records.services import hold_place, record_close
from sapa.localisation.dates import format_date
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db

NAMES = {
    "quality": ("Айгүл", "Сапарова"),
    "auditor": ("Ерлан", "Тексеров"),
    "keeper": ("Қайрат", "Жазбаев"),
}


@pytest.fixture
def named(world):
    for login, (first, last) in NAMES.items():
        user = world.users[login]
        user.first_name, user.last_name = first, last
        user.save()
    return world


@pytest.fixture
def due_record(named, pdf_bytes):
    record = make_record(named, year="2015-2016")
    attach(record, pdf_bytes, "хаттама.pdf", user=named.users["keeper"])
    return record_close(
        record=record,
        user=named.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2016, 6, 30),
    )


def shown(client, user, url) -> str:
    client.force_login(user)
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode())


def hold_on(world, record):
    return hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Сыртқы аудит 2026",
        records=[record],
        user=world.users["quality"],
    )


def test_a_hold_names_who_placed_it(client, named, due_record):
    hold_on(named, due_record)
    for url in (
        reverse("records:retention"),
        reverse("records:detail", args=(due_record.pk,)),
        reverse("records:history", args=(due_record.pk,)),
    ):
        page = shown(client, named.users["quality"], url)
        assert "Айгүл Сапарова" in page, url
        assert "quality «" not in page and "· quality<" not in page, url


def test_the_access_log_names_who_looked(client, named, due_record):
    client.force_login(named.users["auditor"])
    client.get(reverse("records:detail", args=(due_record.pk,)))
    page = shown(client, named.users["quality"], reverse("records:access_log"))
    assert "<td>Ерлан Тексеров</td>" in page
    assert "<td>auditor</td>" not in page


def test_a_person_without_a_name_is_named_by_their_login(client, named, due_record):
    named.users["auditor"].first_name = named.users["auditor"].last_name = ""
    named.users["auditor"].save()
    client.force_login(named.users["auditor"])
    client.get(reverse("records:detail", args=(due_record.pk,)))
    page = shown(client, named.users["quality"], reverse("records:access_log"))
    assert "<td>auditor</td>" in page


def test_the_refusal_page_names_the_person_signed_in(client, named):
    page = shown(client, named.users["keeper"], reverse("records:retention"))
    assert "Сіз Қайрат Жазбаев ретінде кірдіңіз" in page
    assert "keeper ретінде" not in page


def test_a_held_record_due_for_disposal_stays_in_the_list_as_held(client, named, due_record):
    page = shown(client, named.users["quality"], reverse("records:retention"))
    assert f'value="{due_record.pk}"' in page  # due, and offered
    hold_on(named, due_record)
    page = shown(client, named.users["quality"], reverse("records:retention"))
    due = page[page.index("<table") : page.index("</table>")]
    assert due_record.identifier in due
    assert "Жоюға жататын жазба жоқ." not in due
    assert f'value="{due_record.pk}"' not in due  # not offered for disposal
    why = due[due.index('class="held-due-why"') :]
    assert "Айгүл Сапарова" in why and "Сыртқы аудит 2026" in why


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "ru",
            "Срок хранения истёк, но уничтожать нельзя: удержание «{hold}», установил(а) "
            "Айгүл Сапарова {when}",
        ),
        (
            "kk",
            "Сақтау мерзімі өтті, бірақ жойылмайды: «{hold}» ұсталымында, оны Айгүл Сапарова "
            "{when} қойды.",
        ),
        (
            "en",
            "Due, but not to be disposed of: held by “{hold}”, placed by Айгүл Сапарова on {when}.",
        ),
    ],
    ids=["ru", "kk", "en"],
)
def test_the_hold_on_a_due_record_is_said_with_one_full_stop(
    client, named, due_record, language, sentence
):
    # A tester read "…установил(а) … «06» декабря 2026 г..": the Russian date's own "г."
    # was followed by the sentence's full stop.
    hold = hold_on(named, due_record)
    client.force_login(named.users["quality"])
    client.cookies["django_language"] = language
    page = html.unescape(client.get(reverse("records:retention")).content.decode())
    said = sentence.format(
        hold=hold, when=format_date(timezone.localdate(hold.placed_at), language=language)
    )
    assert page.count(said) == 1
    if language == "ru":
        assert said.endswith(" г.") and said + "<" in page  # one stop, the date's own
    assert "г.." not in page and "ж.." not in page


def upload_as_keeper(client, world, record, name: str, data: bytes) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["keeper"])
    response = client.post(
        reverse("records:file_add", args=(record.pk,)),
        {"reason": "тест", "file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE="kk",
        follow=True,
    )
    return html.unescape(response.content.decode())


def test_a_file_kept_under_another_name_says_so_and_why(client, named):
    record = make_record(named)
    page = upload_as_keeper(client, named, record, "bad.exe", "Бұл мәтін.\n".encode())
    assert record.files.get().name == "bad.txt"
    assert "1-нұсқа" in page  # the file is added …
    # … and the keeper is told their "bad.exe" is kept as "bad.txt", and why
    assert "«bad.exe» .txt файлы, аты не десе де: ол «bad.txt» деп сақталды." in page


def test_a_file_kept_under_its_own_name_says_nothing_more(client, named, pdf_bytes):
    record = make_record(named)
    page = upload_as_keeper(client, named, record, "хаттама.pdf", pdf_bytes)
    assert record.files.get().name == "хаттама.pdf"
    assert "сақталды." not in page.split('class="messages"')[1].split("</ul>")[0]
