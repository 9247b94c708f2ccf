"""The records nomenclature: one series per form, with its retention schedule."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords


class Storage(models.TextChoices):
    ELECTRONIC = "electronic", _("electronic")
    PAPER = "paper", _("paper")


class RetentionRule(models.TextChoices):
    YEARS = "years", _("N years after closing")
    PERMANENT = "permanent", _("permanent")
    AFTER_REPLACED = "after_replaced", _("until the document is replaced + N years")


class DispositionRule(models.TextChoices):
    DESTROY = "destroy", _("destroy")
    ARCHIVE = "archive", _("transfer to the archive")


#: Series Sapa keeps itself, found by their stored title (written once, in Kazakh, when the
#: first certificate of an organisation was filed) and shown under their name in the
#: reader's language.
CERTIFICATE_SERIES_TITLE = "Жою актілері (жазбаларды жою туралы актілер)"
CONFIDENTIAL_CERTIFICATE_SERIES_TITLE = "Жою актілері (құпия жазбаларды жою туралы актілер)"
SYSTEM_SERIES_TITLES = {
    CERTIFICATE_SERIES_TITLE: _("Disposition certificates"),
    CONFIDENTIAL_CERTIFICATE_SERIES_TITLE: _("Disposition certificates of confidential records"),
}


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("normal")
    CONFIDENTIAL = "confidential", _("confidential")


class RecordSeries(models.Model):
    """A line of the records nomenclature (жазбалар номенклатурасы): the records made from one
    form, who keeps them, where, for how long and what happens to them afterwards."""

    organisation = models.ForeignKey(
        "documents.Organisation",
        on_delete=models.PROTECT,
        related_name="record_series",
        verbose_name=_("organisation"),
    )
    form = models.ForeignKey(
        "documents.QmsForm",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_series",
        help_text=_(
            "Empty for a series kept without a form (its records are numbered С and the "
            "series' number: С3/2025-2026/ИТИ/0001) and for the series Sapa keeps itself, "
            "such as disposition certificates (АКТ/…)."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    responsible_unit = models.ForeignKey(
        "documents.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_series",
    )
    responsible_position = models.CharField(_("responsible position"), max_length=300, blank=True)
    storage = models.CharField(
        _("storage"), max_length=20, choices=Storage.choices, default=Storage.ELECTRONIC
    )
    storage_place = models.CharField(_("storage place"), max_length=300, blank=True)
    retention_rule = models.CharField(
        _("retention"), max_length=20, choices=RetentionRule.choices, default=RetentionRule.YEARS
    )
    retention_years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    disposition = models.CharField(
        _("disposition"),
        max_length=20,
        choices=DispositionRule.choices,
        default=DispositionRule.DESTROY,
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
    )
    history = HistoricalRecords(related_name="+")

    class Meta:
        verbose_name = _("record series")
        verbose_name_plural = _("records nomenclature")
        ordering = ["organisation", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "form"],
                condition=models.Q(form__isnull=False),
                name="one_series_per_form",
            ),
            models.CheckConstraint(
                condition=models.Q(retention_rule="permanent")
                | models.Q(retention_years__isnull=False),
                name="retention_years_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(storage="paper") | ~models.Q(storage_place=""),
                name="paper_storage_has_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} · {self.title}" if self.form_id else self.display_title

    @property
    def display_title(self) -> str:
        """The title as people read it: a series Sapa keeps itself is named in the reader's
        language; any other is named as the quality office wrote it."""
        if not self.form_id and self.title in SYSTEM_SERIES_TITLES:
            return str(SYSTEM_SERIES_TITLES[self.title])
        return self.title

    @property
    def identifier_prefix(self) -> str:
        """What its records' identifiers start with: the form's number; for a series kept
        without a form, "С" and its own number; "АКТ" for the disposition certificates Sapa
        files (the АӨУ demo's mentors' plans were numbered "АКТ/…" like them)."""
        if self.form_id:
            return self.form.number
        if self.title in SYSTEM_SERIES_TITLES:
            return "АКТ"
        return f"С{self.pk}"

    def retention_display(self) -> str:
        """The retention rule with its years, in the reader's language and plural:
        "5 years after closure", "5 лет после закрытия", "жабылғаннан кейін 5 жыл"."""
        if self.retention_rule == RetentionRule.PERMANENT:
            return str(_("kept permanently"))
        years = self.retention_years or 0
        if self.retention_rule == RetentionRule.AFTER_REPLACED:
            text = ngettext(
                "%(count)s year after the document is replaced",
                "%(count)s years after the document is replaced",
                years,
            )
        else:
            text = ngettext("%(count)s year after closure", "%(count)s years after closure", years)
        return text % {"count": years}

    def clean(self) -> None:
        errors = {}
        if self.retention_rule != RetentionRule.PERMANENT and self.retention_years is None:
            errors["retention_years"] = _("Give the number of years.")
        if self.storage == Storage.PAPER and not self.storage_place.strip():
            errors["storage_place"] = _("Say where the paper records are kept.")
        if self.form_id and self.form.organisation_id != self.organisation_id:
            errors["form"] = _("The form belongs to another organisation.")
        if self.pk and self.records.exclude(organisation_id=self.organisation_id).exists():
            # Its records (their identifiers, who may see them) belong to the organisation
            # they were filed in: a series with records never moves to another one.
            errors["organisation"] = _(
                "This series has records of another organisation; it cannot move to this one."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == Confidentiality.CONFIDENTIAL

    def retention_base_end(
        self, *, closed_on: datetime.date | None, replaced_on: datetime.date | None
    ):
        """The day retention ends before holds are counted, or None (permanent / not yet known)."""
        if self.retention_rule == RetentionRule.PERMANENT:
            return None
        start = closed_on if self.retention_rule == RetentionRule.YEARS else replaced_on
        if start is None:
            return None
        return add_years(start, self.retention_years or 0)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
