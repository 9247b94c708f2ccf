"""Change notices (хабарлама): the register's "notice number and date" column.

Each published change of an edition in force gets one notice, numbered per organisation and
year ("3/2026"): what changed (its register rows and their new wording), why, from when, and
by whose order. Its PDF is rendered once and kept, like the official renderings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeCounter(models.Model):
    """The last notice number given in an organisation in a year; locked (select_for_update)
    while the next number is taken, so two publications never get the same number."""

    organisation = models.ForeignKey(
        "documents.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("notice counter")
        verbose_name_plural = _("notice counters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_notice_counter_per_organisation_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class ChangeNotice(models.Model):
    """A change notice. Immutable once its PDF is stored (``file_name``, ``sha256``)."""

    organisation = models.ForeignKey(
        "documents.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="change_notices",
    )
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("notice no."), max_length=20)
    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="change_notices",
    )
    edition = models.ForeignKey(
        "documents.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="change_notices",
    )
    changes = models.ManyToManyField(
        "documents.RegisterChange", verbose_name=_("register rows"), related_name="notices"
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        verbose_name=_("revision that carried the change"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows = models.JSONField(_("changes as printed"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    issued_on = models.DateField(_("notice date"))
    effective_date = models.DateField(_("effective date"))
    order_number = models.CharField(_("approval order number"), max_length=50, blank=True)
    order_date = models.DateField(_("approval order date"), null=True, blank=True)
    approver = models.CharField(_("approved by"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The stored PDF, written once by ``rendering.notices.render_notice``.
    file_name = models.CharField(_("file"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("number of pages"), null=True, blank=True)
    template_version = models.CharField(_("template version"), max_length=20, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["organisation", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"],
                name="notice_number_unique_per_organisation_year",
            )
        ]

    def __str__(self) -> str:
        return f"№{self.number}"

    @property
    def url_key(self) -> str:
        """The notice in URLs: ``…/notices/3-2026/pdf/`` for notice 3/2026."""
        return f"{self.sequence}-{self.year}"

    @property
    def is_rendered(self) -> bool:
        return bool(self.sha256)
