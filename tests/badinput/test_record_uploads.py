"""The bad-input corpus against record uploads, as a keeper files them: a new record with its
file (/records/new/) and a file added to a record (/records/<id>/files/add/). A file that
cannot be read is refused with the reason in the reader's language, and leaves no record,
no file row, no history row, no outbox entry and no file behind; a file that can be read is
kept under a name that is safe on disk (at most 255 bytes, no folders, no control or bidi
characters) and that says what it really is."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from records.models import ExtractionStatus, QualityRecord, RecordFile
from tests.badinput import corpus
from tests.badinput.conftest import t
from tests.factories.records import attach, make_record

pytestmark = pytest.mark.django_db

RECORD_PDF = corpus.RECORD_PDF.read_bytes()
UNREADABLE_PDF = (
    "The PDF cannot be opened: the file is damaged or was cut short on the way. "
    "Save it as PDF again and upload it again."
)
LOCKED_PDF = (
    "The PDF is protected by a password: a record must stay readable without it. "
    "Remove the protection and upload the file again."
)
UNREADABLE_IMAGE = "The image cannot be opened: the file is damaged or was cut short on the way."
WRONG_TYPE = "This file (%(kind)s) is not accepted for records. Accepted: %(accepted)s."
ACCEPTED = ".pdf, .png, .jpg, .tif, .docx, .xlsx, .odt, .ods, .doc, .xls, .txt, .csv, .json"
WORD_97 = (Path(__file__).parents[1] / "corpus" / "records" / "hattama.doc").read_bytes()


class Said(str):
    """A value of a message that is a message itself, read in the reader's language."""


def said(msgid: str, language: str = "kk", **values) -> str:
    return t(
        msgid,
        language,
        **{k: t(v, language) if isinstance(v, Said) else v for k, v in values.items()},
    )


# (case, the message's msgid, its values): what is refused, and why.
REFUSED = [
    ("empty", "The submitted file is empty.", {}),
    ("truncated", UNREADABLE_PDF, {}),
    ("corrupt", UNREADABLE_PDF, {}),
    ("encrypted", LOCKED_PDF, {}),
    ("zero-pages", "The PDF has no pages.", {}),
    ("zip-as-pdf", WRONG_TYPE, {"kind": Said("an archive"), "accepted": ACCEPTED}),
    ("html-as-pdf", WRONG_TYPE, {"kind": Said("a web page"), "accepted": ACCEPTED}),
    ("exe-as-pdf", WRONG_TYPE, {"kind": Said("a program"), "accepted": ACCEPTED}),
    ("broken-png", UNREADABLE_IMAGE, {}),
    (
        "png-bomb",
        "The image has too many pixels to be read safely; scan it at a lower resolution.",
        {},
    ),
]


def bad_file(case: str) -> corpus.Bad:
    extra = [
        corpus.Bad("broken-png", corpus.broken_png(), "скан.png"),
        corpus.Bad("png-bomb", corpus.png_bomb(), "скан.png"),
    ]
    return {bad.id: bad for bad in corpus.broken_pdfs(RECORD_PDF) + extra}[case]


def post_new_record(client, world, upload, **headers):
    return client.post(
        reverse("records:create"),
        {
            "series": world.plans.pk,
            "unit": world.institute.pk,
            "title": "Эдвайзер жоспары",
            "period_kind": "academic_year",
            "academic_year": "2025-2026",
            "file": upload,
        },
        **headers,
    )


def post_file(client, record, upload, name="", **headers):
    return client.post(
        reverse("records:file_add", args=(record.pk,)),
        {"file": upload, "name": name, "reason": "қол қойылған нұсқа"},
        **headers,
    )


def upload(bad: corpus.Bad) -> SimpleUploadedFile:
    return SimpleUploadedFile(bad.name, bad.data, content_type="application/pdf")


@pytest.fixture
def keeper(client, world):
    client.force_login(world.users["keeper"])
    client.get(reverse("records:create"))  # the session exists before anything is counted
    return client


@pytest.mark.parametrize(("case", "msgid", "values"), REFUSED, ids=[c[0] for c in REFUSED])
def test_new_record_with_a_bad_file_is_refused_and_leaves_nothing(
    keeper, world, leftovers, case, msgid, values
):
    before = leftovers.state()
    response = post_new_record(keeper, world, upload(bad_file(case)), HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(said(msgid, **values)) in html
    assert escape(t("The record was not filed: correct the marked fields.")) in html
    assert leftovers.changed(before) == {}


@pytest.mark.parametrize(("case", "msgid", "values"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_file_added_to_a_record_is_refused_and_leaves_nothing(
    keeper, world, leftovers, case, msgid, values
):
    record = make_record(world)
    before = leftovers.state()
    response = post_file(keeper, record, upload(bad_file(case)), HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(said(msgid, **values)) in html
    assert escape(t("The file was not added: correct the marked fields.")) in html
    assert leftovers.changed(before) == {}


def test_refusals_speak_russian_to_a_russian_reader(keeper, world, leftovers):
    record = make_record(world)
    before = leftovers.state()
    response = post_file(keeper, record, upload(bad_file("zip-as-pdf")), HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert f"Этот файл (архив) не принимается в записи. Принимаются: {ACCEPTED}." in html
    assert "Файл не добавлен: исправьте отмеченные поля." in html
    for case, msgid in (("encrypted", LOCKED_PDF), ("truncated", UNREADABLE_PDF)):
        response = post_new_record(keeper, world, upload(bad_file(case)), HTTP_ACCEPT_LANGUAGE="ru")
        html = response.content.decode()
        assert escape(t(msgid, "ru")) in html
        assert "Запись не зарегистрирована: исправьте отмеченные поля." in html
    assert leftovers.changed(before) == {}


@override_settings(SAPA_RECORD_MAX_UPLOAD_BYTES=1024 * 1024)
@pytest.mark.parametrize(
    ("size", "kazakh", "russian"),
    [
        # The limit reads as set ("1 МБ", not "1.0 МБ"); a file just over it never reads
        # as the limit itself (it read "1.0 МБ; ең көбі 1.0 МБ").
        (1024 * 1024 + 1, "Файл көлемі 1,1 МБ; ең көбі 1 МБ жүктеуге болады.", "1,1 МБ"),
        (int(1.5 * 1024 * 1024), "Файл көлемі 1,5 МБ; ең көбі 1 МБ жүктеуге болады.", "1,5 МБ"),
    ],
)
def test_the_size_refusal_shows_the_real_size(keeper, world, leftovers, size, kazakh, russian):
    record = make_record(world)
    big = RECORD_PDF + b"%" * (size - len(RECORD_PDF))
    before = leftovers.state()
    response = post_file(keeper, record, SimpleUploadedFile("үлкен.pdf", big))
    assert kazakh in response.content.decode()
    response = post_file(
        keeper, record, SimpleUploadedFile("үлкен.pdf", big), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert f"Размер файла {russian}; можно загрузить не более 1 МБ." in response.content.decode()
    assert leftovers.changed(before) == {}


def test_the_size_of_a_big_file_is_shown_as_it_is():
    from django.utils import translation

    from records.services.files import size_text

    with translation.override("kk"):
        assert size_text(int(73.4 * 1024 * 1024), up=True) == "73,4 МБ"  # decimal comma
        assert size_text(50 * 1024 * 1024) == "50 МБ"


# --- files that can be read are kept, under the name of what they are ---------------------


@pytest.mark.parametrize(
    ("bad", "stored", "content_type", "status"),
    [
        (corpus.Bad("png-as-pdf", corpus.png(), "сурет.pdf"), "сурет.png", "image/png", None),
        (
            corpus.Bad("docx-as-pdf", corpus.docx(), "құжат.pdf"),
            "құжат.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ExtractionStatus.DONE,  # its text is read, as a PDF's is
        ),
        (
            corpus.Bad("docx-cut-short", corpus.docx()[:20000], "құжат.docx"),
            "құжат.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ExtractionStatus.FAILED,  # kept as uploaded, and said so
        ),
        (
            # Word 97-2003: its head says only "OLE storage" (every .doc was refused so)
            corpus.Bad("word-97", WORD_97, "хаттама.doc"),
            "хаттама.doc",
            "application/msword",
            None,
        ),
        (
            corpus.Bad("image-only", corpus.image_only(), "скан.pdf"),
            "скан.pdf",
            "application/pdf",
            ExtractionStatus.OCR_QUEUED,
        ),
        (
            corpus.Bad("201-pages", corpus.blank_pages(201), "ұзын.pdf"),
            "ұзын.pdf",
            "application/pdf",
            None,
        ),
    ],
    ids=lambda value: value.id if isinstance(value, corpus.Bad) else None,
)
def test_a_readable_file_is_kept_as_what_it_is(keeper, world, bad, stored, content_type, status):
    response = post_new_record(keeper, world, upload(bad), follow=True)
    record = world.plans.records.get()
    entry = record.files.get()
    assert (entry.name, entry.content_type) == (stored, content_type)
    assert entry.original_name == bad.name
    if status:
        assert entry.extraction_status == status
    text = t("Record filed: %(id)s, with the file %(name)s.", id=record.identifier, name=stored)
    assert escape(text) in response.content.decode()


# --- names: long in bytes, with folders, control characters, bidi overrides -------------


def assert_safe_on_disk(entry: RecordFile, content: bytes = RECORD_PDF) -> str:
    path = Path(entry.file.path)
    assert path.is_file() and path.read_bytes() == content
    for part in entry.file.name.split("/"):
        assert len(part.encode()) <= 255, part
        assert part not in ("", ".", "..")
    name = path.name
    assert not any(unicodedata.category(ch)[0] == "C" for ch in name), ascii(name)
    assert not name.startswith(".") and name.endswith(".pdf")
    assert not re.match(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\.|$)", name), name
    return name


@pytest.mark.parametrize("key", list(corpus.HOSTILE_NAMES))
def test_a_hostile_name_is_filed_safely_by_the_service(world, key):
    # The service sees names as commands and the admin pass them, control characters included.
    hostile = corpus.HOSTILE_NAMES[key]
    entry = attach(make_record(world), RECORD_PDF, hostile, user=world.users["keeper"])
    name = assert_safe_on_disk(entry)
    assert entry.name == name
    # What a records system keeps as the original: the name as uploaded, without folders
    # (which are the sender's, not the file's), control characters shown as U+FFFD.
    last = re.split(r"[\\/]", hostile)[-1]
    assert entry.original_name == "".join(
        "\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in last
    )


@pytest.mark.parametrize("key", list(corpus.HOSTILE_NAMES))
def test_a_hostile_name_is_filed_safely_through_the_pages(keeper, world, leftovers, key):
    """/records/new/ and /records/<id>/files/add/ answered 500 (File name too long) for 130
    CJK characters: names were cut by characters, not bytes."""
    hostile = corpus.HOSTILE_NAMES[key]
    response = post_new_record(keeper, world, SimpleUploadedFile(hostile, RECORD_PDF))
    record = world.plans.records.get()
    assert response.status_code == 302, response.content.decode()[:500]
    first = record.files.get()
    assert_safe_on_disk(first)
    # (other bytes: the same file again is no new version, and is refused as such)
    corrected = RECORD_PDF + b"\n%corrected"
    response = post_file(keeper, record, SimpleUploadedFile(hostile, corrected))
    assert response.status_code == 302, response.content.decode()[:500]
    second = record.files.exclude(pk=first.pk).get()
    assert_safe_on_disk(second, corrected)


def test_130_cjk_characters_are_cut_by_bytes_keeping_the_extension(world):
    entry = attach(make_record(world), RECORD_PDF, corpus.CJK_130 + ".pdf", user=None)
    name = Path(entry.file.name).name
    assert name == "质" * 81 + ".pdf" and len(name.encode()) == 247
    kazakh = attach(make_record(world), RECORD_PDF, corpus.KAZAKH_200 + ".pdf", user=None)
    assert Path(kazakh.file.name).name == "ә" * 120 + ".pdf"


# --- the logical name a person types: shown and downloaded the same, without tricks ----------


@pytest.mark.parametrize(
    ("typed", "kept", "downloaded"),
    [
        ("../../../etc/passwd", "passwd", 'filename="passwd.pdf"'),
        ("..\\..\\boot.ini", "boot.ini", 'filename="boot.ini.pdf"'),
        # U+202E would show "жоспарexe.pdf" while the file is saved as "…fdp.exe".
        ("жоспар\u202efdp.exe", "жоспарfdp.exe", "filename*=utf-8''%D0%B6%D0%BE%D1%81%D0%BF"),
        ("хат\x1b[2J\u200bтама.pdf", "хат[2Jтама.pdf", "filename*=utf-8''%D1%85%D0%B0%D1%82%5B2J"),
        ("   ", "жоспар.pdf", "filename*=utf-8''%D0%B6%D0%BE%D1%81%D0%BF%D0%B0%D1%80.pdf"),
    ],
)
def test_the_typed_file_name_is_shown_and_downloaded_safely(keeper, world, typed, kept, downloaded):
    record = make_record(world)
    response = post_file(keeper, record, SimpleUploadedFile("жоспар.pdf", RECORD_PDF), name=typed)
    assert response.status_code == 302
    entry = record.files.get()
    assert entry.name == kept
    page = keeper.get(reverse("records:detail", args=(record.pk,))).content.decode()
    assert escape(kept) in page
    assert "\u202e" not in page and "../" not in page and "\x1b" not in page
    download = keeper.get(reverse("records:download", args=(entry.pk,)))
    disposition = download["Content-Disposition"]
    assert downloaded in disposition
    assert "%E2%80%AE" not in disposition and "%1B" not in disposition
    b"".join(download.streaming_content)


def test_a_numero_sign_is_kept_on_disk_on_the_page_and_in_the_download(keeper, world):
    """ "Хаттама №3" was stored, shown and downloaded as "Хаттама_3": Django's file names and
    Sapa's own dropped "№"."""
    record = make_record(world)
    uploaded = SimpleUploadedFile("Хаттама №3 (2026).pdf", RECORD_PDF)
    assert post_file(keeper, record, uploaded).status_code == 302
    entry = record.files.get()
    assert assert_safe_on_disk(entry) == "Хаттама_№3_2026.pdf"
    assert entry.name == "Хаттама_№3_2026.pdf"
    page = keeper.get(reverse("records:detail", args=(record.pk,))).content.decode()
    assert "Хаттама_№3_2026.pdf" in page
    download = keeper.get(reverse("records:download", args=(entry.pk,)))
    # RFC 5987's filename*, UTF-8 percent-encoded ("№" is %E2%84%96), which browsers read;
    # and for clients that read only filename= (curl -OJ, wget), the name in Latin letters.
    assert download["Content-Disposition"] == (
        "attachment; filename=\"Khattama_No3_2026.pdf\"; filename*=utf-8''"
        "%D0%A5%D0%B0%D1%82%D1%82%D0%B0%D0%BC%D0%B0_%E2%84%963_2026.pdf"
    )
    b"".join(download.streaming_content)


def test_a_name_with_folders_never_leaves_its_folder_in_an_export(keeper, world, tmp_path):
    import zipfile

    from records.selectors import RecordFilters
    from records.services import records_export

    record = make_record(world)
    post_file(keeper, record, SimpleUploadedFile("жоспар.pdf", RECORD_PDF), name="../../x.pdf")
    out = tmp_path / "bundle.zip"
    records_export(user=world.users["quality"], out=out, filters=RecordFilters())
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
    assert any(name.endswith("/x.v1.pdf") for name in names)
    assert not any(".." in part for name in names for part in name.split("/"))


def test_nothing_is_left_when_the_record_and_its_file_fail_together(keeper, world, leftovers):
    before = leftovers.state()
    post_new_record(keeper, world, upload(bad_file("encrypted")))
    assert QualityRecord.objects.count() == 0 and RecordFile.objects.count() == 0
    assert leftovers.changed(before) == {}


def test_a_nul_in_the_typed_name_is_refused_in_the_readers_language(keeper, world, leftovers):
    record = make_record(world)
    before = leftovers.state()
    response = post_file(
        keeper, record, SimpleUploadedFile("жоспар.pdf", RECORD_PDF), name="хат\x00тама.pdf"
    )
    assert escape(t("Null characters are not allowed.")) in response.content.decode()
    assert leftovers.changed(before) == {}


@pytest.mark.parametrize("key", ["long-extension", "cjk-130", "bidi-override"])
def test_a_big_upload_with_a_long_name_is_spooled_safely(keeper, world, leftovers, settings, key):
    """An upload bigger than FILE_UPLOAD_MAX_MEMORY_SIZE went to "tmpXXXX.upload.әәә…" and
    answered 500 (File name too long) before any view ran."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    name = corpus.HOSTILE_NAMES[key]
    record = make_record(world)
    response = post_file(keeper, record, SimpleUploadedFile(name, RECORD_PDF))
    assert response.status_code == 302
    assert_safe_on_disk(record.files.get())
    assert list(leftovers.temporary.iterdir()) == []
