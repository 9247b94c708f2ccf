"""The outline of a document body: every section and clause with its stable anchor.

Anchors are what deep links point at (``…/715-kp/#3.1.5``), so they follow the numbers as
printed: a clause keeps its number as its anchor; a number printed twice (the mentor
instruction's VI 6.1 and VII 6.1) gets its section in front the second time ("VII-6.1");
sections are "s-1", "s-VII"; unnumbered sub-headings take a slug of their words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

NUMBERED_TYPES = {"clause", "term", "reference", "abbreviations"}


@dataclass(frozen=True)
class OutlineEntry:
    kind: str  # "section", "clause", "term", "reference", "abbreviations", "subheading"
    anchor: str
    number: str
    title: str
    level: int
    position: tuple[int, int | None]  # (index of the section in the body, index in the section)
    section_number: str


def clean_number(number: str) -> str:
    return (number or "").strip().rstrip(".").strip()


def clause_level(number: str) -> int:
    """1 for "7.2", 2 for "3.1.5": the depth is the number of dots, whatever the section."""
    parts = [p for p in clean_number(number).split(".") if p]
    return max(len(parts) - 1, 1)


def build_outline(body: Iterable) -> list[OutlineEntry]:
    entries: list[OutlineEntry] = []
    used: set[str] = set()

    def claim(candidate: str, fallback: str) -> str:
        anchor = candidate if candidate not in used else fallback
        n = 2
        base = anchor
        while anchor in used:
            anchor = f"{base}-{n}"
            n += 1
        used.add(anchor)
        return anchor

    for section_index, section in enumerate(body):
        if section.block_type != "section":
            continue
        snum = clean_number(section.value["number"])
        entries.append(
            OutlineEntry(
                kind="section",
                anchor=claim(f"s-{snum}", f"s-{snum}"),
                number=snum,
                title=section.value["title"],
                level=0,
                position=(section_index, None),
                section_number=snum,
            )
        )
        for child_index, child in enumerate(section.value["content"] or []):
            value = child.value
            if child.block_type in NUMBERED_TYPES and clean_number(value.get("number", "")):
                number = clean_number(value["number"])
                title = value.get("title") or value.get("term") or ""
                entries.append(
                    OutlineEntry(
                        kind=child.block_type,
                        anchor=claim(number, f"{snum}-{number}"),
                        number=number,
                        title=title,
                        level=clause_level(number),
                        position=(section_index, child_index),
                        section_number=snum,
                    )
                )
            elif child.block_type == "subheading":
                slug = slugify(value["title"], allow_unicode=True)[:60] or "p"
                entries.append(
                    OutlineEntry(
                        kind="subheading",
                        anchor=claim(f"{snum}-{slug}", f"{snum}-{slug}"),
                        number="",
                        title=value["title"],
                        level=1,
                        position=(section_index, child_index),
                        section_number=snum,
                    )
                )
    return entries


def anchors_by_position(outline: Iterable[OutlineEntry]) -> dict[tuple[int, int | None], str]:
    """Anchors keyed by position, so that templates find them for blocks with or without ids."""
    return {entry.position: entry.anchor for entry in outline}


def block_text(child) -> str:
    """The words of one body block, as printed: what citations are looked for in and what
    search indexes."""
    value = child.value
    kind = child.block_type
    if kind == "paragraph":
        return str(value)
    if kind == "bullets":
        return "\n".join(str(item) for item in value)
    if kind == "subheading":
        return value["title"]
    if kind == "abbreviations":
        return "\n".join(f"{row['abbr']} – {row['meaning']}" for row in value["rows"])
    if kind == "table":
        rows = (value or {}).get("data", []) or []
        return "\n".join(" ".join(str(cell or "") for cell in row) for row in rows)
    parts = [value.get(name) or "" for name in ("title", "term", "definition", "text")]
    parts += [str(item) for item in value.get("items", []) or []]
    return "\n".join(part for part in parts if part)
