"""The header of a page that belongs to no organisation (search, one's documents to read)
leads to the register of the reader's own organisation: a tester's staff member found no way
to the register from there."""

import re

import pytest
from django.utils import translation

from search.services import home_organisation_ids

pytestmark = pytest.mark.django_db


def header_of(client, path: str) -> str:
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    return page.split("</header>")[0]


def test_the_header_leads_to_ones_own_register(demo_content, client):
    users = demo_content["users"]
    staff = users["staff"]
    assert len(home_organisation_ids(staff)) == 1, "the demo's staff work at ҚазҰТЗУ"
    client.force_login(staff)
    with translation.override("kk"):
        label = translation.gettext("Document register")
    for path in ("/search/", "/my/reading/"):
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', header_of(client, path))
        assert ("/kaznrtu/docs/", label) in links, (path, links)
    # the quality office works for both universities: no one register is theirs
    client.force_login(users["quality"])
    assert "/docs/" not in header_of(client, "/search/")
