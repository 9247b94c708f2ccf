"""Background work of the records app (django-tasks, database queue)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from sapa.documents.importing import ocr

from .display import OCR_REASON
from .models import ExtractionStatus, RecordFile
from .services.common import save_with_history
from .services.files import SKIPPED_PAGES

OCR_LANGUAGES = ocr.LANGUAGES


@task(backend="background")
def ocr_record_file(file_id: int) -> str:
    """OCR a scanned file (ocrmypdf with tesseract's Kazakh and Russian data) and keep its
    text. A failure is written on the file, never lost, and the record stays as it was."""
    entry = RecordFile.objects.get(pk=file_id)
    if entry.extraction_status != ExtractionStatus.OCR_QUEUED or not entry.file or entry.removed_at:
        return entry.extraction_status
    if not ocr.available():
        return _finish(
            entry, "", ExtractionStatus.FAILED, _("OCR is not installed on this server.")
        )
    with tempfile.TemporaryDirectory(prefix="sapa-ocr-") as folder:
        source = Path(folder) / "in"
        with entry.file.open("rb") as stored:
            source.write_bytes(stored.read())
        sidecar = Path(folder) / "text.txt"
        arguments = [
            "--sidecar",
            str(sidecar),
            # Only the text is kept: no output PDF is written (a fifth less time).
            "--output-type",
            "none",
            "--skip-text",
        ]
        if entry.content_type != "application/pdf":
            arguments += ["--image-dpi", "300"]
        run = ocr.run([*arguments, str(source), "-"], timeout=600, languages=OCR_LANGUAGES)
        if run.returncode != 0 or not sidecar.exists():
            message = (run.stderr or run.stdout or "").strip().splitlines()[-1:] or [""]
            return _finish(
                entry, "", ExtractionStatus.FAILED, _("OCR failed: %(m)s") % {"m": message[0]}
            )
        # ocrmypdf leaves a page with a text layer as it is (--skip-text) and writes
        # "[OCR skipped on page(s) 1]" for it: that page's text is the layer's, read at upload.
        read = SKIPPED_PAGES.sub("", sidecar.read_text(encoding="utf-8")).strip()
        text = "\n\f".join(part for part in (entry.text.strip(), read) if part)
        return _finish(entry, text, ExtractionStatus.DONE, "")


def _finish(entry: RecordFile, text: str, status: str, error: str) -> str:
    with transaction.atomic():
        entry = RecordFile.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_at:  # disposed of while OCR ran: its text must not come back
            return entry.extraction_status
        entry.text = text
        entry.extraction_status = status
        entry.extraction_error = error
        save_with_history(entry, user=None, reason=OCR_REASON)
    return status
