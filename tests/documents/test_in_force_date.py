"""A document that states no in-force date (the ментор instruction: "« _____ » _____ 2025 ж.")
is not given one: the day Sapa published it answers "which edition was in force on …" on the
site, but the register of documents and the list of editions say the document states none."""

from __future__ import annotations

import html
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from sapa.localisation.dates import format_date
from tests.documents.helpers import fresh, save_and_publish, visit
from tests.factories.documents import ProcedurePageFactory

pytestmark = pytest.mark.django_db


def shown(client, page, suffix="") -> str:
    return html.unescape(visit(client, page, suffix, HTTP_ACCEPT_LANGUAGE="en").content.decode())


def test_a_document_without_an_in_force_date_is_not_given_the_day_of_publication(
    kaznrtu_library, users, client
):
    page = ProcedurePageFactory(parent=kaznrtu_library, effective_date=None)
    save_and_publish(page, users["quality"])
    page = fresh(page)
    edition = page.editions.get()
    assert edition.effective_from == timezone.localdate()  # the site's day, kept for queries
    assert not edition.effective_from_stated
    today = format_date(timezone.localdate(), language="en")
    for where, start in (
        (shown(client, kaznrtu_library), page.title),
        (shown(client, page, "editions/"), "<tbody>"),
    ):
        row = where[where.index(start) :]
        row = row[: row.index("</tr>")]
        assert "not stated in the document" in row
        assert today not in row


def test_a_stated_in_force_date_is_shown(kaznrtu_library, users, client):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    save_and_publish(page, users["quality"])
    page = fresh(page)
    assert page.editions.get().effective_from_stated
    listing = shown(client, kaznrtu_library)
    row = listing[listing.index(page.title) :]
    assert format_date(page.effective_date, language="en") in row[: row.index("</tr>")]


def test_the_migration_marks_the_dates_sapa_gave(kaznrtu_library, users):
    page = ProcedurePageFactory(parent=kaznrtu_library, effective_date=None)
    save_and_publish(page, users["quality"])
    edition = fresh(page).editions.get()
    edition.effective_from_stated = True  # as every edition was before the field
    edition.save()
    migration = importlib.import_module(
        "sapa.documents.migrations.0013_edition_effective_from_stated"
    )
    migration.mark_dates_sapa_gave(apps, None)
    edition.refresh_from_db()
    assert not edition.effective_from_stated
