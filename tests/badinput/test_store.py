"""records_verify finds a file planted in the records store: a file no record file refers
to is reported by name (escaped for the terminal) and the command exits 1, as it does for a
changed or a missing file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.badinput import corpus
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        with translation.override("en"):  # as an operator with SAPA_LANGUAGE=en reads it
            call_command("records_verify", stdout=out)
        code = 0
    except CommandError as stop:  # exit status 1, said in the operator's language
        assert str(stop) == (
            "The record store does not match the database: the files listed above "
            "are mismatched, missing or not in the database."
        )
        code = stop.returncode
    return code, out.getvalue()


def test_a_planted_file_is_reported_by_name(world, settings):
    entry = attach(make_record(world), corpus.RECORD_PDF.read_bytes(), "жоспар.pdf", user=None)
    assert verify() == (0, "1 file checked, 0 mismatched, 0 missing, 0 not in the database\n")

    folder = Path(entry.file.path).parent
    (folder / "planted.pdf").write_bytes(b"%PDF-1.7 planted")
    root = Path(settings.STORAGES["records"]["OPTIONS"]["location"])
    (root / "records" / "9" / "99" / "v1").mkdir(parents=True)
    (root / "records" / "9" / "99" / "v1" / "жасырын\x1b[2J.pdf").write_bytes(b"x")
    code, out = verify()
    assert code == 1
    planted = f"{Path(entry.file.name).parent}/planted.pdf"
    assert f"NOT IN THE DATABASE {planted}\n" in out
    assert "NOT IN THE DATABASE records/9/99/v1/жасырын\\x1b[2J.pdf\n" in out
    assert "\x1b" not in out
    assert out.endswith("1 file checked, 0 mismatched, 0 missing, 2 not in the database\n")


def test_the_leftover_check_sees_rows_history_outbox_and_files(world, leftovers):
    """The "nothing left behind" comparison of the corpus tests can fail: a filed record and
    its file show up in every table and folder they touch."""
    before = leftovers.state()
    attach(make_record(world), corpus.RECORD_PDF.read_bytes(), "жоспар.pdf", user=None)
    changed = leftovers.changed(before)
    for table in (
        "records.QualityRecord",
        "records.HistoricalQualityRecord",
        "records.RecordFile",
        "records.HistoricalRecordFile",
        "sapa_search.OutboxEntry",
    ):
        assert table in changed, table
    store = str(leftovers.roots()[1])
    assert [name.endswith("/жоспар.pdf") for name in changed[store]] == [True]
