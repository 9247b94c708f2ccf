"""The bad-input corpus against the document importer: ``manage.py documents_import`` and
the admin's "Import documents (PDF)". Every broken file is reported with the reason in the
reader's language and writes no page, revision, form, reference or file; hostile names are
shown safely (never the server's temporary path, never a raw control character) and never
break the import."""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from sapa.documents.importing.errors import MESSAGES
from sapa.documents.management.commands.documents_import import FilesNotImported
from sapa.documents.models import ControlledDocument
from tests.badinput import corpus
from tests.badinput.conftest import t
from tests.documents.test_import_fixes import confirm_all

pytestmark = pytest.mark.django_db

PROCEDURE = corpus.PROCEDURE_PDF.read_bytes()


def kazakh(code: str, **details) -> str:
    """The importer's Kazakh message, up to its first detail that varies."""
    text = MESSAGES[code][0]
    if details:
        return text.format(**details)
    return text.split("{")[0]


# (case, bytes, name, the Kazakh message the report gives)
BROKEN = [
    *(
        (bad.id, bad.data, bad.name, kazakh(code))
        for bad, code in zip(
            corpus.broken_pdfs(PROCEDURE),
            [
                "not_pdf",  # empty
                "corrupt",  # truncated
                "corrupt",
                "encrypted",
                "empty",  # zero pages
                "not_pdf",  # PNG named .pdf
                "not_docx",  # ZIP: told by its content, a ZIP that is no Word document
                "not_pdf",  # HTML
                "not_pdf",  # EXE
                "no_structure",  # DOCX: read as the Word file it is; no sections in it
            ],
            strict=True,
        )
    ),
    ("image-only", corpus.image_only(), "скан.pdf", kazakh("no_text", pages=2)),
    (
        "201-pages",
        corpus.blank_pages(201),
        "ұзын.pdf",
        kazakh("too_many_pages", pages=201, max_pages=200),
    ),
    ("binary-text", b"\xff\xfe\x00\x01" * 64, "мәтін.txt", kazakh("not_pdf")),
    ("latin1-text", "Ереже".encode("cp1251") * 20, "мәтін.txt", kazakh("not_text")),
]


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("documents_import", *map(str, args), stdout=out, stderr=io.StringIO())
        code = 0
    except FilesNotImported as stop:  # exit status 1; the reports say why
        code = stop.returncode
    return code, out.getvalue()


@pytest.fixture
def quality(client, users, kaznrtu_library):
    client.force_login(users["quality"])
    client.get(reverse("documents_import"))  # the session and the admin profile exist
    return client


@pytest.mark.parametrize(
    ("case", "data", "name", "message"),
    [case for case in BROKEN if case[3]],
    ids=[case[0] for case in BROKEN if case[3]],
)
def test_the_command_reports_a_broken_file_and_writes_nothing(
    kaznrtu_library, users, leftovers, tmp_path, case, data, name, message
):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    before = leftovers.state()
    code, out = run(path, "--as", "quality")
    assert code == 1
    assert f"✗ {path}" in out and message in out
    assert leftovers.changed(before) == {}


def test_the_command_refuses_more_pages_than_max_pages(kaznrtu_library, leftovers, tmp_path):
    path = tmp_path / "715.pdf"
    path.write_bytes(PROCEDURE)
    before = leftovers.state()
    code, out = run(path, "--max-pages", "5")
    assert code == 1 and kazakh("too_many_pages", pages=11, max_pages=5) in out
    assert leftovers.changed(before) == {}


def test_a_folder_offers_pdf_word_and_text_only(kaznrtu_library, leftovers, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "құжат.docx").write_bytes(corpus.docx())
    (folder / "бағдарлама.exe").write_bytes(corpus.EXE)
    (folder / "бүлінген.pdf").write_bytes(corpus.corrupt(PROCEDURE))
    before = leftovers.state()
    code, out = run(folder)
    assert code == 1 and "бүлінген.pdf" in out
    assert "құжат.docx" in out and kazakh("no_structure") in out  # a Word file, read
    assert "бағдарлама.exe" not in out
    assert leftovers.changed(before) == {}


# Names a file can have on disk (a name of 255+ bytes cannot exist there; see the admin).
DISK_NAMES = {
    "control": ("жос\x1bпар\x07.pdf", "жос\\x1bпар\\x07.pdf"),
    "ansi": ("\x1b[2J\x1b[31mқызыл.pdf", "\\x1b[2J\\x1b[31mқызыл.pdf"),
    "bidi": ("жоспар\u202efdp.pdf", "жоспар\\u202efdp.pdf"),
    "newline": ("бір\nекі.pdf", "бір\\nекі.pdf"),
    "leading-dots": ("...жасырын.pdf", "...жасырын.pdf"),
    "windows-reserved": ("CON.pdf", "CON.pdf"),
    "254-bytes": ("ә" * 125 + ".pdf", "ә" * 125 + ".pdf"),
}


@pytest.mark.parametrize("key", list(DISK_NAMES))
def test_the_command_prints_hostile_names_escaped(kaznrtu_library, leftovers, tmp_path, key):
    """The report printed raw control characters taken from file names (a name could clear
    the operator's screen or turn the line around)."""
    name, shown = DISK_NAMES[key]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(corpus.corrupt(PROCEDURE))
    before = leftovers.state()
    code, out = run(folder)
    assert code == 1
    assert f"✗ {folder}/{shown}\n" in out
    assert kazakh("corrupt") in out
    assert not any(ch in out for ch in "\x1b\x07\u202e")
    code, out = run(folder, "--dry-run", "--json")
    assert json.loads(out)[0]["file"] == f"{folder}/{shown}"
    assert leftovers.changed(before) == {}


def test_the_command_reads_a_name_that_is_no_utf8(kaznrtu_library, leftovers, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe-scan.pdf"), "wb") as handle:
        handle.write(PROCEDURE)
    before = leftovers.state()
    code, out = run(folder, "--dry-run")
    assert code == 0, out
    assert f"✓ {folder}/\\xff\\xfe-scan.pdf" in out
    out.encode("utf-8")  # no lone surrogate: a terminal can print it
    assert leftovers.changed(before) == {}


def test_a_hostile_name_imports_as_a_draft_from_the_command(kaznrtu_library, users, tmp_path):
    path = tmp_path / "\x1b[31m715\u202e.pdf"
    path.write_bytes(PROCEDURE)
    code, out = run(path, "--as", "quality")
    assert code == 0, out
    assert f"✓ {tmp_path}/\\x1b[31m715\\u202e.pdf" in out
    assert ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").count() == 1


# --- the admin upload -------------------------------------------------------------------------


def post(client, library, files, dry_run=False, **headers):
    data = {"library": library.pk, "files": files}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("documents_import"), data, **headers)


@pytest.mark.parametrize(
    ("case", "data", "name", "message"),
    [case for case in BROKEN if case[3]],
    ids=[case[0] for case in BROKEN if case[3]],
)
def test_the_admin_reports_a_broken_file_and_writes_nothing(
    quality, kaznrtu_library, leftovers, case, data, name, message
):
    before = leftovers.state()
    response = post(quality, kaznrtu_library, [SimpleUploadedFile(name, data)])
    html = response.content.decode()
    assert response.status_code == 200
    if case == "empty":  # the form itself refuses it, before the importer
        assert escape(t("The submitted file is empty.")) in html
    else:
        assert f'<td translate="no">{escape(name)}</td>' in html and escape(message) in html
    assert leftovers.changed(before) == {}


@pytest.mark.parametrize(
    "key", ["cjk-130", "kazakh-126", "kazakh-400-bytes", "long-extension", "bidi-override"]
)
def test_the_admin_reads_a_file_whose_name_is_too_long_for_the_disk(
    quality, kaznrtu_library, leftovers, key
):
    """130 CJK or 126 Kazakh characters answered 500 (OSError: File name too long): the
    upload was copied to a temporary file under its own name, cut by characters."""
    name = corpus.HOSTILE_NAMES[key]
    before = leftovers.state()
    response = post(quality, kaznrtu_library, [SimpleUploadedFile(name, PROCEDURE)], dry_run=True)
    assert response.status_code == 200
    html = response.content.decode()
    shown = "".join(ch for ch in name if ch.isprintable())[:255]  # as Django's parser keeps it
    assert escape(shown.replace("\u202e", "\ufffd")) in html
    assert escape(t("read; nothing written (dry run)")) in html
    assert leftovers.changed(before) == {}


def test_the_admin_imports_a_long_named_file_and_never_shows_the_temporary_path(
    quality, kaznrtu_library, leftovers
):
    name = corpus.CJK_130 + ".pdf"
    response = post(quality, kaznrtu_library, [SimpleUploadedFile(name, PROCEDURE)])
    response = confirm_all(quality, response)  # 715 has fixes to accept first
    html = response.content.decode()
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    assert f'<td translate="no">{name}</td>' in html
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    assert "sapa-upload-" not in html and leftovers.temporary.name not in html
    assert list(leftovers.temporary.iterdir()) == []


def test_the_admin_report_names_the_upload_not_the_temporary_copy(
    quality, kaznrtu_library, leftovers
):
    """The report showed "sapa-upload-…/bad.pdf", the server's temporary folder."""
    response = post(quality, kaznrtu_library, [SimpleUploadedFile("бүлінген.pdf", b"%PDF-1.7")])
    html = response.content.decode()
    assert '<td translate="no">бүлінген.pdf</td>' in html
    assert "sapa-upload-" not in html and "/tmp" not in html


def test_the_admin_speaks_russian_to_a_russian_reader(quality, kaznrtu_library, leftovers):
    before = leftovers.state()
    response = post(
        quality,
        kaznrtu_library,
        [
            SimpleUploadedFile("шифр.pdf", corpus.ENCRYPTED_PDF.read_bytes()),
            SimpleUploadedFile("ұзын.pdf", corpus.blank_pages(201)),
        ],
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    html = response.content.decode()
    assert escape(t("Import documents (PDF, Word, text)", "ru")) in html
    assert "PDF-файл защищён паролем (зашифрован), поэтому его нельзя прочитать." in html
    assert "Страниц в PDF-файле: 201, а допускается не более 200." in html
    assert leftovers.changed(before) == {}


def test_the_admin_speaks_kazakh_by_default(quality, kaznrtu_library, leftovers):
    response = post(
        quality,
        kaznrtu_library,
        [SimpleUploadedFile("шифр.pdf", corpus.ENCRYPTED_PDF.read_bytes())],
    )
    assert escape(kazakh("encrypted")) in response.content.decode()


def test_the_admin_spools_a_big_upload_with_a_long_extension(
    quality, kaznrtu_library, leftovers, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    name = corpus.HOSTILE_NAMES["long-extension"]
    before = leftovers.state()
    response = post(quality, kaznrtu_library, [SimpleUploadedFile(name, PROCEDURE)], dry_run=True)
    assert response.status_code == 200
    assert f'<td translate="no">{name}</td>' in response.content.decode()
    assert leftovers.changed(before) == {}
