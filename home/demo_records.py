"""Demo quality records: the records nomenclature of 715's forms and a few records with real
PDF files, a keeper of one institute and an auditor."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files import File

from records.models import (
    Confidentiality,
    DispositionRule,
    KeeperAssignment,
    QualityRecord,
    RecordSeries,
    RetentionRule,
)
from records.services import file_add, record_close, record_create
from records.services.common import save_with_history
from sapa.documents.models import Organisation, QmsForm, Unit

RECORD_FILES = Path(__file__).resolve().parent / "demo_data" / "records"

# form number: (title, retention rule, years, disposition, confidential)
SERIES = {
    "715-01": ("МЗТО-дан анықтама (әлеуметтік жәрдемақы алу үшін)", "years", 5, "destroy", True),
    "715-02": ("Эдвайзердің жұмыс жоспары", "years", 5, "destroy", False),
    "715-03": ("Эдвайзерлер тізімі", "years", 5, "destroy", False),
    "715-04": ("Бірыңғай студенттік билет", "years", 5, "destroy", False),
    "715-05": ("Жаңадан қабылданған студенттерге билет беру тізімі", "years", 5, "destroy", False),
    "715-06": ("Старосталар тізімі", "years", 3, "destroy", False),
    "715-07": ("Эдвайзерлердің апта сайынғы кеңестерінің кестесі", "years", 3, "destroy", False),
    "715-08": ("Эдвайзер кеңестерінің хаттамалары", "years", 5, "destroy", False),
    "713-01": ("Институттардың тәрбие жұмысы жоспары", "years", 10, "archive", False),
    "713-02": ("Кафедралардың тәрбие жұмысы жоспары", "years", 5, "archive", False),
    "713-03": ("Топтардың эдвайзерлерінің тәрбие жұмысы жоспары", "years", 5, "destroy", False),
    "713-04": ("Эдвайзерлік жұмыс журналы", "after_replaced", 5, "archive", False),
}

# (form, title, academic year, file, closed on)
RECORDS = [
    (
        "715-02",
        "ИТИ эдвайзерлерінің жұмыс жоспары",
        "2025-2026",
        "715-02_edvaizer_zhospary.pdf",
        None,
    ),
    (
        "715-03",
        "Ақпараттық жүйелер кафедрасының эдвайзерлері",
        "2025-2026",
        "715-03_edvaizerler_tizimi.pdf",
        None,
    ),
    ("715-06", "ИТИ топтарының старосталары", "2025-2026", "715-06_starostalar_tizimi.pdf", None),
    (
        "715-08",
        "ВТ-18-1 тобы эдвайзер кеңесінің хаттамасы",
        "2018-2019",
        "715-08_kenes_khattamasy.pdf",
        datetime.date(2019, 6, 30),
    ),
    (
        "715-01",
        "Студентке МЗТО-дан берілген анықтама",
        "2022-2023",
        "715-01_anyqtama.pdf",
        datetime.date(2023, 6, 30),
    ),
]


def name_demo_forms(*, organisation: Organisation) -> None:
    """Give each form of ``organisation`` without a title the one its records series has (a
    revision each). ``load_demo`` asks before it publishes the documents: each edition comes
    into force with its forms as they read, and a change to them is one made later."""
    for form in QmsForm.objects.filter(organisation=organisation, title=""):
        form.title = SERIES.get(form.number, (form.code,))[0]
        form.save()
        form.save_revision(log_action=True)


def load_records_demo(*, organisation: Organisation, users: dict) -> list[QualityRecord]:
    quality, keeper = users["quality"], users["keeper"]
    institute = Unit.objects.get(organisation=organisation, short_name="ИТИ")
    KeeperAssignment.objects.get_or_create(user=keeper, unit=institute)
    responsible = Unit.objects.filter(organisation=organisation, short_name="ТжӘЖД").first()
    name_demo_forms(organisation=organisation)
    series_by_form = {}
    for form in QmsForm.objects.filter(organisation=organisation):
        title, rule, years, disposition, confidential = SERIES.get(
            form.number, (form.code, "years", 5, "destroy", False)
        )
        series = RecordSeries.objects.filter(organisation=organisation, form=form).first()
        if series is None:
            series = RecordSeries(
                organisation=organisation,
                form=form,
                title=title,
                responsible_unit=responsible,
                responsible_position="Департамент директоры",
                retention_rule=RetentionRule(rule),
                retention_years=years,
                disposition=DispositionRule(disposition),
                confidentiality=Confidentiality.CONFIDENTIAL
                if confidential
                else Confidentiality.NORMAL,
            )
            save_with_history(series, user=quality, reason="Жазбалар номенклатурасы (демо)")
        series_by_form[form.number] = series
    if QualityRecord.objects.filter(organisation=organisation).exists():
        return list(QualityRecord.objects.filter(organisation=organisation))
    made = []
    for number, title, year, filename, closed_on in RECORDS:
        record = record_create(
            series=series_by_form[number],
            unit=institute,
            title=title,
            period_kind="academic_year",
            academic_year=year,
            record_date=datetime.date(int(year[:4]), 10, 1),
            user=keeper,
            reason="Жазба толтырылды",
        )
        with (RECORD_FILES / filename).open("rb") as handle:
            file_add(
                record=record,
                upload=File(handle, name=filename),
                user=keeper,
                reason="Қол қойылған нұсқасы",
            )
        if closed_on:
            record = record_close(
                record=record, user=keeper, reason="Оқу жылы аяқталды", closed_on=closed_on
            )
        made.append(record)
    return made


def load_second_organisation_records_demo(*, organisation: Organisation, users: dict) -> list:
    """One record of the second university, so that the demo shows its records staying out of
    the first university's auditor's reach."""
    quality = users["quality"]
    unit = Unit.objects.filter(organisation=organisation).order_by("pk").first()
    if unit is None:
        return []
    series = RecordSeries.objects.filter(organisation=organisation, form__isnull=True).first()
    if series is None:
        series = RecordSeries(
            organisation=organisation,
            title="Менторлардың жұмыс жоспарлары",
            responsible_unit=unit,
            responsible_position="Департамент директоры",
            retention_rule=RetentionRule.YEARS,
            retention_years=5,
            disposition=DispositionRule.DESTROY,
            confidentiality=Confidentiality.NORMAL,
        )
        save_with_history(series, user=quality, reason="Жазбалар номенклатурасы (демо)")
    existing = list(QualityRecord.objects.filter(organisation=organisation))
    if existing:
        return existing
    record = record_create(
        series=series,
        unit=unit,
        title="Менторлардың 2025-2026 оқу жылына арналған жұмыс жоспары",
        period_kind="academic_year",
        academic_year="2025-2026",
        record_date=datetime.date(2025, 9, 15),
        user=quality,
        reason="Жазба толтырылды",
    )
    return [record]
