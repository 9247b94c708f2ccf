"""Fixes the importer proposes for what it noticed, for the quality office to accept or not.

The importer keeps what a document prints; some quirks have an obvious fix, which it
proposes here instead of applying silently:

- a Latin look-alike letter inside a Cyrillic word ("ЖАҚСARTУ", "күзiреттiлiктiң"): the
  word with the Cyrillic letter;
- a code cut at a line end ("ҚазҰТЗУ 715-" / "01 Ү"), which the reader glues back: the
  code glued ("715-01"), or as found ("715- 01") when the fix is refused;
- a section heading that differs from its contents entry: the contents' wording.

Each proposal is a dict: ``id`` (stable: the same file gives the same ids), ``kind``,
``where`` (section, clause, field) and its label in the reader's language, ``found`` and
``proposed``, and ``target``, the path of the string it changes in the parsed form.
``answers`` lists the report's warnings about what it fixes ("… kept as printed"):
``apply_fixes`` writes the accepted ones into the parsed form, takes their warnings out of
the report (a warning stays while any fix it is about was refused), and leaves the others as
found.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .textparse.checks import heading_warnings, mixed_script_warning
from .textparse.common import _HOMOGLYPHS, fold, is_upper_text, mixed_script_words, squash

KIND_LABELS = {
    "mixed_script": gettext_lazy("Latin letters inside a Cyrillic word"),
    "broken_code": gettext_lazy("Code cut at a line end"),
    "heading_contents": gettext_lazy("Heading differs from the contents"),
}
#: Fixes the reader has already made in the parsed form (refusing one puts back the text found).
APPLIED_BY_READER = {"broken_code"}
_BLOCK_KEYS = ("title", "text", "term", "definition")


def _strings(parsed: dict[str, Any]):
    """(target path, where, text) for the document title and every string of the body."""
    if parsed.get("title"):
        yield ("title",), {"field": "title"}, parsed["title"]
    for i, section in enumerate(parsed.get("sections", [])):
        number = section["number"]
        yield (
            ("sections", i, "title_as_printed"),
            {"section": number, "field": "heading"},
            section.get("title_as_printed") or "",
        )
        for j, block in enumerate(section.get("blocks", [])):
            where = {"section": number}
            if block.get("number"):  # a clause, or a numbered term: where the checks say
                where["clause"] = block["number"]
            base = ("sections", i, "blocks", j)
            for key in _BLOCK_KEYS:
                if isinstance(block.get(key), str) and block[key]:
                    yield (*base, key), where, block[key]
            for k, item in enumerate(block.get("items") or []):
                yield (*base, "items", k), where, item
            for k, row in enumerate(block.get("rows") or []):
                for key in ("abbr", "meaning"):
                    yield (*base, "rows", k, key), where, row.get(key) or ""


def where_label(where: dict[str, str]) -> str:
    if where.get("field") == "title":
        return _("document title")
    if where.get("field") == "heading":
        return _("section %(number)s, heading") % {"number": where["section"]}
    if where.get("clause"):
        return _("clause %(number)s") % {"number": where["clause"]}
    return _("section %(number)s") % {"number": where.get("section", "")}


def _proposal(kind: str, target: tuple, where: dict, found: str, proposed: str) -> dict:
    key = "\x1f".join([kind, *map(str, target), found, proposed])
    return {
        "id": hashlib.sha256(key.encode()).hexdigest()[:12],
        "kind": kind,
        "kind_label": str(KIND_LABELS[kind]),
        "where": where,
        "where_label": where_label(where),
        "found": found,
        "proposed": proposed,
        "target": list(target),
    }


def _cyrillic(word: str) -> str | None:
    """``word`` with its Latin look-alikes as Cyrillic, when every Latin letter has one."""
    fixed = word.translate(_HOMOGLYPHS)
    return None if any(ch.isascii() for ch in fixed) else fixed


def propose(parsed: dict[str, Any], broken_codes: list[dict] | None = None) -> list[dict]:
    """Every fix proposed for ``parsed``; ``broken_codes``: the codes the reader glued back
    ({"found": "ҚазҰТЗУ 715- 01 Ү", "joined": "ҚазҰТЗУ 715-01 Ү"})."""
    proposals: dict[str, dict] = {}

    def add(proposal: dict) -> None:
        proposals.setdefault(proposal["id"], proposal)

    listed = {
        e["number"].rstrip("."): e["title"] for e in parsed.get("toc") or [] if e.get("number")
    }
    pending = list(broken_codes or [])
    # The title is checked as printed (in capitals), and proposed as it is kept (sentence case).
    printed_title = {
        word.casefold(): (word, latin)
        for word, latin in mixed_script_words(parsed.get("title_as_printed") or "")
    }
    for target, where, text in _strings(parsed):
        for word, latin in mixed_script_words(text):
            fixed = _cyrillic(word)
            if fixed and fixed != word:
                proposal = _proposal("mixed_script", target, where, word, fixed)
                proposal["letters"] = ", ".join(sorted(set(latin)))
                checked = printed_title.get(word.casefold()) if target == ("title",) else None
                proposal["answers"] = [
                    mixed_script_warning(proposal["where_label"], *(checked or (word, latin)))
                ]
                contents = listed.get(where["section"]) if where.get("field") == "heading" else None
                if contents and fold(text) == fold(contents):
                    # The heading matches its contents entry once read in Cyrillic: said too.
                    proposal["answers"] += heading_warnings(where["section"], text, contents)
                add(proposal)
        for broken in list(pending):
            if broken["joined"] in text:
                add(_proposal("broken_code", target, where, broken["found"], broken["joined"]))
                pending.remove(broken)
        if where.get("field") == "heading" and where["section"] in listed:
            entry = squash(listed[where["section"]])
            printed = squash(text)
            if printed and entry and fold(printed) != fold(entry):
                wanted = entry.upper() if is_upper_text(printed) else entry
                proposal = _proposal("heading_contents", target, where, text, wanted)
                proposal["answers"] = heading_warnings(
                    where["section"], text, listed[where["section"]]
                )
                add(proposal)
    return list(proposals.values())


def _get(parsed: dict, target: list):
    value = parsed
    for step in target:
        value = value[step]
    return value


def _set(parsed: dict, target: list, text: str) -> None:
    value = parsed
    for step in target[:-1]:
        value = value[step]
    value[target[-1]] = text


def _replace(text: str, old: str, new: str, kind: str) -> str:
    if kind == "mixed_script":  # the whole word, never inside a longer one
        return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text)
    if kind == "heading_contents":
        return new if text == old else text
    return text.replace(old, new)


def apply_fixes(parsed: dict[str, Any], accepted: set[str] | None) -> dict[str, Any]:
    """A copy of ``parsed`` with the proposals whose id is in ``accepted`` applied and the
    others as found (``accepted=None``: all of them applied)."""
    result = copy.deepcopy(parsed)
    refused_about: dict[str, bool] = {}  # warning: is any fix it is about refused
    for proposal in result.get("proposals", []):
        take = accepted is None or proposal["id"] in accepted
        proposal["accepted"] = take
        for warning in proposal.get("answers", []):
            refused_about[warning] = refused_about.get(warning, False) or not take
        present, wanted = proposal["found"], proposal["proposed"]
        if proposal["kind"] in APPLIED_BY_READER:
            present = proposal["proposed"]
        if not take:
            wanted = proposal["found"]
        if present == wanted:
            continue
        target = proposal["target"]
        try:
            before = _get(result, target)
        except (KeyError, IndexError, TypeError):
            continue
        _set(result, target, _replace(before, present, wanted, proposal["kind"]))
        if target == ["title"]:
            result["title_as_printed"] = _replace(
                result.get("title_as_printed") or "", present, wanted, proposal["kind"]
            )
    if "warnings" in result:
        result["warnings"] = [w for w in result["warnings"] if refused_about.get(w, True)]
    return result
