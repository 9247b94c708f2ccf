"""Official renderings: the PDF of each published edition and change, made once and kept."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RenderingKind(models.TextChoices):
    OFFICIAL = "official", _("official (controlled copy)")
    SUPERSEDED = "superseded", _("superseded (stamped no longer valid)")


class OfficialRenderingQuerySet(models.QuerySet):
    def for_unit(self, *, edition, change=None, kind: str):
        """The rendering of ``edition`` (as first published) or of ``change`` in it."""
        return self.filter(edition=edition, change=change, kind=kind).first()


class OfficialRendering(models.Model):
    """A rendered PDF, immutable: the file at ``file_name`` in the renderings storage has
    ``sha256`` and ``size``; nothing ever rewrites it. A later template (``template_version``)
    renders only what has no rendering yet."""

    document = models.ForeignKey(
        "documents.ControlledDocument", on_delete=models.CASCADE, related_name="renderings"
    )
    edition = models.ForeignKey(
        "documents.Edition", on_delete=models.CASCADE, related_name="renderings"
    )
    change = models.ForeignKey(
        "documents.RegisterChange",
        verbose_name=_("change"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="renderings",
    )
    change_number = models.CharField(_("change no."), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RenderingKind.choices)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=500, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("number of pages"))
    template_version = models.CharField(_("template version"), max_length=20)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    objects = OfficialRenderingQuerySet.as_manager()

    class Meta:
        verbose_name = _("official rendering")
        verbose_name_plural = _("official renderings")
        ordering = ["edition", "change", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind"],
                condition=Q(change__isnull=True),
                name="one_rendering_per_edition_and_kind",
            ),
            models.UniqueConstraint(
                fields=["edition", "change", "kind"],
                condition=Q(change__isnull=False),
                name="one_rendering_per_change_and_kind",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" · {self.change_number}" if self.change_number else ""
        return f"{self.edition}{suffix} ({self.kind})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("An official rendering is never changed once stored.")
        return super().save(*args, **kwargs)
