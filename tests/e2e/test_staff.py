"""Staff read the regulations: they search in Kazakh and in Russian, page through a long
result, open a clause where it is, and download a form's template. Each journey runs in every
interface language: the interface through the catalogues (``people.t``), the documents' own
words literal."""

from __future__ import annotations

import re

from docx import Document
from playwright.sync_api import expect

from .browsing import search


def results_of(people, first: int, last: int) -> re.Pattern:
    """The count, "Results 1–20 of N", as the journey's language writes it; N captured."""
    text = people.t("Results %(first)s–%(last)s of %(total)s", first=first, last=last, total="§")
    return re.compile(re.escape(text).replace("§", r"(\d+)"))


def test_staff_find_the_rules_and_download_a_form(people, live_site):
    page = people.new_page("staff")
    page.goto("/kaznrtu/")
    # The university's ministry line in the reader's language (the demo gives all three).
    ministry = {
        "kk": "Қазақстан Республикасының Білім және ғылым министрлігі",
        "ru": "Министерство образования и науки Республики Казахстан",
        "en": "Ministry of Education and Science of the Republic of Kazakhstan",
    }[people.language]
    expect(page.locator("p.ministry")).to_have_text(ministry)
    nav = page.get_by_role("navigation", name=people.t("Main"))
    nav.get_by_role("link", name=people.t("Search")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        people.t("Search the regulations")  # staff find no records: none are promised
    )

    # 1. In Kazakh: where is a dormitory place given? The clause is first, on this host.
    search(page, "жатақхана беру")
    results = page.locator(".search-results")
    first = results.locator("li.hit a").first
    expect(first).to_contain_text("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру")
    expect(first).to_have_attribute("href", re.compile(r"^/kaznrtu/docs/715-kp/#"))
    people.shot("staff", "search dormitory")
    first.click()
    expect(page).to_have_url(re.compile(re.escape(live_site.url) + r"/kaznrtu/docs/715-kp/#"))
    expect(page.locator(":target")).to_contain_text("Жатақхана беру")
    expect(page.locator(".user-name")).to_have_text("Әсел Нұрланова")
    people.shot("staff", "dormitory clause opened at its anchor")

    # 2. A long result: the advisor is everywhere; page 2 shows the next twenty.
    page.go_back()
    search(page, "эдвайзер")
    count = page.locator("p.count")
    expect(count).to_contain_text(results_of(people, 1, 20))
    total = int(results_of(people, 1, 20).search(count.inner_text())[1])
    assert total > 40
    page_one = page.locator(".search-results li.hit a").all_inner_texts()
    advisor = page.locator(".search-results li.hit a", has_text="3.1.5 Эдвайзер")
    expect(advisor).to_have_attribute("href", "/kaznrtu/docs/715-kp/#3.1.5")
    people.shot("staff", "search advisor page 1")
    pages = page.get_by_role("navigation", name=people.t("Result pages"))
    pages.get_by_role("link", name=people.t("Next")).click()
    expect(count).to_contain_text(
        people.t("Results %(first)s–%(last)s of %(total)s", first=21, last=40, total=total)
    )
    page_two = page.locator(".search-results li.hit a").all_inner_texts()
    assert len(page_two) == 20 and not set(page_two) & set(page_one)
    people.shot("staff", "search advisor page 2")
    pages.get_by_role("link", name=people.t("Previous")).click()
    expect(page.locator(".search-results li.hit a").first).to_have_text(page_one[0])

    # 3. In Russian, as many staff type: the dormitory clause is found.
    search(page, "общежитие")
    dormitory = page.locator(".search-results li.hit a", has_text="4 Жатақхана беру")
    expect(dormitory).to_be_visible()
    people.shot("staff", "search in Russian")

    # A record's identifier, as a keeper gave it: records are not searched for staff, and
    # the page says so and who finds it (it said only "Nothing found").
    search(page, "715-08/2025-2026-1/ИТИ/0001")
    expect(page.locator(".records-not-searched")).to_have_text(
        people.t(
            "This looks like a quality record's identifier: quality records are not searched "
            "here, as your account has no access to them. Your unit's keeper or the quality "
            "office can find it."
        )
    )
    people.shot("staff", "a record's identifier: records are not theirs to search")

    # 4. The advisor's clause from the search, at its anchor.
    search(page, "эдвайзер")
    page.locator(".search-results li.hit a", has_text="3.1.5 Эдвайзер").click()
    expect(page).to_have_url(re.compile(r"/kaznrtu/docs/715-kp/#3\.1\.5$"))
    expect(page.locator(":target")).to_contain_text("Эдвайзер")
    people.shot("staff", "clause 3.1.5")

    # 5. Form 715-02 Ү: from the procedure's forms list to its template file.
    forms = page.locator("#forms")
    forms.get_by_role("link", name="ҚазҰТЗУ 715-02 Ү").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("715-02")
    expect(page.get_by_role("heading", level=2)).to_have_text(people.t("Where it is cited"))
    people.shot("staff", "form 715-02")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=people.t("Download")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = people.folder / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(p.text for p in Document(saved).paragraphs)
    assert "ҚазҰТЗУ 715-02 Ү" in text and "Эдвайзердің жұмыс жоспары" in text


def test_staff_download_the_official_pdf_of_the_edition_in_force(people, live_site):
    """The document page offers the controlled PDF with its size and checksum; what comes down
    is the procedure in the seeds' layout, every page after the title page headed."""
    import hashlib
    import io

    import pdfplumber

    page = people.new_page("staff")
    page.goto("/kaznrtu/docs/715-kp/")
    box = page.locator(".official-pdf")
    link = box.get_by_role("link", name=people.t("Download the official PDF"))
    expect(link).to_be_visible()
    expect(box).to_contain_text(" · SHA-256")
    people.shot("staff", "official pdf offered")
    shown = box.locator("code").inner_text().strip()
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert hashlib.sha256(body).hexdigest() == shown
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    total = len(pages)
    # the size and the number of pages, the noun in the form the number asks for
    facts = people.tn(
        "%(size)s, %(pages)s page", "%(size)s, %(pages)s pages", total, size="§", pages=total
    )
    assert facts.split("§", 1)[1] in box.inner_text()
    assert "БІЛІМ АЛУШЫЛАРҒА АКАДЕМИЯЛЫҚ ҚОЛДАУ" in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert "ҚазҰТЗУ 715 ҚП" in text and f"{total} беттің {number}-беті" in text
        assert "Бақыланатын дана" in text


def test_staff_download_the_mentor_instructions_pdf_and_its_title_page_says_its_year(
    people, live_site
):
    """The job instruction states no edition date; its title page prints "Ақтөбе, 2025 ж.",
    and the official PDF printed the year it was rendered instead. The download is named in
    Kazakh for the browser and in Latin letters for clients that read only filename=."""
    import io

    import pdfplumber

    page = people.new_page("staff")
    page.goto("/aru/docs/ментор/")
    link = page.locator(".official-pdf").get_by_role(
        "link", name=people.t("Download the official PDF")
    )
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    named = response.headers["content-disposition"]
    assert "filename*=utf-8''" in named and named.split('"')[1].isascii()
    with pdfplumber.open(io.BytesIO(response.body())) as pdf:
        title_page = pdf.pages[0].extract_text() or ""
    assert "ҚЫЗМЕТТІК НҰСҚАУЛЫҚ" in title_page
    assert "Ақтөбе, 2025 ж." in title_page
