"""Audit bundles (zip with files and manifests) and the checksum verification."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapa.documents.templatetags.documents_tags import edition_name_of
from sapa.localisation.dates import format_date, format_datetime, interface_language

from ..display import history_count, person, system_text
from ..models import AccessAction, QualityRecord, RecordFile
from ..permissions import can_export
from ..selectors import RecordFilters, file_events, find_records, form_version, history_counts
from ..storage import stored_names
from .access import log_access
from .files import safe_label

#: The manifest's columns: the key of manifest.json, the heading of manifest.csv (in the
#: language of the person who exports).
MANIFEST_COLUMNS = [
    ("identifier", gettext_lazy("Identifier")),
    ("title", gettext_lazy("Title")),
    ("series", gettext_lazy("Records series")),
    ("form", gettext_lazy("Form")),
    ("form_revision", gettext_lazy("Form template version")),
    ("procedure", gettext_lazy("Procedure")),
    ("edition", gettext_lazy("Edition")),
    ("unit", gettext_lazy("Unit")),
    ("period", gettext_lazy("Period")),
    ("status", gettext_lazy("Status")),
    ("confidential", gettext_lazy("confidential")),
    ("record_date", gettext_lazy("Record date")),
    ("closed_on", gettext_lazy("closed on")),
    ("retention_end", gettext_lazy("Retention")),
    ("on_hold", gettext_lazy("on hold")),
    ("files", gettext_lazy("Files")),
    ("sha256", "SHA-256"),
    ("history", gettext_lazy("History")),
    # last: a column added later, so that a spreadsheet reading the others by their place
    # reads them still
    ("organisation", gettext_lazy("Organisation")),
]


def manifest_entry(record: QualityRecord, files: list[RecordFile]) -> dict:
    history = list(record.history.order_by("history_date").select_related("history_user"))
    events = sorted([*history, *file_events(record)], key=lambda row: row.history_date)
    last = events[-1] if events else None
    # counted as the record's page counts them: its own changes, and its files'
    record_changes, file_changes = history_counts(record)
    created_by = history[0].history_user if history else None
    retention_end = record.retention_end()
    last_by = last.history_user if last else None
    return {
        "language": interface_language(),
        "identifier": record.identifier,
        "title": record.title,
        "organisation": str(record.organisation),
        "series": record.series.display_title,
        "form": record.form.code if record.form_id else "",
        "form_revision": (
            {
                "id": record.form_revision_id,
                "version": form_version(record),
                "created_at": record.form_revision.created_at.isoformat(),
            }
            if record.form_revision_id
            else None
        ),
        "procedure": record.document.code if record.document_id else "",
        "edition": edition_name_of(record.edition) if record.edition_id else "",
        "unit": str(record.unit),
        "period": record.period_display,
        "status": record.get_status_display(),
        "status_code": record.status,
        "confidential": record.is_confidential,
        # what an auditor checks the retention by (the manifest had none of it: a tester)
        "record_date": record.record_date.isoformat() if record.record_date else None,
        "period_start": record.period_start.isoformat(),
        "period_end": record.period_end.isoformat(),
        "closed_on": record.closed_on.isoformat() if record.closed_on else None,
        "retention_end": retention_end.isoformat() if retention_end else None,
        "on_hold": record.is_on_hold,
        "disposed_at": record.disposed_at.isoformat() if record.disposed_at else None,
        "files": [
            {
                "path": bundle_path(record, entry),
                "name": entry.name,
                "version": entry.version,
                "sha256": entry.sha256,
                "size": entry.size,
                "removed": entry.removed_at is not None,
            }
            for entry in files
        ],
        "history": {
            "changes": len(events),  # every entry its history page lists
            "record_changes": record_changes,
            "file_changes": file_changes,
            "created_by": created_by.get_username() if created_by else "",
            "created_by_name": person(created_by),
            "last_changed_at": last.history_date.isoformat() if last else None,
            "last_changed_by": last_by.get_username() if last_by else "",
            "last_changed_by_name": person(last_by),
            "last_changed_on": format_datetime(last.history_date) if last else "",
            "last_reason": system_text(last.history_change_reason or "") if last else "",
        },
    }


def history_summary(history: dict) -> str:
    """ "2 changes; 1 change of its files; the last on «08» июля 2016 г., 14:05 by Қайрат
    Жазбаев: reason", counted and named as the record's page does, in the language of the
    person who exports."""
    changes = history_count(history["record_changes"], history["file_changes"])
    if not history["last_changed_on"]:
        return changes
    return _("%(changes)s; the last on %(when)s by %(who)s: %(reason)s") % {
        "changes": changes,
        "when": history["last_changed_on"],
        "who": history["last_changed_by_name"] or _("system"),
        "reason": history["last_reason"],
    }


def _day(iso: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(iso) if iso else None


def bundle_path(record: QualityRecord, entry: RecordFile) -> str:
    folder = record.identifier.replace("/", "_")
    stem, _dot, ext = (safe_label(entry.name) or "file").rpartition(".")  # never "../"
    return f"files/{folder}/{stem or entry.name}.v{entry.version}.{ext or 'bin'}"


def records_export(*, user, out, filters: RecordFilters, request=None) -> int:
    """Write a zip to ``out`` (path or binary file) with the records ``user`` may see under
    ``filters``: their files, manifest.json and manifest.csv, written in the active language
    (the one of the person who asks; each entry of manifest.json names it, its keys and
    ``status_code`` stay codes). Logged with the records it holds. Returns the count."""
    if not can_export(user):
        raise PermissionDenied
    records = list(
        find_records(user, filters)
        .select_related("series", "organisation")
        .prefetch_related("files")
    )
    manifest = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for record in records:
            files = list(record.files.order_by("name", "version"))
            for entry in files:
                if entry.removed_at is None and entry.file:
                    with entry.file.open("rb") as stored:
                        bundle.writestr(bundle_path(record, entry), stored.read())
            manifest.append(manifest_entry(record, files))
        bundle.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        text = io.StringIO()
        writer = csv.writer(text)
        # each heading capitalised, as a column's name ("confidential" is also a mark's word)
        writer.writerow([capfirst(str(heading)) for _key, heading in MANIFEST_COLUMNS])
        for row in manifest:
            writer.writerow(
                [
                    row["identifier"],
                    row["title"],
                    row["series"],
                    row["form"],
                    (row["form_revision"] or {}).get("version", ""),
                    row["procedure"],
                    row["edition"],
                    row["unit"],
                    row["period"],
                    row["status"],
                    _("Yes") if row["confidential"] else "",
                    format_date(record_day) if (record_day := _day(row["record_date"])) else "",
                    format_date(closed) if (closed := _day(row["closed_on"])) else "",
                    format_date(kept) if (kept := _day(row["retention_end"])) else "",
                    _("Yes") if row["on_hold"] else "",
                    " ".join(f["path"] for f in row["files"]),
                    " ".join(f["sha256"] for f in row["files"]),
                    history_summary(row["history"]),
                    row["organisation"],
                ]
            )
        bundle.writestr("manifest.csv", "\ufeff" + text.getvalue())
    log_access(
        request=request,
        user=user,
        action=AccessAction.EXPORT,
        count=len(records),
        filters={k: str(v) for k, v in filters.__dict__.items() if v},
        # which records left, the confidential ones marked: the log named only how many
        records=[
            {
                "id": record.pk,
                "identifier": record.identifier,
                "organisation_id": record.organisation_id,
                "confidential": record.is_confidential,
            }
            for record in records
        ],
    )
    return len(records)


@dataclass
class VerifyReport:
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Files in the store that no record file refers to (planted, or left behind).
    unreferenced: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.missing and not self.unreferenced


def records_verify() -> VerifyReport:
    """Recompute the SHA-256 of every stored file and compare it with the record's."""
    report = VerifyReport()
    for entry in (
        RecordFile.objects.filter(removed_at__isnull=True).select_related("record").iterator()
    ):
        report.checked += 1
        label = f"{entry.record.identifier} {entry.name} v{entry.version} ({entry.file.name})"
        if not entry.file.name or not entry.file.storage.exists(entry.file.name):
            report.missing.append(label)
            continue
        digest = hashlib.sha256()
        with entry.file.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry.sha256:
            report.mismatched.append(label)
    known = set(
        RecordFile.objects.filter(removed_at__isnull=True)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    report.unreferenced = [name for name in stored_names() if name not in known]
    return report
