"""The PDF importer against office layouts the corpus does not have, made at test time.

shared/corpus/README.md: the two corpus PDFs "are a floor, not the target: office PDFs of
this kind come in other fonts, margins and layouts (a running header drawn as a table,
headings as Word styles, an approval sheet as a borderless table, an empty register of
ruled rows, codes broken across lines as "715-" / "01")". Here the 715 procedure, its
text taken from the seed, is written as .docx in such layouts (python-docx) and turned
into PDF by LibreOffice, once per test session; each PDF must import to the structure
shared/corpus/kaznrtu_715_kp.json describes, as the corpus PDF does: every field is compared
in test_import_fields.py; here is what only these layouts bring.

Needs python-docx and LibreOffice Writer (Debian: libreoffice-writer-nogui, with
fonts-dejavu-core and fonts-liberation). Without ``soffice`` the tests skip, or fail when
the environment variable CI is set.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from sapa.documents.importing.pdf import PdfText, parse_pdf, pdf_to_text

from .conftest import LAYOUT_NAMES
from .test_import_fields import changed_by_layout as _changed_by_layout
from .test_import_pdf import _blocks, _unnumbered, expected, from_seed, norm

VARIANTS = list(LAYOUT_NAMES)
EACH = pytest.mark.parametrize("variant", VARIANTS)


@pytest.fixture
def got(variant_pdfs, variant) -> dict:
    return _parsed(variant_pdfs[variant])


@pytest.fixture
def read(variant_pdfs, variant) -> PdfText:
    return _read(variant_pdfs[variant])


@functools.cache
def _parsed(path: Path) -> dict:
    return parse_pdf(path)


@functools.cache
def _read(path: Path) -> PdfText:
    return pdf_to_text(path)


def _section(result: dict, number: str) -> dict:
    return next(s for s in result["sections"] if s["number"] == number)


# --- what the reader itself gives ---------------------------------------------------------------


@EACH
def test_no_page_furniture_left(variant, read):
    text = read.text
    assert "беттің" not in text and "-беті" not in text
    assert "2016 жылғы «08» 07 №1 басылым\t" not in text
    assert not re.search(r"(?m)^\d{1,2}$", text), "a bare page number left from the footer"
    if variant in ("header_table", "approval_table", "empty_register"):
        assert any("колонтитул" in w and "алынып тасталды" in w for w in read.warnings)


@EACH
def test_paragraph_text(variant, read):
    text = read.text
    assert "\n\n" in text and "\n\n\n" not in text
    assert "\n- өтініш (еркін түрде);\n- отбасының құрамы туралы анықтама;\n" in text
    assert "Тіркеу кеңсесі\t–\tТК\n" in text, "abbreviations row as 'meaning\\t–\\tabbr'"
    assert "қарым-қатынас түрі" in text and "ЖАҚСARTУ" in text, "text kept as printed"


# --- contents, sections, clauses (every field is compared in test_import_fields.py) ----------


@EACH
def test_unnumbered_paragraphs_and_subheadings(variant, got):
    want = [
        (u["title"], norm(re.sub(r"(^|\n)– ", " ", u["text"])))
        for u in expected("715")["units"]
        if not u["number"]
    ]
    chunks = _unnumbered(got)
    if _changed_by_layout(variant):  # 6.1's list, printed as a table, reads as a paragraph
        chunks = [c for c in chunks if "ҚазҰТЗУ 713-01 Ү" not in c[1]]
    assert chunks == want


@EACH
def test_blocks_equal_the_seed_import(variant, got):
    seed = from_seed("715")["sections"]
    for section_got, section_seed in zip(got["sections"], seed, strict=True):
        if section_got["number"] == "6" and _changed_by_layout(variant):
            continue
        assert _blocks(section_got) == _blocks(section_seed), f"section {section_got['number']}"


# --- codes, references, glossary, register ---------------------------------------------------


def test_codes_cut_at_their_hyphen(variant_pdfs):
    text = _read(variant_pdfs["broken_codes"]).text
    assert "(ҚазҰТЗУ 715-01 Ү) анықтама беріледі" in text, "manual line break after '715-'"
    assert "және (ҚазҰТЗУ 715-03 Ү) эдвайзерлер тізімі" in text
    assert "715- " not in text and "715-\n" not in text
    for code in ("ҚазҰТЗУ 713-01 Ү", "ҚазҰТЗУ 713-02 Ү", "ҚазҰТЗУ 713-03 Ү", "ҚазҰТЗУ 715-02 Ү"):
        assert code in text, f"{code} from its narrow table cell"
    assert "ҚазҰТЗУ 715-01 Ү" in _parsed(variant_pdfs["broken_codes"])["forms"]


def test_an_empty_register_leaves_nothing_in_the_text(variant_pdfs):
    read = _read(variant_pdfs["empty_register"])
    assert read.register == []
    assert any("8 бос жолы" in w for w in read.warnings)
    assert "Өзгерістің реттік" not in read.text and "Тегі, аты-жөні" not in read.text
