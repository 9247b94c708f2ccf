"""Files of records: stored once, never overwritten, checksummed, their text extracted."""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import docx
import magic
import pdfplumber
import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from docx.table import Table
from pdfminer.pdfdocument import PDFEncryptionError
from PIL import Image

from sapa.documents.importing.docx import MAX_UNPACKED

from ..models import ExtractionStatus, QualityRecord, RecordFile, RecordStatus
from .common import save_with_history

SNIFF_BYTES = 8192
# A Word 97-2003 (.doc) or Excel 97-2003 (.xls) file is a container whose head says only
# "OLE storage": what it holds is named in its directory, which may lie anywhere in it. Every
# .doc a tester uploaded was refused as "application/x-ole-storage". Such a file is read again,
# up to libmagic's own limit (7 MiB), to be told which it is.
CONTAINER_TYPES = frozenset({"application/x-ole-storage", "application/CDFV2"})
CONTAINER_SNIFF_BYTES = 7 * 1024 * 1024
# What a refused file is, said in words (any other by its MIME type).
_PROGRAM = ("application/x-dosexec", "application/x-executable", "application/x-msdownload")
_ARCHIVE = (
    "application/zip",
    "application/x-rar",
    "application/x-7z-compressed",
    "application/gzip",
    "application/x-tar",
)
MAX_NAME_LENGTH = 120
# ext4, XFS and most file systems hold 255 BYTES a name; a Kazakh letter takes 2 bytes in
# UTF-8, a CJK character 3. 8 bytes are left for the "_abc1234" the storage appends to a
# name that is taken.
MAX_NAME_BYTES = 247
# The logical name (``RecordFile.name``, max_length 200) people see and download under.
MAX_LABEL_LENGTH = 200
OCR_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/tiff"}
MIN_TEXT_CHARS = 20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Names Windows keeps for devices: an exported bundle opened there must not meet them.
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def _hidden(ch: str) -> bool:
    """Control, format (bidi overrides, zero-width), surrogate, private or unassigned."""
    return unicodedata.category(ch)[0] == "C"


def cut_to_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, never in the middle of a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def safe_filename(name: str, *, extension: str) -> str:
    """A file name that is safe on every file system and keeps Kazakh letters and "№": no
    folders, no control characters, no leading dots, no Windows device name, at most 120
    characters and 247 bytes of UTF-8 (cut between characters), the right extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not _hidden(ch))
    stem, _dot, ext = name.rpartition(".")
    if not stem:
        stem, ext = ext, ""
    if f".{ext.lower()}" != extension:
        ext = extension.lstrip(".")
    ext = ext.lower()
    stem = re.sub(r"[^\w\s.№-]", "", stem, flags=re.UNICODE)  # "№" is no \w: kept by name
    stem = re.sub(r"\s+", "_", stem).strip("._-")[:MAX_NAME_LENGTH]
    stem = cut_to_bytes(stem, MAX_NAME_BYTES - len(ext.encode()) - 1).rstrip("._-") or "file"
    first, dot, rest = stem.partition(".")
    if first.lower() in WINDOWS_RESERVED:
        stem = f"{first}_{dot}{rest}"
    return f"{stem}.{ext}"


def safe_label(name: str) -> str:
    """The logical name a file is shown and downloaded under, typed by a person or taken from
    the upload: its last path part only, without control characters or bidi overrides (which
    would make "fdp.exe" read as "exe.pdf"), spaces collapsed, no leading dots, at most 200
    characters. Empty when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not _hidden(ch))
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_LABEL_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_LABEL_LENGTH - len(ext) - 1].rstrip() + dot + ext
        else:
            name = name[:MAX_LABEL_LENGTH].rstrip()
    return name


def download_name(entry: RecordFile) -> str:
    """The name a download is saved under: the logical name, made safe again (rows filed
    before names were cleaned), ending in the extension of what the file really is, so
    "plan.exe" that holds a PDF is saved as "plan.exe.pdf"."""
    label = safe_label(entry.name) or "file"
    extension = settings.SAPA_RECORD_ALLOWED_TYPES.get(entry.content_type, "")
    if extension and not label.lower().endswith(extension):
        label += extension
    return label


def printable(name: str) -> str:
    """The uploaded name as the user sent it, minus what a database or a log cannot hold:
    control and format characters (bidi overrides among them) are shown as U+FFFD."""
    return "".join("\ufffd" if _hidden(ch) else ch for ch in name)


def escaped(name: str) -> str:
    """``name`` for a terminal or a log: control and format characters, and bytes that were
    no UTF-8 (surrogate escapes), written as ``\\x1b``, ``\\u202e``; nothing that moves the
    cursor, colours the screen or reverses the text."""
    out = []
    for ch in name:
        if not _hidden(ch):
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ascii(ch)[1:-1])
    return "".join(out)


def size_text(size: int, *, up: bool = False) -> str:
    """``size`` in the reader's units ("73.4 МБ", "50 МБ"): one decimal, none when it is
    ".0"; ``up`` rounds up, so a file over a limit never reads as the limit itself."""
    # Django's own catalogues translate these units ("%s МБ", "%s МБ").
    factor, unit = next(
        ((f, u) for f, u in ((1024**3, "%s GB"), (1024**2, "%s MB"), (1024, "%s KB")) if size >= f),
        (1, ""),
    )
    if not unit:
        return filesizeformat(size)
    value = size / factor
    tenths = math.ceil(value * 10 - 1e-9) if up else round(value * 10)
    number = formats.number_format(tenths / 10, 0 if tenths % 10 == 0 else 1)
    return _(unit) % number


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
    if content_type in CONTAINER_TYPES and size > len(head):
        content_type = magic.from_buffer(upload.read(CONTAINER_SNIFF_BYTES), mime=True)
        upload.seek(0)
    return content_type, digest.hexdigest(), size


def refused_type(content_type: str) -> str:
    """Why a file of ``content_type`` is refused, in words a keeper reads: what it is, and
    which files are taken (from ``SAPA_RECORD_ALLOWED_TYPES``): "application/x-ole-storage
    is not accepted" told a tester nothing, nor which files were."""
    if content_type in _PROGRAM or content_type.startswith("application/x-sharedlib"):
        kind = _("a program")
    elif content_type in _ARCHIVE:
        kind = _("an archive")
    elif content_type == "text/html":
        kind = _("a web page")
    elif content_type in CONTAINER_TYPES:
        kind = _("an Office 97-2003 file of another kind than Word or Excel")
    elif content_type == "application/octet-stream":  # what libmagic calls what it cannot tell
        kind = _("of a kind not recognised")
    else:
        kind = content_type
    accepted = ", ".join(dict.fromkeys(settings.SAPA_RECORD_ALLOWED_TYPES.values()))
    return _("This file (%(kind)s) is not accepted for records. Accepted: %(accepted)s.") % {
        "kind": kind,
        "accepted": accepted,
    }


def extract_text(data: bytes, content_type: str) -> tuple[str, int | None, str, str]:
    """(text, page count, status, error). A failure is reported, never raised (a PDF that does
    not open is refused before, see ``unreadable``)."""
    if content_type in {"text/plain", "text/csv", "application/json"}:
        return data.decode("utf-8", errors="replace"), None, ExtractionStatus.DONE, ""
    if content_type in {"image/png", "image/jpeg", "image/tiff"}:
        return "", 1, ExtractionStatus.OCR_QUEUED, ""
    if content_type == DOCX_TYPE:
        return _docx_extract(data)
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
        # Little or no text layer: a scan, perhaps stamped with a line of text. What text
        # there is stays (found at once, and kept beside what OCR reads of the other pages).
        return text.strip(), pages, ExtractionStatus.OCR_QUEUED, ""
    return text, pages, ExtractionStatus.DONE, ""


def _docx_extract(data: bytes) -> tuple[str, int | None, str, str]:
    """A filled Word form's text, found and indexed like a PDF's; see ``docx_text``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:  # the importer's limit: no filled form, a zip bomb
            raise ValueError(f"{unpacked // (1024 * 1024)} MB unpacked")
        text = docx_text(data)
    except Exception as error:  # zipfile, lxml and python-docx raise many kinds for a broken file
        return (
            "",
            None,
            ExtractionStatus.FAILED,
            _(
                "The Word document could not be read (%(error)s); the file is kept as it was "
                "uploaded."
            )
            % {"error": f"{type(error).__name__}: {error}"[:300]},
        )
    if not text.strip():
        return "", None, ExtractionStatus.NOT_APPLICABLE, ""
    return text, None, ExtractionStatus.DONE, ""


# What ocrmypdf wrote for a page with a text layer (--skip-text); kept in texts before
# ``records.tasks`` took it out, and taken out of them by ``read_again``.
SKIPPED_PAGES = re.compile(r"\[OCR skipped on page\(s\) [\d, -]+\]")


@dataclass
class ReadAgain:
    """What ``read_again`` did (or, for a dry run, would do), a line per file."""

    read: list[str] = field(default_factory=list)  # text read now
    failed: list[str] = field(default_factory=list)  # read now as failed, with the reason
    cleaned: list[str] = field(default_factory=list)  # OCR's page markers taken out
    missing: list[str] = field(default_factory=list)  # not in the store: left as they are


def read_again(*, dry_run: bool = False) -> ReadAgain:
    """The text of the files an earlier Sapa could not read: Word files filed before their
    text was read (kept as "no text to extract"), read now as a new upload is; and texts that
    still hold ocrmypdf's "[OCR skipped on page(s) 1]", without it. Disposed-of files are
    left alone. Each file changes in one transaction, in its history (no user: the
    command's), so search finds the text as it finds an upload's."""
    report = ReadAgain()
    live = RecordFile.objects.filter(removed_at__isnull=True).select_related("record")
    unread = live.filter(extraction_status=ExtractionStatus.NOT_APPLICABLE, content_type=DOCX_TYPE)
    for entry in unread.iterator():
        label = _file_label(entry)
        if not entry.file.name or not entry.file.storage.exists(entry.file.name):
            report.missing.append(label)
            continue
        with entry.file.open("rb") as stored:
            text, _pages, status, error = extract_text(stored.read(), entry.content_type)
        if status == ExtractionStatus.NOT_APPLICABLE:
            continue  # still nothing to read
        (report.read if status == ExtractionStatus.DONE else report.failed).append(label)
        if not dry_run:
            _write_text(entry.pk, text, status, error, ExtractionStatus.NOT_APPLICABLE)
    for entry in live.filter(text__contains="[OCR skipped on page(s) ").iterator():
        if not SKIPPED_PAGES.search(entry.text):
            continue
        report.cleaned.append(_file_label(entry))
        if not dry_run:
            parts = (SKIPPED_PAGES.sub("", part).strip() for part in entry.text.split("\n\f"))
            text = "\n\f".join(part for part in parts if part)
            _write_text(entry.pk, text, entry.extraction_status, entry.extraction_error, None)
    return report


def _file_label(entry: RecordFile) -> str:
    return f"{entry.record.identifier} {entry.name} v{entry.version}"


def _write_text(pk: int, text: str, status: str, error: str, was: str | None) -> None:
    """The file's text and status, unless it changed meanwhile (disposed of, or read by
    another run: ``was``, the status it was read under)."""
    with transaction.atomic():
        entry = RecordFile.objects.select_for_update().get(pk=pk)
        if entry.removed_at or (was is not None and entry.extraction_status != was):
            return
        entry.text, entry.extraction_status, entry.extraction_error = text, status, error
        save_with_history(entry, user=None, reason=_("Text read again (records_read_again)"))


def docx_text(data: bytes) -> str:
    """The body of a .docx in document order: each paragraph a line, each table row a line of
    tab-separated cells (a merged cell once), tables inside cells in their place. Headers
    and footers are page furniture and are left out, as the importer leaves them out."""
    lines: list[str] = []

    def read(container) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                # A merged cell is one <w:tc> that python-docx gives at every grid position it
                # covers; the elements are kept, so each is compared as itself.
                seen: set = set()
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        cells.append(cell)
                    texts = [cell_text(cell) for cell in cells]
                    if any(texts):
                        lines.append("\t".join(texts).rstrip("\t"))
            else:
                lines.append(block.text)

    def cell_text(cell) -> str:
        before = len(lines)
        read(cell)
        inner = lines[before:]
        del lines[before:]
        return " ".join(line.strip() for line in inner if line.strip())

    read(docx.Document(io.BytesIO(data)))
    return "\n".join(lines).strip()


def _why_unopened(data: bytes) -> str:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                return _("The PDF has no pages.")
    except Exception as error:  # pdfminer raises many kinds for a broken file
        inner = error.args[0] if error.args else error
        if isinstance(inner, PDFEncryptionError) or "password" in repr(inner).casefold():
            return _(
                "The PDF is protected by a password: a record must stay readable without "
                "it. Remove the protection and upload the file again."
            )
    return _(
        "The PDF cannot be opened: the file is damaged or was cut short on the way. "
        "Save it as PDF again and upload it again."
    )


def unreadable(data: bytes, content_type: str) -> str:
    """Why a PDF or an image cannot be kept as a record's copy ("" when it can be read). A
    record file is never deleted, so a damaged, cut-short or locked upload is refused at the
    door instead of staying for the whole retention period as a copy nobody can open."""
    if content_type == "application/pdf":
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            # PDFium's error code is the last one it set, maybe for another file: pdfminer
            # says whether the file is locked or has an empty page tree.
            return _why_unopened(data)
        try:
            if len(pdf) == 0:
                return _("The PDF has no pages.")
        finally:
            pdf.close()
    elif content_type in {"image/png", "image/jpeg", "image/tiff"}:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Image.DecompressionBombError:
            return _(
                "The image has too many pixels to be read safely; scan it at a lower resolution."
            )
        except Exception:  # Pillow raises many kinds for a broken image
            return _("The image cannot be opened: the file is damaged or was cut short on the way.")
    return ""


def current_file_names(record: QualityRecord) -> list[str]:
    """The names of the record's files whose latest version is not removed: what a new
    version may be added to."""
    latest: dict[str, RecordFile] = {}
    for entry in record.files.order_by("name", "version"):
        latest[entry.name] = entry
    return [name for name, entry in latest.items() if entry.removed_at is None]


def current_versions(files) -> set[int]:
    """The ids of ``files`` that are their name's latest version, not removed."""
    latest: dict[str, RecordFile] = {}
    for entry in files:
        if entry.name not in latest or entry.version > latest[entry.name].version:
            latest[entry.name] = entry
    return {entry.pk for entry in latest.values() if entry.removed_at is None}


def _accepted(upload: File) -> tuple[str, str, int, bytes]:
    """The content type, SHA-256, size and bytes of ``upload``; a ``ValidationError`` saying
    why it is refused when it is empty, too big, of a type not taken or unreadable."""
    content_type, sha256, size = sniff(upload)
    limit = settings.SAPA_RECORD_MAX_UPLOAD_BYTES
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s may be uploaded.")
            % {"size": size_text(size, up=True), "limit": size_text(limit)}
        )
    if content_type not in settings.SAPA_RECORD_ALLOWED_TYPES:
        raise ValidationError(refused_type(content_type))
    upload.seek(0)
    data = upload.read()
    problem = unreadable(data, content_type)
    if problem:
        raise ValidationError(problem)
    return content_type, sha256, size, data


def upload_refusal(upload: File) -> str:
    """Why ``upload`` would be refused by ``file_add`` whatever the record ("" when it would
    not): said before a record is filed that is not filed yet for another reason, so that the
    person chooses a file that will do the next time."""
    try:
        _accepted(upload)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@transaction.atomic
def file_add(
    *, record: QualityRecord, upload: File, user, reason: str, name: str = ""
) -> RecordFile:
    """Store ``upload`` as the next version of the record's file ``name`` (the safe upload
    name by default). An empty, too big, unaccepted or unreadable file is refused with a
    ``ValidationError`` saying why, before anything is written. The bytes are written inside
    the transaction and removed again if anything after them fails, so the database and the
    file store never disagree. ``original_name`` keeps the name as uploaded (its last path
    part, control characters shown as U+FFFD) for the history; ``name`` is what people see
    and download (``safe_label``), the stored file's name is ``safe_filename``."""
    record = QualityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == RecordStatus.DISPOSED:
        raise ValidationError(_("A disposed record takes no new files."))
    content_type, sha256, size, data = _accepted(upload)
    original = getattr(upload, "name", "") or "file"
    stored_name = safe_filename(
        original, extension=settings.SAPA_RECORD_ALLOWED_TYPES[content_type]
    )
    logical = safe_label(name) or stored_name
    latest = record.files.filter(name=logical).order_by("-version").first()
    if latest is not None and latest.removed_at is None and latest.sha256 == sha256:
        # A tester uploaded the same file again: version 2 the same bytes as version 1.
        raise ValidationError(
            _("This file is the same as version %(version)s of «%(name)s»: nothing was added.")
            % {"version": latest.version, "name": logical}
        )
    version = (latest.version if latest is not None else 0) + 1
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
