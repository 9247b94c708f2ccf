"""The reader's side of familiarisation: "My documents to read", the confirmation, and the
familiarisation sheets (HTML, CSV, PDF) for unit heads and the quality office.

Every view asks for a signed-in person; a sheet the person may not see answers 404, as
another organisation's objects do everywhere in Sapa."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .downloads import name_download
from .familiarisation import confirm, open_tasks, person_name, sheet_tasks, sheets_for, status_of
from .models import ControlledDocument, FamiliarisationTask
from .templatetags.documents_tags import sheet_subject


@login_required
def my_reading(request: HttpRequest):
    """The signed-in person's documents to read, and what they confirmed lately."""
    done = (
        FamiliarisationTask.objects.filter(user=request.user, confirmed_at__isnull=False)
        .select_related("sheet__document", "sheet__edition", "sheet__change")
        .order_by("-confirmed_at")[:20]
    )
    sheets = sheets_for(request.user).order_by("-started_at", "-pk")[:50]
    return render(
        request,
        "documents/familiarisation/mine.html",
        {"to_read": _by_document(open_tasks(request.user)), "done_tasks": done, "sheets": sheets},
    )


def _by_document(tasks) -> list[dict]:
    """The open tasks, one row per document: an edition and its change given to read at once
    were two rows linking to the same page, which one confirmation answers (a tester)."""
    rows: dict[int, dict] = {}
    for task in tasks:
        row = rows.setdefault(
            task.sheet.document_id,
            {"document": task.sheet.document, "sheets": [], "since": task.created_at},
        )
        row["sheets"].append(task.sheet)
        row["since"] = min(row["since"], task.created_at)
        row["unopened"] = row.get("unopened", False) or task.opened_at is None
    return list(rows.values())


@login_required
@require_POST
def confirm_reading(request: HttpRequest, document_id: int):
    """One click after opening the document: every open task of the person for it is
    confirmed now. Without an open task the document answers 404."""
    document = get_object_or_404(ControlledDocument, pk=document_id)
    tasks = open_tasks(request.user, document)
    if not tasks.exists():
        raise Http404
    if not confirm(user=request.user, document=document):
        messages.error(request, _("Open the document and read it first, then confirm."))
    else:
        messages.success(
            request,
            _("Recorded: you have read and understood %(document)s.") % {"document": document},
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(document.specific.get_url(request) or "familiarisation:mine")


def _sheet(request: HttpRequest, pk: int):
    sheet = sheets_for(request.user).filter(pk=pk).first()
    if sheet is None:
        raise Http404
    rows = list(sheet_tasks(sheet, request.user))
    return sheet, rows


def _context(sheet, rows) -> dict:
    confirmed = [t for t in rows if t.confirmed_at]
    pending = [t for t in rows if not t.confirmed_at]
    return {
        "sheet": sheet,
        "document": sheet.document,
        "rows": [{"task": t, "name": person_name(t.user), "status": status_of(t)} for t in rows],
        "confirmed_count": len(confirmed),
        "pending_count": len(pending),
    }


@login_required
def sheet_view(request: HttpRequest, pk: int):
    sheet, rows = _sheet(request, pk)
    return render(request, "documents/familiarisation/sheet.html", _context(sheet, rows))


def _file_name(sheet, extension: str) -> str:
    code = (sheet.document.code or str(sheet.document.pk)).replace(" ", "_")
    suffix = f"-{sheet.change.change_number}" if sheet.change_id else ""
    return f"tanysu-{code}-{sheet.edition.key}{suffix}.{extension}"


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def sheet_csv(request: HttpRequest, pk: int):
    """The sheet as CSV (UTF-8 with BOM, so that a spreadsheet keeps the Kazakh letters)."""
    sheet, rows = _sheet(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name_download(response, _file_name(sheet, "csv"))
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_cell(str(sheet.document)), _cell(sheet_subject(sheet))])
    writer.writerow(
        [_("Unit"), _("Person"), _("Account"), _("Status"), _("Opened at"), _("Confirmed at")]
    )
    for task in rows:
        # year-month-day hour:minute, local time: a spreadsheet sorts and reads it as a date
        opened = _sortable(task.opened_at)
        confirmed = _sortable(task.confirmed_at)
        writer.writerow(
            [
                _cell(task.unit.name if task.unit else ""),
                _cell(person_name(task.user)),
                _cell(task.user.get_username()),
                status_of(task),
                opened,
                confirmed,
            ]
        )
    return response


def _sortable(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
def sheet_pdf(request: HttpRequest, pk: int):
    """The sheet as PDF, with the fonts of the official renderings."""
    from .rendering.html import font_faces
    from .rendering.pdf import html_to_pdf

    sheet, rows = _sheet(request, pk)
    context = {**_context(sheet, rows), "fonts": font_faces(), "printed": timezone.localtime()}
    html = render_to_string("documents/familiarisation/sheet_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html).data, content_type="application/pdf")
    name_download(response, _file_name(sheet, "pdf"))
    return response
