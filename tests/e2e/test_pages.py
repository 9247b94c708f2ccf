"""Pages people can use: on a phone, with a keyboard or a screen reader, and when a page is
closed to them or missing. Every public and records page is checked as its reader sees it."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}

DOCUMENT = "/kaznrtu/docs/715-kp/"
LIBRARY = "/kaznrtu/docs/"
SEARCH = "/search/?q=эдвайзер"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    ("who", "path", "heading"),
    [
        ("staff", DOCUMENT, "Білім алушыларға академиялық қолдау көрсету"),
        ("staff", LIBRARY, "Құжаттар"),
        ("staff", SEARCH, "Іздеу"),
        ("auditor", "/records/", "Сапа жазбалары"),
        ("auditor", "/records/1/", "715-02/2025-2026/ИТИ/0001"),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(people, who, path, heading):
    page = people.new_page(who, viewport=PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading, ignore_case=True)
    people.shot(who, f"phone {path}")
    assert page_width(page) <= PHONE["width"]


def test_the_approval_sheet_scrolls_in_its_own_box_on_a_phone(people):
    page = people.new_page("staff", viewport=PHONE)
    page.goto(DOCUMENT)
    table = page.locator("table.agreed-by")
    expect(table).to_contain_text("Р.Искаков")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    people.shot("staff", "approval sheet on a phone")


def test_the_signed_in_person_sees_who_they_are_and_signs_out(people):
    page = people.new_page("staff")
    page.goto(DOCUMENT)
    expect(page.locator(".user-name")).to_have_text("Қызметкер: тек оқиды")
    people.shot("staff", "signed in")
    page.get_by_role("button", name="Шығу").click()
    expect(page.get_by_role("link", name="Кіру")).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)
    people.shot("staff", "signed out")


def test_a_missing_page_says_so_in_kazakh_in_the_site_layout(people):
    page = people.new_page("auditor")
    page.goto("/records/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Бет табылмады")
    expect(page.get_by_role("link", name="Басты бетке өту")).to_be_visible()
    expect(page.locator(".user-name")).to_be_visible()
    people.shot("auditor", "unknown record")
    page.goto("/kaznrtu/docs/no-such-document/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Бет табылмады")


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
    expect(page.get_by_role("heading", level=1)).to_have_text("Бет табылмады")
    expect(page.locator("main")).not_to_contain_text("Менторлардың")
    people.shot("auditor", "other university refused")


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
