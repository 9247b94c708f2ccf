"""Wagtail's workflow emails, kept inside the document's university.

One approval task serves every university (its groups hold each quality office), so Wagtail's
own notifier would announce a ҚазҰТЗУ procedure awaiting approval to АӨУ's quality office as
well. This notifier sends the same email (Wagtail's templates, in each recipient's chosen
language) to the members who may act on the document: those of its own organisation.

It is connected under Wagtail's own ``dispatch_uid`` before ``wagtail.admin`` connects its
handler (``sapa.documents`` comes first in ``INSTALLED_APPS``), so Django keeps this one and
ignores Wagtail's: a signal receiver is registered once per ``dispatch_uid`` and sender.

Wagtail emails only a group approval task's groups: the agreement (КЕЛІСІЛДІ), whose people
are those its draft lists, told nobody, and a draft waited for agreers who did not know
(a tester). ``AgreementSubmissionNotifier`` emails each of them when a round starts.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.admin.mail import (
    EmailNotificationMixin,
    GroupApprovalTaskStateSubmissionEmailNotifier,
    Notifier,
)
from wagtail.models import TaskState
from wagtail.signals import task_submitted

DISPATCH_UID = "group_approval_task_submitted_email_notification"  # Wagtail's own


class OrganisationTaskSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    def get_recipient_users(self, task_state: TaskState, **kwargs):
        from .admin_permissions import user_acts_on_page

        document = task_state.workflow_state.content_object
        return [
            user
            for user in super().get_recipient_users(task_state, **kwargs)
            if user_acts_on_page(user, document)
        ]


class AgreementSubmissionNotifier(EmailNotificationMixin, Notifier):
    """A round of agreement has started: each person linked in the draft's КЕЛІСІЛДІ list
    who has not agreed in it is emailed, in their own language, with the link to the draft
    (those who turned submitted-for-approval emails off in their profile excepted)."""

    notification = "submitted"  # the profile's choice that covers it
    template_directory = "documents/notifications/"

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        from .models.workflow import AgreementTask

        return super().can_handle(instance, **kwargs) and isinstance(
            instance.task.specific, AgreementTask
        )

    def get_template_base_prefix(self, instance, **kwargs):
        return "agreement_"

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context["page"] = task_state.workflow_state.content_object.specific
        context["task"] = task_state.task.specific
        return context

    def get_recipient_users(self, task_state: TaskState, **kwargs):
        task = task_state.task.specific
        page = task_state.workflow_state.content_object
        waiting = task.pending_agreer_ids(page, task_state)
        return (
            get_user_model()
            .objects.filter(pk__in=waiting)
            .exclude(pk=getattr(kwargs.get("user"), "pk", None))
        )


task_submission_notifier = OrganisationTaskSubmissionNotifier()
agreement_notifier = AgreementSubmissionNotifier()


def connect() -> None:
    task_submitted.connect(task_submission_notifier, sender=TaskState, dispatch_uid=DISPATCH_UID)
    task_submitted.connect(
        agreement_notifier, sender=TaskState, dispatch_uid="sapa_agreement_submitted"
    )
