"""Why a file cannot be imported, in words a quality officer understands.

Every reader of the importer (PDF, Word .docx, text) raises ``DocumentImportError``
when a file cannot be read at all. ``str(error)`` and ``error.message`` are the Kazakh
message shown to the user, ``error.message_en`` the same in English (logs, admins), and
``error.code`` a stable key for programs ("not_pdf", "encrypted", …). Standard library
only, no Django: management commands, the admin and tests all import it.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "DocumentImportError"]


def gettext_noop(message: str) -> str:
    """Marks an English message for ``makemessages``; it is translated where it is shown
    (``service.localised``: Russian for a Russian reader), so this module needs no Django."""
    return message


#: code -> (Kazakh, English); ``{placeholders}`` are filled from ``DocumentImportError`` kwargs.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_pdf": (
        "Файл PDF құжаты емес: оның басында PDF белгісі (%PDF) жоқ. "
        "Құжатты PDF пішімінде сақтап, қайта жүктеңіз.",
        gettext_noop(
            "The file is not a PDF document: it does not start with the PDF signature (%PDF). "
            "Save the document as PDF and upload it again."
        ),
    ),
    "corrupt": (
        "PDF файлы бүлінген немесе оқылмайды ({detail}). "
        "Құжатты бастапқы бағдарламадан PDF-ке қайта сақтап көріңіз.",
        gettext_noop(
            "The PDF file is damaged or cannot be read ({detail}). "
            "Save the document to PDF again from the program it was made in."
        ),
    ),
    "encrypted": (
        "PDF файлы құпиясөзбен қорғалған (шифрланған), сондықтан оны оқу мүмкін емес. "
        "Қорғауды алып тастап, файлды қайта жүктеңіз.",
        gettext_noop(
            "The PDF file is password-protected (encrypted), so it cannot be read. "
            "Remove the protection and upload the file again."
        ),
    ),
    "empty": (
        "PDF файлында бірде-бір бет жоқ.",
        gettext_noop("The PDF file has no pages."),
    ),
    "too_many_pages": (
        "PDF файлында {pages} бет бар, ал ең көбі {max_pages} бетке рұқсат етілген. "
        "Құжатты бөліп жүктеңіз немесе шекті көбейтіңіз.",
        gettext_noop(
            "The PDF file has {pages} pages, but at most {max_pages} are allowed. "
            "Split the document or raise the limit."
        ),
    ),
    "no_text": (
        "PDF файлында мәтін қабаты жоқ: бұл сканерленген сурет сияқты ({pages} бет). "
        "Мәтінді тану (OCR, --ocr параметрі) көмектесе алады.",
        gettext_noop(
            "The PDF file has no text layer: it looks like a scanned image ({pages} page(s)). "
            "Optical character recognition (OCR, the --ocr option) can help."
        ),
    ),
    "not_text": (
        "Файл PDF емес және UTF-8 мәтіні де емес ({detail}). PDF немесе .txt файлын жүктеңіз.",
        gettext_noop(
            "The file is neither a PDF nor UTF-8 text ({detail}). Upload a PDF or a .txt file."
        ),
    ),
    "no_structure": (
        "Файлдан құжаттың бөлімдері табылмады: бұл бақыланатын құжат емес сияқты.",
        gettext_noop(
            "No sections were found in the file: it does not look like a controlled document."
        ),
    ),
    "docx_corrupt": (
        "Word файлы (.docx) бүлінген немесе оқылмайды ({detail}). "
        "Құжатты Word-та ашып, .docx пішімінде қайта сақтаңыз.",
        gettext_noop(
            "The Word file (.docx) is damaged or cannot be read ({detail}). "
            "Open the document in Word and save it as .docx again."
        ),
    ),
    "not_docx": (
        "Файл ZIP мұрағаты, бірақ Word құжаты (.docx) емес: онда word/document.xml жоқ. "
        "PDF, .docx немесе .txt файлын жүктеңіз.",
        gettext_noop(
            "The file is a ZIP archive but not a Word document (.docx): it has no "
            "word/document.xml. Upload a PDF, .docx or .txt file."
        ),
    ),
    "legacy_office": (
        "Файл Word-тың ескі пішімінде (.doc) немесе құпиясөзбен қорғалған, сондықтан оны оқу "
        "мүмкін емес. Оны Word-та құпиясөзсіз .docx пішімінде сақтап, қайта жүктеңіз.",
        gettext_noop(
            "The file is an old Word document (.doc) or a password-protected one, so it cannot "
            "be read. Save it in Word as .docx without a password and upload it again."
        ),
    ),
    "docx_too_large": (
        "Word файлы ашқанда {size} МБ болады, ал ең көбі {limit} МБ рұқсат етілген.",
        gettext_noop("The Word file unpacks to {size} MB, but at most {limit} MB are allowed."),
    ),
    "ocr_missing": (
        "Мәтінді тану (OCR) орнатылмаған: ocrmypdf және tesseract-ocr-kaz, tesseract-ocr-rus "
        "пакеттерін орнатыңыз.",
        gettext_noop(
            "OCR is not installed: install ocrmypdf with tesseract-ocr-kaz and tesseract-ocr-rus."
        ),
    ),
    "ocr_failed": (
        "Мәтінді тану (OCR) сәтсіз аяқталды: {detail}",
        gettext_noop("OCR failed: {detail}"),
    ),
}


class DocumentImportError(Exception):
    """A file the importer cannot read; ``message`` is Kazakh, ``message_en`` English."""

    def __init__(self, code: str, **details: object):
        kazakh, english = MESSAGES[code]
        self.code = code
        self.details = details
        self.message = kazakh.format(**details)
        self.message_en = english.format(**details)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
