"""Files of records: stored once, never overwritten, checksummed, their text extracted."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import magic
import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import ExtractionStatus, QualityRecord, RecordFile, RecordStatus
from .common import save_with_history

SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 120
OCR_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/tiff"}
MIN_TEXT_CHARS = 20


def safe_filename(name: str, *, extension: str) -> str:
    """A file name that is safe on every file system and keeps Kazakh letters: no folders,
    no control characters, no leading dots, at most 120 characters, the right extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, _dot, ext = name.rpartition(".")
    if not stem:
        stem, ext = ext, ""
    stem = re.sub(r"[^\w\s.-]", "", stem, flags=re.UNICODE)
    stem = re.sub(r"\s+", "_", stem).strip("._-")[:MAX_NAME_LENGTH] or "file"
    if f".{ext.lower()}" != extension:
        ext = extension.lstrip(".")
    return f"{stem}.{ext.lower()}"


def printable(name: str) -> str:
    """The uploaded name as the user sent it, minus what a database or a log cannot hold."""
    return "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in name)


def sniff(upload: File) -> tuple[str, str, int]:
    """(MIME type by content, SHA-256, size), reading the file once."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    content_type = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    return content_type, digest.hexdigest(), size


def extract_text(data: bytes, content_type: str) -> tuple[str, int | None, str, str]:
    """(text, page count, status, error). A failure is reported, never raised: the file is
    kept whatever its content."""
    if content_type in {"text/plain", "text/csv", "application/json"}:
        return data.decode("utf-8", errors="replace"), None, ExtractionStatus.DONE, ""
    if content_type in {"image/png", "image/jpeg", "image/tiff"}:
        return "", 1, ExtractionStatus.OCR_QUEUED, ""
    if content_type != "application/pdf":
        return "", None, ExtractionStatus.NOT_APPLICABLE, ""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        return (
            "",
            None,
            ExtractionStatus.FAILED,
            _("The PDF could not be read (%(error)s); the file is kept as it was uploaded.")
            % {"error": error},
        )
    try:
        parts = []
        for page in pdf:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        pages = len(pdf)
    finally:
        pdf.close()
    text = "\n\f".join(parts)
    if len(text.strip()) < MIN_TEXT_CHARS and pages:
        return "", pages, ExtractionStatus.OCR_QUEUED, ""
    return text, pages, ExtractionStatus.DONE, ""


@transaction.atomic
def file_add(
    *, record: QualityRecord, upload: File, user, reason: str, name: str = ""
) -> RecordFile:
    """Store ``upload`` as the next version of the record's file ``name`` (the safe upload
    name by default). The bytes are written inside the transaction and removed again if
    anything after them fails, so the database and the file store never disagree."""
    record = QualityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == RecordStatus.DISPOSED:
        raise ValidationError(_("A disposed record takes no new files."))
    content_type, sha256, size = sniff(upload)
    limit = settings.SAPA_RECORD_MAX_UPLOAD_BYTES
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s may be uploaded.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    allowed = settings.SAPA_RECORD_ALLOWED_TYPES
    if content_type not in allowed:
        raise ValidationError(
            _("Files of type %(type)s are not accepted for records.") % {"type": content_type}
        )
    original = getattr(upload, "name", "") or "file"
    stored_name = safe_filename(original, extension=allowed[content_type])
    logical = name or stored_name
    version = (record.files.filter(name=logical).aggregate(v=Max("version"))["v"] or 0) + 1
    upload.seek(0)
    data = upload.read()
    text, pages, status, error = extract_text(data, content_type)
    entry = RecordFile(
        record=record,
        name=logical,
        version=version,
        original_name=printable(re.split(r"[\\/]", original)[-1])[:400],
        sha256=sha256,
        size=size,
        content_type=content_type,
        page_count=pages,
        text=text,
        extraction_status=status,
        extraction_error=error,
        uploaded_by=user,
    )
    entry.file.save(stored_name, ContentFile(data), save=False)
    try:
        save_with_history(entry, user=user, reason=reason)
        if status == ExtractionStatus.OCR_QUEUED:
            transaction.on_commit(lambda: _enqueue_ocr(entry.pk))
    except BaseException:
        entry.file.storage.delete(entry.file.name)
        raise
    return entry


def _enqueue_ocr(file_id: int) -> None:
    from ..tasks import ocr_record_file

    ocr_record_file.enqueue(file_id)
