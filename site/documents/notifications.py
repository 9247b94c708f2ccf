"""Wagtail's workflow emails, kept inside the document's university.

One approval task serves every university (its groups hold each quality office), so Wagtail's
own notifier would announce a ҚазҰТЗУ procedure awaiting approval to АӨУ's quality office as
well. This notifier sends the same email (Wagtail's templates, in each recipient's chosen
language) to the members who may act on the document: those of its own organisation.

It is connected under Wagtail's own ``dispatch_uid`` before ``wagtail.admin`` connects its
handler (``sapa.documents`` comes first in ``INSTALLED_APPS``), so Django keeps this one and
ignores Wagtail's: a signal receiver is registered once per ``dispatch_uid`` and sender.
"""

from __future__ import annotations

from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
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


task_submission_notifier = OrganisationTaskSubmissionNotifier()


def connect() -> None:
    task_submitted.connect(task_submission_notifier, sender=TaskState, dispatch_uid=DISPATCH_UID)
