"""The PDF of a change notice: rendered once with the official renderings' machinery (the
same WeasyPrint call, fonts and private storage), stored with its SHA-256, never rewritten;
served from the document page's route ``notices/<n>-<year>/pdf/``."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from ..downloads import name_download
from ..models import ChangeNotice
from .html import css_string, edition_line, font_faces, header_title, printed_date
from .pdf import html_to_pdf
from .store import renderings_storage

#: Raised whenever the notice template changes in a way a reader would see.
NOTICE_TEMPLATE_VERSION = "1"


def notice_context(notice: ChangeNotice) -> dict:
    document = notice.document.specific
    if notice.revision_id:
        document = notice.revision.as_object()
    organisation = notice.organisation
    header = header_title(document)
    line = edition_line(document, notice.edition)
    return {
        "notice": notice,
        "doc": document,
        "organisation": organisation,
        "edition_line": line,
        "issued_printed": printed_date(notice.issued_on),
        "effective_printed": notice.effective_date.strftime("%d.%m.%Y"),
        "order_printed": printed_date(notice.order_date),
        "header_css": {
            "left": css_string(header),
            "center": css_string(f"Өзгеріс туралы хабарлама №{notice.number}"),
        },
        "fonts": font_faces(),
    }


def notice_html(notice: ChangeNotice) -> str:
    return render_to_string("documents/pdf/notice.html", notice_context(notice))


def notice_file_name(notice: ChangeNotice, sha256: str) -> str:
    return (
        f"notices/{notice.organisation_id}/{notice.year}/"
        f"notice-{notice.sequence}-{notice.year}-{sha256[:12]}.pdf"
    )


def render_notice(notice: ChangeNotice) -> ChangeNotice:
    """The notice with its PDF: the stored one if there is one (never rendered again), else
    rendered now; the row is written only if nobody stored a file first, else our file is
    removed. A file whose row cannot be written is removed too."""
    if notice.is_rendered:
        return notice
    pdf = html_to_pdf(notice_html(notice))
    sha256 = hashlib.sha256(pdf.data).hexdigest()
    storage = renderings_storage()
    name = storage.save(notice_file_name(notice, sha256), ContentFile(pdf.data))
    try:
        written = ChangeNotice.objects.filter(pk=notice.pk, sha256="").update(
            file_name=name,
            sha256=sha256,
            size=len(pdf.data),
            pages=pdf.pages,
            template_version=NOTICE_TEMPLATE_VERSION,
            rendered_at=timezone.now(),
        )
    except BaseException:
        storage.delete(name)
        raise
    if not written:
        storage.delete(name)
    return ChangeNotice.objects.get(pk=notice.pk)


def notice_for(document, key: str) -> ChangeNotice | None:
    """The document's notice named ``key`` in a URL: "3-2026" (or "3/2026")."""
    sequence, _sep, year = key.replace("/", "-").partition("-")
    if not (sequence.isdigit() and year.isdigit()):
        return None
    return (
        ChangeNotice.objects.filter(document_id=document.pk, sequence=int(sequence), year=int(year))
        .select_related("edition", "organisation")
        .first()
    )


def download_name(notice: ChangeNotice) -> str:
    """ "ҚазҰТЗУ 715 ҚП, хабарлама №3-2026.pdf"."""
    document = notice.document
    code = document.code or document.title
    return f"{code}, хабарлама №{notice.number}".replace("/", "-") + ".pdf"


def serve_notice(request: HttpRequest, *, document, key: str) -> HttpResponse:
    notice = notice_for(document, key)
    if notice is None:
        raise Http404
    if not notice.is_rendered:
        context = document.get_context(request)
        context.update({"notice": notice})  # "The official PDF of change notice №3/2026 …"
        response = TemplateResponse(request, "documents/pdf/not_ready.html", context, status=503)
        response["Retry-After"] = "60"
        return response
    stored = renderings_storage().open(notice.file_name, "rb")
    response = FileResponse(stored, content_type="application/pdf")
    name_download(response, download_name(notice), attachment=False)
    response["X-Content-SHA256"] = notice.sha256
    return response
