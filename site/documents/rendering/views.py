"""Serving the stored PDFs from the document page's routes, and what the page says of them.

The routes belong to the page (``ControlledDocument.edition_pdf_view`` …), so Wagtail has
already checked that the page is live and that the reader may view it (view restrictions,
site): a PDF is shown to exactly those who may read the page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ..downloads import name_download
from ..models import EditionStatus, OfficialRendering, RenderingKind
from .store import Unit, download_name, existing, renderings_storage, unit_shown


def official_pdf(*, document, edition=None, as_of_revision_id=None) -> dict | None:
    """For the page template: the unit whose PDF goes with the text shown and its stored
    rendering (None while it is being prepared)."""
    if not document.pk:
        return None
    unit = unit_shown(document=document, edition=edition, as_of_revision_id=as_of_revision_id)
    if unit is None:
        return None
    return {"unit": unit, "rendering": existing(unit)}


def serve_rendering(
    request: HttpRequest, *, document, key: str, change_number: str | None
) -> HttpResponse:
    edition = document._edition_for(key)
    if edition is None or edition.status not in (
        EditionStatus.IN_FORCE,
        EditionStatus.SUPERSEDED,
    ):
        raise Http404
    change = None
    if change_number is not None:
        change = next(
            (
                c
                for c in edition.changes.all()
                if change_number in (c.change_number, c.url_key) and c.revision_id
            ),
            None,
        )
        if change is None:
            raise Http404
    kind = (
        RenderingKind.SUPERSEDED
        if edition.status == EditionStatus.SUPERSEDED
        else RenderingKind.OFFICIAL
    )
    rendering: OfficialRendering | None = existing(Unit(edition, change, kind))
    if rendering is None:
        context = document.get_context(request)
        context.update({"edition": edition, "change": change})
        response = TemplateResponse(request, "documents/pdf/not_ready.html", context, status=503)
        response["Retry-After"] = "60"
        return response
    stored = renderings_storage().open(rendering.file_name, "rb")
    response = FileResponse(stored, content_type="application/pdf")
    name_download(response, download_name(rendering), attachment=False)
    response["X-Content-SHA256"] = rendering.sha256
    return response
