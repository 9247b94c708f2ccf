"""Quality records (жазбалар) and their files, per procedure 404 and ISO 9001 7.5.3."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sapa.localisation.dates import format_date

from ..storage import records_storage
from .series import RecordSeries


class RecordStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    DISPOSED = "disposed", _("disposed")


class PeriodKind(models.TextChoices):
    ACADEMIC_YEAR = "academic_year", _("academic year")
    SEMESTER = "semester", _("semester")
    DATES = "dates", _("dates")


class RecordQuerySet(models.QuerySet):
    def on_hold(self):
        from .holds import Hold

        active = Hold.objects.filter(released_at__isnull=True)
        return self.filter(
            Exists(active.filter(records=OuterRef("pk")))
            | Exists(active.filter(series=OuterRef("series_id")))
        )

    def not_on_hold(self):
        return self.exclude(pk__in=self.on_hold().values("pk"))

    def delete(self):
        raise ValidationError(
            _("Quality records are never deleted; they are disposed of by the disposition rule.")
        )


class QualityRecord(models.Model):
    """One quality record: identified, tied to the form revision and procedure edition it was
    made under (frozen, not "latest"), kept for its series' retention, then disposed of."""

    organisation = models.ForeignKey(
        "documents.Organisation",
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("organisation"),
    )
    series = models.ForeignKey(
        RecordSeries,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("record series"),
    )
    identifier = models.CharField(_("identifier"), max_length=120, unique=True, editable=False)
    form = models.ForeignKey(
        "documents.QmsForm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("form"),
    )
    form_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("form revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        editable=False,
    )
    edition = models.ForeignKey(
        "documents.Edition",
        verbose_name=_("procedure edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        editable=False,
    )
    unit = models.ForeignKey(
        "documents.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="records"
    )
    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    academic_year = models.CharField(_("academic year"), max_length=9, blank=True)
    semester = models.PositiveSmallIntegerField(_("semester"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    record_date = models.DateField(_("record date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords(related_name="+")

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality record")
        verbose_name_plural = _("quality records")
        ordering = ["-record_date", "-pk"]
        # The auditors' list filters by one of these and orders by date: each index serves
        # one filter in the list's own order (see selectors.find_records).
        indexes = [
            models.Index(fields=["record_date", "id"], name="record_by_date"),
            models.Index(fields=["status", "record_date", "id"], name="record_by_status"),
            models.Index(fields=["form", "record_date", "id"], name="record_by_form"),
            models.Index(fields=["unit", "status", "record_date", "id"], name="record_by_unit"),
            models.Index(
                fields=["document", "status", "record_date", "id"], name="record_by_procedure"
            ),
            models.Index(fields=["period_start", "id"], name="record_by_period"),
            models.Index(
                fields=["form", "period_start", "period_end", "id"], name="record_by_form_period"
            ),
            models.Index(
                fields=["unit", "period_start", "period_end", "id"], name="record_by_unit_period"
            ),
            models.Index(fields=["organisation", "status", "record_date"], name="record_by_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="period_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="closed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("Quality records are never deleted; they are disposed of by the disposition rule.")
        )

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.ACADEMIC_YEAR:
            return self.academic_year
        if self.period_kind == PeriodKind.SEMESTER:
            return f"{self.academic_year}/{self.semester}"
        if self.period_start == self.period_end:  # one day (a certificate): named once
            return f"{self.period_start:%d.%m.%Y}"
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def period_display(self) -> str:
        """The period as people read it: the academic year ("2025-2026"), its semester
        ("2025-2026, semester 1") or the dates in the interface's form. ``period_label`` is
        the code that goes into identifiers."""
        if self.period_kind == PeriodKind.ACADEMIC_YEAR:
            return self.academic_year
        if self.period_kind == PeriodKind.SEMESTER:
            return _("%(year)s, semester %(n)s") % {"year": self.academic_year, "n": self.semester}
        if self.period_start == self.period_end:
            return format_date(self.period_start)
        return f"{format_date(self.period_start)} – {format_date(self.period_end)}"

    @property
    def is_confidential(self) -> bool:
        return self.series.is_confidential

    @property
    def is_on_hold(self) -> bool:
        return QualityRecord.objects.filter(pk=self.pk).on_hold().exists()

    def retention_end(self) -> datetime.date | None:
        """When the retention period ends: the series rule from the closing date (or the day
        the procedure edition was replaced), pushed back by every day the record was held."""
        from .holds import held_days

        replaced_on = self.edition.superseded_on if self.edition_id else None
        base = self.series.retention_base_end(closed_on=self.closed_on, replaced_on=replaced_on)
        if base is None:
            return None
        start = self.closed_on or self.record_date
        return base + datetime.timedelta(days=held_days(self, since=start))


def record_file_path(instance: RecordFile, filename: str) -> str:
    record = instance.record
    return f"records/{record.organisation_id}/{record.pk}/v{instance.version}/{filename}"


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    DONE = "done", _("text extracted")
    OCR_QUEUED = "ocr_queued", _("waiting for OCR")
    FAILED = "failed", _("failed")
    NOT_APPLICABLE = "not_applicable", _("no text to extract")


class RecordFile(models.Model):
    """One version of one file of a record. Never overwritten: a new upload is a new version;
    the bytes are removed only by disposition, the row and its checksum stay."""

    record = models.ForeignKey(
        QualityRecord,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("quality record"),
    )
    name = models.CharField(_("file name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"), upload_to=record_file_path, storage=records_storage, max_length=400, blank=True
    )
    original_name = models.CharField(_("name as uploaded"), max_length=400)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=120)
    page_count = models.PositiveIntegerField(_("number of pages"), null=True, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=20,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))
    removed_at = models.DateTimeField(_("file removed"), null=True, blank=True)
    history = HistoricalRecords(related_name="+", excluded_fields=["text"])

    class Meta:
        verbose_name = _("record file")
        verbose_name_plural = _("record files")
        ordering = ["record", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "name", "version"], name="file_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Record files are never deleted; a new file is a new version."))
