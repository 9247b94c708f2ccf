"""Small steps that tests repeat: edit the latest draft, save it, publish it."""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.test import Client

from sapa.documents.models import ControlledDocument


def fresh(page):
    return ControlledDocument.objects.get(pk=page.pk).specific


def draft_of(page):
    return fresh(page).get_latest_revision_as_object()


def save_and_publish(draft, user=None):
    revision = draft.save_revision(user=user)
    revision.publish(user=user)
    return revision


def withdraw_in_admin(page, user) -> None:
    """Withdraw ``page`` as the quality office does: the admin's Unpublish action (its own
    client, so the test's client keeps its session)."""
    admin = Client()
    admin.force_login(user)
    response = admin.post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code == 302, response.status_code


def clause_texts(page) -> dict[str, str]:
    texts = {}
    for section in page.body:
        for child in section.value["content"]:
            if child.block_type == "clause":
                texts[child.value["number"]] = child.value["text"]
    return texts


def set_clause_text(page, number: str, text: str) -> None:
    """Clause ``number`` of ``page`` reads ``text`` (a term's, such as 3.1.5: its definition)."""
    field = {"clause": "text", "term": "definition"}
    raw = page.body.raw_data
    for section in raw:
        for child in section["value"]["content"]:
            if child["type"] in field and child["value"].get("number") == number:
                child["value"][field[child["type"]]] = text
    page.body = raw


def visit(client, page, suffix: str = "", **extra):
    """GET a page (or one of its routes) on its organisation's own site."""
    url = urlsplit(page.full_url)
    query = ""
    if "?" in suffix:
        suffix, query = suffix.split("?", 1)
    return client.get(url.path + suffix, data=QueryDict(query), HTTP_HOST=url.netloc, **extra)
