"""The official rendering's HTML: a published revision of a document laid out as the seeds
are printed (title page, approval sheet, contents, body, revision register, forms list).

Only what the revision itself says goes in (its fields, its body, the register rows in force
with it), so the same revision always gives the same words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from ..importing.codes import find_form_codes
from ..outline import anchors_by_position, block_text, build_outline

#: Raised whenever the templates or their CSS change in a way a reader would see. Stored on
#: each rendering; an existing file is never rendered again (see ``store``).
TEMPLATE_VERSION = "2"  # 2: the register prints the change notice issued

KIND_OFFICIAL = "official"
KIND_SUPERSEDED = "superseded"

FONT_FILES = {
    ("DejaVu Sans", "normal", "normal"): "DejaVuSans.ttf",
    ("DejaVu Sans", "bold", "normal"): "DejaVuSans-Bold.ttf",
    ("DejaVu Serif", "normal", "normal"): "DejaVuSerif.ttf",
    ("DejaVu Serif", "bold", "normal"): "DejaVuSerif-Bold.ttf",
}
_BACK_VOWELS = set("аоұыяуёэ")
_FRONT_VOWELS = set("әөүіеиюe")
_VOICELESS = set("пфкқтсшщхцчһ")
_SONORANT_OR_VOICED = set("мнңлрйужзбвгғд")


def font_dir() -> Path:
    """Fonts come from Debian's fonts-dejavu-core (DejaVu covers ә ғ қ ң ө ұ ү һ і)."""
    return Path(getattr(settings, "SAPA_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


def font_faces() -> list[dict[str, str]]:
    folder = font_dir()
    faces = []
    for (family, weight, style), name in FONT_FILES.items():
        path = folder / name
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: install Debian's fonts-dejavu-core.")
        faces.append({"family": family, "weight": weight, "style": style, "url": path.as_uri()})
    return faces


def _last_vowel_is_front(word: str) -> bool:
    for letter in reversed(word.lower()):
        if letter in _FRONT_VOWELS:
            return True
        if letter in _BACK_VOWELS:
            return False
    return False


def locative(phrase: str) -> str:
    """ "… секторы" -> "… секторында": where a document was developed (ӘЗІРЛЕНДІ)."""
    phrase = phrase.strip()
    if not phrase:
        return phrase
    last = phrase[-1].lower()
    front = _last_vowel_is_front(phrase.split()[-1])
    if last in "ыі":  # the possessive ending of "… департаментінің … секторы"
        return phrase + ("нде" if front else "нда")
    if last in _VOICELESS:
        return phrase + ("те" if front else "та")
    return phrase + ("де" if front else "да")


def genitive(phrase: str) -> str:
    """ "Ректор" -> "Ректордың": who approved by order (БЕКІТІЛДІ)."""
    phrase = phrase.strip()
    if not phrase:
        return phrase
    last = phrase[-1].lower()
    front = _last_vowel_is_front(phrase.split()[-1])
    if last in _BACK_VOWELS | _FRONT_VOWELS:
        return phrase + ("нің" if front else "ның")
    if last in _VOICELESS:
        return phrase + ("тің" if front else "тың")
    return phrase + ("дің" if front else "дың")


_LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPRTXYacenoprxy", "АВСЕНКМОРРТХУасепоррху")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def sentence_case(title: str) -> str:
    """A heading printed in capitals reads in sentence case in the contents, as the seeds'
    contents print it ("ЖАҚСARTУ" in the heading, "жақсарту" in the contents: Latin
    look-alikes inside a Kazakh word are typed in Cyrillic there)."""
    if not (title and title.upper() == title and any(c.isalpha() for c in title)):
        return title

    def word(match: re.Match[str]) -> str:
        text = match.group(0)
        return text.translate(_LATIN_LOOKALIKES) if _CYRILLIC.search(text) else text

    title = re.sub(r"\w+", word, title)
    return title[:1] + title[1:].lower()


def printed_date(day) -> str:
    """2016-07-08 -> "2016 жылғы «08» 07", as the seeds print an edition or order date."""
    return f"{day:%Y} жылғы «{day:%d}» {day:%m}" if day else ""


def signed_date(day) -> str:
    """2016-06-22 -> "«22» 06 2016 ж.", as the approval sheet prints a signature date."""
    return f"«{day:%d}» {day:%m} {day:%Y} ж." if day else ""


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string (for the margin boxes' content)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Subject:
    """What one rendering shows: a published revision of a document, in its edition, after
    a change (or as the edition was first published), official or superseded."""

    document: Any  # the revision's page object (ControlledDocument snapshot)
    edition: Any  # Edition
    change: Any | None  # RegisterChange, or None for the edition as first published
    revision_id: int
    kind: str = KIND_OFFICIAL


def edition_line(document, edition) -> str:
    """ "2016 жылғы «08» 07 №1 басылым", or "2.0 нұсқа" for an undated version."""
    label = edition.label or document.edition_label
    day = edition.edition_date or document.edition_date
    return f"{printed_date(day)} {label}".strip()


def header_title(document) -> str:
    """The running header's first part: the code, else kind and title («Ментор»)."""
    if document.code:
        return document.code
    return f"{document.kind_label_kk} «{document.title}»"


def context_for(subject: Subject) -> dict[str, Any]:
    from ..selectors import approval_of, register_with_earlier_texts

    document, edition = subject.document, subject.edition
    organisation = document.organisation
    outline = build_outline(document.body)
    sections = []
    for entry in outline:
        if entry.kind == "section":
            section = document.body[entry.position[0]]
            number_as_printed = section.value["number"]
            sections.append(
                {
                    "anchor": entry.anchor,
                    "number": number_as_printed,
                    "title": section.value["title"],
                    "toc_title": sentence_case(section.value["title"]),
                }
            )
    prefix = organisation.code_prefix if organisation else ""
    codes: list[str] = []
    for section in document.body:
        for child in section.value["content"] or []:
            for code in find_form_codes(block_text(child), prefix):
                if code not in codes:
                    codes.append(code)
    forms = []
    if codes and organisation is not None:
        from ..models import QmsForm

        known = {
            code: (title, number)
            for code, title, number in QmsForm.objects.filter(
                organisation=organisation, code__in=codes
            ).values_list("code", "title", "number")
        }
        # In the order of the page's forms list (by the form's number: 713-01 … 715-08), so
        # that the official copy and the page list them alike.
        forms = [
            {"code": code, "title": known.get(code, ("", ""))[0]}
            for code in sorted(codes, key=lambda code: (known.get(code, ("", code))[1], code))
        ]
    approval = approval_of(document=document, edition=edition)
    register = register_with_earlier_texts(edition=edition, as_of_revision_id=subject.revision_id)
    if subject.change is not None:
        register = [row for row in register if row.pk <= subject.change.pk]
    day = (
        document.edition_date
        or approval.get("date")
        or document.developed_date
        or edition.effective_from
    )
    header = header_title(document)
    line = edition_line(document, edition)
    return {
        "doc": document,
        "organisation": organisation,
        "edition": edition,
        "change": subject.change,
        "kind": subject.kind,
        "superseded": subject.kind == KIND_SUPERSEDED,
        "edition_line": line,
        "edition_date_printed": printed_date(edition.edition_date or document.edition_date),
        "header_css": {
            "left": css_string(header),
            "center": css_string(line),
        },
        # The year the title page prints under the city, when the document states one (the
        # mentor instruction's "Ақтөбе, 2025 ж." has no edition date to take it from).
        "year": document.title_page_year or (day.year if day else ""),
        "developed_unit_locative": locative(document.developed_unit),
        "developed_date": signed_date(document.developed_date),
        "agreed": [
            {"position": a.position, "person": a.person, "date": signed_date(a.date)}
            for a in document.agreed_by.all()
        ],
        "approval": approval,
        "approval_date_printed": printed_date(approval.get("date")),
        "approver_genitive": genitive(document.approver_position or "Ректор"),
        "by_order": bool(approval.get("number")),
        "sections": sections,
        "anchors": anchors_by_position(outline),
        "register_rows": register,
        "blank_register_rows": range(max(0, 6 - len(register))),
        "forms": forms,
        "fonts": font_faces(),
    }


def render_html(subject: Subject) -> str:
    return render_to_string("documents/pdf/document.html", context_for(subject))
