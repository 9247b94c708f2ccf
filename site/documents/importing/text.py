"""Plain text of a controlled QMS document -> the importer's intermediate dict.

``parse_text`` reads the text an office file or a PDF gives back (procedure "ҚазҰТЗУ 715
ҚП", job instruction "ментор", …) and returns title page, approval sheet, contents, body
sections with their blocks, form and procedure codes, and warnings. It keeps what the
document prints, typos and Latin look-alike letters included, and reports every quirk
in ``warnings`` instead of fixing it. Standard library only, no Django: the same
function serves the admin, management commands and tests.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .codes import find_form_codes, find_procedure_codes, split_document_code
from .fixes import propose
from .textparse import checks
from .textparse.body import parse_sections
from .textparse.clean import Paragraph, clean_text, split_paragraphs
from .textparse.common import fold, sentence_case, squash
from .textparse.front import organisation, parse_header, year_of
from .textparse.layout import find_body, find_toc, heading, parse_register
from .textparse.signatures import (
    MARKERS,
    find_markers,
    parse_agreed,
    parse_approval,
    parse_developed,
    parse_introduced,
    parse_validity,
    region,
)

__all__ = ["parse_text"]

_EMPTY_SIGNATURE = {"unit": None, "position": None, "person": None, "date": None}


def parse_text(text: str, *, filename: str = "", headings=(), glued_codes=()) -> dict:
    """Parse one document's plain text; see the module docstring.

    ``headings``: titles the source marks as headings (a Word heading style), recognised
    as section titles like those of the contents, whatever their case. ``glued_codes``:
    codes cut at a line end that the source's reader glued back (a PDF's)."""
    cleaned = clean_text(text)
    paragraphs = split_paragraphs(cleaned.lines)
    found_toc = find_toc(paragraphs)
    toc = found_toc[2] if found_toc else []
    marked = {fold(title) for title in headings}
    front_end, search_from = _front_bounds(paragraphs, found_toc, marked)
    front = paragraphs[:front_end]
    markers = find_markers(front)
    search_from = max([search_from, *(i + 1 for i in markers.values())])
    start, end = find_body(paragraphs, search_from, toc, marked)

    header = parse_header(front)
    code = header["code"]
    parts = split_document_code(code) if code else None
    prefix = parts[0] if parts else None
    sections = _sections(paragraphs[start:end], toc, marked)
    full_text = "\n".join(p.text for p in [*front, *paragraphs[search_from:]])
    forms = find_form_codes(full_text, prefix) if prefix else []
    references = [c for c in find_procedure_codes(full_text, prefix) if c != code] if prefix else []
    between = paragraphs[found_toc[1] if found_toc else search_from : start]

    result = {
        "file": filename,
        "code": code,
        "number": parts[1] if parts else None,
        "kind": header["kind"],
        "kind_label": header["kind_label"],
        "kind_in_body": _kind_in_body(between),
        "title": sentence_case(header["title_as_printed"] or "") or None,
        "title_as_printed": header["title_as_printed"],
        "qms_level": header["qms_level"],
        "organization": organisation(
            header["org_full"], header["ministry"], "\n".join(cleaned.lines), prefix
        ),
        "city": header["city"],
        "year": year_of(header),
        "edition": header["edition"],
        **_approval_sheet(front, markers),
        "toc": toc,
        "sections": sections,
        "forms": forms,
        "form_citations": _citations(forms, sections, find_form_codes, prefix),
        "references": references,
        "reference_citations": _citations(references, sections, find_procedure_codes, prefix),
        **_glossary(sections),
        "register": parse_register(paragraphs[end:]),
    }
    tail_titles = {fold(p.text) for p in paragraphs[end:] if len(p.lines) == 1}
    result["warnings"] = _warnings(result, cleaned.page_headers, between, tail_titles, full_text)
    for section in sections:
        del section["joins"]
    result["proposals"] = propose(result, [*glued_codes, *cleaned.broken_codes])
    return result


def _front_bounds(paragraphs: list[Paragraph], found_toc, marked: set[str]) -> tuple[int, int]:
    """(end of the title page and approval sheet, where to look for the first heading)."""
    if found_toc:
        return found_toc[0], found_toc[1]
    for i, para in enumerate(paragraphs):
        found = heading(para, marked)
        if found and found["value"] == 1 and not any(m.search(para.text) for m in MARKERS.values()):
            return i, i
    return len(paragraphs), len(paragraphs)


def _approval_sheet(front: list[Paragraph], markers: dict[str, int]) -> dict:
    def part(key: str) -> list[Paragraph] | None:
        return region(front, markers, key) if key in markers else None

    developed = parse_developed(part("developed")) if "developed" in markers else None
    agreed = parse_agreed(part("agreed")) if "agreed" in markers else []
    approval = parse_approval(part("approved")) if "approved" in markers else None
    return {
        "approval": approval
        or {
            "order_number": None,
            "date": None,
            "approver_position": None,
            "approver_name": None,
            "as_printed": None,
        },
        "introduced": parse_introduced(part("introduced")),
        "validity": parse_validity(part("validity")),
        "developed_by": developed or dict(_EMPTY_SIGNATURE, unit_as_printed=None),
        "agreed_by": agreed,
    }


def _sections(paragraphs: list[Paragraph], toc: list[dict], marked: set[str]) -> list[dict]:
    sections = parse_sections(paragraphs, {fold(e["title"]) for e in toc} | marked)
    listed = {e["number"].rstrip("."): e["title"] for e in toc if e["number"]}
    out = []
    for section in sections:
        printed = section["title_as_printed"]
        toc_title = listed.get(section["number"])
        use_toc = toc_title is not None and fold(toc_title) == fold(printed)
        out.append(
            {
                "number": section["number"],
                "number_as_printed": section["number_as_printed"],
                "title": sentence_case(toc_title if use_toc else printed),
                "title_as_printed": printed,
                "clauses": section["clauses"],
                "blocks": section["blocks"],
                "joins": section["joins"],
            }
        )
    return out


def _citations(codes: list[str], sections: list[dict], finder, prefix: str | None) -> list[dict]:
    where: dict[str, list[str]] = {code: [] for code in codes}
    for section in sections:
        for block in section["blocks"]:
            place = block.get("number") or section["number"]
            for code in finder("\n".join(checks.block_texts(block)), prefix) if prefix else []:
                if code in where and place not in where[code]:
                    where[code].append(place)
    return [{"code": code, "clauses": places} for code, places in where.items()]


def _glossary(sections: list[dict]) -> dict:
    blocks = [block for section in sections for block in section["blocks"]]
    return {
        "normative_references": [
            {"number": b["number"], "text": b["text"]} for b in blocks if b["type"] == "reference"
        ],
        "terms": [
            {"number": b["number"], "term": b["term"], "definition": b["definition"]}
            for b in blocks
            if b["type"] == "term"
        ],
        "abbreviations": [row for b in blocks if b["type"] == "abbreviations" for row in b["rows"]],
    }


def _kind_in_body(between: list[Paragraph]) -> str | None:
    for para in between:
        folded = fold(para.text)
        if "процедура" in folded or "нұсқаулық" in folded:
            return squash(para.text)
    return None


def _warnings(result: dict, headers: list[dict], between, tail_titles, full_text) -> list[str]:
    sections = result["sections"]
    front = [
        (_("document title"), result["title_as_printed"]),  # the label of its fixes too
        (_("QMS level"), result["qms_level"]),
        (_("organisation"), result["organization"]["full_as_printed"]),
    ]
    warnings = []
    if result["code"] is None:
        warnings.append(_("no document code (such as «ҚазҰТЗУ 715 ҚП») is printed"))
    warnings += checks.title_case(result["title_as_printed"])
    warnings += checks.qms_level(result["qms_level"])
    warnings += checks.mixed_scripts(front, sections)
    warnings += checks.numbering(sections)
    warnings += checks.toc_cross_check(result["toc"], sections, tail_titles)
    warnings += _body_title_check(result["title_as_printed"], between)
    prefix = result["organization"]["short"]
    warnings += checks.form_spellings(full_text, prefix)
    defined = [row["abbr"] for row in result["abbreviations"]]
    warnings += checks.abbreviation_variants(defined, sections)
    warnings += checks.page_headers(headers)
    warnings += checks.joins(sections)
    return warnings


def _body_title_check(title: str | None, between: list[Paragraph]) -> list[str]:
    """The title repeated above the body should be the title-page one."""
    for para in between:
        text = squash(para.text)
        if title and text.isupper() and fold(text) != fold(title):
            return [
                _("title above the body «%(body)s» differs from the title page «%(title)s»")
                % {"body": text, "title": title}
            ]
    return []
