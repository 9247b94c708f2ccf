"""Quirks a quality officer should see: reported as warnings, never corrected.

Real documents carry Latin letters inside Kazakh words, clauses numbered under the wrong
section, a contents list that disagrees with the headings, one abbreviation spelt two
ways. The importer keeps every one of them as printed and says so here.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..codes import is_standard_form_spelling, iter_form_codes
from .common import UPPER, fold, has_lower, mixed_script_words, roman_to_int, squash


def block_texts(block: dict) -> list[str]:
    """Every string a block prints, in order."""
    keys = ("title", "text", "term", "definition")
    texts = [block[k] for k in keys if block.get(k)]
    texts += block.get("items", [])
    texts += [f"{row['meaning']} {row['abbr']}" for row in block.get("rows", [])]
    return texts


def located_texts(sections: list[dict]):
    """(location, text) for every string of the body; location is a clause or section."""
    for section in sections:
        yield (
            _("section %(number)s, heading") % {"number": section["number"]},
            section["title_as_printed"],
        )
        for block in section["blocks"]:
            where = (
                _("clause %(number)s") % {"number": block["number"]}
                if block.get("number")
                else _("section %(number)s") % {"number": section["number"]}
            )
            for text in block_texts(block):
                yield where, text


def mixed_script_warning(where: str, word: str, latin) -> str:
    """The warning for a word with Latin look-alikes ``latin`` at ``where`` (a place's label:
    "clause 3.1", "section 10, heading"); a fix accepted for it takes it out of the report."""
    return _(
        "%(where)s: word «%(word)s» mixes Latin letters (%(letters)s) with Cyrillic; kept as "
        "printed"
    ) % {"where": where, "word": word, "letters": ", ".join(sorted(set(latin)))}


def mixed_scripts(front: list[tuple[str, str]], sections: list[dict]) -> list[str]:
    warnings = []
    for where, text in [*front, *located_texts(sections)]:
        for word, latin in mixed_script_words(text or ""):
            warnings.append(mixed_script_warning(where, word, latin))
    return list(dict.fromkeys(warnings))


def _section_value(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    return roman_to_int(number) if re.fullmatch("[IVXL]+", number) else None


def numbering(sections: list[dict]) -> list[str]:
    warnings = []
    seen: dict[str, list[str]] = defaultdict(list)
    for section in sections:
        value = _section_value(section["number"])
        for clause in section["clauses"]:
            number = clause["number"]
            seen[number].append(section["number"])
            head = int(number.split(".")[0])
            if value is not None and head != value:
                warnings.append(
                    _(
                        "section %(section)s: clause %(clause)s is numbered as if in section "
                        "%(head)s; kept as printed"
                    )
                    % {"section": section["number"], "clause": number, "head": head}
                )
    for number, where in seen.items():
        if len(where) > 1:
            places = ", ".join(where)
            warnings.append(
                ngettext(
                    "clause number %(number)s is printed %(count)s time (sections "
                    "%(places)s); kept as printed",
                    "clause number %(number)s is printed %(count)s times (sections "
                    "%(places)s); kept as printed",
                    len(where),
                )
                % {"number": number, "count": len(where), "places": places}
            )
    return warnings


def toc_cross_check(toc: list[dict], sections: list[dict], tail_titles: set[str]) -> list[str]:
    """Compare the contents with the headings found in the body."""
    if not toc:
        return []
    warnings = []
    by_number = {s["number"]: s for s in sections}
    listed = set()
    for entry in toc:
        number = entry["number"].rstrip(".")
        if not number:
            if fold(entry["title"]) not in tail_titles:
                warnings.append(
                    _("contents lists «%(title)s», which is not in the document")
                    % {"title": entry["title"]}
                )
            continue
        listed.add(number)
        section = by_number.get(number)
        if section is None:
            warnings.append(
                _("contents lists section %(number)s with no such heading")
                % {"number": entry["number"]}
            )
            continue
        if entry["number"] != section["number_as_printed"]:
            warnings.append(
                _("contents prints section number «%(listed)s», the heading prints «%(printed)s»")
                % {"listed": entry["number"], "printed": section["number_as_printed"]}
            )
        warnings.extend(_title_check(entry, section))
    for section in sections:
        if section["number"] not in listed:
            warnings.append(
                _("section %(number)s is missing from the contents") % {"number": section["number"]}
            )
    return warnings


def heading_warnings(number: str, printed: str, listed: str) -> list[str]:
    """What is said of section ``number``'s heading ``printed`` beside its contents entry
    ``listed`` (nothing when they agree); a fix accepted for it takes it out of the report."""
    return _title_check({"title": listed}, {"number": number, "title_as_printed": printed})


def _title_check(entry: dict, section: dict) -> list[str]:
    printed, listed = section["title_as_printed"], entry["title"]
    if squash(printed).casefold() == squash(listed).casefold():
        return []
    if fold(printed) == fold(listed):
        return [
            _(
                "section %(number)s: heading «%(printed)s» matches the contents entry "
                "«%(listed)s» only when Latin look-alike letters are read as Cyrillic"
            )
            % {"number": section["number"], "printed": printed, "listed": listed}
        ]
    return [
        _("section %(number)s: heading «%(printed)s» differs from contents «%(listed)s»")
        % {"number": section["number"], "printed": printed, "listed": listed}
    ]


def qms_level(printed: str | None) -> list[str]:
    word = printed.rsplit(" ", 1)[-1] if printed else None
    if word is None or word.casefold() == "құжаты":
        return []
    return [
        _("QMS level printed as «%(printed)s» («%(word)s» for «құжаты»); kept as printed")
        % {"printed": printed, "word": word}
    ]


def form_spellings(text: str, prefix: str | None) -> list[str]:
    if not prefix:
        return []
    warnings = []
    for code, match in iter_form_codes(text, prefix):
        printed = squash(match.group(0))
        if not is_standard_form_spelling(printed, prefix):
            warnings.append(
                _("form %(code)s is printed as «%(printed)s»; kept as printed")
                % {"code": code, "printed": printed}
            )
    return list(dict.fromkeys(warnings))


def abbreviation_variants(defined: list[str], sections: list[dict]) -> list[str]:
    """Capitalised tokens one letter away from a defined abbreviation ("ТжӘДД" vs "ТжӘЖД")."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for where, text in located_texts(sections):
        for token in re.findall(rf"(?<!\w)[{UPPER}][\w]*[{UPPER}](?!\w)", text):
            if token in defined or len(token) < 3:
                continue
            for abbr in defined:
                if _one_letter_apart(token, abbr):
                    places = found[(token, abbr)]
                    if where not in places:
                        places.append(where)
    return [
        _(
            "«%(token)s» (%(places)s) is not in the abbreviations table; it differs from "
            "«%(abbr)s» by one letter; kept as printed"
        )
        % {"token": token, "places": ", ".join(places), "abbr": abbr}
        for (token, abbr), places in found.items()
    ]


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def page_headers(headers: list[dict]) -> list[str]:
    if not headers:
        return []
    totals = sorted({h["total"] for h in headers})
    warnings = [
        _("%(count)s running page header(s) removed from the text") % {"count": len(headers)}
    ]
    if len(totals) > 1:
        counts = ", ".join(str(t) for t in totals)
        warnings.append(
            _("running headers disagree on the number of pages (%(counts)s)") % {"counts": counts}
        )
    return warnings


def title_case(title_as_printed: str | None) -> list[str]:
    if title_as_printed and not re.search(f"[{UPPER}]", title_as_printed):
        if has_lower(title_as_printed):
            return [_("title printed in lower case: «%(title)s»") % {"title": title_as_printed}]
    return []


def joins(sections: list[dict]) -> list[str]:
    return [
        _("%(where)s: a paragraph split by a page break was joined back") % {"where": where}
        for section in sections
        for where in section["joins"]
    ]
