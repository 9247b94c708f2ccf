"""records_export and records_verify, as an auditor or an administrator runs them."""

import hashlib
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext

from records.models import AccessAction, AccessLogEntry
from tests.factories.records import attach, make_record
from tests.records.conftest import DEMO_PDFS

pytestmark = pytest.mark.django_db


STORE_REFUSAL = (
    "The record store does not match the database: the files listed above "
    "are mismatched, missing or not in the database."
)


def said(msgid: str, language: str = "kk", **values) -> str:
    """What a command says in ``language`` (the site's, Kazakh, unless SAPA_LANGUAGE says)."""
    with translation.override(language):
        return gettext(msgid) % values


@pytest.fixture
def filed(world, pdf_bytes):
    plan = make_record(world, title="Эдвайзер жоспары")
    attach(plan, pdf_bytes, "жоспар.pdf", user=world.users["keeper"])
    attach(plan, pdf_bytes + b"\n%v2", "жоспар.pdf", user=world.users["keeper"])
    other = make_record(world, series=world.certificates, year="2024-2025", title="Анықтама")
    certificate = (DEMO_PDFS / "715-01_anyqtama.pdf").read_bytes()  # a PDF that opens
    attach(other, certificate, "анықтама.pdf", user=world.users["keeper"])
    return plan, other


def test_export_bundle_is_complete_and_its_checksums_hold(world, filed, tmp_path):
    out = tmp_path / "bundle.zip"
    call_command(
        "records_export",
        "--out",
        str(out),
        "--as",
        "auditor",
        "--procedure",
        "",
        "--form",
        "715-02",
    )
    plan, _other = filed
    with zipfile.ZipFile(out) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        assert [row["identifier"] for row in manifest] == [plan.identifier]
        row = manifest[0]
        assert row["form"] == "ҚазҰТЗУ 715-02 Ү" and row["unit"].startswith("Ақпараттық")
        assert row["form_revision"]["id"] == plan.form_revision_id
        assert row["history"]["changes"] >= 1 and row["history"]["last_changed_by"] == "keeper"
        assert [(f["name"], f["version"]) for f in row["files"]] == [
            ("жоспар.pdf", 1),
            ("жоспар.pdf", 2),
        ]
        for entry in row["files"]:
            assert hashlib.sha256(bundle.read(entry["path"])).hexdigest() == entry["sha256"]
        csv_text = bundle.read("manifest.csv").decode("utf-8-sig")
        assert plan.identifier in csv_text and "715-02" in csv_text
    assert AccessLogEntry.objects.get(action=AccessAction.EXPORT).username == "auditor"


def test_export_by_date_range_and_unit(world, filed, tmp_path):
    out = tmp_path / "b.zip"
    call_command(
        "records_export",
        "--out",
        str(out),
        "--as",
        "quality",
        "--from",
        "2024-09-01",
        "--to",
        "2025-08-31",
    )
    with zipfile.ZipFile(out) as bundle:
        assert [r["identifier"] for r in json.loads(bundle.read("manifest.json"))] == [
            filed[1].identifier
        ]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_export_refused_to_staff(world, filed, tmp_path, language):
    refusal = said("%(user)s may not export records.", language, user="staff")
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("records_export", "--out", str(tmp_path / "x.zip"), "--as", "staff")
    assert str(refused.value) == refusal
    assert refusal.startswith("staff ") and refusal != "staff"
    assert not (tmp_path / "x.zip").exists() or zipfile.ZipFile(tmp_path / "x.zip").namelist() == []


def test_verify_catches_a_tampered_and_a_missing_file(world, filed, capsys):
    call_command("records_verify")
    with translation.override("kk"):
        summary = ngettext(
            "%(count)s file checked, %(mismatched)s mismatched, %(missing)s missing, "
            "%(stray)s not in the database",
            "%(count)s files checked, %(mismatched)s mismatched, %(missing)s missing, "
            "%(stray)s not in the database",
            3,
        ) % {"count": 3, "mismatched": 0, "missing": 0, "stray": 0}
    assert summary.startswith("3 файл тексерілді")
    assert summary in capsys.readouterr().out

    plan, other = filed
    tampered = plan.files.get(version=1)
    with open(tampered.file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    lost = other.files.get()
    import os

    os.remove(lost.file.path)
    with pytest.raises(CommandError) as stopped:
        call_command("records_verify")
    assert stopped.value.returncode == 1
    assert str(stopped.value) == said(STORE_REFUSAL)
    assert str(stopped.value).startswith("Жазбалар қоймасы")
    out = capsys.readouterr().out
    mismatch = said("CHECKSUM MISMATCH %(file)s", file=f"{plan.identifier} жоспар.pdf v1")
    assert mismatch.startswith("БАҚЫЛАУ СОМАСЫ") and mismatch in out
    assert said("MISSING %(file)s", file=f"{other.identifier} анықтама.pdf v1") in out


# records_read_again: texts an earlier Sapa could not read


@pytest.fixture
def unread(world, pdf_bytes):
    """A filled Word form filed before Sapa read Word files (its row says "no text to
    extract"), a PDF whose OCR text kept ocrmypdf's page marker, and a Word file of a record
    disposed of (its bytes removed): rows as an earlier Sapa left them."""
    from django.utils import timezone

    from records.models import ExtractionStatus, RecordFile
    from tests.records.test_pages import filled_form

    keeper = world.users["keeper"]
    plan = make_record(world, title="Эдвайзер жоспары")
    word = attach(plan, filled_form(), "ҚазҰТЗУ_715-02_Ү.docx", user=keeper)
    scan = attach(plan, pdf_bytes, "скан.pdf", user=keeper)
    gone = attach(make_record(world, title="Ескі жоспар"), filled_form(), "ескі.docx", user=keeper)
    RecordFile.objects.filter(pk__in=[word.pk, gone.pk]).update(
        text="", extraction_status=ExtractionStatus.NOT_APPLICABLE
    )
    RecordFile.objects.filter(pk=scan.pk).update(
        text="Бірінші бет\n\f[OCR skipped on page(s) 1]\nЕкінші бет оқылды"
    )
    RecordFile.objects.filter(pk=gone.pk).update(removed_at=timezone.now())
    return plan, word, scan, gone


def changed(count: int, dry_run: bool = False) -> str:
    """records_read_again's last line in Kazakh."""
    with translation.override("kk"):
        if dry_run:
            line = ngettext(
                "%(count)s file would change (dry run: nothing was changed).",
                "%(count)s files would change (dry run: nothing was changed).",
                count,
            )
        else:
            line = ngettext("%(count)s file changed.", "%(count)s files changed.", count)
    return line % {"count": count}


def test_read_again_reads_old_word_files_and_takes_out_the_ocr_note(world, unread, client, capsys):
    from records.models import ExtractionStatus
    from search import indexing
    from tests.records.test_pages import listed

    plan, word, scan, gone = unread
    call_command("records_read_again", "--dry-run")
    out = capsys.readouterr().out
    assert said("TEXT READ %(file)s", file=f"{plan.identifier} ҚазҰТЗУ_715-02_Ү.docx v1") in out
    assert said("OCR NOTE REMOVED %(file)s", file=f"{plan.identifier} скан.pdf v1") in out
    assert "ескі.docx" not in out  # disposed of: left alone
    assert changed(2, dry_run=True) in out
    word.refresh_from_db()
    assert word.extraction_status == ExtractionStatus.NOT_APPLICABLE and not word.text

    call_command("records_read_again")
    out = capsys.readouterr().out
    assert changed(2) in out
    word.refresh_from_db()
    scan.refresh_from_db()
    gone.refresh_from_db()
    assert word.extraction_status == ExtractionStatus.DONE
    assert "Толтырған: Жұмабекова Ә.С." in word.text and "Мұражайға саяхат" in word.text
    assert word.history.latest().history_change_reason == said(
        "Text read again (records_read_again)"
    )
    assert scan.text == "Бірінші бет\n\fЕкінші бет оқылды"
    assert gone.extraction_status == ExtractionStatus.NOT_APPLICABLE and not gone.text
    # The keeper's search finds the plan by a word of the Word file, as a new upload's.
    indexing.sync()
    client.force_login(world.users["keeper"])
    assert listed(client, q="Жұмабекова") == {plan.identifier}

    call_command("records_read_again")  # nothing left to read
    assert changed(0) in capsys.readouterr().out
