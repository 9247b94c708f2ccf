"""The demo's accounts have e-mail addresses: Wagtail mails a workflow's steps only to people
with one, so the demo sent none (a tester waited for the approval's notice)."""

import pytest
from django.core import mail

from home.demo import DEMO_USERS
from tests.documents.test_workflow import agree_in_admin, in_force, submit_in_admin  # noqa: F401
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db


def test_each_demo_account_has_an_example_org_address(users):
    assert {name: user.email for name, user in users.items()} == {
        name: f"{name}@example.org" for name in DEMO_USERS
    }


def test_the_demo_workflow_mails_the_quality_office_when_the_agreement_is_complete(
    in_force,  # noqa: F811
    users,
    client,
):
    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
    )
    agree_in_admin(client, in_force, users["agreer1"])
    mail.outbox.clear()
    agree_in_admin(client, in_force, users["agreer2"])  # the round moves on to approval
    recipients = {address for message in mail.outbox for address in message.to}
    assert "quality@example.org" in recipients
