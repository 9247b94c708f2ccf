"""Admin views of the documents app: starting a new edition, importing files, and Wagtail's
page views as controlled documents need them (workflow actions, comparison for agreers)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.revisions import RevisionsCompareView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from sapa.localisation.dates import format_datetime

from .compare_hooks import is_content
from .importing import staging
from .importing.service import import_file
from .models import (
    AGREE_WITH_COMMENT,
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


def library_name(library) -> str:
    """A document library named with its organisation: every university's register is
    called "Құжаттар тізілімі", and the import form offered two alike."""
    organisation = Organisation.for_page(library)
    name = organisation.short_name or organisation.name if organisation else ""
    return f"{name} · {library.title}" if name else library.title


class LibraryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return library_name(obj)


class ImportForm(forms.Form):
    library = LibraryChoiceField(
        label=gettext_lazy("Document library"), queryset=DocumentLibraryPage.objects.none()
    )
    files = MultipleFileField(
        label=gettext_lazy("PDF, Word (.docx) or text files"),
        help_text=gettext_lazy("The files become drafts; nothing is published."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only read, write nothing"), required=False)

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


def _import_libraries(request):
    """The libraries the user may import into (the quality office of their organisation);
    none: no import at all."""
    allowed = [
        library.pk
        for library in DocumentLibraryPage.objects.all()
        if library.permissions_for_user(request.user).can_add_subpage()
    ]
    if not allowed:
        raise PermissionDenied
    return DocumentLibraryPage.objects.filter(pk__in=allowed)


def _import_staged(staged, *, user, library, accepted=None, dry_run=False) -> list:
    """Import every file of ``staged`` into ``library``; ``accepted``: file number -> the ids
    of its accepted fixes (None: write what the reader gives, as without proposals).

    Each file is read once: what the first (dry) run read is kept beside the upload, and the
    steps after it import that."""
    organisation = Organisation.for_page(library)
    reports = []
    for number, (path, name) in enumerate(staged.files(), start=1):
        read = staged.read(number)
        report = import_file(
            path,
            user=user,
            organisation=organisation.code_prefix,
            dry_run=dry_run,
            name=name,
            accept_fixes=False if accepted is None else accepted.get(number, set()),
            parsed=read,
        )
        if read is None and dry_run and report.parsed is not None:
            staged.keep_read(number, report.parsed)
        reports.append(report)
    return reports


def import_documents(request):
    """Upload: files without proposed fixes are imported at once; when the importer proposes
    fixes, the upload is kept and the quality office chooses them first (``import_review``)."""
    libraries = _import_libraries(request)
    staging.purge_expired()
    form = ImportForm(request.POST or None, request.FILES or None, libraries=libraries)
    reports = []
    if request.method == "POST" and form.is_valid():
        library = form.cleaned_data["library"]
        staged = staging.stage(
            user_id=request.user.pk, library_id=library.pk, uploads=form.cleaned_data["files"]
        )
        dry_run = form.cleaned_data["dry_run"]
        try:
            reports = _import_staged(staged, user=request.user, library=library, dry_run=True)
            if not dry_run and any(report.proposals for report in reports):
                keep, staged = staged, None
                return redirect(reverse("documents_import_review", args=(keep.token,)))
            if not dry_run:
                reports = _import_staged(staged, user=request.user, library=library)
        finally:
            if staged is not None:
                staged.remove()
    return TemplateResponse(
        request, "documents/admin/import.html", {"form": form, "reports": reports}
    )


def import_review(request, token: str):
    """The fixes the importer proposes, each to accept or not; the drafts are written only
    on "Create the draft", each file in one transaction; "Cancel" writes nothing. Only the
    user who uploaded finds the upload (anyone else: 404)."""
    libraries = _import_libraries(request)
    staged = staging.find(token, user_id=request.user.pk)
    if staged is None:
        raise Http404
    library = libraries.filter(pk=staged.library_id).first()
    if library is None:
        raise PermissionDenied
    if request.method == "POST" and "cancel" in request.POST:
        staged.remove()
        messages.success(request, _("Import cancelled: nothing was written."))
        return redirect(reverse("documents_import"))
    if request.method == "POST":
        accepted: dict[int, set[str]] = {}
        for value in request.POST.getlist("accept"):
            number, _sep, proposal_id = value.partition(":")
            if number.isdigit():
                accepted.setdefault(int(number), set()).add(proposal_id)
        reports = _import_staged(staged, user=request.user, library=library, accepted=accepted)
        staged.remove()
        form = ImportForm(libraries=libraries, initial={"library": library.pk})
        return TemplateResponse(
            request, "documents/admin/import.html", {"form": form, "reports": reports}
        )
    reports = _import_staged(staged, user=request.user, library=library, dry_run=True)
    return TemplateResponse(
        request,
        "documents/admin/import_review.html",
        {
            "reports": reports,
            "library": library,
            "library_name": library_name(library),
            "token": staged.token,
        },
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
    elif action_name in ("approve", AGREE_WITH_COMMENT) and isinstance(task, AgreementTask):
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
                # the day in the site's time zone (stored in UTC: the evening before)
                % {"title": title, "date": f"{localtime(latest.approved_go_live_at):%d.%m.%Y}"},
            )


class DocumentWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action (the dialog on the dashboard): a refusal is shown in the
    dialog, with nothing written, and whoever acted is told what happened."""

    def post(self, request, *args, **kwargs):
        if self.form_class and not self.form_class(request.POST).is_valid():
            # Nothing is done (a comment left empty): Wagtail shows why in the dialog.
            return super().post(request, *args, **kwargs)
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


def edits_only_as_a_reviewer(page, user) -> bool:
    """Whether ``user`` opens the draft in the editor only because the workflow asks them
    to act on it (an agreer, an approver without page permissions): Wagtail lets them save
    it too, but in agreement the text is the author's. They agree, or ask for changes
    saying what; they do not change it."""
    if user.is_superuser:
        return False
    held = page.permissions_for_user(user).permissions
    return "change" not in held and not ("add" in held and page.owner_id == user.pk)


class DocumentEditView(EditView):
    """Wagtail's page editor; a workflow action taken from it (Approve, Agree) that is
    refused shows its reason on the page, with nothing written. Who may open the draft only
    to act on it in the workflow (``edits_only_as_a_reviewer``) acts on the draft as it was
    submitted: nothing they type in the form is saved, and saving is refused."""

    def get(self, request, *args, **kwargs):
        if edits_only_as_a_reviewer(self.page, request.user):
            self.autosave_enabled = False  # Wagtail's autosave would save what they type
            messages.info(
                request,
                _(
                    "You are asked to act on this draft: its text is not changed here. "
                    "To have something changed, choose “Request changes” and say what."
                ),
                # documents/reviewer_reads.js makes the editor's fields read-only under it
                extra_tags="sapa-reviewer",
            )
        return super().get(request, *args, **kwargs)

    # What a person's click sends (approve, agree, submit, publish), never an autosave: the
    # editor's autosave once sent the form with the approval's fields in it, beside the
    # approval itself (static/documents/workflow_action.js stops it now).
    ACTIONS = (
        "action-workflow-action",
        "action-submit",
        "action-publish",
        "action-restart-workflow",
        "action-cancel-workflow",
    )

    def post(self, request, *args, **kwargs):
        if self.expects_json_response and any(request.POST.get(key) for key in self.ACTIONS):
            return self.json_error_response(
                "not_an_autosave",
                _("Not saved: an action is taken by its button, not by the autosave."),
            )
        if edits_only_as_a_reviewer(self.page, request.user):
            if request.POST.get("action-workflow-action"):
                return self.act_on_the_draft_as_submitted()
            refusal = _(
                "The draft was not saved: you are asked to act on it, not to change it. "
                "To have something changed, choose “Request changes” and say what."
            )
            if self.expects_json_response:
                return self.json_error_response("not_the_authors", refusal)
            messages.error(request, refusal)
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        return super().post(request, *args, **kwargs)

    def act_on_the_draft_as_submitted(self):
        """Wagtail's workflow step from the editor, without saving the form first."""
        task = self.page.current_workflow_task
        task_state = self.page.current_workflow_task_state
        action_name = self.request.POST.get("workflow-action-name")
        if task is None or action_name not in {
            name for name, *_r in task.get_actions(self.page, self.request.user)
        }:
            raise PermissionDenied
        extra = json.loads(self.request.POST.get("workflow-action-extra-data") or "{}")
        try:
            with transaction.atomic():
                task.on_action(task_state, self.request.user, action_name, **extra)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        workflow_action_message(
            self.request, page_id=self.page.pk, task=task, action_name=action_name
        )
        response = self.run_hook("after_edit_page", self.request, self.page)
        return response or self.redirect_away()

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
