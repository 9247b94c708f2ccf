"""Records of procedure 404 in a browser: a unit keeper files and closes, an auditor retrieves
read-only, the quality office holds, releases and disposes with a second person's approval.

Each journey runs in Kazakh, Russian and English: the interface's words come from the
catalogues (``people.t``), what people typed (titles, reasons, codes) is written as typed."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pdfplumber
from playwright.sync_api import expect

from sapa.localisation.dates import format_date

PLAN_PDF = (
    Path(__file__).resolve().parents[2] / "home/demo_data/records/715-02_edvaizer_zhospary.pdf"
)
# Stands for a value the journey does not know beforehand (a number, an identifier).
ANY = "\x00"
WORD_97 = Path(__file__).resolve().parents[1] / "corpus" / "records" / "hattama.doc"
ACCEPTED = ".pdf, .png, .jpg, .tif, .docx, .xlsx, .odt, .ods, .doc, .xls, .txt, .csv, .json"


def messages(page):
    return page.locator("ul.messages")


def choose(select, text: str) -> None:
    """Chooses the option of ``select`` whose visible text contains ``text``."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(label for label in labels if text in label))


def field(scope, people, msgid: str):
    """The form field labelled with ``msgid`` (a filter's label, or a form's: capitalised,
    with "*" after it when the field is required)."""
    name = re.escape(people.t(msgid))
    return scope.get_by_label(re.compile(rf"^{name}\s*[:*]?$", re.IGNORECASE))


def filter_by(filters, people, typed: dict[str, str]) -> None:
    """Types each value into the records list's filter of that label, and asks."""
    for msgid, value in typed.items():
        field(filters, people, msgid).fill(value)
    filters.get_by_role("button", name=people.t("Find")).click()


def pattern(text: str) -> re.Pattern:
    """``text`` as a pattern where every ``ANY`` stands for some value."""
    return re.compile(".+?".join(re.escape(part) for part in text.split(ANY)))


def filed_as_another(page, people, filed_before: str, *, file: Path | None = None) -> None:
    """The keeper, told that the unit has a record of this form for this period already
    (``filed_before``, named with a link to it), says theirs is another one and files it
    again, choosing its file again."""
    expect(messages(page)).to_contain_text(
        people.t(
            "The record was not filed: its unit already has a record of this form for this period."
        )
    )
    before = page.locator(".filed-before")
    expect(before.get_by_role("link", name=filed_before)).to_be_visible()
    expect(before).to_contain_text(
        people.tn(
            "Its unit already has a record of this form for this period:",
            "Its unit already has records of this form for this period:",
            1,
        )
    )
    people.shot("keeper", "asked: another record of the same form, unit and period?")
    page.get_by_label(people.t("It is another record, not the one already filed")).check()
    if file is not None:
        field(page, people, "file").set_input_files(str(file))
    page.get_by_role("button", name=people.t("File the record")).click()


def test_keeper_files_a_record_with_its_file_and_is_told_why_a_close_is_refused(people):
    page = people.new_page("keeper")
    page.goto("/records/")
    page.get_by_role("link", name=people.t("New record")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("New record"))
    # The series are listed by their forms' codes: 713-01 … 713-04, then 715-01 …
    offered = field(page, people, "form").locator("option").all_inner_texts()[1:]
    assert offered == sorted(offered) and "713-01" in offered[0], offered
    choose(field(page, people, "form"), "715-02")
    choose(field(page, people, "unit"), "ИТИ")
    title = "Ақпараттық жүйелер кафедрасы эдвайзерлерінің жоспары"
    field(page, people, "title").fill(title)
    # Only the chosen kind of period's fields are shown (all four stood there, a tester).
    field(page, people, "period").select_option(value="dates")
    expect(field(page, people, "period start")).to_be_visible()
    expect(field(page, people, "academic year")).to_be_hidden()
    field(page, people, "period").select_option(value="academic_year")
    expect(field(page, people, "period start")).to_be_hidden()
    expect(field(page, people, "semester")).to_be_hidden()
    expect(page.locator("#id_academic_year_helptext")).to_have_text(people.t("As 2025-2026."))
    field(page, people, "academic year").fill("2025-2026")
    field(page, people, "file").set_input_files(str(PLAN_PDF))
    # Each label stands above its field, capitalised; the required ones are marked and the
    # form says what the mark means; what the file should be is said under the file field,
    # and read out with it.
    form = page.locator("main form")
    note = re.sub(
        r"<[^>]+>", "", people.t('Fields marked <span class="required">*</span> must be filled in.')
    )
    expect(form.locator(".form-note")).to_have_text(note)
    series = people.t("form")
    expect(form.locator("label[for=id_series]")).to_have_text(series[0].upper() + series[1:] + "*")
    academic_year = people.t("academic year")
    expect(form.locator("label[for=id_academic_year]")).to_have_text(
        academic_year[0].upper() + academic_year[1:]
    )
    help_text = people.t("The signed copy (PDF or a scan); more files can be added later.")
    expect(field(page, people, "file")).to_have_accessible_description(help_text)
    people.shot("keeper", "new record form")
    page.get_by_role("button", name=people.t("File the record")).click()
    # The institute's plan for the year is filed already: this one is the chair's.
    filed_as_another(page, people, "715-02/2025-2026/ИТИ/0001", file=PLAN_PDF)

    identifier = "715-02/2025-2026/ИТИ/0002"
    expect(messages(page)).to_contain_text(
        people.t("Record filed: %(id)s, with the file %(name)s.", id=identifier, name=PLAN_PDF.name)
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(identifier)
    expect(page.locator("table.listing")).to_contain_text(PLAN_PDF.name)
    meta = page.locator(".record-meta")
    expect(meta).to_contain_text(people.t("open"))
    # The retention in words and plural of the reader's language (715-02: five years).
    expect(meta).to_contain_text(
        people.tn("%(count)s year after closure", "%(count)s years after closure", 5)
    )
    people.shot("keeper", "record filed")
    # What its history lists, counted as it lists it: the record filed, and its file added.
    expect(page.locator(".history-count")).to_have_text(
        "("
        + people.tn("%(count)s change", "%(count)s changes", 1)
        + "; "
        + people.tn("%(count)s change of its files", "%(count)s changes of its files", 1)
        + ")"
    )

    # A scan added under its own name: its "№" and Kazakh letters are kept, on the page and
    # in the name the browser saves it under (the stored name had dropped "№").
    page.get_by_role("link", name=people.t("Add a file")).click()
    field(page, people, "file").set_input_files(
        {
            "name": "Хаттама №3 қол қойылған.pdf",
            "mimeType": "application/pdf",
            "buffer": PLAN_PDF.read_bytes(),
        }
    )
    field(page, people, "reason").fill("Қол қойылған хаттама")
    page.get_by_role("button", name=people.t("Upload")).click()
    stored = "Хаттама_№3_қол_қойылған.pdf"
    added = "File added to %(id)s: %(name)s, version %(version)s."
    expect(messages(page)).to_contain_text(people.t(added, id=identifier, name=stored, version=1))
    link = page.locator("table.listing").get_by_role("link", name=stored)
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == stored
    people.shot("keeper", "a file named with № added and downloaded under its name")

    # A program is refused, saying what it is and which files are taken (it said "files of
    # type application/x-dosexec"); an old Word protocol (.doc) is taken (every one was
    # refused as "application/x-ole-storage").
    page.get_by_role("link", name=people.t("Add a file")).click()
    program = {"name": "setup.exe", "mimeType": "application/x-msdownload"}
    field(page, people, "file").set_input_files({**program, "buffer": b"MZ\x90\x00" + bytes(200)})
    field(page, people, "reason").fill("Қате файл")
    page.get_by_role("button", name=people.t("Upload")).click()
    refused = "This file (%(kind)s) is not accepted for records. Accepted: %(accepted)s."
    expect(page.locator("main")).to_contain_text(
        people.t(refused, kind=people.t("a program"), accepted=ACCEPTED)
    )
    people.shot("keeper", "a program refused, saying which files are taken")
    word = {"name": "Хаттама №4.doc", "mimeType": "application/msword"}
    field(page, people, "file").set_input_files({**word, "buffer": WORD_97.read_bytes()})
    field(page, people, "reason").fill("Ескі Word хаттамасы")
    page.get_by_role("button", name=people.t("Upload")).click()
    expect(messages(page)).to_contain_text(
        people.t(added, id=identifier, name="Хаттама_№4.doc", version=1)
    )
    expect(page.locator("table.listing")).to_contain_text("Хаттама_№4.doc")
    people.shot("keeper", "an old Word protocol added")

    # Editing: a record is dated the day it was made, never later than today; the refusal is
    # at the field and nothing changes. A correct change is kept with its reason.
    page.get_by_role("link", name=people.t("Edit the record")).click()
    form = page.locator("main form")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    field(form, people, "record date").fill(tomorrow.isoformat())
    field(form, people, "reason for the change").fill("Күні қате жазылған")
    form.get_by_role("button", name=people.t("Save changes")).click()
    expect(form).to_contain_text(
        people.t("A record is dated the day it was made: not later than today.")
    )
    expect(messages(page)).to_contain_text(
        people.t("The record was not changed: correct the marked fields.")
    )
    people.shot("keeper", "a record date in the future refused")
    field(form, people, "record date").fill(datetime.date.today().isoformat())
    field(form, people, "title").fill("Эдвайзердің жұмыс жоспары, түзетілген")
    form.get_by_role("button", name=people.t("Save changes")).click()
    expect(messages(page)).to_contain_text(people.t("Record updated: %(id)s", id=identifier))
    expect(page.locator("main")).to_contain_text("Эдвайзердің жұмыс жоспары, түзетілген")
    people.shot("keeper", "record edited")

    # Closing without a reason (spaces only) is refused, and the page says why.
    page.get_by_label(people.t("Reason for closing")).fill("   ")
    page.get_by_role("button", name=people.t("Close the record")).click()
    why = people.t("Say why the record is closed.")
    expect(messages(page)).to_contain_text(people.t("The record was not closed. %(why)s", why=why))
    people.shot("keeper", "close refused")
    page.get_by_label(people.t("Reason for closing")).fill("Оқу жылы аяқталды")
    # Closing cannot be undone: it is confirmed (one click closed a tester's record).
    page.get_by_role("button", name=people.t("Close the record")).click()
    expect(messages(page)).to_contain_text(
        people.t("Confirm that the record is to be closed for good.")
    )
    page.get_by_label(people.t("Reason for closing")).fill("Оқу жылы аяқталды")
    page.get_by_label(
        people.t(
            "I understand: once closed, its unit makes no more changes to it and adds no files "
            "(only the quality office corrects it), and its retention period starts."
        )
    ).check()
    people.shot("keeper", "closing confirmed")
    page.get_by_role("button", name=people.t("Close the record")).click()
    expect(messages(page)).to_contain_text(
        people.t("Record closed: %(id)s. Its retention period runs from today.", id=identifier)
    )
    today = format_date(datetime.date.today(), language=people.language)
    expect(meta).to_contain_text(people.t("closed on %(day)s", day=today))
    expect(messages(page)).not_to_contain_text(people.t("Say why the record is closed."))
    people.shot("keeper", "record closed")

    # Another unit's record, its address typed: the page says it is not theirs to see (it
    # said "the address may be mistyped"), and names nothing of it.
    ((other, other_identifier),) = people.site.query(
        "SELECT r.id, r.identifier FROM records_qualityrecord r WHERE r.unit_id NOT IN "
        "(SELECT k.unit_id FROM records_keeperassignment k JOIN auth_user u ON u.id = k.user_id"
        " WHERE u.username = 'keeper') ORDER BY r.id LIMIT 1"
    )
    page.goto(f"/records/{other}/")
    main = page.locator("main")
    expect(main).to_contain_text(people.t("There is no such record, or it is not yours to see."))
    expect(main).not_to_contain_text(other_identifier)
    people.shot("keeper", "another unit's record refused")

    # The quality office's page, refused: it names them by their name (it gave their login).
    page.goto("/records/retention/")
    signed_in_as = (
        "You are signed in as %(name)s. If you need access, ask your organisation's quality office."
    )
    expect(page.locator("main")).to_contain_text(
        people.t(signed_in_as, name=full_name(people, "keeper"))
    )
    people.shot("keeper", "a page of the quality office refused, naming them")


def full_name(people, login: str) -> str:
    ((name,),) = people.site.query(
        "SELECT trim(first_name || ' ' || last_name) FROM auth_user WHERE username = ?", (login,)
    )
    assert name, f"the demo's {login} has a name"
    return name


def test_keeper_files_a_record_from_the_forms_page(people):
    """From the procedure's list of forms to the form's page, and from there to a new record
    with its series chosen: a tester found no way from a form to filing a record on it."""
    page = people.new_page("keeper")
    page.goto("/kaznrtu/docs/715-kp/")
    page.locator("#forms").get_by_role("link", name="ҚазҰТЗУ 715-02 Ү").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ҚазҰТЗУ 715-02 Ү")
    page.get_by_role("link", name=people.t("File a record on this form")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("New record"))
    chosen = field(page, people, "form").locator("option:checked")
    expect(chosen).to_contain_text("715-02")
    field(page, people, "title").fill("Металлургия кафедрасы эдвайзерлерінің жоспары")
    # The keeper files for their institute only: chosen too.
    expect(field(page, people, "unit").locator("option:checked")).to_contain_text(
        "Ақпараттық және телекоммуникациялық технологиялар"
    )
    field(page, people, "period").select_option(value="academic_year")
    field(page, people, "academic year").fill("2025-2026")
    people.shot("keeper", "new record from the form's page")
    page.get_by_role("button", name=people.t("File the record")).click()
    filed_as_another(page, people, "715-02/2025-2026/ИТИ/0001")
    expect(messages(page)).to_contain_text(pattern(people.t("Record filed: %(id)s", id=ANY)))
    expect(page.get_by_role("heading", level=1)).to_contain_text("715-02/2025-2026/")


def test_auditor_retrieves_records_and_their_history_read_only(people, live_site):
    page = people.new_page("auditor")
    # The admin is not theirs: opening it leads to the records, told why (it answered with
    # Wagtail's sign-in form and "You do not have permission to access the admin").
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/records/$"))
    expect(messages(page)).to_contain_text(
        people.t(
            "The admin is where the quality office and the agreers work; your work is here, "
            "in the records."
        )
    )
    page.goto("/records/")
    filters = page.locator("form.filters")
    filter_by(
        filters,
        people,
        {
            "form": "715-02 Ү",
            "unit": "Ақпараттық",
            "period from": "2025-09-01",
            "period to": "2026-08-31",
        },
    )
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")
    expect(listing).not_to_contain_text("715-03/")
    expect(listing).not_to_contain_text("715-06/")
    expect(listing).to_contain_text(people.t("open"))
    people.shot("auditor", "filtered as typed")

    # The same by the unit's abbreviation and the procedure as printed.
    filter_by(filters, people, {"unit": "ИТИ"})
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")

    # The form's code typed on a Russian keyboard (У for Ү, Казутзу for ҚазҰТЗУ): the same.
    filter_by(filters, people, {"form": "КазУТЗУ 715-02 У"})
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")
    expect(listing).not_to_contain_text("715-03/")

    # The year as the university counts it, instead of its days: the same record; another
    # year, not it.
    filter_by(filters, people, {"period from": "", "period to": "", "academic year": "2025-2026"})
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")
    filter_by(filters, people, {"academic year": "2018-2019"})
    expect(listing).not_to_contain_text("715-02/2025-2026/")
    people.shot("auditor", "narrowed to an academic year")
    filter_by(filters, people, {"academic year": "2025-2026"})

    # No edit control anywhere on the list.
    expect(page.get_by_role("link", name=people.t("New record"))).to_have_count(0)

    page.get_by_role("link", name="715-02/2025-2026/ИТИ/0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("715-02/2025-2026/ИТИ/0001")
    main = page.locator("main")
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    for control in ("Add a file", "Edit the record", "Close the record"):
        expect(main.get_by_text(people.t(control))).to_have_count(0)
    people.shot("auditor", "record read-only")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="715-02_edvaizer_zhospary.pdf").click()
    pdf = download_info.value
    saved = people.folder / pdf.suggested_filename
    pdf.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"

    main.get_by_role("link", name=people.t("History of changes")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("715-02/2025-2026/ИТИ/0001")
    history = page.locator("table.history")
    expect(history).to_contain_text("Жазба толтырылды")  # the reason the keeper typed
    expect(history).to_contain_text(people.t("Record created"))
    expect(page.locator("main form[method=post]")).to_have_count(0)
    people.shot("auditor", "record history")
    # Asked as it was before it was entered: the page says it was entered later, and gives
    # its own date (records filed from paper come into Sapa long after their date).
    page.get_by_label(people.t("The record as it was on")).fill("2025-01-01")
    page.get_by_role("button", name=people.t("Show")).click()
    expect(page.locator("main")).to_contain_text(
        pattern(
            people.t(
                "On %(day)s this record was not yet in Sapa: it was entered on %(entered)s, "
                "and its own date, as recorded, is %(record_date)s.",
                day=ANY,
                entered=ANY,
                record_date=ANY,
            )
        )
    )
    people.shot("auditor", "the record asked before it was entered")

    # The export of what was filtered: a zip with the manifest of exactly that record, in
    # the auditor's language.
    page.goto("/records/?form=715-02+Ү&unit=ИТИ&date_from=2025-09-01&date_to=2026-08-31")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=people.t("Export these records (zip)")).click()
    # named after the university, whose short name each row of the manifest gives too
    assert download_info.value.suggested_filename.startswith("sapa-records-ҚазҰТЗУ-")
    bundle = people.folder / download_info.value.suggested_filename
    download_info.value.save_as(bundle)
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        table = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    identifiers = [entry["identifier"] for entry in manifest]
    assert identifiers == ["715-02/2025-2026/ИТИ/0001"]
    assert manifest[0]["status"] == people.t("open")
    assert manifest[0]["language"] == people.language
    assert table[0][:2] == [people.t("Identifier"), people.t("Title")]
    assert table[1][9] == people.t("open")
    assert manifest[0]["organisation"] == table[1][-1] == "ҚазҰТЗУ"
    assert table[0][-1] == people.t("Organisation")

    # The auditor's own access is logged: the quality office sees it.
    office = people.new_page("quality")
    office.goto("/records/access-log/")
    # by their name, not their login ("auditor" in the "Who" column)
    rows = office.locator("main tbody tr")
    expect(rows.filter(has_text=people.t("exported records")).first).to_contain_text(
        full_name(people, "auditor")
    )
    expect(office.locator("main tbody td", has_text=re.compile(r"^auditor$"))).to_have_count(0)
    # and which records the export took (the entry named none)
    exported = rows.filter(has_text=people.t("exported records")).first.locator("details")
    exported.locator("summary").click()
    expect(exported.locator("li")).to_have_text(["715-02/2025-2026/ИТИ/0001"])
    people.shot("quality", "access log shows the auditor")
    # Narrowed to the auditor's searches: each says what was asked, not the address.
    filters = office.get_by_role("search", name=people.t("Filter the access log"))
    field(filters, people, "who").fill("auditor")
    # (the select's label reads "Action —" with its choice inside it)
    choose(
        filters.locator("label", has_text=people.t("Action")).locator("select"),
        people.t("listed the records"),
    )
    filters.get_by_role("button", name=people.t("Find")).click()
    rows = office.locator("main tbody tr")
    expect(rows.first).to_contain_text(people.t("listed the records"))
    expect(rows.filter(has_text=people.t("opened a record"))).to_have_count(0)
    expect(office.locator("main tbody")).to_contain_text(f"{people.t('form')}: «715-02 Ү»")
    expect(office.locator("main tbody")).not_to_contain_text("form=715-02")
    people.shot("quality", "access log narrowed to the auditor's searches")


def test_quality_office_holds_releases_and_disposes_with_a_second_person(people):
    page = people.new_page("quality")
    page.goto("/records/retention/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        people.t("Records whose retention has ended")
    )
    hold = page.locator("form", has=page.get_by_role("button", name=people.t("Place hold")))
    choose(field(hold, people, "reason"), people.t("audit"))
    description = "Ішкі аудит 2026: эдвайзерлер кеңесі"
    field(hold, people, "description").fill(description)
    field(hold, people, "record identifiers").fill("715-08/2018-2019/ИТИ/0001")
    people.shot("quality", "placing a hold")
    hold.get_by_role("button", name=people.t("Place hold")).click()
    held = f"{people.t('audit')}: {description}"
    expect(messages(page)).to_contain_text(
        people.t(
            "Hold placed: %(hold)s (%(records)s, %(series)s). They are not disposed of until "
            "it is released.",
            hold=held,
            records=people.tn("%(count)s record", "%(count)s records", 1),
            series=people.tn("%(count)s series", "%(count)s series", 0),
        )
    )
    # Due for disposal and now held: it stays in the list of those due, marked held, with
    # who placed the hold and why, and cannot be chosen (it vanished from the list).
    due = page.locator("table.listing").first
    held_row = due.locator("tr.held-due", has_text="715-08/2018-2019/ИТИ/0001")
    expect(held_row).to_contain_text(people.t("on hold"))
    expect(held_row.get_by_role("checkbox")).to_have_count(0)
    expect(due.locator("tr.held-due-why")).to_contain_text(description)
    expect(due.locator("tr.held-due-why")).to_contain_text(full_name(people, "quality"))
    expect(due).not_to_contain_text(people.t("No records are due for disposition."))
    # the hold names who placed it, not their login ("quality «06» 12 2026 ж. қойды")
    expect(page.locator("ul.holds")).to_contain_text(full_name(people, "quality"))
    people.shot("quality", "a held record stays in the list, held")

    page.goto("/records/")
    # The demo's quality office works for both universities: the list says it shows both
    # (a tester took АӨУ's records among ҚазҰТЗУ's for a leak).
    expect(page.locator("p.scope")).to_have_text(
        people.t(
            "You read the records of %(names)s: the organisations your account works for.",
            names="АӨУ, ҚазҰТЗУ",
        )
    )
    # ... and each row names its own (the rows could not be told apart).
    listing = page.locator("table.listing")
    expect(listing.locator("thead")).to_contain_text(people.t("Organisation"))
    expect(listing.locator("tbody tr", has_text="715-08/2018-2019/ИТИ/0001")).to_contain_text(
        "ҚазҰТЗУ"
    )
    expect(listing.locator("tbody tr td", has_text="АӨУ").first).to_be_visible()
    # On АӨУ's own host the list holds АӨУ's records and offers the others: there the office
    # read ҚазҰТЗУ's records among АӨУ's (a tester).
    aru = people.site.url.replace("127.0.0.1", "aru.localhost")
    people.contexts["quality"].add_cookies([{**people.site.session_cookie("quality"), "url": aru}])
    page.goto(f"{aru}/records/")
    # (a select inside its label: its name is the label followed by the option chosen)
    choice = page.get_by_role(
        "combobox", name=re.compile(rf"^{re.escape(people.t('organisation'))}", re.IGNORECASE)
    )
    expect(choice.locator("option:checked")).to_have_text("АӨУ")
    expect(page.locator("table.listing tbody tr").first).to_be_visible()
    expect(page.locator("table.listing")).not_to_contain_text("/ИТИ/")
    people.shot("quality", "on АӨУ's host: АӨУ's records")
    choice.select_option(label=people.t("every one you read"))
    page.get_by_role("button", name=people.t("Find")).click()
    expect(page.get_by_role("link", name="715-08/2018-2019/ИТИ/0001")).to_be_visible()
    page.goto("/records/")
    page.get_by_role("link", name="715-08/2018-2019/ИТИ/0001").click()
    expect(page.locator("main")).to_contain_text(people.t("On hold."))
    people.shot("quality", "record on hold")
    page.get_by_label(people.t("Reason for releasing")).fill("Аудит аяқталды")
    page.get_by_role("button", name=people.t("Release hold")).click()
    expect(messages(page)).to_contain_text(
        people.t(
            "Hold released: %(hold)s. Its records may be disposed of again when their "
            "retention ends.",
            hold=held,
        )
    )
    expect(page.locator("main")).not_to_contain_text(people.t("On hold."))
    page.get_by_role("link", name=people.t("History of changes")).click()
    expect(page.locator("main")).to_contain_text("Аудит аяқталды")
    people.shot("quality", "hold released, in the history")

    # Disposition: proposed by one person of the quality office, who may open a record due
    # from its identifier before choosing it (it only ticked its box) ...
    page.goto("/records/retention/")
    due = page.locator("table.listing").first
    expect(due.get_by_role("link", name="715-08/2018-2019/ИТИ/0001")).to_have_attribute(
        "href", re.compile(r"^/records/\d+/$")
    )
    page.get_by_label("715-08/2018-2019/ИТИ/0001").check()
    page.get_by_label(people.t("Note")).fill("Сақтау мерзімі өтті")
    page.get_by_role("button", name=people.t("Propose disposition")).click()
    expect(messages(page)).to_contain_text(
        pattern(
            people.tn(
                "Disposition no. %(n)s proposed for %(count)s record. A second person of the "
                "quality office approves or rejects it.",
                "Disposition no. %(n)s proposed for %(count)s records. A second person of the "
                "quality office approves or rejects it.",
                1,
                n=ANY,
            )
        )
    )
    expect(page.get_by_role("button", name=people.t("Approve disposition"))).to_have_count(0)
    people.shot("quality", "disposition proposed")

    # An audit comes: the proposed record is held again. The second person is not offered
    # the approval (it was offered, then refused), and is told why.
    hold = page.locator("form", has=page.get_by_role("button", name=people.t("Place hold")))
    choose(field(hold, people, "reason"), people.t("audit"))
    field(hold, people, "description").fill("Сыртқы аудит")
    field(hold, people, "record identifiers").fill("715-08/2018-2019/ИТИ/0001")
    hold.get_by_role("button", name=people.t("Place hold")).click()
    second = people.new_page("quality2")
    second.goto("/records/retention/")
    expect(second.locator("ul.proposed-records")).to_contain_text(people.t("on hold"))
    expect(second.get_by_role("button", name=people.t("Approve disposition"))).to_have_count(0)
    expect(second.locator("form.decide")).to_contain_text(
        people.t(
            "Records of it are on hold: it can be approved once every hold on them is "
            "released, or rejected."
        )
    )
    people.shot("quality2", "a proposal with a held record waits")
    page.goto("/records/")
    page.get_by_role("link", name="715-08/2018-2019/ИТИ/0001").click()
    page.get_by_label(people.t("Reason for releasing")).fill("Сыртқы аудит аяқталды")
    page.get_by_role("button", name=people.t("Release hold")).click()
    expect(page.locator("main")).not_to_contain_text(people.t("On hold."))

    # ... decided by a second one, who sees which records it disposes of; rejected first, the
    # reason stays with the decision ...
    second.goto("/records/retention/")
    expect(second.locator("ul.proposed-records")).to_contain_text("715-08/2018-2019/ИТИ/0001")
    second.get_by_label(people.t("Reason for rejecting")).fill("Алдымен аудиторға көрсетілсін")
    second.get_by_role("button", name=people.t("Reject")).click()
    expect(second.locator("main")).to_contain_text(
        people.t("reason: %(reason)s", reason="Алдымен аудиторға көрсетілсін")
    )
    people.shot("quality2", "disposition rejected, with its reason")
    page.goto("/records/retention/")
    page.get_by_label("715-08/2018-2019/ИТИ/0001").check()
    page.get_by_role("button", name=people.t("Propose disposition")).click()

    # ... then, proposed again, approved; the certificate is a record of its own.
    second.goto("/records/retention/")
    expect(second.locator("ul.proposed-records")).to_contain_text("715-08/2018-2019/ИТИ/0001")
    people.shot("quality2", "the proposal names its records")
    # Not undone once done: approved without ticking that the files go for good, nothing is.
    second.get_by_role("button", name=people.t("Approve disposition")).click()
    expect(messages(second)).to_contain_text(
        people.t(
            "The disposition was not approved. %(why)s",
            why=people.t("Confirm that the records' files are to be removed for good."),
        )
    )
    expect(second.locator("ul.proposed-records")).to_contain_text("715-08/2018-2019/ИТИ/0001")
    people.shot("quality2", "approval refused until the removal is confirmed")
    understood = people.tn(
        "I understand: the files and text of this record are removed for good; its "
        "identification, its history and this decision stay, with a disposition certificate.",
        "I understand: the files and text of these %(count)s records are removed for good; "
        "their identification, their history and this decision stay, with a disposition "
        "certificate.",
        1,
    )
    second.get_by_label(understood).check()
    second.get_by_role("button", name=people.t("Approve disposition")).click()
    expect(messages(second)).to_contain_text(
        pattern(
            people.tn(
                "Disposition no. %(n)s approved: %(count)s record disposed of. Certificate: "
                "%(id)s.",
                "Disposition no. %(n)s approved: %(count)s records disposed of. Certificate: "
                "%(id)s.",
                1,
                n=ANY,
                id=ANY,
            )
        )
    )
    people.shot("quality2", "disposition approved")
    certificate = second.locator("main a", has_text="АКТ/")
    certificate.first.click()
    expect(second.get_by_role("heading", level=1)).to_contain_text("АКТ/")
    expect(second.locator("table.listing")).to_contain_text("disposition-")
    # The series Sapa keeps the certificates in is named in the reader's language.
    expect(second.locator(".record-meta")).to_contain_text(
        people.t_re("Disposition certificates", "Disposition certificates of confidential records")
    )
    expect(second.locator(".record-meta")).to_contain_text(people.t("kept permanently"))
    people.shot("quality2", "certificate record")
    # The act to read and print, beside the data: the record disposed of, who decided.
    with second.expect_download() as download:
        second.locator("table.listing").get_by_role(
            "link", name=re.compile(r"disposition-\d+\.pdf")
        ).first.click()
    with pdfplumber.open(download.value.path()) as act:
        (_header, *rows) = act.pages[0].extract_table()
        printed = act.pages[0].extract_text()
    assert "".join((rows[0][1] or "").split()) == "715-08/2018-2019/ИТИ/0001"
    assert people.t("Approved by %(name)s on %(day)s", name="§", day="§").split("§")[0] in printed
