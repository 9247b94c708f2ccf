"""documents_import: drafts only, re-import updates, the next edition, bad input, dry run,
the admin upload, OCR of a scan, references resolved when the document arrives."""

import io
import json
import shutil

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.urls import reverse

from sapa.documents.management.commands.documents_import import FilesNotImported
from sapa.documents.models import ControlledDocument, DocumentReference, QmsForm
from tests.conftest import SHARED
from tests.documents.helpers import clause_texts, fresh, save_and_publish
from tests.documents.test_import_fixes import confirm_all
from tests.factories.documents import ProcedurePageFactory

pytestmark = pytest.mark.django_db

CORPUS = SHARED / "corpus"
SEED_715 = SHARED / "seeds" / "000_3e6beb1bcf47969b.txt"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("documents_import", *map(str, args), stdout=out, stderr=err)
        code = 0
    except FilesNotImported as stop:  # exit status 1; the reports say why
        code = stop.returncode
    return code, out.getvalue()


def test_import_makes_drafts_with_forms_and_pending_references(kaznrtu_library, aru_library, users):
    code, out = run(CORPUS, "--as", "quality")
    assert code == 0, out
    # The report is in Kazakh, the staff's language.
    assert "келісушілер: 21" in out and "формалар: 12" in out
    assert "тіркеу парағының жолдары: 3" in out
    assert "жоба құрылды" in out and "(коды жоқ) · Ментор" in out
    procedure = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    mentor = ControlledDocument.objects.get(title="Ментор")
    assert not procedure.live and not mentor.live  # drafts only
    assert (
        procedure.get_parent().pk == kaznrtu_library.pk and mentor.get_parent().pk == aru_library.pk
    )
    draft = procedure.get_latest_revision_as_object()
    assert [row.change_number for row in draft.register_entries.all()] == ["1", "2", "3"]
    assert len(draft.agreed_by.all()) == 21
    assert QmsForm.objects.filter(organisation=procedure.organisation).count() == 12
    assert QmsForm.objects.get(code="ҚазҰТЗУ 715-06 Ф").owning_document_id == procedure.pk
    refs = {
        (r.code, r.clause, r.target_id)
        for r in DocumentReference.objects.filter(document=procedure)
    }
    assert refs == {("ҚазҰТЗУ 803-11 ҚП", "10.1", None), ("ҚазҰТЗУ 404 ҚП", "11", None)}


def test_reimport_updates_the_same_draft(kaznrtu_library, users):
    run(CORPUS / "kaznrtu_715_kp.pdf")
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    revisions = page.revisions.count()
    # The same file again changes nothing: no new revision.
    code, out = run(CORPUS / "kaznrtu_715_kp.pdf")
    assert code == 0 and "өзгеріссіз (бұрын импортталған)" in out
    assert page.revisions.count() == revisions
    # Once the draft differs from the file, importing the file updates it.
    draft = page.get_latest_revision_as_object()
    draft.developed_person = "А.Басқа"
    draft.save_revision(user=users["quality"])
    code, out = run(CORPUS / "kaznrtu_715_kp.pdf")
    assert code == 0 and "жоба жаңартылды" in out
    assert ControlledDocument.objects.filter(code="ҚазҰТЗУ 715 ҚП").count() == 1
    assert page.revisions.count() == revisions + 2
    assert fresh(page).get_latest_revision_as_object().developed_person == "Г.Аршабекова"


def test_new_edition_becomes_the_draft_of_the_next_edition(kaznrtu_library, users, tmp_path):
    run(SEED_715)
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    save_and_publish(page.get_latest_revision_as_object(), users["quality"])
    second = tmp_path / "715-2.txt"
    second.write_text(
        SEED_715.read_text(encoding="utf-8").replace("№1 басылым", "№2 басылым"), encoding="utf-8"
    )
    code, out = run(second)
    assert code == 0 and "келесі басылымның жобасы" in out
    live = fresh(page)
    assert live.edition_number == 1 and live.editions.get().status == "in_force"
    assert live.get_latest_revision_as_object().edition_number == 2

    older = tmp_path / "715-0.txt"
    older.write_text(SEED_715.read_text(encoding="utf-8"), encoding="utf-8")
    draft = fresh(page).get_latest_revision_as_object()
    save_and_publish_with_row(draft, users)
    code, out = run(older)
    assert code == 1 and "ескі" in out


def test_a_file_of_a_published_document_is_said_to_be_so_before_and_after_the_import(
    kaznrtu_library, users, tmp_path
):
    from django.utils import translation

    run(SEED_715)
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    save_and_publish(page.get_latest_revision_as_object(), users["quality"])
    published_text = clause_texts(fresh(page))
    with translation.override("kk"):
        said = translation.gettext(
            "%(code)s is already published, and this file is its edition in force "
            "(%(edition)s): importing it makes a draft of that document; the published text "
            "stays until the draft is published."
        ) % {"code": "ҚазҰТЗУ 715 ҚП", "edition": "№1 басылым"}
    assert "жарияланған" in said  # in Kazakh, the command's language
    code, out = run(SEED_715, "--dry-run")
    assert code == 0 and said in out
    edited = tmp_path / "715.txt"
    edited.write_text(
        SEED_715.read_text(encoding="utf-8").replace("3.1.5 Эдвайзер (", "3.1.5 Кеңесші (", 1),
        encoding="utf-8",
    )
    code, out = run(edited)
    # the published document had no draft: one is made (not "updated")
    assert code == 0 and said in out and "жоба құрылды" in out and "жаңартылды" not in out
    assert clause_texts(fresh(page)) == published_text  # the published text stays


def save_and_publish_with_row(draft, users):
    from tests.factories.documents import register_row

    draft.register_entries = [register_row("1")]
    save_and_publish(draft, users["quality"])


def test_dry_run_json_writes_nothing(kaznrtu_library, aru_library):
    code, out = run(CORPUS, "--dry-run", "--json")
    assert code == 0
    payload = json.loads(out)
    assert [item["file"] for item in payload] == ["aru_mentor_kn.pdf", "kaznrtu_715_kp.pdf"]
    item = payload[1]
    for key in (
        "code",
        "kind",
        "title",
        "organization",
        "edition",
        "approval",
        "developed_by",
        "agreed_by",
        "sections",
        "forms",
        "references",
        "abbreviations",
        "register",
        "warnings",
    ):
        assert key in item, key
    assert item["edition"] == {
        "number": 1,
        "version": None,
        "label": "№1 басылым",
        "date": "2016-07-08",
    }
    assert item["register"][0]["change_type"] == "modify"
    assert ControlledDocument.objects.count() == 0 and QmsForm.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"just some text, not a document at all", "бөлімдері табылмады"),
        (b"%PDF-1.7\n%broken", "бүлінген"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PDF"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(kaznrtu_library, tmp_path, content, needle):
    bad = (
        tmp_path / "bad.pdf"
        if content.startswith(b"%PDF") or b"PNG" in content
        else tmp_path / "bad.txt"
    )
    bad.write_bytes(content)
    code, out = run(bad)
    assert code == 1
    assert needle in out
    assert ControlledDocument.objects.count() == 0


def test_scan_is_detected_and_read_with_ocr(aru_library, tmp_path):
    scan = tmp_path / "mentor-scan.pdf"
    source = pdfium.PdfDocument(str(CORPUS / "aru_mentor_kn.pdf"))
    images = [source[i].render(scale=300 / 72).to_pil().convert("L") for i in range(len(source))]
    source.close()
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=300)
    code, out = run(scan)
    assert code == 1 and "OCR" in out and "мәтін қабаты жоқ" in out
    if not shutil.which("ocrmypdf"):
        import os

        if os.environ.get("CI"):
            pytest.fail("ocrmypdf must be installed on CI")
        pytest.skip("ocrmypdf not installed (make test installs it)")
    code, out = run(scan, "--ocr", "--org", "АӨУ")
    assert code == 0, out
    page = ControlledDocument.objects.get(title="Ментор")
    draft = page.get_latest_revision_as_object()
    # OCR reads the approval sheet, and the sections: their Roman numerals, which the Kazakh
    # model reads as letters (ІІ, Ш, ІУ, ү, УП), are taken back as numerals and reported.
    # (VI has come out as "М1", which is no numeral: its clauses then stay inside section V.)
    assert draft.edition_label == "2.0 нұсқа" and not page.live
    sections = [(block.value["number"], len(block.value["content"])) for block in draft.body]
    assert {"I", "II", "III", "IV", "V", "VII"} <= {number for number, _ in sections}
    assert all(count > 0 for _, count in sections)
    assert "→ III" in out and "→ IV" in out
    assert [line.person for line in draft.agreed_by.all()] == [
        "Н.Е.Қартжан",
        "Е.С. Тастанкулов",
        "Л.Б. Алиманова",
    ]
    assert "OCR" in out


def test_reference_is_resolved_when_the_document_arrives(kaznrtu_library, users):
    run(SEED_715)
    procedure = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    records_procedure = ProcedurePageFactory(
        parent=kaznrtu_library,
        code="ҚазҰТЗУ 404 ҚП",
        number="404",
        slug="404-kp",
        title="Сапа жөніндегі жазбаларды басқару",
    )
    save_and_publish(records_procedure, users["quality"])
    ref = DocumentReference.objects.get(document=procedure, code="ҚазҰТЗУ 404 ҚП")
    assert ref.target_id == records_procedure.pk
    assert DocumentReference.objects.get(document=procedure, code="ҚазҰТЗУ 803-11 ҚП").is_pending


def test_admin_upload_imports_and_reports(client, kaznrtu_library, users):
    client.force_login(users["quality"])
    url = reverse("documents_import")
    assert client.get(url).status_code == 200
    with (CORPUS / "kaznrtu_715_kp.pdf").open("rb") as pdf:
        bad = io.BytesIO(b"not a pdf at all")
        bad.name = "bad.pdf"
        response = client.post(url, {"library": kaznrtu_library.pk, "files": [pdf, bad]})
    response = confirm_all(client, response)  # 715 has fixes to accept first
    html = response.content.decode()
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    assert "келісушілер: 21" in html and "agreed_by" not in html  # the reader's language
    assert "PDF құжаты емес" in html
    assert not page.live

    client.force_login(users["agreer1"])
    assert client.get(url).status_code in (302, 403)


def test_a_file_not_imported_ends_the_run_with_exit_status_1_and_says_so(
    kaznrtu_library, tmp_path, capsys, monkeypatch
):
    """As from the shell (cron, scripts): the file's report on stdout, then one readable
    line in the staff's language on stderr, and exit status 1."""
    from django.db import connections
    from django.utils import translation

    from sapa.documents.management.commands.documents_import import Command

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"just some text, not a document at all")
    # run_from_argv closes every connection when it ends, the test's own on PostgreSQL with it
    # (and its transaction, which holds what is checked below).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(["manage.py", "documents_import", str(bad)])
    assert stopped.value.code == 1
    captured = capsys.readouterr()
    assert "бөлімдері табылмады" in captured.out
    with translation.override("kk"):
        refusal = translation.gettext("Files not imported: %(failed)d of %(count)d.")
    assert refusal % {"failed": 1, "count": 1} in captured.err
    assert "Импортталмаған" in captured.err and "Traceback" not in captured.err
    assert ControlledDocument.objects.count() == 0


def test_a_published_job_instruction_is_said_to_be_so_though_it_prints_no_code(aru_library, users):
    """A tester imported the mentor's instruction into АӨУ's library where it is published:
    the dry run said nothing of it (it looked for the file's code, which a job instruction
    does not print), and the import made a draft of the live page."""
    from django.utils import translation

    from home.demo import DEMO_DATA

    seed = DEMO_DATA / "aru_mentor_kn.txt"
    code, _out = run(seed, "--org", "АӨУ")
    assert code == 0
    page = ControlledDocument.objects.child_of(aru_library).get()
    save_and_publish(page.get_latest_revision_as_object(), users["quality"])
    page = fresh(page)
    assert not page.code
    in_force = page.editions.get().label
    with translation.override("kk"):
        said = translation.gettext(
            "%(code)s is already published, and this file is its edition in force "
            "(%(edition)s): importing it makes a draft of that document; the published text "
            "stays until the draft is published."
        ) % {"code": f"«{page.title}»", "edition": in_force}
    code, out = run(seed, "--org", "АӨУ", "--dry-run")
    assert code == 0 and said in out
