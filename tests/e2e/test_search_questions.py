"""Staff search as they type and as they ask: Kazakh typed on a Russian keyboard (no ә ғ қ ң
ө ұ ү һ і) finds the clause and shows its words as written; a question about a role's rights
gives the section that holds them, with its clauses under it."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def open_search(people, page, site: str) -> None:
    page.goto(f"/{site}/")
    nav = page.get_by_role("navigation", name=people.t("Main"))
    nav.get_by_role("link", name=people.t("Search")).click()


def search(page, query: str) -> None:
    box = page.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def test_staff_search_without_kazakh_letters_and_ask_for_a_roles_rights(
    people, live_site, language
):
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")

    # Typed without Kazakh letters: the dormitory clause first, its word marked as written.
    search(page, "жатакхана беру")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")
    expect(first.locator("mark").first).to_have_text(re.compile(r"^[Жж]атақхана"))
    assert "жатакхана" not in first.inner_text().lower()
    people.shot("staff", "typed without Kazakh letters")

    # "The rights of a mentor": the section, with the clauses found in it under it.
    open_search(people, page, "aru")
    search(page, "ментордың құқықтары")
    expect(page.locator("p.count")).to_contain_text(
        people.t("the section on duties, rights and responsibility first")
    )
    section = page.locator(".search-results ol.hits > li.hit").first
    expect(section.locator("a").first).to_contain_text("«Ментор» IV Ментордың құқығы")
    clauses = section.locator("ul.hit-clauses li.hit a")
    expect(clauses.first).to_be_visible()
    numbers = [re.search(r"\d+(\.\d+)+", text)[0] for text in clauses.all_inner_texts()]
    assert numbers and all(n.startswith("4.") for n in numbers), numbers
    assert numbers == sorted(numbers, key=lambda n: [int(p) for p in n.split(".")])
    people.shot("staff", "rights of a mentor, one section")
    clauses.first.click()
    expect(page).to_have_url(re.compile(re.escape(numbers[0]) + "$"))
    expect(page.locator(":target")).to_be_visible()
    people.shot("staff", "a clause of the section opened", full_page=False)
