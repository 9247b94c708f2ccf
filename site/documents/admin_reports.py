"""Three of Wagtail's reports: two as each user's organisations allow, one in Sapa's words.

- Site history (with its CSV and XLSX export): Wagtail lists every log entry of a model one
  has any permission on, so a quality-office member of one university would read the titles
  of the other's forms, units and records series in it. Page entries already follow the page
  permissions (``OrganisationPagePermissionPolicy``).
- Page types usage: the counts stay, but the "last edited" page of another university (a
  draft's title) is not named.
- Workflow tasks: its CSV and XLSX name each task's state as its screen does, a completed
  agreement "Agreed" (``AgreementTask.status_labels``), not Wagtail's "Approved", name every
  agreer of a round, head their columns in the reader's language and give times in the
  site's time zone, as the screen shows them (Wagtail wrote UTC).

All are served in front of Wagtail's own views, at the same addresses."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView
from wagtail.models import ModelLogEntry, Page

from .admin_permissions import (
    _ORGANISATION_PATHS,
    admin_organisation_ids,
    exclude_other_organisations_pages,
    scope_queryset,
)
from .models.workflow import agreements_of_round, task_status_display


def exclude_other_organisations(log_entries, user):
    """``log_entries`` (ModelLogEntry) without those of objects outside ``user``'s
    organisations (nor of such objects since deleted)."""
    if admin_organisation_ids(user) is None:
        return log_entries
    for model, organisation_path in _ORGANISATION_PATHS.items():
        if issubclass(model, Page):
            continue
        allowed = (
            scope_queryset(model._default_manager.all(), user, organisation_path)
            .annotate(key=Cast("pk", output_field=CharField()))
            .values("key")
        )
        content_type = ContentType.objects.get_for_model(model)
        log_entries = log_entries.exclude(Q(content_type=content_type) & ~Q(object_id__in=allowed))
    return log_entries


class OrganisationLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if issubclass(queryset.model, ModelLogEntry):
            queryset = exclude_other_organisations(queryset, self.request.user)
        return queryset


class OrganisationPageTypesUsageReportView(PageTypesUsageReportView):
    results_template_name = "documents/admin/page_types_usage_results.html"

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        shown = [item.last_edited_page for item in page_types if item.last_edited_page]
        allowed = set(
            exclude_other_organisations_pages(
                Page.objects.filter(pk__in=[page.pk for page in shown]), self.request.user
            ).values_list("pk", flat=True)
        )
        for item in page_types:
            if item.last_edited_page and item.last_edited_page.pk not in allowed:
                item.last_edited_page = None
        return page_types


def _local_time(value: datetime.datetime) -> datetime.datetime:
    """An aware time in the site's time zone, as the screen shows it, without its zone
    (a spreadsheet cell holds no zone; Wagtail wrote UTC there)."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class AgreementWordingWorkflowTasksView(WorkflowTasksView):
    """The workflow tasks report, its screen in Sapa's words already
    (``templates/wagtailadmin/reports/workflow_tasks_results.html``); its CSV and XLSX wrote
    Wagtail's "Approved" (БЕКІТІЛДІ in Kazakh) for a completed agreement, the last agreer
    alone as who finished it, raw field names over four columns and times in UTC. Each row's
    status is now the screen's, every agreer of a round is named, each column is headed in
    the reader's language and times are the site's."""

    export_headings = {
        "task": _("Task"),
        "workflow_state.content_object.pk": _("Page ID"),
        "workflow_state.content_type": _("Page type"),
        "workflow_state.content_object.__str__": _("Page title"),
        "get_status_display": _("Status"),
        "workflow_state.requested_by": _("Requested by"),
        "started_at": _("Started at"),
        "finished_at": _("Finished at"),
        "finished_by": _("Finished by"),
    }
    custom_value_preprocess = {
        **WorkflowTasksView.custom_value_preprocess,
        datetime.datetime: {
            WorkflowTasksView.FORMAT_XLSX: _local_time,
            WorkflowTasksView.FORMAT_CSV: lambda value: _local_time(value).strftime(
                "%Y-%m-%d %H:%M"
            ),
        },
    }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["get_status_display"] = task_status_display(item.task, item.status)
        agreed = agreements_of_round(item)
        if agreed and item.status == "approved":
            row["finished_by"] = ", ".join(
                a.user.get_full_name() or a.user.get_username() for a in agreed
            )
        return row


def _admin(view):
    return never_cache(require_admin_access(view))


def _report(address: str, view, name: str) -> list:
    """A report's listing and its results (what its filters reload), at Wagtail's addresses."""
    return [
        path(f"admin/reports/{address}/", _admin(view.as_view()), name=name),
        path(
            f"admin/reports/{address}/results/",
            _admin(view.as_view(results_only=True)),
            name=f"{name}_results",
        ),
    ]


def report_urls():
    """Served in front of Wagtail's own reports (same addresses), so that the listing, its
    results and its export all leave out other organisations' objects, and speak as the
    screens do."""
    return [
        *_report("page-types-usage", OrganisationPageTypesUsageReportView, "sapa_page_types_usage"),
        *_report("workflow_tasks", AgreementWordingWorkflowTasksView, "sapa_workflow_tasks"),
        *_report("site-history", OrganisationLogEntriesView, "sapa_site_history"),
    ]
