"""Read-side queries for templates: views stay thin and templates never query."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict

from .models import (
    ControlledDocument,
    DocumentKind,
    DocumentLibraryPage,
    Edition,
    EditionStatus,
    FormCitation,
    QmsForm,
    Unit,
)

STATUS_CHOICES = [
    ("in_force", "Күшінде"),
    ("superseded", "Күшін жойған басылымдар"),
]


def library_listing(*, library: DocumentLibraryPage, params: QueryDict) -> dict[str, Any]:
    """Documents of one library, filtered by kind, unit and status."""
    kind = params.get("kind", "")
    unit = params.get("unit", "")
    status = params.get("status", "in_force")
    documents = (
        ControlledDocument.objects.child_of(library)
        .live()
        .select_related("owning_unit", "organisation")
        .order_by("code", "title")
    )
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    if unit.isdigit():
        documents = documents.filter(owning_unit_id=int(unit))
    organisation = library_organisation(library)
    units = Unit.objects.filter(organisation=organisation) if organisation else Unit.objects.none()
    context: dict[str, Any] = {
        "organisation": organisation,
        "kinds": DocumentKind.choices,
        "units": list(units),
        "statuses": STATUS_CHOICES,
        "selected": {"kind": kind, "unit": unit, "status": status},
    }
    if status == "superseded":
        context["superseded_editions"] = list(
            Edition.objects.filter(
                document__in=documents,
                status__in=[EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN],
            )
            .select_related("document")
            .order_by("document__code", "-effective_from")
        )
        context["documents"] = []
    else:
        in_force = Edition.objects.filter(status=EditionStatus.IN_FORCE)
        context["documents"] = list(
            documents.filter(editions__status=EditionStatus.IN_FORCE).prefetch_related(
                Prefetch("editions", queryset=in_force, to_attr="editions_in_force")
            )
        )
    return context


def library_organisation(library: DocumentLibraryPage):
    from .models import Organisation

    return Organisation.for_page(library)


def document_reading_context(*, document: ControlledDocument) -> dict[str, Any]:
    """What the document template shows besides the page fields."""
    forms = (
        list(
            QmsForm.objects.filter(owning_document_id=document.pk)
            .select_related("template_file")
            .order_by("number")
        )
        if document.pk
        else []
    )
    cited = (
        list(
            FormCitation.objects.filter(document_id=document.pk)
            .select_related("form", "form__template_file")
            .order_by("form__number", "pk")
        )
        if document.pk
        else []
    )
    cited_forms: dict[int, dict[str, Any]] = {}
    for citation in cited:
        entry = cited_forms.setdefault(citation.form_id, {"form": citation.form, "clauses": []})
        if citation.clause and citation.clause not in entry["clauses"]:
            entry["clauses"].append(citation.clause)
    edition = None
    register: list = []
    if document.pk:
        edition = document.editions.filter(key=document.edition_key).first()
        if edition is not None:
            register = list(edition.changes.all())
    library = document.get_parent().specific if document.pk and document.depth > 1 else None
    return {
        "document_forms": forms,
        "cited_forms": list(cited_forms.values()),
        "edition_record": edition,
        "register_rows": register,
        "library": library,
        "editions_count": document.editions.count() if document.pk else 0,
    }


def form_detail(*, library: DocumentLibraryPage, form_id: int) -> dict[str, Any] | None:
    organisation = library_organisation(library)
    form = (
        QmsForm.objects.filter(pk=form_id, organisation=organisation)
        .select_related("owning_document", "template_file")
        .first()
    )
    if form is None:
        return None
    citations = list(
        form.citations.filter(document__live=True)
        .select_related("document")
        .order_by("document__code")
    )
    return {"form": form, "citations": citations}
