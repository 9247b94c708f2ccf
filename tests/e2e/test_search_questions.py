"""Staff search as they type and as they ask: Kazakh typed on a Russian keyboard (no ә ғ қ ң
ө ұ ү һ і) finds the clause and shows its words as written; a question about a role's rights
gives the section that holds them, with all its clauses under it; a question asked in Russian over
the Kazakh procedure finds its clause by meaning, and the page says so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search import semantic

from .browsing import search


def open_search(people, page, site: str) -> None:
    page.goto(f"/{site}/")
    nav = page.get_by_role("navigation", name=people.t("Main"))
    nav.get_by_role("link", name=people.t("Search")).click()


@pytest.mark.reads_only
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
    # The page says which spelling it searched for, and offers the words as typed.
    respelt = page.locator("p.respelt")
    expect(respelt).to_contain_text("жатақхана беру")
    expect(respelt).to_contain_text(
        people.t("Searched with the Kazakh letters, as the texts found spell it:")
    )
    people.shot("staff", "typed without Kazakh letters")
    as_typed = f"{people.t('Search as typed:')} жатакхана беру"
    respelt.get_by_role("link", name=as_typed).click()
    expect(page.get_by_role("searchbox")).to_have_value("жатакхана беру")
    expect(page.locator("p.respelt")).to_have_count(0)
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")

    # In Latin letters, as typed where there is no Cyrillic keyboard: the same clause, by its
    # words (no "closest in meaning" guess), marked as written.
    search(page, "zhatakhana beru")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")
    expect(first.locator("mark").first).to_have_text(re.compile(r"^[Жж]атақхана"))
    expect(page.locator("p.count")).not_to_contain_text(
        people.t("clauses closest in meaning included")
    )
    people.shot("staff", "typed in Latin letters")

    # A sub-section asked for comes first, its general section named under it (a tester read
    # "4 ЖАЛПЫ ЕРЕЖЕЛЕР" first, and the answer second).
    search(page, "материалдық көмек")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text(
        "ҚазҰТЗУ 715 ҚП 4 Материалдық көмек көрсету мен оқуға жеңілдіктер беру"
    )
    section = first.locator("p.hit-section")
    expect(section).to_contain_text(people.t("In its section"))
    expect(section.get_by_role("link")).to_have_text("4 ЖАЛПЫ ЕРЕЖЕЛЕР")
    people.shot("staff", "a sub-section first, its section under it")

    # A code typed the same way ("715 КП" for 715 ҚП): the procedure's approval, by its
    # words, the code marked as printed.
    search(page, "715 КП кай буйрыкпен бекитилди")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП")
    expect(first.locator("mark").first).to_have_text("ҚазҰТЗУ 715 ҚП")
    assert "715 КП" not in first.inner_text()

    # A typo ("жатахана", a letter left out): no entry holds it, so the nearest word the
    # regulations use is searched, and the page says so (a tester had fifty "closest in
    # meaning" guesses, mostly bare headings).
    search(page, "жатахана")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")
    respelt = page.locator("p.respelt")
    expect(respelt).to_contain_text(
        people.t(
            "Nothing holds the words as typed; searched for the nearest words the regulations use:"
        )
    )
    expect(respelt.locator("strong")).to_have_text("жатақхана")
    expect(
        respelt.get_by_role("link", name=f"{people.t('Search as typed:')} жатахана")
    ).to_be_visible()
    people.shot("staff", "a typo put right")
    # With another word found as typed, the search is for the words as typed and the
    # nearest words are offered.
    search(page, "жатахана беру")
    offer = page.locator("p.respelt")
    expect(offer).to_contain_text(people.t("Did you mean:"))
    offer.get_by_role("link", name="жатақхана беру").click()
    expect(page.get_by_role("searchbox")).to_have_value("жатақхана беру")
    first = page.locator(".search-results li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")

    # A string that is no word: nothing found, and no "closest in meaning" guesses.
    search(page, "zzzqqq")
    expect(page.locator("main")).to_contain_text(people.t("Nothing found."))
    # Words in Latin letters: the page says in what languages to ask.
    expect(page.locator("main")).to_contain_text(
        people.t("The regulations are written in Kazakh: search with Kazakh or Russian words.")
    )
    expect(page.locator(".search-results li.hit")).to_have_count(0)

    # "The rights of a mentor": the section, with every clause of it under it.
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
    assert numbers == [f"4.{n}" for n in range(1, 10)], numbers
    # One item but ten results: items carry no numbers that "Results 1–20" would contradict.
    assert section.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    people.shot("staff", "rights of a mentor, one section")
    clauses.first.click()
    expect(page).to_have_url(re.compile(re.escape(numbers[0]) + "$"))
    expect(page.locator(":target")).to_be_visible()
    people.shot("staff", "a clause of the section opened", full_page=False)


@pytest.mark.reads_only
@pytest.mark.skipif(not semantic.available(), reason="the meaning extra does not run here")
def test_staff_ask_in_russian_and_find_the_kazakh_clause_by_its_meaning(
    people, live_site, language
):
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")
    # "How are places in the dormitory given out": no word of it is in the Kazakh procedure.
    search(page, "как распределяются места в общежитии")
    expect(page.locator("p.count")).to_contain_text(people.t("clauses closest in meaning included"))
    # Among the first three results, under the rent compensation for those a dormitory
    # cannot take: the clause on giving out dormitory places.
    top = page.locator(".search-results ol.hits > li.hit > a")
    expect(top.first).to_be_visible()
    titles = top.all_inner_texts()[:3]
    assert any("Жатақхана беру" in title for title in titles), titles
    people.shot("staff", "a Russian question, the dormitory clause by its meaning")
    top.filter(has_text="Жатақхана беру").first.click()
    expect(page.locator(":target")).to_contain_text("Жатақхана беру")
    people.shot("staff", "the dormitory clause opened", full_page=False)


@pytest.mark.reads_only
def test_staff_ask_who_appoints_a_mentor_and_get_the_appointment_first(people, live_site):
    """ "кто назначает ментора": the appointment clauses ranked first, but their section's
    heading ranked lower, and the group (with the answer in it) was shown fourth."""
    page = people.new_page("staff")
    open_search(people, page, "aru")
    search(page, "кто назначает ментора")
    first = page.locator(".search-results ol.hits > li.hit").first
    expect(first).to_contain_text("2.2")
    expect(first.locator("a").first).to_contain_text("Ментор")
    people.shot("staff", "who appoints a mentor: the appointment first")


@pytest.mark.reads_only
def test_staff_ask_what_stages_social_support_has_and_read_the_list(people, live_site):
    """ "әлеуметтік қолдау көрсету қандай кезеңдерден тұрады": 5.3 says the support consists
    of the following stages, and 5.3.1 to 5.3.5 name them; two of them were not on the page."""
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")
    search(page, "алеуметтик колдау корсету кандай кезендерден турады")
    first = page.locator(".search-results ol.hits > li.hit").first
    expect(first).to_contain_text("келесі кезеңдерден тұрады:")
    links = first.locator("a").all_inner_texts()
    numbers = [m[0] for text in links if (m := re.search(r"\b5\.3(\.\d)?\b", text))]
    assert numbers == ["5.3", "5.3.1", "5.3.2", "5.3.3", "5.3.4", "5.3.5"], links
    for stage in ("Диагностикалық кезең", "Рефлексиялық кезең"):
        expect(first).to_contain_text(stage)
    people.shot("staff", "the stages of social support, as a list")


@pytest.mark.reads_only
def test_staff_ask_for_a_procedures_forms_and_get_its_forms_list(people, live_site, language):
    """A tester asked "процедураның формалары" and found the forms list fifth."""
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")
    search(page, "процедураның формалары")
    expect(page.locator("p.count")).to_contain_text(people.t("the forms first"))
    # The forms come first, then the regulations, the forms list first among them (the forms
    # stood below twenty clauses).
    headings = page.locator(".search-results h2").all_inner_texts()
    assert headings[:2] == [people.t("Forms"), people.t("Regulations")], headings
    regulations = page.locator(".search-results h2").filter(has_text=people.t("Regulations"))
    first = regulations.locator("xpath=following-sibling::ol[1]").locator("li.hit").first
    expect(first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП формалары")
    expect(first).to_contain_text("ҚазҰТЗУ 713-01 Ү Институттардың тәрбие жұмысы жоспары")
    people.shot("staff", "the forms of a procedure, its forms list first")
    first.locator("a").first.click()
    expect(page.locator(":target")).to_contain_text("ҚазҰТЗУ 715-02 Ү")
    page.go_back()

    # One form, by what it is for: the adviser's work plan form among the first three, and
    # what the result shows is its own words, not what it is in three languages.
    search(page, "эдвайзердің жұмыс жоспары нысаны")
    heading = page.locator(".search-results h2").filter(has_text=people.t("Forms"))
    listed = heading.locator("xpath=following-sibling::ol[1]").locator("li.hit")
    expect(listed.first).to_be_visible()
    top = listed.locator("a").all_inner_texts()[:3]
    assert any("ҚазҰТЗУ 715-02 Ү Эдвайзердің жұмыс жоспары" in title for title in top), top
    forms = listed.filter(has_text="ҚазҰТЗУ 715-02 Ү")
    expect(forms.first).not_to_contain_text("template (Ү)")
    forms.first.locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ҚазҰТЗУ 715-02 Ү")
    people.shot("staff", "the adviser's work plan form, found by what it is")


@pytest.mark.reads_only
def test_keeper_search_a_groups_code_and_get_that_group_only(people, live_site):
    """A tester, as a keeper, asked for group "ВТ-24-1", which no record names, and got
    ВТ-18-1's minutes (they hold "ВТ")."""
    page = people.new_page("keeper")
    open_search(people, page, "kaznrtu")
    search(page, "ВТ-18-1")
    first = page.locator(".search-results li.hit").first
    expect(first).to_contain_text("ВТ-18-1 тобы эдвайзер кеңесінің хаттамасы")
    search(page, "ВТ-24-1")
    expect(page.locator("main")).to_contain_text(people.t("Nothing found."))
    expect(page.locator(".search-results li.hit")).to_have_count(0)
    people.shot("keeper", "a group's code that no record names: nothing found")


@pytest.mark.reads_only
def test_staff_ask_what_an_adviser_is_for_and_get_the_advisers_clause(people, live_site):
    """ "эдвайзер не үшін керек": the mentor's purpose clauses (another university's word for
    a like role) came first; 3.1.5 says what 715's adviser does."""
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")
    search(page, "эдвайзер не ушин керек")
    first = page.locator(".search-results ol.hits > li.hit").first
    expect(first).to_contain_text("Эдвайзер (Advisor)")
    # Not a clause that states a purpose: the page does not say they come first.
    expect(page.locator("p.count")).not_to_contain_text(
        people.t("clauses that state a purpose first")
    )
    titles = page.locator(".search-results ol.hits > li.hit > a").all_inner_texts()[:3]
    assert not any("Ментор" in title for title in titles), titles
    people.shot("staff", "what an adviser is for")


@pytest.mark.reads_only
@pytest.mark.skipif(not semantic.available(), reason="the meaning extra does not run here")
def test_staff_ask_in_what_order_plans_are_agreed_and_get_the_clause_that_says_it_first(
    people, live_site, language
):
    """ "жоспарлар қандай ретпен келісіледі" (in what order are the plans agreed): 715's 6.5
    (plans are agreed department, institutes, then the social office) and the mentor's 3.3
    (the mentor draws up the group's plan) hold as many of its words; 3.3 came first. Of
    those, the clause closest in meaning to the question now does, in its section."""
    page = people.new_page("staff")
    open_search(people, page, "kaznrtu")
    search(page, "жоспарлар қандай ретпен келісіледі")
    hits = page.locator(".search-results ol.hits > li.hit")
    expect(hits.first).to_contain_text(
        "Жоспарларды келісу келесідей кафедра – институттар – ТжӘДД түрінде жүзеге асырылады."
    )
    expect(hits.first.locator("a").first).to_contain_text("ҚазҰТЗУ 715 ҚП 6")
    expect(hits.nth(1)).to_contain_text("«Ментор» 3.3")
    # Every word is in the procedures: nothing was added by meaning, and the page says so.
    expect(page.locator("p.count")).not_to_contain_text(
        people.t("clauses closest in meaning included")
    )
    people.shot("staff", "in what order plans are agreed: 6.5 first")
