"""Periodic review of controlled documents: each review, with what it decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("reviewed, no change")
    NEW_EDITION = "new_edition", _("new edition started")


class DocumentReview(models.Model):
    """One periodic review of a document. "Reviewed, no change" restarts the review clock
    from its day; a new edition restarts it from the new edition's effective date."""

    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.NO_CHANGE
    )
    comment = models.TextField(_("comment"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("draft of the new edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The new edition's draft that this review started."),
    )

    class Meta:
        verbose_name = _("document review")
        verbose_name_plural = _("document reviews")
        ordering = ["document", "-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document} · {timezone.localtime(self.reviewed_at):%d.%m.%Y}"
