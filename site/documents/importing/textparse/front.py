"""The title page: organisation, ministry, QMS level, kind, code, edition, title, city.

The title page is read line by line, because a Word table cell, a bold block and a
plain paragraph all end up as lines; each field is recognised by what it says, not by
where it stands, since every university lays its title page out differently.
"""

from __future__ import annotations

import re

from ..codes import DOCUMENT_KINDS, split_document_code
from .clean import Paragraph
from .common import (
    LOWER,
    UPPER,
    first_year,
    fold,
    is_upper_text,
    parse_date,
    sentence_case,
    squash,
)
from .signatures import LEGAL_FORM

KIND_LABELS = {
    "құжатталған процедура": "procedure",
    "қызметтік нұсқаулық": "job_instruction",
    "лауазымдық нұсқаулық": "job_instruction",
}
_LABEL_BY_KIND = {"procedure": "Құжатталған процедура", "job_instruction": "Қызметтік нұсқаулық"}
QMS_LEVEL_RE = re.compile(r"\d+\s*-\s*деңгейлі\s+СМЖ\s+\S+", re.IGNORECASE)
_EDITION_NO_RE = re.compile(r"№\s*(?P<no>\d+)\s*басылым\w*", re.IGNORECASE)
_VERSION_RE = re.compile(r"(?P<v>\d+(?:\.\d+)+)\s*нұсқа\w*", re.IGNORECASE)
_CITY_YEAR_RE = re.compile(rf"^(?P<city>[{UPPER}][{LOWER}-]+),?\s+(?P<year>\d{{4}})(?:\s*ж\.?)?$")
_ORG_WORDS = re.compile(r"университет|академия|институт|колледж|орталығы", re.IGNORECASE)


def parse_header(paragraphs: list[Paragraph]) -> dict:
    """Title-page fields from the paragraphs before the approval sheet."""
    lines = [line for para in paragraphs for line in para.lines]
    code = _find_code(lines)
    kind, kind_label, kind_at = _find_kind(paragraphs, code)
    org_full = _first(lines, lambda s: "«" in s and "»" in s and _ORG_WORDS.search(s))
    city_year = _first_match(lines, _CITY_YEAR_RE)
    return {
        "code": code,
        "kind": kind,
        "kind_label": kind_label,
        "qms_level": _first_match(lines, QMS_LEVEL_RE, group=0),
        "org_full": org_full,
        "ministry": _first(lines, lambda s: re.search("министрлігі", s, re.IGNORECASE)),
        "title_as_printed": _find_title(paragraphs, kind_at),
        "city": city_year.group("city") if city_year else None,
        "year": int(city_year.group("year")) if city_year else None,
        "edition": parse_edition(lines),
    }


def _first(lines: list[str], test) -> str | None:
    return next((squash(line) for line in lines if test(line)), None)


def _first_match(lines: list[str], pattern: re.Pattern[str], group: int | None = None):
    for line in lines:
        match = pattern.search(line)
        if match:
            return squash(match.group(group)) if group is not None else match
    return None


def _find_code(lines: list[str]) -> str | None:
    for line in lines:
        parts = split_document_code(line)
        if parts and parts[2] in DOCUMENT_KINDS:
            return " ".join(parts)
    return None


def _find_kind(paragraphs: list[Paragraph], code: str | None) -> tuple[str | None, str | None, int]:
    for i, para in enumerate(paragraphs):
        kind = KIND_LABELS.get(fold(para.text))
        if kind:
            return kind, sentence_case(squash(para.text)), i
    if code:
        kind = DOCUMENT_KINDS[code.rsplit(" ", 1)[1]]
        return kind, _LABEL_BY_KIND[kind], -1
    return None, None, -1


def _is_known_line(text: str) -> bool:
    return bool(
        split_document_code(text)
        or _EDITION_NO_RE.search(text)
        or _VERSION_RE.search(text)
        or QMS_LEVEL_RE.search(text)
        or _CITY_YEAR_RE.match(text)
        or "«" in text
        or re.search("министрлігі", text, re.IGNORECASE)
        or fold(text) in KIND_LABELS
    )


def _find_title(paragraphs: list[Paragraph], kind_at: int) -> str | None:
    """The first paragraph after the kind label that is none of the other title-page fields.

    Without a kind label, the first paragraph printed in capitals that is not a known field.
    """
    candidates = paragraphs[kind_at + 1 :] if kind_at >= 0 else paragraphs
    for para in candidates:
        text = squash(para.text)
        if _is_known_line(text) or len(text) > 200:
            continue
        if kind_at >= 0 or is_upper_text(text):
            return text
    return None


def parse_edition(lines: list[str]) -> dict:
    number = version = label = date = None
    for line in lines:
        match = _EDITION_NO_RE.search(line)
        if match and number is None:
            number, label = int(match.group("no")), squash(match.group(0))
            date = parse_date(line)
    for line in lines:
        match = _VERSION_RE.search(line)
        if match and version is None:
            version = match.group("v")
            label = label or squash(match.group(0))
            date = date or parse_date(line)
    return {"number": number, "version": version, "label": label, "date": date}


def organisation(org_full: str | None, ministry: str | None, text: str, short: str | None):
    """The organisation's name in normal case, found where the text prints it so.

    A title page often prints "«… УНИВЕРСИТЕТІ» КОММЕРЦИЯЛЫҚ ЕМЕС АКЦИОНЕРЛІК ҚОҒАМЫ" in
    capitals; the text usually names it again as "«… университеті» КЕАҚ". That second
    spelling is the name; when there is none, the title page's spelling is kept.
    """
    name = org_full
    quoted = re.match(r"^«[^»]+»", org_full or "")
    if quoted and is_upper_text(quoted.group(0)):
        pattern = r"\s+".join(re.escape(w) for w in quoted.group(0).split())
        flat = squash(text)
        for match in re.finditer(pattern, flat, re.IGNORECASE):
            if not is_upper_text(match.group(0)):
                form = re.match(rf"\s+({LEGAL_FORM})(?!\w)", flat[match.end() :])
                name = match.group(0) + (f" {form.group(1)}" if form else "")
                break
    return {"name": name, "full_as_printed": org_full, "ministry": ministry, "short": short}


def year_of(header: dict) -> int | None:
    if header["year"]:
        return header["year"]
    return first_year(header["edition"]["date"] or "")
