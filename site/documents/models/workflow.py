"""Workflow tasks for agreement (КЕЛІСІЛДІ) and approval (БЕКІТІЛДІ).

Both are Wagtail tasks: the workflow machinery moves the draft, notifies, records comments and
returns a rejected draft to its author. What these tasks add is the document's own data: the
agreement date of each agreer and the approval order are written into the draft as a new
revision by the person who acted.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState


class AgreementTask(Task):
    """Every agreer listed in the draft's КЕЛІСІЛДІ list with an account must approve.

    Not one of a group: all of them. Lines that already carry a date (agreed on paper) count
    as agreed; a line with neither date nor account holds the task until the quality office
    links an account or enters the paper date. Any agreer can request changes, which returns
    the draft to its author."""

    class Meta:
        verbose_name = _("agreement task (КЕЛІСІЛДІ)")
        verbose_name_plural = _("agreement tasks")

    @classmethod
    def get_description(cls):
        return _("Every person in the document's agreed-by list must agree; each date is recorded.")

    # --- who is still to agree ----------------------------------------------------------

    @staticmethod
    def pending_lines(draft) -> list:
        """Lines of the draft's КЕЛІСІЛДІ list that still wait for an agreement."""
        return [line for line in draft.agreed_by.all() if line.date is None]

    @classmethod
    def pending_agreer_ids(cls, obj) -> set[int]:
        draft = obj.get_latest_revision_as_object()
        return {line.user_id for line in cls.pending_lines(draft) if line.user_id}

    def _is_pending_agreer(self, obj, user) -> bool:
        return bool(user and user.is_authenticated and user.pk in self.pending_agreer_ids(obj))

    def user_can_access_editor(self, obj, user):
        draft = obj.get_latest_revision_as_object()
        return any(line.user_id == user.pk for line in draft.agreed_by.all())

    def locked_for_user(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._is_pending_agreer(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Agree (КЕЛІСІЛДІ)"), False),
                ("approve", _("Agree with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        ids = [
            state.pk
            for state in states.select_related("workflow_state")
            if self._is_pending_agreer(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=ids)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        comment = kwargs.get("comment", "")
        if action_name == "reject":
            return task_state.reject(user=user, comment=comment)
        if action_name != "approve":
            return None
        obj = task_state.workflow_state.content_object
        if not self._is_pending_agreer(obj, user):
            return None
        today = timezone.localdate()
        draft = obj.get_latest_revision_as_object()
        for line in draft.agreed_by.all():
            if line.user_id == user.pk and line.date is None:
                line.date = today
        revision = draft.save_revision(user=user, log_action=False, clean=False)
        AgreementRecord.objects.create(task_state=task_state, user=user, comment=comment)
        _follow_new_revision(task_state, obj, revision)
        if not self.pending_lines(draft):
            task_state.approve(user=user, comment=comment)
        return None


class AgreementRecord(models.Model):
    """One agreer's approval within an agreement task, with its time."""

    task_state = models.ForeignKey(TaskState, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("agreement")
        ordering = ["agreed_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.agreed_at:%Y-%m-%d}"


class ApprovalForm(TaskStateCommentForm):
    order_number = forms.CharField(label=_("Order number (бұйрық №)"), max_length=50)
    order_date = forms.DateField(
        label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approver_name = forms.CharField(label=_("Approved by"), max_length=200, required=False)


class ApprovalTask(AbstractGroupApprovalTask):
    """The rector's approval: a member of the chosen groups records the order number and
    date; publication then happens on the effective date (Wagtail's scheduled publishing)."""

    class Meta:
        verbose_name = _("approval task (БЕКІТІЛДІ)")
        verbose_name_plural = _("approval tasks")

    @classmethod
    def get_description(cls):
        return _("Records the rector's order and schedules publication on the effective date.")

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve (БЕКІТІЛДІ)"), True),
            ]
        return []

    def get_form_for_action(self, action):
        if action == "approve":
            return ApprovalForm
        return super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        comment = kwargs.get("comment", "")
        if action_name == "reject":
            return task_state.reject(user=user, comment=comment)
        if action_name != "approve":
            return None
        form = ApprovalForm(
            {
                k: kwargs.get(k, "")
                for k in ("order_number", "order_date", "approver_name", "comment")
            }
        )
        if not form.is_valid():
            raise forms.ValidationError(form.errors)
        data = form.cleaned_data
        obj = task_state.workflow_state.content_object
        draft = obj.get_latest_revision_as_object()
        draft.approval_order_number = data["order_number"]
        draft.approval_order_date = data["order_date"]
        if data.get("approver_name"):
            draft.approver_name = data["approver_name"]
        draft.go_live_at = go_live_for(draft.effective_date)
        revision = draft.save_revision(user=user, log_action=False, clean=False)
        _follow_new_revision(task_state, obj, revision)
        return task_state.approve(user=user, comment=comment)


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
