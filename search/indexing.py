"""Keeping the index in step with the database: the outbox (written with each change), the
drain that empties it in batches (``sync``, run by the ``sync_search_index`` task queued once
the change commits), and rebuild and verify."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from records.models import QualityRecord
from sapa.documents.models import ControlledDocument, QmsForm

from . import vectors
from .backends import get_backend
from .models import IndexEntry, OutboxEntry
from .schema import Entry, object_key, to_document

logger = logging.getLogger(__name__)
BATCH = 200
OUTBOX_INSERT_BATCH = 2000
# PostgreSQL advisory lock held by a drain's run: one drain at a time, across processes.
SYNC_LOCK = 715_404_001
# Elsewhere (SQLite: one writer anyway) one drain at a time in this process.
_sync_lock = threading.RLock()


def enqueue(obj) -> None:
    """Note that ``obj``'s entries must be refreshed: in the caller's transaction."""
    OutboxEntry.objects.create(object_key=object_key(obj))
    _drain_after_commit()


def enqueue_records(record_ids) -> int:
    """Note that these records' entries must be refreshed, in the caller's transaction and in
    a few statements whatever their number (a series of 10,000 records is one SELECT and a
    handful of INSERTs, never one query per record). ``record_ids``: ids or a query of ids."""
    keys = [f"record:{pk}" for pk in record_ids]
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(object_key=key) for key in keys], batch_size=OUTBOX_INSERT_BATCH
    )
    if keys:
        _drain_after_commit()
    return len(keys)


def _drain_after_commit() -> None:
    """Have the outbox drained once the caller's transaction commits: one callback per
    transaction, however many rows it writes. A callback registered inside a savepoint that
    rolls back is dropped by Django with it, so the next row registers it again. Outside a
    transaction (autocommit) each write is its own transaction and asks at once."""
    if connection.in_atomic_block and any(
        func is _request_drain for _savepoints, func, _robust in connection.run_on_commit
    ):
        return
    # robust: a queue that cannot be written to must not fail the change, which has
    # committed; its rows wait for the next drain.
    transaction.on_commit(_request_drain, robust=True)


def _request_drain() -> None:
    from .tasks import request_sync

    request_sync()


def load(key: str):
    kind, _sep, pk = key.partition(":")
    model = {"document": ControlledDocument, "form": QmsForm, "record": QualityRecord}[kind]
    obj = model.objects.filter(pk=int(pk)).first()
    return obj.specific if obj is not None and kind == "document" else obj


def entries_of(key: str) -> list[Entry]:
    obj = load(key)
    return to_document(obj) if obj is not None else []


def index_object(key: str, backend) -> list[Entry]:
    entries = entries_of(key)
    if vectors.held_by(backend):
        # The engine keeps a clause's vector in its entry: written with it, once. (Written
        # after it, as an update, each clause was counted twice in the engine's term
        # statistics until its segments merged, and its ranking drifted from the embedded
        # index's.)
        meaning = vectors.update(key, entries)
        backend.delete_object(key)
        if entries:
            backend.upsert(entries, meaning=meaning)
    else:
        backend.delete_object(key)
        if entries:
            backend.upsert(entries)
        vectors.update(key, entries)
    IndexEntry.objects.filter(backend=backend.name, object_key=key).delete()
    _remember(backend, entries, lambda entry: key)
    return entries


def _remember(backend, entries: list[Entry], key_of) -> None:
    """Record which entries went into which index, and when (the admin's index-entries view).
    The index name is asked once: for the engine it is a request."""
    index_name = getattr(backend, "index_name", backend.name)
    now = timezone.now()
    IndexEntry.objects.bulk_create(
        [
            IndexEntry(
                object_key=key_of(entry),
                entry_id=entry.entry_id,
                backend=backend.name,
                index_name=index_name,
                version=entry.version,
                indexed_at=now,
            )
            for entry in entries
        ]
    )


@contextmanager
def _one_drain_at_a_time():
    """No other drain runs beside this one, from its first batch to its last. Two drains at
    once would index the same object together (a change committed after the first read its
    rows is a new row the second would take) and collide on the index's records of what it
    holds; one after the other, each deletes only the rows it read, so a change arriving
    meanwhile keeps its row and is indexed by the next batch.

    Held for the whole run, not per batch: the run keeps the index's writer between batches
    (``session``), so a second drain could not write before the first ends anyway, and one
    lock for the run keeps that order the same on a backend without a session (the engine).
    On PostgreSQL a session-level advisory lock (across processes: the worker, a cron run, a
    web process running its tasks immediately); elsewhere (SQLite: one writer anyway) a lock
    of this process."""
    if connection.vendor != "postgresql":
        with _sync_lock:
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SYNC_LOCK])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK])
        except DatabaseError:  # the connection is gone, and the lock with it
            logger.warning("search drain: the advisory lock was not released", exc_info=True)


def sync(backend=None, *, batch: int = BATCH) -> int:
    """Drain the outbox into ``backend``; returns how many objects were indexed. Each batch
    is one transaction and, where the backend can (tantivy), one commit of the index, with
    one writer for the whole run. On a backend error the rows stay (with the error and one
    more attempt) for the next run, and the error is raised (a failed task in the queue's
    results)."""
    backend = backend or get_backend()
    done = 0
    with _one_drain_at_a_time(), getattr(backend, "session", nullcontext)():
        while True:
            failure = None
            with transaction.atomic():
                rows = list(OutboxEntry.objects.order_by("pk")[:batch])
                if not rows:
                    return done
                pks = [row.pk for row in rows]
                keys = list(dict.fromkeys(row.object_key for row in rows))
                try:
                    with transaction.atomic(), getattr(backend, "batch", nullcontext)():
                        for key in keys:
                            index_object(key, backend)
                except Exception as error:
                    failure = error
                    OutboxEntry.objects.filter(pk__in=pks).update(
                        attempts=F("attempts") + 1, last_error=str(error)[:2000]
                    )
                else:
                    OutboxEntry.objects.filter(pk__in=pks).delete()
            if failure is not None:
                raise failure
            done += len(keys)


def all_keys() -> list[str]:
    keys = [
        f"document:{pk}" for pk in ControlledDocument.objects.live().values_list("pk", flat=True)
    ]
    keys += [f"form:{pk}" for pk in QmsForm.objects.values_list("pk", flat=True)]
    keys += [f"record:{pk}" for pk in QualityRecord.objects.values_list("pk", flat=True)]
    return keys


def rebuild(backend=None) -> int:
    """Index everything afresh (the engine writes a new versioned index and swaps the alias)."""
    backend = backend or get_backend()
    entries: list[Entry] = []
    for key in all_keys():
        entries += entries_of(key)
    if vectors.held_by(backend):  # the vectors in the new index's entries (index_object)
        backend.rebuild(entries, meaning=vectors.rebuild(entries, _object_key_of))
    else:
        backend.rebuild(entries)
        vectors.rebuild(entries, _object_key_of)
    with transaction.atomic():
        IndexEntry.objects.filter(backend=backend.name).delete()
        _remember(backend, entries, _object_key_of)
        OutboxEntry.objects.all().delete()
    return len(entries)


def _object_key_of(entry: Entry) -> str:
    if entry.type == "clause":
        return f"document:{entry.document_id}"
    return entry.entry_id


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    stale: list[str] = field(default_factory=list)  # in both, different content
    orphaned: list[str] = field(default_factory=list)  # in the index only
    expected: int = 0
    indexed: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)


def verify(backend=None) -> Drift:
    """Compare the index with what the database says it should hold: counts and checksums."""
    backend = backend or get_backend()
    expected = {}
    for key in all_keys():
        for entry in entries_of(key):
            expected[entry.entry_id] = entry.version
    indexed = backend.all_versions()
    drift = Drift(expected=len(expected), indexed=len(indexed))
    for entry_id, version in expected.items():
        if entry_id not in indexed:
            drift.missing.append(entry_id)
        elif indexed[entry_id] != version:
            drift.stale.append(entry_id)
    drift.orphaned = sorted(set(indexed) - set(expected))
    return drift
