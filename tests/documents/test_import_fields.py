"""Every field of the corpus's expected structure, read alike from both sources a quality
office has: the seed's plain text (``parse_text``) and the real-layout PDF (``parse_pdf``).

shared/corpus/*.json say what a correct import finds; the seeds (shared/seeds) are the text
of the corpus PDFs. What only one source has (the PDF's page layout and revision register,
the text's blank lines) is tested in test_import_text.py and test_import_pdf.py.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from sapa.documents.importing.pdf import parse_pdf
from sapa.documents.importing.text import parse_text

SHARED = Path(__file__).resolve().parents[3] / "shared"
FILES = {
    "text": {"715": "000_3e6beb1bcf47969b.txt", "mentor": "001_80f74c00af075fd3.txt"},
    "pdf": {"715": "kaznrtu_715_kp.pdf", "mentor": "aru_mentor_kn.pdf"},
}
CASES = [(source, doc) for source in FILES for doc in ("715", "mentor")]
EACH = pytest.mark.parametrize(("source", "doc"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
SOURCES = pytest.mark.parametrize("source", list(FILES))
CLAUSE_NUMBER = re.compile(r"^\d+(?:\.\d+)+$")


@functools.cache
def parsed(source: str, doc: str) -> dict:
    name = FILES[source][doc]
    if source == "text":
        text = (SHARED / "seeds" / name).read_text(encoding="utf-8")
        return parse_text(text, filename=name)
    return parse_pdf(SHARED / "corpus" / name, filename=name)


@functools.cache
def expected(doc: str) -> dict:
    name = FILES["pdf"][doc].replace(".pdf", ".json")
    return json.loads((SHARED / "corpus" / name).read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def section(source: str, doc: str, number: str) -> dict:
    return next(s for s in parsed(source, doc)["sections"] if s["number"] == number)


def numbered_units(doc: str) -> list[dict]:
    return [u for u in expected(doc)["units"] if u["number"]]


# --- title page and approval sheet -----------------------------------------------------------


@EACH
def test_code_kind_and_title(source, doc):
    got, want = parsed(source, doc), expected(doc)
    assert got["code"] == want["code"], "document code"
    assert got["number"] == want.get("code_number"), "code number"
    assert got["kind"] == {"ҚП": "procedure", "ҚН": "job_instruction"}[want["doc_kind"]]
    assert got["kind_label"] == want["doc_kind_full"], "kind label in normal case"
    assert got["title"] == want["title"], "title in sentence case"
    assert got["title_as_printed"] == want["title_as_printed"], "title as printed"
    assert got["file"] == FILES[source][doc]


@EACH
def test_organization_city_year_and_level(source, doc):
    got, want = parsed(source, doc), expected(doc)
    org, want_org = got["organization"], want["organization"]
    assert org["name"] == want_org["name"], "organisation name in normal case"
    assert org["full_as_printed"] == want_org["full_as_printed"]
    assert org["ministry"] == want_org["ministry"], "ministry"
    assert got["city"] == want["city"]
    assert got["year"] == want["year"]
    assert got["qms_level"] == want.get("qms_level_as_printed")


@EACH
def test_edition(source, doc):
    got, want = parsed(source, doc)["edition"], expected(doc)["edition"]
    assert got["number"] == want.get("number"), "edition number"
    assert got["version"] == want.get("version"), "version"
    assert got["label"] == want["label"], "edition label"
    assert got["date"] == want["date"], "edition date"


@EACH
def test_approval(source, doc):
    got, want = parsed(source, doc)["approval"], expected(doc)["approval"]
    assert got["order_number"] == want["order_number"], "approval order number"
    assert got["date"] == want["order_date"], "approval order date"
    assert got["approver_position"] == (want.get("by") or want.get("by_position"))
    assert got["approver_name"] == want.get("by_name")


@SOURCES
def test_approval_introduced_and_validity_as_printed(source):
    assert (
        parsed(source, "715")["approval"]["as_printed"]
        == (expected("715")["approval"]["as_printed"])
    )
    p715, mentor = parsed(source, "715"), parsed(source, "mentor")
    assert p715["introduced"]["first_time"] is True
    assert p715["introduced"]["as_printed"] == expected("715")["introduced"]["as_printed"]
    assert mentor["introduced"]["as_printed"] == expected("mentor")["edition"]["as_printed"]
    assert mentor["validity"]["until_replaced"] is True
    assert mentor["validity"]["as_printed"] == expected("mentor")["validity"]["as_printed"]
    assert p715["validity"] == {"until_replaced": False, "review_date": None, "as_printed": None}


@EACH
def test_developer(source, doc):
    got, want = parsed(source, doc)["developed_by"], expected(doc)["developer"]
    assert got["position"] == want["position"], "developer position"
    assert got["person"] == want["name"], "developer"
    assert got["date"] == want["date"], "date of development"
    assert got["unit"] == want.get("unit"), "developing unit"


@EACH
def test_agreed_by_every_entry(source, doc):
    got, want = parsed(source, doc)["agreed_by"], expected(doc)["agreed_by"]
    assert len(got) == expected(doc)["agreed_by_count"] == len(want)
    for entry, wanted in zip(got, want, strict=True):
        n = wanted["n"]
        assert entry["position"] == wanted["position"], f"agreed-by #{n}: position"
        assert entry["person"] == wanted["name"], f"agreed-by #{n}: person"
        assert entry["date"] == wanted["date"], f"agreed-by #{n}: date"


@SOURCES
def test_mentor_without_code_or_dates(source):
    got = parsed(source, "mentor")
    assert got["code"] is None and got["number"] is None
    assert got["approval"]["date"] is None and got["developed_by"]["date"] is None
    assert all(entry["date"] is None for entry in got["agreed_by"])


# --- contents, sections, clauses ---------------------------------------------------------------


@SOURCES
def test_toc_as_printed(source):
    got = [(e["number"], e["title"]) for e in parsed(source, "715")["toc"]]
    assert got == [(e["number"], e["title"]) for e in expected("715")["toc_as_printed"]]
    pages = {e["title"]: e["page"] for e in parsed(source, "715")["toc"]}
    # Page numbers as each source prints them: the seed's contents say 14 for the records
    # and give the register no page.
    printed = {"text": (14, None), "pdf": (10, 11)}[source]
    assert (pages["Жазбалар"], pages["Өзгерістерді тіркеу парағы"]) == printed
    assert parsed(source, "mentor")["toc"] == [] and expected("mentor")["toc_as_printed"] is None


@EACH
def test_section_numbers_and_titles(source, doc):
    got, want = parsed(source, doc)["sections"], expected(doc)["sections"]
    assert [s["number"] for s in got] == [s["number"] for s in want]
    for section_got, section_want in zip(got, want, strict=True):
        number = section_want["number"]
        assert section_got["title"].casefold() == section_want["title"].casefold(), number
        printed = section_got["title_as_printed"]
        if doc == "mentor":
            printed = f"{section_got['number_as_printed']} {printed}"
        assert printed == section_want["title_as_printed"], f"section {number} as printed"


@EACH
def test_clause_numbers_per_section(source, doc):
    for section_want in expected(doc)["sections"]:
        number = section_want["number"]
        want = [u.split("/")[-1] for u in section_want["units"]]
        want = [u for u in want if CLAUSE_NUMBER.match(u)]
        got = [c["number"] for c in section(source, doc, number)["clauses"]]
        assert got == want, f"section {number}: clause numbers"


@EACH
def test_clause_texts(source, doc):
    for unit in numbered_units(doc):
        clauses = section(source, doc, unit["section"])["clauses"]
        got = next(c for c in clauses if c["number"] == unit["number"])
        where = f"{doc} {unit['uid']}"
        assert got["title"] == unit["title"], f"{where}: title"
        assert norm(got["text"]) == norm(unit["text"]), f"{where}: text"


# --- forms, references, abbreviations ------------------------------------------------------------


@EACH
def test_form_codes_and_citations(source, doc):
    got, want = parsed(source, doc), expected(doc)["form_codes"]
    assert got["forms"] == [f["code"] for f in want], "every form, in order of first appearance"
    cited = {c["code"]: c["clauses"] for c in got["form_citations"]}
    for form in want:
        assert cited[form["code"]] == form["clauses"], f"{form['code']}: citing clauses"


@EACH
def test_referenced_procedures(source, doc):
    got, want = parsed(source, doc), expected(doc)["referenced_procedures"]
    assert got["references"] == [r["code"] for r in want]
    cited = {c["code"]: c["clauses"] for c in got["reference_citations"]}
    for ref in want:
        assert cited[ref["code"]] == ref["clauses"], ref["code"]
    assert got["code"] not in got["references"], "the document does not reference itself"


@SOURCES
def test_normative_references(source):
    got = parsed(source, "715")["normative_references"]
    assert [r["number"] for r in got] == [
        r["clause"] for r in expected("715")["normative_references"]
    ]
    texts = {u["number"]: u["text"] for u in numbered_units("715")}
    for ref in got:
        assert norm(ref["text"]) == norm(texts[ref["number"]]), ref["number"]
    assert parsed(source, "mentor")["normative_references"] == []


@EACH
def test_abbreviations(source, doc):
    got = [(a["abbr"], a["meaning"]) for a in parsed(source, doc)["abbreviations"]]
    assert got == [(a["abbr"], a["full"]) for a in expected(doc)["abbreviations"]]
