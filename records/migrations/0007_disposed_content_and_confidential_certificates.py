"""Repair what dispositions carried out before this release left behind:

- the extracted text of files removed by a disposition is blanked (the bytes were already
  deleted, the text stayed);
- a certificate that names a record of a confidential series, filed in the normal certificate
  series, moves to the organisation's confidential certificate series (created if needed),
  with a line in its history.

The records touched are queued for the search index (its outbox), so that the next
``search_index sync`` removes the text and the certificate from the results of those who
may no longer see them.
"""

from django.db import migrations
from django.utils import timezone

CONFIDENTIAL_CERTIFICATE_SERIES_TITLE = "Жою актілері (құпия жазбаларды жою туралы актілер)"
REASON = "Акт құпия жазбаларды атайды: құпия серияға ауыстырылды"


def repair(apps, schema_editor):
    RecordFile = apps.get_model("records", "RecordFile")
    RecordSeries = apps.get_model("records", "RecordSeries")
    Disposition = apps.get_model("records", "Disposition")
    HistoricalQualityRecord = apps.get_model("records", "HistoricalQualityRecord")
    HistoricalRecordSeries = apps.get_model("records", "HistoricalRecordSeries")
    OutboxEntry = apps.get_model("sapa_search", "OutboxEntry")
    touched = set()

    leftovers = RecordFile.objects.filter(removed_at__isnull=False).exclude(text="")
    touched.update(leftovers.values_list("record_id", flat=True))
    leftovers.update(text="", extraction_error="")

    now = timezone.now()
    leaked = (
        Disposition.objects.filter(
            certificate__isnull=False, records__series__confidentiality="confidential"
        )
        .exclude(certificate__series__confidentiality="confidential")
        .select_related("certificate")
        .distinct()
    )
    for disposition in leaked:
        series = RecordSeries.objects.filter(
            organisation_id=disposition.organisation_id,
            form=None,
            title=CONFIDENTIAL_CERTIFICATE_SERIES_TITLE,
            confidentiality="confidential",
        ).first()
        if series is None:
            series = RecordSeries(
                organisation_id=disposition.organisation_id,
                form=None,
                title=CONFIDENTIAL_CERTIFICATE_SERIES_TITLE,
                retention_rule="permanent",
                confidentiality="confidential",
            )
            series.save()
            if not HistoricalRecordSeries.objects.filter(id=series.pk).exists():
                _history(HistoricalRecordSeries, series, "+", now)
        certificate = disposition.certificate
        certificate.series = series
        # An update, not save(): no signal, so exactly one history line, written here.
        type(certificate).objects.filter(pk=certificate.pk).update(series=series)
        _history(HistoricalQualityRecord, certificate, "~", now)
        touched.add(certificate.pk)

    OutboxEntry.objects.bulk_create(
        [OutboxEntry(object_key=f"record:{pk}") for pk in sorted(touched)], batch_size=500
    )


def _history(historical_model, obj, kind: str, now) -> None:
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if any(f.attname == field.attname for f in historical_model._meta.concrete_fields)
    }
    extra = {}
    if any(f.name == "history_relation" for f in historical_model._meta.fields):
        extra["history_relation_id"] = obj.pk
    historical_model.objects.create(
        **values,
        **extra,
        history_date=now,
        history_type=kind,
        history_change_reason=REASON,
        history_user=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_organisation_membership"),
        ("sapa_search", "0003_more_equivalent_terms"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop, elidable=True)]
