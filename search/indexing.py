"""Keeping the index in step with the database: the outbox (written with each change), the
worker that drains it in batches, and rebuild and verify."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from records.models import QualityRecord
from sapa.documents.models import ControlledDocument, QmsForm

from .backends import get_backend
from .models import IndexEntry, OutboxEntry
from .schema import Entry, object_key, to_document

BATCH = 200
OUTBOX_INSERT_BATCH = 2000


def enqueue(obj) -> None:
    """Note that ``obj``'s entries must be refreshed: in the caller's transaction."""
    OutboxEntry.objects.create(object_key=object_key(obj))


def enqueue_records(record_ids) -> int:
    """Note that these records' entries must be refreshed, in the caller's transaction and in
    a few statements whatever their number (a series of 10,000 records is one SELECT and a
    handful of INSERTs, never one query per record). ``record_ids``: ids or a query of ids."""
    keys = [f"record:{pk}" for pk in record_ids]
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(object_key=key) for key in keys], batch_size=OUTBOX_INSERT_BATCH
    )
    return len(keys)


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
    backend.delete_object(key)
    if entries:
        backend.upsert(entries)
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


def sync(backend=None, *, batch: int = BATCH) -> int:
    """Drain the outbox into ``backend``; returns how many objects were indexed. On a
    backend error the rows stay (with the error) for the next run."""
    backend = backend or get_backend()
    done = 0
    while True:
        rows = list(OutboxEntry.objects.order_by("pk")[:batch])
        if not rows:
            return done
        keys = list(dict.fromkeys(row.object_key for row in rows))
        try:
            # A backend that can (tantivy) writes the whole batch as one commit.
            with getattr(backend, "batch", nullcontext)():
                for key in keys:
                    index_object(key, backend)
        except Exception as error:
            OutboxEntry.objects.filter(pk__in=[r.pk for r in rows]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:2000]
            )
            raise
        OutboxEntry.objects.filter(pk__in=[r.pk for r in rows]).delete()
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
    backend.rebuild(entries)
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
