"""documents_import DIR: every document of a folder (PDF, Word, text), each on its own; a
summary table; progress on a terminal; exit status 1 when a file failed; re-running changes
nothing."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from sapa.documents.management.commands.documents_import import FilesNotImported
from sapa.documents.models import ControlledDocument
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

WORD = Path(__file__).resolve().parents[1] / "corpus" / "word"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args, stderr=None):
    out, err = io.StringIO(), stderr or io.StringIO()
    try:
        call_command("documents_import", *map(str, args), stdout=out, stderr=err)
        code = 0
    except FilesNotImported as stop:  # exit status 1; the reports say why
        code = stop.returncode
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    """Good files (the 715 as Word, the mentor as PDF), a corrupt .docx, a "PDF" that is
    none, and what is no document to import: an image, Word's lock file, a hidden folder."""
    word = tmp_path / "docs"
    (word / "sub").mkdir(parents=True)
    shutil.copy(WORD / "kaznrtu_715_kp.docx", word / "715.docx")
    shutil.copy(SHARED / "corpus" / "aru_mentor_kn.pdf", word / "sub" / "mentor.pdf")
    data = (WORD / "aru_mentor_kn.docx").read_bytes()
    (word / "broken.docx").write_bytes(data[: len(data) // 2])  # a zip cut in half
    (word / "fake.pdf").write_bytes(b"this is no PDF, only its name says so")
    (word / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a document: not picked up
    (word / "~$715.docx").write_bytes(b"\x05quality" + b"\x00" * 150)  # Word's lock file
    (word / "._715.docx").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 80)  # a Mac's AppleDouble
    (word / ".hidden").mkdir()
    shutil.copy(WORD / "kaznrtu_715_kp.docx", word / ".hidden" / "715.docx")
    return word


def summary_rows(out: str) -> dict[str, list[str]]:
    """File name -> the row's cells (split on two spaces or more)."""
    import re

    lines = out.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Файл"))
    rows = {}
    for line in lines[start + 2 :]:
        if line.startswith("--"):
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0].rsplit("/", 1)[-1]] = cells
    return rows


def test_folder_imports_the_good_files_and_reports_the_bad_ones(
    folder, kaznrtu_library, aru_library, users
):
    code, out, err = run(folder, "--as", "quality")
    assert code == 1, out  # a file failed
    # The good files became drafts despite the bad ones beside them.
    procedure = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    mentor = ControlledDocument.objects.get(title="Ментор")
    assert not procedure.live and not mentor.live
    draft = procedure.get_latest_revision_as_object()
    assert len(draft.agreed_by.all()) == 21
    assert [r.change_number for r in draft.register_entries.all()] == ["1", "2", "3"]
    rows = summary_rows(out)
    assert set(rows) == {"715.docx", "broken.docx", "fake.pdf", "mentor.pdf"}
    assert rows["715.docx"][1:4] == ["ҚазҰТЗУ 715 ҚП", "№1 басылым", "жоба құрылды"]
    assert rows["mentor.pdf"][1:4] == ["—", "2.0 нұсқа", "жоба құрылды"]
    assert rows["broken.docx"][3] == "импортталмады" and "Word файлы" in rows["broken.docx"][5]
    assert rows["fake.pdf"][3] == "импортталмады" and "PDF құжаты емес" in rows["fake.pdf"][5]
    assert "4 файл, 2 импортталмады" in out
    assert err == ""  # no progress lines when stderr is no terminal


def test_rerun_is_idempotent_and_a_duplicate_is_unchanged(
    folder, tmp_path, kaznrtu_library, aru_library, users
):
    run(folder)
    procedure = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    mentor = ControlledDocument.objects.get(title="Ментор")
    revisions = (procedure.revisions.count(), mentor.revisions.count())
    # The same folder again, and the same 715 once more under another name.
    shutil.copy(folder / "715.docx", folder / "715 (copy).docx")
    code, out, _err = run(folder)
    assert code == 1  # the broken files are still broken
    rows = summary_rows(out)
    for name in ("715.docx", "715 (copy).docx", "mentor.pdf"):
        assert rows[name][3] == "өзгеріссіз (бұрын импортталған)", name
    assert (procedure.revisions.count(), mentor.revisions.count()) == revisions
    assert ControlledDocument.objects.count() == 2


def test_a_changed_file_is_updated_not_unchanged(kaznrtu_library, users, tmp_path):
    seed = SHARED / "seeds" / "000_3e6beb1bcf47969b.txt"
    text = seed.read_text(encoding="utf-8")
    first = tmp_path / "715.txt"
    first.write_text(text, encoding="utf-8")
    run(first)
    first.write_text(text.replace("Медициналық орталық", "Медициналық пункт"), encoding="utf-8")
    code, out, _err = run(first)
    assert code == 0 and "жоба жаңартылды" in out


def test_progress_on_a_terminal(folder, kaznrtu_library, aru_library):
    code, out, err = run(folder, "--dry-run", stderr=Terminal())
    assert code == 1 and "2.0 нұсқа" in out
    lines = err.strip().split("\n")
    assert lines[0].startswith("[1/4] ") and lines[-1].startswith("[4/4] ")
    assert [line.rsplit("/", 1)[-1] for line in lines] == [
        "715.docx",
        "broken.docx",
        "fake.pdf",
        "mentor.pdf",
    ]
    assert ControlledDocument.objects.count() == 0  # dry run


def test_one_unexpected_failure_does_not_stop_the_others(
    folder, kaznrtu_library, aru_library, monkeypatch
):
    from sapa.documents.importing import service

    real = service.read_file

    def flaky(path, **kwargs):
        if path.name == "715.docx":
            raise RuntimeError("disk on fire")
        return real(path, **kwargs)

    monkeypatch.setattr(service, "read_file", flaky)
    code, out, _err = run(folder)
    assert code == 1
    assert "disk on fire" in summary_rows(out)["715.docx"][5]
    assert ControlledDocument.objects.filter(title="Ментор").exists()
    assert not ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").exists()


def test_zip_that_is_no_word_document(kaznrtu_library, tmp_path):
    archive = tmp_path / "forms.docx"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("xl/workbook.xml", "<workbook/>")
    code, out, _err = run(archive)
    assert code == 1 and "word/document.xml" in out
