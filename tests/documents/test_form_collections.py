"""Form templates per organisation: each university's template files are kept in a Wagtail
Collection of its own, created with the organisation; its quality office sees, chooses and
edits only those in the admin, and a file attached to a form lands in the form's
organisation's collection."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from records.permissions import QUALITY_OFFICE_GROUP
from sapa.documents.models import Organisation
from tests.factories.universities import Universities, build_universities

pytestmark = pytest.mark.django_db

Document = get_document_model()
KAZ_TITLE = "Эдвайзердің жұмыс жоспары үлгісі"
ARU_TITLE = "Ментордың жылдық есебі үлгісі"


@pytest.fixture
def universities(users, kaznrtu_library, aru_library) -> Universities:
    return build_universities(kaznrtu_library, aru_library)


def _document(title: str, collection=None) -> Document:
    document = Document(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(f"{title}.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    document.save()
    return document


def _attach(form, title: str) -> Document:
    """As the admin's chooser or the demo do: a file uploaded, then set on the form."""
    form.template_file = _document(title)
    form.save()
    form.template_file.refresh_from_db()
    return form.template_file


@pytest.fixture
def templates(universities):
    return {
        "kaz": _attach(universities.kaz_form, KAZ_TITLE),
        "aru": _attach(universities.aru_form, ARU_TITLE),
    }


def _admin(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/json"):  # a chooser's modal
        return response.json()["html"]
    return response.content.decode()


DENIED = "Sorry, you do not have permission to access this area."


def _denied(response) -> bool:
    """Wagtail's answer to an admin view one may not open: back to the dashboard, saying so
    (a chooser's JSON step answers 403)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == "/admin/"


def test_each_organisation_has_its_collection_with_its_quality_office(universities):
    kaz, aru = universities.kaz, universities.aru
    assert kaz.form_collection.name == "ҚазҰТЗУ · форма үлгілері"
    assert aru.form_collection.name == "АӨУ · форма үлгілері"
    assert kaz.form_collection.get_parent() == Collection.get_first_root_node()
    granted = set(
        GroupCollectionPermission.objects.filter(collection=kaz.form_collection).values_list(
            "group__name", "permission__codename"
        )
    )
    assert granted == {
        (QUALITY_OFFICE_GROUP, "add_document"),
        (QUALITY_OFFICE_GROUP, "change_document"),
        (QUALITY_OFFICE_GROUP, "choose_document"),
    }
    # renamed with the organisation
    kaz.short_name = "Сәтбаев университеті"
    kaz.save()
    kaz.form_collection.refresh_from_db()
    assert kaz.form_collection.name == "Сәтбаев университеті · форма үлгілері"


def test_a_file_attached_to_a_form_goes_to_the_forms_organisation(universities, templates):
    assert templates["kaz"].collection == universities.kaz.form_collection
    assert templates["aru"].collection == universities.aru.form_collection


def test_the_quality_office_lists_and_chooses_only_its_own_templates(
    client, universities, templates
):
    office = universities.office  # quality office of ҚазҰТЗУ only
    listing = _admin(client, office, "/admin/documents/")
    assert KAZ_TITLE in listing and ARU_TITLE not in listing
    chooser = _admin(client, office, "/admin/documents/chooser/")
    assert KAZ_TITLE in chooser and ARU_TITLE not in chooser
    results = _admin(client, office, "/admin/documents/chooser/results/?q=үлгісі")
    assert KAZ_TITLE in results and ARU_TITLE not in results
    # a member of both (the demo's quality office) sees both
    both = _admin(client, universities.root, "/admin/documents/")
    assert KAZ_TITLE in both and ARU_TITLE in both


def test_another_organisations_template_cannot_be_edited_or_chosen(client, universities, templates):
    office = universities.office
    client.force_login(office)
    aru = templates["aru"]
    edit = client.get(f"/admin/documents/edit/{aru.pk}/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert edit.redirect_chain == [("/admin/", 302)]
    page = edit.content.decode()
    assert DENIED in page and ARU_TITLE not in page
    posted = client.post(
        f"/admin/documents/edit/{aru.pk}/",
        {"title": "Өзгертілген", "collection": universities.kaz.form_collection.pk},
    )
    assert _denied(posted)
    aru.refresh_from_db()
    assert (aru.title, aru.collection) == (ARU_TITLE, universities.aru.form_collection)
    assert _denied(client.get(f"/admin/documents/delete/{aru.pk}/"))
    assert _denied(client.get(f"/admin/documents/chooser/chosen/{aru.pk}/"))
    # their own: open for editing
    own = _admin(client, office, f"/admin/documents/edit/{templates['kaz'].pk}/")
    assert KAZ_TITLE in own


def test_an_upload_by_the_quality_office_goes_to_its_collection(client, universities):
    office = universities.office
    client.force_login(office)
    form = _admin(client, office, "/admin/documents/chooser/")
    assert "АӨУ · форма үлгілері" not in form
    response = client.post(
        "/admin/documents/chooser/create/",
        {
            "document-chooser-upload-title": "Жаңа үлгі",
            "document-chooser-upload-file": ContentFile(b"PK\x03\x04", name="jana.docx"),
            "document-chooser-upload-collection": universities.kaz.form_collection.pk,
        },
    )
    assert response.status_code == 200
    assert Document.objects.get(title="Жаңа үлгі").collection == universities.kaz.form_collection
    # another organisation's collection is not a choice
    client.post(
        "/admin/documents/chooser/create/",
        {
            "document-chooser-upload-title": "Бөтен үлгі",
            "document-chooser-upload-file": ContentFile(b"PK\x03\x04", name="boten.docx"),
            "document-chooser-upload-collection": universities.aru.form_collection.pk,
        },
    )
    assert not Document.objects.filter(
        title="Бөтен үлгі", collection=universities.aru.form_collection
    ).exists()


def test_a_form_refuses_another_organisations_template(client, universities, templates):
    """The demo's quality office works for both universities and may choose either file,
    but a form of ҚазҰТЗУ takes only ҚазҰТЗУ's templates."""
    client.force_login(universities.root)
    form = universities.kaz_form
    url = reverse("wagtailsnippets_documents_qmsform:edit", args=(form.pk,))
    response = client.post(
        url,
        {
            "organisation": form.organisation_id,
            "code": form.code,
            "number": form.number,
            "kind": form.kind,
            "title": form.title,
            "description": "",
            "owning_document": "",
            "template_file": templates["aru"].pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This file is one of the form templates of АӨУ" in response.content.decode()
    form.refresh_from_db()
    assert form.template_file == templates["kaz"]


def test_the_migration_moves_existing_templates_into_their_collections(universities):
    """Before the collections, template files lay in the root collection."""
    root = Collection.get_first_root_node()
    aru_file = _document(ARU_TITLE, root)
    kaz_file = _document(KAZ_TITLE, root)
    loose = _document("Формаға тіркелмеген файл", root)
    type(universities.aru_form).objects.filter(pk=universities.aru_form.pk).update(
        template_file=aru_file
    )
    type(universities.kaz_form).objects.filter(pk=universities.kaz_form.pk).update(
        template_file=kaz_file
    )
    Organisation.objects.filter(pk=universities.aru.pk).update(form_collection=None)
    migration = importlib.import_module(
        "sapa.documents.migrations.0011_form_templates_in_organisation_collections"
    )
    migration.forwards(apps, None)
    aru = Organisation.objects.get(pk=universities.aru.pk)
    assert aru.form_collection.name == "АӨУ · форма үлгілері"  # made again
    assert aru.form_collection.get_parent() == root
    for document, organisation in ((aru_file, aru), (kaz_file, universities.kaz)):
        document.refresh_from_db()
        assert document.collection_id == organisation.form_collection_id
    loose.refresh_from_db()
    assert loose.collection == root
    # the groups with page permissions in each university's site may work with its templates
    assert GroupCollectionPermission.objects.filter(
        collection=aru.form_collection, group__name=QUALITY_OFFICE_GROUP
    ).exists()
