"""An earlier edition's page under load (bench/load): it reads its own page once, not once per
line of its approval sheet, and still shows every line."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sapa.documents.models import ControlledDocument
from sapa.documents.services import edition_start_new
from tests.documents.helpers import fresh, save_and_publish, visit
from tests.factories.documents import ProcedurePageFactory, agreed

pytestmark = pytest.mark.django_db

AGREERS = [(f"Проректор №{n}", f"Әлихан Нұрұлы {n}") for n in range(1, 9)]


def test_a_superseded_edition_lists_its_agreers_reading_the_page_once(
    kaznrtu_library, users, client
):
    page = ProcedurePageFactory(parent=kaznrtu_library)
    page.agreed_by = [
        agreed(position, person, date=datetime.date(2016, 7, 5)) for position, person in AGREERS
    ]
    save_and_publish(page, users["quality"])
    draft = edition_start_new(document=fresh(page), user=users["quality"]).as_object()
    draft.effective_date = datetime.date(2020, 9, 1)
    draft.edition_date = datetime.date(2020, 8, 20)
    draft.agreed_by = [agreed("Ректор", "Жаңа Келісуші")]
    save_and_publish(draft, users["quality"])

    table = f'"{ControlledDocument._meta.db_table}"."page_ptr_id" = '
    with CaptureQueriesContext(connection) as queries:
        response = visit(client, fresh(page), "editions/1/", HTTP_ACCEPT_LANGUAGE="kk")
    html = response.content.decode()
    assert response.status_code == 200
    for position, person in AGREERS:
        assert f"<td>{position}</td><td>{person}</td>" in html
    assert "Жаңа Келісуші" not in html
    page_reads = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(page_reads) <= 3, len(page_reads)  # routing, not the sheet's lines
