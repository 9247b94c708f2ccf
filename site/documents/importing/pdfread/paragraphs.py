"""Printed lines -> the paragraph text ``parse_text`` reads (blank line between paragraphs).

A line that the word processor wrapped (the next line's first word would not have fitted
on it, and the next line goes on where such continuations start) is joined back into one
line, across a page break too; "715-" + "01" is glued without a space. Any other break is
either a new paragraph (more space above, a first-line indent, a bullet, a clause number,
a change of font size or weight, centred title lines, a table) or a line break inside the
paragraph (the lines of a signature: position, name, date).
"""

from __future__ import annotations

import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..textparse.clean import broken_codes
from .lines import Line

_CLAUSE_START_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,3})+\.?|[IVXL]{1,6}\.)\s")
_HYPHEN_END_RE = re.compile(r"\w-$")
_LEADER_END_RE = re.compile(r"[.…·_]{4,}\s*\d{1,3}$")
NEAR = 2.5
#: Codes cut at a line end and glued back while a PDF is read ("715-" + "01"), when a
#: reader collects them (``pdf.parse_pdf``): the importer proposes the glue as a fix.
GLUED_CODES: ContextVar[list[dict] | None] = ContextVar("GLUED_CODES", default=None)


@dataclass
class Metrics:
    size: float  # the body text size
    left: float
    right: float
    pitch: float  # baseline-to-baseline distance of body lines
    indent: float | None  # x of a first-line indent, if the document uses one
    clause_x: set[float] = field(default_factory=set)

    def centre(self) -> float:
        return (self.left + self.right) / 2


def _mode(values: list[float], default: float) -> float:
    return Counter(values).most_common(1)[0][0] if values else default


def measure(lines: list[Line]) -> Metrics:
    text = [line for line in lines if line.kind == "text"]
    weights: Counter[float] = Counter()
    for line in text:
        weights[line.size] += len(line.text)
    size = weights.most_common(1)[0][0] if weights else 10.0
    body = [line for line in text if abs(line.size - size) < 0.6] or text
    left = _mode([round(line.x0, 0) for line in body], 0.0)
    left = min((line.x0 for line in body if abs(line.x0 - left) <= 1), default=left)
    ends = sorted(line.x1 for line in body)
    right = ends[int(len(ends) * 0.9)] if ends else left + 400
    deltas = [
        round((b.top - a.top) * 2) / 2
        for a, b in pairwise(body)
        if a.page == b.page and 0.9 * size <= b.top - a.top <= 2 * size
    ]
    pitch = _mode(deltas, 1.2 * size)
    indents = [
        round(line.x0, 1) for line in body if left + 8 <= line.x0 <= left + 60 and not line.bullet
    ]
    indent = _mode(indents, 0.0) if len(indents) >= 3 else None
    starts = Counter(round(line.x0) for line in body if _CLAUSE_START_RE.match(line.text))
    total = sum(starts.values())
    clause_x = {x for x, n in starts.items() if n >= max(2, total * 0.2)}
    return Metrics(size, left, right, pitch, indent, clause_x)


def _near(a: float, b: float | None) -> bool:
    return b is not None and abs(a - b) <= NEAR


class _Assembler:
    def __init__(self, metrics: Metrics):
        self.m = metrics
        self.paragraphs: list[list[str]] = []
        self.prev: Line | None = None
        self.starts: list[float] = []  # where continuations of the current line may start
        self.first: Line | None = None  # the first line of the current paragraph
        self.continued: list[float] = []  # where its wrapped lines did start
        self.columns: list[float] = []  # x of the 2nd, 3rd … cells of its last tabbed row

    def add(self, line: Line) -> None:
        prev = self.prev
        merged = self._cell_goes_on(prev, line) if prev is not None else None
        if merged is not None:
            self.paragraphs[-1][-1], self.prev = merged
            return
        if prev is not None and self._wraps(prev, line):
            last = self.paragraphs[-1]
            last[-1] = join_wrapped(last[-1], line.as_printed if line.dash else line.text)
            self.starts.append(line.x0)
            self.continued.append(line.x0)
            # the wrapped line goes on as the line it continues (a bullet item stays one)
            line = replace(line, bullet=prev.bullet, dash=prev.dash)
        elif prev is not None and not self._new_paragraph(prev, line):
            self.paragraphs[-1].append(line.text)
            self.starts = [line.x0, line.text_x0]
            self.first, self.continued = line, []
            self.columns = [x0 for x0, _ in line.cells[1:]] or self.columns
        else:
            self.paragraphs.append([line.text])
            self.starts = [line.x0, line.text_x0]
            self.first, self.continued = line, []
            self.columns = [x0 for x0, _ in line.cells[1:]]
        self.prev = line

    def _centred(self, line: Line, *, at_indent: bool = False) -> bool:
        """Centred between the margins (a line at the first-line indent only if allowed)."""
        m = self.m
        left_space, right_space = line.x0 - m.left, m.right - line.x1
        return (
            left_space > 15
            and right_space > 15
            and abs(left_space - right_space) <= 4
            and (at_indent or not _near(line.x0, m.indent))
        )

    def _full_centred(self, a: Line) -> bool:
        """A centred line that fills the text width (a long title's first line)."""
        m = self.m
        return abs((a.x0 + a.x1) / 2 - m.centre()) <= 4 and a.x1 - a.x0 > 0.85 * (m.right - m.left)

    def _gap_too_big(self, a: Line, b: Line) -> bool:
        if a.page != b.page:
            return False
        scale = a.size / self.m.size if a.size and self.m.size else 1.0
        return b.top - a.top > self.m.pitch * scale * 1.15 + 0.3

    def _same_style(self, a: Line, b: Line) -> bool:
        return a.bold == b.bold and abs(a.size - b.size) < 0.6

    def _is_clause(self, line: Line) -> bool:
        return bool(_CLAUSE_START_RE.match(line.text)) and round(line.x0) in self.m.clause_x | {
            round(self.m.indent or -1)
        }

    def _wraps(self, a: Line, b: Line) -> bool:
        """Is ``b`` the rest of ``a``, which the word processor wrapped?"""
        if a.kind != "text" or b.kind != "text" or a.tabbed or b.tabbed:
            return False
        if _LEADER_END_RE.search(a.text):
            return False  # a contents entry ends at its page number: "Title.......15"
        if b.bullet and not b.dash:
            return False
        if not self._same_style(a, b) or self._gap_too_big(a, b):
            return False
        if self._is_clause(b) and not _HYPHEN_END_RE.search(a.text):
            return False
        both_centred = (self._centred(a) and self._centred(b)) or (
            self._full_centred(a) and self._centred(b, at_indent=True)
        )
        if not both_centred and a.x0 > self.m.left + 0.3 * (self.m.right - self.m.left):
            return False  # a right-aligned or tab-placed fragment (a signatory's name)
        if not both_centred and not any(_near(b.x0, x) for x in [self.m.left, *self.starts]):
            return False
        if not both_centred and self._opens_indented(b):
            return False
        if _HYPHEN_END_RE.search(a.text) or a.text.endswith("\u00ad"):
            return True
        room = self.m.right - a.x1
        if both_centred:
            room += a.x0 - self.m.left
        return b.first_width + 0.3 * a.size > room

    def _cell_goes_on(self, a: Line, b: Line) -> tuple[str, Line] | None:
        """``b`` as the wrapped rest of cells of ``a``, a row of a borderless table.

        A row of tab-separated cells (an approval sheet's position | name | date, a
        contents line) whose cells wrap prints the rest of each under the cell's start.
        A line whose every part starts under a cell of ``a``, and whose first word would
        not have fitted in that cell, goes into those cells; under the first cell only in
        a row of three cells or more.
        Returns (the row's new text, the row as a line) or None.
        """
        m = self.m
        if a.kind != "text" or b.kind != "text" or len(a.cells) < 2 or a.page != b.page:
            return None
        if b.bullet or _CLAUSE_START_RE.match(b.text) or not self._same_style(a, b):
            return None
        if self._gap_too_big(a, b):
            return None
        texts = a.text.split("\t")
        parts = b.text.split("\t")
        if len(texts) != len(a.cells) or len(parts) != len(b.cells):
            return None
        cells = list(a.cells)
        last = len(a.cells) - 1
        if len(parts) > 1 and abs(b.cells[-1][0] - a.cells[last][0]) <= NEAR:
            return None  # cells filled up to the last column: the table's next row
        for (x0, x1), part in zip(b.cells, parts, strict=True):
            k = next((i for i, (cx, _) in enumerate(a.cells) if abs(cx - x0) <= NEAR), None)
            if k is None:
                return None
            end = a.cells[k + 1][0] if k + 1 < len(a.cells) else m.right
            width = b.first_width if x0 == b.cells[0][0] else b_first_width(part, x0, x1)
            if width + 0.3 * m.size < end - a.cells[k][1] - m.size:
                return None  # it would have fitted in the cell: not the cell's rest
            at_indent = _near(x0, m.indent) and not _near(x0, m.left)
            if k == 0 and (len(a.cells) < 3 or at_indent):
                # "position<tab>name" over a date line typed under it is a tab-stop
                # layout, not a two-cell row whose first cell wrapped
                return None
            texts[k] = join_wrapped(texts[k], part)
            cells[k] = (cells[k][0], max(cells[k][1], x1))
        line = replace(a, top=b.top, bottom=b.bottom, text="\t".join(texts), cells=tuple(cells))
        return line.text, line

    def _opens_indented(self, b: Line) -> bool:
        """Does ``b`` start at the first-line indent, where this paragraph never wrapped to?

        A paragraph whose last line runs to the right margin is followed by one whose
        first line starts at the indent; that is a new paragraph, not a continuation,
        unless the paragraph's own wrapped lines (a block indent, a bullet's hanging
        indent) start there.
        """
        m = self.m
        if m.indent is None or not _near(b.x0, m.indent) or _near(b.x0, m.left):
            return False
        if self.first is not None and self.first.bullet and _near(b.x0, self.first.text_x0):
            return False
        return not any(_near(b.x0, x) for x in self.continued)

    def _new_paragraph(self, a: Line, b: Line) -> bool:
        if a.page != b.page or a.kind != b.kind or a.group != b.group:
            return True
        if b.kind == "row":
            return False
        if self._gap_too_big(a, b):
            return True
        if b.bullet or a.bullet:
            return not (a.bullet and b.bullet)
        if _CLAUSE_START_RE.match(b.text) or not self._same_style(a, b):
            return True
        if self._centred(a) or self._centred(b):
            return True
        if b.tabbed and not a.tabbed and _CLAUSE_START_RE.match(a.text):
            return True  # "3.2 Белгілеулер" over a borderless table
        if any(_near(b.x0, x) for x in self.columns):
            return False  # a row whose first cells are empty, under a column of the table
        indented = self.m.indent is not None and _near(b.x0, self.m.indent)
        return indented and not a.tabbed and not b.tabbed


def b_first_width(part: str, x0: float, x1: float) -> float:
    """Width of the first word of a cell's text, estimated from the cell's width."""
    first = part.split(" ", 1)[0]
    return (x1 - x0) * len(first) / max(len(part), 1)


def join_wrapped(before: str, after: str) -> str:
    """Join a wrapped line: a word or code cut at a hyphen is glued back, keeping the hyphen."""
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if _HYPHEN_END_RE.search(before) and after[:1].isalnum():
        glued = GLUED_CODES.get()
        if glued is not None and before[-2:-1].isdigit() and after[:1].isdigit():
            glued += broken_codes(before[-80:] + "\n" + after[:40])
        return before + after
    return f"{before} {after}"


def assemble(lines: list[Line], metrics: Metrics) -> str:
    assembler = _Assembler(metrics)
    for line in lines:
        assembler.add(line)
    return "\n\n".join("\n".join(p) for p in assembler.paragraphs) + "\n"
