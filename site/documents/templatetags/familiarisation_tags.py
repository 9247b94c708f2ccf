"""The "I have read and understood" box on a document's page."""

from django import template
from django.db.models import F

from ..familiarisation import open_tasks
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
