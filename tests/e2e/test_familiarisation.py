"""Familiarisation in the browser: 715 took effect for ТжӘЖД, where the demo's staff member
works; they find it among their documents to read, open it, confirm with one click, and see
it done. Selectors are the page's structure, so the journey holds in any language."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_confirm_they_have_read_715(people, live_site):
    page = people.new_page("staff")

    # 1. Their documents to read: 715, not opened yet.
    page.goto("/my/reading/")
    tasks = page.locator("table.familiarisation-open")
    expect(tasks).to_contain_text("ҚазҰТЗУ 715 ҚП")
    expect(page.locator(".familiarisation-none")).to_have_count(0)
    people.shot("staff", "documents to read")

    # 2. They open it: at the end of the page, the confirmation button.
    tasks.get_by_role("link", name=re.compile("715")).click()
    expect(page).to_have_url(re.compile(re.escape(live_site.url) + r"/kaznrtu/docs/715-kp/$"))
    box = page.locator("section.familiarisation")
    button = box.locator("button[type=submit]")
    expect(button).to_be_visible()
    people.shot("staff", "715 with the confirmation button")

    # 3. One click: back on the document, it says when they confirmed, and the button is gone.
    button.click()
    expect(page).to_have_url(re.compile(r"/kaznrtu/docs/715-kp/$"))
    expect(page.locator("ul.messages")).to_contain_text("ҚазҰТЗУ 715 ҚП")
    expect(box.locator(".familiarisation-done")).to_be_visible()
    expect(box.locator("button")).to_have_count(0)
    people.shot("staff", "715 confirmed")

    # 4. Nothing left to read; 715 is among the confirmed ones, with its time.
    page.goto("/my/reading/")
    expect(page.locator(".familiarisation-none")).to_be_visible()
    expect(page.locator("ul.familiarisation-done")).to_contain_text("ҚазҰТЗУ 715 ҚП")
    expect(page.locator("ul.familiarisation-done")).to_contain_text(
        re.compile(r"\d\d\.\d\d\.\d{4}")
    )
    people.shot("staff", "nothing left to read")
    # the time is stored for the quality office's sheet
    rows = live_site.query(
        "select t.confirmed_at from documents_familiarisationtask t "
        "join auth_user u on u.id = t.user_id where u.username = 'staff'"
    )
    assert len(rows) == 1 and rows[0][0]
