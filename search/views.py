"""The search page staff use: one box, results grouped, facets, suggestions."""

from __future__ import annotations

import difflib

from django.template.response import TemplateResponse

from sapa.documents.models import ControlledDocument, Organisation, QmsForm, Unit

from .backends.base import FACETS
from .services import search_for

LABELS = {
    "organisation_id": "Ұйым",
    "kind": "Түрі",
    "unit_id": "Бөлімше",
    "form_code": "Форма",
    "year": "Жылы",
    "status": "Күйі",
}
VALUE_LABELS = {
    "procedure": "Құжатталған процедура",
    "job_instruction": "Қызметтік нұсқаулық",
    "record": "Сапа жазбасы",
    "Ү": "Үлгі",
    "Ф": "Форма",
    "in_force": "Күшінде",
    "superseded": "Күшін жойған",
    "open": "Ашық",
    "closed": "Жабық",
    "disposed": "Жойылған",
}


def suggestions(text: str) -> list[str]:
    """Nearest document and form codes and title words, when nothing matched."""
    vocabulary = set(
        ControlledDocument.objects.live().exclude(code="").values_list("code", flat=True)
    )
    vocabulary |= set(QmsForm.objects.values_list("code", flat=True))
    for title in ControlledDocument.objects.live().values_list("title", flat=True):
        vocabulary |= {word.lower() for word in title.split() if len(word) > 3}
    return difflib.get_close_matches(
        text.strip().lower(), sorted(vocabulary), n=5, cutoff=0.6
    ) or difflib.get_close_matches(text.strip(), sorted(vocabulary), n=5, cutoff=0.5)


def facet_labels(facets: dict) -> dict:
    names = {
        "organisation_id": dict(Organisation.configured().values_list("pk", "short_name")),
        "unit_id": {u.pk: u.short_name or u.name for u in Unit.objects.all()},
    }
    out = {}
    for field in FACETS:
        values = facets.get(field) or {}
        out[field] = {
            "label": LABELS[field],
            "values": [
                (value, names.get(field, {}).get(value) or VALUE_LABELS.get(value, value), count)
                for value, count in values.items()
            ],
        }
    return out


def search_view(request):
    text = request.GET.get("q", "").strip()
    filters = {field: request.GET.get(field, "") for field in FACETS}
    for field in ("organisation_id", "unit_id", "year"):
        filters[field] = int(filters[field]) if filters[field].isdigit() else ""
    context = {"q": text, "selected": filters}
    if text:
        page_number = request.GET.get("page", "1")
        offset = (
            (int(page_number) - 1) * 20 if page_number.isdigit() and int(page_number) > 0 else 0
        )
        page = search_for(request.user, text, filters=filters, limit=20, offset=offset)
        context.update(
            {
                "page": page,
                "facets": facet_labels(page.results.facets),
                "suggestions": suggestions(text) if not page.results.total else [],
            }
        )
    return TemplateResponse(request, "search/search.html", context)
