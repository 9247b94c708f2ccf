"""Background work of the records app (django-tasks, database queue)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ExtractionStatus, RecordFile
from .services.common import save_with_history

OCR_LANGUAGES = "kaz+rus"


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None


@task(backend="background")
def ocr_record_file(file_id: int) -> str:
    """OCR a scanned file (ocrmypdf with tesseract's Kazakh and Russian data) and keep its
    text. A failure is written on the file, never lost, and the record stays as it was."""
    entry = RecordFile.objects.get(pk=file_id)
    if entry.extraction_status != ExtractionStatus.OCR_QUEUED or not entry.file or entry.removed_at:
        return entry.extraction_status
    if not ocr_available():
        return _finish(
            entry, "", ExtractionStatus.FAILED, _("OCR is not installed on this server.")
        )
    with tempfile.TemporaryDirectory(prefix="sapa-ocr-") as folder:
        source = Path(folder) / "in"
        with entry.file.open("rb") as stored:
            source.write_bytes(stored.read())
        sidecar = Path(folder) / "text.txt"
        command = [
            "ocrmypdf",
            "--quiet",
            "--language",
            OCR_LANGUAGES,
            "--sidecar",
            str(sidecar),
            # Only the text is kept: no output PDF is written (a fifth less time).
            "--output-type",
            "none",
            "--skip-text",
        ]
        if entry.content_type != "application/pdf":
            command += ["--image-dpi", "300"]
        command += [str(source), "-"]
        # Tesseract on one thread (unless the server's environment says otherwise): ocrmypdf
        # gives a short scan's page several OpenMP threads, which spin while they wait for a
        # core. Beside the site's other processes a one-page scan then took 2 to 7 s and twice
        # the CPU, against 1 to 4 s on one thread; on an idle machine, 0.6 s either way.
        env = {"OMP_THREAD_LIMIT": "1", **os.environ}
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False, env=env
        )
        if run.returncode != 0 or not sidecar.exists():
            message = (run.stderr or run.stdout or "").strip().splitlines()[-1:] or [""]
            return _finish(
                entry, "", ExtractionStatus.FAILED, _("OCR failed: %(m)s") % {"m": message[0]}
            )
        return _finish(entry, sidecar.read_text(encoding="utf-8"), ExtractionStatus.DONE, "")


def _finish(entry: RecordFile, text: str, status: str, error: str) -> str:
    with transaction.atomic():
        entry = RecordFile.objects.select_for_update().get(pk=entry.pk)
        if entry.removed_at:  # disposed of while OCR ran: its text must not come back
            return entry.extraction_status
        entry.text = text
        entry.extraction_status = status
        entry.extraction_error = error
        save_with_history(entry, user=None, reason="OCR")
    return status
