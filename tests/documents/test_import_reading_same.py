"""The importer's quicker text passes find exactly what the plain ones found: each is
compared here with the straightforward version it replaced, on the seeds, the Word corpus
and thousands of generated strings made of the pieces that matter (codes cut at a line
end, Latin letters inside Kazakh words, codes written every way)."""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from sapa.documents.importing import codes
from sapa.documents.importing.docx import W, _find_in, docx_to_text
from sapa.documents.importing.textparse import clean, common

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
WORD = sorted((ROOT / "tests" / "corpus" / "word").glob("*.docx"))


@cache
def real_texts() -> tuple[str, ...]:
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    texts += [docx_to_text(path).text for path in WORD]
    assert len(texts) >= 4
    return tuple(texts)


def generated(pieces: list[str], count: int = 3000, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(count)]


# --- codes cut at a line end (clean.broken_codes) ----------------------------------------


def broken_codes_plain(text: str) -> list[dict]:
    return [
        {
            "found": f"{clean.squash(m['left'])}- {clean.squash(m['right'])}",
            "joined": f"{clean.squash(m['left'])}-{clean.squash(m['right'])}",
        }
        for m in clean._BROKEN_CODE_CONTEXT_RE.finditer(text)
    ]


CUT_PIECES = ["ҚазҰТЗУ", "715", "01", "7", "-", "- ", "-\t", "\n", "\r\n", "\r", " ", "\t"]
CUT_PIECES += ["Ү", "Ф", "Y", "ы", "<", "*", "a", "2-", "\n \t"]


def test_cut_codes_in_the_documents():
    for text in real_texts():
        assert clean.broken_codes(text) == broken_codes_plain(text)
    joined = "сақталады (ҚазҰТЗУ 715-\n01 Ү) және\n713-\n 04 Ф, 12-\n3-\n4"
    assert clean.broken_codes(joined) == broken_codes_plain(joined)
    assert [c["joined"] for c in clean.broken_codes(joined)] == [
        "(ҚазҰТЗУ 715-01 Ү",
        "713-04 Ф",
        ", 12-3",
    ]


def test_cut_codes_in_generated_strings():
    for text in generated(CUT_PIECES):
        assert clean.broken_codes(text) == broken_codes_plain(text), repr(text)


# --- Latin letters inside Cyrillic words (common.mixed_script_words) ----------------------


def mixed_script_words_plain(text: str) -> list[tuple[str, str]]:
    found = []
    for word in re.findall(r"[^\W\d_]+", text):
        latin = "".join(ch for ch in word if ch.isascii())
        if latin and len(latin) < len(word):
            found.append((word, latin))
    return found


def test_mixed_script_words_the_same():
    pieces = ["Қ", "а", "A", "o", "о", "x", "ә", "1", "_", " ", "-", "K", "ſ", "é", "\u0301"]
    pieces += ["ҚазҰТЗУ", "Word", "СМЖ", "\t", "I", "І"]
    for text in [*real_texts(), *generated(pieces)]:
        assert common.mixed_script_words(text) == mixed_script_words_plain(text), repr(text)
    assert common.mixed_script_words("ҚaзҰТЗУ сапa") == [("ҚaзҰТЗУ", "a"), ("сапa", "a")]


# --- form and procedure codes (codes.form_code_re, codes.procedure_code_re) ---------------


def _without_look_ahead(pattern: re.Pattern[str], prefix: str) -> re.Pattern[str]:
    """The pattern as it was: the look-ahead put in front of it taken off again."""
    first = codes._first_char(prefix)
    for ahead in (rf"(?=[\dҮФ]|{first})", f"(?={first})"):
        if pattern.pattern.startswith(ahead):
            return re.compile(pattern.pattern[len(ahead) :])
    raise AssertionError(pattern.pattern)


PREFIXES = ["ҚазҰТЗУ", "Satbayev University", "АРУ", "", "(ОО)", "Ф-ТЕСТ", ".X"]
CODE_PIECES = ["ҚазҰТЗУ", "Satbayev", "University", "АРУ", "(ОО)", "Ф-ТЕСТ", ".X", "715-02"]
CODE_PIECES += ["715", "-", "06", "-шы", " ", "\n", "Ү", "Ф", "Y", "ҚП", "4", "x", "ы"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_code_patterns_find_the_same(prefix):
    for build in (codes.form_code_re, codes.procedure_code_re):
        quick = build(prefix)
        plain = _without_look_ahead(quick, prefix)
        for text in [*real_texts(), *generated(CODE_PIECES, count=1500)]:
            assert [(m.span(), m.groupdict()) for m in quick.finditer(text)] == [
                (m.span(), m.groupdict()) for m in plain.finditer(text)
            ], repr(text)


def test_codes_found_in_the_documents():
    found = codes.find_form_codes(real_texts()[0], "ҚазҰТЗУ")
    assert "ҚазҰТЗУ 715-01 Ү" in found
    assert codes.find_form_codes("бұл мәтінде код жоқ 12 - 3", "ҚазҰТЗУ") == []


# --- the Word reader's path look-ups (docx._find_in) --------------------------------------


def test_find_in_is_find_of_the_path():
    xml = (
        f'<w:p xmlns:w="{W}"><w:r/><w:pPr><w:jc/></w:pPr>'
        '<w:pPr><w:numPr><w:ilvl w:val="2"/></w:numPr><w:pStyle w:val="A"/></w:pPr>'
        '<w:pPr><w:pStyle w:val="B"/></w:pPr></w:p>'
    )
    p = etree.fromstring(xml)
    for tag in ("numPr", "pStyle", "outlineLvl", "jc"):
        assert _find_in(p, "pPr", tag) is p.find(f"{{{W}}}pPr/{{{W}}}{tag}")
    assert _find_in(p, "pPr", "pStyle").get(f"{{{W}}}val") == "A"
