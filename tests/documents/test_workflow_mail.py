"""Wagtail's workflow emails reach only the people of the document's own university: the
approval task is shared by every university's quality office, its notice is not."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from home.demo import QUALITY_GROUP
from records.models import OrganisationMembership
from sapa.documents.models import Organisation
from tests.documents.test_workflow import agree_in_admin, in_force, submit_in_admin  # noqa: F401
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db


def test_the_approval_task_is_announced_to_the_documents_own_university_only(
    in_force,  # noqa: F811
    users,
    client,
):
    for name, user in users.items():
        user.email = f"{name}@example.edu.kz"
        user.save(update_fields=["email"])
    # a member of the same quality-office group who works for АӨУ only
    other = User.objects.create_user("aru_quality", "aru_quality@example.edu.kz", "x")
    other.groups.add(Group.objects.get(name=QUALITY_GROUP))
    OrganisationMembership.objects.create(
        user=other, organisation=Organisation.objects.get(short_name="АӨУ")
    )
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
    assert users["quality"].email in recipients  # works for both universities
    assert "aru_quality@example.edu.kz" not in recipients


def test_the_notice_is_written_in_the_recipients_language(in_force, users, client):  # noqa: F811
    from sapa.localisation.profile import remember_language

    users["quality"].email = "quality@example.edu.kz"
    users["quality"].save(update_fields=["email"])
    remember_language(users["quality"], "ru")
    submit_in_admin(
        client,
        in_force,
        users["quality"],
        text="Эдвайзер жыл сайын жасайды:",
        rows=[register_row("1")],
    )
    agree_in_admin(client, in_force, users["agreer1"])
    mail.outbox.clear()
    agree_in_admin(client, in_force, users["agreer2"])
    (message,) = [m for m in mail.outbox if m.to == ["quality@example.edu.kz"]]
    # In the reader's language and the workflow's words (it said "на модерацию").
    assert "отправлена на шаг" in message.subject and "модерац" not in message.subject
