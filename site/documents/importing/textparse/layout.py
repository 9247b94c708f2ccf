"""Where things are: the contents (Мазмұны), section headings, body start and end, register.

The contents block is read as data (number, title, page as printed) and kept out of the
body; section headings are recognised as "N TITLE IN CAPITALS", "VII. Title", or any
"N title" that the contents list, so that a heading styled in normal case is not missed.
"""

from __future__ import annotations

import re

from .clean import Paragraph
from .common import fold, is_upper_text, parse_date, roman_to_int, squash

_TOC_TITLES = {"мазмұны", "мазмұн", "содержание"}
_TOC_NUMBER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXL]{1,6}\.?)$")
_TOC_LINE_RE = re.compile(
    r"^(?P<number>\S+)\s+(?P<title>.+?)(?:\s*\.{2,}\s*|\s+)(?P<page>\d{1,3})$"
)
_ARABIC_HEADING_RE = re.compile(r"^(?P<number>\d{1,2})(?P<dot>\.?)\s+(?P<title>\S.*)$")
_ROMAN_HEADING_RE = re.compile(r"^(?P<number>[IVXL]{1,6})\.\s+(?P<title>\S.*)$")
REGISTER_TITLE = "өзгерістерді тіркеу парағы"
#: Kinds of change printed in a register row (өзгерту / қосу / жою).
CHANGE_KINDS = {"өзгерт": "modify", "қосу": "add", "жою": "delete"}
REGISTER_COLUMNS = (
    "no",
    "section_clause",
    "change_type",
    "notice_no_date",
    "entered_date",
    "entered_by",
)


def find_toc(paragraphs: list[Paragraph]) -> tuple[int, int, list[dict]] | None:
    """(index of the "Мазмұны" paragraph, index after the last entry, entries)."""
    for i, para in enumerate(paragraphs):
        if fold(para.text) in _TOC_TITLES:
            end, entries = i + 1, []
            while end < len(paragraphs) and _is_toc_paragraph(paragraphs[end]):
                entries.extend(_toc_entry(line) for line in paragraphs[end].lines)
                end += 1
            return (i, end, entries) if entries else None
    return None


def _is_toc_paragraph(para: Paragraph) -> bool:
    looks = [
        ("\t" in line or bool(_TOC_LINE_RE.match(line) or _LEADER_RE.match(line)))
        for line in para.lines
    ]
    return sum(looks) * 2 >= len(looks)


_LEADER_RE = re.compile(r"^(?P<title>.*?\S)\s*[.…·_]{4,}\s*(?P<page>\d{1,3})?$")


def _toc_entry(line: str) -> dict:
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    leader = _LEADER_RE.match(cells[-1]) if cells else None
    if leader:  # "Title.........5": a dot leader to the page number, in one cell
        cells[-1:] = [
            leader.group("title"),
            *([leader.group("page")] if leader.group("page") else []),
        ]
    if len(cells) == 1:
        match = _TOC_LINE_RE.match(cells[0])
        if match and _TOC_NUMBER_RE.match(match.group("number")):
            cells = [match.group("number"), match.group("title"), match.group("page")]
    number = cells.pop(0) if len(cells) > 1 and _TOC_NUMBER_RE.match(cells[0]) else ""
    page = int(cells.pop()) if len(cells) > 1 and cells[-1].isdigit() else None
    return {"number": number, "title": squash(" ".join(cells)), "page": page}


def heading(para: Paragraph, toc_titles: set[str]) -> dict | None:
    """A section heading, or None: {"number", "number_as_printed", "title_as_printed", "value"}."""
    if len(para.lines) > 2:
        return None
    line = squash(para.text)
    match = _ROMAN_HEADING_RE.match(line)
    if match and len(line) <= 150 and not line.endswith((".", ";", ":")):
        number = match.group("number")
        return _heading(number, f"{number}.", match.group("title"), roman_to_int(number))
    match = _ARABIC_HEADING_RE.match(line)
    if match:
        title = match.group("title")
        if is_upper_text(title) or fold(title) in toc_titles:
            number = match.group("number")
            printed = number + match.group("dot")
            return _heading(number, printed, title, int(number))
    return None


def _heading(number: str, printed: str, title: str, value: int) -> dict:
    return {
        "number": number,
        "number_as_printed": printed,
        "title_as_printed": title,
        "value": value,
    }


def find_body(
    paragraphs: list[Paragraph], after: int, toc: list[dict], marked: set[str] = frozenset()
) -> tuple[int, int]:
    """(first, end) paragraph indices of the numbered body; end is the register or annex.
    ``marked``: folded titles the source marks as headings (Word heading styles)."""
    titles = {fold(entry["title"]) for entry in toc} | set(marked)
    start = len(paragraphs)
    for i in range(after, len(paragraphs)):
        found = heading(paragraphs[i], titles)
        if found and (found["value"] == 1 or toc):
            start = i
            break
    ends = {REGISTER_TITLE} | {fold(e["title"]) for e in toc if not e["number"]}
    for j in range(start + 1, len(paragraphs)):
        if len(paragraphs[j].lines) == 1 and fold(paragraphs[j].text) in ends:
            return start, j
    return start, len(paragraphs)


def parse_register(paragraphs: list[Paragraph]) -> list[dict]:
    """Filled rows of the revision register; header rows and blank ruled rows are skipped."""
    if not paragraphs or fold(paragraphs[0].text) != REGISTER_TITLE:
        return []
    rows = []
    for para in paragraphs[1:]:
        for line in para.lines:
            cells = [cell.strip() for cell in line.split("\t")]
            if not cells or not re.match(r"^\d+$", cells[0]):
                continue
            cells += [""] * (len(REGISTER_COLUMNS) - len(cells))
            rows.append(_register_row(dict(zip(REGISTER_COLUMNS, cells, strict=False))))
    return rows


def _register_row(row: dict) -> dict:
    """Add the parsed values next to the printed ones ("№1, 12.09.2017" -> "№1", ISO date)."""
    notice = re.match(r"^(?P<no>№?\s*[\w/-]+)", row["notice_no_date"])
    change = row["change_type"].casefold()
    return {
        **row,
        "change_type_as_printed": row["change_type"],
        "change_type": next((kind for stem, kind in CHANGE_KINDS.items() if stem in change), None),
        "notice_number": squash(notice.group("no")) if notice else None,
        "notice_date": parse_date(row["notice_no_date"]),
        "entered_date_as_printed": row["entered_date"],
        "entered_date": parse_date(row["entered_date"]),
    }
