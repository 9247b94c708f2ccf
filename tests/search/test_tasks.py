"""The search index follows a change once it commits, through the same background queue as OCR
and rendering: with immediate tasks (a demo without a worker) right after the commit, with the
database queue when the worker runs; a failed drain is a failed task and keeps its rows."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from search import indexing
from search.models import OutboxEntry
from search.services import search_for
from search.tasks import sync_search_index
from tests.documents.helpers import draft_of, save_and_publish, set_clause_text
from tests.factories.documents import ProcedurePageFactory, register_row
from tests.factories.records import build_world, make_record

# Changes that really commit (on_commit callbacks run); the pages the migrations made are kept.
COMMITS = pytest.mark.django_db(transaction=True, serialized_rollback=True)
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE = "django_tasks_db.DatabaseBackend"


def tasks(background: str) -> dict:
    return {"default": {"BACKEND": IMMEDIATE}, "background": {"BACKEND": background}}


@pytest.fixture
def world(kaznrtu_library):
    """The records world, indexed, with nothing left in the queue or the outbox."""
    built = build_world(kaznrtu_library)
    indexing.sync()
    DBTaskResult.objects.all().delete()
    return built


def found(user, text) -> list[str]:
    """The titles of the records found (without the identifier the entry's title starts with)."""
    hits = search_for(user, text, types=("record",)).results.hits
    return [hit.entry["title"].partition(" ")[2] for hit in hits]


def drains(**filters) -> int:
    return DBTaskResult.objects.filter(task_path=sync_search_index.module_path, **filters).count()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--backend", "background", "--no-startup-delay")


def rename(record, title: str) -> None:
    record.title = title
    record._change_reason = "атауы түзетілді"
    record.save()


@COMMITS
def test_immediate_tasks_index_a_committed_change_without_a_sync(settings, world):
    settings.TASKS = tasks(IMMEDIATE)
    quality = world.users["quality"]
    record = make_record(world, title="Аккредитация комиссиясының хаттамасы")
    assert found(quality, "комиссия") == ["Аккредитация комиссиясының хаттамасы"]
    with transaction.atomic():
        rename(record, "Тәлімгерлер кеңесінің хаттамасы")
        assert found(quality, "кеңес") == []  # nothing is indexed before the commit
    assert found(quality, "кеңес") == ["Тәлімгерлер кеңесінің хаттамасы"]
    assert found(quality, "комиссия") == []
    assert not OutboxEntry.objects.exists()
    assert drains() == 0  # nothing waits in the database queue


@COMMITS
def test_a_published_clause_is_found_right_after_the_publication(settings, kaznrtu_library, users):
    settings.TASKS = tasks(IMMEDIATE)
    page = ProcedurePageFactory(parent=kaznrtu_library)
    save_and_publish(page, users["quality"])
    draft = draft_of(page)
    set_clause_text(draft, "7.2", "Тағайындалған тәлімгер жыл сайын құзыреттер картасын жасайды:")
    draft.register_entries = [*draft.register_entries.all(), register_row("1")]
    save_and_publish(draft, users["quality"])
    clauses = search_for(None, "құзыреттер картасы", types=("clause",)).results.hits
    assert [hit.entry["clause"] for hit in clauses][:1] == ["7.2"]
    assert not OutboxEntry.objects.exists()


@COMMITS
def test_the_database_queue_gets_one_drain_per_transaction_and_the_worker_runs_it(settings, world):
    settings.TASKS = tasks(DATABASE)
    quality = world.users["quality"]
    with transaction.atomic():
        first = make_record(world, title="Аккредитация комиссиясының хаттамасы")
        attached = make_record(world, title="Эдвайзердің есебі")
        rename(first, "Тәлімгерлер кеңесінің хаттамасы")
    assert OutboxEntry.objects.count() >= 3
    assert drains() == 1  # one transaction, several rows: one drain
    assert found(quality, "кеңес") == []  # the worker has not run

    # Another transaction while that drain still waits: the waiting one will read its rows.
    rename(attached, "Эдвайзердің жылдық есебі")
    assert drains() == 1

    run_worker()
    assert found(quality, "кеңес") == ["Тәлімгерлер кеңесінің хаттамасы"]
    assert found(quality, "жылдық") == ["Эдвайзердің жылдық есебі"]
    assert not OutboxEntry.objects.exists()
    done = DBTaskResult.objects.get(task_path=sync_search_index.module_path)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == 2

    # Once it has run, the next change queues a drain of its own.
    rename(attached, "Эдвайзердің қорытынды есебі")
    assert drains(status=TaskResultStatus.READY) == 1
    run_worker()
    assert found(quality, "қорытынды") == ["Эдвайзердің қорытынды есебі"]


@COMMITS
def test_a_change_rolled_back_in_a_savepoint_does_not_take_the_drain_with_it(settings, world):
    settings.TASKS = tasks(DATABASE)
    record = make_record(world, title="Аккредитация комиссиясының хаттамасы")
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            rename(record, "Қайтарылған атау")
            raise RuntimeError("the savepoint is rolled back")
        rename(record, "Тәлімгерлер кеңесінің хаттамасы")
    assert drains() == 1
    run_worker()
    assert found(world.users["quality"], "кеңес") == ["Тәлімгерлер кеңесінің хаттамасы"]


@COMMITS
def test_a_failed_drain_is_a_failed_task_and_its_rows_wait_for_the_next(
    settings, world, monkeypatch
):
    settings.TASKS = tasks(DATABASE)
    quality = world.users["quality"]
    out = io.StringIO()
    call_command("search_index", "sync", stdout=io.StringIO())
    DBTaskResult.objects.all().delete()
    call_command("search_index", "sync", "--queue", stdout=out)
    assert _("The search outbox is empty: nothing to index.") in out.getvalue()
    assert drains() == 0

    def engine_down(key, backend):
        raise ConnectionError("search engine unreachable at 127.0.0.1:9200")

    with monkeypatch.context() as patched:
        patched.setattr(indexing, "index_object", engine_down)
        record = make_record(world, title="Аккредитация комиссиясының хаттамасы")
        run_worker()
    failed = DBTaskResult.objects.get(task_path=sync_search_index.module_path)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "builtins.ConnectionError"
    assert "search engine unreachable" in failed.traceback
    left = OutboxEntry.objects.filter(object_key=f"record:{record.pk}")
    assert left.exists() and {row.attempts for row in left} == {1}
    assert "search engine unreachable" in left.first().last_error
    assert found(quality, "комиссия") == []

    # The periodic run (cron) queues the next attempt; once the engine is back it succeeds.
    out = io.StringIO()
    call_command("search_index", "sync", "--queue", stdout=out)
    assert _("A search index sync was queued for the background worker.") in out.getvalue()
    call_command("search_index", "sync", "--queue", stdout=(out := io.StringIO()))
    assert _("A search index sync is already waiting for the worker.") in out.getvalue()
    run_worker()
    assert found(quality, "комиссия") == ["Аккредитация комиссиясының хаттамасы"]
    assert not OutboxEntry.objects.exists()
    assert drains(status=TaskResultStatus.SUCCESSFUL) == 1


@pytest.mark.django_db
def test_a_change_made_while_its_object_is_being_indexed_is_indexed_by_the_same_drain(
    world, monkeypatch
):
    record = make_record(world, title="Аккредитация комиссиясының хаттамасы")
    indexed = []
    real = indexing.index_object

    def index_then_change(key, backend):
        entries = real(key, backend)
        indexed.append(entries[0].title.partition(" ")[2] if entries else None)
        if len(indexed) == 1:  # between the drain's read of its rows and their deletion
            rename(record, "Тәлімгерлер кеңесінің хаттамасы")
        return entries

    monkeypatch.setattr(indexing, "index_object", index_then_change)
    assert indexing.sync() == 2
    assert indexed == ["Аккредитация комиссиясының хаттамасы", "Тәлімгерлер кеңесінің хаттамасы"]
    assert found(world.users["quality"], "кеңес") == ["Тәлімгерлер кеңесінің хаттамасы"]
    assert not OutboxEntry.objects.exists()


@COMMITS
def test_two_drains_at_once_index_each_object_once(settings, world, monkeypatch):
    """The second drain waits for the first's batch: it never indexes beside it the rows the
    first has read and not yet deleted."""
    settings.TASKS = tasks(DATABASE)
    make_record(world, title="Аккредитация комиссиясының хаттамасы")
    events = []
    first_inside = threading.Event()
    let_first_finish = threading.Event()
    real = indexing.index_object

    def slow(key, backend):
        name = threading.current_thread().name
        events.append(("start", name, key))
        if name == "first":
            first_inside.set()
            let_first_finish.wait(10)
        entries = real(key, backend)
        events.append(("end", name, key))
        return entries

    monkeypatch.setattr(indexing, "index_object", slow)
    counts = {}

    def drain():
        try:
            counts[threading.current_thread().name] = indexing.sync()
        finally:
            connection.close()

    first = threading.Thread(target=drain, name="first")
    second = threading.Thread(target=drain, name="second")
    first.start()
    assert first_inside.wait(10)
    second.start()
    time.sleep(0.3)
    assert not [event for event in events if event[1] == "second"]
    let_first_finish.set()
    first.join(10)
    second.join(10)
    keys = {event[2] for event in events}
    assert counts["first"] == len(keys) and counts["second"] == 0
    assert [event[0] for event in events if event[1] == "second"] == []
    assert not OutboxEntry.objects.exists()


@COMMITS
def test_two_drains_of_many_batches_at_once_both_finish_and_index_each_record(
    settings, world, monkeypatch
):
    """A drain's run keeps the index's writer from its first batch to its last: a second
    drain started meanwhile waits for the whole run (it never takes the drain's lock between
    two batches and then waits for the writer the first still holds), and every record is
    found once both are done."""
    settings.TASKS = tasks(DATABASE)
    titles = [f"Кеңес хаттамасы №{n}" for n in range(1, 6)]
    for title in titles:
        make_record(world, title=title)
    first_inside = threading.Event()
    real = indexing.index_object

    def marked(key, backend):
        if threading.current_thread().name == "first":
            first_inside.set()
            time.sleep(0.05)  # the second drain starts while the first is between batches
        return real(key, backend)

    monkeypatch.setattr(indexing, "index_object", marked)
    counts = {}

    def drain():
        try:
            counts[threading.current_thread().name] = indexing.sync(batch=1)
        finally:
            connection.close()

    first = threading.Thread(target=drain, name="first", daemon=True)
    second = threading.Thread(target=drain, name="second", daemon=True)
    first.start()
    assert first_inside.wait(10)
    second.start()
    first.join(30)
    second.join(30)
    assert not first.is_alive() and not second.is_alive(), "the drains wait for each other"
    assert counts["first"] + counts["second"] >= len(titles)
    assert not OutboxEntry.objects.exists()
    assert sorted(found(world.users["quality"], "хаттамасы")) == sorted(titles)
