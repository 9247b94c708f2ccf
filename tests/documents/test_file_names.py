"""Uploaded files keep "№" and Kazakh letters in the name they are stored and downloaded
under: Django's file names dropped "№" ("ҚазҰТЗУ 715-02 Ү №1.docx" became "…_Ү_1.docx"),
and a tester could no longer tell the first template from the second by its name."""

from urllib.parse import quote, unquote

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from sapa.documents.storage import valid_file_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("ҚазҰТЗУ 715-02 Ү №1.docx", "ҚазҰТЗУ_715-02_Ү_№1.docx"),
        ("Әдістеме (жаңа) №2.pdf", "Әдістеме_жаңа_№2.pdf"),
        # macOS sends "й" as "и" and a combining breve: it stays "й", not "и"
        ("Мои\u0306 план №3.pdf", "Мой_план_№3.pdf"),
        # no folder separator, quote, control or bidi character is kept
        ('a/b\\c "№4"\x1b\u202e.pdf', "abc_№4.pdf"),
    ],
)
def test_a_stored_name_keeps_the_numero_sign_and_kazakh_letters(uploaded, stored):
    assert valid_file_name(uploaded) == stored


@pytest.mark.parametrize("nothing", ["", " ", "..", "/", '"*"'])
def test_a_name_with_nothing_left_is_refused(nothing):
    with pytest.raises(SuspiciousFileOperation):
        valid_file_name(nothing)


def test_a_form_template_is_stored_and_downloaded_with_its_numero_sign(client):
    Document = get_document_model()
    document = Document(title="Эдвайзердің жұмыс жоспары №1")
    document.file.save("ҚазҰТЗУ 715-02 Ү №1.docx", ContentFile(b"PK\x03\x04 template"), save=False)
    document.save()
    assert document.file.name == "documents/ҚазҰТЗУ_715-02_Ү_№1.docx"
    assert document.filename == "ҚазҰТЗУ_715-02_Ү_№1.docx"
    response = client.get(document.url)
    assert response.status_code == 200
    # RFC 5987's filename* (what browsers read), UTF-8 percent-encoded, "№" as %E2%84%96
    disposition = response["Content-Disposition"]
    encoded = quote("ҚазҰТЗУ_715-02_Ү_№1.docx")
    assert f"filename*=UTF-8''{encoded}" in disposition
    assert "%E2%84%96" in encoded
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "ҚазҰТЗУ_715-02_Ү_№1.docx"
