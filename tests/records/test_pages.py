"""The records pages as people use them: filters read the way codes are printed, every
change and refusal says so in a message, a bad filter is shown and never widens an export,
holds are released, records edited, and an auditor meets no control that changes anything."""

import datetime
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from records.models import Disposition, Hold, RecordStatus
from records.services import disposition_approve, disposition_propose, hold_place, record_close
from records.services.files import refused_type
from sapa.localisation.dates import format_date
from tests.factories.documents import ProcedurePageFactory
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db


def t(msgid: str, **values) -> str:
    """The text a Kazakh reader sees for ``msgid`` (the site's default language)."""
    with translation.override("kk"):
        text = gettext(msgid)
    return text % values if values else text


def tn(singular: str, plural: str, count: int, **values) -> str:
    """The plural form a Kazakh reader sees for ``count``."""
    with translation.override("kk"):
        text = ngettext(singular, plural, count)
    return text % {"count": count, **values}


def shown(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def filed(world, kaznrtu_library, pdf_bytes):
    """Records of two forms, two units and two years; 715-02 belongs to procedure 715."""
    procedure = ProcedurePageFactory(
        parent=kaznrtu_library, number="715", code="ҚазҰТЗУ 715 ҚП", slug="p715"
    )
    for series in (world.plans, world.certificates):
        series.form.owning_document = procedure
        series.form.save()
    plan = make_record(world, title="ИТИ жоспары")
    attach(plan, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    return {
        "plan": plan,
        "old_plan": make_record(world, title="Ескі жоспар", year="2024-2025"),
        "chair_plan": make_record(
            world, unit=world.chair, title="Кафедра жоспары", user=world.users["keeper_other"]
        ),
        "certificate": make_record(world, series=world.certificates, title="Анықтама"),
    }


def listed(client, **filters) -> set[str]:
    html = shown(client.get(reverse("records:list"), filters))
    return set(re.findall(r"715-0\d/\d{4}-\d{4}/[^/<]+/\d{4}", html))


# 1. Filters read what an auditor types


@pytest.mark.parametrize(
    "typed",
    [
        "715-02 Ү",
        "715-02",
        "ҚазҰТЗУ 715-02 Ү",
        "қазұтзу 715–02 ү",
        "715-02 Y",
        " 715-02-ші Ү ",
        "КазУТЗУ 715-02 У",  # typed on a Russian keyboard
    ],
)
def test_form_filter_reads_the_code_as_printed(client, world, filed, typed):
    client.force_login(world.users["auditor"])
    assert listed(client, form=typed) == {
        filed["plan"].identifier,
        filed["old_plan"].identifier,
        filed["chair_plan"].identifier,
    }
    assert listed(client, form="715-02 Ф") == set()  # another kind letter is another form


@pytest.mark.parametrize(
    "typed", ["715", "715 ҚП", "ҚазҰТЗУ 715 ҚП", "қазұтзу 715 қп", "КазУТЗУ 715 КП", "715 кп"]
)
def test_procedure_filter_reads_the_code_as_printed(client, world, filed, typed):
    client.force_login(world.users["auditor"])
    assert listed(client, procedure=typed) == {r.identifier for r in filed.values()}
    assert listed(client, procedure="404 ҚП") == set()
    assert listed(client, procedure="404 КП") == set()


@pytest.mark.parametrize(
    "typed",
    [
        "ИТИ",
        "ити",
        "Ақпараттық",
        "телекоммуникациялық институты",
        "Ақпараттық және телекоммуникациялық технологиялар институты (ИТИ)",
    ],
)
def test_unit_filter_takes_the_abbreviation_or_words_of_the_name(client, world, filed, typed):
    client.force_login(world.users["auditor"])
    found = listed(client, unit=typed)
    assert filed["plan"].identifier in found and filed["certificate"].identifier in found
    assert filed["chair_plan"].identifier not in found


def test_auditor_narrows_to_one_form_year_and_unit_and_exports_the_same(client, world, filed):
    client.force_login(world.users["auditor"])
    query = {
        "form": "ҚазҰТЗУ 715-02 Ү",
        "unit": "ИТИ",
        "date_from": "2025-09-01",
        "date_to": "2026-08-31",
    }
    assert listed(client, **query) == {filed["plan"].identifier}
    # The dates say what they filter on: the records' period ("from" alone left an auditor
    # asking which date).
    page = shown(client.get(reverse("records:list")))
    for label in ("period from", "period to"):
        said = t(label)
        assert f"<label>{said[:1].upper()}{said[1:]} <input" in page
    exported = client.get(reverse("records:export"), query)
    assert exported["X-Records-Count"] == "1"
    with zipfile.ZipFile(io.BytesIO(b"".join(exported.streaming_content))) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    assert [row["identifier"] for row in manifest] == [filed["plan"].identifier]


def test_the_list_is_narrowed_to_an_academic_year_as_the_university_counts_it(client, world, filed):
    client.force_login(world.users["auditor"])
    plans = {"form": "ҚазҰТЗУ 715-02 Ү", "unit": "ИТИ"}
    assert listed(client, academic_year="2024-2025", **plans) == {filed["old_plan"].identifier}
    assert listed(client, academic_year="2025-2026", **plans) == {filed["plan"].identifier}
    # with dates as well: the days both hold (the autumn of 2025 is in 2025-2026 only)
    autumn = {"date_from": "2025-09-01", "date_to": "2025-12-31"}
    assert listed(client, academic_year="2025-2026", **plans, **autumn) == {
        filed["plan"].identifier
    }
    assert listed(client, academic_year="2024-2025", **plans, **autumn) == set()
    # as Word writes it (an en dash), with a slash, pasted with spaces: the same year
    for typed in ("2025–2026", "2025/2026", " 2025 - 2026 "):
        assert listed(client, academic_year=typed, **plans) == {filed["plan"].identifier}, typed
    # two digits are no year: marked, not read as the year 25 (which listed nothing)
    response = client.get(reverse("records:list"), {"academic_year": "25-26"})
    assert response.context["form"]["academic_year"].errors
    page = shown(client.get(reverse("records:list")))
    said = t("academic year")
    assert f"<label>{said[:1].upper()}{said[1:]} <input" in page


# 3. A filter that cannot be read is shown, keeps the others, and refuses the export


@pytest.mark.parametrize(
    "bad",
    [
        {"date_from": "2024-13-01"},
        {"q": "ж" * 201},
        {"status": "lost"},
        {"form": "zzz"},
        {"procedure": "эдвайзер"},
        {"academic_year": "2025"},
    ],
)
def test_bad_filter_shows_its_error_and_keeps_the_other_filters(client, world, filed, bad):
    client.force_login(world.users["auditor"])
    response = client.get(reverse("records:list"), {"unit": "ГК", **bad})
    field = response.context["form"][next(iter(bad))]
    assert field.errors and escape(field.errors[0]) in shown(response)
    assert listed(client, unit="ГК", **bad) == {filed["chair_plan"].identifier}
    assert 'value="ГК"' in shown(response)  # what was typed stays in the form
    assert reverse("records:export") not in shown(response)


@pytest.mark.parametrize(
    "bad",
    [{"date_from": "2024-13-01"}, {"q": "ж" * 201}, {"date_to": "2020-01-01"}, {"form": "zzz"}],
)
def test_export_with_a_bad_filter_refuses_with_the_reason(client, world, filed, bad):
    client.force_login(world.users["auditor"])
    query = {"unit": "ГК", "date_from": "2020-02-01", **bad}
    response = client.get(reverse("records:export"), query)
    assert response.status_code == 400
    assert "X-Records-Count" not in response
    assert t("Nothing was exported: correct the marked filters.") in messages_of(response)
    html = shown(response)
    assert any(
        escape(e) in html for errors in response.context["form"].errors.values() for e in errors
    )


def test_a_mistyped_form_or_unit_is_marked_in_the_readers_language_and_the_rest_kept(
    client, world, filed
):
    # A keeper typed /records/?form=zzz&unit=ИТИ and read "Найдено записей: 0", nothing marked.
    client.force_login(world.users["keeper"])
    page = shown(
        client.get(
            reverse("records:list"), {"form": "zzz", "unit": "ИТИ"}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    )
    assert (
        '<span class="error">По «zzz» форма не найдена: введите код формы, как он напечатан, '
        "с номером.</span>" in page
    )
    assert 'name="unit" value="ИТИ"' in page and 'name="form" value="zzz"' in page
    ours = {filed[key].identifier for key in ("plan", "old_plan", "certificate")}
    assert set(re.findall(r"715-0\d/\d{4}-\d{4}/[^/<]+/\d{4}", page)) == ours
    assert "Найдено записей: 3" in page
    # And a unit that names none, the form typed right still narrowing the list.
    page = shown(
        client.get(
            reverse("records:list"), {"form": "715-02 Ү", "unit": "XYZ"}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    )
    assert (
        '<span class="error">По «XYZ» подразделение не найдено: введите его сокращение или '
        "слова названия.</span>" in page
    )
    assert 'name="form" value="715-02 Ү"' in page
    assert "Найдено записей: 2" in page
    # In Kazakh, the site's language.
    page = shown(client.get(reverse("records:list"), {"unit": "XYZ"}))
    assert "«XYZ» бойынша бөлімше табылмады" in page


# 2. Every change and every refusal says so


def test_keeper_files_a_record_with_its_file_and_is_told_its_identifier(client, world, pdf_bytes):
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(pdf_bytes)
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
            "file": upload,
        },
        follow=True,
    )
    record = world.plans.records.get()
    assert record.identifier == "715-02/2025-2026/ИТИ/0001"
    assert record.files.get().name == "жоспар.pdf"
    text = t(
        "Record filed: %(id)s, with the file %(name)s.", id=record.identifier, name="жоспар.pdf"
    )
    assert escape(text) in shown(response)
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(record.pk,))


def _file_a_plan(client, world, **more):
    return client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары (қайта)",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
            **more,
        },
        follow=True,
    )


def test_a_second_record_of_the_same_form_unit_and_period_is_asked_about_first(client, world):
    first = make_record(world, title="Эдвайзер жоспары")
    client.force_login(world.users["keeper"])
    response = _file_a_plan(client, world)
    assert list(world.plans.records.all()) == [first]
    page = shown(response)
    assert t(
        "The record was not filed: its unit already has a record of this form for this period."
    ) in messages_of(response)
    assert f'href="{reverse("records:detail", args=(first.pk,))}"' in page
    assert first.identifier in page
    box = t("It is another record, not the one already filed")
    assert escape(box) in page
    assert escape(t("Tick this to file one more record of this form, unit and period.")) in page

    # Ticked: it is another one, and it is filed beside the first.
    response = _file_a_plan(client, world, another="on")
    second = world.plans.records.exclude(pk=first.pk).get()
    assert second.identifier.endswith("/0002")
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(second.pk,))


def test_asked_about_a_second_record_the_keeper_is_told_at_once_that_its_file_is_refused(
    client, world
):
    # Else they would tick the box, choose the file again, and only then learn it will not do.
    first = make_record(world, title="Эдвайзер жоспары")
    client.force_login(world.users["keeper"])
    program = io.BytesIO(b"MZ\x90\x00 not a document")
    program.name = "жоспар.exe"
    response = _file_a_plan(client, world, file=program)
    assert list(world.plans.records.all()) == [first]
    page = shown(response)
    assert escape(t("It is another record, not the one already filed")) in page
    assert t("The record was not filed: correct the marked fields.") in messages_of(response)
    with translation.override("kk"):
        refused = refused_type("application/octet-stream")  # "This file (…) is not accepted"
    assert escape(refused) in page
    assert "octet-stream" not in page  # a kind not recognised is said in words

    # Ticked, with the same file: the file is refused again, and the box stays ticked (it
    # was gone, and the next try was asked about the record filed all over again).
    program.seek(0)
    page = shown(_file_a_plan(client, world, file=program, another="on"))
    assert escape(refused) in page
    assert re.search(r'<input type="checkbox" name="another"[^>]* checked', page)
    assert list(world.plans.records.all()) == [first]
    response = _file_a_plan(client, world, another="on")
    second = world.plans.records.exclude(pk=first.pk).get()
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(second.pk,))


def test_an_academic_year_typed_with_a_dash_is_filed_as_the_year(client, world):
    client.force_login(world.users["keeper"])
    response = _file_a_plan(client, world, academic_year="2025 – 2026")
    record = world.plans.records.get()
    assert record.academic_year == "2025-2026"
    assert record.identifier == "715-02/2025-2026/ИТИ/0001"
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(record.pk,))


def test_a_record_of_another_period_or_unit_is_filed_without_a_question(client, world):
    make_record(world, title="Өткен жылғы жоспар", year="2024-2025")
    make_record(world, unit=world.chair, title="Кафедра жоспары", user=world.users["keeper_other"])
    client.force_login(world.users["keeper"])
    response = _file_a_plan(client, world)
    filed = world.plans.records.get(academic_year="2025-2026", unit=world.institute)
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(filed.pk,))
    assert escape(t("It is another record, not the one already filed")) not in shown(response)


def test_a_refused_file_files_no_record_and_keeps_the_input(client, world):
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(b"MZ\x90\x00 not a document")
    upload.name = "жоспар.exe"
    response = client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
            "file": upload,
        },
    )
    assert world.plans.records.count() == 0
    assert t("The record was not filed: correct the marked fields.") in messages_of(response)
    assert 'value="Эдвайзер жоспары"' in shown(response)
    assert response.context["form"].errors


def test_closing_without_a_reason_is_refused_with_the_reason_why(client, world, filed):
    plan = filed["plan"]
    client.force_login(world.users["keeper"])
    response = client.post(
        reverse("records:close", args=(plan.pk,)), {"reason": "   ", "understood": "on"}
    )
    plan.refresh_from_db()
    assert plan.status == RecordStatus.OPEN
    why = t("The record was not closed. %(why)s", why=t("Say why the record is closed."))
    assert why in messages_of(response)
    assert escape(why) in shown(response)

    # Closing cannot be undone: one click closed a tester's record before its period ended.
    # The page says until when its period runs, and closing asks to be confirmed.
    confirm = (
        "I understand: once closed, its unit makes no more changes to it and adds no files "
        "(only the quality office corrects it), and its retention period starts."
    )
    assert escape(t(confirm)) in shown(client.get(reverse("records:detail", args=(plan.pk,))))
    response = client.post(reverse("records:close", args=(plan.pk,)), {"reason": "Аяқталды"})
    plan.refresh_from_db()
    assert plan.status == RecordStatus.OPEN
    why = t(
        "The record was not closed. %(why)s",
        why=t("Confirm that the record is to be closed for good."),
    )
    assert escape(why) in shown(response)

    response = client.post(
        reverse("records:close", args=(plan.pk,)),
        {"reason": "Оқу жылы аяқталды", "understood": "on"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == RecordStatus.CLOSED
    assert escape(
        t("Record closed: %(id)s. Its retention period runs from today.", id=plan.identifier)
    ) in shown(response)
    # Closing it again: refused, a closed record being frozen for its keeper.
    response = client.post(reverse("records:close", args=(plan.pk,)), {"reason": "тағы"})
    assert response.status_code == 403
    assert escape(t("A closed record is frozen: ask the quality office to correct it.")) in (
        response.content.decode()
    )


def audit_hold(world, record):
    """The quality office holds ``record`` for an external audit."""
    return hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Сыртқы аудит",
        records=[record],
        user=world.users["quality"],
    )


def test_closing_a_record_on_hold_says_its_retention_waits_for_the_release(client, world, filed):
    plan = filed["plan"]
    audit_hold(world, plan)
    client.force_login(world.users["keeper"])
    response = client.post(
        reverse("records:close", args=(plan.pk,)),
        {"reason": "Оқу жылы аяқталды", "understood": "on"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == RecordStatus.CLOSED
    page = shown(response)
    held = t(
        "Record closed: %(id)s. It is on hold: its retention period runs from the day every "
        "hold is released.",
        id=plan.identifier,
    )
    assert escape(held) in page
    today = t("Record closed: %(id)s. Its retention period runs from today.", id=plan.identifier)
    assert escape(today) not in page
    # Its end of retention, on the page, is not a date it will keep.
    assert t("later by every day it stays on hold") in page


def test_adding_a_file_says_which_version(client, world, filed, pdf_bytes):
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(pdf_bytes + b"\n%corrected")
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:file_add", args=(filed["plan"].pk,)),
        {"file": upload, "name": "жоспар.pdf", "reason": "түзетілген нұсқа"},
        follow=True,
    )
    text = t(
        "File added to %(id)s: %(name)s, version %(version)s.",
        id=filed["plan"].identifier,
        name="жоспар.pdf",
        version=2,
    )
    assert escape(text) in shown(response)
    # The record page counts what its history lists: the record's changes, and its files'.
    history = client.get(reverse("records:history", args=(filed["plan"].pk,)))
    changes, files = len(history.context["history"]), len(history.context["file_history"])
    assert (changes, files) == (1, 2), "filed; its first file, the second version"
    count = tn("%(count)s change", "%(count)s changes", changes)
    of_files = tn("%(count)s change of its files", "%(count)s changes of its files", files)
    assert f'<span class="history-count">({count}; {of_files})</span>' in shown(response)
    # Who filed and who added the file are named as people, not by their logins.
    keeper = world.users["keeper"]
    keeper.first_name, keeper.last_name = "Айгүл", "Сейітова"
    keeper.save()
    page = shown(client.get(reverse("records:history", args=(filed["plan"].pk,))))
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", page)
    assert rows and set(rows) == {"Айгүл Сейітова"}, rows


def test_a_new_version_is_chosen_from_the_records_files_and_the_current_one_is_marked(
    client, world, filed, pdf_bytes
):
    """A tester typed a file's name to add its version (a letter off made a new file), and
    the list of files did not say which version is the current one."""
    plan = filed["plan"]
    client.force_login(world.users["keeper"])
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    with translation.override("kk"):
        current = gettext("the current one")
        new_version = gettext("add a new version")
    row = re.search(
        r"<tr><td><a [^>]*>жоспар\.pdf</a></td>\s*<td class=\"file-version\">(.*?)</td>", page, re.S
    )
    assert row, page
    assert f"({current})" in row.group(1) and new_version in row.group(1)
    # its format as people name it ("application/pdf" in the cell's title only)
    assert '<td translate="no" title="application/pdf">PDF</td>' in page
    link = html.unescape(re.search(r'href="([^"]*version_of=[^"]*)"', row.group(1)).group(1))

    form = shown(client.get(link))
    assert re.search(r'<option value="жоспар.pdf" selected>жоспар.pdf</option>', form), form
    upload = io.BytesIO(pdf_bytes + b"\n%v2")
    upload.name = "scan-0001.pdf"  # the scanner's name: the version keeps the file's
    response = client.post(
        link,
        {"file": upload, "version_of": "жоспар.pdf", "name": "", "reason": "қол қойылған"},
        follow=True,
    )
    assert escape(
        t(
            "File added to %(id)s: %(name)s, version %(version)s.",
            id=plan.identifier,
            name="жоспар.pdf",
            version=2,
        )
    ) in shown(response)
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    versions = re.findall(r'<td class="file-version">(\d+)( <span class="current-version">)?', page)
    assert versions == [("2", ' <span class="current-version">'), ("1", "")]


def test_a_chosen_version_with_another_name_typed_is_refused_with_the_reason(
    client, world, filed, pdf_bytes
):
    plan = filed["plan"]
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(pdf_bytes + b"\n%v2")
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:file_add", args=(plan.pk,)),
        {"file": upload, "version_of": "жоспар.pdf", "name": "жоспар-2.pdf", "reason": "x"},
    )
    assert escape(
        t("A new version keeps its file's name: leave the name empty, or choose «a new file».")
    ) in shown(response)
    assert plan.files.count() == 1


def test_the_same_file_again_is_no_new_version(client, world, filed, pdf_bytes, settings):
    """A tester uploaded the same file twice: version 2 held the bytes of version 1."""
    plan = filed["plan"]
    root = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    stored = {p for p in root.rglob("*") if p.is_file()}
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(pdf_bytes)
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:file_add", args=(plan.pk,)),
        {"file": upload, "version_of": "жоспар.pdf", "reason": "қайта жүктеу"},
    )
    said = html.unescape(shown(response))
    assert (
        t(
            "This file is the same as version %(version)s of «%(name)s»: nothing was added.",
            version=1,
            name="жоспар.pdf",
        )
        in said
    )
    assert plan.files.count() == 1
    assert {p for p in root.rglob("*") if p.is_file()} == stored


def filled_form() -> bytes:
    """The demo's 715-02 Ү template as a keeper fills it in Word: a row of its table and the
    "Толтырған" line."""
    from pathlib import Path

    from docx import Document

    template = Path(__file__).resolve().parents[2] / "home/demo_data/forms/kaznrtu/715-02.docx"
    document = Document(template)
    row = document.tables[0].rows[1].cells
    row[1].text, row[2].text, row[3].text = "Қыркүйек", "Мұражайға саяхат", "ИС-25-1"
    signed = next(p for p in document.paragraphs if p.text.startswith("Толтырған:"))
    signed.text = "Толтырған: Жұмабекова Ә.С.   Қолы: ____________   Күні: 12.09.2025"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_filled_word_form_is_searchable_like_a_pdf(client, world, filed):
    from search import indexing

    client.force_login(world.users["keeper"])
    record = filed["old_plan"]
    upload = io.BytesIO(filled_form())
    upload.name = "ҚазҰТЗУ_715-02_Ү.docx"
    page = shown(
        client.post(
            reverse("records:file_add", args=(record.pk,)),
            {"file": upload, "name": "ҚазҰТЗУ_715-02_Ү.docx", "reason": "толтырылған нысан"},
            follow=True,
        )
    )
    assert "ҚазҰТЗУ_715-02_Ү.docx" in page
    assert t("no text to extract") not in page
    assert f"<td>{t('text extracted')}</td>" in page
    indexing.sync()
    # The words of its paragraphs and of its table's cells find the record ("Толтырған" also
    # finds the plan whose PDF says "толтыру"); words no other file holds find it alone.
    assert record.identifier in listed(client, q="Толтырған")
    for word in ("Жұмабекова", "Мұражайға"):
        assert listed(client, q=word) == {record.identifier}, word


@pytest.fixture
def due(world, pdf_bytes):
    record = make_record(world, year="2015-2016", title="Ескі хаттама")
    attach(record, pdf_bytes, "хаттама.pdf", user=world.users["keeper"])
    return record_close(
        record=record,
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2016, 6, 30),
    )


def test_deciding_ones_own_proposal_is_refused_and_a_second_person_approves(client, world, due):
    client.force_login(world.users["quality"])
    response = client.post(
        reverse("records:propose"), {"record": [due.pk], "note": "мерзімі өтті"}, follow=True
    )
    disposition = Disposition.objects.get()
    proposed = tn(
        "Disposition no. %(n)s proposed for %(count)s record. A second person of the quality "
        "office approves or rejects it.",
        "Disposition no. %(n)s proposed for %(count)s records. A second person of the quality "
        "office approves or rejects it.",
        1,
        n=disposition.pk,
    )
    assert escape(proposed) in shown(response)

    response = client.post(
        reverse("records:decide", args=(disposition.pk,)),
        {"decision": "approve", "understood": "on"},
    )
    refusal = t(
        "The disposition was not approved. %(why)s",
        why=t("The person who proposed a disposition cannot approve it: a second person must."),
    )
    assert refusal in messages_of(response) and escape(refusal) in shown(response)
    disposition.refresh_from_db()
    assert disposition.status == "proposed"

    client.force_login(world.users["quality2"])
    response = client.post(
        reverse("records:decide", args=(disposition.pk,)),
        {"decision": "approve", "understood": "on"},
        follow=True,
    )
    disposition.refresh_from_db()
    certificate = disposition.certificate
    approved = tn(
        "Disposition no. %(n)s approved: %(count)s record disposed of. Certificate: %(id)s.",
        "Disposition no. %(n)s approved: %(count)s records disposed of. Certificate: %(id)s.",
        1,
        n=disposition.pk,
        id=certificate.identifier,
    )
    assert escape(approved) in shown(response)
    # Its period is the day of the decision, named once (it read "07.12.2026–07.12.2026").
    assert certificate.identifier.startswith(f"АКТ/{certificate.period_start:%d.%m.%Y}/")
    assert certificate.period_display == format_date(certificate.period_start)
    # The certificate is linked from the page.
    assert reverse("records:detail", args=(certificate.pk,)) in shown(response)


def test_approving_a_disposition_without_confirming_it_disposes_of_nothing(client, world, due):
    """One click destroyed a tester's record: the second person confirms that the files go
    for good, or nothing happens, and they are told why."""
    disposition = disposition_propose(records=[due], user=world.users["quality"], note="")
    files = {entry.file.name for entry in due.files.all()}
    client.force_login(world.users["quality2"])
    page = client.get(reverse("records:retention"))
    confirm = tn(
        "I understand: the files and text of this record are removed for good; its "
        "identification, its history and this decision stay, with a disposition certificate.",
        "I understand: the files and text of these %(count)s records are removed for good; "
        "their identification, their history and this decision stay, with a disposition "
        "certificate.",
        1,
    )
    assert escape(confirm) in shown(page)
    response = client.post(
        reverse("records:decide", args=(disposition.pk,)), {"decision": "approve"}
    )
    refusal = t(
        "The disposition was not approved. %(why)s",
        why=t("Confirm that the records' files are to be removed for good."),
    )
    assert refusal in messages_of(response) and escape(refusal) in shown(response)
    disposition.refresh_from_db()
    due.refresh_from_db()
    assert disposition.status == "proposed" and disposition.certificate is None
    assert {entry.file.name for entry in due.files.all()} == files
    assert all(due.files.first().file.storage.exists(name) for name in files)


def test_proposing_a_held_record_is_refused_with_the_reason_and_keeps_the_choice(
    client, world, due
):
    audit_hold(world, due)
    # Another record is due and may be proposed: the form stays, with the note as typed.
    # (With nothing left to propose there is no form to keep it in: see below.)
    other = record_close(
        record=make_record(world, year="2014-2015", title="Ескі жоспар"),
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2015, 6, 30),
    )
    client.force_login(world.users["quality"])
    response = client.post(reverse("records:propose"), {"record": [due.pk], "note": "мерзімі"})
    refusal = t(
        "The disposition was not proposed. %(why)s",
        why=t("Records under hold cannot be disposed of: %(ids)s") % {"ids": due.identifier},
    )
    assert refusal in messages_of(response) and escape(refusal) in shown(response)
    assert not Disposition.objects.exists()
    assert 'value="мерзімі"' in shown(response)
    assert f'name="record" value="{other.pk}"' in shown(response)


def test_proposing_nothing_says_to_choose(client, world, due):
    client.force_login(world.users["quality"])
    response = client.post(reverse("records:propose"), {"note": "x"})
    assert t(
        "The disposition was not proposed. %(why)s", why=t("Choose the records to dispose of.")
    ) in messages_of(response)


# 4. Holds are released, with a reason kept in the history


def test_quality_office_places_and_releases_a_hold_from_the_record_page(client, world, filed):
    plan = filed["plan"]
    client.force_login(world.users["quality"])
    response = client.post(
        reverse("records:retention"),
        {"reason": "audit", "description": "Сыртқы аудит 2026", "identifiers": plan.identifier},
        follow=True,
    )
    hold = Hold.objects.get()
    assert escape(
        t(
            "Hold placed: %(hold)s (%(records)s, %(series)s). They are not disposed of until "
            "it is released.",
            hold=hold,
            records=tn("%(count)s record", "%(count)s records", 1),
            series=tn("%(count)s series", "%(count)s series", 0),
        )
    ) in shown(response)
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    release_url = reverse("records:hold_release", args=(hold.pk,))
    assert release_url in page and t("Release hold") in page

    response = client.post(
        release_url, {"reason": "", "next": reverse("records:detail", args=(plan.pk,))}, follow=True
    )
    hold.refresh_from_db()
    assert hold.released_at is None
    assert escape(
        t("The hold was not released. %(why)s", why=t("Say why the hold is released."))
    ) in shown(response)

    response = client.post(
        release_url,
        {"reason": "Аудит аяқталды", "next": reverse("records:detail", args=(plan.pk,))},
        follow=True,
    )
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == world.users["quality"]
    assert response.request["PATH_INFO"] == reverse("records:detail", args=(plan.pk,))
    assert t("On hold.") not in shown(response)
    assert not plan.is_on_hold
    history = shown(client.get(reverse("records:history", args=(plan.pk,))))
    assert "Аудит аяқталды" in history and "Сыртқы аудит 2026" in history


def test_a_series_hold_is_released_from_the_retention_page(client, world, filed):
    hold = hold_place(
        organisation=world.organisation,
        reason="dispute",
        description="Дау",
        series=[world.plans],
        user=world.users["quality"],
    )
    client.force_login(world.users["quality"])
    page = shown(client.get(reverse("records:retention")))
    assert world.plans.title in page and reverse("records:hold_release", args=(hold.pk,)) in page
    # The record page shows it too, as a series hold, with its button.
    detail = shown(client.get(reverse("records:detail", args=(filed["plan"].pk,))))
    assert reverse("records:hold_release", args=(hold.pk,)) in detail
    client.post(reverse("records:hold_release", args=(hold.pk,)), {"reason": "Дау шешілді"})
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert hold.history.order_by("-history_date").first().history_change_reason == "Дау шешілді"


def test_another_universitys_office_cannot_release_a_hold(client, world, filed, aru_library):
    from records.models import OrganisationMembership
    from records.permissions import QUALITY_OFFICE_GROUP
    from sapa.documents.models import Organisation
    from tests.factories.records import user

    hold = hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Аудит",
        records=[filed["plan"]],
        user=world.users["quality"],
    )
    office = user("aru_quality", QUALITY_OFFICE_GROUP)
    OrganisationMembership.objects.create(
        user=office, organisation=Organisation.for_page(aru_library)
    )
    client.force_login(office)
    response = client.post(reverse("records:hold_release", args=(hold.pk,)), {"reason": "x"})
    assert response.status_code == 404
    hold.refresh_from_db()
    assert hold.released_at is None


# 5. Editing a record's metadata, with a reason


def test_keeper_edits_a_record_with_a_reason_kept_in_the_history(client, world, filed):
    plan = filed["plan"]
    client.force_login(world.users["keeper"])
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    assert reverse("records:edit", args=(plan.pk,)) in page
    url = reverse("records:edit", args=(plan.pk,))
    data = {"title": "ИТИ эдвайзерлерінің жоспары", "description": "", "record_date": "2025-10-01"}
    response = client.post(url, {**data, "reason": ""})
    assert t("The record was not changed: correct the marked fields.") in messages_of(response)
    assert 'value="ИТИ эдвайзерлерінің жоспары"' in shown(response)
    plan.refresh_from_db()
    assert plan.title == "ИТИ жоспары"

    response = client.post(url, {**data, "reason": "Атауы нақтыланды"}, follow=True)
    plan.refresh_from_db()
    assert plan.title == "ИТИ эдвайзерлерінің жоспары"
    assert escape(t("Record updated: %(id)s", id=plan.identifier)) in shown(response)
    newest = plan.history.order_by("-history_date").first()
    assert (newest.history_user, newest.history_change_reason) == (
        world.users["keeper"],
        "Атауы нақтыланды",
    )
    history = shown(client.get(reverse("records:history", args=(plan.pk,))))
    assert "Атауы нақтыланды" in history and "ИТИ эдвайзерлерінің жоспары" in history


def test_editing_nothing_is_said(client, world, filed):
    plan = filed["plan"]
    versions = plan.history.count()
    client.force_login(world.users["quality"])
    response = client.post(
        reverse("records:edit", args=(plan.pk,)),
        {"title": plan.title, "description": "", "record_date": "2025-10-01", "reason": "x"},
    )
    assert escape(t("Nothing was changed: the record is as it was.")) in shown(response)
    # and not under "correct the marked fields", with no field marked (a tester)
    assert escape(t("The record was not changed: correct the marked fields.")) not in shown(
        response
    )
    assert plan.history.count() == versions


@pytest.mark.parametrize("role", ["auditor", "keeper_other", "granted"])
def test_others_cannot_edit(client, world, filed, role):
    plan = filed["plan"]
    client.force_login(world.users[role])
    response = client.post(
        reverse("records:edit", args=(plan.pk,)),
        {"title": "x", "record_date": "2025-10-01", "reason": "x"},
    )
    assert response.status_code in (403, 404)
    plan.refresh_from_db()
    assert plan.title == "ИТИ жоспары"


# 6. The auditor reads everything and meets no control that changes anything


def test_auditor_sees_no_edit_control_anywhere(client, world, filed):
    hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Аудит",
        records=[filed["plan"]],
        user=world.users["quality"],
    )
    client.force_login(world.users["auditor"])
    plan = filed["plan"]
    pages = [
        client.get(reverse("records:list")),
        client.get(reverse("records:detail", args=(plan.pk,))),
        client.get(reverse("records:history", args=(plan.pk,))),
        client.get(reverse("records:access_log")),
    ]
    for response in pages:
        html = shown(response)
        assert response.status_code == 200
        assert 'method="post"' not in html.replace('class="sign-out"', "").split("<main", 1)[-1]
        for name in ("records:create", "records:retention"):
            assert reverse(name) not in html
        for name in ("records:file_add", "records:edit", "records:close"):
            assert reverse(name, args=(plan.pk,)) not in html
    detail = shown(pages[1])
    assert t("On hold.") in detail and t("Release hold") not in detail
    assert reverse("records:download", args=(plan.files.get().pk,)) in detail


@pytest.mark.parametrize(
    "name,data",
    [
        ("records:close", {"reason": "x"}),
        ("records:edit", {"title": "x", "record_date": "2025-10-01", "reason": "x"}),
        ("records:file_add", {"reason": "x"}),
    ],
)
def test_auditor_is_refused_with_a_page_not_a_bare_response(client, world, filed, name, data):
    client.force_login(world.users["auditor"])
    response = client.post(reverse(name, args=(filed["plan"].pk,)), data)
    assert response.status_code == 403
    assert "<html" in shown(response)  # the site's 403 page, in the reader's language
    # its own reason, and not the general sentence after it (a tester read both)
    assert '<p class="reason">' in shown(response)
    general = t(
        "You do not have permission to open this page. Records of another organisation, "
        "confidential series and actions of other roles are closed to you."
    )
    assert escape(general) not in shown(response)


def test_auditor_cannot_release_or_place_holds(client, world, filed):
    hold = hold_place(
        organisation=world.organisation,
        reason="audit",
        description="Аудит",
        records=[filed["plan"]],
        user=world.users["quality"],
    )
    client.force_login(world.users["auditor"])
    assert (
        client.post(reverse("records:hold_release", args=(hold.pk,)), {"reason": "x"}).status_code
        == 403
    )
    hold.refresh_from_db()
    assert hold.released_at is None


def test_another_universitys_record_is_a_not_found_page(client, world, filed, aru_library):
    from records.models import OrganisationMembership
    from records.permissions import AUDITORS_GROUP
    from sapa.documents.models import Organisation
    from tests.factories.records import user

    auditor = user("aru_auditor", AUDITORS_GROUP)
    OrganisationMembership.objects.create(
        user=auditor, organisation=Organisation.for_page(aru_library)
    )
    client.force_login(auditor)
    plan = filed["plan"]
    for url in (
        reverse("records:detail", args=(plan.pk,)),
        reverse("records:history", args=(plan.pk,)),
        reverse("records:download", args=(plan.files.get().pk,)),
    ):
        response = client.get(url)
        assert response.status_code == 404 and "<html" in shown(response)
        assert plan.title not in shown(response)


def test_get_on_an_action_goes_back_to_its_page(client, world, filed):
    client.force_login(world.users["keeper"])
    response = client.get(reverse("records:close", args=(filed["plan"].pk,)))
    assert response.status_code == 302
    assert response.url == reverse("records:detail", args=(filed["plan"].pk,))


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            {"period_kind": "semester", "academic_year": "2025-2026"},
            "semester",
            "The semester is 1 or 2.",
        ),
        (
            {"period_kind": "dates", "period_start": "2026-03-01", "period_end": "2026-02-01"},
            "period_end",
            "The last day of the period comes before its first day.",
        ),
        # empty days are said to be empty (they were told to be "given in order", a tester)
        (
            {"period_kind": "dates", "period_start": "", "period_end": "2026-02-01"},
            "period_start",
            "Fill in the first day of the period.",
        ),
        (
            {"period_kind": "dates", "period_start": "2026-02-01", "period_end": ""},
            "period_end",
            "Fill in the last day of the period.",
        ),
    ],
)
def test_a_period_refused_is_said_at_its_field(client, world, period, field, message):
    client.force_login(world.users["keeper"])
    data = {"series": world.plans.pk, "unit": world.institute.pk, "title": "Жоспар", **period}
    response = client.post(reverse("records:create"), data)
    assert world.plans.records.count() == 0
    form = response.context["form"]
    assert form[field].errors == [t(message)] and not form.non_field_errors()
    assert t("The record was not filed: correct the marked fields.") in messages_of(response)
    # No file was chosen: nothing to choose again.
    again = t("A chosen file is not kept when the form comes back with an error: choose it again.")
    assert escape(again) not in shown(response)


def test_a_bad_period_is_said_on_the_form_not_on_the_file(client, world, pdf_bytes):
    client.force_login(world.users["keeper"])
    upload = io.BytesIO(pdf_bytes)
    upload.name = "жоспар.pdf"
    response = client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары",
            "period_kind": "academic_year",
            "academic_year": "2025-2027",
            "file": upload,
        },
    )
    assert world.plans.records.count() == 0
    form = response.context["form"]
    # Said at the field it is about, which is marked, not above the whole form.
    assert form["academic_year"].errors == [t("Write the academic year as 2025-2026.")]
    assert not form.non_field_errors() and not form["file"].errors
    field = re.search(r'<input[^>]*name="academic_year"[^>]*>', shown(response))[0]
    assert 'value="2025-2027"' in field and 'aria-invalid="true"' in field
    again = t("A chosen file is not kept when the form comes back with an error: choose it again.")
    assert escape(again) in shown(response), "the file chosen must be chosen again"


def test_with_every_due_record_proposed_the_page_says_there_is_nothing_to_propose(
    client, world, due
):
    # A tester found the note and "Жоюды ұсыну" with no record to tick; pressing it only
    # answered "choose the records".
    client.force_login(world.users["quality"])
    page = html.unescape(shown(client.get(reverse("records:retention"))))
    assert "Жоюды ұсыну" in page and reverse("records:propose") in page
    assert "Қазір жоюға ұсынатын жазба жоқ" not in page
    client.post(reverse("records:propose"), {"record": [due.pk], "note": "мерзімі"})
    page = html.unescape(shown(client.get(reverse("records:retention"))))
    assert (
        "Қазір жоюға ұсынатын жазба жоқ: мерзімі өткен әр жазба ұсынылып қойған немесе "
        "ұсталымда." in page
    )
    assert "Жоюды ұсыну" not in page
    assert reverse("records:propose") not in page  # no form, no note field


def test_a_proposed_record_is_not_offered_again(client, world, due):
    client.force_login(world.users["quality"])
    client.post(reverse("records:propose"), {"record": [due.pk], "note": "мерзімі"})
    disposition = Disposition.objects.get()
    page = shown(client.get(reverse("records:retention")))
    assert f'name="record" value="{due.pk}"' not in page
    assert t("proposed in No. %(n)s", n=disposition.pk) in page


# A closed record is frozen for its keepers; the quality office corrects it


def test_a_closed_record_is_frozen_for_its_keeper_but_not_for_the_quality_office(
    client, world, filed
):
    plan = record_close(
        record=filed["plan"], user=world.users["keeper"], reason="Оқу жылы аяқталды"
    )
    client.force_login(world.users["keeper"])
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    assert reverse("records:edit", args=(plan.pk,)) not in page
    assert reverse("records:file_add", args=(plan.pk,)) not in page
    corrected = escape(
        t(
            "Closed: its unit no longer changes it. A correction made here by the quality "
            "office is kept in its history, with the reason."
        )
    )
    assert corrected not in page
    response = client.post(
        reverse("records:edit", args=(plan.pk,)),
        {"title": "Өзгертілген", "description": "", "record_date": "2025-10-01", "reason": "x"},
    )
    assert response.status_code == 403
    assert escape(t("A closed record is frozen: ask the quality office to correct it.")) in (
        response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.title == "ИТИ жоспары"

    # The quality office may still correct it, and is told how that reads (a tester read the
    # close box's "takes no more changes" and then found the edit links).
    client.force_login(world.users["quality"])
    page = shown(client.get(reverse("records:detail", args=(plan.pk,))))
    assert reverse("records:edit", args=(plan.pk,)) in page
    assert corrected in page


@pytest.mark.parametrize("role", ["keeper", "quality"])
@pytest.mark.parametrize("name", ["records:edit", "records:file_add"])
def test_a_destroyed_record_is_refused_to_its_own_people_because_it_was_destroyed(
    world, pdf_bytes, role, name
):
    # A tester, the unit's keeper, was told in Russian that only the unit's keepers and the
    # quality office change the record: they are those people; it was destroyed.
    record = make_record(world, year="2015-2016", title="Ескі жоспар")
    attach(record, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    record_close(
        record=record,
        user=world.users["keeper"],
        reason="аяқталды",
        closed_on=datetime.date(2016, 6, 30),
    )
    proposal = disposition_propose(
        organisation=world.organisation, records=[record], user=world.users["quality"]
    )
    disposition_approve(disposition=proposal, user=world.users["quality2"])
    client = Client()
    client.cookies["django_language"] = "ru"
    client.force_login(world.users[role])
    response = client.get(reverse(name, args=(record.pk,)))
    assert response.status_code == 403
    page = html.unescape(re.sub(r"\s+", " ", shown(response)))
    assert "Эта запись уничтожена (по акту уничтожения): изменить её больше нельзя." in page
    assert "изменяют только ответственные" not in page


def test_the_series_to_file_into_are_listed_by_their_forms_codes(client, demo_content):
    client.force_login(demo_content["users"]["keeper"])
    page = client.get(reverse("records:create")).content.decode()
    select = re.search(r'<select name="series".*?</select>', page, re.S).group(0)
    codes = re.findall(r"<option value=\"\d+\"[^>]*>\s*([^<·]+?)\s*·", select)
    assert len(codes) > 3 and any(" 713-" in code for code in codes)
    assert codes == sorted(codes), codes


@pytest.mark.parametrize(
    ("role", "lands", "told"),
    [
        ("keeper", "/records/", "сіздің жұмысыңыз осында, жазбаларда"),
        ("auditor", "/records/", "сіздің жұмысыңыз осында, жазбаларда"),
        ("staff", "/", "құжаттарды осында, сайтта оқып, іздейсіз"),
    ],
)
def test_signing_in_at_the_admin_without_being_its_user_leads_to_ones_own_pages(
    client, world, role, lands, told
):
    """A keeper who signed in at /admin/login/ stayed on its form, told "you do not have
    permission to access the admin", with no way on."""
    user = world.users[role]
    user.set_password("sign-in-here")
    user.save(update_fields=["password"])
    response = client.post(
        "/admin/login/",
        {"username": user.get_username(), "password": "sign-in-here"},
        HTTP_ACCEPT_LANGUAGE="kk",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == lands
    page = response.content.decode()
    assert told in page
    assert "Әкімшілік панельге кіруге рұқсатыңыз жоқ" not in page


def test_only_those_who_may_see_records_are_offered_them_and_staff_are_told_why(
    client, world, filed
):
    """Staff saw a "Records" link that led to "Records found: 0 … No records found." and no
    word of why (a tester). Those who may see none are not offered the link, and the list
    says why it is empty and whom to ask."""
    why = t(
        "Your account has no access to quality records: each unit's keeper files them, and "
        "the quality office and auditors read them. If your work needs some of them, ask the "
        "quality office to grant you their series."
    )
    link = f'<a href="/records/">{t("Records")}</a>'
    for who, sees in (
        ("staff", False),
        ("keeper", True),
        ("auditor", True),
        ("quality", True),
        ("granted", True),
    ):
        client.force_login(world.users[who])
        home = shown(client.get(reverse("search:search")))
        assert (link in home) == sees, who
        listing = shown(client.get(reverse("records:list")))
        assert (why in listing) == (not sees), who
        # and nothing else: no filters to fill in over a list that can hold nothing (a tester)
        assert ('class="filters"' in listing) == sees, who
        assert ('class="count"' in listing) == sees, who


def test_a_forms_page_offers_its_filers_a_new_record_with_its_series_and_unit_chosen(
    client, world, kaznrtu_library
):
    """A tester found no way from a form's page to filing a record on it."""
    from tests.documents.helpers import visit

    suffix = f"forms/{world.plans.form_id}/"
    link = t("File a record on this form")
    client.force_login(world.users["staff"])  # files nothing: no link
    for_staff = shown(visit(client, kaznrtu_library, suffix))
    assert t("Where it is cited") in for_staff and link not in for_staff
    client.force_login(world.users["keeper"])
    page = shown(visit(client, kaznrtu_library, suffix))
    address = reverse("records:create") + f"?form={world.plans.form_id}"
    assert f'<a href="{escape(address)}">{escape(link)}</a>' in page
    new = shown(client.get(address))
    assert re.search(rf'<option value="{world.plans.pk}" selected>', new)
    assert re.search(rf'<option value="{world.institute.pk}" selected>', new)


@pytest.mark.parametrize("method", ["delete", "post", "put"])
def test_a_records_page_refuses_what_it_does_not_do(client, world, filed, method):
    """DELETE on a record's page answered 200 with the page, as if it had done something
    (a tester): the pages that are read refuse other methods, and the record stays."""
    plan = filed["plan"]
    client.force_login(world.users["quality"])
    for url in (
        reverse("records:detail", args=(plan.pk,)),
        reverse("records:history", args=(plan.pk,)),
        reverse("records:list"),
    ):
        assert getattr(client, method)(url).status_code == 405, url
    plan.refresh_from_db()
    assert plan.status == "open"


def test_a_keeper_of_one_unit_finds_it_chosen_on_a_new_record(client, world):
    """A keeper who files for one unit met "—" over their single choice (a tester)."""
    client.force_login(world.users["keeper"])
    page = shown(client.get(reverse("records:create")))
    unit = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"( selected)?>', unit)
    assert options == [(str(world.institute.pk), " selected")], options
    # and the academic year says how it is written before anything is refused
    assert t("As 2025-2026.") in page


def test_a_list_of_several_organisations_records_names_each_rows_organisation(client, demo_content):
    """The quality office reads both universities' records in one list: a tester could not
    tell a row of АӨУ from one of ҚазҰТЗУ. Who reads one organisation's gets no such column."""
    client.force_login(demo_content["users"]["quality"])
    page = shown(client.get(reverse("records:list")))
    assert f"<th>{t('Organisation')}</th>" in page
    assert '<td lang="kk">АӨУ</td>' in page and '<td lang="kk">ҚазҰТЗУ</td>' in page
    client.force_login(demo_content["users"]["keeper"])
    assert f"<th>{t('Organisation')}</th>" not in shown(client.get(reverse("records:list")))
