"""A scanned record (no text layer) is OCR'd in the background in Kazakh and Russian."""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from records.display import OCR_REASON, system_text
from records.models import ExtractionStatus
from records.selectors import history_counts
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ["Эдвайзердің жұмыс жоспары", "Жатақханаға бару кестесі", "План работы эдвайзера"]


def scanned_pdf() -> bytes:
    page = Image.new("L", (2480, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 64)
    for n, line in enumerate(LINES):
        draw.text((200, 300 + n * 160), line, font=font, fill=0)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=300)
    return out.getvalue()


@pytest.fixture
def ocr_installed():
    if shutil.which("ocrmypdf") and os.path.exists(FONT):
        return
    if os.environ.get("CI"):
        pytest.fail("ocrmypdf, tesseract-ocr-kaz/rus and fonts-dejavu-core must be installed on CI")
    pytest.skip("ocrmypdf is not installed here (make test installs it)")


def ocr_in_the_background(entry) -> str:
    """The background worker runs the queued OCR; the file's text afterwards, one space."""
    call_command("db_worker", "--batch", "--backend", "background", "--no-startup-delay")
    entry.refresh_from_db()
    assert entry.extraction_status == ExtractionStatus.DONE, entry.extraction_error
    return " ".join(entry.text.split())


def test_scanned_pdf_is_read_by_ocr_in_the_background(world, ocr_installed):
    record = make_record(world)
    entry = attach(record, scanned_pdf(), "скан.pdf", user=world.users["keeper"])
    entry.refresh_from_db()
    assert entry.extraction_status == ExtractionStatus.OCR_QUEUED
    assert entry.page_count == 1 and entry.text == ""

    text = ocr_in_the_background(entry)
    assert "Эдвайзердің жұмыс жоспары" in text
    assert "Жатақханаға" in text
    assert "План работы" in text
    assert entry.history.latest().history_change_reason == OCR_REASON
    # Read, not changed: the file's changes counted are its upload alone, and the history
    # names the reading in the reader's language (it said "OCR", taken for a change).
    assert history_counts(record)[1] == 1
    with translation.override("ru"):
        assert system_text(OCR_REASON) == system_text("OCR")
        assert system_text("OCR") == "Текст прочитан со скана (OCR); файл не изменён"


def test_ocr_failure_is_written_on_the_file_and_the_record_stays(world, ocr_installed, monkeypatch):
    monkeypatch.setattr("records.tasks.OCR_LANGUAGES", "xxx")  # a language tesseract lacks
    record = make_record(world)
    entry = attach(record, scanned_pdf(), "скан.pdf", user=world.users["keeper"])
    call_command("db_worker", "--batch", "--backend", "background", "--no-startup-delay")
    entry.refresh_from_db()
    assert entry.extraction_status == ExtractionStatus.FAILED
    assert "OCR" in entry.extraction_error
    assert entry.file.open("rb").read().startswith(b"%PDF")


def test_a_scan_with_a_line_of_text_keeps_that_text_beside_what_ocr_reads(
    world, ocr_installed, client
):
    """A scanned page behind a page that only carries a line of real text (a cover sheet):
    the line is kept and found at once; OCR reads the scan and leaves the text page alone,
    which its sidecar only marks as "[OCR skipped on page(s) 1]"."""
    import pypdfium2 as pdfium
    import weasyprint

    cover = pdfium.PdfDocument(weasyprint.HTML(string="<p>Хаттама №12</p>").write_pdf())
    scan = pdfium.PdfDocument(scanned_pdf())
    cover.import_pages(scan)
    both = io.BytesIO()
    cover.save(both)
    scan.close()
    cover.close()
    record = make_record(world)
    entry = attach(record, both.getvalue(), "хаттама.pdf", user=world.users["keeper"])
    entry.refresh_from_db()
    assert entry.extraction_status == ExtractionStatus.OCR_QUEUED
    assert entry.page_count == 2 and entry.text == "Хаттама №12"

    text = ocr_in_the_background(entry)
    assert text.startswith("Хаттама №12 ")
    assert "Эдвайзердің жұмыс жоспары" in text
    assert "OCR skipped" not in text
    # The auditor finds the record by the line and by what OCR read.
    client.force_login(world.users["auditor"])
    for words in ("Хаттама", "эдвайзердің жұмыс жоспары"):
        listing = client.get("/records/", {"q": words}).content.decode()
        assert record.identifier in listing, words
