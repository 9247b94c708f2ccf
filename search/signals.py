"""Search listens to documents and records: every change writes an outbox row in the same
transaction (never an index write before the commit); ``search_index sync`` does the rest."""

from __future__ import annotations

from .indexing import enqueue


def document_changed(sender, instance, **kwargs) -> None:
    enqueue(instance)


def form_changed(sender, instance, **kwargs) -> None:
    enqueue(instance)


def record_changed(sender, instance, **kwargs) -> None:
    enqueue(instance)


def record_file_changed(sender, instance, **kwargs) -> None:
    enqueue(instance.record)


def edition_changed(sender, instance, **kwargs) -> None:
    enqueue(instance.document)


def synonyms_changed(sender, instance, **kwargs) -> None:
    from .services import synonym_groups

    synonym_groups.cache_clear()
