"""The approval sheet: developed by, agreed by, approved, introduced, validity.

Signature blocks come in several layouts: "position Name" over a date line; position and
date, then the name alone on a later line (the 715 agreed-by list); position, then the
name, no date (the mentor instruction). A position can itself contain somebody's name
("Қ.Тұрысов атындағы … институтының директоры"): only a name *after* the position, or a
name alone on its line, is the signatory.
"""

from __future__ import annotations

import re

from .clean import Paragraph
from .common import NAME_RE, TRAILING_NAME_RE, parse_date, squash, starts_lower

MARKERS = {
    "developed": re.compile(r"ӘЗІРЛЕНДІ|ӘЗІРЛЕГЕН|ӘЗІРЛЕУШІ"),
    "agreed": re.compile(r"КЕЛІСІЛДІ|КЕЛІСІЛГЕН"),
    "approved": re.compile(r"БЕКІТІЛДІ|БЕКІТЕМІН|БЕКІТІЛГЕН"),
    "introduced": re.compile(r"ЕНГІЗІЛДІ|ЕНГІЗІЛГЕН"),
    "validity": re.compile(r"ҚОЛДАНУ\s+МЕРЗІМІ"),
}
#: Legal forms printed after an organisation's quoted name.
LEGAL_FORM = r"(?:КеАҚ|КЕАҚ|ҰАҚ|АҚ|ШЖҚ\s+РМК|РМҚК|РМК|ЖШС|ЖОО)"
_ORG_PREFIX_RE = re.compile(rf"^«[^»]+»\s*(?:{LEGAL_FORM}(?!\w))?\s*")
_ITEM_NO_RE = re.compile(r"^\d{1,2}\s+")
_DATE_LINE_RE = re.compile(
    r"^«[^»]*»\s*\S*\s*(?:\d{4}\s*ж\.?|_+.*)?$|^\d{1,2}\.\d{1,2}\.\d{4}\s*ж?\.?$"
)
_GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің")
_LOCATIVE = (("нда", 3), ("нде", 3), ("да", 2), ("де", 2), ("та", 2), ("те", 2))


def find_markers(paragraphs: list[Paragraph]) -> dict[str, int]:
    """Index of the first paragraph carrying each approval-sheet marker word."""
    found: dict[str, int] = {}
    for i, para in enumerate(paragraphs):
        for key, marker in MARKERS.items():
            if key not in found and marker.search(para.text):
                found[key] = i
    return found


def region(paragraphs: list[Paragraph], markers: dict[str, int], key: str) -> list[Paragraph]:
    """The marker's paragraph and those after it, up to the next marker."""
    start = markers[key]
    later = [i for i in markers.values() if i > start]
    return paragraphs[start : min(later, default=len(paragraphs))]


def strip_item_number(text: str) -> str:
    return _ITEM_NO_RE.sub("", text.strip())


def strip_org(text: str) -> str:
    """Drop a leading «Organisation» КеАҚ from a position or unit."""
    return _ORG_PREFIX_RE.sub("", text.strip())


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE_RE.match(line.strip())) or (
        parse_date(line) is not None and len(line) <= 30
    )


def _after_marker(paragraphs: list[Paragraph], key: str) -> list[list[str]]:
    """Line groups after the marker line: the rest of its paragraph, then each paragraph."""
    first = paragraphs[0].lines
    at = next(i for i, line in enumerate(first) if MARKERS[key].search(line))
    groups = [first[at + 1 :]] if first[at + 1 :] else []
    return groups + [p.lines for p in paragraphs[1:]]


def _split_signatures(groups: list[list[str]]) -> list[list[str]]:
    """One group per signature, even when no blank line separates two of them.

    With dates, a date line closes a signature, and a name alone right after it is the
    previous signatory's (the 715 layout); without dates, a name alone closes one.
    """
    out: list[list[str]] = []
    for group in groups:
        dated = any(is_date_line(line) for line in group)
        current: list[str] = []
        for line in group:
            name_only = _bare_name(line) is not None
            if dated and name_only and not current and out and not _has_person(out[-1]):
                out[-1].append(line)
                continue
            current.append(line)
            if is_date_line(line) if dated else name_only:
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def _has_person(lines: list[str]) -> bool:
    return any(
        _bare_name(line) or TRAILING_NAME_RE.match(line) for line in lines if not is_date_line(line)
    )


def _date_cells_apart(group: list[str]) -> list[str]:
    """A borderless table row: its name cell and date cell as lines of their own.

    "position\tname\tdate", "name\tposition" (the name in the left column), "position's
    first line\tname" (a name on the first line of its cell) and "date\tname" (a name on
    the last line, beside the date under the position) all become the position, then the
    name, then the date. A group holding one name and no date is then one signature: its
    name goes last, after the position's lines."""
    out = []
    for line in group:
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        names = [cell for cell in cells if _bare_name(cell)]
        dates = [cell for cell in cells if cell not in names and is_date_line(cell)]
        rest = [cell.rstrip(" _") for cell in cells if cell not in names and cell not in dates]
        if len(cells) > 1 and len(names) <= 1 and (names or dates) and (rest or names):
            out += [*(["\t".join(rest)] if rest else []), *names, *dates]
        else:
            out.append(line)
    names = [line for line in out if _bare_name(line)]
    if len(names) == 1 and not any(is_date_line(line) for line in out) and len(out) > 1:
        out = [line for line in out if line is not names[0]] + names
    return out


def parse_signatures(groups: list[list[str]]) -> list[dict]:
    entries: list[dict] = []
    read: list[list[str]] = []  # the lines each entry was read from
    groups = [_date_cells_apart(group) for group in groups]
    for group in _split_signatures(groups):
        lines = [line.strip() for line in group if line.strip()]
        if not lines:
            continue
        name = _bare_name(lines[0]) if len(lines) == 1 else None
        last = entries[-1] if entries else None
        if name and last is not None and last["person"] is None:
            last["person"] = name
        elif _continues_position(lines, last):
            # the rest of a position the page layout cut off from its first lines
            read[-1] += lines
            entries[-1] = _entry(_date_cells_apart(read[-1]))
        elif len(lines) == 1 and is_date_line(lines[0]) and last is not None:
            last["date"] = last["date"] or parse_date(lines[0])
        else:
            entries.append(_entry(lines))
            read.append(list(lines))
    return entries


def _continues_position(lines: list[str], last: dict | None) -> bool:
    """Lines that go on with the previous signature's position ("саясаты департаментінің
    директоры"): they start in lower case, which no position does, and the previous
    signature has no date yet, nor a name when these lines bring one."""
    if last is None or not last["position"] or last["date"] is not None:
        return False
    brings = any(is_date_line(line) or _has_person([line]) for line in lines)
    return starts_lower(lines[0]) and (not brings or last["person"] is None)


def _bare_name(line: str) -> str | None:
    candidate = line.strip(" _-–").strip()
    return candidate if NAME_RE.match(candidate) else None


def _entry(lines: list[str]) -> dict:
    dates = [line for line in lines if is_date_line(line)] if len(lines) > 1 else []
    date = parse_date(dates[0]) if dates else None
    lines = [line for line in lines if line not in dates]
    person = None
    rest = []
    for line in lines:
        if person is None and _bare_name(line):
            person = _bare_name(line)
        else:
            rest.append(line)
    if person is None and rest:
        match = TRAILING_NAME_RE.match(rest[-1])
        if match:
            person = match.group("name")
            # a PDF prints the signature blank ("Заңгер ______ Л.Б. Алиманова") before the name
            rest[-1] = match.group("before").rstrip(" \t_")
    position = squash(" ".join(rest)) or None
    return {"position": position, "person": person, "date": date}


def parse_developed(paragraphs: list[Paragraph]) -> dict:
    marker_para = paragraphs[0].text
    match = MARKERS["developed"].search(marker_para)
    unit_as_printed = strip_org(strip_item_number(marker_para[: match.start()])) or None
    signatures = parse_signatures(_after_marker(paragraphs, "developed"))
    first = signatures[0] if signatures else {"position": None, "person": None, "date": None}
    return {
        "unit": _nominative(unit_as_printed) if unit_as_printed else None,
        "unit_as_printed": unit_as_printed,
        **first,
    }


def _nominative(unit: str) -> str:
    """ "… секторында" (where it was developed) -> "… секторы" (the unit)."""
    head, _, last = unit.rpartition(" ")
    for ending, cut in _LOCATIVE:
        if last.endswith(ending) and len(last) > cut + 2:
            return f"{head} {last[:-cut]}".strip()
    return unit


def parse_agreed(paragraphs: list[Paragraph]) -> list[dict]:
    return parse_signatures(_after_marker(paragraphs, "agreed"))


def parse_approval(paragraphs: list[Paragraph]) -> dict:
    text = squash(paragraphs[0].text)
    if "№" in text or re.search(r"бұйрығ|шешім|хаттама", text):
        return _approval_by_order(strip_item_number(text))
    return _approval_by_signature(paragraphs)


def _approval_by_order(text: str) -> dict:
    order = re.search(r"№\s*(?P<no>[\w/\-]+)", text)
    who = re.match(r"^(?P<who>.+?)\s+(?:\d{4}\s*жыл|«|\d{1,2}\.\d{1,2}\.\d{4})", text)
    return {
        "order_number": order.group("no") if order else None,
        "date": parse_date(text),
        "approver_position": _de_genitive(who.group("who")) if who else None,
        "approver_name": None,
        "as_printed": text,
    }


def _de_genitive(words: str) -> str:
    head, _, last = words.strip().rpartition(" ")
    for ending in _GENITIVE:
        if last.endswith(ending) and len(last) > len(ending) + 2:
            last = last[: -len(ending)]
            break
    return f"{head} {last}".strip()


def _approval_by_signature(paragraphs: list[Paragraph]) -> dict:
    groups = _after_marker(paragraphs, "approved")
    taken: list[list[str]] = []
    for group in groups[:4]:
        taken.append(group)
        if any(is_date_line(line) for line in group):
            break
    entries = parse_signatures(taken)
    entry = entries[0] if entries else {"position": None, "person": None, "date": None}
    lines = [paragraphs[0].lines[0], *(line for g in taken for line in g)]
    return {
        "order_number": None,
        "date": entry["date"],
        "approver_position": strip_org(entry["position"] or "") or None,
        "approver_name": entry["person"],
        "as_printed": squash(" ".join(lines)),
    }


def parse_introduced(paragraphs: list[Paragraph] | None) -> dict:
    if not paragraphs:
        return {"first_time": None, "replaces": None, "as_printed": None}
    text = strip_item_number(squash(paragraphs[0].text))
    folded = text.casefold()
    first_time, replaces = None, None
    if "бірінші рет" in folded:
        first_time = True
    elif "орнына" in folded:
        first_time = False
        replaces = re.split(r"(?i)\s*орнына", text)[0]
        replaces = MARKERS["introduced"].sub("", replaces).strip(" :") or None
    return {"first_time": first_time, "replaces": replaces, "as_printed": text}


def parse_validity(paragraphs: list[Paragraph] | None) -> dict:
    if not paragraphs:
        return {"until_replaced": False, "review_date": None, "as_printed": None}
    text = strip_item_number(squash(paragraphs[0].text))
    folded = text.casefold()
    until_replaced = "ауыстыр" in folded and "дейін" in folded
    return {"until_replaced": until_replaced, "review_date": parse_date(text), "as_printed": text}
