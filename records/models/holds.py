"""Holds (audit, dispute, request): what is held is never disposed of or deleted."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HoldReason(models.TextChoices):
    AUDIT = "audit", _("audit")
    DISPUTE = "dispute", _("dispute")
    REQUEST = "request", _("request")


class Hold(models.Model):
    organisation = models.ForeignKey(
        "documents.Organisation",
        on_delete=models.PROTECT,
        related_name="record_holds",
        verbose_name=_("organisation"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    description = models.TextField(_("description"))
    records = models.ManyToManyField(
        "records.QualityRecord",
        through="HeldRecord",
        blank=True,
        related_name="holds",
        verbose_name=_("quality records"),
    )
    series = models.ManyToManyField(
        "records.RecordSeries",
        through="HeldSeries",
        blank=True,
        related_name="holds",
        verbose_name=_("whole series"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(default=timezone.now, verbose_name=_("placed at"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(null=True, blank=True, verbose_name=_("released at"))
    history = HistoricalRecords(related_name="+")

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.description[:60]}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class HeldRecord(models.Model):
    """PROTECT on the record: the database itself refuses to delete a held record."""

    hold = models.ForeignKey(Hold, on_delete=models.CASCADE)
    record = models.ForeignKey("records.QualityRecord", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "record"], name="held_record_once")]

    def __str__(self) -> str:
        return f"{self.hold_id} · {self.record_id}"


class HeldSeries(models.Model):
    hold = models.ForeignKey(Hold, on_delete=models.CASCADE)
    series = models.ForeignKey("records.RecordSeries", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "series"], name="held_series_once")]

    def __str__(self) -> str:
        return f"{self.hold_id} · {self.series_id}"


def held_days(record, *, since: datetime.date) -> int:
    """Days after ``since`` during which a hold covered the record (overlaps counted once)."""
    holds = Hold.objects.filter(Q(records=record) | Q(series=record.series_id)).distinct()
    today = timezone.localdate()
    spans = []
    for hold in holds:
        start = max(timezone.localdate(hold.placed_at), since)
        end = timezone.localdate(hold.released_at) if hold.released_at else today
        if end > start:
            spans.append((start, end))
    spans.sort()
    total, current_end = 0, None
    for start, end in spans:
        if current_end is None or start > current_end:
            total += (end - start).days
            current_end = end
        elif end > current_end:
            total += (end - current_end).days
            current_end = end
    return total
