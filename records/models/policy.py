"""Per-organisation rules of record keeping: how identifiers are made."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PATTERN = "{form}/{period}/{unit}/{seq:04d}"
PLACEHOLDERS = {"form", "period", "unit", "year", "seq"}


class RecordsPolicy(models.Model):
    organisation = models.OneToOneField(
        "documents.Organisation",
        on_delete=models.CASCADE,
        related_name="records_policy",
        verbose_name=_("organisation"),
    )
    identifier_pattern = models.CharField(
        _("identifier pattern"),
        max_length=120,
        default=DEFAULT_PATTERN,
        help_text=_(
            "Placeholders: {form} (715-02), {period} (2025-2026), {unit} (ИТИ), {year}, "
            "{seq:04d} (number within form, period and unit)."
        ),
    )

    class Meta:
        verbose_name = _("records policy")
        verbose_name_plural = _("records policies")

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        import string

        names = {
            field
            for _t, field, _s, _c in string.Formatter().parse(self.identifier_pattern)
            if field
        }
        if "seq" not in names or not names <= PLACEHOLDERS:
            raise ValidationError(
                {"identifier_pattern": _("Use only {form}, {period}, {unit}, {year} and {seq}.")}
            )


class IdentifierCounter(models.Model):
    """The last sequence number given under one identifier prefix; locked while in use."""

    organisation = models.ForeignKey("documents.Organisation", on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="counter_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"
