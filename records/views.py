"""Pages of the records: finding, reading, filing, holding, disposing. Thin: the rules are
in ``permissions`` and ``services``; every look at a record or file is logged. Every change
says how it went in a message, and a refusal keeps what the person typed."""

from __future__ import annotations

import datetime
import tempfile

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from wagtail.models import Site

from sapa.documents.downloads import name_download

from . import display, permissions, services
from .display import renamed_upload
from .forms import (
    AccessLogFilterForm,
    CloseForm,
    FileUploadForm,
    HoldForm,
    HoldReleaseForm,
    RecordCreateForm,
    RecordEditForm,
    RecordFilterForm,
)
from .models import (
    AccessAction,
    AccessLogEntry,
    Disposition,
    DispositionStatus,
    Hold,
    QualityRecord,
    RecordFile,
    RecordSeries,
    RecordStatus,
)
from .selectors import (
    CappedPaginator,
    RecordFilters,
    file_events,
    filed_for_the_same_period,
    find_records,
    form_version,
    history_counts,
    record_history,
)
from .services.files import (
    current_file_names,
    current_versions,
    download_name,
    safe_label,
    upload_refusal,
)
from .services.records import academic_year_bounds, period_bounds

PAGE_SIZE = 50


def _why(error: ValidationError) -> str:
    return " ".join(error.messages)


def _filter_form(request) -> RecordFilterForm:
    """The list's filters as asked; for a reader of several organisations' records, with the
    choice of one, by default the university whose host the list is read on (on
    aru.localhost the quality office of both read ҚазҰТЗУ's records among АӨУ's)."""
    from sapa.documents.models import Organisation

    covered = permissions.organisation_ids(request.user)
    organisations = Organisation.configured().order_by("short_name")
    if covered is not None:
        organisations = organisations.filter(pk__in=covered)
    organisations = list(organisations) if covered is None or len(covered) > 1 else []
    site = Site.find_for_request(request)
    here = next((o.pk for o in organisations if site and o.site_id == site.pk), None)
    data = request.GET or None
    if data is not None and organisations and "organisation" not in data:
        # filters asked without the choice (a link, an old bookmark): the host's, as shown
        data = data.copy()
        data["organisation"] = str(here) if here else RecordFilterForm.EVERY
    return RecordFilterForm(data, organisations=organisations, here=here)


def _filters(form: RecordFilterForm) -> RecordFilters:
    """The filters that could be read; a field in error is left out, the others stay."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    date_from, date_to = data.get("date_from"), data.get("date_to")
    if data.get("academic_year"):
        # the year's days, within the dates when both are asked
        first, last = academic_year_bounds(data["academic_year"])
        date_from = max(date_from, first) if date_from else first
        date_to = min(date_to, last) if date_to else last
    return RecordFilters(
        organisation=form.organisation_chosen(),
        procedure=data.get("procedure", ""),
        form=data.get("form", ""),
        unit=data.get("unit", ""),
        status=data.get("status", ""),
        date_from=date_from,
        date_to=date_to,
        text=data.get("q", ""),
    )


def _not_found(request, message) -> Http404:
    """The 404 of ``request`` (to raise), its reason shown on the page (templates/404.html)
    instead of the generic "mistyped address": a keeper who opens another unit's record
    reads that it is not theirs to see, without learning whether it exists."""
    request.not_found_reason = message
    return Http404(message)


def _refused(request, message, *, record: QualityRecord | None = None) -> PermissionDenied:
    """The refusal of ``request`` (to raise), written in the access log first with the
    address asked for: who tried what is kept, as what they did is."""
    services.log_access(
        request=request, action=AccessAction.DENIED, record=record, path=request.path
    )
    return PermissionDenied(message)


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
        # The record asked for, when there is one: the log of its organisation shows who
        # tried it (a staff member's refused look was in no auditor's log: it named the
        # record in its details only, and they work in no unit that keeps records).
        services.log_access(
            request=request,
            action=AccessAction.DENIED,
            record=QualityRecord.objects.filter(pk=pk).first(),
            record_id=pk,
            path=request.path,
        )
        raise _not_found(request, _("There is no such record, or it is not yours to see."))
    return record


def _editable_or_403(request, pk: int) -> QualityRecord:
    record = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, record):
        # Its own people are told what closes the record to them: destroyed before closed.
        if record.status == RecordStatus.DISPOSED and permissions.keeps(request.user, record):
            raise _refused(
                request,
                _("This record was destroyed (disposed of): it can no longer be changed."),
                record=record,
            )
        if record.status == RecordStatus.CLOSED and record.unit_id in permissions.keeper_unit_ids(
            request.user
        ):
            raise _refused(
                request,
                _("A closed record is frozen: ask the quality office to correct it."),
                record=record,
            )
        raise _refused(
            request,
            _("Only the keepers of this record's unit and the quality office change it."),
            record=record,
        )
    return record


def _require_retention(request) -> None:
    if not permissions.can_manage_retention(request.user):
        raise _refused(request, _("Holds and disposition are the quality office's work."))


def _retention_post_or_redirect(request, model, pk: int, *, missing: str):
    """The hold or disposition ``pk`` of an organisation the user manages, for a POST of the
    quality office; None for any other method (the caller goes back to the retention page).
    Someone else's, or one that does not exist, is a 404 with ``missing``."""
    if request.method != "POST":
        return None
    _require_retention(request)
    found = model.objects.filter(
        pk=pk, organisation__in=permissions.managed_organisations(request.user)
    ).first()
    if found is None:
        raise _not_found(request, missing)
    return found


def _list_response(request, form: RecordFilterForm, *, status: int = 200) -> TemplateResponse:
    filters = _filters(form)
    page = CappedPaginator(find_records(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    covered = permissions.organisation_ids(request.user)
    return TemplateResponse(
        request,
        "records/record_list.html",
        {
            "form": form,
            "filters_invalid": form.is_bound and not form.is_valid(),
            "page_obj": page,
            "records": page.object_list,
            "can_export": permissions.can_export(request.user),
            "can_create": permissions.is_quality_office(request.user)
            or bool(permissions.keeper_unit_ids(request.user)),
            "sees_none": not permissions.may_see_records(request.user),
            "covers": _covered(covered),
            # more than one: each row names its own (the quality office, on the second
            # university's host, could not tell its rows apart)
            "several_organisations": (covered is None or len(covered) > 1)
            and filters.organisation is None,
            # narrowed to one of them (by default the host's): said, not only pre-chosen in
            # the filter (a tester on АӨУ's host read "you read АӨУ, ҚазҰТЗУ" over one record)
            "listed_only": _covered({filters.organisation}) if filters.organisation else None,
        },
        status=status,
    )


def _covered(ids) -> str | None:
    """The organisations ``ids`` (``permissions.organisation_ids``: whose records a user reads
    as quality office or auditor) by short name ("" for a superuser: every one; None for
    anyone else): the list says so, since it mixes them (a tester took the second
    university's records for a leak)."""
    from sapa.documents.models import Organisation

    if ids is None:
        return ""
    if not ids:
        return None
    names = Organisation.objects.filter(pk__in=ids).order_by("short_name")
    # the names are the organisations' own (content, in Kazakh), not interface text
    return format_html_join(
        ", ", '<span lang="kk">{}</span>', ((o.short_name or o.name_kk,) for o in names)
    )


@require_safe  # a page to read: other methods are refused (405), not answered
@login_required
def record_list(request):
    form = _filter_form(request)
    services.log_access(request=request, action=AccessAction.LIST, query=request.GET.urlencode())
    return _list_response(request, form)


def _active_holds(request, record: QualityRecord) -> list[Hold]:
    holds = list(
        Hold.objects.filter(released_at__isnull=True)
        .filter(Q(records=record) | Q(series=record.series_id))
        .distinct()
        .select_related("placed_by")
    )
    for hold in holds:
        hold.can_release = permissions.can_manage_retention(request.user, hold.organisation_id)
        hold.on_series = hold.series.filter(pk=record.series_id).exists()
    return holds


def _detail_response(
    request, record: QualityRecord, *, close_form: CloseForm | None = None
) -> TemplateResponse:
    can_edit = permissions.can_edit(request.user, record)
    record_changes, file_changes = history_counts(record)
    files = list(record.files.order_by("name", "-version"))
    return TemplateResponse(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "files": files,
            "current_files": current_versions(files),
            "holds": _active_holds(request, record),
            "retention_end": record.retention_end(),
            "history_count": display.history_count(record_changes, file_changes),
            "form_version": form_version(record),
            "can_edit": can_edit,
            "can_manage": permissions.can_manage_retention(request.user, record.organisation_id),
            "close_form": close_form or (CloseForm() if can_edit else None),
            "today": timezone.localdate(),
        },
    )


@require_safe
@login_required
def record_detail(request, pk: int):
    record = _visible_or_404(request, pk)
    services.log_access(request=request, action=AccessAction.VIEW, record=record)
    return _detail_response(request, record)


def _hold_rows(record: QualityRecord) -> list[dict]:
    """Every hold that covered the record (on it or on its series), with who placed and
    who released it, and why."""
    holds = (
        Hold.objects.filter(Q(records=record) | Q(series=record.series_id))
        .distinct()
        .select_related("placed_by", "released_by")
        .order_by("-placed_at")
    )
    rows = []
    for hold in holds:
        released = (
            hold.history.filter(released_at__isnull=False).order_by("history_date").first()
            if hold.released_at
            else None
        )
        rows.append(
            {
                "hold": hold,
                "on_series": hold.series.filter(pk=record.series_id).exists(),
                "release_reason": released.history_change_reason if released else "",
            }
        )
    return rows


@require_safe
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
            "file_history": list(file_events(record).order_by("-history_date")),
            "holds": _hold_rows(record),
            "as_of": as_of,
            "snapshot": snapshot,
            # Sapa keeps a record's versions from when it was entered, which may be long
            # after its own date (records filed from paper): asked of a day before, the
            # page says which is which.
            "entered_on": (
                record.history.order_by("history_date")
                .values_list("history_date", flat=True)
                .first()
                if as_of and snapshot is None
                else None
            ),
        },
    )


@require_safe
@login_required
def file_download(request, pk: int):
    entry = RecordFile.objects.select_related("record").filter(pk=pk).first()
    if entry is None:
        raise _not_found(request, _("There is no such file."))
    record = _visible_or_404(request, entry.record_id)
    if entry.removed_at or not entry.file:
        raise _not_found(request, _("This file was removed when the record was disposed of."))
    services.log_access(request=request, action=AccessAction.DOWNLOAD, record=record, file=entry)
    response = FileResponse(entry.file.open("rb"), content_type=entry.content_type)
    return name_download(response, download_name(entry))


@login_required
def record_create_view(request):
    units = permissions.filing_units(request.user)
    if not units.exists():
        raise _refused(
            request, _("Records are filed by the keepers of units and the quality office.")
        )
    series = RecordSeries.objects.filter(
        organisation__in=units.values("organisation"), form__isnull=False
    ).order_by("organisation", "form__number", "title")  # listed by their forms' codes
    # From a form's page ("File a record on this form"): its series, and the unit: the
    # series' responsible unit when the person files for it, else their one unit there.
    initial = {}
    asked = request.GET.get("form", "")
    if request.method == "GET" and asked.isdigit():
        of_form = list(series.filter(form_id=int(asked))[:2])
        if len(of_form) == 1:
            initial["series"] = chosen = of_form[0]
            there = units.filter(organisation=chosen.organisation_id)
            responsible = there.filter(pk=chosen.responsible_unit_id).first()
            of_units = list(there[:2])
            if responsible is not None or len(of_units) == 1:
                initial["unit"] = responsible or of_units[0]
    form = RecordCreateForm(
        request.POST or None, request.FILES or None, series=series, units=units, initial=initial
    )
    if request.POST.get("another"):
        form.ask_whether_another(marked=False)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file", None)
            data.pop("another", None)
            if not permissions.can_create(request.user, data["unit"].pk):
                raise _refused(request, _("You file the records of your own units only."))
            filed_before = _filed_before(request, data)
            if filed_before:
                form.ask_whether_another()
                refusal = upload_refusal(upload) if upload else ""
                if refusal:  # said now, not once the box is ticked and the file chosen again
                    form.add_error("file", refusal)
                    why = _("The record was not filed: correct the marked fields.")
                else:
                    why = ngettext(
                        "The record was not filed: its unit already has a record of this form "
                        "for this period.",
                        "The record was not filed: its unit already has records of this form "
                        "for this period.",
                        len(filed_before),
                    )
                messages.error(request, why)
                return TemplateResponse(
                    request,
                    "records/record_form.html",
                    {"form": form, "filed_before": filed_before},
                )
            try:
                # The record and its file are filed together or not at all.
                failing = None
                with transaction.atomic():
                    record = services.record_create(user=request.user, **data)
                    entry = None
                    if upload:
                        failing = "file"
                        entry = services.file_add(
                            record=record,
                            upload=upload,
                            user=request.user,
                            reason=_("Filed with the record"),
                        )
            except ValidationError as error:
                form.add_error(failing, error)
            else:
                if entry is not None:
                    messages.success(
                        request,
                        _("Record filed: %(id)s, with the file %(name)s.")
                        % {"id": record.identifier, "name": entry.name},
                    )
                else:
                    messages.success(request, _("Record filed: %(id)s") % {"id": record.identifier})
                return redirect("records:detail", pk=record.pk)
        messages.error(request, _("The record was not filed: correct the marked fields."))
    return TemplateResponse(request, "records/record_form.html", {"form": form})


def _filed_before(request, data: dict) -> list:
    """The records of the same form, unit and period as the one being filed, unless the
    person ticked that theirs is another one (``another``)."""
    if request.POST.get("another"):
        return []
    try:
        start, end = period_bounds(
            kind=data["period_kind"],
            academic_year=data.get("academic_year") or "",
            semester=data.get("semester"),
            start=data.get("period_start"),
            end=data.get("period_end"),
        )
    except ValidationError:
        return []  # filing it says what is wrong with the period
    return filed_for_the_same_period(
        request.user, series=data["series"], unit=data["unit"], start=start, end=end
    )


@login_required
def record_edit_view(request, pk: int):
    record = _editable_or_403(request, pk)
    form = RecordEditForm(
        request.POST or None,
        initial={name: getattr(record, name) for name in RecordEditForm.FIELDS},
    )
    if request.method == "POST":
        if form.is_valid():
            changes = form.changes(record)
            if not changes:
                # said alone: under "correct the marked fields", with no field marked, it
                # read as a contradiction (a tester)
                form.add_error(None, _("Nothing was changed: the record is as it was."))
                return TemplateResponse(
                    request, "records/record_edit.html", {"form": form, "record": record}
                )
            else:
                try:
                    services.record_update(
                        record=record,
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                        **changes,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request, _("Record updated: %(id)s") % {"id": record.identifier}
                    )
                    return redirect("records:detail", pk=record.pk)
        messages.error(request, _("The record was not changed: correct the marked fields."))
    return TemplateResponse(request, "records/record_edit.html", {"form": form, "record": record})


@login_required
def file_add_view(request, pk: int):
    record = _editable_or_403(request, pk)
    names = current_file_names(record)
    asked = request.GET.get("version_of", "")
    form = FileUploadForm(
        request.POST or None,
        request.FILES or None,
        names=names,
        initial={"version_of": asked if asked in names else ""},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.file_add(
                    record=record,
                    upload=form.cleaned_data["file"],
                    name=form.cleaned_data["name"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request,
                    _("File added to %(id)s: %(name)s, version %(version)s.")
                    % {"id": record.identifier, "name": entry.name, "version": entry.version},
                )
                if not form.cleaned_data["name"]:
                    renamed = renamed_upload(
                        uploaded=safe_label(form.cleaned_data["file"].name), kept=entry.name
                    )
                    if renamed:
                        messages.warning(request, renamed)
                return redirect("records:detail", pk=record.pk)
        messages.error(request, _("The file was not added: correct the marked fields."))
    return TemplateResponse(request, "records/file_form.html", {"form": form, "record": record})


@login_required
def record_close_view(request, pk: int):
    if request.method != "POST":
        return redirect("records:detail", pk=pk)
    record = _editable_or_403(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.record_close(
                record=record, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if record.is_on_hold:
                # Its retention clock stands still while it is held (QualityRecord.retention_end).
                closed = _(
                    "Record closed: %(id)s. It is on hold: its retention period runs from the "
                    "day every hold is released."
                )
            else:
                closed = _("Record closed: %(id)s. Its retention period runs from today.")
            messages.success(request, closed % {"id": record.identifier})
            return redirect("records:detail", pk=record.pk)
    reasons = [str(m) for errors in form.errors.values() for m in errors]
    messages.error(request, _("The record was not closed. %(why)s") % {"why": " ".join(reasons)})
    return _detail_response(request, record, close_form=form)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def hold_release_view(request, pk: int):
    hold = _retention_post_or_redirect(
        request, Hold, pk, missing=_("There is no such hold, or it is not yours to release.")
    )
    if hold is None:
        return redirect("records:retention")
    back = _safe_next(request, reverse("records:retention"))
    form = HoldReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.hold_release(hold=hold, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _("The hold was not released. %(why)s") % {"why": _why(error)})
        else:
            messages.success(
                request,
                _(
                    "Hold released: %(hold)s. Its records may be disposed of again when their "
                    "retention ends."
                )
                % {"hold": hold},
            )
            return redirect(back)
    else:
        reasons = [str(m) for errors in form.errors.values() for m in errors]
        messages.error(
            request, _("The hold was not released. %(why)s") % {"why": " ".join(reasons)}
        )
    return redirect(back)


@require_safe
@login_required
def access_log(request):
    if not permissions.can_read_access_log(request.user):
        raise _refused(request, _("The access log is read by the quality office and auditors."))
    entries = AccessLogEntry.objects.select_related("record", "file", "user")
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
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        entries = _access_filtered(entries, form.cleaned_data)
    asked = request.GET.copy()
    asked.pop("page", None)
    # as many as the records list: a hundred cards made one page too long to scroll on a phone
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        # An export's records, those of the reader's organisations named (a colleague who
        # also works elsewhere may have exported that organisation's records too).
        exported = (entry.detail or {}).get("records") or []
        entry.exported = [
            item for item in exported if scope is None or item.get("organisation_id") in scope
        ]
        entry.exported_elsewhere = len(exported) - len(entry.exported)
    return TemplateResponse(
        request,
        "records/access_log.html",
        {
            "page_obj": page,
            "entries": page.object_list,
            "form": form if form.is_bound else AccessLogFilterForm(),
            "asked": asked.urlencode(),
        },
    )


def _access_filtered(entries, data: dict):
    """The access log's entries narrowed by its filters (``AccessLogFilterForm``): who by
    login or by every word of their name, the action, the record's identifier, the days."""
    who = (data.get("who") or "").strip()
    if who:
        named = Q()
        for word in who.split():
            named &= Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        entries = entries.filter(Q(username__iexact=who) | named)
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if (data.get("record") or "").strip():
        entries = entries.filter(record__identifier__icontains=data["record"].strip())
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=zone)
        entries = entries.filter(at__gte=start)
    if data.get("date_to"):
        end = datetime.datetime.combine(
            data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        entries = entries.filter(at__lt=end)
    return entries


@require_safe
@login_required
def export_view(request):
    """The records of the list's filters as a zip. A filter that cannot be read refuses the
    export (the list page with the error, status 400): never more records than were asked."""
    from sapa.documents.models import Organisation

    if not permissions.can_export(request.user):
        raise _refused(request, _("Records are exported by the quality office and auditors."))
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Nothing was exported: correct the marked filters."))
        return _list_response(request, form, status=400)
    spool = tempfile.TemporaryFile()
    count = services.records_export(
        user=request.user, out=spool, filters=_filters(form), request=request
    )
    spool.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # The organisation is in the name (the one chosen, or the only one the reader reads): the
    # bundles of two universities, exported one after the other, are not told apart by the
    # minute alone.
    named = form.organisation_chosen()
    covered = permissions.organisation_ids(request.user)
    if named is None and covered is not None and len(covered) == 1:
        [named] = covered
    chosen = Organisation.objects.filter(pk=named).first()
    name = safe_label(str(chosen)).replace(" ", "-") if chosen else ""
    filename = f"sapa-records-{name}-{stamp}.zip" if name else f"sapa-records-{stamp}.zip"
    response = FileResponse(spool, as_attachment=True, filename=filename)
    response["X-Records-Count"] = str(count)
    return response


def _with_held_records(proposals: list) -> list:
    """``proposals``, each with ``held``: the ids of its records under a hold today. Such a
    proposal is not offered for approval (the approval would be refused)."""
    pks = {record.pk for proposal in proposals for record in proposal.records.all()}
    held = set(QualityRecord.objects.filter(pk__in=pks).on_hold().values_list("pk", flat=True))
    for proposal in proposals:
        proposal.held = {record.pk for record in proposal.records.all()} & held
    return proposals


def _retention_response(
    request,
    *,
    hold_form: HoldForm | None = None,
    chosen: tuple[str, ...] = (),
    note: str = "",
    decide_notes: dict | None = None,
) -> TemplateResponse:
    organisations = permissions.managed_organisations(request.user)
    eligible = {
        org: services.records_eligible_for_disposition(organisation=org) for org in organisations
    }
    # due but kept by a hold: shown with the hold, never offered for disposition
    held = {org: services.records_held_past_retention(organisation=org) for org in organisations}
    pending = dict(
        Disposition.records.through.objects.filter(
            disposition__status=DispositionStatus.PROPOSED,
            disposition__organisation__in=organisations,
        ).values_list("qualityrecord_id", "disposition_id")
    )
    for records in eligible.values():
        for record in records:
            record.pending_disposition = pending.get(record.pk)
    holds = list(
        Hold.objects.filter(released_at__isnull=True, organisation__in=organisations)
        .select_related("placed_by", "organisation")
        .prefetch_related("records", "series")
    )
    return TemplateResponse(
        request,
        "records/retention.html",
        {
            "due": [
                {
                    "organisation": org,
                    "records": records,
                    "held": held[org],
                    # a record already in a pending proposal has no box: without one
                    # that has, the page offers no form to propose nothing
                    "proposable": any(not r.pending_disposition for r in records),
                }
                for org, records in eligible.items()
            ],
            "chosen": {str(pk) for pk in chosen},
            "note": note,
            "decide_notes": decide_notes or {},
            "hold_form": hold_form
            or HoldForm(series=RecordSeries.objects.filter(organisation__in=organisations)),
            "holds": holds,
            # Each proposal with the records it would dispose of: whoever decides sees what,
            # and which of them are on hold (then it cannot be approved; see below).
            "proposals": _with_held_records(
                list(
                    Disposition.objects.filter(
                        status=DispositionStatus.PROPOSED, organisation__in=organisations
                    )
                    .select_related("proposed_by")
                    .prefetch_related(
                        Prefetch(
                            "records",
                            queryset=QualityRecord.objects.select_related("series").order_by(
                                "identifier"
                            ),
                        )
                    )
                    .annotate(record_count=Count("records"))
                )
            ),
            # ... and each decision with the reason it was given (a rejection's is required)
            "decided": list(
                Disposition.objects.filter(organisation__in=organisations)
                .exclude(status=DispositionStatus.PROPOSED)
                .select_related("proposed_by", "decided_by", "certificate")
                .annotate(
                    record_count=Count("records"),
                    decision_reason=Subquery(
                        Disposition.history.filter(id=OuterRef("pk"))
                        .order_by("-history_date", "-history_id")
                        .values("history_change_reason")[:1]
                    ),
                )[:20]
            ),
        },
    )


@login_required
def retention_view(request):
    _require_retention(request)
    if request.method != "POST":
        return _retention_response(request)
    organisations = permissions.managed_organisations(request.user)
    hold_form = HoldForm(
        request.POST, series=RecordSeries.objects.filter(organisation__in=organisations)
    )
    if hold_form.is_valid():
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
            try:
                hold = services.hold_place(
                    reason=data["reason"],
                    description=data["description"],
                    records=records,
                    series=data["series"],
                    user=request.user,
                )
            except ValidationError as error:
                hold_form.add_error(None, error)
            else:
                counts = {"count": len(records)}
                series_counts = {"count": len(data["series"])}
                messages.success(
                    request,
                    _(
                        "Hold placed: %(hold)s (%(records)s, %(series)s). They are not "
                        "disposed of until it is released."
                    )
                    % {
                        "hold": hold,
                        "records": ngettext("%(count)s record", "%(count)s records", len(records))
                        % counts,
                        "series": ngettext(
                            "%(count)s series", "%(count)s series", len(data["series"])
                        )
                        % series_counts,
                    },
                )
                return redirect("records:retention")
    messages.error(request, _("The hold was not placed: correct the marked fields."))
    return _retention_response(request, hold_form=hold_form)


@login_required
def disposition_propose_view(request):
    if request.method != "POST":
        return redirect("records:retention")
    _require_retention(request)
    chosen = tuple(request.POST.getlist("record"))
    note = request.POST.get("note", "")
    records = list(
        QualityRecord.objects.filter(
            pk__in=[pk for pk in chosen if pk.isdigit()],
            organisation__in=permissions.managed_organisations(request.user),
        )
    )
    try:
        disposition = services.disposition_propose(records=records, user=request.user, note=note)
    except ValidationError as error:
        messages.error(
            request, _("The disposition was not proposed. %(why)s") % {"why": _why(error)}
        )
        return _retention_response(request, chosen=chosen, note=note)
    messages.success(
        request,
        ngettext(
            "Disposition no. %(n)s proposed for %(count)s record. A second person of the "
            "quality office approves or rejects it.",
            "Disposition no. %(n)s proposed for %(count)s records. A second person of the "
            "quality office approves or rejects it.",
            len(records),
        )
        % {"n": disposition.pk, "count": len(records)},
    )
    return redirect("records:retention")


@login_required
def disposition_decide_view(request, pk: int):
    disposition = _retention_post_or_redirect(
        request,
        Disposition,
        pk,
        missing=_("There is no such disposition, or it is not yours to decide."),
    )
    if disposition is None:
        return redirect("records:retention")
    note = request.POST.get("note", "")
    approve = request.POST.get("decision") == "approve"
    # A disposition cannot be undone: one click destroyed a tester's record, where closing
    # one, which takes less, asks for a reason and a tick.
    if approve and not request.POST.get("understood"):
        messages.error(
            request,
            _("The disposition was not approved. %(why)s")
            % {"why": _("Confirm that the records' files are to be removed for good.")},
        )
        return _retention_response(request, decide_notes={disposition.pk: note})
    try:
        if approve:
            disposition = services.disposition_approve(disposition=disposition, user=request.user)
        else:
            disposition = services.disposition_reject(
                disposition=disposition, user=request.user, note=note
            )
    except ValidationError as error:
        messages.error(
            request,
            (
                _("The disposition was not approved. %(why)s")
                if approve
                else _("The disposition was not rejected. %(why)s")
            )
            % {"why": _why(error)},
        )
        return _retention_response(request, decide_notes={disposition.pk: note})
    if approve:
        count = disposition.records.count()
        messages.success(
            request,
            ngettext(
                "Disposition no. %(n)s approved: %(count)s record disposed of. Certificate: "
                "%(id)s.",
                "Disposition no. %(n)s approved: %(count)s records disposed of. Certificate: "
                "%(id)s.",
                count,
            )
            % {"n": disposition.pk, "count": count, "id": disposition.certificate.identifier},
        )
    else:
        messages.success(request, _("Disposition no. %(n)s rejected.") % {"n": disposition.pk})
    return redirect("records:retention")
