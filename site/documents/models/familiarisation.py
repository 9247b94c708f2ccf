"""Familiarisation (танысу парағы): who must read an edition or change, and who has.

``UnitMember`` ties an account to the units it works in (``is_head`` for the unit's head).
When an edition or change of a document takes effect, one ``FamiliarisationSheet`` is
started for it, with a ``FamiliarisationTask`` for every member of the units the document
applies to; a task is done once its person confirms, after opening the document, that
they have read and understood it. A new edition starts a new sheet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .organisations import Unit


class UnitMember(models.Model):
    """An account working in a unit: its staff read the documents the unit applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="members"
    )
    is_head = models.BooleanField(
        _("head of the unit"),
        default=False,
        help_text=_("The head sees the unit's familiarisation sheets."),
    )

    panels = [FieldPanel("user"), FieldPanel("unit"), FieldPanel("is_head")]

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")
        ordering = ["unit", "user__last_name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unit_member_unique")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} · {self.unit}"


class FamiliarisationSheet(models.Model):
    """The familiarisation sheet of one edition, or of one change inside it."""

    document = models.ForeignKey(
        "documents.ControlledDocument",
        on_delete=models.CASCADE,
        related_name="familiarisation_sheets",
    )
    edition = models.ForeignKey(
        "documents.Edition", on_delete=models.CASCADE, related_name="familiarisation_sheets"
    )
    change = models.ForeignKey(
        "documents.RegisterChange",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="familiarisation_sheets",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("familiarisation sheet")
        verbose_name_plural = _("familiarisation sheets")
        ordering = ["document", "started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document} · {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.change_id:
            return _("%(edition)s, change %(number)s") % {
                "edition": self.edition.label,
                "number": self.change.change_number,
            }
        return self.edition.label


class FamiliarisationTask(models.Model):
    """One person's task to read a sheet's edition or change and confirm it."""

    sheet = models.ForeignKey(FamiliarisationSheet, on_delete=models.CASCADE, related_name="tasks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="familiarisation_tasks",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed unconfirmed"),
        null=True,
        blank=True,
        help_text=_("Set when a new edition came before the confirmation."),
    )

    class Meta:
        verbose_name = _("familiarisation task")
        verbose_name_plural = _("familiarisation tasks")
        ordering = ["sheet", "unit__name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "user"], name="familiarisation_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.sheet}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.closed_at is None
