"""Periodic review in the browser: the quality office finds 715 overdue for review on the
admin dashboard, records "reviewed, no change" with a comment and sees it leave the list and
enter the page history; a staff member's printed page is marked as an uncontrolled copy
with the day it was printed. In each interface language, dates in that language's form."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from sapa.localisation.dates import format_date

PROCEDURE = "/kaznrtu/docs/715-kp/"
CODE = "ҚазҰТЗУ 715 ҚП"
COMMENT = "Мерзімді қайта қарау: барлық тармақ өзекті, өзгеріс қажет емес."


def test_the_quality_office_records_a_review_without_change(people):
    page = people.new_page("quality")
    page.goto("/admin/")
    # 715 came into force on 08.07.2016: with ҚазҰТЗУ's interval of 36 months its review
    # fell due on 08.07.2019
    due = format_date(datetime.date(2019, 7, 8), language=people.language)
    overdue = page.locator("table.review-overdue")
    row = overdue.locator("tr", has_text=CODE)
    expect(row).to_contain_text(due)
    people.shot("quality", "dashboard lists 715 as overdue for review")

    row.locator("a[href$='/review/']").click()
    expect(page.locator(".review-dates")).to_contain_text(due)
    page.get_by_label(people.t("Comment")).fill(COMMENT)
    people.shot("quality", "the review with its comment")
    page.get_by_role("button", name=people.t("Record: reviewed, no change")).click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    next_review = format_date(_add_years(_today(), 3), language=people.language)
    expect(page.locator(".messages")).to_contain_text(next_review)
    expect(
        page.locator("table.review-overdue, table.review-due-soon").locator("tr", has_text=CODE)
    ).to_have_count(0)
    people.shot("quality", "715 is gone from the due list")

    (document_id,) = people.site.query(
        "SELECT page_ptr_id FROM documents_controlleddocument WHERE code = ?", (CODE,)
    )[0]
    page.goto(f"/admin/pages/{document_id}/history/")
    expect(page.get_by_text(COMMENT)).to_be_visible()
    people.shot("quality", "the review in the page history")


@pytest.mark.reads_only
def test_a_page_printed_by_staff_is_an_uncontrolled_copy(people):
    page = people.new_page("staff")
    page.goto(PROCEDURE)
    stamp = page.locator(".print-stamp")
    expect(stamp).to_be_hidden()  # on screen the page is the document, not a copy
    page.emulate_media(media="print")
    today = _today()
    expect(stamp).to_be_visible()
    expect(stamp).to_contain_text(people.t("Uncontrolled copy"))
    expect(stamp).to_contain_text(format_date(today, language=people.language))
    people.shot("staff", "the printed page says uncontrolled copy")


def _today() -> datetime.date:
    return datetime.datetime.now(ZoneInfo("Asia/Almaty")).date()  # the server's TIME_ZONE


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


REASON = "Мерзімді қайта қарау: 3.1 тармақ ескірген, жаңа басылым қажет."


def test_a_review_that_needs_a_new_edition_starts_it_and_is_in_the_history(people):
    """The quality office decides at review that 715 needs a new edition: the draft starts,
    and the review history names the decision, the reason and a link to the draft."""
    page = people.new_page("quality")
    ((document_id,),) = people.site.query(
        "SELECT page_ptr_id FROM documents_controlleddocument WHERE code = ?", (CODE,)
    )
    review = f"/admin/documents/{document_id}/review/"
    page.goto(review)
    page.get_by_label(people.t("What needs to change")).fill(REASON)
    page.get_by_role("button", name=people.t("Start a new edition")).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{document_id}/edit/$"))
    edition = people.t("Edition %(number)s", number=2)
    expect(page.locator(".messages")).to_contain_text(edition)
    people.shot("quality", "the new edition started from the review")
    page.goto(review)
    row = page.locator("table.review-history tr.review-new_edition")
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text(people.t("new edition started"))
    row.get_by_role("link", name=people.t("draft of %(label)s", label=edition)).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{document_id}/edit/$"))
    page.goto(f"/admin/pages/{document_id}/history/")
    expect(page.get_by_text(REASON)).to_be_visible()
