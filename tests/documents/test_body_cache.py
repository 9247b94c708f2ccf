"""A document's body is rendered once per text and kept (documents.body_cache): every reader
still sees the text in force now, in their language, with links as they are now, and a page
they may not open is never shown to them from the cache."""

import datetime
import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.utils import translation
from wagtail.models import PageViewRestriction

from sapa.documents import body_cache
from sapa.documents.services import edition_start_new
from tests.documents.helpers import (
    fresh,
    save_and_publish,
    set_clause_text,
    visit,
    withdraw_in_admin,
)
from tests.factories.documents import ProcedurePageFactory

pytestmark = pytest.mark.django_db

FIRST = "Тағайындалған эдвайзер жасайды:"  # clause 7.2 of the factory's text
SECOND = "Екінші басылымның мәтіні: эдвайзер өзгерді."
CITATION = "ҚазҰТЗУ 404 ҚП Жазбаларды басқару"


@pytest.fixture(autouse=True)
def _empty_cache():
    caches[body_cache.CACHE].clear()
    yield
    caches[body_cache.CACHE].clear()


def read(client, page, suffix="", language="kk"):
    response = visit(client, page, suffix, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def body_of(html: str) -> str:
    return html[html.index('<div class="doc-body"') : html.index('<section id="forms"')]


def test_the_body_is_rendered_once_for_many_readers(published, client):
    with mock.patch.object(
        body_cache, "render_to_string", wraps=body_cache.render_to_string
    ) as rendering:
        first, second = read(client, published), read(client, published)
    assert rendering.call_count == 1
    assert FIRST in body_of(first) and body_of(first) == body_of(second)


def test_a_new_edition_is_read_at_once_and_the_old_one_keeps_its_words(published, users, client):
    assert FIRST in read(client, published)  # now kept
    draft = edition_start_new(document=fresh(published), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    draft.edition_date = datetime.date(2020, 8, 20)
    set_clause_text(draft, "7.2", SECOND)
    save_and_publish(draft, users["quality"])

    now = read(client, fresh(published))
    assert SECOND in now and FIRST not in now
    before = read(client, fresh(published), "editions/1/")
    assert FIRST in before and SECOND not in before


def test_each_language_gets_its_own_page_around_the_same_kazakh_text(published, client):
    kazakh, russian = read(client, published, language="kk"), read(client, published, "", "ru")
    for language, html in (("kk", kazakh), ("ru", russian)):
        with translation.override(language):
            label = translation.gettext("Which edition was in force on:")
        assert label != "Which edition was in force on:"  # the catalogue has it
        assert label in html
        assert FIRST in html  # the body as written, Kazakh letters intact


def test_a_linked_document_withdrawn_is_no_longer_a_link(kaznrtu_library, published, users, client):
    citing = ProcedurePageFactory(parent=kaznrtu_library)
    raw = citing.body.raw_data
    raw[0]["value"]["content"].append(
        {
            "type": "reference",
            "value": {"number": "2.9", "document": published.pk, "code": "", "text": CITATION},
        }
    )
    citing.body = raw
    save_and_publish(citing, users["quality"])
    link = re.compile(rf'<a href="[^"]*/{published.slug}/">{CITATION}</a>')
    assert link.search(read(client, fresh(citing)))  # now kept

    withdraw_in_admin(fresh(published), users["quality"])

    html = read(client, fresh(citing))
    assert CITATION in html and not link.search(html)


def test_a_reader_without_access_never_gets_the_kept_body(published, users, client):
    PageViewRestriction.objects.create(page=fresh(published), restriction_type="login")
    client.force_login(users["staff"])
    assert FIRST in read(client, published)  # kept for the signed-in reader
    client.logout()

    response = visit(client, fresh(published), HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert FIRST not in response.content.decode()
