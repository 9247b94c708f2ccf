"""The plain-text importer against the two seed documents and their expected structure.

The seeds (shared/seeds) are the text of the corpus PDFs; shared/corpus/*.json say what a
correct import finds in them, compared field by field in test_import_fields.py for the
seeds and the PDFs alike. Here is what only plain text has: blank lines, bullets, page-break
joins, the quirks reported, and the code finder.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from sapa.documents.importing.codes import (
    find_form_codes,
    find_procedure_codes,
    normalise_form_code,
    split_document_code,
)
from sapa.documents.importing.text import parse_text

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = {"715": "000_3e6beb1bcf47969b.txt", "mentor": "001_80f74c00af075fd3.txt"}
EXPECTED = {"715": "kaznrtu_715_kp.json", "mentor": "aru_mentor_kn.json"}
DOCS = pytest.mark.parametrize("doc", ["715", "mentor"])
CLAUSE_NUMBER = re.compile(r"^\d+(?:\.\d+)+$")


def seed_text(doc: str) -> str:
    return (SHARED / "seeds" / SEEDS[doc]).read_text(encoding="utf-8")


@functools.cache
def parsed(doc: str) -> dict:
    return parse_text(seed_text(doc), filename=SEEDS[doc])


@functools.cache
def expected(doc: str) -> dict:
    return json.loads((SHARED / "corpus" / EXPECTED[doc]).read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def section(doc: str, number: str) -> dict:
    return next(s for s in parsed(doc)["sections"] if s["number"] == number)


def clause(doc: str, section_number: str, number: str) -> dict:
    return next(c for c in section(doc, section_number)["clauses"] if c["number"] == number)


def numbered_units(doc: str) -> list[dict]:
    return [u for u in expected(doc)["units"] if u["number"]]


# --- title page and approval sheet -------------------------------------------------------


def test_kazakh_letters_survive():
    got = parsed("715")
    assert "Қ" in got["title_as_printed"] and "Ғ" in got["title_as_printed"]
    assert "ғ" in got["title"] and "қ" in got["title"]
    assert got["organization"]["short"] == "ҚазҰТЗУ"
    assert "ә" in parsed("mentor")["developed_by"]["position"]
    assert parsed("mentor")["agreed_by"][0]["person"] == "Н.Е.Қартжан"


@pytest.mark.parametrize(
    ("doc", "first", "last"),
    [("715", "2 КЕЛІСІЛДІ:", "3 Ректордың"), ("mentor", "КЕЛІСІЛДІ", "ҚОЛДАНУ МЕРЗІМІ")],
    ids=["715", "mentor"],
)
def test_agreed_by_without_blank_lines_between_signatures(doc, first, last):
    """A PDF's text has no blank lines: dates and lone names still close each signature."""
    text = seed_text(doc)
    a, b = text.index(first), text.index(last)
    packed = re.sub(r"\n\s*\n", "\n", text[a:b].strip()) + "\n\n"
    got = parse_text(text[:a] + packed + text[b:])["agreed_by"]
    assert got == parsed(doc)["agreed_by"]


def test_names_inside_positions_are_not_signatories():
    people = {entry["person"] for entry in parsed("715")["agreed_by"]}
    for position_name in ("Қ.Тұрысов", "Ө.Ә. Байқоңыров", "Ә. Бүркітбаев", "Т.Қ. Бәсенов"):
        assert position_name not in people
    assert "Г.Аршабекова" not in people, "the developer is not in the agreed-by list"


# --- contents and sections ---------------------------------------------------------------


def _unnumbered_chunks(doc: str) -> list[tuple[str | None, str]]:
    """(sub-heading, text) runs of unnumbered blocks, as the JSON's unnumbered units."""
    chunks: list[list] = []
    for sec in parsed(doc)["sections"]:
        previous = None
        for block in sec["blocks"]:
            kind = block["type"]
            if kind == "subheading":
                chunks.append([block["title"], []])
            elif kind in ("paragraph", "bullets"):
                if previous not in ("paragraph", "bullets", "subheading"):
                    chunks.append([None, []])
                texts = [block["text"]] if kind == "paragraph" else block["items"]
                chunks[-1][1].extend(texts)
            previous = kind
    return [(title, norm(" ".join(texts))) for title, texts in chunks]


@DOCS
def test_unnumbered_paragraphs_and_subheadings(doc):
    want = [
        (u["title"], norm(re.sub(r"(^|\n)– ", " ", u["text"])))
        for u in expected(doc)["units"]
        if not u["number"]
    ]
    got = _unnumbered_chunks(doc)
    assert [t for t, _ in got] == [t for t, _ in want], "unnumbered sub-headings"
    for (title, text), (_, wanted) in zip(got, want, strict=True):
        assert text == wanted, f"unnumbered text under {title!r}"


def test_titled_clauses():
    assert clause("715", "3", "3.1")["title"] == "Терминдер"
    assert clause("715", "5", "5.3.1")["title"] == "Диагностикалық кезең"
    assert clause("715", "5", "5.3")["title"] is None


def test_bullets_belong_to_their_clause():
    block = next(b for b in section("715", "10")["blocks"] if b.get("number") == "10.2")
    assert len(block["items"]) == 8, "10.2 keeps the bullets after the page break"
    assert block["items"][-2:] == [
        "патриоттық тәрбие беру;",
        "шақырылған сарапшы-мамандармен жұмыс.",
    ]


def _seed_body_words(doc: str) -> Counter:
    text = seed_text(doc)
    start = "1 МІНДЕТІ ЖӘНЕ ҚОЛДАНУ САЛАСЫ" if doc == "715" else "I. Жалпы ережелер"
    body = text[text.index(start) :]
    if doc == "715":
        body = body[: body.index("Өзгерістерді тіркеу парағы")]
    lines = [ln for ln in body.splitlines() if "беттің" not in ln and not re.match(r"^-+\t", ln)]
    return Counter(re.findall(r"\w+", "\n".join(lines)))


def _parsed_body_words(doc: str) -> Counter:
    texts = []
    for sec in parsed(doc)["sections"]:
        texts += [sec["number_as_printed"], sec["title_as_printed"]]
        for block in sec["blocks"]:
            for key in ("number", "title", "text", "term", "definition"):
                texts.append(block.get(key) or "")
            texts += block.get("items", [])
            texts += [f"{r['meaning']} {r['abbr']}" for r in block.get("rows", [])]
    return Counter(re.findall(r"\w+", "\n".join(texts)))


@DOCS
def test_body_blocks_carry_every_word_once(doc):
    seed, got = _seed_body_words(doc), _parsed_body_words(doc)
    assert got - seed == Counter(), "words the blocks print twice or invent"
    assert seed - got == Counter(), "words of the body missing from the blocks"


@DOCS
def test_no_markup_or_running_header_left(doc):
    dump = json.dumps(parsed(doc)["sections"], ensure_ascii=False)
    for mark in ("<p", "</p>", "<u>", "**", "*", "беттің", "-----"):
        assert mark not in dump, mark


def test_page_break_paragraphs_joined():
    assert "оқу үдерісін ұйымдастыру ережесі" in clause("715", "2", "2.1")["text"]
    assert "табиғи апат немесе әлеуметтік қауырттылық" in clause("715", "3", "3.1.4")["text"]
    assert "жұмыс жасауды дамытуға күш салады" in clause("mentor", "III", "3.1")["text"]


# --- codes, references, glossary -----------------------------------------------------------


def test_terms_of_715():
    terms = parsed("715")["terms"]
    units = {u["number"]: u["text"] for u in numbered_units("715")}
    assert [t["number"] for t in terms] == [f"3.1.{n}" for n in range(1, 7)]
    for term in terms:
        want_term, want_definition = units[term["number"]].split(" – ", 1)
        assert term["term"] == want_term, term["number"]
        block = next(b for b in section("715", "3")["blocks"] if b.get("number") == term["number"])
        definition = " ".join([term["definition"], *block.get("items", [])])
        assert norm(definition) == norm(re.sub(r"\n– ", " ", want_definition)), term["number"]


def test_register_rows_are_read_and_blank_rows_skipped():
    rows = expected("715")["revision_register"]["rows_added"]
    lines = [
        "\t".join(
            [
                r["no"],
                r["section_clause"],
                r["change_type"],
                r["notice_no_date"],
                r["entered_date"],
                r["entered_by"],
            ]
        )
        for r in rows
    ]
    text = seed_text("715") + "\n" + "\n".join(lines) + "\n\t\t\t\t\t\n\t\t\t\t\t\n"
    got = parse_text(text)["register"]
    assert [r["no"] for r in got] == [r["no"] for r in rows]
    for row, want in zip(got, expected("715")["revision_register"]["rows_iso_dates"], strict=True):
        assert row["notice_number"] == want["notice_no"], row["no"]
        assert row["notice_date"] == want["notice_date"], row["no"]
        assert row["entered_date"] == want["entered_date"], row["no"]
    assert got[0]["change_type"] == "modify" and got[1]["change_type"] == "add"
    assert got[0]["change_type_as_printed"] == "өзгерту"


# --- quirks are kept and reported ----------------------------------------------------------


def _warned(doc: str, *fragments: str) -> bool:
    return any(all(f in w for f in fragments) for w in parsed(doc)["warnings"])


def test_latin_letters_in_section_10_kept_and_warned():
    sec = section("715", "10")
    assert sec["title_as_printed"] == "БАҒАЛАУ, ТАЛДАУ ЖӘНЕ ЖАҚСARTУ"
    assert "ART" in sec["title_as_printed"], "Latin A, R, T kept as printed"
    assert sec["title"] == "Бағалау, талдау және жақсарту", "title taken from the contents"
    assert _warned("715", "ЖАҚСARTУ", "латын")


def test_latin_i_in_mentor_kept_and_warned():
    text = clause("mentor", "I", "1.5")["text"]
    assert "күзiреттiлiктiң" in text and "\u0069" in text
    assert _warned("mentor", "күзiреттiлiктiң", "латын")


def test_mentor_section_vii_numbering_kept_and_warned():
    assert [c["number"] for c in section("mentor", "VII")["clauses"]] == ["6.1", "6.2"]
    assert [c["number"] for c in section("mentor", "VI")["clauses"]][:2] == ["6.1", "6.2"]
    assert _warned("mentor", "VII-бөлім", "6.1")
    assert _warned("mentor", "6.1", "2 рет")


def test_other_715_quirks_warned():
    assert _warned("715", "күжаты")
    assert _warned("715", "«7.»"), "contents prints '7.' for section 7"
    assert _warned("715", "715-06-шы ҚазҰТЗУ Ф")
    assert _warned("715", "ТжӘДД", "ТжӘЖД", "5.3.2")
    assert _warned("715", "ҚазҰТЗУ 715 ҚП формалары"), "listed in the contents, absent"
    assert not _warned("mentor", "мазмұн")


def test_mentor_without_code_is_warned():
    assert parsed("mentor")["code"] is None
    assert _warned("mentor", "құжат коды")


# --- codes.py ------------------------------------------------------------------------------

P = "ҚазҰТЗУ"


def test_form_codes_in_every_written_form():
    text = (
        "жоспары (ҚазҰТЗУ 715-02 Ү); тізімін (715-06-шы ҚазҰТЗУ Ф); журналын "
        "(ҚазҰТЗУ 713-04 Ү); кестесі 713-05 Ү; үлгі Ф 713-06; қайта ҚазҰТЗУ 715-02 Ү"
    )
    assert find_form_codes(text, P) == [
        "ҚазҰТЗУ 715-02 Ү",
        "ҚазҰТЗУ 715-06 Ф",
        "ҚазҰТЗУ 713-04 Ү",
        "ҚазҰТЗУ 713-05 Ү",
        "ҚазҰТЗУ 713-06 Ф",
    ]


def test_form_code_broken_over_a_line_end():
    assert find_form_codes("анықтама (ҚазҰТЗУ 715-\n01 Ү) беріледі", P) == ["ҚазҰТЗУ 715-01 Ү"]
    assert find_form_codes("(ҚазҰТЗУ\n715-\n   07 Ү)", P) == ["ҚазҰТЗУ 715-07 Ү"]


def test_procedure_codes_are_not_forms():
    text = "себептердің (ҚазҰТЗУ 803-11 ҚП) және ҚазҰТЗУ 404 ҚП құжатталған, ҚазҰТЗУ 715-01 Ү"
    assert find_procedure_codes(text, P) == ["ҚазҰТЗУ 803-11 ҚП", "ҚазҰТЗУ 404 ҚП"]
    assert find_form_codes(text, P) == ["ҚазҰТЗУ 715-01 Ү"]


def test_normalise_form_code():
    assert normalise_form_code("715-06-шы ҚазҰТЗУ Ф", P) == "ҚазҰТЗУ 715-06 Ф"
    assert normalise_form_code("(ҚазҰТЗУ 715-02 Ү)", P) == "ҚазҰТЗУ 715-02 Ү"
    assert normalise_form_code("ҚазҰТЗУ 715-02 Y", P) == "ҚазҰТЗУ 715-02 Ү", "Latin Y read as Ү"
    assert normalise_form_code("ҚазҰТЗУ 715 ҚП", P) is None
    assert normalise_form_code("715-02 Ү және 715-03 Ү", P) is None


def test_split_document_code():
    assert split_document_code("ҚазҰТЗУ 715 ҚП") == ("ҚазҰТЗУ", "715", "ҚП")
    assert split_document_code("ҚазҰТЗУ  803-11 ҚП") == ("ҚазҰТЗУ", "803-11", "ҚП")
    assert split_document_code("Алматы 2016") is None
    assert split_document_code("Құжатталған процедура") is None
