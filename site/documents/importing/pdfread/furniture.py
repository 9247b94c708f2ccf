"""Running headers and footers: what every page repeats in its top or bottom margin.

A line in the top or bottom band of a page is furniture when the same text (digits
ignored, so "11 беттің 3-беті" matches "11 беттің 4-беті") stands at the same height on
most pages, whether it is plain text, a tab-separated line or a header drawn as a table;
a "page X of N" line or a bare page number in a band is furniture even on a single page.
Removed lines are reported, and a "N беттің X-беті" that disagrees with the real page
number or page count is warned about.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..textparse.clean import PAGE_OF_RE
from ..textparse.common import squash
from .lines import Line

BAND = 0.13  # share of the page height that counts as top or bottom margin
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$"
    r"|^(?:бет|стр\.?|страница|page)\s*\d{1,4}(?:\s*(?:/|из|of)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*(?:/|из|of)\s*\d{1,4}$|^\d{1,4}\s*-?\s*бет(?:і)?$",
    re.IGNORECASE,
)


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", squash(line.text))


def find_furniture(pages: list[list[Line]], heights: list[float]) -> tuple[set[int], list[str]]:
    """(ids of the lines to drop, warnings)."""
    candidates: list[Line] = []
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            if line.bottom <= height * BAND or line.top >= height * (1 - BAND):
                candidates.append(line)
    where: dict[str, list[Line]] = defaultdict(list)
    for line in candidates:
        where[_key(line)].append(line)
    needed = max(2, math.ceil(len(pages) * 0.5))
    drop: set[int] = set()
    removed: dict[str, set[int]] = defaultdict(set)
    for line in candidates:
        same = {o.page for o in where[_key(line)] if abs(o.top - line.top) <= 4}
        flat = squash(line.text)
        if len(same) >= needed or PAGE_OF_RE.search(flat) or _PAGE_NUMBER_RE.match(flat):
            drop.add(id(line))
            removed[_key(line)].add(line.page)
    warnings = [
        ngettext(
            "running header or footer removed from %(count)s page: «%(text)s»",
            "running header or footer removed from %(count)s pages: «%(text)s»",
            len(on),
        )
        % {"count": len(on), "text": squash(where[key][0].text)}
        for key, on in removed.items()
    ]
    warnings += _page_numbering([line for line in candidates if id(line) in drop], len(pages))
    return drop, warnings


def _page_numbering(lines: list[Line], total: int) -> list[str]:
    warnings = []
    for line in lines:
        match = PAGE_OF_RE.search(line.text)
        if not match:
            continue
        printed_page, printed_total = int(match.group("page")), int(match.group("total"))
        if printed_page != line.page or printed_total != total:
            warnings.append(
                _(
                    "page %(page)s, line %(line)s: the running header says page %(printed)s "
                    "of %(printed_total)s; the PDF has %(total)s page(s)"
                )
                % {
                    "page": line.page,
                    "line": line.number,
                    "printed": printed_page,
                    "printed_total": printed_total,
                    "total": total,
                }
            )
    return warnings
