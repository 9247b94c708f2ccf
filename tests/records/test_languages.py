"""The records pages, exports and certificates in the reader's interface language (kk, ru,
en): dates in the one form of each language, plurals of each language, stored codes and
Sapa's own reasons never shown as stored, exports in the language of the person who asks."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from records.models import Disposition, RecordFile, RecordSeries
from records.services import record_close, record_create, record_update
from records.services.common import save_with_history
from sapa.localisation.dates import format_date, format_datetime
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db

RECORD_DAY = datetime.date(2016, 7, 8)


def reader(user, language: str) -> Client:
    """A browser that chose ``language`` (the switcher's cookie), signed in as ``user``."""
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def visible(response) -> str:
    """The text of the page's main part as a person reads it (no tags, one space)."""
    page = response.content.decode()
    main = re.search(r"<main\b.*?</main>", page, re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else page)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@pytest.fixture
def kept(world, pdf_bytes):
    """A record of 8 July 2016 of a five-year series, filed, changed once and closed: three
    entries in its history, four with its file's (which its page counts). Its creation
    reason is Sapa's own, written in Kazakh (the keeper's language at the time)."""
    with translation.override("kk"):
        record = record_create(
            series=world.plans,
            unit=world.institute,
            title="Эдвайзер жоспары",
            period_kind="academic_year",
            academic_year="2015-2016",
            record_date=RECORD_DAY,
            user=world.users["keeper"],
        )
    attach(record, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    record = record_update(
        record=record, user=world.users["keeper"], reason="атауы түзетілді", title="Жоспар"
    )
    return record_close(
        record=record, user=world.users["keeper"], reason="аяқталды", closed_on=RECORD_DAY
    )


# 1. One record page in each language


def test_kazakh_record_page_writes_dates_the_kazakh_way(world, kept):
    page = visible(
        reader(world.users["auditor"], "kk").get(reverse("records:detail", args=(kept.pk,)))
    )
    assert "Жазба күні «08» 07 2016 ж." in page
    # the date says the status ("жабық · … жабылды" said it twice)
    assert "Күйі «08» 07 2016 ж. жабылды Жазбалар сериясы" in page
    assert "жабылғаннан кейін 5 жыл" in page
    assert "(3 өзгеріс; файлдарының 1 өзгерісі)" in page
    assert "08.07.2016" not in page and "2016-07-08" not in page
    assert "N жыл" not in page and "5 жыл: 5" not in page


def test_russian_record_page_says_years_and_changes_in_russian_plurals(world, kept):
    page = visible(
        reader(world.users["auditor"], "ru").get(reverse("records:detail", args=(kept.pk,)))
    )
    assert "Дата записи «08» июля 2016 г." in page
    assert "5 лет после закрытия" in page  # the genitive plural (5, 11, 20 …)
    assert "(3 изменения; 1 изменение её файлов)" in page  # the forms for 2–4 and for 1
    assert "Статус закрыта «08» июля 2016 г. Серия" in page  # "закрыта · закрыта …" before
    # No Kazakh or English interface word, no raw code.
    for word in ("жыл", "Күйі", "ашық", "жабық", "years", "closed", "destroy", "N лет"):
        assert word not in page, word


def test_english_record_page_writes_the_day_month_year(world, kept):
    page = visible(
        reader(world.users["auditor"], "en").get(reverse("records:detail", args=(kept.pk,)))
    )
    assert "Record date 8 July 2016" in page
    assert "5 years after closure" in page and "then: destroy" in page
    assert "(3 changes; 1 change of its files)" in page
    assert "Status closed on 8 July 2016 " in page
    for word in ("Күйі", "жыл", "жабық", "Статус", "лет", "08.07.2016"):
        assert word not in page, word


@pytest.mark.parametrize(
    ("years", "russian", "english"),
    [
        (1, "1 год после закрытия", "1 year after closure"),
        (3, "3 года после закрытия", "3 years after closure"),
        (5, "5 лет после закрытия", "5 years after closure"),
        (11, "11 лет после закрытия", "11 years after closure"),
        (22, "22 года после закрытия", "22 years after closure"),
    ],
)
def test_the_retention_line_has_the_number_once_and_its_plural(world, years, russian, english):
    series = world.plans
    series.retention_years = years
    save_with_history(series, user=None, reason="test")
    record = make_record(world)
    kazakh = f"жабылғаннан кейін {years} жыл"
    for language, expected in (("ru", russian), ("en", english), ("kk", kazakh)):
        client = reader(world.users["auditor"], language)
        page = visible(client.get(reverse("records:detail", args=(record.pk,))))
        assert f"{expected} · " in page, language
        for wrong in ("N years", "N лет", "N жыл", f": {years} ·"):
            assert wrong not in page, (language, wrong)


# 2. The history: rows and Sapa's reasons in the reader's language


@pytest.mark.parametrize(
    ("language", "created", "status_change", "closed_on"),
    [
        (
            "ru",
            "Запись создана",
            "Статус: открыта → закрыта",
            "Дата закрытия: — → «08» июля 2016 г.",
        ),
        ("en", "Record created", "Status: open → closed", "Closed on: — → 8 July 2016"),
        ("kk", "Жазба құрылды", "Күйі: ашық → жабық", "Жабылған күні: — → «08» 07 2016 ж."),
    ],
)
def test_history_rows_are_in_the_readers_language(
    world, kept, language, created, status_change, closed_on
):
    page = visible(
        reader(world.users["auditor"], language).get(reverse("records:history", args=(kept.pk,)))
    )
    assert created in page
    # once: as the creation's reason, not again as what changed (a tester read it twice)
    assert page.count(created) == 1, page
    assert status_change in page
    assert closed_on in page
    # Sapa's own reason, stored in Kazakh, reads in the reader's language; what people
    # typed stays as typed.
    if language != "kk":
        assert "Жазба құрылды" not in page
    assert "атауы түзетілді" in page and "аяқталды" in page
    # Neither django-simple-history's "Created" ("Создан") nor a field's code or stored value.
    for raw in ("Created", "Создан ", "closed_on", "status:", "record_date"):
        assert raw not in page, raw
    if language != "en":
        assert " open " not in page and "closed" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            "На «09» июля 2016 г. этой записи в Sapa ещё не было: она внесена {entered}, "
            "а собственная дата записи — «08» июля 2016 г.",
        ),
        (
            "en",
            "On 9 July 2016 this record was not yet in Sapa: it was entered on {entered}, "
            "and its own date, as recorded, is 8 July 2016.",
        ),
        (
            "kk",
            "«09» 07 2016 ж. бұл жазба Sapa-да әлі болған жоқ: ол {entered} енгізілді, "
            "ал жазбаның өз күні — «08» 07 2016 ж.",
        ),
    ],
)
def test_a_day_before_the_record_was_entered_is_said_with_one_full_stop(
    world, kept, language, expected
):
    # A tester read "…она внесена «06» декабря 2026 г.. Собственная дата…": the Russian
    # date's own "г." was followed by the sentence's full stop.
    page = visible(
        reader(world.users["auditor"], language).get(
            reverse("records:history", args=(kept.pk,)), {"as_of": "2016-07-09"}
        )
    )
    entered = kept.history.earliest("history_date").history_date
    said = expected.format(entered=format_date(timezone.localdate(entered), language=language))
    assert said in page
    assert ".." not in page


# 3. Exports in the language of the person who asks


@pytest.mark.parametrize(
    ("language", "status", "heading", "changes"),
    [
        ("ru", "закрыта", "Идентификатор", "3 изменения; 1 изменение её файлов; последнее «"),
        ("en", "closed", "Identifier", "3 changes; 1 change of its files; the last on "),
        ("kk", "жабық", "Идентификатор", "3 өзгеріс; файлдарының 1 өзгерісі; соңғысы «"),
    ],
)
def test_export_manifests_are_in_the_language_of_who_asks(
    world, kept, language, status, heading, changes
):
    response = reader(world.users["auditor"], language).get(reverse("records:export"))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        rows = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    [entry] = manifest
    assert entry["language"] == language
    assert entry["status"] == status and entry["status_code"] == "closed"
    # The record's three changes and its file's addition: what its history page lists,
    # and counted apart, as its page counts them.
    assert entry["history"]["changes"] == 4
    assert (entry["history"]["record_changes"], entry["history"]["file_changes"]) == (3, 1)
    assert rows[0][0] == heading
    # every column's name capitalised (three read "конфиденциально", "дата закрытия", …)
    assert all(name[:1] == name[:1].upper() for name in rows[0]), rows[0]
    [row] = rows[1:]
    assert row[9] == status
    history = row[17]
    file_added = RecordFile.history.filter(record_id=kept.pk).latest("history_date")
    last = timezone.localtime(
        max(kept.history.latest("history_date").history_date, file_added.history_date)
    )
    assert history.startswith(changes)
    assert format_datetime(last, language=language) in history
    assert history.endswith("keeper: аяқталды")
    assert "T" not in history.split(";")[1].split("keeper")[0]  # no ISO time stamp


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_export_counts_changes_and_names_people_as_the_record_page_does(
    world, pdf_bytes, language
):
    # A tester's manifest said "3 өзгеріс; …, keeper: …" for a record whose page said
    # "2 өзгеріс; файлдарының 1 өзгерісі" and named the keeper by their full name.
    keeper = world.users["keeper"]
    keeper.first_name, keeper.last_name = "ИТИ жазба жүргізушісі", ""
    keeper.save()
    record = make_record(world, title="Эдвайзер жоспары")
    attach(record, pdf_bytes, "жоспар.pdf", user=keeper)
    record_update(record=record, user=keeper, reason="атауы түзетілді", title="Жоспар")
    client = reader(world.users["auditor"], language)
    page = visible(client.get(reverse("records:detail", args=(record.pk,))))
    counted = {
        "kk": "2 өзгеріс; файлдарының 1 өзгерісі",
        "ru": "2 изменения; 1 изменение её файлов",
        "en": "2 changes; 1 change of its files",
    }[language]
    assert f"({counted})" in page
    listed = visible(client.get(reverse("records:history", args=(record.pk,))))
    assert "ИТИ жазба жүргізушісі" in listed and "keeper" not in listed
    response = client.get(reverse("records:export"), {"text": record.identifier})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        rows = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    [row] = [r for r in rows[1:] if r[0] == record.identifier]
    history = row[17]
    assert history.startswith(counted + "; ")
    assert history.endswith(" ИТИ жазба жүргізушісі: атауы түзетілді")
    assert "keeper" not in history


# 4. A disposition certificate: written once, in the approver's language, which it names


def test_certificate_is_written_in_the_approvers_language_and_its_series_read_in_yours(
    world, pdf_bytes
):
    record = make_record(world, year="2009-2010", title="Ескі хаттама")
    attach(record, pdf_bytes, "хаттама.pdf", user=world.users["keeper"])
    record_close(
        record=record,
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2010, 6, 30),
    )
    reader(world.users["quality"], "kk").post(reverse("records:propose"), {"record": [record.pk]})
    disposition = Disposition.objects.get()
    russian = reader(world.users["quality2"], "ru")
    response = russian.post(
        reverse("records:decide", args=(disposition.pk,)),
        {"decision": "approve", "understood": "on"},
        follow=True,
    )
    assert f"Уничтожение № {disposition.pk} утверждено: уничтожена 1 запись." in visible(response)
    disposition.refresh_from_db()
    certificate = disposition.certificate
    assert certificate.description == "Уничтожена 1 запись; предложил: quality, утвердил: quality2."
    content = json.loads(certificate.files.get(name__endswith=".json").file.read())
    assert content["language"] == "ru"
    assert content["records"][0]["retention"] == "5 лет после закрытия"
    assert content["records"][0]["closed_on_text"] == "«30» июня 2010 г."
    assert content["approved_on"] == format_date(timezone.localdate(), language="ru")

    # The series Sapa keeps certificates in is named in each reader's language.
    names = {
        "en": ("Records series Disposition certificates Form", "kept permanently"),
        "kk": ("Жазбалар сериясы Жою актілері Форма", "тұрақты сақталады"),
        "ru": ("Серия записей Акты уничтожения Форма", "хранится постоянно"),
    }
    for language, (series, retention) in names.items():
        client = reader(world.users["auditor"], language)
        page = visible(client.get(reverse("records:detail", args=(certificate.pk,))))
        assert series in page and retention in page, language
        assert f"{retention} · " not in page  # nothing comes after a permanent keep
        assert "туралы актілер" not in page  # the stored title is not how it is named
    assert RecordSeries.objects.get(pk=certificate.series_id).title.startswith("Жою актілері")


# 5. Periods and the app's name


def test_a_semester_and_a_span_of_days_read_in_the_readers_language(world):
    semester = record_create(
        series=world.plans,
        unit=world.institute,
        title="Күзгі семестр",
        period_kind="semester",
        academic_year="2025-2026",
        semester=1,
        record_date=datetime.date(2025, 10, 1),
        user=world.users["keeper"],
    )
    days = record_create(
        series=world.plans,
        unit=world.institute,
        title="Апта",
        period_kind="dates",
        period_start=RECORD_DAY,
        period_end=datetime.date(2016, 7, 15),
        record_date=RECORD_DAY,
        user=world.users["keeper"],
    )
    expected = {
        "kk": ("2025-2026, 1-семестр", "«08» 07 2016 ж. – «15» 07 2016 ж."),
        "ru": ("2025-2026, семестр 1", "«08» июля 2016 г. – «15» июля 2016 г."),
        "en": ("2025-2026, semester 1", "8 July 2016 – 15 July 2016"),
    }
    for language, (term, span) in expected.items():
        client = reader(world.users["auditor"], language)
        listing = visible(client.get(reverse("records:list")))
        # The period column follows the unit's: the period as words and dates, not its code.
        assert f"ИТИ {term} " in listing and f"ИТИ {span} " in listing, language
    # The identifiers keep their codes, whatever the language of who filed them.
    assert semester.identifier == "715-02/2025-2026-1/ИТИ/0001"
    assert days.identifier.startswith("715-02/08.07.2016–15.07.2016/")


def test_the_admin_names_the_records_app_in_the_readers_language():
    from django.apps import apps

    with translation.override("ru"):
        assert str(apps.get_app_config("records").verbose_name) == "Записи о качестве"
    with translation.override("en"):
        assert str(apps.get_app_config("records").verbose_name) == "Quality records"


def test_every_field_people_see_in_the_admin_is_named_in_russian_and_kazakh():
    """A field without a translated name shows its English code name ("created by",
    "user agent") to a Russian or Kazakh reader of the admin."""
    from django.apps import apps

    internal = {"IdentifierCounter", "HeldRecord", "HeldSeries"}
    unnamed = []
    for model in apps.get_app_config("records").get_models():
        if model.__name__ in internal or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if field.auto_created or (not field.concrete and not field.many_to_many):
                continue
            for language in ("ru", "kk"):
                with translation.override(language):
                    name = str(field.verbose_name)
                if not re.search(r"[а-яёәғқңөұүһі]", name, re.IGNORECASE) and name != "SHA-256":
                    unnamed.append(f"{model.__name__}.{field.name} ({language}: {name})")
    assert unnamed == []


@pytest.mark.parametrize(
    "language, named, foreign",
    [
        ("ru", "Издание №1", "басылым"),
        ("en", "Edition 1", "басылым"),
        ("kk", "№1 басылым", "Издание"),
    ],
)
def test_the_procedure_line_names_the_edition_in_the_readers_language(
    demo_content, language, named, foreign
):
    from records.models import QualityRecord

    record = QualityRecord.objects.filter(edition__number=1).select_related("document").first()
    page = visible(
        reader(demo_content["users"]["auditor"], language).get(
            reverse("records:detail", args=(record.pk,))
        )
    )
    assert f"{record.document.code} · {named}" in page
    assert foreign not in page


@pytest.mark.parametrize(
    "language, named, version",
    [
        ("ru", "Издание №1", "версия шаблона 1, сохранена «"),
        ("en", "Edition 1", "template version 1, saved "),
        ("kk", "№1 басылым", "үлгінің 1-нұсқасы, сақталған күні «"),
    ],
)
def test_the_form_version_and_the_edition_are_named_alike_on_the_page_and_in_the_export(
    demo_content, language, named, version
):
    """The form line said "revision 38": the id of a revision among every object's. It names
    the version of the form's template; the export names the edition as the page does
    (it wrote "№1 басылым" in a Russian export)."""
    from records.models import QualityRecord

    record = QualityRecord.objects.filter(edition__number=1).exclude(form=None).first()
    client = reader(demo_content["users"]["auditor"], language)
    page = visible(client.get(reverse("records:detail", args=(record.pk,))))
    assert f"{record.form.code} · {version}" in page
    response = client.get(reverse("records:export") + f"?text={record.identifier}")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        rows = list(csv.reader(io.StringIO(bundle.read("manifest.csv").decode("utf-8-sig"))))
    [entry] = [e for e in manifest if e["identifier"] == record.identifier]
    assert entry["edition"] == named
    assert entry["form_revision"]["version"] == 1
    [row] = [r for r in rows[1:] if r[0] == record.identifier]
    assert (row[4], row[6]) == ("1", named)


def test_the_records_list_says_whose_records_and_that_every_look_is_logged(world):
    """An auditor was not told their access is logged (a tester), and the Kazakh and
    Russian sentences naming the organisations read awkwardly."""
    page = visible(reader(world.users["auditor"], "ru").get(reverse("records:list")))
    assert "Вы читаете записи организаций, в которых работает ваша учётная запись: " in page
    assert "Каждое обращение к записям записывается в журнал: кто, когда, что и откуда" in page
    page = visible(reader(world.users["auditor"], "kk").get(reverse("records:list")))
    assert "Сіз тіркелгіңіз жұмыс істейтін ұйымдардың жазбаларын оқисыз: " in page
    assert "Жазбаларға әрбір қол жеткізу журналға жазылады" in page
