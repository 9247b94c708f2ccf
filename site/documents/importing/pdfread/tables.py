"""Ruled tables: the revision register goes to data, every other table to tab-separated lines.

pdfplumber's table finder is run only on a page that draws enough rules to hold a table.
The revision register ("Өзгерістерді тіркеу парағы": two header rows, "Өзгеріс енгізілді"
spanning two columns, filled rows and blank ruled rows) is read into the row shape of
``textparse.layout`` (change type normalised, dates in ISO); blank rows are not entries.
Other tables become one line per row, cells joined by tabs; a two-cell abbreviations row
is printed "meaning\\t–\\tabbr" like the seed text.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..textparse.body import abbreviation_row
from ..textparse.common import squash
from ..textparse.layout import REGISTER_COLUMNS, _register_row
from .lines import Line

_REGISTER_HEADER_RE = re.compile(r"өзгеріс")
_NUMBER_RE = re.compile(r"^\d{1,3}\.?$")


def has_ruling(page) -> bool:
    """Enough horizontal and vertical rules for a table (a header rule alone is not one)."""
    horizontal = vertical = 0
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontal += 1
        else:
            vertical += 1
        if horizontal >= 2 and vertical >= 2:
            return True
    return False


def cell_text(raw: str | None) -> str:
    """A cell's lines as one string: "715-" + "01" -> "715-01", "15.09.20" + "17" ->
    "15.09.2017", other breaks -> a space."""
    if not raw:
        return ""
    text = re.sub(r"(\w-)\n(?=\w)", r"\1", raw)
    # a date or number too wide for a narrow column is broken anywhere: "15.09.20" / "17"
    text = re.sub(r"(\b\d{1,2}\.\d{1,2}\.\d{0,3})\n(?=\d)", r"\1", text)
    return squash(text.replace("\u00ad\n", ""))


def is_register(rows: list[list[str]]) -> bool:
    header = " ".join(cell for row in rows[:3] for cell in row).casefold()
    return bool(_REGISTER_HEADER_RE.search(header)) and max(len(r) for r in rows) >= 5


def register_rows(rows: list[list[str]], page: int) -> tuple[list[dict], list[str], int]:
    """(filled rows in ``textparse.layout`` shape, warnings, number of blank ruled rows)."""
    entries, warnings, blank = [], [], 0
    width = len(REGISTER_COLUMNS)
    for index, cells in enumerate(rows, start=1):
        if not any(cells):
            blank += 1
            continue
        first = cells[0]
        if not _NUMBER_RE.match(first):
            if entries or index > 3:
                warnings.append(
                    _(
                        "page %(page)s, register row %(row)s: not understood (no change "
                        "number in the first column): «%(text)s»"
                    )
                    % {"page": page, "row": index, "text": " | ".join(c for c in cells if c)[:80]}
                )
            continue
        if len(cells) != width:
            warnings.append(
                _(
                    "page %(page)s, register row %(row)s: %(count)s columns instead of "
                    "%(width)s; the extra cells were added to the last column"
                )
                % {"page": page, "row": index, "count": len(cells), "width": width}
            )
            cells = [*cells[: width - 1], " ".join(c for c in cells[width - 1 :] if c)]
            cells += [""] * (width - len(cells))
        row = dict(zip(REGISTER_COLUMNS, cells, strict=True))
        row["no"] = first.rstrip(".")
        entries.append(_register_row(row))
    return entries, warnings, blank


def table_lines(table, rows: list[list[str]], page: int, group: int) -> list[Line]:
    """One line per non-empty row; cells joined by tabs."""
    out = []
    for number, (cells, box) in enumerate(zip(rows, table.rows, strict=False), start=1):
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        abbreviation = abbreviation_row(filled) if len(filled) == 2 else None
        if abbreviation:
            filled = [abbreviation["meaning"], "–", abbreviation["abbr"]]
        x0, top, x1, bottom = box.bbox
        out.append(
            Line(
                page=page,
                number=number,
                top=top,
                bottom=bottom,
                x0=x0,
                x1=x1,
                size=0.0,
                bold=False,
                text="\t".join(filled),
                first_width=0.0,
                text_x0=x0,
                tabbed=len(filled) > 1,
                kind="row",
                group=group,
            )
        )
    return out


def read_tables(page, page_no: int, first_group: int):
    """(table boxes, row lines, register rows, warnings) of one page."""
    boxes, lines, register, warnings = [], [], [], []
    if not has_ruling(page):
        return boxes, lines, register, warnings
    for i, table in enumerate(page.find_tables()):
        raw = table.extract()
        if len(raw) < 2 and max((len(r) for r in raw), default=0) < 2:
            continue  # a framed paragraph, not a table
        rows = [[cell_text(cell) for cell in row] for row in raw]
        boxes.append(table.bbox)
        if is_register(rows):
            entries, problems, blank = register_rows(rows, page_no)
            register += entries
            warnings += problems
            if blank:
                warnings.append(
                    _(
                        "page %(page)s: %(count)s blank ruled row(s) of the revision register "
                        "skipped (not entries)"
                    )
                    % {"page": page_no, "count": blank}
                )
        else:
            lines += table_lines(table, rows, page_no, first_group + i)
    return boxes, lines, register, warnings


def inside(word: dict, boxes: list[tuple]) -> bool:
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)
