"""First pass: from an office file's text dump to clean lines and paragraphs.

Text converted from Word still carries HTML cell tags (``<p align="center">``), markdown
emphasis (``**bold**``, ``*italic*``, ``<u>``) and the running page header of every page
("ҚазҰТЗУ 715 ҚП · … · 15 беттің 10-беті" and its rule). Tags and marks go, their text
stays; each ``<p>`` cell becomes its own paragraph; running headers are removed and
reported, so that the body reads as one flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..codes import join_broken_codes

_CELL_TAG_RE = re.compile(r"</?p\b[^>]*>", re.IGNORECASE)
_BREAK_TAG_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(r"</?(?:u|b|i|s|em|strong|span|font|sup|sub)\b[^>]*>", re.IGNORECASE)
_STAR_BULLET_RE = re.compile(r"^(\s*)\*\s+(?=\S)")
#: "15 беттің 10-беті", "15 беттің 10- беті" (page 10 of 15).
PAGE_OF_RE = re.compile(r"(?P<total>\d+)\s*беттің\s*(?P<page>\d+)\s*-\s*беті", re.IGNORECASE)
#: A rule drawn under a running header: dashes, maybe in tab-separated cells.
_RULE_RE = re.compile(r"^[\s\-–—_=]*[\-–—_=]{3,}[\s\-–—_=]*$")
_TABLE_RULE_RE = re.compile(r"^\s*-{3,}(?:\t+-{3,})+\s*$")


@dataclass
class Paragraph:
    """Consecutive non-blank lines; ``index`` is the number of the first line (0-based)."""

    lines: list[str]
    index: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Cleaned:
    lines: list[str]
    page_headers: list[dict] = field(default_factory=list)
    #: codes cut at a line end and glued back: {"found": "ҚазҰТЗУ 715- 01 Ү", "joined": …}
    broken_codes: list[dict] = field(default_factory=list)


#: A code cut at a line end, with the word before it and a form's kind letter after it.
_BROKEN_CODE_CONTEXT_RE = re.compile(
    r"(?P<left>(?:[^\s<>*]+[ \t]+)?[^\s<>*]*\d)-[ \t]*\r?\n[ \t]*"
    r"(?P<right>\d+(?:[ \t]*[ҮФY](?!\w))?)"
)


def broken_codes(text: str) -> list[dict]:
    """The codes ``join_broken_codes`` glues in ``text``, as found (the line end read as a
    space) and glued."""
    return [
        {
            "found": f"{squash(m['left'])}- {squash(m['right'])}",
            "joined": f"{squash(m['left'])}-{squash(m['right'])}",
        }
        for chunk in _cut_line_runs(text)
        for m in _BROKEN_CODE_CONTEXT_RE.finditer(chunk)
    ]


def _cut_line_runs(text: str) -> list[str]:
    """The runs of lines of ``text`` that a cut code may span: a line ending in "-" and the
    lines after it up to the first that does not. A match of ``_BROKEN_CODE_CONTEXT_RE``
    crosses exactly one line end, the one after such a "-", so matching these runs alone
    finds the same codes as matching the whole text, without trying every position of it."""
    if "-" not in text:
        return []
    lines = text.split("\n")
    runs, start = [], None
    for at, line in enumerate(lines):
        cut = line.rstrip(" \t\r").endswith("-")
        if cut and start is None:
            start = at
        elif not cut and start is not None:
            runs.append("\n".join(lines[start : at + 1]))
            start = None
    if start is not None:
        runs.append("\n".join(lines[start:]))
    return runs


def squash(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text).strip()


_WHITESPACE_RE = re.compile(r"\s+")


def clean_text(text: str) -> Cleaned:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    broken = broken_codes(text)
    text = join_broken_codes(text)
    lines: list[str] = []
    for raw in text.split("\n"):
        lines.extend(_split_cells(raw))
    lines = [_strip_marks(line) for line in lines]
    cleaned = _drop_running_headers(lines)
    cleaned.broken_codes = broken
    return cleaned


def _split_cells(raw: str) -> list[str]:
    """A line of ``<p>`` cells becomes one paragraph per cell (blank lines between)."""
    raw = _BREAK_TAG_RE.sub("\n", raw)
    if not _CELL_TAG_RE.search(raw):
        return raw.split("\n")
    out: list[str] = []
    for cell in _CELL_TAG_RE.split(raw):
        if cell.strip():
            out.extend(["", *cell.strip().split("\n"), ""])
    return out or [""]


def _strip_marks(line: str) -> str:
    line = _INLINE_TAG_RE.sub("", line)
    line = _STAR_BULLET_RE.sub(r"\1- ", line)
    line = line.replace("*", "")
    line = line.replace("\u00a0", " ")
    return line.strip() if line.strip() else ""


def _drop_running_headers(lines: list[str]) -> Cleaned:
    keep = [True] * len(lines)
    headers = []
    for i, line in enumerate(lines):
        match = PAGE_OF_RE.search(line)
        if not match or len(line) > 200:
            continue
        keep[i] = False
        headers.append(
            {
                "line": i + 1,
                "text": line,
                "page": int(match.group("page")),
                "total": int(match.group("total")),
            }
        )
        for j in (*_neighbours(lines, i, +1), *_neighbours(lines, i, -1)):
            if _RULE_RE.match(lines[j]):
                keep[j] = False
    for i, line in enumerate(lines):
        if _TABLE_RULE_RE.match(line):
            keep[i] = False
    return Cleaned([line for line, k in zip(lines, keep, strict=True) if k], headers)


def _neighbours(lines: list[str], i: int, step: int) -> list[int]:
    """The first non-blank line next to line ``i`` in direction ``step`` (if any)."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j]:
        j += step
    return [j] if 0 <= j < len(lines) else []


def split_paragraphs(lines: list[str]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate([*lines, ""]):
        if line:
            if not current:
                start = i
            current.append(line)
        elif current:
            paragraphs.append(Paragraph(current, start))
            current = []
    return paragraphs
