"""Who may see records, and the log of every look."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapa.localisation.dates import format_datetime


class KeeperAssignment(models.Model):
    """A record keeper of a unit: may create and edit that unit's records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="keeper_assignments",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        "documents.Unit", on_delete=models.CASCADE, related_name="keepers", verbose_name=_("unit")
    )

    class Meta:
        verbose_name = _("record keeper")
        verbose_name_plural = _("record keepers")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="keeper_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit}"


class OrganisationMembership(models.Model):
    """The organisation whose records a member of the quality office or an auditor acts on.

    The roles themselves are groups; this says where they apply, so that one university's
    auditor never sees another's records on a shared portal. A superuser acts everywhere."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "documents.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class SeriesGrant(models.Model):
    """Read access to one series for a member of staff who otherwise sees no records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="series_grants",
        verbose_name=_("user"),
    )
    series = models.ForeignKey(
        "records.RecordSeries",
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("record series"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(default=timezone.now, verbose_name=_("granted at"))

    class Meta:
        verbose_name = _("series access grant")
        verbose_name_plural = _("series access grants")
        constraints = [models.UniqueConstraint(fields=["user", "series"], name="grant_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.series}"


class AccessAction(models.TextChoices):
    # (every look at the list, with its filters or without: "searched" misled an auditor)
    LIST = "list", _("listed the records")
    VIEW = "view", _("opened a record")
    HISTORY = "history", _("read a record's history")
    DOWNLOAD = "download", _("downloaded a file")
    EXPORT = "export", _("exported records")
    DENIED = "denied", _("was refused access")


class AccessLogEntry(models.Model):
    """One access to records: append-only, read by auditors and the quality office."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user"), max_length=150)
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("time"))
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    record = models.ForeignKey(
        "records.QualityRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quality record"),
    )
    file = models.ForeignKey(
        "records.RecordFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("record file"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("browser"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{format_datetime(self.at)} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")
