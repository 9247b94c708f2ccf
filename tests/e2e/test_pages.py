"""Pages people can use: on a phone, with a keyboard or a screen reader, and when a page is
closed to them or missing. Every public and records page is checked as its reader sees it."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .languages import t

PHONE = {"width": 375, "height": 740}

DOCUMENT = "/kaznrtu/docs/715-kp/"
LIBRARY = "/kaznrtu/docs/"
SEARCH = "/search/?q=эдвайзер"
SWIPE = "The table is wider than the screen: swipe it sideways to see every column."


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.reads_only
@pytest.mark.parametrize(
    ("who", "path", "heading"),
    [
        # a document's title and a record's identifier are content; the rest is interface
        # the portal and the register in the reader's language (the demo gives them in three)
        (
            "staff",
            "/",
            {
                "kk": "Sapa: университеттердің сапа құжаттары",
                "ru": "Sapa: документы качества университетов",
                "en": "Sapa: universities' quality documents",
            },
        ),
        ("staff", DOCUMENT, "Білім алушыларға академиялық қолдау көрсету"),
        (
            "staff",
            LIBRARY,
            {"kk": "Құжаттар тізілімі", "ru": "Реестр документов", "en": "Document register"},
        ),
        ("staff", SEARCH, ("Search",)),
        ("auditor", "/records/", ("Quality records",)),
        ("auditor", "/records/1/", "715-02/2025-2026/ИТИ/0001"),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(people, who, path, heading):
    page = people.new_page(who, viewport=PHONE)
    page.goto(path)
    if isinstance(heading, tuple):
        heading = people.t(*heading)
    elif isinstance(heading, dict):
        heading = heading[people.language]
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading, ignore_case=True)
    people.shot(who, f"phone {path}")
    assert page_width(page) <= PHONE["width"]
    # No word of the heading is broken across two lines (an identifier may break at a /).
    broken = page.evaluate(
        """() => { const h = document.querySelector('h1'); const out = [];
        const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
            const r = document.createRange(); r.setStart(node, m.index);
            r.setEnd(node, m.index + m[0].length);
            const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
            if (lines.size > 1) out.push(m[0]); } }
        return out; }"""
    )
    assert not broken, f"broken across lines: {broken}"
    # Each table wider than the screen, which scrolls in its own box, says so above it.
    hint = people.t("The table is wider than the screen: swipe it sideways to see every column.")
    told = page.evaluate(
        """() => [...document.querySelectorAll('main table')]
        .filter(t => { const b = t.closest('.table-scroll') || t;
          return t.scrollWidth > t.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1; })
        .map(t => { const h = (t.closest('.table-scroll') || t).previousElementSibling;
          return h && h.matches('p.scroll-hint') && h.checkVisibility() ? h.innerText : ''; })"""
    )
    assert all(hint in text for text in told), told
    if path == "/records/":  # read as cards on a phone: nothing to swipe to
        assert not told, "the records list is wider than a phone"


@pytest.mark.reads_only
def test_on_a_phone_the_header_folds_its_links_behind_a_menu(people):
    """The quality office's header took half a phone's screen, its links 24 px high (a
    tester): on a phone they fold behind "Menu", each a finger's height when unfolded."""
    page = people.new_page("quality", viewport=PHONE)
    page.goto(LIBRARY)
    header = page.locator("header.site-header")
    menu = header.get_by_role("button", name=people.t("Menu"))
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    records = header.get_by_role("link", name=people.t("Records"), exact=True)
    expect(records).to_be_hidden()
    assert header.bounding_box()["height"] < 0.2 * PHONE["height"]
    people.shot("quality", "phone header folded")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(records).to_be_visible()
    assert records.bounding_box()["height"] >= 40
    people.shot("quality", "phone header unfolded")
    records.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("Quality records"))
    # On a desktop there is no menu to open: the links stand in the header.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(LIBRARY)
    expect(page.locator("header .menu-toggle")).to_be_hidden()
    expect(
        page.locator("header").get_by_role("link", name=people.t("Records"), exact=True)
    ).to_be_visible()


TABLET = {"width": 768, "height": 1024}


@pytest.mark.reads_only
@pytest.mark.parametrize("path", [DOCUMENT, "/aru/docs/ментор/"])
def test_a_document_does_not_scroll_sideways_on_a_tablet(people, path):
    """On a 768 px tablet the revision register ran 21 px past the screen, its last column
    cut to "Бұрынғ…", with no hint (a tester): its tables now scroll in their own box."""
    page = people.new_page("staff", viewport=TABLET)
    page.goto(path)
    expect(page.locator("#register table")).to_be_visible()
    people.shot("staff", f"tablet {path}")
    assert page_width(page) <= TABLET["width"]
    register = page.locator("#register .table-scroll")
    wide = register.evaluate("b => b.scrollWidth > b.clientWidth + 1")
    hint = page.locator("#register p.scroll-hint")
    if wide:
        expect(hint).to_contain_text(people.t(SWIPE))
    else:
        expect(hint).to_be_hidden()


@pytest.mark.reads_only
def test_on_a_phone_the_search_filters_are_a_tap_away(people):
    """On a phone the filters come after every result, 5,000 px down (a tester): a link at
    the top of the results leads to them; on a desktop they stand beside the results."""
    page = people.new_page("staff", viewport=PHONE)
    page.goto(SEARCH)
    to_filters = page.get_by_role("link", name=people.t("Narrow the results"))
    expect(to_filters).to_be_in_viewport()
    to_filters.click()
    filters = page.get_by_role("complementary", name=people.t("Narrow the results"))
    expect(filters.get_by_role("heading", name=people.t("Organisation"))).to_be_in_viewport()
    people.shot("staff", "phone: the search filters")
    desk = people.new_page("staff-desk", viewport={"width": 1280, "height": 800})
    desk.goto(SEARCH)
    expect(desk.get_by_role("link", name=people.t("Narrow the results"))).to_be_hidden()
    # Nothing found: no link to filters that would be empty.
    page.goto("/search/?q=qwertyzz")
    expect(page.get_by_text(people.t("Nothing found."))).to_be_visible()
    expect(page.get_by_role("link", name=people.t("Narrow the results"))).to_have_count(0)


@pytest.mark.reads_only
def test_the_approval_sheet_reads_as_cards_on_a_phone(people):
    """The КЕЛІСІЛДІ sheet scrolled sideways on a phone, its names and dates cut off (a
    tester missed the hint above it): each line is a card, each cell under its column's
    name, and nothing is wider than the phone."""
    page = people.new_page("staff", viewport=PHONE)
    page.goto(DOCUMENT)
    table = page.locator("table.agreed-by")
    line = table.locator("tr", has_text="Р.Искаков")
    expect(line).to_contain_text("Аты-жөні: Р.Искаков")
    expect(line).to_contain_text("Күні: «")
    for part in (table, line):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(page.locator("p.scroll-hint:visible")).to_have_count(0)
    line.scroll_into_view_if_needed()
    people.shot("staff", "approval sheet on a phone")
    # On a desktop it is a table again, its names in its head only.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(table.locator(".cell-label").first).to_be_hidden()
    expect(page.locator("p.scroll-hint:visible")).to_have_count(0)


# The tester's phone: 390 px wide (the other phone checks use the narrower 375).
TESTERS_PHONE = {"width": 390, "height": 844}
FORM = "ҚазҰТЗУ 715-01 Ү"


@pytest.mark.reads_only
@pytest.mark.parametrize("phone", [TESTERS_PHONE, PHONE], ids=["390px", "375px"])
def test_each_form_is_read_whole_on_a_phone_its_template_at_hand(people, phone):
    """On a phone the forms table set each code over three lines ("ҚазҰТЗУ / 715-01 / Ү") and
    its download column off the screen, to be swiped to (a tester). Each form is now a card:
    its code on one line, its title, where it is cited and its template, named."""
    page = people.new_page("staff", viewport=phone)
    page.goto(DOCUMENT + "#forms")
    card = page.locator("#forms tr", has=page.get_by_role("link", name=FORM, exact=True))
    # what the reader sees of it (innerText: the column names are written out only here)
    expect(card).to_contain_text("МЗТО-дан анықтама", use_inner_text=True)  # its title
    expect(card).to_contain_text(people.t("Cited in") + ": ", use_inner_text=True)
    expect(card).to_contain_text(
        people.t("Template file") + ": " + people.t("Download"), use_inner_text=True
    )
    # The card brought to the top of the screen as a reader scrolls down to it, never sideways.
    card.evaluate("row => window.scrollBy(0, row.getBoundingClientRect().top - 8)")
    code = card.get_by_role("link", name=FORM, exact=True)
    # its code on one line: one box, no taller than a line of its card
    lines, height, line_height = code.evaluate(
        """a => [a.getClientRects().length, a.getBoundingClientRect().height,
        parseFloat(getComputedStyle(a.closest('td')).lineHeight)]"""
    )
    assert lines == 1 and height <= line_height, (lines, height, line_height)
    # its template on the screen, where the table had it in a column off to the right
    download = card.get_by_role("link", name=people.t("Download"))
    expect(download).to_be_in_viewport()
    box = download.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= phone["width"], box
    # nothing to swipe to: the page is no wider than the phone, and no hint says otherwise
    assert page_width(page) <= phone["width"]
    expect(page.locator("#forms p.scroll-hint")).to_be_hidden()
    people.shot("staff", f"forms on a {phone['width']} px phone")
    # Downloaded from the card: the form's DOCX template.
    with page.expect_download() as downloading:
        download.click()
    assert downloading.value.suggested_filename.endswith(".docx")
    # On a desktop the same list is a table, its columns headed once.
    page.set_viewport_size({"width": 1280, "height": 900})
    forms = page.locator("#forms table")
    expect(forms.get_by_role("columnheader", name=people.t("Template file"))).to_be_visible()
    expect(card).not_to_contain_text(people.t("Template file") + ": ", use_inner_text=True)
    people.shot("staff", "forms on a desktop")


@pytest.mark.reads_only
@pytest.mark.parametrize(
    ("who", "path", "column"),
    [
        ("keeper", "/records/", "Status"),
        ("keeper", "/records/1/history/", "What changed"),
        ("auditor", "/records/access-log/", "Action"),
        ("staff", "/my/reading/", "Status"),
    ],
)
def test_a_list_is_read_on_a_phone_without_swiping_to_its_last_column(people, who, path, column):
    """A tester swiped sideways to read a record's status, and found "What changed" squeezed
    into a column four letters wide: on a phone each row is a card, each cell under its
    column's name, the last one on the screen."""
    page = people.new_page(who, viewport=TESTERS_PHONE)
    if who == "auditor":
        page.goto("/records/")  # (what the access log then lists)
    page.goto(path)
    row = page.locator("main table tbody tr").first
    last = row.locator("td").last
    expect(last).to_be_visible()
    label = people.t(column)
    expect(row).to_contain_text(f"{label}: ", use_inner_text=True)
    box = last.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= TESTERS_PHONE["width"], box
    assert page_width(page) <= TESTERS_PHONE["width"]
    expect(page.locator("main p.scroll-hint:visible")).to_have_count(0)
    people.shot(who, f"{path} on a phone")
    # On a desktop it is a table, its columns headed once.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_role("columnheader", name=label).first).to_be_visible()
    expect(row).not_to_contain_text(f"{label}: ", use_inner_text=True)


@pytest.mark.reads_only
def test_the_forms_list_is_headed_by_the_documents_code_or_as_forms_without_one(people):
    page = people.new_page("staff")
    page.goto(DOCUMENT)
    expect(page.locator("#forms h2")).to_have_text("ҚазҰТЗУ 715 ҚП формалары")
    # The mentor's job instruction is printed without a code: its list is "Формалар", not
    # "формалары" (the forms "of" nothing).
    page.goto("/aru/docs/ментор/")
    expect(page.locator("#forms h2")).to_have_text("Формалар")
    expect(page.locator(".contents a[href='#forms']")).to_have_text("Формалар")
    expect(page.locator("#forms")).to_contain_text(people.t("No forms."))


@pytest.mark.reads_only
def test_the_superseded_editions_list_says_what_it_lists(people):
    page = people.new_page("staff")
    page.goto(LIBRARY)
    # the library's own, in the reader's language where the demo gives it
    own = {"kk": "Күшіндегі СМЖ құжаттары.", "ru": "Действующие документы СМК."}
    expect(page.locator("p.lead")).to_have_text(own.get(people.language, "QMS documents in force."))
    page.get_by_label(people.t("Status")).select_option(label=people.t("Superseded editions"))
    page.get_by_role("button", name=people.t("Filter")).click()
    expect(page.locator("p.lead")).to_have_text(
        people.t("Editions no longer in force, each readable as it was.")
    )


@pytest.mark.reads_only
def test_the_signed_in_person_sees_who_they_are_and_signs_out(people):
    page = people.new_page("staff", through_the_form=True)
    page.goto(DOCUMENT)
    expect(page.locator(".user-name")).to_have_text("Әсел Нұрланова")
    people.shot("staff", "signed in")
    page.get_by_role("button", name=people.t("Sign out")).click()
    sign_in = page.get_by_role("link", name=people.t("Sign in"))
    expect(sign_in).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)
    people.shot("staff", "signed out")
    # On the sign-in page itself, its link is the page, not a way back to it after signing in.
    sign_in.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(sign_in).to_have_attribute("href", "/accounts/login/")


@pytest.mark.reads_only
def test_a_long_role_name_cut_in_the_header_is_read_whole_on_hovering(people):
    page = people.new_page("auditor")
    page.goto("/records/")
    name = page.locator(".user-name")
    full = people.site.query(
        "SELECT first_name, last_name FROM auth_user WHERE username = ?", ("auditor",)
    )[0]
    whole = " ".join(part for part in full if part)
    expect(name).to_have_attribute("title", f"{whole} (auditor)")
    name.hover()
    people.shot("auditor", "the role name in the header")


@pytest.mark.reads_only
def test_a_missing_page_says_so_in_the_readers_language_in_the_site_layout(people):
    page = people.new_page("auditor")
    page.goto("/records/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("Page not found"))
    expect(page.get_by_role("link", name=people.t("Go to the start page"))).to_be_visible()
    expect(page.locator(".user-name")).to_be_visible()
    people.shot("auditor", "unknown record")
    page.goto("/kaznrtu/docs/no-such-document/")
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("Page not found"))


@pytest.mark.reads_only
def test_another_universitys_record_is_refused_in_the_users_language(people, live_site):
    """Refused as if it did not exist: a records system does not confirm to an auditor of one
    university which records another one keeps."""
    other = live_site.query(
        "SELECT r.id FROM records_qualityrecord r JOIN documents_organisation o"
        " ON o.id = r.organisation_id WHERE o.short_name = 'АӨУ'"
    )[0][0]
    page = people.new_page("auditor")
    page.goto("/records/")
    expect(page.locator("table.listing")).not_to_contain_text("Менторлардың")
    page.goto(f"/records/{other}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(people.t("Page not found"))
    expect(page.locator("main")).not_to_contain_text("Менторлардың")
    people.shot("auditor", "other university refused")


@pytest.mark.reads_only
def test_a_document_prints_without_the_site_around_it(people):
    page = people.new_page("staff")
    page.goto(DOCUMENT)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".doc-header h1")).to_be_visible()
    expect(page.locator("#register")).to_be_visible()
    people.shot("staff", "print view")


AXE_PAGES = [
    ("staff", "/"),
    ("staff", "/kaznrtu/"),
    ("staff", LIBRARY),
    ("staff", DOCUMENT),
    ("staff", "/aru/docs/ментор/"),
    ("staff", SEARCH),
    ("staff", "/search/?q=жатакхана"),
    ("auditor", "/records/"),
    ("auditor", "/records/1/"),
    ("auditor", "/records/1/history/"),
    ("auditor", "/records/404404/"),
    ("keeper", "/records/new/"),
    (None, "/accounts/login/"),
]


@pytest.mark.reads_only
@pytest.mark.parametrize("language", ["kk"])  # the rules axe checks do not depend on it
@pytest.mark.parametrize(("who", "path"), AXE_PAGES)
def test_no_serious_accessibility_violations(people, who, path):
    page = people.new_page(who or "anonymous", sign_in=who is not None)
    page.goto(path)
    expect(page.locator("main")).to_be_visible()
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_a_person_switches_the_language_and_finds_it_again_on_another_computer(people):
    """The switcher on the page, then the same person signing in elsewhere: the choice was
    kept in their profile, not only in this browser's cookie."""
    page = people.new_page("staff")
    page.goto(LIBRARY)
    target = {"kk": ("ru", "Русский"), "ru": ("en", "English"), "en": ("kk", "Қазақша")}
    code, name = target[people.language]
    first, people.language = people.language, code  # what the person reads from now on
    page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("link", name=people.t("Search"), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=name)).to_be_disabled()
    people.shot("staff", f"switched to {code}")

    # another computer, whose browser asks for the journey's first language
    elsewhere = people.new_page("staff-elsewhere", sign_in=False, locale=first)
    elsewhere.goto("/accounts/login/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", first)
    elsewhere.get_by_label(t(first, "User name")).fill("staff")
    elsewhere.get_by_label(t(first, "Password")).fill("staff")
    elsewhere.get_by_role("button", name=t(first, "Sign in")).click()
    expect(elsewhere.locator("html")).to_have_attribute("lang", code)
    expect(elsewhere.get_by_role("link", name=people.t("To read"))).to_be_visible()
    # staff may see no record: no "Records" link that would lead to an empty list
    expect(elsewhere.get_by_role("link", name=people.t("Records"), exact=True)).to_have_count(0)
    people.shot("staff-elsewhere", "signed in on another computer")


def test_a_language_chosen_on_the_sign_in_page_is_the_one_read_after_signing_in(people):
    """A tester chose Қазақша on the sign-in page and, signed in, read the language the
    account had kept: the choice made there wins, and is kept for them."""
    names = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    target = {"kk": "ru", "ru": "en", "en": "kk"}
    code, name = target[people.language], names[target[people.language]]
    # Their account keeps the journey's language: chosen on another computer, signed in.
    kept = people.new_page("keeper", locale=code)
    kept.goto(LIBRARY)
    kept.get_by_role("button", name=names[people.language]).click()
    expect(kept.locator("html")).to_have_attribute("lang", people.language)
    people.pages.pop("keeper")
    people.contexts.pop("keeper").close()  # that computer is left
    page = people.new_page("keeper-signing-in", sign_in=False)
    page.goto("/accounts/login/")
    page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    people.language = code  # what the person reads from now on
    page.get_by_label(people.t("User name")).fill("keeper")
    page.get_by_label(people.t("Password")).fill("keeper")
    page.get_by_role("button", name=people.t("Sign in")).click()
    expect(page.locator(".user-name")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("link", name=people.t("Records"), exact=True)).to_be_visible()
    people.shot("keeper-signing-in", f"signed in after choosing {code}")


@pytest.mark.reads_only
def test_a_document_that_states_no_in_force_date_is_not_given_one(people):
    """The mentor's instruction says "« _____ » _____ 2025 ж." and "2.0 нұсқа", no day it came
    into force: the register of documents and its editions say so (they gave the day the demo
    was loaded), while 715 shows the date it states."""
    page = people.new_page("staff")
    page.goto("/aru/docs/")
    row = page.locator("table.listing tr", has_text="Ментор")
    expect(row.locator("td").last).to_have_text(people.t("not stated in the document"))
    people.shot("staff", "the mentor's instruction: no in-force date stated")
    page.goto("/aru/docs/ментор/editions/")
    expect(page.locator("table.listing tbody tr").first).to_contain_text(
        people.t("not stated in the document")
    )
    page.goto(LIBRARY)
    procedure = page.locator("table.listing tr", has_text="715")
    expect(procedure.locator("td").last).not_to_have_text(people.t("not stated in the document"))


@pytest.mark.reads_only
@pytest.mark.parametrize("phone", [TESTERS_PHONE, PHONE], ids=["390px", "375px"])
def test_an_empty_register_fits_a_phone_and_asks_for_no_swipe(people, phone):
    """On a 390 px phone the register of 715, which holds no change, said "The table is wider
    than the screen: swipe it sideways to see every column" (a tester): its headings were all
    there was to swipe to. It now reads "no changes" within the screen, and says nothing
    more; a register with rows still says it (the quality office's journey)."""
    page = people.new_page("staff", viewport=phone)
    page.goto(DOCUMENT + "#register")
    register = page.locator("#register")
    table = register.locator("table")
    expect(table).to_contain_text("Өзгерістер тіркелмеген.")
    expect(register.get_by_text(people.t(SWIPE))).to_be_hidden()
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= phone["width"], box
    register.scroll_into_view_if_needed()
    people.shot("staff", f"an empty register on a {phone['width']} px phone", full_page=False)
