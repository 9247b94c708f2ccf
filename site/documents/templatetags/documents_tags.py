"""``{% load documents_tags %}``: anchors of the body, and how the interface names editions.

A document writes its own edition as «№1 басылым» or «2.0 нұсқа» (``Edition.label``): that
is the document's text and stays as written inside it. Around it, the interface names the
edition in the reader's language ("Edition 1", "Издание №1", "№1 басылым")."""

import re

from django import template
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sapa.localisation.dates import format_date

register = template.Library()
_QUOTED = re.compile("«([^«»]*)»")


@register.simple_tag
def anchor_at(anchors: dict | None, section_index: int, child_index: int | None = None) -> str:
    """The anchor the outline gave to a body block (see ``outline.build_outline``)."""
    return (anchors or {}).get((section_index, child_index), "")


@register.filter
def quoting(text: str, language: str) -> str:
    """``text`` (an importer's warning) with what it quotes from the document, «between
    guillemets», marked as written in the document's ``language``: the interface's language
    around it, the document's words read (and checked) as the document's."""
    if not language:
        return conditional_escape(text)
    return mark_safe(
        _QUOTED.sub(
            # The quoted part is escaped already, with the rest of the text.
            lambda m: format_html(
                '<span lang="{}">«{}»</span>',
                language,
                mark_safe(m.group(1)),
            ),
            conditional_escape(text),
        )
    )


@register.filter
def indent_level(number: str) -> int:
    """Depth of a clause number as printed: 1 for "7.2", 2 for "3.1.5"."""
    parts = [p for p in (number or "").strip().rstrip(".").split(".") if p]
    return max(len(parts) - 1, 1)


def edition_name_of(value) -> str:
    """An edition (``Edition``, a document page, a scheduled publication) as the interface
    names it: by number, else by version, else as the document prints it."""
    if value is None or value == "":
        return ""
    if hasattr(value, "edition_number"):  # a document page: its edition fields
        number, version = value.edition_number, value.edition_version
    else:  # an Edition or a scheduled publication
        number, version = getattr(value, "number", None), getattr(value, "version", "")
    if isinstance(number, int) and number:
        return _("Edition %(number)s") % {"number": number}
    if isinstance(version, str) and version.strip():
        return _("Version %(version)s") % {"version": version.strip()}
    label = getattr(value, "label", None) or getattr(value, "edition_label", None)
    return str(label if label is not None else value)


@register.filter
def edition_name(value) -> str:
    """``{{ edition|edition_name }}`` → Edition 1 / Издание №1 / №1 басылым."""
    return edition_name_of(value)


@register.filter
def in_force_from(edition) -> str:
    """When ``edition`` came into force, as the document says: its date, or that it states
    none (the day Sapa published it is not the document's: the ментор instruction, "«
    _____ » _____ 2025 ж.", read "In force from «06» 12 2026", the day of the demo)."""
    if edition is None:
        return ""
    if not edition.effective_from_stated:
        return _("not stated in the document")
    return format_date(edition.effective_from)


@register.filter
def sheet_subject(sheet) -> str:
    """What a familiarisation sheet asks to read, in the interface language: the edition,
    or the edition and one of its changes."""
    if sheet is None:
        return ""
    edition = edition_name_of(sheet.edition)
    if sheet.change_id:
        return _("%(edition)s, change %(number)s") % {
            "edition": edition,
            "number": sheet.change.change_number,
        }
    return edition


@register.simple_tag
def interface_today() -> str:
    """Today in the interface language (the print stamp of a page)."""
    return format_date(timezone.localdate())


@register.filter
def organisation_name(organisation) -> str:
    """An organisation's full name in the interface language, else in Kazakh, else short."""
    from sapa.localisation.dates import interface_language

    if organisation is None:
        return ""
    for field in (f"name_{interface_language()}", "name_kk"):
        name = getattr(organisation, field, "")
        if name:
            return name
    return str(organisation)


@register.filter(is_safe=True)
def single_stop(sentence):
    """One full stop where a date that ends in its own ("… 2026 г.", "… 2026 ж.") closes a
    sentence: ``{% blocktranslate asvar s %}…{% endblocktranslate %}{{ s|single_stop }}``."""
    text = str(sentence)
    return text[:-1] if text.endswith("..") and not text.endswith("...") else sentence


@register.simple_tag(takes_context=True)
def document_body(context) -> str:
    """The document's body (``context["page"]``), rendered once per text and site and kept
    (see ``documents.body_cache``): the same for every reader."""
    from sapa.documents.body_cache import rendered_body

    return rendered_body(
        context["page"], anchors=context.get("anchors") or {}, request=context.get("request")
    )


@register.filter
def title_for_reader(document) -> str:
    """The document's title in the reader's language when it has one beside its own (title
    (ru) or (en), on a Russian or English page); "" otherwise: a list shows it under the
    title as the document prints it, so that a Russian reader need not read Kazakh to
    choose."""
    language = (translation.get_language() or "").split("-")[0]
    if language not in ("ru", "en"):
        return ""
    title = (getattr(document, f"title_{language}", "") or "").strip()
    return "" if title == (getattr(document, "title", "") or "").strip() else title
