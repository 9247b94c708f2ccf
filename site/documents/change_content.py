"""Whether a change to the edition in force changes anything the document is: what a
change notice and its register row would describe.

A change is registered for what the edition prints, as a document-control system counts
revisions: the title (in each language it is given in), the code, the body (every block's
words, numbers, tables and references) and the forms (templates) that belong to it. What
surrounds the text is not a change of it: the register rows themselves, the agreed-by list,
the approval order, dates and review settings, the page's promote and settings fields.

Spacing is not a change (a word moved to the next line, a space at the end of a line), nor
are the ids Wagtail gives each block. A form is changed when it reads otherwise than it did
when the text in force was published (its code, title, description or template file, by its
revisions); a template file replaced inside the same Wagtail document makes a revision of the
form with the file's new hash (``QmsForm.template_sha1``), so it is seen too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The page fields a change may alter; the forms are read from their own revisions.
PRINTED_FIELDS = ("title", "title_ru", "title_en", "code", "body")


def printed_fields(page) -> dict[str, Any]:
    """What ``page`` (a draft, a revision's page) prints, by field."""
    return {name: getattr(page, name) for name in PRINTED_FIELDS}


def prints_otherwise(page, other) -> bool:
    """Whether ``page`` and ``other`` (a draft and a revision's page) print otherwise: a
    field of ``PRINTED_FIELDS`` reads otherwise, spacing and block ids aside."""
    return any(
        _as_printed(getattr(page, name)) != _as_printed(getattr(other, name))
        for name in PRINTED_FIELDS
    )


def change_alters_nothing(*, document, printed: Mapping[str, Any]) -> bool:
    """Whether a draft of ``document`` holding ``printed`` (fields of ``PRINTED_FIELDS``;
    one left out is taken as unchanged) prints what the published text prints, and no form
    of the document was changed since that text was published. False for a document never
    published."""
    from .models import ControlledDocument

    current = ControlledDocument.objects.filter(pk=document.pk).first() if document.pk else None
    if current is None or not current.live:
        return False
    live = current.live_revision.as_object() if current.live_revision_id else current
    for name, value in printed.items():
        if name in PRINTED_FIELDS and _as_printed(value) != _as_printed(getattr(live, name)):
            return False
    return not forms_changed_since(document=current, since=current.last_published_at)


def forms_changed_since(*, document, since) -> bool:
    """Whether a form of ``document`` (owned by it, or cited in it) reads otherwise than it
    did when its text was published at ``since``: its code, title, description or template
    file, by the form's revisions. A form the published text cites that was made by that
    publication reads as its first revision; one the document gained later is a change; a
    revision that changed nothing (the form saved again) is none."""
    from django.db.models import Q

    from .models import FormCitation, QmsForm

    if since is None:
        return False
    cited = set(
        FormCitation.objects.filter(document_id=document.pk).values_list("form_id", flat=True)
    )
    forms = QmsForm.objects.filter(
        Q(owning_document_id=document.pk) | Q(citations__document_id=document.pk)
    ).distinct()
    for form in forms:
        revisions = form.revisions.order_by("created_at", "pk")
        if not revisions.filter(created_at__gt=since).exists():
            continue
        before = revisions.filter(created_at__lte=since).last()
        if before is None:
            if form.pk not in cited:
                return True
            before = revisions.first()
        earlier = before.as_object()
        if _form_as_printed(earlier) != _form_as_printed(form):
            return True
        # The template file replaced inside its Wagtail document: another hash (a revision
        # made before the hash was kept has none, and is not taken for a change).
        if earlier.template_sha1 and form.template_sha1 != earlier.template_sha1:
            return True
    return False


FORM_FIELDS = ("code", "number", "kind", "title", "description", "template_file_id")


def _form_as_printed(form) -> tuple:
    return tuple(_as_printed(getattr(form, name)) for name in FORM_FIELDS)


def _as_printed(value) -> Any:
    """``value`` as compared: a body as its blocks' stored values without their ids, every
    text with its spacing collapsed, line by line."""
    if hasattr(value, "stream_block"):  # a StreamValue: each block as it would be stored
        value = [child.get_prep_value() for child in value]
    if isinstance(value, dict):
        kept = {key: _as_printed(item) for key, item in value.items() if key != "id"}
        if set(kept) == {"type", "value"} and kept["type"] == "item":
            return kept["value"]  # a list's item, stored with or without its type
        return kept
    if isinstance(value, list | tuple):
        return [_as_printed(item) for item in value]
    if isinstance(value, str):
        lines = (" ".join(line.split()) for line in value.strip().splitlines())
        return "\n".join(line for line in lines if line)
    return value
