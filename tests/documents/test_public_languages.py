"""The public document pages in each interface language: what is interface (banners, the
in-force answer, the editions list, the library, the form page, the familiarisation pages and
emails) reads in the reader's language with its dates and plurals; the document's own text
(header, approval sheet, body, register) stays as the document writes it, marked as Kazakh."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.users.models import UserProfile

from sapa.documents.models import (
    FamiliarisationSheet,
    OfficialRendering,
    Organisation,
    QmsForm,
    Unit,
    UnitMember,
)
from sapa.documents.rendering.store import unit_shown
from sapa.documents.services import edition_start_new
from sapa.localisation.dates import format_date
from tests.documents.helpers import draft_of, fresh, save_and_publish, set_clause_text, visit
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db

FIRST = "Тағайындалған эдвайзер жасайды:"  # clause 7.2 of the factory's text
SECOND = "Екінші басылымның мәтіні."


def read(client, page, suffix="", language="ru", status=200):
    response = visit(client, page, suffix, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, (suffix, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words without tags, spaces collapsed (what a reader reads)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def marked(html: str, css_class: str) -> str:
    """The opening tag of the element with ``css_class``."""
    return re.search(rf'<[a-z]+ class="{css_class}"[^>]*>', html).group(0)


@pytest.fixture
def second_edition(published, users):
    draft = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    draft.edition_date = datetime.date(2020, 8, 20)
    set_clause_text(draft, "7.2", SECOND)
    save_and_publish(draft, users["quality"])
    return fresh(published)


# --- the superseded banner and the text it stands over ----------------------------------


def test_superseded_edition_banner_in_russian_over_the_kazakh_text(second_edition, client):
    html = read(client, second_edition, "editions/1/", language="ru")
    words = text_of(html)
    assert "Утратившее силу издание." in words
    assert (
        "Это текст, действовавший с «08» июля 2016 г. по «01» сентября 2020 г. (Издание №1). "
        "Он не является действующим."
    ) in words
    assert "Открыть действующее издание" in words
    banner = text_of(html[html.index('class="banner superseded"') : html.index("</div>")])
    assert "Күшін жойған басылым" not in banner and "дейін" not in banner
    # the document's own text stays Kazakh and says so
    assert FIRST in html and SECOND not in html
    assert 'class="approval-sheet" aria-labelledby="approval-heading" lang="kk"' in html
    assert 'class="doc-body" lang="kk"' in html
    assert re.search(r'<h2 lang="kk">Өзгерістерді тіркеу парағы</h2>', html)
    # interface around it: the editions link and the in-force form in Russian
    assert "Все издания (2)" in words and "Какое издание действовало на дату:" in words


def test_superseded_edition_banner_in_english(second_edition, client):
    words = text_of(read(client, second_edition, "editions/1/", language="en"))
    assert (
        "Superseded edition. This is the text of Edition 1, in force from 8 July 2016 until "
        "1 September 2020. It is not the text in force."
    ) in words
    assert "Open the edition in force" in words
    assert FIRST in words


def test_before_change_banner_in_russian(published, users, client):
    draft = draft_of(published)
    set_clause_text(draft, "7.2", SECOND)
    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])
    words = text_of(read(client, fresh(published), "editions/1/changes/1/", language="ru"))
    assert "Это текст (Издание №1) в том виде, в каком он был до внесения изменения 1" in words
    assert "Открыть действующий текст" in words
    assert FIRST in words
    assert "г.." not in words  # a sentence ending in a date ends in one full stop
    # on the live page the register row's kind stays the document's word, the links are Russian
    live = read(client, fresh(published), language="ru")
    register = live[
        live.index('id="register"') : live.index("</section>", live.index('id="register"'))
    ]
    assert '<td lang="kk">өзгерту</td>' in register
    assert "Текст до изменения 1" in text_of(register)


# --- which edition was in force on a day --------------------------------------------------


def test_in_force_answer_in_english_with_english_dates(second_edition, client):
    html = read(client, second_edition, "in-force/?date=2018-03-01", language="en")
    words = text_of(html)
    assert (
        "On 1 March 2018, Edition 1 was in force (from 8 July 2016 until 1 September 2020)."
    ) in words
    assert re.search(r'<a href="[^"]+/editions/1/">Edition 1</a>', html)
    assert "күні" not in words and "бастап" not in words and "дейін" not in words
    none = text_of(read(client, second_edition, "in-force/?date=2015-01-01", language="en"))
    assert "On 1 January 2015, no edition of this document was in force." in none


def test_in_force_answer_in_russian(second_edition, client):
    words = text_of(read(client, second_edition, "in-force/?date=2021-05-04", language="ru"))
    assert "На «04» мая 2021 г. действовало Издание №2 (с «01» сентября 2020 г.)." in words
    assert "Дата:" in words and "Показать" in words


# --- the editions list and the library ---------------------------------------------------


def test_editions_list_in_russian(second_edition, client):
    html = read(client, second_edition, "editions/", language="ru")
    words = text_of(html)
    for heading in ("Издание", "Статус", "Действует с", "Действовало по", "Приказ об утверждении"):
        assert f"<th>{heading}</th>" in html
    assert "Издание №2" in words and "Издание №1" in words
    assert "«01» сентября 2020 г." in words and "Действующий текст" in words
    assert "басылым" not in words and "Күшіне енді" not in words


def test_library_in_english(second_edition, kaznrtu_library, client):
    html = read(client, kaznrtu_library, language="en")
    words = text_of(html)
    for label in ("Kind", "Unit", "Status", "Filter", "In force from", "Edition 2"):
        assert label in words
    assert "1 September 2020" in words
    superseded = text_of(read(client, kaznrtu_library, "?status=superseded", language="en"))
    assert "Period in force" in superseded
    assert "8 July 2016 – 1 September 2020" in superseded
    # The library's own line says what is in force; the superseded list says what it lists.
    kaznrtu_library.intro = "Күшіндегі СМЖ құжаттары."
    kaznrtu_library.save_revision().publish()
    superseded = text_of(read(client, kaznrtu_library, "?status=superseded", language="en"))
    assert "Editions no longer in force, each readable as it was." in superseded
    assert "Күшіндегі СМЖ құжаттары." not in superseded
    # in force: its own line, in English where it is given in English (the demo does)
    in_force = text_of(read(client, kaznrtu_library, language="en"))
    assert kaznrtu_library.intro_en and kaznrtu_library.intro_en in in_force
    assert "Сүзу" not in words and ">Күшінде<" not in html


def test_the_library_names_each_document_in_the_readers_language_too(
    published, kaznrtu_library, client
):
    """A Russian reader saw only the Kazakh title in the list, though the document has its
    Russian title; now it stands under the title as the document prints it."""
    # (as the importer stores it; a change of a published title goes through its register)
    type(published).objects.filter(pk=published.pk).update(
        title_ru="Оказание академической поддержки обучающимся"
    )
    russian = read(client, kaznrtu_library, language="ru")
    cell = re.search(
        r'<a href="[^"]*"[^>]*>' + re.escape(published.title) + r"</a>(.*?)</td>", russian
    )
    assert cell and (
        '<span class="title-reader" lang="ru">Оказание академической поддержки обучающимся</span>'
        == cell.group(1)
    )
    # In Kazakh, and in English without an English title: the title as printed, alone.
    for language in ("kk", "en"):
        assert "title-reader" not in read(client, kaznrtu_library, language=language)


def test_a_form_page_in_russian(published, client):
    form = QmsForm.objects.filter(citations__document=published).first()
    html = visit(
        client, published.get_parent(), f"forms/{form.pk}/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    words = text_of(html)
    assert "Где упоминается" in words and "Документ" in words
    assert "Қай жерде аталады" not in words


# --- the official PDF's size and pages ----------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "language", "expected"),
    [
        (1, "ru", "1 страница"),
        (3, "ru", "3 страницы"),
        (13, "ru", "13 страниц"),
        (21, "ru", "21 страница"),
        (1, "en", "1 page ·"),
        (13, "en", "13 pages ·"),
        (13, "kk", "13 бет ·"),
    ],
)
def test_the_official_pdf_counts_its_pages_in_the_readers_language(
    published, client, pages, language, expected
):
    unit = unit_shown(document=published)
    OfficialRendering.objects.filter(edition=unit.edition, change=unit.change).delete()
    OfficialRendering.objects.create(
        document=published,
        edition=unit.edition,
        change=unit.change,
        kind=unit.kind,
        revision_id=unit.revision_id,
        file_name=f"test-{pages}-{language}.pdf",
        sha256="0" * 64,
        size=52_940,
        pages=pages,
        template_version="test",
    )
    assert expected in text_of(read(client, published, language=language))


# --- familiarisation: pages, CSV and emails ------------------------------------------------


@pytest.fixture
def reader(published, users, kaznrtu_library, django_capture_on_commit_callbacks):
    """A member of the document's unit, Russian in their profile; the edition is republished
    as a new edition so that a sheet is started and emailed."""
    from django.contrib.auth import get_user_model

    organisation = Organisation.for_site(kaznrtu_library.get_site())
    unit = Unit.objects.filter(organisation=organisation).first()
    person = get_user_model().objects.create_user(
        "reader", password="reader", email="reader@example.kz", first_name="Әсел"
    )
    kazakh = get_user_model().objects.create_user(
        "kazakh", password="kazakh", email="kazakh@example.kz"
    )
    UnitMember.objects.create(unit=unit, user=person)
    UnitMember.objects.create(unit=unit, user=kazakh)
    profile = UserProfile.get_for_user(person)
    profile.preferred_language = "ru"
    profile.save()
    page = fresh(published)
    page.owning_unit = unit
    page.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
        draft.effective_date = datetime.date(2020, 9, 1)
        save_and_publish(draft, users["quality"])
    return person


def test_familiarisation_email_in_the_recipients_language(reader, kaznrtu_library):
    by_address = {m.to[0]: m for m in mail.outbox}
    russian, kazakh = by_address["reader@example.kz"], by_address["kazakh@example.kz"]
    assert "Издание №2" in russian.body
    assert "№2 басылым" in kazakh.body
    # the reader's documents to read as a link a mail reader opens, not the bare path
    root = kaznrtu_library.get_site().root_url
    assert f"Ваши документы для ознакомления: {root}/my/reading/\n" in russian.body
    assert russian.subject != kazakh.subject  # each in its own language


def test_my_reading_and_the_sheet_csv_in_russian(reader, published, client):
    client.force_login(reader)
    words = text_of(client.get("/my/reading/", HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "Издание №2" in words and "басылым" not in words
    assert format_date(timezone.localdate(), language="ru") in words  # since when
    sheet = FamiliarisationSheet.objects.filter(document=published).latest("pk")
    assert sheet.edition.key == "2"


def test_a_publication_stands_when_the_mail_server_cannot_be_reached(
    caplog, no_mail_server, reader, published, client
):
    """Publishing a new edition starts its familiarisation sheet and emails its readers once it
    has committed; with the mail server down, that raised out of the publication (a demo
    load under the production settings stopped there). The edition is published, the reader
    finds it among their documents to read, the failure is logged, and nobody is marked as
    emailed."""
    sheet = FamiliarisationSheet.objects.filter(document=published).latest("pk")
    assert sheet.edition.key == "2" and fresh(published).live
    assert sheet.tasks.filter(user=reader, emailed_at__isnull=True).exists()
    assert not sheet.tasks.filter(emailed_at__isnull=False).exists()
    logged = [r.getMessage() for when in ("setup", "call") for r in caplog.get_records(when)]
    assert any("not sent: no mail server" in message for message in logged)
    client.force_login(reader)
    words = text_of(client.get("/my/reading/", HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "Издание №2" in words


def test_those_not_emailed_are_emailed_later_once_and_not_after_they_have_read_it(
    no_mail_server, reader, published, settings
):
    """The sheet's emails could not go when the edition took effect: a later run of
    ``documents_familiarisation_emails`` (cron) says the server still cannot be reached and
    marks nobody; once it answers, it emails those still to read, each in their own
    language, once; the person who has meanwhile read and confirmed is not emailed."""
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command
    from django.utils import translation

    from sapa.documents.familiarisation import confirm, mark_opened

    sheet = FamiliarisationSheet.objects.filter(document=published).latest("pk")
    with translation.override("ru"), pytest.raises(CommandError) as refused:
        call_command("documents_familiarisation_emails")
    assert "Почтовый сервер недоступен" in str(refused.value)
    assert not sheet.tasks.filter(emailed_at__isnull=False).exists()

    kazakh = get_user_model().objects.get(username="kazakh")
    mark_opened(user=kazakh, document=published)
    assert confirm(user=kazakh, document=published) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    out = io.StringIO()
    with translation.override("ru"):
        call_command("documents_familiarisation_emails", stdout=out)
    assert "Отправлено писем: 1." in out.getvalue()
    assert [m.to for m in mail.outbox] == [["reader@example.kz"]]
    assert "Издание №2" in mail.outbox[0].body  # the reader's own language
    assert sheet.tasks.get(user=reader).emailed_at is not None

    out = io.StringIO()
    with translation.override("ru"):
        call_command("documents_familiarisation_emails", stdout=out)
    assert "Отправлено писем: 0." in out.getvalue() and len(mail.outbox) == 1
