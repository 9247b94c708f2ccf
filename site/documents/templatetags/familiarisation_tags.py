"""The "I have read and understood" box on a document's page, and the links to its
familiarisation sheets for those who may open them."""

from django import template
from django.db.models import F

from ..familiarisation import open_tasks, sheets_for
from ..models import FamiliarisationTask

register = template.Library()


@register.inclusion_tag("documents/familiarisation/box.html", takes_context=True)
def familiarisation_box(context):
    """For a signed-in reader of the text in force: their open tasks for this document, or
    when they last confirmed it. Drawing the box opens nothing: the page's own GET does
    (``ControlledDocument.index_route``)."""
    request = context.get("request")
    document = context.get("document_page")
    user = getattr(request, "user", None)
    shown = {"show": False}
    if (
        document is None
        or user is None
        or not user.is_authenticated
        or context.get("superseded")
        or context.get("before_change")
        or getattr(request, "is_preview", False)
    ):
        return shown
    tasks = list(open_tasks(user, document))
    if tasks:
        return {
            "show": True,
            "tasks": tasks,
            "document": document,
            "request": request,
            "csrf_token": context.get("csrf_token"),
        }
    confirmed = FamiliarisationTask.objects.filter(
        user=user, sheet__document_id=document.pk, confirmed_at__isnull=False
    )
    last = confirmed.order_by("-confirmed_at").first()
    if last is None:
        return shown
    # Everything that one click confirmed (an edition and its change are confirmed together):
    # the box named the first sheet alone, "№1 edition", for "№1 edition" and its change 1.
    together = (
        confirmed.filter(confirmed_at=last.confirmed_at)
        .select_related("sheet__edition", "sheet__change")
        # the edition itself (no change) first, on every database (PostgreSQL puts NULL last)
        .order_by(
            "sheet__edition__effective_from", F("sheet__change_id").asc(nulls_first=True), "pk"
        )
    )
    return {
        "show": True,
        "confirmed": last,
        "confirmed_sheets": [task.sheet for task in together],
        "document": document,
    }


#: How many of a document's sheets its page links, newest first (the rest: /my/reading/).
SHEETS_LINKED = 5


@register.simple_tag(takes_context=True)
def document_sheets(context, document) -> list:
    """The familiarisation sheets of ``document`` that the reader may open (the quality
    office, the heads of the units asked to read it), newest first: its page links them, so
    that who has read it is a click from the document."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if document is None or user is None or not user.is_authenticated:
        return []
    return list(
        sheets_for(user)
        .filter(document_id=document.pk)
        .order_by("-started_at", "-pk")[:SHEETS_LINKED]
    )
