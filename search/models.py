"""The search outbox, the record of what is indexed where, and the equivalent terms."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """An object whose index entries must be refreshed. Written in the same transaction as
    the change itself, drained by ``search_index sync``; when the engine is down the rows
    stay and the backlog drains when it returns."""

    object_key = models.CharField(max_length=60, db_index=True)  # "record:7", "document:12"
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.object_key


class IndexEntry(models.Model):
    """One entry of one object in one backend's index, as last written."""

    object_key = models.CharField(max_length=60, db_index=True)
    entry_id = models.CharField(max_length=200)
    backend = models.CharField(max_length=20)
    index_name = models.CharField(max_length=200)
    version = models.CharField(max_length=32)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["backend", "entry_id"], name="index_entry_once")
        ]
        ordering = ["object_key", "entry_id"]

    def __str__(self) -> str:
        return f"{self.backend}:{self.entry_id}"


class SynonymGroup(models.Model):
    """Terms that mean the same to the people searching (ментор, эдвайзер, куратор; жатақхана,
    студенттер үйі, общежитие). Applied to queries, identically in both backends."""

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_("One term or phrase per line, Kazakh or Russian."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("equivalent terms")
        verbose_name_plural = _("equivalent terms")

    def __str__(self) -> str:
        return ", ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
