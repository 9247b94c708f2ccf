"""Familiarisation in the browser: 715 took effect for ТжӘЖД, where the demo's staff member
works; they find it among their documents to read, open it, confirm with one click, and see
it done, in every interface language: the headings, messages and dates as that language writes
them (``people.t`` and the site's date helper), the document's code and title literal."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from sapa.localisation.dates import format_date

DOCUMENT = "ҚазҰТЗУ 715 ҚП Білім алушыларға академиялық қолдау көрсету"


def test_staff_confirm_they_have_read_715(people, live_site):
    page = people.new_page("staff")

    # 1. Their documents to read: 715, not opened yet.
    page.goto("/my/reading/")
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("My documents to read"))
    tasks = page.locator("table.familiarisation-open")
    expect(tasks).to_contain_text("ҚазҰТЗУ 715 ҚП")
    # the edition as the interface names it ("Edition 1", "Издание №1", "№1 басылым")
    expect(tasks).to_contain_text(people.t("Edition %(number)s", number=1))
    expect(tasks).to_contain_text(people.t("not opened yet"))
    expect(page.locator(".familiarisation-none")).to_have_count(0)
    people.shot("staff", "documents to read")

    # 2. They open it: at the end of the page, the confirmation button.
    tasks.get_by_role("link", name=re.compile("715")).click()
    expect(page).to_have_url(re.compile(re.escape(live_site.url) + r"/kaznrtu/docs/715-kp/$"))
    box = page.locator("section.familiarisation")
    button = box.get_by_role("button", name=people.t("I have read and understood"))
    expect(button).to_be_visible()
    people.shot("staff", "715 with the confirmation button")

    # 3. One click: back on the document, it says when they confirmed, and the button is gone.
    button.click()
    expect(page).to_have_url(re.compile(r"/kaznrtu/docs/715-kp/$"))
    expect(page.locator("ul.messages")).to_contain_text(
        people.t("Recorded: you have read and understood %(document)s.", document=DOCUMENT)
    )
    today = format_date(timezone.localdate(), language=people.language)
    expect(box.locator(".familiarisation-done")).to_contain_text(today)
    expect(box.locator("button")).to_have_count(0)
    people.shot("staff", "715 confirmed")

    # 4. Nothing left to read; 715 is among the confirmed ones, with its time.
    page.goto("/my/reading/")
    expect(page.locator(".familiarisation-none")).to_have_text(
        people.t("Nothing to read: you have confirmed every document given to you.")
    )
    done = page.locator("ul.familiarisation-done")
    expect(done).to_contain_text("ҚазҰТЗУ 715 ҚП")
    # "confirmed on <today>, <time>" in the language's own order
    when = re.escape(today) + r",? \d\d:\d\d"
    confirmed = re.escape(people.t("confirmed on %(when)s", when="§")).replace("§", when)
    expect(done).to_contain_text(re.compile(confirmed))
    people.shot("staff", "nothing left to read")
    # the time is stored for the quality office's sheet
    rows = live_site.query(
        "select t.confirmed_at from documents_familiarisationtask t "
        "join auth_user u on u.id = t.user_id where u.username = 'staff'"
    )
    assert len(rows) == 1 and rows[0][0]

    # 5. The quality office, asked to read nothing itself, is told so; on the document's
    # sheet it sees the edition's own date in force (not the day reading was given) and who
    # confirmed, and downloads the sheet under the document's name.
    office = people.new_page("quality")
    office.goto("/my/reading/")
    expect(office.locator(".familiarisation-none")).to_have_text(
        people.t("Nothing to read: no document has been given to you to read.")
    )
    expect(
        office.locator("ul.familiarisation-sheets").get_by_role(
            "link", name=re.compile("ҚазҰТЗУ 715 ҚП")
        )
    ).not_to_have_count(0)
    # Who has read it is also a click from the document's own page.
    office.goto("/kaznrtu/docs/715-kp/")
    sheets = office.locator(".doc-sheets")
    expect(sheets).to_contain_text(people.t("Familiarisation sheets"))
    sheets.get_by_role("link").first.click()
    ((in_force,),) = live_site.query(
        "select e.effective_from from documents_edition e join documents_controlleddocument d "
        "on d.page_ptr_id = e.document_id where d.code = 'ҚазҰТЗУ 715 ҚП' and e.number = 1"
    )
    day = format_date(datetime.date.fromisoformat(str(in_force)), language=people.language)
    expect(office.locator(".sheet-subject")).to_contain_text(
        people.t("in effect since %(day)s", day=day)
    )
    expect(office.locator("main")).to_contain_text(today)
    people.shot("quality", "the sheet of 715")
    with office.expect_download() as download:
        office.get_by_role("link", name=people.t("Download as CSV")).click()
    assert download.value.suggested_filename == "tanysu-ҚазҰТЗУ_715_ҚП-1.csv"


def test_staff_confirm_an_edition_and_its_change_with_one_click(people, live_site):
    """Asked to read edition 1 and its change, one click confirms both, and the box says so:
    it named the edition alone ("№1 басылым бойынша")."""
    from tests.e2e.demo_site import manage
    from tests.e2e.test_changes import PUBLISH_CHANGE

    number = manage(live_site.var_dir, "shell", "-c", PUBLISH_CHANGE).strip().splitlines()[-1]
    edition = people.t("Edition %(number)s", number=1)
    change = people.t("%(edition)s, change %(number)s", edition=edition, number=number)
    page = people.new_page("staff")
    page.goto("/kaznrtu/docs/715-kp/")
    box = page.locator("section.familiarisation")
    expect(box.locator("li")).to_have_text([edition, change])
    box.get_by_role("button", name=people.t("I have read and understood")).click()
    expect(page.locator("ul.messages")).to_contain_text(
        people.t("Recorded: you have read and understood %(document)s.", document=DOCUMENT)
    )
    today = format_date(timezone.localdate(), language=people.language)
    done = box.locator(".familiarisation-done")
    expect(done).to_contain_text(today)
    expect(box.locator("ul.familiarisation-confirmed li")).to_have_text([edition, change])
    people.shot("staff", "the edition and its change confirmed together")
