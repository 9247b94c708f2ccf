"""Staff look for a part of a document beyond its clauses by its name in their own language:
the revision register is found as the interface names it and opens where it is on the page."""

from __future__ import annotations

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from .browsing import search

REGISTER_QUERIES = {
    "kk": "өзгерістерді тіркеу парағы",
    "ru": "лист регистрации изменений",
    "en": "revision register",
}


@pytest.mark.reads_only
def test_staff_find_the_revision_register_by_its_name(people, live_site, language):
    page = people.new_page("staff")
    page.goto("/kaznrtu/")
    nav = page.get_by_role("navigation", name=people.t("Main"))
    nav.get_by_role("link", name=people.t("Search")).click()
    search(page, REGISTER_QUERIES[language])

    # The register of 715 is a result of its own, labelled as the page prints it, before
    # any clause that merely names it.
    hits = page.locator(".search-results li.hit a")
    register = hits.filter(
        has_text=re.compile(r"^\s*ҚазҰТЗУ 715 ҚП Өзгерістерді тіркеу парағы\s*$")
    )
    expect(register).to_have_count(1)
    expect(register).to_have_attribute("href", "/kaznrtu/docs/715-kp/#register")
    labels = hits.all_inner_texts()
    assert labels.index(register.inner_text()) < 2, labels
    people.shot("staff", f"search {REGISTER_QUERIES[language]}")

    # Opened, the document page is scrolled to the register.
    register.click()
    expect(page).to_have_url(
        re.compile(re.escape(live_site.url) + r"/kaznrtu/docs/715-kp/#register$")
    )
    heading = page.locator("#register h2")
    expect(heading).to_have_text("Өзгерістерді тіркеу парағы")
    expect(heading).to_be_in_viewport()
    expect(page.locator(":target")).to_have_id("register")
    people.shot("staff", "register opened at its place", full_page=False)


FORMS_QUERIES = {"kk": "формалар тізімі", "ru": "перечень форм", "en": "forms list"}
FORMS_LIST_NAMES = ("Формалар тізімі", "Перечень форм", "Forms list")


@pytest.mark.reads_only
def test_the_forms_list_found_by_its_name_shows_its_forms(people, language):
    """Found by its name, the forms list showed that name and its columns in three languages
    run together ("Формалар тізімі: Коды, Атауы … Перечень форм: Код, Название … Forms list:
    Code, Title …", a tester); it shows its forms, as the page lists them."""
    page = people.new_page("staff")
    page.goto("/search/")
    search(page, FORMS_QUERIES[language])
    hit = page.locator(".search-results li.hit").filter(
        has=page.get_by_role("link", name=re.compile(r"^\s*ҚазҰТЗУ 715 ҚП формалары\s*$"))
    )
    expect(hit).to_have_count(1)
    shown = hit.locator("p")
    expect(shown).to_contain_text(re.compile(r"ҚазҰТЗУ 71\d-0\d [ҮФ] \S+"))  # code, title
    for name in FORMS_LIST_NAMES:
        expect(shown).not_to_contain_text(name)
    hit.scroll_into_view_if_needed()
    people.shot("staff", f"search {FORMS_QUERIES[language]}: the forms list shows its forms")


@pytest.mark.reads_only
def test_a_form_found_says_where_it_is_cited(people, language):
    """A form without a description showed a bare "6.1, 7.2" under its title, twentieth on
    the page when its title was asked for (a tester): it comes first and says where it is
    cited, as its own page does."""
    page = people.new_page("staff")
    page.goto("/search/")
    search(page, "эдвайзердің жұмыс жоспары")
    hit = page.locator(".search-results li.hit").filter(
        has=page.get_by_role(
            "link", name=re.compile(r"^\s*ҚазҰТЗУ 715-02 Ү Эдвайзердің жұмыс жоспары\s*$")
        )
    )
    expect(hit).to_have_count(1)
    # Its title asked for: the form comes first, before the clauses that name such plans.
    first = page.locator(".search-results li.hit").first
    expect(first).to_contain_text("ҚазҰТЗУ 715-02 Ү Эдвайзердің жұмыс жоспары")
    expect(hit.locator("p.hit-cited")).to_have_text(f"{people.t('Where it is cited')}: 6.1, 7.2")
    hit.scroll_into_view_if_needed()
    people.shot("staff", "a form found says where it is cited")

    # Its template is downloaded from the result itself (a tester went to its page for it).
    expect(hit.locator("p.hit-download")).to_have_text(f"{people.t('Download')} (DOCX)")
    with page.expect_download() as download_info:
        hit.get_by_role("link", name=people.t("Download")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    saved = people.folder / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(p.text for p in Document(saved).paragraphs)
    assert "ҚазҰТЗУ 715-02 Ү" in text and "Эдвайзердің жұмыс жоспары" in text


@pytest.mark.reads_only
def test_staff_find_a_clause_by_its_number_and_a_form_by_its_code(people, live_site, language):
    """Asked for "3.1.5", the search said "nothing found", and for "715 ҚП 7.3" it listed
    the forms cited there, not the clause (a tester), though the page asks for "a clause
    number or a code"; a form's number put the form third. The clause comes first and opens
    at its place; the form numbered comes first; a code with another kind letter offers the
    form with that number first."""
    page = people.new_page("staff")
    page.goto("/search/")
    search(page, "3.1.5")
    first = page.locator(".search-results li.hit a").first
    expect(first).to_have_text(re.compile(r"^\s*ҚазҰТЗУ 715 ҚП 3\.1\.5 Эдвайзер \(Advisor\)\s*$"))
    people.shot("staff", "search 3.1.5")
    first.click()
    expect(page).to_have_url(
        re.compile(re.escape(live_site.url) + r"/kaznrtu/docs/715-kp/#3\.1\.5$")
    )
    expect(page.locator(":target")).to_contain_text("Эдвайзер")
    expect(page.locator(":target")).to_be_in_viewport()

    page.goto("/search/")
    search(page, "715 ҚП 7.3")
    expect(page.locator(".search-results li.hit a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 7.3")

    search(page, "715-01")
    expect(page.locator(".search-results li.hit a").first).to_contain_text(
        "ҚазҰТЗУ 715-01 Ү МЗТО-дан анықтама"
    )
    search(page, "715-01 Ф")
    offered = page.locator("p", has_text=people.t("Perhaps:")).get_by_role("link")
    expect(offered.first).to_have_text("ҚазҰТЗУ 715-01 Ү")
    people.shot("staff", "search 715-01 Ф offers 715-01 Ү")
