"""The records list under load (bench/load): what it reads from the database per page."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import QualityRecord
from sapa.documents.models import ControlledDocument


def test_the_records_list_never_reads_the_procedures_text(client, demo_content):
    """Each row names its form and unit, never its procedure's text; 715's body (about 100 KB
    of JSON) decoded once per row was 40% of the list's time at 50 rows."""
    assert QualityRecord.objects.filter(document__number="715").exists()
    client.force_login(get_user_model().objects.get(username="auditor"))
    body = f'"{ControlledDocument._meta.db_table}"."body"'
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("records:list")).content.decode()
    assert "715-02/2025-2026/ИТИ/0001" in html
    assert [q["sql"] for q in queries.captured_queries if body in q["sql"]] == []


def test_a_keepers_list_looks_up_their_units_once(client, demo_content):
    """The keeper's units decide which rows they see and whether they may file a new record:
    read once a page, not once a question."""
    client.force_login(get_user_model().objects.get(username="keeper"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("records:list")).content.decode()
    assert "715-02/2025-2026/ИТИ/0001" in html
    assignments = [q["sql"] for q in queries.captured_queries if "keeperassignment" in q["sql"]]
    assert len(assignments) == 1, assignments
