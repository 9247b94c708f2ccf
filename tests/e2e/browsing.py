"""What the journeys do the same way on the public pages."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from playwright.sync_api import Page, expect


def search(page: Page, query: str) -> None:
    """Types ``query`` in the search box and sends it as a person does, and waits for the
    answer to *this* query. A search sent from a page of results is already at
    ``/search/?q=``: waiting for that alone let the journey go on reading, and photographing,
    the previous results while the browser was loading the next ones."""
    box = page.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    sent = re.escape(quote_plus(query))
    expect(page).to_have_url(re.compile(rf"/search/\?(.*&)?q={sent}(&|$)"))
    expect(page.get_by_role("searchbox")).to_have_value(query)
