"""The importer's faster page objects (pdfread/objects.py) are pdfplumber's own, value for
value: the corpus PDFs, the Word-made PDFs, the sketched layouts and a page whose MediaBox
does not start at 0 0 give the same characters, rules and images either way, and so the
same import."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from sapa.documents.importing import pdf as pdf_module
from sapa.documents.importing.pdf import pdf_to_text
from sapa.documents.importing.pdfread.objects import fast_chars

from .test_import_pdf import layouts_pdf

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
FILES = [
    SHARED / "kaznrtu_715_kp.pdf",
    SHARED / "aru_mentor_kn.pdf",
    ROOT / "tests" / "corpus" / "word" / "kaznrtu_715_kp.pdf",
    ROOT / "tests" / "corpus" / "word" / "aru_mentor_kn-typed.pdf",
]


def _shifted_layouts() -> bytes:
    """The sketched layouts with a MediaBox from 9 9 (same length: the xref stays right)."""
    data = layouts_pdf()
    assert b"/MediaBox [0 0 595 842]" in data
    return data.replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [9 9 595 842]")


def _objects(data: bytes, *, fast: bool) -> list[dict]:
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if fast:
                fast_chars(page)
            pages.append(page.objects)
    return pages


SOURCES = {path.name + ":" + path.parent.name: path.read_bytes for path in FILES}
SOURCES["layouts"] = layouts_pdf
SOURCES["layouts-shifted-mediabox"] = _shifted_layouts


@pytest.mark.parametrize("name", list(SOURCES))
def test_objects_are_pdfplumbers_own(name):
    data = SOURCES[name]()
    plain = _objects(data, fast=False)
    fast = _objects(data, fast=True)
    assert sum(len(page.get("char", [])) for page in plain) > 100
    assert len(fast) == len(plain)
    for number, (mine, theirs) in enumerate(zip(fast, plain, strict=True), start=1):
        assert mine.keys() == theirs.keys(), f"page {number}"
        for kind in theirs:
            assert mine[kind] == theirs[kind], f"page {number}: {kind}"
            # the same keys in the same order, as pdfplumber writes them
            assert [list(o) for o in mine[kind]] == [list(o) for o in theirs[kind]]


def test_shifted_mediabox_moves_the_characters():
    """The shifted page is a real test of the MediaBox offset: pdfminer moves the
    characters by the MediaBox's origin, pdfplumber (and the faster path, see above) moves
    them back across and 9 pt up (its page is 9 pt shorter)."""
    with pdfplumber.open(io.BytesIO(_shifted_layouts())) as pdf:
        assert pdf.pages[0].mediabox[0] == 9
    plain = _objects(layouts_pdf(), fast=True)[0]["char"][0]
    shifted = _objects(_shifted_layouts(), fast=True)[0]["char"][0]
    assert shifted["text"] == plain["text"]
    assert (shifted["x0"], shifted["top"]) == pytest.approx((plain["x0"], plain["top"] - 9))


@pytest.mark.parametrize("path", FILES[:2], ids=lambda p: p.name)
def test_import_text_the_same_without_the_faster_objects(path, monkeypatch):
    """What the importer reads, word for word, with pdfplumber's own objects."""
    fast = pdf_to_text(path)
    monkeypatch.setattr(pdf_module, "fast_chars", lambda page: None)
    plain = pdf_to_text(path)
    assert "ЖАЛПЫ ЕРЕЖЕЛЕР" in fast.text.upper() or "ЖАЛПЫ" in fast.text.upper()
    assert (fast.text, fast.pages, fast.register, fast.warnings) == (
        plain.text,
        plain.pages,
        plain.register,
        plain.warnings,
    )
