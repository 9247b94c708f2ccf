"""Editions of a document and the durable revision register."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .pages import RegisterRow

URL_UNSAFE = re.compile(r"[^\w-]")


def url_segment(value: str) -> str:
    """``value`` as one path segment Wagtail serves: its catch-all URL takes only word
    characters and hyphens, so "2.0" is written "2-0" (Kazakh letters stay as they are)."""
    return URL_UNSAFE.sub("-", value.strip()) or "-"


class EditionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    SUPERSEDED = "superseded", _("superseded")
    WITHDRAWN = "withdrawn", _("withdrawn")


class EditionQuerySet(models.QuerySet):
    def in_force_on(self, *, document, day: datetime.date):
        return (
            self.filter(document=document, effective_from__lte=day)
            .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=day))
            .order_by("-effective_from", "-pk")
            .first()
        )


class Edition(models.Model):
    """One edition (басылым) or version (нұсқа) of a document, as it was in force.

    ``revision`` is the page revision that carries the edition's last published text, so a
    superseded edition stays readable exactly as it was, at ``…/editions/<key>/``."""

    document = models.ForeignKey(
        "documents.ControlledDocument", on_delete=models.CASCADE, related_name="editions"
    )
    key = models.CharField(_("edition"), max_length=20)
    number = models.PositiveIntegerField(_("edition number"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    label = models.CharField(_("edition as printed"), max_length=100)
    edition_date = models.DateField(_("edition date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EditionStatus.choices)
    effective_from = models.DateField(_("in force from"))
    # The day the document itself says it comes into force; when it says none (the ментор
    # instruction: "« _____ » _____ 2025 ж."), ``effective_from`` is the day Sapa published
    # it, which answers "which edition was in force on …" here but is not the document's;
    # unless its approval by order here published it that day (``edition_record_publication``).
    effective_from_stated = models.BooleanField(
        _("in-force date stated in the document"), default=True
    )
    superseded_on = models.DateField(_("in force until"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_order_number = models.CharField(_("approval order number"), max_length=50, blank=True)
    approval_order_date = models.DateField(_("approval order date"), null=True, blank=True)
    first_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("last published"), null=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["document", "effective_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "key"], name="edition_key_unique_per_document"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="in_force"),
                name="one_edition_in_force_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.label}"

    @property
    def is_superseded(self) -> bool:
        return self.status == EditionStatus.SUPERSEDED

    @property
    def url_key(self) -> str:
        """The edition in URLs: ``…/editions/1/``, ``…/editions/2-0/`` for version 2.0."""
        return url_segment(self.key)


class RegisterChange(RegisterRow):
    """A row of Өзгерістерді тіркеу парағы, kept for good once published.

    Each row belongs to an edition (a new edition starts a new register) and points at the
    page revision that carried the change into force."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="changes")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision that carried the change"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("register row")
        verbose_name_plural = _("revision register")
        ordering = ["edition", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "change_number"], name="change_number_unique_per_edition"
            )
        ]

    @property
    def url_key(self) -> str:
        """The change in URLs: ``…/editions/1/changes/2/``."""
        return url_segment(self.change_number)
