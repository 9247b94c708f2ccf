"""Pages of the records: finding, reading, filing, holding, disposing. Thin: the rules are
in ``permissions`` and ``services``; every look at a record or file is logged."""

from __future__ import annotations

import datetime
import tempfile

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapa.documents.models import Unit

from . import permissions, services
from .forms import FileUploadForm, HoldForm, ReasonForm, RecordCreateForm, RecordFilterForm
from .models import (
    AccessAction,
    AccessLogEntry,
    Disposition,
    DispositionStatus,
    Hold,
    QualityRecord,
    RecordFile,
    RecordSeries,
)
from .selectors import CappedPaginator, RecordFilters, find_records, record_history

PAGE_SIZE = 50


def _filters(form: RecordFilterForm) -> RecordFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return RecordFilters(
        procedure=data.get("procedure", ""),
        form=data.get("form", ""),
        unit=data.get("unit", ""),
        status=data.get("status", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        text=data.get("q", ""),
    )


def _visible_or_404(request, pk: int) -> QualityRecord:
    record = (
        permissions.visible_records(request.user)
        .filter(pk=pk)
        .select_related(
            "series", "form", "form_revision", "document", "edition", "unit", "organisation"
        )
        .first()
    )
    if record is None:
        services.log_access(request=request, action=AccessAction.DENIED, record_id=pk)
        raise Http404
    return record


@login_required
def record_list(request):
    form = RecordFilterForm(request.GET or None)
    filters = _filters(form)
    page = CappedPaginator(find_records(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    services.log_access(request=request, action=AccessAction.LIST, query=request.GET.urlencode())
    return TemplateResponse(
        request,
        "records/record_list.html",
        {
            "form": form,
            "page_obj": page,
            "records": page.object_list,
            "can_export": permissions.can_export(request.user),
            "can_manage": permissions.can_manage_retention(request.user),
            "can_create": permissions.is_quality_office(request.user)
            or bool(permissions.keeper_unit_ids(request.user)),
            "can_read_log": permissions.can_read_access_log(request.user),
        },
    )


@login_required
def record_detail(request, pk: int):
    record = _visible_or_404(request, pk)
    services.log_access(request=request, action=AccessAction.VIEW, record=record)
    return TemplateResponse(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "files": list(record.files.order_by("name", "-version")),
            "holds": list(record.holds.filter(released_at__isnull=True))
            + list(record.series.holds.filter(released_at__isnull=True)),
            "retention_end": record.retention_end(),
            "can_edit": permissions.can_edit(request.user, record),
            "can_manage": permissions.can_manage_retention(request.user),
        },
    )


@login_required
def record_history_view(request, pk: int):
    record = _visible_or_404(request, pk)
    as_of = None
    snapshot = None
    raw = request.GET.get("as_of", "")
    if raw:
        try:
            as_of = datetime.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
        else:
            moment = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.max))
            try:
                snapshot = record.history.as_of(moment)
            except QualityRecord.DoesNotExist:
                snapshot = None
    services.log_access(request=request, action=AccessAction.HISTORY, record=record, as_of=raw)
    return TemplateResponse(
        request,
        "records/record_history.html",
        {
            "record": record,
            "history": record_history(record),
            "file_history": list(
                RecordFile.history.filter(record_id=record.pk)
                .select_related("history_user")
                .order_by("-history_date")
            ),
            "as_of": as_of,
            "snapshot": snapshot,
        },
    )


@login_required
def file_download(request, pk: int):
    entry = get_object_or_404(RecordFile.objects.select_related("record"), pk=pk)
    record = _visible_or_404(request, entry.record_id)
    if entry.removed_at or not entry.file:
        raise Http404
    services.log_access(request=request, action=AccessAction.DOWNLOAD, record=record, file=entry)
    return FileResponse(
        entry.file.open("rb"),
        as_attachment=True,
        filename=entry.name,
        content_type=entry.content_type,
    )


@login_required
def record_create_view(request):
    units = Unit.objects.filter(pk__in=permissions.keeper_unit_ids(request.user))
    if permissions.is_quality_office(request.user):
        units |= Unit.objects.filter(
            organisation__in=permissions.managed_organisations(request.user)
        )
    if not units.exists():
        raise PermissionDenied
    series = RecordSeries.objects.filter(
        organisation__in=units.values("organisation"), form__isnull=False
    )
    form = RecordCreateForm(request.POST or None, series=series, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_create(request.user, data["unit"].pk):
            raise PermissionDenied
        try:
            record = services.record_create(user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Record %(id)s created.") % {"id": record.identifier})
            return redirect("records:detail", pk=record.pk)
    return TemplateResponse(request, "records/record_form.html", {"form": form})


@login_required
def file_add_view(request, pk: int):
    record = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, record):
        raise PermissionDenied
    form = FileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_add(
                record=record,
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("records:detail", pk=record.pk)
    return TemplateResponse(request, "records/file_form.html", {"form": form, "record": record})


@login_required
@require_POST
def record_close_view(request, pk: int):
    record = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, record):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the record is closed."))
        services.record_close(record=record, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("records:detail", pk=record.pk)


@login_required
def access_log(request):
    if not permissions.can_read_access_log(request.user):
        raise PermissionDenied
    entries = AccessLogEntry.objects.select_related("record", "file")
    scope = permissions.organisation_ids(request.user)
    if scope is not None:
        # Looks at records of the organisations the reader acts for, and the lists, searches
        # and exports of the people who work there.
        colleagues = get_user_model().objects.filter(
            Q(organisation_memberships__organisation__in=scope)
            | Q(keeper_assignments__unit__organisation__in=scope)
        )
        entries = entries.filter(
            Q(record__organisation__in=scope) | Q(record__isnull=True, user__in=colleagues)
        )
    if request.GET.get("user"):
        entries = entries.filter(username=request.GET["user"])
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "records/access_log.html", {"page_obj": page, "entries": page.object_list}
    )


@login_required
def export_view(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied
    form = RecordFilterForm(request.GET or None)
    spool = tempfile.TemporaryFile()
    count = services.records_export(
        user=request.user, out=spool, filters=_filters(form), request=request
    )
    spool.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(spool, as_attachment=True, filename=f"sapa-records-{stamp}.zip")
    response["X-Records-Count"] = str(count)
    return response


@login_required
def retention_view(request):
    if not permissions.can_manage_retention(request.user):
        raise PermissionDenied
    organisations = permissions.managed_organisations(request.user)
    eligible = {
        org: services.records_eligible_for_disposition(organisation=org) for org in organisations
    }
    hold_form = HoldForm(
        request.POST or None, series=RecordSeries.objects.filter(organisation__in=organisations)
    )
    if request.method == "POST" and hold_form.is_valid():
        data = hold_form.cleaned_data
        identifiers = data["identifiers"].split()
        records = list(
            QualityRecord.objects.filter(identifier__in=identifiers, organisation__in=organisations)
        )
        unknown = set(identifiers) - {r.identifier for r in records}
        if unknown:
            hold_form.add_error(
                "identifiers",
                _("Unknown identifiers: %(ids)s") % {"ids": ", ".join(sorted(unknown))},
            )
        else:
            owners = {r.organisation for r in records} | {s.organisation for s in data["series"]}
            try:
                if len(owners) != 1:
                    raise ValidationError(_("A hold covers the records of one organisation."))
                services.hold_place(
                    organisation=owners.pop(),
                    reason=data["reason"],
                    description=data["description"],
                    records=records,
                    series=data["series"],
                    user=request.user,
                )
            except ValidationError as error:
                hold_form.add_error(None, error)
            else:
                return redirect("records:retention")
    return TemplateResponse(
        request,
        "records/retention.html",
        {
            "eligible": eligible,
            "hold_form": hold_form,
            "holds": list(
                Hold.objects.filter(released_at__isnull=True, organisation__in=organisations)
            ),
            "proposals": list(
                Disposition.objects.filter(
                    status=DispositionStatus.PROPOSED, organisation__in=organisations
                ).select_related("proposed_by")
            ),
            "decided": list(
                Disposition.objects.filter(organisation__in=organisations).exclude(
                    status=DispositionStatus.PROPOSED
                )[:20]
            ),
        },
    )


@login_required
@require_POST
def disposition_propose_view(request):
    if not permissions.can_manage_retention(request.user):
        raise PermissionDenied
    records = list(
        QualityRecord.objects.filter(
            pk__in=request.POST.getlist("record"),
            organisation__in=permissions.managed_organisations(request.user),
        )
    )
    try:
        owners = {r.organisation for r in records}
        if len(owners) != 1:
            raise ValidationError(_("Choose records of one organisation."))
        services.disposition_propose(
            organisation=owners.pop(),
            records=records,
            user=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("records:retention")


@login_required
@require_POST
def disposition_decide_view(request, pk: int):
    if not permissions.can_manage_retention(request.user):
        raise PermissionDenied
    disposition = get_object_or_404(
        Disposition, pk=pk, organisation__in=permissions.managed_organisations(request.user)
    )
    try:
        if request.POST.get("decision") == "approve":
            services.disposition_approve(disposition=disposition, user=request.user)
        else:
            services.disposition_reject(
                disposition=disposition, user=request.user, note=request.POST.get("note", "")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("records:retention")
