"""Workflow tasks for agreement (КЕЛІСІЛДІ) and approval (БЕКІТІЛДІ).

Both are Wagtail tasks: the workflow machinery moves the draft, notifies, records comments and
returns a rejected draft to its author. What these tasks add is the document's own data.

Agreement goes round in rounds: each time a draft reaches the agreement task (a submission,
or a resubmission after "Request changes") its task state is a new round, and each agreer's
agreement is an ``AgreementRecord`` of that round; earlier rounds stay on record. Who agrees
is every account linked to a line of the draft's КЕЛІСІЛДІ list, whatever date the line
carries. Only a new edition (one not yet in force) gets its agreement dates written into its
approval sheet, once the round is complete; a change inside the edition in force leaves the
edition's sheet as it is.

Approval records the order: a new edition's approval order goes on the page (БЕКІТІЛДІ); a
change's order goes on the new rows of the revision register (notice number and date).
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.log_actions import LogContext, get_active_log_context, log
from wagtail.models import AbstractGroupApprovalTask, Page, Revision, Task, TaskState

from sapa.localisation.dates import format_date

from ..change_content import prints_otherwise
from ..orders import order_number

AGREE_LOG_ACTION = "sapa.documents.agree"


AGREE_WITH_COMMENT = "approve_with_comment"


class AgreementTask(Task):
    """Every account linked in the draft's КЕЛІСІЛДІ list must agree: not one of a group,
    all of them, again in each round. Any of them can request changes, which returns the
    draft to its author."""

    # What a finished round reads in Wagtail's admin (workflow history, status panel,
    # dashboard, reports; see ``task_status_display``). Wagtail names every completed task
    # "Approved", which in Kazakh reads БЕКІТІЛДІ, the word of the approval that follows.
    status_labels = {TaskState.STATUS_APPROVED: _("Agreed")}

    class Meta:
        verbose_name = _("agreement task")
        verbose_name_plural = _("agreement tasks")

    @classmethod
    def get_description(cls):
        return _("Every person in the document's agreed-by list must agree; each date is recorded.")

    # --- who agrees in a round ------------------------------------------------------------

    @staticmethod
    def agreement_lines(obj) -> list[tuple[int | None, str]]:
        """(account id, person) of each КЕЛІСІЛДІ line of the draft (the page's latest
        revision), in the order of the list. Read from the revision's stored content, not from
        the draft rebuilt from it: a long procedure's body takes tens of milliseconds to
        rebuild, and the admin asks this of every draft in agreement on each dashboard."""
        revision_id = getattr(obj, "latest_revision_id", None)
        lines = None
        if revision_id is not None:
            lines = (
                Revision.objects.filter(pk=revision_id)
                .values_list("content__agreed_by", flat=True)
                .first()
            )
        if lines is None:  # no revision yet (or one saved before the list existed)
            return [(line.user_id, line.person) for line in obj.specific.agreed_by.all()]
        lines = sorted(lines, key=lambda line: line.get("sort_order") or 0)
        return [(line.get("user"), line.get("person", "")) for line in lines]

    @classmethod
    def agreer_ids(cls, obj) -> list[int]:
        """The accounts linked to the draft's КЕЛІСІЛДІ lines, in the order of the list."""
        ids: list[int] = []
        for user_id, _person in cls.agreement_lines(obj):
            if user_id and user_id not in ids:
                ids.append(user_id)
        return ids

    @staticmethod
    def agreed_ids(task_state) -> set[int]:
        """The accounts that have agreed in this round."""
        return set(
            AgreementRecord.objects.filter(task_state_id=task_state.pk).values_list(
                "user_id", flat=True
            )
        )

    def current_round(self, obj):
        """The in-progress task state (the round) of this task for ``obj``, or None."""
        return (
            TaskState.objects.for_instance(obj)
            .filter(task_id=self.pk, status=TaskState.STATUS_IN_PROGRESS)
            .order_by("-started_at", "-pk")
            .first()
        )

    def pending_agreer_ids(self, obj, task_state=None) -> list[int]:
        """Accounts still to agree in the current round, in the order of the list."""
        task_state = task_state or self.current_round(obj)
        if task_state is None:
            return []
        agreed = self.agreed_ids(task_state)
        return [pk for pk in self.agreer_ids(obj) if pk not in agreed]

    def pending_people(self, obj, task_state=None) -> list[str]:
        """Names (as in the КЕЛІСІЛДІ list) of those still to agree in the current round."""
        pending = set(self.pending_agreer_ids(obj, task_state))
        return [person for user_id, person in self.agreement_lines(obj) if user_id in pending]

    def _is_pending_agreer(self, obj, user, task_state=None) -> bool:
        return bool(
            user and user.is_authenticated and user.pk in self.pending_agreer_ids(obj, task_state)
        )

    # --- Wagtail's task interface ---------------------------------------------------------

    def user_can_access_editor(self, obj, user):
        return user.pk in self.agreer_ids(obj)

    def locked_for_user(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._is_pending_agreer(obj, user):
            return [
                ("reject", _("Request changes"), True),
                # A dialog that says what the agreement puts their name to (a tester agreed
                # in one click, unasked, from the dashboard's menu).
                ("approve", _("Agree"), True),
                # Its own name, so that its comment can be required: under Wagtail's one
                # "approve" for both, an empty dialog agreed with no comment.
                (AGREE_WITH_COMMENT, _("Agree with comment"), True),
            ]
        return []

    def get_form_for_action(self, action):
        # Changes asked for without saying which, or a comment left empty: refused at the
        # field, in the dialog.
        if action in ("reject", AGREE_WITH_COMMENT):
            return RequiredCommentForm
        if action == "approve":
            return forms.Form  # the dialog confirms; a comment is "Agree with comment"'s
        return CommentForm

    def get_template_for_action(self, action):
        if action == "approve":
            return "documents/admin/agreement_modal.html"
        return super().get_template_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        ids = [
            state.pk
            for state in states.select_related("workflow_state")
            if self._is_pending_agreer(state.workflow_state.content_object, user, state)
        ]
        return TaskState.objects.filter(pk__in=ids)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Record one agreement of the round; when every linked account has agreed, close
        the round and pass the draft on. Returns None: Wagtail takes what this returns for
        the address to go to next."""
        comment = kwargs.get("comment", "")
        if action_name == "reject":
            task_state.reject(user=user, comment=comment)
            return None
        if action_name not in ("approve", AGREE_WITH_COMMENT):
            return None
        # one agreement at a time per round: two agreers clicking together both count once
        TaskState.objects.select_for_update().filter(pk=task_state.pk).first()
        obj = task_state.workflow_state.content_object
        if not self._is_pending_agreer(obj, user, task_state):
            return None
        AgreementRecord.objects.create(task_state=task_state, user=user, comment=comment)
        log(
            instance=obj.specific,
            action=AGREE_LOG_ACTION,
            user=user,
            revision=task_state.revision,
            data={"comment": comment, "task_state_id": task_state.pk},
        )
        if not self.pending_agreer_ids(obj, task_state):
            self._close_round(task_state, obj)
            _complete_round(task_state, user=user, comment=comment)
        return None

    def _close_round(self, task_state, obj) -> None:
        """A new edition's approval sheet gets each agreer's date; a change inside the
        edition in force keeps the edition's dates (its agreements stay on the round).

        The dates go into a revision made in the name of whoever submitted the draft, so the
        draft stays theirs: the next task shows it as submitted by them."""
        from ..services import edition_is_change  # imports the models; Wagtail's on_action path

        draft = obj.get_latest_revision_as_object()
        if edition_is_change(document=obj.specific, key=draft.edition_key):
            return
        dates = {
            record.user_id: timezone.localdate(record.agreed_at)
            for record in AgreementRecord.objects.filter(task_state_id=task_state.pk)
        }
        lines = list(draft.agreed_by.all())
        for line in lines:
            if line.user_id in dates:
                line.date = dates[line.user_id]
        draft.agreed_by = lines
        revision = draft.save_revision(
            user=task_state.workflow_state.requested_by, log_action=False, clean=False
        )
        _follow_new_revision(task_state, obj, revision)


def _complete_round(task_state, *, user, comment: str) -> None:
    """Close a complete round as Wagtail closes a task (``TaskState.approve``: its status, who
    finished it, the next task, the signal), except for its page history entry, which is the
    system's, without a comment (``_log_round_completed``). Wagtail 8's ``approve`` writes
    that entry through the task state's ``log_state_change_action``, replaced for this one
    call (the data as Wagtail's own; after an upgrade, tests/documents/test_workflow_history
    says whether it still holds)."""
    task_state.log_state_change_action = lambda _user, _action: _log_round_completed(task_state)
    try:
        task_state.approve(user=user, comment=comment)
    finally:
        del task_state.log_state_change_action


def _log_round_completed(task_state) -> None:
    """The page history's entry for a complete round, the one Wagtail writes for a completed
    task ("wagtail.workflow.approve", read "Agreement at … complete" by ``wagtail_hooks``), in
    the name of nobody: the round completes because everyone in the list has agreed, each in
    an entry of their own with their comment. In the name of the last agreer (Wagtail's way)
    the history listed them twice, the second time as if they had agreed again."""
    workflow_state = task_state.workflow_state
    next_task = workflow_state.get_next_task()
    request_uuid = get_active_log_context().uuid  # the same request as the last agreement
    with LogContext(user=None):  # log() falls back to the context's user: the system
        log(
            instance=task_state.revision.as_object(),
            action="wagtail.workflow.approve",
            uuid=request_uuid,
            revision=task_state.revision,
            data={
                "workflow": {
                    "id": workflow_state.workflow_id,
                    "title": workflow_state.workflow.name,
                    "status": task_state.status,
                    "task_state_id": task_state.pk,
                    "task": {"id": task_state.task_id, "title": task_state.task.name},
                    "next": {"id": next_task.id, "title": next_task.name} if next_task else None,
                },
                "comment": "",
            },
        )


def task_status_display(task, status: str | None) -> str:
    """How the state ``status`` of ``task`` (any Task, specific or not) reads in the admin:
    the task type's own word where it has one (an agreement is "Agreed"), else Wagtail's."""
    labels = getattr(task.specific_class, "status_labels", {}) if task is not None else {}
    if status in labels:
        return labels[status]
    return dict(TaskState.STATUS_CHOICES).get(status, _("Not started"))


def is_agreement_task(task) -> bool:
    return task is not None and issubclass(task.specific_class or Task, AgreementTask)


class AgreementRecord(models.Model):
    """One agreer's agreement within a round (an agreement task state), with its time."""

    task_state = models.ForeignKey(TaskState, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["agreed_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.agreed_at:%Y-%m-%d}"


class CommentForm(TaskStateCommentForm):
    """Wagtail's comment form of a workflow action, its label translated for each reader:
    Wagtail's own translates "Comment" once, when it is imported (in Kazakh, the default),
    and showed that to every reader."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 2})
    )


class RequiredCommentForm(CommentForm):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Write your comment: it is what this action sends.")},
    )


class ApprovalForm(CommentForm):
    order_number = forms.CharField(
        label=_("Order number"),
        max_length=50,
        help_text=_("As the order is numbered, without «№» (Sapa prints it): 312-Б."),
    )
    order_date = forms.DateField(
        label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approver_name = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        required=False,
        help_text=_(
            "Who signed the order, as it is signed: initials and surname. A new edition's "
            "approval sheet names them; a change's notice prints them after the order. Empty: "
            "the approval sheet's."
        ),
    )
    # The approval's comment is the reason a change notice prints (notices.reason_of). Its
    # label said "for a change: …", which puzzled a tester approving a new edition.
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_(
            "A change's notice prints it as the reason for the change; for a new edition, the "
            "document's history keeps it."
        ),
    )

    def __init__(self, *args, **kwargs):
        # Ids of their own: the dialog opens over the page editor, whose approval sheet has
        # an "approver_name" field too; "Approved by" was the label of that hidden field,
        # and clicking it or a screen reader never reached the dialog's.
        kwargs.setdefault("auto_id", "approval-dialog-%s")
        super().__init__(*args, **kwargs)

    def clean_order_number(self):
        """Sapa prints "№" before the number: one typed with it ("№312-Б") printed
        "№№312-Б" on the notice and the approval sheet."""
        number = order_number(self.cleaned_data["order_number"])
        if not number:
            raise forms.ValidationError(_("Write the order's number (without «№»)."))
        return number

    def clean_order_date(self):
        """An order is recorded once it is signed: never a date after today (a tester's
        order of next March approved a change in force since today)."""
        day = self.cleaned_data["order_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("The order date is after today: record the order once it is signed.")
            )
        return day


class ApprovalTask(AbstractGroupApprovalTask):
    """The rector's approval: a member of the chosen groups records the order number and
    date; publication then happens on the effective date (Wagtail's scheduled publishing)."""

    class Meta:
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")

    @classmethod
    def get_description(cls):
        return _("Records the rector's order and schedules publication on the effective date.")

    def get_actions(self, obj, user):
        if (user.is_superuser or self._user_in_groups(user)) and _acts_on(user, obj):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve by order"), True),
            ]
        return []

    # A member of the chosen groups approves the documents of their own organisations only
    # (sapa.documents.admin_permissions), though one workflow serves every university.
    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and _acts_on(user, obj)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not _acts_on(user, obj)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and _acts_on(user, obj)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # admin_permissions imports the models; Wagtail asks the task this
        from ..admin_permissions import page_organisation_ids, scope_pages

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if page_organisation_ids(user) is None:
            return states
        pages = scope_pages(Page.objects.all(), user).values_list("pk", flat=True)
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in pages])

    def get_form_for_action(self, action):
        if action == "approve":
            return ApprovalForm
        return CommentForm

    def get_template_for_action(self, action):
        # The dialog names what it approves and says when it is published (a tester: the
        # dialog said "Approve by order" over the editor, and nothing of which document or
        # that approving publishes it at once).
        if action == "approve":
            return "documents/admin/approval_modal.html"
        return super().get_template_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Record the order and pass the draft on to publication (now, or on the effective
        date). Refuses with ``ValidationError`` (nothing written) when the order is missing
        or the draft breaks the edition rules. Returns None: Wagtail takes what this returns
        for the address to go to next."""
        # services imports the models; Wagtail calls on_action for the task's buttons
        from ..services import (
            edition_check_publication,
            edition_is_change,
            edition_new_change_numbers,
        )

        comment = kwargs.get("comment", "")
        if action_name == "reject":
            task_state.reject(user=user, comment=comment)
            return None
        if action_name != "approve":
            return None
        form = ApprovalForm(
            {
                k: kwargs.get(k, "")
                for k in ("order_number", "order_date", "approver_name", "comment")
            }
        )
        if not form.is_valid():
            raise forms.ValidationError(
                [
                    f"{form[name].label}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ]
            )
        data = form.cleaned_data
        obj = task_state.workflow_state.content_object
        document = obj.specific
        draft = obj.get_latest_revision_as_object()
        _check_order_follows_the_edition_in_force(document, data["order_date"])
        edition_check_publication(document=document, candidate=draft)
        changed = changed_since_agreed(task_state.workflow_state, draft)
        if changed:
            raise forms.ValidationError(changed)
        if edition_is_change(document=document, key=draft.edition_key):
            # a change inside the edition in force: the order approves the change, so it is
            # the notice of the change's new register rows; the edition keeps its own order
            rows = list(draft.register_entries.all())
            new = set(
                edition_new_change_numbers(
                    document=document, change_numbers=[row.change_number for row in rows]
                )
            )
            for row in rows:
                # A row that carries its own notice records a change approved before (a paper
                # register typed in, or imported): it keeps it (a tester's import of 715 had
                # its three rows of 2017-2019 renumbered by the new order).
                if row.change_number.strip() in new and not row.notice_number.strip():
                    row.notice_number = data["order_number"]
                    row.notice_date = data["order_date"]
            draft.register_entries = rows
        else:
            draft.approval_order_number = data["order_number"]
            draft.approval_order_date = data["order_date"]
            if data.get("approver_name"):
                draft.approver_name = data["approver_name"]
            # An edition is dated by the order that approves it (715's «2016 жылғы «08» 07
            # №1 басылым», order 254-Б of 08.07.2016): one published undated printed no date.
            if draft.edition_date is None:
                draft.edition_date = data["order_date"]
        draft.go_live_at = go_live_for(goes_live_on(document, draft))
        revision = draft.save_revision(user=user, log_action=False, clean=False)
        _follow_new_revision(task_state, obj, revision)
        # The order as the dialog recorded it, kept with the approval: a change's notice,
        # issued once the change is published, prints who signed it (the dialog asked, and
        # the name went nowhere).
        ApprovalRecord.objects.update_or_create(
            task_state_id=task_state.pk,
            defaults={
                "order_number": data["order_number"],
                "order_date": data["order_date"],
                "approver_name": data.get("approver_name") or "",
                "user": user,
            },
        )
        task_state.approve(user=user, comment=comment)
        return None


def approval_summary(page) -> str:
    """What approving ``page``'s draft does, in a sentence for the approval dialog: which
    document, which edition or change, and when it is published (at once, or on its
    effective date), and what it supersedes."""
    # services imports the models; the dialog's template asks this
    from ..services import edition_is_change
    from .editions import EditionStatus

    document = page.specific
    draft = document.get_latest_revision_as_object()
    named = {"document": str(draft), "edition": draft.edition_key or "—"}
    if edition_is_change(document=document, key=draft.edition_key):
        rows = new_register_rows(document, draft)
        numbers = [row.change_number.strip() for row in rows if not row.notice_number.strip()]
        kept = [row.change_number.strip() for row in rows if row.notice_number.strip()]
        named["change"] = ", ".join(numbers) or "—"
        what = _(
            "You approve change %(change)s to edition %(edition)s of «%(document)s»: the order "
            "becomes the change's notice in the revision register."
        )
        if kept:
            named["kept"] = ", ".join(kept)
            what = f"{what} " + _(
                "Changes %(kept)s keep the notices their rows carry: they were approved "
                "before, and are recorded as they stand."
            )
    else:
        what = _(
            "You approve edition %(edition)s of «%(document)s»: the order goes on its approval "
            "sheet."
        )
        in_force = (
            document.editions.filter(status=EditionStatus.IN_FORCE)
            .exclude(key=draft.edition_key)
            .first()
        )
        if in_force is not None:
            named["old"] = in_force.key
            what = _(
                "You approve edition %(edition)s of «%(document)s»: the order goes on its "
                "approval sheet, and edition %(old)s, in force now, is superseded when it is "
                "published."
            )
        if draft.edition_date is None:
            what = f"{what} " + _(
                "The edition has no date of its own: the order's date becomes its date, printed "
                "on its title page."
            )
    day = goes_live_on(document, draft)
    if go_live_for(day) is None:
        when = _("Approving publishes it at once: staff see it as soon as you approve.")
    elif "change" in named:
        when = _(
            "Approving publishes it on %(date)s, the day its row in the revision register "
            "says it is introduced; until then staff see the text in force."
        ) % {"date": format_date(day)}
    else:
        when = _(
            "Approving publishes it on %(date)s, its effective date; until then staff see the "
            "text in force."
        ) % {"date": format_date(day)}
    state = document.current_workflow_state
    changed = changed_since_agreed(state, draft) if state is not None else ""
    parts = (changed, what % named, when, undated_agreements(document, draft))
    return " ".join(str(part) for part in parts if part)


def changed_since_agreed(workflow_state, draft) -> str:
    """Why ``draft`` cannot be approved in ``workflow_state``: its text was changed after
    the agreement round closed on it, or "". A tester saved words into a clause at the
    approval step, and the edition was published with them beside both agreements' dates."""
    agreed = (
        TaskState.objects.filter(
            workflow_state=workflow_state,
            status=TaskState.STATUS_APPROVED,
            task__in=AgreementTask.objects.all(),
        )
        .select_related("revision")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if agreed is None or agreed.revision is None:
        return ""
    if not prints_otherwise(draft, agreed.revision.as_object()):
        return ""
    return _(
        "The text was changed after it was agreed: the agreements are for the text as it "
        "stood. Send the draft for agreement again (cancel the workflow, then submit it)."
    )


def undated_agreements(document, draft) -> str:
    """The approval dialog's warning while lines of a new edition's КЕЛІСІЛДІ list carry no
    date (those who agree on paper, with no account here: the round dates the others), or
    "". Its sheet then prints «—» for them, as a paper sheet awaiting a hand-written date; a
    tester approved unwarned."""
    from ..services import edition_is_change  # services imports the models

    if edition_is_change(document=document, key=draft.edition_key):
        return ""  # a change keeps the edition's sheet; its agreements are the round's
    undated = [line.person or line.position for line in draft.agreed_by.all() if not line.date]
    if not undated:
        return ""
    return _(
        "КЕЛІСІЛДІ: %(people)s, who agree on paper with no account here, have no date on "
        "their lines: the approval sheet prints «—» in its place. If they have signed, enter "
        "the day in the draft first."
    ) % {"people": ", ".join(undated)}


def agreement_summary(page, user) -> str:
    """What agreeing to ``page``'s draft puts ``user``'s name to, in a sentence for the
    agreement's dialog: which document, edition or change, the line of КЕЛІСІЛДІ that is
    theirs, and who is still to agree after them."""
    # services imports the models; the dialog's template asks this
    from ..services import edition_is_change

    document = page.specific
    draft = document.get_latest_revision_as_object()
    task = document.current_workflow_task
    task = task.specific if task is not None else None
    if not isinstance(task, AgreementTask):
        task = None
    lines = task.agreement_lines(page) if task else []
    theirs = next((person for user_id, person in lines if user_id == user.pk), "")
    others = [person for person in (task.pending_people(page) if task else []) if person != theirs]
    named = {
        "document": str(draft),
        "edition": draft.edition_key or "—",
        "person": theirs,
        "date": format_date(timezone.localdate()),
    }
    if edition_is_change(document=document, key=draft.edition_key):
        rows = new_register_rows(document, draft)
        named["change"] = ", ".join(
            f"{row.change_number.strip()} ({row.section_clause.strip()})" for row in rows
        )
        what = _(
            "You agree to change %(change)s to edition %(edition)s of «%(document)s» as "
            "submitted, as «%(person)s» (the КЕЛІСІЛДІ line linked to your account): your "
            "agreement is recorded in the document's history with today's date, %(date)s; "
            "the approval sheet keeps the edition's dates."
        )
    else:
        what = _(
            "You agree to edition %(edition)s of «%(document)s» as submitted: the КЕЛІСІЛДІ "
            "line linked to your account, «%(person)s», is dated today on its approval sheet, "
            "%(date)s."
        )
    if others:
        then = _("Still to agree after you: %(people)s.") % {"people": ", ".join(others)}
    else:
        then = _(
            "You are the last of those with an account here to agree: the draft then goes on "
            "to approval."
        )
    return f"{what % named} {then}"


def goes_live_on(document, draft) -> datetime.date | None:
    """The day the approved ``draft`` of ``document`` is to be published: a new edition's
    effective date; a change's, the latest day its new rows in the revision register say it
    is introduced («Өзгеріс енгізілген күні»). A tester's change, its row introduced on a day
    to come, was published the moment it was approved."""
    from ..services import edition_is_change  # services imports the models

    if not edition_is_change(document=document, key=draft.edition_key):
        return draft.effective_date
    days = [row.entered_date for row in new_register_rows(document, draft)]
    return max((day for day in days if day is not None), default=None)


def new_register_rows(document, draft) -> list:
    """The rows of ``draft``'s revision register that the document's register does not hold
    yet: the changes this draft registers."""
    from ..services import edition_new_change_numbers  # services imports the models

    rows = list(draft.register_entries.all())
    new = set(
        edition_new_change_numbers(
            document=document, change_numbers=[row.change_number for row in rows]
        )
    )
    return [row for row in rows if row.change_number.strip() in new]


def _check_order_follows_the_edition_in_force(document, day) -> None:
    """An order approving a change to the edition in force, or the next edition, is signed
    after the order that approved that edition: a tester's order "of 01.01.2016" approved a
    change to an edition approved on 08.07.2016, and the change's notice printed it."""
    # the page's own row is the text in force; the draft is in its revisions
    approved = document.approval_order_date if document.live else None
    if approved and day < approved:
        raise forms.ValidationError(
            _(
                "Order date: the order is dated before %(date)s, when the order that "
                "approved the edition in force (%(order)s) was signed; an order approving its "
                "change or the next edition comes after it."
            )
            % {
                "date": format_date(approved),
                "order": f"№{document.approval_order_number}",
            }
        )


class ApprovalRecord(models.Model):
    """What an approval recorded (the rector's order, and who signed it), beside Wagtail's
    task state of the approval, which keeps only its comment."""

    task_state = models.OneToOneField(
        TaskState, on_delete=models.CASCADE, related_name="approval_record"
    )
    order_number = models.CharField(_("Order number"), max_length=50)
    order_date = models.DateField(_("Order date"))
    approver_name = models.CharField(_("Approved by"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"№{self.order_number} · {self.order_date:%Y-%m-%d}"


def agreements_of_round(task_state) -> list[AgreementRecord]:
    """Every agreer's agreement of an agreement round, in order (Wagtail keeps only who
    finished the round); [] for any other task state."""
    if task_state is None or not is_agreement_task(task_state.task):
        return []
    return list(
        AgreementRecord.objects.filter(task_state_id=task_state.pk)
        .select_related("user")
        .order_by("agreed_at", "pk")
    )


def made_by_approval(revision) -> bool:
    """Whether ``revision`` is the one an approval made to write its order into the document
    (the change's register rows, or the edition's approval): not an edit of the text that
    was agreed, though Wagtail's history reads it "Edited"."""
    return TaskState.objects.filter(
        revision_id=revision.pk,
        status=TaskState.STATUS_APPROVED,
        started_at__lte=revision.created_at,
        task_id__in=ApprovalTask.objects.values("pk"),
    ).exists()


def _acts_on(user, page) -> bool:
    # admin_permissions imports the models; Wagtail's editor and lock checks of the task call this
    from ..admin_permissions import user_acts_on_page

    return user_acts_on_page(user, page)


def go_live_for(effective_date: datetime.date | None) -> datetime.datetime | None:
    """Start of the effective date in the site's time zone, or None when it is today or past."""
    if effective_date is None or effective_date <= timezone.localdate():
        return None
    return timezone.make_aware(datetime.datetime.combine(effective_date, datetime.time.min))


def _follow_new_revision(task_state, obj, revision) -> None:
    """Point the task state, and the workflow's cached object, at the revision the action
    wrote, so that the next task and the final publication act on it."""
    task_state.revision = revision
    task_state.save(update_fields=["revision"])
    obj.latest_revision = revision
