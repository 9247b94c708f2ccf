"""From pdfplumber words (with font name and size) to printed lines.

A line is the words whose boxes overlap vertically, left to right. Between two words the
gap decides what is printed: nothing (a font change inside one word), a space, or a tab
("\\t") for a tab stop or a table column. A justified line stretches every space by the
same amount, so only a gap that stands out from the others on its line is a tab. A list
bullet (•, a symbol-font glyph, or a dash followed by a tab-like gap) becomes "- ".
The text is never rewritten otherwise: Kazakh letters and typing quirks stay as printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext as _

#: Bullets Word and LibreOffice print (the symbol-font ones arrive as private-use characters).
BULLET_CHARS = set("•·▪▫●◦○■□◆◇‣⁃∙➢➤►▸✓✔")
DASH_BULLETS = {"-", "–", "—", "‒"}
_CID_RE = re.compile(r"\(cid:\d+\)")
#: A list's number printed before the text: "2.2", "3.1.1.", "IV.", "1)".
_NUMBER_LABEL_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,3})*\.?|[IVXL]{1,6}\.|\w\))$")


@dataclass
class Line:
    """One printed line; ``text`` carries "\\t" for tab stops and "- " for a bullet."""

    page: int
    number: int  # 1-based on its page, for warnings
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str
    first_width: float  # width of the first word: would it have fitted on the line above?
    text_x0: float  # where the text starts after a bullet
    bullet: bool = False
    dash: bool = False  # a dash bullet, which may also be a wrapped line's "– …" instead
    as_printed: str = ""  # the text with its bullet as printed, for a dash line that wraps
    tabbed: bool = False
    kind: str = "text"  # "text", or "row" for a table row
    group: int = 0  # the table a row belongs to
    cells: tuple[tuple[float, float], ...] = ()  # (x0, x1) of each tab-separated part


def is_private_use(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def _is_bullet_word(word: dict, following: dict | None) -> bool:
    text = word["text"]
    if len(text) != 1:
        return False
    if text in BULLET_CHARS or is_private_use(text):
        return True
    if text in DASH_BULLETS and following is not None:
        return following["x0"] - word["x1"] >= 0.6 * word["size"]
    return False


def style_word(word: dict) -> dict:
    """Give a pdfplumber word (extracted with ``return_chars``) its "size" and "bold".

    The size is the one most of its letters have; the word is bold when all its letters
    are, whatever font each letter came from (a fallback font for one letter is common).
    """
    chars = word.pop("chars", None) or []
    sizes: Counter[float] = Counter(round(c["size"], 2) for c in chars)
    word["size"] = sizes.most_common(1)[0][0] if sizes else float(word.get("size") or 0)
    word["bold"] = bool(chars) and all(_is_bold(c["fontname"]) for c in chars)
    return word


def _is_bold(fontname: str) -> bool:
    return "Bold" in fontname or "Black" in fontname or "Heavy" in fontname


def group_lines(words: list[dict]) -> list[list[dict]]:
    """Words of one page in reading order, grouped into lines (vertical overlap)."""
    rows: list[list[dict]] = []
    top = bottom = 0.0
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = word["bottom"] - word["top"]
        if rows:
            overlap = min(bottom, word["bottom"]) - max(top, word["top"])
            if overlap >= 0.5 * min(height, bottom - top):
                rows[-1].append(word)
                bottom = max(bottom, word["bottom"])
                continue
        rows.append([word])
        top, bottom = word["top"], word["bottom"]
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def _weighted_size(words: list[dict]) -> float:
    sizes: Counter[float] = Counter()
    for word in words:
        sizes[round(word["size"] * 2) / 2] += len(word["text"])
    return sizes.most_common(1)[0][0]


def _separators(words: list[dict], size: float) -> list[str]:
    """What stands between each pair of words: "", " " or "\\t"."""
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(words)]
    glued = 0.12 * size
    spaces = [g for g in gaps if g > glued]
    if not spaces:
        return ["" for _ in gaps]
    # A justified line stretches every space alike; a tab stands out from a plain space.
    uniform = len(spaces) >= 2 and max(spaces) - min(spaces) < 0.15 * size
    # The space after a list's number ("2.2 Қазақстан …") is the list's own, not stretched:
    # the rest of the line may be justified all the same.
    label = (
        not uniform
        and _NUMBER_LABEL_RE.match(words[0]["text"]) is not None
        and gaps[0] > glued
        and len(spaces) >= 3
        and max(spaces[1:]) - min(spaces[1:]) < 0.15 * size
    )
    uniform = uniform or label
    # A tab, or the gap between two cells of a borderless table (a narrow "–" or number
    # column: two cell paddings, about 11 pt), stands well out from a plain space.
    tab_from = max(0.8 * size, min(*spaces, 0.35 * size) + 0.6 * size)
    out = []
    for at, gap in enumerate(gaps):
        if gap <= glued:
            out.append("")
        elif (not uniform or (label and at == 0)) and gap >= tab_from:
            out.append("\t")
        else:
            out.append(" ")
    return out


def build_line(words: list[dict], page: int, number: int) -> Line:
    first = words[0]
    bullet = _is_bullet_word(first, words[1] if len(words) > 1 else None) and len(words) > 1
    body = words[1:] if bullet else words
    size = _weighted_size(body)
    text = body[0]["text"]
    separators = _separators(body, size)
    cells = [[body[0]["x0"], body[0]["x1"]]]
    for sep, word in zip(separators, body[1:], strict=True):
        text += sep + word["text"]
        if sep == "\t":
            cells.append([word["x0"], word["x1"]])
        else:
            cells[-1][1] = word["x1"]
    as_printed = f"{first['text']} {text}" if bullet else text
    if bullet:
        text = "- " + text
    return Line(
        page=page,
        number=number,
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        x0=first["x0"],
        x1=words[-1]["x1"],
        size=size,
        bold=all(w["bold"] for w in body),
        text=text,
        first_width=first["x1"] - first["x0"],
        text_x0=body[0]["x0"],
        bullet=bullet,
        dash=bullet and first["text"] in DASH_BULLETS,
        as_printed=as_printed,
        tabbed="\t" in separators,
        cells=tuple((x0, x1) for x0, x1 in cells),
    )


def line_warnings(line: Line) -> list[str]:
    """Characters the PDF does not map to Unicode, or maps to a symbol font's private area."""
    where = _("page %(page)s, line %(line)s") % {"page": line.page, "line": line.number}
    warnings = []
    unmapped = len(_CID_RE.findall(line.text)) + line.text.count("\ufffd")
    if unmapped:
        warnings.append(
            _(
                "%(where)s: %(count)s character(s) have no Unicode meaning in the PDF and were "
                "not understood: «%(text)s»"
            )
            % {"where": where, "count": unmapped, "text": line.text[:60]}
        )
    private = [ch for ch in line.text if is_private_use(ch)]
    if private:
        codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in private}))
        warnings.append(
            _("%(where)s: symbol-font character(s) %(codes)s kept as printed: «%(text)s»")
            % {"where": where, "codes": codes, "text": line.text[:60]}
        )
    return warnings
