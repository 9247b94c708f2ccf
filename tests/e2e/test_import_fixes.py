"""The quality office imports a procedure whose text has a Latin look-alike inside a Kazakh
word and a form code cut at a line end: the admin lists the fixes it proposes, in the page's
language, and says that the file is the edition in force of a published document; the officer
refuses one fix, creates the draft, and finds in the editor the accepted fix made and the
refused text as found."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

SEED_715 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_3e6beb1bcf47969b.txt"
CODE = "(ҚазҰТЗУ 715-01 Ү)"
CUT = "(ҚазҰТЗУ 715- 01 Ү)"  # the code as found when its line break is read as a space


def test_the_quality_office_chooses_the_fixes_before_the_draft(people, tmp_path):
    text = SEED_715.read_text(encoding="utf-8").replace(CODE, "(ҚазҰТЗУ 715-\n01 Ү)", 1)
    upload = tmp_path / "715.txt"
    upload.write_text(text, encoding="utf-8")
    page = people.new_page("quality")

    page.goto("/admin/")
    page.get_by_role("link", name=people.t("Import documents (PDF, Word, text)")).click()
    # Every university's register is "Құжаттар тізілімі": each is named with its university.
    libraries = page.get_by_label(people.t("Document library"))
    expect(libraries.locator("option", has_text="АӨУ · Құжаттар тізілімі")).to_have_count(1)
    libraries.select_option(label="ҚазҰТЗУ · Құжаттар тізілімі")
    page.get_by_label(people.t("PDF, Word (.docx) or text files")).set_input_files(upload)
    people.shot("quality", "upload")
    page.get_by_role("button", name=people.t("Import"), exact=True).click()

    # the review: both fixes, ticked, in the page's language, and the register named
    expect(page.get_by_text(people.t("Proposed fixes")).first).to_be_visible()
    expect(page.locator("main")).to_contain_text("«ҚазҰТЗУ · Құжаттар тізілімі»")
    # 715 is published, and this file is its edition in force: said before anything is written.
    published = people.t(
        "%(code)s is already published, and this file is its edition in force "
        "(%(edition)s): importing it makes a draft of that document; the published text "
        "stays until the draft is published.",
        code="ҚазҰТЗУ 715 ҚП",
        edition="№1 басылым",
    )
    notice = page.locator(".import-published")
    expect(notice).to_contain_text(published)
    expect(notice.get_by_role("link", name=people.t("Open the published document"))).to_be_visible()
    mixed = page.locator("tr", has_text="ЖАҚСARTУ")
    expect(mixed).to_contain_text(people.t("Latin letters inside a Cyrillic word"))
    expect(mixed).to_contain_text("«ЖАҚСАРТУ»")
    cut = page.locator("tr", has_text="715- 01")
    expect(cut).to_contain_text(people.t("Code cut at a line end"))
    expect(cut).to_contain_text("715-01 Ү")
    expect(mixed.get_by_role("checkbox")).to_be_checked()
    # On a phone the list scrolls sideways in its own box (the admin's frame clips the page):
    # the last column, what each fix proposes, is reached with a swipe.
    desktop = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 740})
    table = page.locator("table.import-fixes")
    swipes = table.evaluate(
        "t => t.scrollWidth <= t.parentElement.clientWidth"
        " || ['auto', 'scroll'].includes(getComputedStyle(t.parentElement).overflowX)"
    )
    assert swipes, "the fixes' table is cut off on a phone"
    people.shot("quality", "review on a phone")
    page.set_viewport_size(desktop)
    cut.get_by_role("checkbox").uncheck()
    people.shot("quality", "review: the cut code refused")
    # What the reading found, among its warnings, until a fix is chosen.
    found = people.t(
        "%(where)s: word «%(word)s» mixes Latin letters (%(letters)s) with Cyrillic; kept as "
        "printed",
        where=people.t("section %(number)s, heading", number="10"),
        word="ЖАҚСARTУ",
        letters="A, R, T",
    )
    page.get_by_role("group").get_by_text(people.t("Warnings"), exact=False).first.click()
    expect(page.get_by_text(found)).to_be_visible()
    page.get_by_role("button", name=people.t("Create the draft")).click()

    # The report: the accepted fix is said to be made, and no longer "kept as printed".
    expect(page.locator(".import-fixes li", has_text="ЖАҚСARTУ")).to_contain_text(
        people.t("accepted")
    )
    expect(page.get_by_text(found)).to_have_count(0)
    expect(page.locator(".import-published")).to_contain_text(published)
    # 715 had no draft: one is made (the report said "draft updated")
    expect(page.locator("tr.import-ok")).to_contain_text(people.t("draft created"))
    expect(page.locator(".import-warnings")).not_to_contain_text("ЖАҚСARTУ")  # none quotes it
    people.shot("quality", "report: the fix made, its warnings gone")

    page.get_by_role("link", name=people.t("Open the draft")).click()
    expect(page.get_by_role("tab", name=people.t("Text"))).to_be_visible()
    page.get_by_role("tab", name=people.t("Text")).click()
    section = re.escape(people.t("Section"))
    expect(
        page.get_by_role("heading", name=re.compile(rf"^{section}\s+10\s.*ЖАҚСАРТУ"))
    ).to_be_visible()
    values = page.evaluate(
        "() => [...document.querySelectorAll('textarea, input')].map(e => e.value)"
    )
    assert any(CUT in value for value in values), "the refused fix: the code as found"
    assert not any("ЖАҚСARTУ" in value for value in values), "the accepted fix is made"
    people.shot("quality", "the draft in the editor")


SEED_MENTOR = SEED_715.with_name("001_80f74c00af075fd3.txt")


def test_another_universitys_file_is_refused_saying_whose_it_is(people, tmp_path):
    """A tester uploaded АӨУ's «Ментор» instruction into ҚазҰТЗУ's register: it was "read",
    with no word that it is another university's."""
    upload = tmp_path / "ментор.txt"
    upload.write_text(SEED_MENTOR.read_text(encoding="utf-8"), encoding="utf-8")
    page = people.new_page("quality")
    page.goto("/admin/")
    page.get_by_role("link", name=people.t("Import documents (PDF, Word, text)")).click()
    page.get_by_label(people.t("Document library")).select_option(
        label="ҚазҰТЗУ · Құжаттар тізілімі"
    )
    page.get_by_label(people.t("PDF, Word (.docx) or text files")).set_input_files(upload)
    page.get_by_role("button", name=people.t("Import"), exact=True).click()
    refusal = people.t(
        "The file is %(named)s's (its code or its header names it), not %(chosen)s's: import "
        "it into %(named)s's document library.",
        named="АӨУ",
        chosen="ҚазҰТЗУ",
    )
    expect(page.locator(".error-message").first).to_have_text(refusal)
    people.shot("quality", "another university's file refused")
