"""Two people saving at the same moment on the embedded default (SQLite), as the settings
configure it: neither is answered "database is locked", and neither save is lost.

In a browser journey an editor's "Submit for agreement" once met the editor's own session ping
and answered 500: with SQLite's default transactions, two that have read both try to write and
one fails at once instead of waiting."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction

ALIAS = "two_people"


@pytest.fixture
def shared_file_database(tmp_path, django_db_blocker):
    """The settings' own SQLite options, on a database file that two threads open at once."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the embedded default's database is SQLite")
    configured = connections.configure_settings(
        {"default": default, ALIAS: {**default, "NAME": str(tmp_path / "sapa.sqlite3")}}
    )
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (saves integer NOT NULL)")
            cursor.execute("INSERT INTO counter (saves) VALUES (0)")
        connections[ALIAS].close()
        try:
            yield ALIAS
        finally:
            del connections.settings[ALIAS]
            del connections[ALIAS]


def test_two_saves_at_once_both_succeed_and_both_count(shared_file_database):
    first_began = threading.Event()
    failures: list[str] = []

    def save(*, first: bool) -> None:
        try:
            if not first:
                first_began.wait(timeout=10)
            with transaction.atomic(using=shared_file_database):
                with connections[shared_file_database].cursor() as cursor:
                    if first:
                        first_began.set()
                    cursor.execute("SELECT saves FROM counter")
                    (saves,) = cursor.fetchone()
                    if first:
                        time.sleep(0.5)  # the other person saves meanwhile
                    cursor.execute("UPDATE counter SET saves = %s", [saves + 1])
        except Exception as error:  # what the person would see as a 500
            failures.append(f"{'first' if first else 'second'}: {error}")
        finally:
            connections[shared_file_database].close()

    people = [threading.Thread(target=save, kwargs={"first": f}) for f in (True, False)]
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=30)

    assert failures == []
    with connections[shared_file_database].cursor() as cursor:
        cursor.execute("SELECT saves FROM counter")
        assert cursor.fetchone() == (2,)  # neither save overwrote the other
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)  # pages are read while one is written
    connections[shared_file_database].close()
