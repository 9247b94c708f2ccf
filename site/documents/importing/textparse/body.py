"""The numbered body: sections, and in each the blocks that carry every word once, in order.

Lines become items (text, bullet, numbered clause, table row); a paragraph that a page
break cut in two (no closing punctuation, next part starts in lower case) is joined back;
items then become blocks: clauses with their bullets, unnumbered paragraphs and
sub-headings, bullet lists, terms, abbreviation tables and normative references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .clean import Paragraph
from .common import (
    BULLET_RE,
    CLAUSE_RE,
    UPPER,
    ends_terminal,
    fold,
    squash,
    starts_lower,
)
from .layout import heading

_TERM_RE = re.compile(r"^(?P<term>[^–—]+?)\s+[–—-]\s+(?P<definition>\S.*)$", re.DOTALL)
_DASH_CELLS = {"", "-", "–", "—"}


@dataclass
class Item:
    kind: str  # "text" | "bullet" | "clause" | "row"
    text: str
    number: str | None = None
    para_start: bool = False
    lines: int = 1
    list_item: bool = False
    joined: bool = False
    cells: list[str] = field(default_factory=list)


def parse_sections(paragraphs: list[Paragraph], toc_titles: set[str]) -> list[dict]:
    sections: list[dict] = []
    chunks: list[list[Paragraph]] = []
    previous = 0
    for para in paragraphs:
        found = heading(para, toc_titles)
        if found and found["value"] > previous:
            previous = found["value"]
            sections.append(found)
            chunks.append([])
        elif chunks:
            chunks[-1].append(para)
    for section, chunk in zip(sections, chunks, strict=True):
        builder = _Builder(section["number"])
        items = to_items(chunk)
        for i, item in enumerate(items):
            builder.add(item, items[i + 1] if i + 1 < len(items) else None)
        section["clauses"] = _summaries(builder.blocks)
        section["blocks"] = _typed(builder.blocks, section["title_as_printed"])
        section["joins"] = builder.joins
    return sections


def to_items(paragraphs: list[Paragraph]) -> list[Item]:
    items: list[Item] = []
    for para in paragraphs:
        for at, line in enumerate(para.lines):
            item = _item(line)
            if item is None and at and items and items[-1].kind != "row":
                items[-1].text = _join(items[-1].text, line)
                items[-1].lines += 1
                continue
            item = item or Item("text", line)
            item.para_start = at == 0
            items.append(item)
    return _join_page_breaks(items)


def _item(line: str) -> Item | None:
    if "\t" in line:
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        return Item("row", squash(" ".join(cells)), cells=cells)
    bullet = BULLET_RE.match(line)
    if bullet:
        clause = CLAUSE_RE.match(bullet.group("text"))
        if clause and clause.group("rest"):
            return Item("clause", clause.group("rest"), clause.group("number"), list_item=True)
        return Item("bullet", bullet.group("text"))
    clause = CLAUSE_RE.match(line)
    if clause:
        return Item("clause", clause.group("rest") or "", clause.group("number"))
    return None


def _join(before: str, after: str) -> str:
    if re.search(r"\d-$", before) and after[:1].isdigit():
        return before + after
    return f"{before} {after}"


def _join_page_breaks(items: list[Item]) -> list[Item]:
    """Glue a paragraph whose end a page break moved into the next paragraph."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and item.kind == "text"
            and item.para_start
            and prev.kind in ("text", "bullet", "clause")
            and prev.text
            and not ends_terminal(prev.text)
            and starts_lower(item.text)
        ):
            prev.text = f"{prev.text} {item.text}"
            prev.lines += item.lines
            prev.joined = True
            continue
        out.append(item)
    return out


def _heading_like(text: str) -> bool:
    short = bool(text) and len(text) <= 80 and len(text.split()) <= 8
    return short and not text.rstrip().endswith(tuple(".:;!?,"))


class _Builder:
    """Turns a section's items into blocks; see the module docstring for the rules."""

    def __init__(self, section_number: str):
        self.section_number = section_number
        self.blocks: list[dict] = []
        self.collecting = False  # a titled clause takes the next paragraphs as its text
        self.joins: list[str] = []

    @property
    def last(self) -> dict | None:
        return self.blocks[-1] if self.blocks else None

    def add(self, item: Item, nxt: Item | None) -> None:
        getattr(self, f"_{item.kind}")(item, nxt)
        if item.joined:
            self.joins.append(self._where())

    def _where(self) -> str:
        numbered = [b["number"] for b in self.blocks if b.get("number")]
        if numbered:
            return _("clause %(number)s") % {"number": numbered[-1]}
        return _("section %(number)s") % {"number": self.section_number}

    def _clause(self, item: Item, nxt: Item | None) -> None:
        title, text = None, item.text
        follows = nxt is not None and nxt.kind in ("text", "row") and nxt.para_start
        if _heading_like(text) and follows and not item.list_item:
            title, text = text, ""
        block = {"type": "clause", "number": item.number, "title": title, "text": text, "items": []}
        if item.list_item:
            block["list_item"] = True
        self.blocks.append(block)
        self.collecting = title is not None or not text

    def _bullet(self, item: Item, nxt: Item | None) -> None:
        last = self.last
        if last is not None and last["type"] in ("clause", "bullets"):
            last["items"].append(item.text)
        else:
            self.blocks.append({"type": "bullets", "items": [item.text]})
        self.collecting = False

    def _text(self, item: Item, nxt: Item | None) -> None:
        last = self.last
        if self.collecting and last is not None and not last["items"]:
            last["text"] = f"{last['text']}\n{item.text}" if last["text"] else item.text
            return
        self.collecting = False
        row = self._abbreviation_in_text(item.text)
        if row:
            self._add_row(row)
        elif _is_subheading(item, last, nxt):
            self.blocks.append({"type": "subheading", "title": item.text})
        else:
            self.blocks.append({"type": "paragraph", "text": item.text})

    def _row(self, item: Item, nxt: Item | None) -> None:
        self.collecting = False
        row = abbreviation_row(item.cells)
        if row:
            self._add_row(row)
        else:
            self.blocks.append({"type": "paragraph", "text": item.text})

    def _add_row(self, row: dict) -> None:
        last = self.last
        if last is not None and last["type"] == "abbreviations":
            last["rows"].append(row)
        else:
            self.blocks.append({"type": "abbreviations", "rows": [row]})

    def _abbreviation_in_text(self, text: str) -> dict | None:
        """ "ТК – Тіркеу кеңсесі" written without a table, inside an abbreviations list."""
        last = self.last
        in_list = last is not None and (
            last["type"] == "abbreviations"
            or (last["type"] == "clause" and re.search("қысқарт", fold(last["title"] or "")))
        )
        match = _TERM_RE.match(text) if in_list else None
        return abbreviation_row([match.group("term"), match.group("definition")]) if match else None


def _is_subheading(item: Item, last: dict | None, nxt: Item | None) -> bool:
    """A short line of its own, opening a run of text ("Жатақхана беру")."""
    text = item.text
    if not (item.para_start and item.lines == 1 and not item.joined):
        return False
    if not re.match(f'[{UPPER}«"]', text) or len(text) > 120 or len(text.split()) > 15:
        return False
    if nxt is None or nxt.kind != "text" or not nxt.para_start or text.endswith((":", ";", ",")):
        return False
    if ends_terminal(text):
        # "Материалдық көмек көрсету … аудару." opens a list announced by "…алады:".
        return last is not None and last["type"] == "paragraph" and last["text"].endswith(":")
    return True


def abbreviation_row(cells: list[str]) -> dict | None:
    cells = [cell.strip() for cell in cells if cell.strip() not in _DASH_CELLS]
    if len(cells) != 2:
        return None
    scores = [_abbr_score(cell) for cell in cells]
    if max(scores) < 0.5:
        return None
    abbr_at = (
        0
        if scores[0] > scores[1] or (scores[0] == scores[1] and len(cells[0]) < len(cells[1]))
        else 1
    )
    return {"abbr": cells[abbr_at], "meaning": cells[1 - abbr_at]}


def _abbr_score(cell: str) -> float:
    """Share of capitals in a one-word cell (0 for a phrase)."""
    letters = [ch for ch in cell if ch.isalpha()]
    if " " in cell.strip() or not letters or len(cell) > 15:
        return 0.0
    return sum(ch.isupper() for ch in letters) / len(letters)


def _summaries(blocks: list[dict]) -> list[dict]:
    """Every numbered unit as {"number", "title", "text"}, bullets as "– item" lines."""
    out = []
    for i, block in enumerate(blocks):
        if block["type"] != "clause":
            continue
        text = block["text"] + "".join(f"\n– {item}" for item in block["items"])
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not block["text"] and nxt is not None and nxt["type"] == "abbreviations":
            text = "\n".join(f"{row['meaning']} – {row['abbr']}" for row in nxt["rows"])
        out.append({"number": block["number"], "title": block["title"], "text": text.strip()})
    return out


def _typed(blocks: list[dict], section_title: str) -> list[dict]:
    """Clauses of a terms list become terms; of the normative-references section, references."""
    parents = [
        b["number"]
        for b in blocks
        if b["type"] == "clause" and re.search("термин", fold(b["title"] or ""))
    ]
    terms_section = "термин" in fold(section_title) and not parents
    references = "нормативтік" in fold(section_title)
    out = []
    for block in blocks:
        if block["type"] == "clause" and references:
            block = _reference(block)
        elif block["type"] == "clause" and not block["title"]:
            under = any(block["number"].startswith(f"{p}.") for p in parents)
            if under or terms_section:
                block = _term(block)
        out.append(block)
    return out


def _term(block: dict) -> dict:
    match = _TERM_RE.match(block["text"])
    if not match or len(match.group("term").split()) > 8:
        return block
    term = {
        "type": "term",
        "number": block["number"],
        "term": match.group("term").strip(),
        "definition": match.group("definition").strip(),
    }
    if block["items"]:
        term["items"] = block["items"]
    return term


def _reference(block: dict) -> dict:
    reference = {"type": "reference", "number": block["number"], "text": block["text"]}
    if block["title"]:
        reference["title"] = block["title"]
    if block["items"]:
        reference["items"] = block["items"]
    return reference
