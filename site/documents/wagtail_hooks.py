"""Admin wiring of the documents app: snippets, buttons, URLs (kept out of the models)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import LogFormatter
from wagtail.models import AbstractPage, Page, TaskState, WorkflowState
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import compare_hooks  # noqa: F401  (what changed: proposed register rows)
from .admin_forms import FormPerRequestMixin
from .admin_permissions import (
    OrganisationPagePermissionPolicy,
    OrganisationPermissionPolicy,
    OrganisationScopedViewSetMixin,
    OrganisationSettingPermissionPolicy,
    exclude_other_organisations_pages,
    register_organisation_path,
)
from .admin_views import (
    ControlledDocumentViewSet,
    edits_only_as_a_reviewer,
    import_documents,
    import_review,
    new_edition,
)
from .choosers import InterfaceTextsChooserMixin, agreer_chooser_viewset
from .form_collections import register_policy as register_document_policy
from .models import (
    ControlledDocument,
    DocumentLibraryPage,
    EditionStatus,
    Organisation,
    QmsForm,
    Unit,
    UnitMember,
)
from .models.workflow import AGREE_LOG_ACTION, AgreementTask
from .review import review_admin_urls  # noqa: F401  (registers the periodic review hooks)

# Organisation boundaries (see admin_permissions): registered before the viewsets below, so
# that Wagtail takes these policies instead of creating its own.
register_organisation_path(Organisation, "pk")
register_organisation_path(ControlledDocument, "organisation")
register_permission_policy(QmsForm, OrganisationPermissionPolicy(QmsForm), exact_class=True)
register_permission_policy(Unit, OrganisationPermissionPolicy(Unit), exact_class=True)
register_permission_policy(
    UnitMember,
    OrganisationPermissionPolicy(UnitMember, organisation_path="unit__organisation"),
    exact_class=True,
)
register_permission_policy(Organisation, OrganisationSettingPermissionPolicy(Organisation))
register_permission_policy(AbstractPage, OrganisationPagePermissionPolicy())
register_document_policy()  # each organisation's form templates: its own only


class OrganisationChooserViewSet(
    InterfaceTextsChooserMixin, OrganisationScopedViewSetMixin, SnippetChooserViewSet
):
    """The chooser of forms and units (in page and snippet editors): the user's
    organisations only."""


class OrganisationSnippetViewSet(
    FormPerRequestMixin, OrganisationScopedViewSetMixin, SnippetViewSet
):
    chooser_viewset_class = OrganisationChooserViewSet


class QmsFormViewSet(OrganisationSnippetViewSet):
    model = QmsForm
    icon = "doc-full"
    menu_label = _("Forms")
    list_display = ["code", "title", "kind", "owning_document", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["code", "title"]


class UnitViewSet(OrganisationSnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "short_name", "kind", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "short_name"]


class YesNoColumn(Column):
    """A yes/no field as a word of the interface language (Wagtail's own boolean column
    titles its tick "True" or "False", in English)."""

    def get_value(self, instance):
        return gettext("Yes") if super().get_value(instance) else gettext("No")


class UnitMemberChooserViewSet(OrganisationChooserViewSet):
    organisation_path = "unit__organisation"


class UnitMemberViewSet(OrganisationSnippetViewSet):
    """Who works in which unit (and heads it): they get the familiarisation tasks."""

    model = UnitMember
    organisation_path = "unit__organisation"
    chooser_viewset_class = UnitMemberChooserViewSet
    icon = "user"
    menu_label = _("Unit members")
    list_display = [
        "user",
        "unit",
        YesNoColumn("is_head", label=_("head of the unit"), sort_key="is_head"),
    ]
    list_filter = ["unit", "is_head"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]


class QmsViewSetGroup(SnippetViewSetGroup):
    items = (QmsFormViewSet, UnitViewSet, UnitMemberViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("QMS")
    menu_name = "qms"


register_snippet(QmsViewSetGroup)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_of_ones_organisations(pages, request):
    """The page chooser (links, a form's owning document) browses and searches the pages of
    one's own organisations: another university's drafts stay out of sight."""
    return exclude_other_organisations_pages(pages, request.user)


@hooks.register("register_admin_urls")
def documents_admin_urls():
    return [
        path("documents/<int:page_id>/new-edition/", new_edition, name="documents_new_edition"),
        path("documents/import/", import_documents, name="documents_import"),
        path("documents/import/<str:token>/", import_review, name="documents_import_review"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return any(
            library.permissions_for_user(request.user).can_add_subpage()
            for library in DocumentLibraryPage.objects.all()
        )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("Import documents (PDF, Word, text)"),
        reverse("documents_import"),
        icon_name="upload",
        order=240,
    )


class NewEditionButton(PageMenuItem):
    label = _("New edition")
    icon_name = "doc-full-inverse"
    priority = 25

    @property
    def url(self):
        return reverse("documents_new_edition", args=(self.page.pk,))

    def is_shown(self, user):
        page = self.page.specific
        return (
            isinstance(page, ControlledDocument)
            and page.permissions_for_user(user).can_publish()
            and page.editions.filter(status=EditionStatus.IN_FORCE).exists()
        )


class FamiliarisationSheetButton(PageMenuItem):
    """The document's latest familiarisation sheet (who has read it), for those who may open
    it: the quality office and the heads of the units asked to read it."""

    label = _("Familiarisation sheet")
    icon_name = "tasks"
    priority = 30
    sheet = None

    @property
    def url(self):
        return reverse("familiarisation:sheet", args=(self.sheet.pk,))

    def is_shown(self, user):
        from .familiarisation import sheets_for

        sheets = sheets_for(user).filter(document_id=self.page.pk)
        self.sheet = sheets.order_by("-started_at", "-pk").first()
        return self.sheet is not None


@hooks.register("register_page_header_buttons")
def document_header_buttons(page, user, view_name, next_url=None):
    if isinstance(page.specific, ControlledDocument):
        yield NewEditionButton(page=page, next_url=next_url)
        yield FamiliarisationSheetButton(page=page, next_url=next_url)


@hooks.register("insert_global_admin_css")  # (Wagtail 8 has no editor-only CSS hook)
def tabs_that_wrap_beside_the_side_panel():
    return format_html('<link rel="stylesheet" href="{}">', static("documents/editor.css"))


@hooks.register("insert_editor_js")
def content_language_of_the_body():
    return format_html('<script src="{}"></script>', static("documents/content_lang.js"))


@hooks.register("insert_editor_js")
def no_autosave_of_a_workflow_action():
    return format_html('<script src="{}"></script>', static("documents/workflow_action.js"))


@hooks.register("insert_editor_js")
def a_reviewers_editor_reads_only():
    return format_html('<script src="{}"></script>', static("documents/reviewer_reads.js"))


@hooks.register("register_admin_viewset")
def controlled_document_viewset():
    return ControlledDocumentViewSet("controlled_documents")


@hooks.register("register_admin_viewset")
def agreer_chooser():
    return agreer_chooser_viewset


def may_cancel_the_workflow(page, user) -> bool:
    """Who may withdraw a draft from agreement and approval: whoever submitted it, or who
    may publish the document (its quality office). Not an agreer: they agree, or ask for
    changes with the reason; Wagtail lets anyone who may take a step cancel the whole."""
    state = page.current_workflow_state
    if state is None:
        return True
    return user == state.requested_by or page.permissions_for_user(user).can_publish()


@hooks.register("construct_page_action_menu")
def no_cancel_for_agreers(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and not may_cancel_the_workflow(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-cancel-workflow"]


@hooks.register("construct_page_action_menu")
def no_saving_for_reviewers(menu_items, request, context):
    """An agreer (or approver) acts on the draft as submitted: no "Save draft" for them
    (``DocumentEditView`` refuses it too), and the footer's main button is the step they
    were asked for (Agree, Approve by order), not the first of Wagtail's list, "Request
    changes"."""
    page = context.get("page")
    if page is not None and page.pk and edits_only_as_a_reviewer(page, request.user):
        kept = [item for item in menu_items if item.name != "action-save-draft"]
        menu_items[:] = sorted(kept, key=lambda item: item.name != "approve")


def published_by_its_approval(page, parent=None) -> bool:
    """Whether ``page`` is a controlled document that a workflow governs (its own, or its
    parent's for a new one): it goes live only when its approval is given (КЕЛІСІЛДІ, then
    БЕКІТІЛДІ, with the order), never by a "Publish" in the editor, which would put a text
    that nobody agreed in force with no order and no official copy."""
    if not isinstance(page, ControlledDocument):
        return False
    if page.pk:
        return page.get_workflow() is not None
    return parent is not None and parent.get_workflow() is not None


@hooks.register("construct_page_action_menu")
def no_publishing_past_the_approval(menu_items, request, context):
    page = context.get("page")
    if page is not None and published_by_its_approval(page, context.get("parent_page")):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_publishing(request, page):
    messages.error(
        request,
        gettext(
            "«%(title)s» goes into force by its approval, not by publishing: the draft is "
            "saved; submit it for agreement and approval."
        )
        % {"title": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def refuse_publishing_past_the_approval(request, page):
    """The editor's publish (Wagtail calls this hook once the draft is saved, from the edit
    and the create views): refused for a document its workflow governs."""
    if published_by_its_approval(page.specific, page.get_parent()):
        return _refuse_publishing(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_past_the_approval(request, action_type, objects, action_class_instance):
    """The pages listing's bulk "Publish" (with the pages below, when asked): refused when it
    holds such a document."""
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    below = bool(form and form.cleaned_data.get("include_descendants"))
    for selected in objects:
        pages = Page.objects.descendant_of(selected, inclusive=True) if below else [selected]
        for page in pages:
            if not published_by_its_approval(page.specific, page.get_parent()):
                continue
            messages.error(
                request,
                gettext(
                    "«%(title)s» goes into force by its approval, not by publishing: submit "
                    "it for agreement and approval."
                )
                % {"title": page.title},
            )
            return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")
    return None


@hooks.register("before_edit_page")
def refuse_an_agreers_cancel(request, page):
    cancelling = request.method == "POST" and request.POST.get("action-cancel-workflow")
    if cancelling and not may_cancel_the_workflow(page, request.user):
        messages.error(
            request,
            gettext(
                "Only whoever submitted the draft, or the quality office, may cancel its "
                "agreement and approval. Ask for changes instead, saying why."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_edit_page")
def say_the_changes_asked_for(request, page):
    """A draft returned for changes opens with who asked for them and what they wrote: the
    editor said only "Published" over it, and the comment was in the history and an email
    (a tester)."""
    if request.method != "GET":
        return None
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    asked = state.current_task_state
    if asked is None or asked.status != TaskState.STATUS_REJECTED:
        return None
    who = asked.finished_by
    values = {
        "who": (who.get_full_name() or who.get_username()) if who else "—",
        "task": asked.task.name,
        "comment": asked.get_comment() or "—",
    }
    messages.warning(
        request,
        gettext(
            "%(who)s asked for changes at “%(task)s”: «%(comment)s». Correct the draft, then "
            "submit it again."
        )
        % values,
    )
    return None


@hooks.register("after_edit_page")
def to_the_dashboard_after_a_workflow_step(request, page):
    """A workflow step taken in the editor (agree, approve, request changes) ends on the
    dashboard, which lists what awaits each person next. Wagtail's own way back is the
    listing of the document's library, which an agreer may not open: their agreement was
    recorded, then "Sorry, you do not have permission to access this area" greeted them."""
    taken = request.method == "POST" and request.POST.get("action-workflow-action")
    if taken and not get_valid_next_url_from_request(request):
        return redirect("wagtailadmin_home")
    return None


@hooks.register("register_log_actions")
def workflow_log_actions(actions):
    @actions.register_action(AGREE_LOG_ACTION)
    class AgreedFormatter(LogFormatter):
        label = _("Agree")
        message = _("Agreed")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


@hooks.register("register_log_actions", order=1)  # after Wagtail's own, whose entry it wraps
def agreement_completed_log_action(actions):
    """Wagtail logs every completed task as "Approved at '<task>'": the page history read
    БЕКІТІЛДІ (approved) at the agreement. A completed agreement round reads "Agreement at …
    complete: everyone on the agreed-by list has agreed": the step, not one more agreement
    (each agreer's own is the entry before it, "Agreed"). Sapa writes it in nobody's name
    (``_log_round_completed``); rounds completed before that carry the last agreer's name,
    and read the same. The approval's entries, the action's label and its place in the
    history filter stay Wagtail's (the formatter is replaced where Wagtail keeps it, so the
    filter lists the action once)."""
    action = "wagtail.workflow.approve"
    wagtail_formatter = actions.formatters.get(action)
    if wagtail_formatter is None:
        return

    class TaskCompletedFormatter(type(wagtail_formatter)):
        @staticmethod
        def at_agreement(log_entry) -> bool:
            """Whether the entry is an agreement's (asked once per entry: its message and
            its comment)."""
            if not hasattr(log_entry, "_sapa_at_agreement"):
                task = ((log_entry.data or {}).get("workflow") or {}).get("task") or {}
                log_entry._sapa_at_agreement = (
                    bool(task.get("id")) and AgreementTask.objects.filter(pk=task["id"]).exists()
                )
            return log_entry._sapa_at_agreement

        def format_comment(self, log_entry):
            # the last agreer's comment is under their own "Agreed" (rounds completed
            # before the completion was the system's repeated it here)
            if self.at_agreement(log_entry):
                return ""
            return super().format_comment(log_entry)

        def format_message(self, log_entry):
            if not self.at_agreement(log_entry):
                return super().format_message(log_entry)
            workflow = log_entry.data["workflow"]
            task = workflow["task"]
            if workflow.get("next"):
                return gettext(
                    "Agreement at '%(task)s' complete: everyone on the agreed-by list has "
                    "agreed. Next step '%(next_task)s'"
                ) % {
                    "task": task.get("title", ""),
                    "next_task": workflow["next"].get("title", ""),
                }
            return gettext(
                "Agreement at '%(task)s' complete: everyone on the agreed-by list has "
                "agreed. '%(workflow)s' complete"
            ) % {
                "task": task.get("title", ""),
                "workflow": workflow.get("title", ""),
            }

    actions.formatters[action] = TaskCompletedFormatter()


def documents_in_the_record(pages) -> list[ControlledDocument]:
    """The controlled documents among ``pages`` and below them that have been in force (they
    have an edition): what a deletion would take out of the record."""
    held: list[ControlledDocument] = []
    for page in pages:
        found = (
            ControlledDocument.objects.descendant_of(page, inclusive=True)
            .filter(editions__isnull=False)
            .distinct()
        )
        held += [document for document in found if document not in held]
    return held


def _refuse_deleting(request, held, back: str):
    messages.error(
        request,
        gettext(
            "«%(title)s» has been in force: a controlled document is never deleted, its "
            "editions, register and the records made from its forms refer to it. Withdraw it "
            "(Unpublish) instead; it stays in the register as withdrawn."
        )
        % {"title": str(held[0])},
    )
    return redirect(back)


@hooks.register("before_delete_page")
def refuse_deleting_documents_in_the_record(request, page):
    """One person could delete a controlled document in force (and with it its editions)
    behind Wagtail's ordinary prompt (a tester)."""
    held = documents_in_the_record([page])
    if held:
        back = get_valid_next_url_from_request(request) or reverse(
            "wagtailadmin_explore", args=(page.get_parent().pk,)
        )
        return _refuse_deleting(request, held, back)
    return None


@hooks.register("before_bulk_action")
def refuse_deleting_documents_in_the_record_in_bulk(request, action_type, objects, action):
    if action_type != "delete":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    held = documents_in_the_record(pages)
    if held:
        back = get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root")
        return _refuse_deleting(request, held, back)
    return None
