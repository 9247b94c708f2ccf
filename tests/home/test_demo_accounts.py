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


def _form_of(page: str) -> dict[str, str]:
    """The fields of the account page's form with the values it shows (inputs, selected
    options, text areas), as a browser would send them."""
    import html
    import re

    data: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'\bname="([^"]+)"', tag)
        kind = re.search(r'\btype="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "button", "file")):
            continue
        if kind and kind.group(1) in ("checkbox", "radio") and " checked" not in tag:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, options in re.findall(
        r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_a_demo_person_has_a_name_and_can_change_their_language(users, client):
    """A tester could not save the account settings (no surname), so could not change the
    interface language; the role written as a first name was shown as the person's name on
    Russian pages ("Вы вошли как Қызметкер: тек оқиды")."""
    from wagtail.users.models import UserProfile

    assert (users["staff"].first_name, users["staff"].last_name) == ("Әсел", "Нұрланова")
    office = users["quality"]
    client.force_login(office)
    page = client.get("/admin/account/").content.decode()
    data = _form_of(page)
    language = next(name for name in data if name.endswith("preferred_language"))
    data[language] = "ru"
    response = client.post("/admin/account/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UserProfile.get_for_user(office).preferred_language == "ru"
