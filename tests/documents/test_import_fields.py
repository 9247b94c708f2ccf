"""Every field of the corpus's expected structure, read alike from every source a quality
office has: the seed's plain text (``parse_text``), the real-layout PDFs (``parse_pdf``),
the same documents as Word keeps them (``parse_docx`` of tests/corpus/word, written by
make_docx.py in two layouts: Word's numbering and styles, or all typed), those Word files
exported to PDF by LibreOffice ("wordpdf": borderless approval tables in either column
order, dot leaders, list numbers), and the 715 procedure in five office layouts the
corpus does not have (made by LibreOffice at test time, see conftest.py).

shared/corpus/*.json say what a correct import finds; the seeds (shared/seeds) are the text
of the corpus PDFs. What only one source has (the PDF's page layout and revision register,
the text's blank lines, a layout's furniture) is tested in test_import_text.py,
test_import_pdf.py and test_import_variants.py.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from sapa.documents.importing.docx import parse_docx
from sapa.documents.importing.pdf import parse_pdf
from sapa.documents.importing.text import parse_text

from .conftest import LAYOUT_NAMES

SHARED = Path(__file__).resolve().parents[3] / "shared"
WORD = Path(__file__).resolve().parents[1] / "corpus" / "word"  # made by make_docx.py
FILES = {
    "text": {"715": "000_3e6beb1bcf47969b.txt", "mentor": "001_80f74c00af075fd3.txt"},
    "pdf": {"715": "kaznrtu_715_kp.pdf", "mentor": "aru_mentor_kn.pdf"},
    "docx": {"715": "kaznrtu_715_kp.docx", "mentor": "aru_mentor_kn.docx"},
    "wordpdf": {"715": "kaznrtu_715_kp.pdf", "mentor": "aru_mentor_kn.pdf"},  # Word -> PDF
    "docx-typed": {"715": "kaznrtu_715_kp-typed.docx", "mentor": "aru_mentor_kn-typed.docx"},
    "wordpdf-typed": {"715": "kaznrtu_715_kp-typed.pdf", "mentor": "aru_mentor_kn-typed.pdf"},
}
CASES = [(source, doc) for source in FILES for doc in ("715", "mentor")]
CASES += [(f"layout:{name}", "715") for name in LAYOUT_NAMES]
CLAUSE_NUMBER = re.compile(r"^\d+(?:\.\d+)+$")


@functools.cache
def parsed(source: str, doc: str) -> dict:
    name = FILES[source][doc]
    if source == "text":
        text = (SHARED / "seeds" / name).read_text(encoding="utf-8")
        return parse_text(text, filename=name)
    if source.startswith("docx"):
        return parse_docx(WORD / name, filename=name)
    if source.startswith("wordpdf"):
        return parse_pdf(WORD / name, filename=name)
    return parse_pdf(SHARED / "corpus" / name, filename=name)


@functools.cache
def _parsed_layout(path: Path) -> dict:
    return parse_pdf(path, filename=path.name)


@pytest.fixture(params=CASES, ids=[f"{s}-{d}" for s, d in CASES])
def case(request) -> tuple[str, str]:
    return request.param


@pytest.fixture
def source(case) -> str:
    return case[0]


@pytest.fixture
def doc(case) -> str:
    return case[1]


@pytest.fixture
def got(request, source, doc) -> dict:
    if source.startswith("layout:"):
        pdfs = request.getfixturevalue("variant_pdfs")  # skips (or fails on CI) without soffice
        return _parsed_layout(pdfs[source.split(":", 1)[1]])
    return parsed(source, doc)


def changed_by_layout(layout: str) -> set[str]:
    """Clauses whose printed shape a layout changes on purpose (6.1's list as a table)."""
    return {"6.1"} if layout in ("broken_codes", "layout:broken_codes") else set()


@functools.cache
def expected(doc: str) -> dict:
    name = FILES["pdf"][doc].replace(".pdf", ".json")
    return json.loads((SHARED / "corpus" / name).read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def section(result: dict, number: str) -> dict:
    return next(s for s in result["sections"] if s["number"] == number)


def numbered_units(doc: str) -> list[dict]:
    return [u for u in expected(doc)["units"] if u["number"]]


# --- title page and approval sheet -----------------------------------------------------------


def test_code_kind_and_title(source, doc, got):
    want = expected(doc)
    assert got["code"] == want["code"], "document code"
    assert got["number"] == want.get("code_number"), "code number"
    assert got["kind"] == {"ҚП": "procedure", "ҚН": "job_instruction"}[want["doc_kind"]]
    assert got["kind_label"] == want["doc_kind_full"], "kind label in normal case"
    assert got["title"] == want["title"], "title in sentence case"
    assert got["title_as_printed"] == want["title_as_printed"], "title as printed"
    assert got["file"] == (FILES[source][doc] if source in FILES else f"{source[7:]}.pdf")


def test_organization_city_year_and_level(doc, got):
    want = expected(doc)
    org, want_org = got["organization"], want["organization"]
    assert org["name"] == want_org["name"], "organisation name in normal case"
    assert org["full_as_printed"] == want_org["full_as_printed"]
    assert org["ministry"] == want_org["ministry"], "ministry"
    assert got["city"] == want["city"]
    assert got["year"] == want["year"]
    assert got["qms_level"] == want.get("qms_level_as_printed")


def test_edition(doc, got):
    got, want = got["edition"], expected(doc)["edition"]
    assert got["number"] == want.get("number"), "edition number"
    assert got["version"] == want.get("version"), "version"
    assert got["label"] == want["label"], "edition label"
    assert got["date"] == want["date"], "edition date"


def test_approval(doc, got):
    got, want = got["approval"], expected(doc)["approval"]
    assert got["order_number"] == want["order_number"], "approval order number"
    assert got["date"] == want["order_date"], "approval order date"
    assert got["approver_position"] == (want.get("by") or want.get("by_position"))
    assert got["approver_name"] == want.get("by_name")


def test_introduced_and_validity(doc, got):
    if doc == "715":
        assert got["approval"]["as_printed"] == expected("715")["approval"]["as_printed"]
        assert got["introduced"]["first_time"] is True
        assert got["introduced"]["as_printed"] == expected("715")["introduced"]["as_printed"]
        assert got["validity"] == {"until_replaced": False, "review_date": None, "as_printed": None}
    else:
        assert got["introduced"]["as_printed"] == expected("mentor")["edition"]["as_printed"]
        assert got["validity"]["until_replaced"] is True
        assert got["validity"]["as_printed"] == expected("mentor")["validity"]["as_printed"]


def test_developer(doc, got):
    got, want = got["developed_by"], expected(doc)["developer"]
    assert got["position"] == want["position"], "developer position"
    assert got["person"] == want["name"], "developer"
    assert got["date"] == want["date"], "date of development"
    assert got["unit"] == want.get("unit"), "developing unit"


def test_agreed_by_every_entry(doc, got):
    got, want = got["agreed_by"], expected(doc)["agreed_by"]
    assert len(got) == expected(doc)["agreed_by_count"] == len(want)
    for entry, wanted in zip(got, want, strict=True):
        n = wanted["n"]
        assert entry["position"] == wanted["position"], f"agreed-by #{n}: position"
        assert entry["person"] == wanted["name"], f"agreed-by #{n}: person"
        assert entry["date"] == wanted["date"], f"agreed-by #{n}: date"


def test_dates_and_code_only_where_printed(doc, got):
    if doc == "mentor":  # the job instruction prints no code and no dates
        assert got["code"] is None and got["number"] is None
        assert got["approval"]["date"] is None and got["developed_by"]["date"] is None
        assert all(entry["date"] is None for entry in got["agreed_by"])
    else:
        assert got["code"] and got["approval"]["date"] and got["developed_by"]["date"]


# --- contents, sections, clauses ---------------------------------------------------------------


def test_toc_as_printed(source, doc, got):
    if doc == "mentor":
        assert got["toc"] == [] and expected("mentor")["toc_as_printed"] is None
        return
    entries = [(e["number"], e["title"]) for e in got["toc"]]
    assert entries == [(e["number"], e["title"]) for e in expected("715")["toc_as_printed"]]
    if source in FILES:
        # Page numbers as each source prints them: the seed's contents say 14 for the records
        # and give the register no page.
        pages = {e["title"]: e["page"] for e in got["toc"]}
        printed = {"text": (14, None), "pdf": (10, 11)}.get(source, (14, 15))
        assert (pages["Жазбалар"], pages["Өзгерістерді тіркеу парағы"]) == printed


def test_section_numbers_and_titles(doc, got):
    got, want = got["sections"], expected(doc)["sections"]
    assert [s["number"] for s in got] == [s["number"] for s in want]
    for section_got, section_want in zip(got, want, strict=True):
        number = section_want["number"]
        assert section_got["title"].casefold() == section_want["title"].casefold(), number
        printed = section_got["title_as_printed"]
        if doc == "mentor":
            printed = f"{section_got['number_as_printed']} {printed}"
        assert printed == section_want["title_as_printed"], f"section {number} as printed"


def test_clause_numbers_per_section(doc, got):
    for section_want in expected(doc)["sections"]:
        number = section_want["number"]
        want = [u.split("/")[-1] for u in section_want["units"]]
        want = [u for u in want if CLAUSE_NUMBER.match(u)]
        numbers = [c["number"] for c in section(got, number)["clauses"]]
        assert numbers == want, f"section {number}: clause numbers"


def test_clause_texts(source, doc, got):
    for unit in numbered_units(doc):
        if unit["number"] in changed_by_layout(source):
            continue
        clauses = section(got, unit["section"])["clauses"]
        clause = next(c for c in clauses if c["number"] == unit["number"])
        where = f"{doc} {unit['uid']}"
        assert clause["title"] == unit["title"], f"{where}: title"
        assert norm(clause["text"]) == norm(unit["text"]), f"{where}: text"


# --- forms, references, abbreviations ------------------------------------------------------------


def test_form_codes_and_citations(source, doc, got):
    want = expected(doc)["form_codes"]
    assert got["forms"] == [f["code"] for f in want], "every form, in order of first appearance"
    cited = {c["code"]: c["clauses"] for c in got["form_citations"]}
    changed = changed_by_layout(source)
    for form in want:
        clauses = ["6" if c in changed else c for c in form["clauses"]]  # cited by its table
        assert cited[form["code"]] == clauses, f"{form['code']}: citing clauses"


def test_referenced_procedures(doc, got):
    want = expected(doc)["referenced_procedures"]
    assert got["references"] == [r["code"] for r in want]
    cited = {c["code"]: c["clauses"] for c in got["reference_citations"]}
    for ref in want:
        assert cited[ref["code"]] == ref["clauses"], ref["code"]
    assert got["code"] not in got["references"], "the document does not reference itself"


def test_normative_references(doc, got):
    references = got["normative_references"]
    if doc == "mentor":
        assert references == []
        return
    assert [r["number"] for r in references] == [
        r["clause"] for r in expected("715")["normative_references"]
    ]
    texts = {u["number"]: u["text"] for u in numbered_units("715")}
    for ref in references:
        assert norm(ref["text"]) == norm(texts[ref["number"]]), ref["number"]


def test_abbreviations(doc, got):
    pairs = [(a["abbr"], a["meaning"]) for a in got["abbreviations"]]
    assert pairs == [(a["abbr"], a["full"]) for a in expected(doc)["abbreviations"]]


# --- the revision register ----------------------------------------------------------------------


def test_revision_register(source, doc, got):
    """Read from the PDF's ruled table; the seed's text and a register of blank ruled rows
    have no entries."""
    if source == "text" or doc == "mentor" or source == "layout:empty_register":
        assert got["register"] == []
        return
    register = expected("715")["revision_register"]
    assert len(got["register"]) == register["rows_in_this_pdf"] == 3, "blank rows are no entries"
    for row, printed, iso in zip(
        got["register"], register["rows_added"], register["rows_iso_dates"], strict=True
    ):
        assert row["no"] == printed["no"] == iso["no"]
        assert row["section_clause"] == printed["section_clause"]
        assert row["change_type_as_printed"] == printed["change_type"]
        assert row["notice_no_date"] == printed["notice_no_date"]
        assert row["notice_number"] == iso["notice_no"]
        assert row["notice_date"] == iso["notice_date"]
        assert row["entered_date"] == iso["entered_date"]
        assert row["entered_date_as_printed"] == printed["entered_date"]
        assert row["entered_by"] == printed["entered_by"]
    assert [r["change_type"] for r in got["register"]] == ["modify", "add", "delete"]
