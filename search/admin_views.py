"""Admin: an object's index entries (each record and document is linked to its entries),
fresh or stale, and re-indexing it on demand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.permissions import acts_for, is_quality_office

from .backends import get_backend
from .indexing import entries_of, index_object, load
from .models import IndexEntry

# What each state of an entry means, in the reader's language (the code stays the row's class).
STATES = {
    "fresh": gettext_lazy("up to date"),
    "missing": gettext_lazy("missing from the index"),
    "orphaned": gettext_lazy("in the index only (the object no longer has it)"),
    "stale": gettext_lazy("out of date"),
}


def index_entries(request, object_key: str):
    if not is_quality_office(request.user):
        raise PermissionDenied
    obj = load(object_key) if ":" in object_key and object_key.split(":")[1].isdigit() else None
    if obj is None:
        raise Http404
    if not acts_for(request.user, getattr(obj, "organisation_id", None)):
        # Another organisation's record, document or form answers as a missing one does:
        # a 403 would confirm to the other university's office which ids exist.
        raise Http404
    backend = get_backend()
    if request.method == "POST":
        index_object(object_key, backend)
        messages.success(request, _("Re-indexed: %(what)s") % {"what": obj})
        return redirect("search_index_entries", object_key=object_key)
    expected = {entry.entry_id: entry.version for entry in entries_of(object_key)}
    in_backend = {
        row["entry_id"]: row["version"] for row in backend.entries_for(_prefix(object_key))
    }
    recorded = {
        row.entry_id: row
        for row in IndexEntry.objects.filter(object_key=object_key, backend=backend.name)
    }
    rows = []
    for entry_id in sorted(set(expected) | set(in_backend)):
        state = "fresh"
        if entry_id not in in_backend:
            state = "missing"
        elif entry_id not in expected:
            state = "orphaned"
        elif in_backend[entry_id] != expected[entry_id]:
            state = "stale"
        rows.append(
            {
                "entry_id": entry_id,
                "state": state,
                "state_label": STATES[state],
                "indexed_version": in_backend.get(entry_id, ""),
                "current_version": expected.get(entry_id, ""),
                "record": recorded.get(entry_id),
            }
        )
    return TemplateResponse(
        request,
        "search/admin/index_entries.html",
        {"object": obj, "object_key": object_key, "rows": rows, "backend": backend},
    )


def _prefix(object_key: str) -> str:
    kind, _sep, pk = object_key.partition(":")
    return f"clause:{pk}:" if kind == "document" else object_key
