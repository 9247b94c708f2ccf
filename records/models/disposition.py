"""Disposition: one person of the quality office proposes, a different one approves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sapa.localisation.dates import format_date


class DispositionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved and carried out")
    REJECTED = "rejected", _("rejected")


class Disposition(models.Model):
    organisation = models.ForeignKey(
        "documents.Organisation",
        on_delete=models.PROTECT,
        related_name="dispositions",
        verbose_name=_("organisation"),
    )
    records = models.ManyToManyField(
        "records.QualityRecord", related_name="dispositions", verbose_name=_("quality records")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DispositionStatus.choices,
        default=DispositionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(default=timezone.now, verbose_name=_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    note = models.TextField(_("note"), blank=True)
    certificate = models.OneToOneField(
        "records.QualityRecord",
        verbose_name=_("disposition certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certified_disposition",
    )
    history = HistoricalRecords(related_name="+")

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("proposed_by")),
                name="disposition_needs_two_people",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {format_date(self.proposed_at)}"
