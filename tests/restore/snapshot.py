"""What a restore must bring back, as JSON: run inside a Sapa process with
``manage.py shell -v0 -c "from tests.restore.snapshot import main; main()"``."""

import hashlib
import json
import sys


def snapshot() -> dict:
    from django.contrib.auth import get_user_model

    from records.models import AccessLogEntry, QualityRecord, RecordFile, RecordSeries
    from sapa.documents.models import ControlledDocument, QmsForm

    records = {}
    for record in QualityRecord.objects.order_by("identifier"):
        files = []
        for entry in RecordFile.objects.filter(record=record).order_by("name", "version"):
            stored = None
            if entry.file.name and entry.file.storage.exists(entry.file.name):
                with entry.file.open("rb") as handle:
                    stored = hashlib.sha256(handle.read()).hexdigest()
            files.append(
                {
                    "name": entry.name,
                    "version": entry.version,
                    "sha256": entry.sha256,
                    "stored_sha256": stored,
                    "text_length": len(entry.text),
                }
            )
        records[record.identifier] = {
            "pk": record.pk,
            "title": record.title,
            "status": record.status,
            "files": files,
            "history": record.history.count(),
            "file_history": RecordFile.history.filter(record_id=record.pk).count(),
        }
    return {
        "records": records,
        "series": sorted(RecordSeries.objects.values_list("pk", "confidentiality")),
        "series_history": RecordSeries.history.count(),
        "documents": sorted(
            (page.pk, page.title, page.url_path)
            for page in ControlledDocument.objects.live().order_by("pk")
        ),
        "forms": QmsForm.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "access_log": AccessLogEntry.objects.count(),
    }


def main() -> None:
    sys.stdout.write(json.dumps(snapshot(), ensure_ascii=False, sort_keys=True))
