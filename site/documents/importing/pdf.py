"""A controlled document's PDF -> paragraph text -> the importer's intermediate dict.

``pdf_to_text`` opens the PDF once and reads every page once with pdfplumber (its
characters built by ``pdfread.objects.fast_chars``, the same dicts in half the time): words with
their font name and size become printed lines (tab stops as "\\t", bullets as "- "),
running headers and footers are dropped, ruled tables are read (the revision register
into data, other tables into tab-separated lines), and wrapped lines are joined into the
blank-line-separated paragraphs that ``text.parse_text`` understands. ``parse_pdf`` runs
both and merges the register rows and the warnings. A file that cannot be read at all
(not a PDF, damaged, password-protected, empty, too long, a scan without text) raises
``DocumentImportError`` with a message in Kazakh and in English.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pdfplumber
from django.utils.translation import gettext as _
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from .errors import DocumentImportError
from .pdfread.furniture import find_furniture
from .pdfread.lines import Line, build_line, group_lines, line_warnings, style_word
from .pdfread.objects import fast_chars
from .pdfread.paragraphs import GLUED_CODES, assemble, measure
from .pdfread.tables import inside, read_tables
from .text import parse_text

__all__ = ["DEFAULT_MAX_PAGES", "DocumentImportError", "PdfText", "parse_pdf", "pdf_to_text"]

DEFAULT_MAX_PAGES = 200
Source = str | os.PathLike | BinaryIO | bytes
# No "extra_attrs": grouping chars by font name would cut a word wherever the word
# processor fell back to another font for a letter (Kazakh Қ, Ә, Ө … missing from a Latin
# font) and glue such letters across spaces; size and weight come from each word's chars.
_WORD_OPTIONS = {
    "keep_blank_chars": False,
    "use_text_flow": False,
    "return_chars": True,
}


@dataclass
class PdfText:
    """The document as paragraph text, its page count, register rows and reading warnings."""

    text: str
    pages: int
    register: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Page:
    lines: list[Line]
    height: float
    chars: int
    images: int


def pdf_to_text(source: Source, *, max_pages: int = DEFAULT_MAX_PAGES) -> PdfText:
    """Read a PDF (path, bytes or binary file object) into paragraph text; see the module."""
    stream = _checked_stream(source)
    try:
        pdf = pdfplumber.open(stream)
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise _open_error(exc) from exc
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise _open_error(exc) from exc
        if count == 0:
            raise DocumentImportError("empty")
        if count > max_pages:
            raise DocumentImportError("too_many_pages", pages=count, max_pages=max_pages)
        pages, register, warnings = [], [], []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                fast_chars(page)
                read, rows, problems = _read_page(page, number)
            except DocumentImportError:
                raise
            except Exception as exc:
                raise DocumentImportError("corrupt", detail=f"page {number}: {exc}") from exc
            finally:
                page.close()
            pages.append(read)
            register += rows
            warnings += problems
    return _compose(pages, register, warnings)


def parse_pdf(
    source: Source, *, filename: str = "", max_pages: int = DEFAULT_MAX_PAGES, ocr: bool = False
) -> dict:
    """``pdf_to_text`` then ``parse_text``; adds "pages", the PDF's register rows and warnings.

    ``ocr``: the text layer was made by OCR. Its words sit wherever the scan had them, so the
    wide gaps of justified lines are spaces, not tab stops; and the Kazakh model reads the
    Roman numerals of section headings as Cyrillic letters (ІІ, Ш, ІУ), read back here."""
    if not filename and isinstance(source, (str, os.PathLike)):
        filename = Path(source).name
    glued: list[dict] = []
    collecting = GLUED_CODES.set(glued)
    try:
        read = pdf_to_text(source, max_pages=max_pages)
    finally:
        GLUED_CODES.reset(collecting)
    text = read.text
    if ocr:
        text = re.sub(r"(?<=\S)\t(?=\S)", " ", text)
        text, repaired = repair_ocr_numerals(text)
        if repaired:
            read.warnings.append(
                _("section numbers read by OCR as letters, taken as Roman numerals: %(list)s")
                % {"list": ", ".join(repaired)}
            )
    result = parse_text(text, filename=filename, glued_codes=glued)
    if read.register:
        result["register"] = read.register
    result["warnings"] = [*read.warnings, *result["warnings"]]
    result["pages"] = read.pages
    return result


# What OCR makes of Roman numerals at the head of a line, as seen on scans of the seeds:
# І, У, ү and Х for I, V, X; Ш for III, П for II; a digit 1 for I beside them (У1).
_OCR_NUMERAL = str.maketrans(
    {"І": "I", "У": "V", "Ү": "V", "ү": "V", "Х": "X", "Ш": "III", "П": "II", "Л": "L", "1": "I"}
)
_OCR_HEADING_RE = re.compile(
    r"(?m)^(?P<number>(?=[ІIУVҮүХXШПЛL1]*[^\W\d])[ІIУVҮүХXШПЛL1]{1,5})\."
    r"(?P<rest>[ \t]+[А-ЯӘҒҚҢӨҰҮҺІ].*)$"
)
_ROMAN_RE = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$|^L$")


def repair_ocr_numerals(text: str) -> tuple[str, list[str]]:
    """Section numbers OCR read as letters ("ІІ.", "Ш.", "ІУ. Ментордың құқығы") back to
    Roman numerals, where what they turn into is one; and the repairs made ("Ш → III")."""
    repaired: list[str] = []

    def numeral(match: re.Match) -> str:
        printed = match.group("number")
        roman = printed.translate(_OCR_NUMERAL)
        if roman == printed or not roman or not _ROMAN_RE.match(roman):
            return match.group(0)
        words = match.group("rest").split()
        if len(printed) == 1 and (len(words) < 2 or words[0].endswith(".")):
            return match.group(0)  # "Ш. Тастанов", "У.Б. Ержанов": an initial, not a section
        repaired.append(f"{printed} → {roman}")
        return roman + "." + match.group("rest")

    text = _OCR_HEADING_RE.sub(numeral, text)
    # A first section "I." read as the digit "1." when the next one was read as "II.".
    second = re.search(r"(?m)^II\.[ \t]+\S", text)
    if second:
        firsts = list(re.finditer(r"(?m)^1\.(?=[ \t]+[А-ЯӘҒҚҢӨҰҮҺІ])", text[: second.start()]))
        if firsts:
            at = firsts[-1].start()
            text = text[:at] + "I." + text[at + 2 :]
            repaired.insert(0, "1 → I")
    return text, repaired


def _checked_stream(source: Source) -> BinaryIO:
    """A seekable binary stream of ``source`` whose first bytes say it is a PDF."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        stream: BinaryIO = io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        stream = io.BytesIO(Path(source).read_bytes())
    elif hasattr(source, "seekable") and source.seekable():
        stream = source
    else:
        stream = io.BytesIO(source.read())
    start = stream.tell()
    head = stream.read(1024)
    stream.seek(start)
    if b"%PDF-" not in head:  # the header may follow a little junk, within 1024 bytes
        raise DocumentImportError("not_pdf")
    return stream


def _open_error(exc: Exception) -> DocumentImportError:
    """pdfminer's many exceptions -> "encrypted" or "corrupt"."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, PDFEncryptionError) or "password" in str(inner).casefold():
        return DocumentImportError("encrypted")
    detail = f"{type(inner).__name__}: {inner}" if str(inner) else type(inner).__name__
    return DocumentImportError("corrupt", detail=detail)


def _read_page(page, number: int) -> tuple[_Page, list[dict], list[str]]:
    words = [style_word(w) for w in page.extract_words(**_WORD_OPTIONS)]
    chars = sum(len(w["text"]) for w in words)
    boxes, rows, register, warnings = read_tables(page, number, first_group=number * 100)
    if boxes:
        words = [w for w in words if not inside(w, boxes)]
    lines = [build_line(group, number, i) for i, group in enumerate(group_lines(words), start=1)]
    lines = sorted([*lines, *rows], key=lambda line: line.top)
    for line in lines:
        warnings += line_warnings(line)
    return _Page(lines, float(page.height), chars, len(page.images)), register, warnings


def _compose(pages: list[_Page], register: list[dict], warnings: list[str]) -> PdfText:
    if not any(page.chars for page in pages):
        raise DocumentImportError("no_text", pages=len(pages))
    for number, page in enumerate(pages, start=1):
        if not page.chars:
            if page.images:
                warnings.append(
                    _("page %(page)s: no text layer (a scanned image?); OCR (--ocr) can read it")
                    % {"page": number}
                )
            else:
                warnings.append(_("page %(page)s: no text layer") % {"page": number})
    drop, furniture_warnings = find_furniture(
        [page.lines for page in pages], [page.height for page in pages]
    )
    lines = [line for page in pages for line in page.lines if id(line) not in drop]
    text = assemble(lines, measure(lines))
    return PdfText(text, len(pages), register, [*furniture_warnings, *warnings])
