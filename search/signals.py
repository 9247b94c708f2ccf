"""Search listens to documents and records: every change writes an outbox row in the same
transaction (never an index write before the commit); once it commits, one drain is queued
(``search.tasks.sync_search_index``, run by the background worker, or at once with immediate
tasks) and does the rest.

What a record's entry stores about who may see it (``schema._record_entries``): its
organisation, unit and series, whether the series is confidential, and its status (a
destroyed record has no entry). Changes to those re-index the records they touch, here, in
the transaction of the change. Grants, keeper assignments and organisation memberships are
not stored in entries: every search reads them afresh (``services.record_scope``), so they
take effect at once and need no re-indexing. Holds change no one's view of a record.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from records.models import QualityRecord, RecordSeries

from .indexing import enqueue, enqueue_records

# The series fields that records' entries depend on: confidentiality (the entry's
# ``confidential``), the organisation (which office and auditors see them), and the
# disposition rule (whether a disposed record was destroyed, and so has no entry).
SERIES_FIELDS = ("confidentiality", "organisation_id", "disposition")


def document_changed(sender, instance, **kwargs) -> None:
    enqueue(instance)


def form_changed(sender, instance, raw=False, **kwargs) -> None:
    enqueue(instance)
    if raw or instance.pk is None:
        return
    # The forms list of each document that owns or cites the form is an entry of that
    # document: it prints the form's code and title.
    from sapa.documents.models import ControlledDocument

    for document in ControlledDocument.objects.filter(
        Q(form_citations__form=instance) | Q(pk=instance.owning_document_id)
    ).distinct():
        enqueue(document)


def record_changed(sender, instance, **kwargs) -> None:
    enqueue(instance)


def record_file_changed(sender, instance, **kwargs) -> None:
    enqueue(instance.record)


def edition_changed(sender, instance, **kwargs) -> None:
    enqueue(instance.document)


def synonyms_changed(sender, instance, **kwargs) -> None:
    from .services import synonym_groups

    synonym_groups.cache_clear()


@receiver(pre_save, sender=RecordSeries, dispatch_uid="search-series-before")
def series_before_change(sender, instance, raw=False, **kwargs) -> None:
    """Remember what the series was, to know after the save whether its records' entries
    changed (one query per series save, whatever the number of its records)."""
    if raw or instance.pk is None:
        instance._search_before = None
        return
    instance._search_before = (
        RecordSeries.objects.filter(pk=instance.pk).values(*SERIES_FIELDS).first()
    )


@receiver(post_save, sender=RecordSeries, dispatch_uid="search-series")
def series_changed(sender, instance, created, raw=False, **kwargs) -> None:
    before = getattr(instance, "_search_before", None)
    instance._search_before = None
    if created or raw or before is None:
        return  # a new series has no records yet
    if any(before[name] != getattr(instance, name) for name in SERIES_FIELDS):
        enqueue_records(
            QualityRecord.objects.filter(series_id=instance.pk)
            .order_by()
            .values_list("pk", flat=True)
            .iterator(chunk_size=2000)
        )
