"""Records of procedure 404 in a browser: a unit keeper files and closes, an auditor retrieves
read-only, the quality office holds, releases and disposes with a second person's approval."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

PLAN_PDF = (
    Path(__file__).resolve().parents[2] / "home/demo_data/records/715-02_edvaizer_zhospary.pdf"
)


def messages(page):
    return page.locator("ul.messages")


def choose(select, text: str) -> None:
    """Chooses the option of ``select`` whose visible text contains ``text``."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(label for label in labels if text in label))


def test_keeper_files_a_record_with_its_file_and_is_told_why_a_close_is_refused(people):
    page = people.new_page("keeper")
    page.goto("/records/")
    page.get_by_role("link", name="Жаңа жазба").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Жаңа жазба")
    choose(page.get_by_label("серия:", exact=True), "715-02")
    choose(page.get_by_label("бөлімше:", exact=True), "ИТИ")
    title = "Ақпараттық жүйелер кафедрасы эдвайзерлерінің жоспары"
    page.get_by_label("атауы:", exact=True).fill(title)
    page.get_by_label("кезең:", exact=True).select_option(value="academic_year")
    page.get_by_label("оқу жылы:", exact=True).fill("2025-2026")
    page.get_by_label("файл:", exact=True).set_input_files(str(PLAN_PDF))
    people.shot("keeper", "new record form")
    page.get_by_role("button", name="Жазбаны тіркеу").click()

    expect(messages(page)).to_contain_text("Жазба тіркелді: 715-02/2025-2026/ИТИ/0002")
    expect(page.get_by_role("heading", level=1)).to_have_text("715-02/2025-2026/ИТИ/0002")
    expect(page.locator("table.listing")).to_contain_text(PLAN_PDF.name)
    people.shot("keeper", "record filed")

    # Closing without a reason (spaces only) is refused, and the page says why.
    page.get_by_label("Жабу себебі").fill("   ")
    page.get_by_role("button", name="Жазбаны жабу").click()
    expect(messages(page)).to_contain_text("Жазбаның жабылу себебін көрсетіңіз")
    people.shot("keeper", "close refused")
    page.get_by_label("Жабу себебі").fill("Оқу жылы аяқталды")
    page.get_by_role("button", name="Жазбаны жабу").click()
    expect(page.locator(".record-meta")).to_contain_text("жабылды")
    expect(messages(page)).not_to_contain_text("себебін көрсетіңіз")
    people.shot("keeper", "record closed")


def test_auditor_retrieves_records_and_their_history_read_only(people, live_site):
    page = people.new_page("auditor")
    page.goto("/records/")
    filters = page.locator("form.filters")
    filters.get_by_label("Форма").fill("715-02 Ү")
    filters.get_by_label("Бөлімше").fill("Ақпараттық")
    filters.get_by_label("Бастап").fill("2025-09-01")
    filters.get_by_label("Дейін").fill("2026-08-31")
    filters.get_by_role("button", name="Іздеу").click()
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")
    expect(listing).not_to_contain_text("715-03/")
    expect(listing).not_to_contain_text("715-06/")
    people.shot("auditor", "filtered as typed")

    # The same by the unit's abbreviation and the procedure as printed.
    filters.get_by_label("Бөлімше").fill("ИТИ")
    filters.get_by_role("button", name="Іздеу").click()
    expect(listing).to_contain_text("715-02/2025-2026/ИТИ/0001")

    # No edit control anywhere on the list.
    expect(page.get_by_role("link", name="Жаңа жазба")).to_have_count(0)

    page.get_by_role("link", name="715-02/2025-2026/ИТИ/0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("715-02/2025-2026/ИТИ/0001")
    main = page.locator("main")
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    for control in ("Файл қосу", "Жазбаны өңдеу", "Жазбаны жабу"):
        expect(main.get_by_text(control)).to_have_count(0)
    people.shot("auditor", "record read-only")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="715-02_edvaizer_zhospary.pdf").click()
    pdf = download_info.value
    saved = people.folder / pdf.suggested_filename
    pdf.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"

    main.get_by_role("link", name="Өзгерістер тарихы").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("715-02/2025-2026/ИТИ/0001")
    expect(page.locator("main")).to_contain_text("Жазба толтырылды")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    people.shot("auditor", "record history")

    # The export of what was filtered: a zip with the manifest of exactly that record.
    page.goto("/records/?form=715-02+Ү&unit=ИТИ&date_from=2025-09-01&date_to=2026-08-31")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("экспорттау")).click()
    bundle = people.folder / download_info.value.suggested_filename
    download_info.value.save_as(bundle)
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    identifiers = [entry["identifier"] for entry in manifest]
    assert identifiers == ["715-02/2025-2026/ИТИ/0001"]

    # The auditor's own access is logged: the quality office sees it.
    office = people.new_page("quality")
    office.goto("/records/access-log/")
    expect(office.locator("main")).to_contain_text("auditor")
    people.shot("quality", "access log shows the auditor")


def test_quality_office_holds_releases_and_disposes_with_a_second_person(people):
    page = people.new_page("quality")
    page.goto("/records/retention/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    hold = page.locator("form", has=page.get_by_role("button", name="Ұсталымға алу"))
    choose(hold.get_by_label("себебі"), "аудит")
    hold.get_by_label("сипаттамасы").fill("Ішкі аудит 2026: эдвайзерлер кеңесі")
    hold.get_by_label("жазбалардың идентификаторлары").fill("715-08/2018-2019/ИТИ/0001")
    people.shot("quality", "placing a hold")
    hold.get_by_role("button", name="Ұсталымға алу").click()
    expect(messages(page)).to_contain_text("Ұсталымға алынды")

    page.goto("/records/")
    page.get_by_role("link", name="715-08/2018-2019/ИТИ/0001").click()
    expect(page.locator("main")).to_contain_text("Ұсталымда.")
    people.shot("quality", "record on hold")
    page.get_by_label("Тоқтату себебі").fill("Аудит аяқталды")
    page.get_by_role("button", name="Ұсталымды тоқтату").click()
    expect(messages(page)).to_contain_text("Ұсталым тоқтатылды")
    expect(page.locator("main")).not_to_contain_text("Ұсталымда.")
    page.get_by_role("link", name="Өзгерістер тарихы").click()
    expect(page.locator("main")).to_contain_text("Аудит аяқталды")
    people.shot("quality", "hold released, in the history")

    # Disposition: proposed by one person of the quality office ...
    page.goto("/records/retention/")
    page.get_by_label("715-08/2018-2019/ИТИ/0001").check()
    page.get_by_label("Ескертпе").fill("Сақтау мерзімі өтті")
    page.get_by_role("button", name="Жоюды ұсыну").click()
    expect(messages(page)).to_contain_text("жою ұсынылды")
    expect(page.get_by_role("button", name="Жоюды бекіту")).to_have_count(0)
    people.shot("quality", "disposition proposed")

    # ... approved by a second one, and the certificate is a record of its own.
    second = people.new_page("quality2")
    second.goto("/records/retention/")
    second.get_by_role("button", name="Жоюды бекіту").click()
    expect(messages(second)).to_contain_text("жою бекітілді")
    people.shot("quality2", "disposition approved")
    certificate = second.locator("main a", has_text="АКТ/")
    certificate.first.click()
    expect(second.get_by_role("heading", level=1)).to_contain_text("АКТ/")
    expect(second.locator("table.listing")).to_contain_text("disposition-")
    people.shot("quality2", "certificate record")
