"""A change to the edition in force is registered for what it changes: one that changes
nothing the document prints (title, code, text, forms) is refused when it is submitted, and
at its approval, in the reader's language, with nothing written. A tester had a register row
agreed and approved for a text identical to the one in force."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Revision, WorkflowState

from sapa.documents.models import QmsForm, RegisterChange
from sapa.documents.services import edition_check_publication
from tests.documents.helpers import draft_of, fresh
from tests.documents.test_workflow import in_force, submit_in_admin  # noqa: F401
from tests.factories.documents import register_row

pytestmark = pytest.mark.django_db

NOTHING_CHANGED = (
    "Nothing has changed since the published edition: the title, the text and the forms read "
    "as they do in force. A change is registered with what it changes: change them in the "
    "draft first."
)
IN_FORCE_TEXT = "Тағайындалған эдвайзер жасайды:"  # clause 7.2 of the factory's edition
IN_FORCE_ITEMS = ["эдвайзердің жұмыс жоспарын (ҚазҰТЗУ 715-02 Ү);"]


def said(message: str, language: str) -> str:
    with translation.override(language):
        return gettext(message)


def submit(client, page, user, **edit):
    edit.setdefault("text", IN_FORCE_TEXT)
    edit.setdefault("items", IN_FORCE_ITEMS)
    edit.setdefault("rows", [register_row("1", notice_number="", notice_date=None)])
    response = submit_in_admin(client, page, user, **edit)
    return response, html.unescape(response.content.decode())


def nothing_started(page, revisions_before: int) -> bool:
    return (
        not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
        and not fresh(page).workflow_in_progress
        and not RegisterChange.objects.filter(edition__document=page).exists()
        and not draft_of(page).register_entries.exists()
        and Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions_before
    )


def test_a_change_with_its_row_and_the_text_in_force_is_refused_with_nothing_written(
    in_force,  # noqa: F811
    users,
    client,
):
    revisions = Revision.page_revisions.filter(object_id=str(in_force.pk)).count()
    response, page = submit(client, in_force, users["quality"])
    assert response.status_code == 200
    assert said(NOTHING_CHANGED, "kk") in page
    # Not asked for the row it has: a row describes a change, and there is none.
    assert "Бұл басылым күшінде" not in page
    assert nothing_started(in_force, revisions)


def test_the_refusal_is_in_each_interface_language():
    kk, ru = said(NOTHING_CHANGED, "kk"), said(NOTHING_CHANGED, "ru")
    assert kk.startswith("Жарияланған басылымнан бері ештеңе өзгерген жоқ")
    assert ru.startswith("С опубликованного издания ничего не изменилось")
    assert said(NOTHING_CHANGED, "en") == NOTHING_CHANGED


def test_spacing_alone_is_no_change(in_force, users, client):  # noqa: F811
    response, page = submit(client, in_force, users["quality"], text=f"  {IN_FORCE_TEXT}   ")
    assert response.status_code == 200
    assert said(NOTHING_CHANGED, "kk") in page


def test_the_title_alone_is_a_change(in_force, users, client):  # noqa: F811
    response, _page = submit(
        client, in_force, users["quality"], title="Білім алушыларға академиялық қолдау"
    )
    assert response.status_code == 302
    assert fresh(in_force).workflow_in_progress


def test_a_bullet_is_a_change(in_force, users, client):  # noqa: F811
    response, _page = submit(client, in_force, users["quality"], items=[])
    assert response.status_code == 302


def test_a_form_of_the_document_changed_since_publication_is_a_change(
    in_force,  # noqa: F811
    users,
    client,
):
    form = QmsForm.objects.get(code="ҚазҰТЗУ 715-02 Ү", organisation=in_force.organisation)
    # saved again as it was: no change
    form.save_revision(user=users["quality"])
    response, page = submit(client, in_force, users["quality"])
    assert response.status_code == 200 and said(NOTHING_CHANGED, "kk") in page
    # its title given: the change that registers it is one
    form.title = "Эдвайзердің жұмыс жоспары"
    form.save()
    form.save_revision(user=users["quality"])
    response, _page = submit(client, in_force, users["quality"])
    assert response.status_code == 302


def test_a_form_the_document_gains_after_publication_is_a_change(in_force, users, client):  # noqa: F811
    form = QmsForm.objects.create(
        organisation=in_force.organisation,
        code="ҚазҰТЗУ 717-09 Ф",
        number="717-09",
        kind="Ф",
        owning_document=in_force,
    )
    form.save_revision(user=users["quality"])
    response, _page = submit(client, in_force, users["quality"])
    assert response.status_code == 302


def test_the_approval_refuses_a_change_that_changes_nothing(in_force, users):  # noqa: F811
    """A draft brought back to the text in force after it was submitted: its approval (which
    checks the edition rules before it writes the order in) refuses it."""
    draft = draft_of(in_force)
    draft.register_entries = [register_row("1")]
    with pytest.raises(ValidationError) as refused:
        edition_check_publication(document=fresh(in_force), candidate=draft)
    assert refused.value.messages == [gettext(NOTHING_CHANGED)]


def test_a_form_template_replaced_inside_its_wagtail_document_is_a_change(
    in_force,  # noqa: F811
    users,
    client,
):
    """The template file uploaded again in Wagtail's document edit view, the same Wagtail
    document: the form gets a revision with the file's new hash, and the change that registers
    it is one. The same bytes uploaded again are none."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from wagtail.documents import get_document_model

    form = QmsForm.objects.get(code="ҚазҰТЗУ 715-02 Ү", organisation=in_force.organisation)
    template = get_document_model()(title="715-02 Ү")
    template.file.save("715-02.docx", SimpleUploadedFile("715-02.docx", b"PK first"), save=False)
    template._set_document_file_metadata()
    template.save()
    form.template_file = template
    form.save()
    attached = form.save_revision(user=users["quality"])
    # attached when the text in force was published
    published = fresh(in_force).last_published_at
    Revision.objects.filter(pk=attached.pk).update(created_at=published)
    response, page = submit(client, in_force, users["quality"])
    assert response.status_code == 200 and said(NOTHING_CHANGED, "kk") in page

    def upload(content: bytes):
        client.force_login(users["quality"])
        edited = client.post(
            reverse("wagtaildocs:edit", args=(template.pk,)),
            {
                "title": template.title,
                "collection": template.collection_id,
                "file": SimpleUploadedFile("715-02.docx", content),
            },
        )
        assert edited.status_code == 302, edited.content.decode()[:2000]

    revisions = form.revisions.count()
    upload(b"PK first")  # the same bytes: no new revision, still no change
    assert form.revisions.count() == revisions
    response, page = submit(client, in_force, users["quality"])
    assert response.status_code == 200 and said(NOTHING_CHANGED, "kk") in page

    upload(b"PK second, with the new column")
    assert form.revisions.count() == revisions + 1
    assert (
        form.revisions.order_by("pk").last().content["template_sha1"]
        != (attached.content["template_sha1"])
    )
    response, _page = submit(client, in_force, users["quality"])
    assert response.status_code == 302
