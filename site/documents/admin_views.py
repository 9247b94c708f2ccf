"""Admin views of the documents app: starting a new edition, importing files, and Wagtail's
page views as controlled documents need them (workflow actions, comparison for agreers)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.revisions import RevisionsCompareView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from sapa.localisation.dates import format_datetime

from .compare_hooks import is_content
from .importing.service import import_file
from .models import (
    AgreementTask,
    ApprovalTask,
    ControlledDocument,
    DocumentLibraryPage,
    EditionStatus,
    Organisation,
)
from .services import edition_start_new


class NewEditionForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Edition as printed"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Leave empty for «No. N edition»."),
    )
    version = forms.CharField(
        label=gettext_lazy("Version"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Only for documents numbered by version, e.g. 3.0."),
    )


def new_edition(request, page_id: int):
    page = get_object_or_404(ControlledDocument, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    in_force = page.editions.filter(status=EditionStatus.IN_FORCE).first()
    form = NewEditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition_start_new(
                document=page,
                user=request.user,
                label=form.cleaned_data["label"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft of the new edition is ready: collect the agreements and approval."),
            )
            return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return TemplateResponse(
        request,
        "documents/admin/new_edition.html",
        {"page": page, "form": form, "in_force": in_force},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return (
            [single(item, initial) for item in data]
            if isinstance(data, list | tuple)
            else [single(data, initial)]
        )


class ImportForm(forms.Form):
    library = forms.ModelChoiceField(
        label=gettext_lazy("Document library"), queryset=DocumentLibraryPage.objects.none()
    )
    files = MultipleFileField(
        label=gettext_lazy("PDF or text files"),
        help_text=gettext_lazy("The files become drafts; nothing is published."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only read, write nothing"), required=False)

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


def import_documents(request):
    libraries = [
        library
        for library in DocumentLibraryPage.objects.all()
        if library.permissions_for_user(request.user).can_add_subpage()
    ]
    if not libraries:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        libraries=DocumentLibraryPage.objects.filter(pk__in=[lib.pk for lib in libraries]),
    )
    reports = []
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.for_page(form.cleaned_data["library"])
        with tempfile.TemporaryDirectory(prefix="sapa-upload-") as folder:
            for number, upload in enumerate(form.cleaned_data["files"], start=1):
                # A name of our own on disk (an upload's may be 255+ bytes, or hostile); the
                # report names the file as uploaded, never this temporary copy.
                suffix = Path(upload.name).suffix.lower()
                path = Path(folder) / f"{number}{suffix if suffix in ('.pdf', '.txt') else ''}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                reports.append(
                    import_file(
                        path,
                        user=request.user,
                        organisation=organisation.code_prefix,
                        dry_run=form.cleaned_data["dry_run"],
                        name=upload.name,
                    )
                )
    return TemplateResponse(
        request, "documents/admin/import.html", {"form": form, "reports": reports}
    )


# --- workflow: agreement and approval ------------------------------------------------------


def workflow_action_message(request, *, page_id: int, task, action_name: str) -> None:
    """Tell the person who acted what their action did."""
    page = ControlledDocument.objects.get(pk=page_id).specific
    title = page.get_admin_display_title()
    if action_name == "reject":
        messages.success(
            request,
            _("Changes requested: «%(title)s» goes back to its author with your comment.")
            % {"title": title},
        )
    elif action_name == "approve" and isinstance(task, AgreementTask):
        pending = task.pending_people(page)
        if pending:
            messages.success(
                request,
                _("You agreed «%(title)s». Still to agree: %(people)s.")
                % {"title": title, "people": ", ".join(pending)},
            )
        else:
            messages.success(
                request,
                _("You agreed «%(title)s». Everyone has agreed; it goes on to approval.")
                % {"title": title},
            )
    elif action_name == "approve" and isinstance(task, ApprovalTask):
        latest = page.get_latest_revision()
        if page.live and page.live_revision_id == latest.pk:
            messages.success(
                request, _("«%(title)s» is approved and published.") % {"title": title}
            )
        elif latest.approved_go_live_at:
            messages.success(
                request,
                _("«%(title)s» is approved; it will be published on %(date)s.")
                % {"title": title, "date": f"{latest.approved_go_live_at:%d.%m.%Y}"},
            )


class DocumentWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action (the dialog on the dashboard): a refusal is shown in the
    dialog, with nothing written, and whoever acted is told what happened."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                response = super().post(request, *args, **kwargs)
        except ValidationError as error:
            return self.refused(error)
        workflow_action_message(
            request, page_id=self.object.pk, task=self.task, action_name=self.action_name
        )
        return response

    def refused(self, error: ValidationError):
        is_dialog = self.request.headers.get("x-requested-with") == "XMLHttpRequest"
        if is_dialog and self.action_modal and self.form_class:
            form = self.form_class(self.request.POST)
            form.is_valid()
            for message in error.messages:
                form.add_error(None, message)
            return self.render_modal_form(self.request, form)
        for message in error.messages:
            messages.error(self.request, message)
        if is_dialog:
            return self.render_modal_json(
                self.request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)


class DocumentEditView(EditView):
    """Wagtail's page editor; a workflow action taken from it (Approve, Agree) that is
    refused shows its reason on the page, with nothing written."""

    def perform_workflow_action(self):
        task = self.page.current_workflow_task
        try:
            with transaction.atomic():
                response = super().perform_workflow_action()
        except ValidationError as error:
            for message in error.messages:
                self.form.add_error(None, message)
            return self.form_invalid(self.form)
        workflow_action_message(
            self.request, page_id=self.page.pk, task=task, action_name=self.workflow_action
        )
        return response


class DocumentRevisionsCompareView(RevisionsCompareView):
    """Comparing revisions, also for the agreers of the draft under agreement, who have no
    page permissions of their own: they see what changed in what they are asked to agree.

    The document's own text in the comparison is marked with its language (the template),
    and a revision is named by its time in the reader's form, not Python's."""

    template_name = "documents/admin/revisions_compare.html"

    def _get_revision_and_heading(self, revision_id):
        revision, heading = super()._get_revision_and_heading(revision_id)
        if revision_id not in ("live", "earliest", "latest"):
            created_at = self.object.revisions.filter(id=revision_id).values_list(
                "created_at", flat=True
            )
            heading = format_datetime(created_at.first()) or heading
        return revision, heading

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["content_language"] = self.object.locale.language_code
        context["comparison_rows"] = [
            {
                "comparison": comp,
                "content": is_content(comp),
                "children": [
                    {
                        "comparison": child,
                        "fields": [
                            {"comparison": field, "content": is_content(field)}
                            for field in child.get_field_comparisons()
                        ],
                    }
                    for child in (comp.get_child_comparisons() if comp.is_child_relation else [])
                ],
            }
            for comp in context["comparison"]
        ]
        return context

    def dispatch(self, request, *args, **kwargs):
        page = get_object_or_404(ControlledDocument, pk=kwargs.get("pk")).specific
        task = page.current_workflow_task
        if (
            request.user.is_active
            and isinstance(task, AgreementTask)
            and task.user_can_access_editor(page, request.user)
        ):
            # skip the "any page permission" test; get_object still checks can_edit, which
            # the agreement task grants to the agreers of the current draft
            return super(RevisionsCompareView, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class ControlledDocumentViewSet(PageViewSet):
    """Wagtail's page views for controlled documents, with the workflow views above. It does
    not take over the library's listing (``parent_models`` is empty)."""

    model = ControlledDocument
    edit_view_class = DocumentEditView
    revisions_compare_view_class = DocumentRevisionsCompareView
    workflow_action_view_class = DocumentWorkflowActionView

    @property
    def parent_models(self):
        return []
