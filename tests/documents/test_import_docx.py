"""What only a Word file has: automatic numbering, heading styles, table cells, page
furniture in parts of its own, footnotes, pictures, and the ways a .docx can be unreadable.

That the two seed documents written as Word files (tests/corpus/word, made by
make_docx.py) import with every field right is shown by the shared field suite
(test_import_fields.py, source "docx"); the documents here are small ones made for one
point each."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from sapa.documents.importing.docx import docx_to_text, parse_docx
from sapa.documents.importing.errors import DocumentImportError
from sapa.documents.importing.service import read_file
from sapa.documents.models import ControlledDocument
from tests.conftest import SHARED
from tests.documents.test_import_fixes import confirm_all

WORD = Path(__file__).resolve().parents[1] / "corpus" / "word"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- making small Word files -----------------------------------------------------------------


def numbering(document, abstract_id: int, levels: list[dict], *, num_ids=(), overrides=None):
    """A list definition (``levels``: fmt, text, and optionally start, legal, restart) and
    the list instances ``num_ids`` using it; ``overrides``: num id -> {ilvl: start}."""
    lvls = []
    for ilvl, level in enumerate(levels):
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{level.get("start", 1)}"/>'
            f'<w:numFmt w:val="{level["fmt"]}"/>'
            + ("<w:isLgl/>" if level.get("legal") else "")
            + (
                f'<w:lvlRestart w:val="{level["restart"]}"/>'
                if level.get("restart") is not None
                else ""
            )
            + f'<w:lvlText w:val="{level["text"]}"/></w:lvl>'
        )
    part = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{"".join(lvls)}'
        "</w:abstractNum>"
    )
    first = part.find(qn("w:num"))
    first.addprevious(abstract) if first is not None else part.append(abstract)
    for num_id in num_ids:
        starts = (overrides or {}).get(num_id, {})
        extra = "".join(
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for ilvl, start in starts.items()
        )
        part.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{extra}</w:num>"
            )
        )


def numbered(document, text: str, num_id: int, ilvl: int = 0, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs(data: bytes) -> list[str]:
    return docx_to_text(data).text.split("\n\n")


def with_footnote(data: bytes, anchor: str, note: str) -> bytes:
    """``data`` with a footnote (text ``note``) cited right after the word ``anchor``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {name: source.read(name) for name in source.namelist()}
    body = files["word/document.xml"].decode()
    reference = (
        '</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve">'
    )
    files["word/document.xml"] = body.replace(anchor, anchor + reference, 1).encode()
    files["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {nsdecls("w")}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    files["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdNote" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    ).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>',
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    return out.getvalue()


# --- the corpus Word files ---------------------------------------------------------------------


def test_corpus_clause_numbers_come_from_word_lists_not_typed_text():
    """The field suite finds clauses 2.1 … 10.7; here: no such number is typed in the file,
    Word's list numbering makes them (and the sections' numbers too)."""
    xml = zipfile.ZipFile(WORD / "kaznrtu_715_kp.docx").read("word/document.xml").decode()
    typed = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "2.1 " not in typed and "10.7 " not in typed and "3.1.1 " not in typed
    assert xml.count("<w:numPr>") > 60
    parsed = parse_docx(WORD / "kaznrtu_715_kp.docx")
    assert [c["number"] for c in parsed["sections"][2]["clauses"]][:3] == ["3.1", "3.1.1", "3.1.2"]
    # The mentor's section VII prints 6.1 and 6.2 by hand, after Word's VI and 6.1 … 6.7.
    mentor = parse_docx(WORD / "aru_mentor_kn.docx")
    assert [s["number_as_printed"] for s in mentor["sections"]] == [
        "I.",
        "II.",
        "III.",
        "IV.",
        "V.",
        "VI.",
        "VII.",
    ]
    assert [c["number"] for c in mentor["sections"][6]["clauses"]] == ["6.1", "6.2"]


def test_corpus_running_header_and_footer_are_not_text():
    with zipfile.ZipFile(WORD / "kaznrtu_715_kp.docx") as archive:
        header = next(n for n in archive.namelist() if n.startswith("word/header"))
        assert "беттің" in archive.read(header).decode()
    text = docx_to_text(WORD / "kaznrtu_715_kp.docx").text
    assert "беттің" not in text


def test_format_is_told_by_content_not_by_name(tmp_path):
    word_named_pdf = tmp_path / "procedure.pdf"
    shutil.copy(WORD / "kaznrtu_715_kp.docx", word_named_pdf)
    nameless = tmp_path / "upload-1"
    shutil.copy(WORD / "aru_mentor_kn.docx", nameless)
    pdf_named_docx = tmp_path / "mentor.docx"
    shutil.copy(SHARED / "corpus" / "aru_mentor_kn.pdf", pdf_named_docx)
    assert read_file(word_named_pdf)["code"] == "ҚазҰТЗУ 715 ҚП"
    assert read_file(nameless)["title"] == "Ментор"
    from_pdf = read_file(pdf_named_docx)
    assert from_pdf["title"] == "Ментор" and from_pdf["pages"] == 6  # read as the PDF it is


# --- numbering -------------------------------------------------------------------------------


def test_word_list_numbers_formats_overrides_and_restarts():
    document = Document()
    # sections in Roman numerals, their clauses "legal" (1.1. under II. prints 2.1.)
    numbering(
        document,
        70,
        [{"fmt": "upperRoman", "text": "%1."}, {"fmt": "decimal", "text": "%1.%2.", "legal": True}],
        num_ids=[70],
    )
    # a lettered list restarted by a second list instance with a start override
    numbering(document, 71, [{"fmt": "lowerLetter", "text": "%1)"}], num_ids=[71, 72])
    numbering(
        document,
        73,
        [{"fmt": "decimal", "text": "%1"}, {"fmt": "decimal", "text": "%1.%2", "restart": 0}],
        num_ids=[73],
    )
    numbering(document, 74, [{"fmt": "bullet", "text": "•"}], num_ids=[74])
    numbered(document, "Жалпы ережелер", 70, 0)
    numbered(document, "Бірінші тармақ.", 70, 1)
    numbered(document, "Екінші тармақ.", 70, 1)
    numbered(document, "Құқықтар", 70, 0)
    numbered(document, "Үшінші тармақ.", 70, 1)
    numbered(document, "бірінші", 71)
    numbered(document, "екінші", 71)
    numbered(document, "жаңа тізім", 72)  # same definition, its own instance: goes on
    numbered(document, "A", 73, 0)
    numbered(document, "A1", 73, 1)
    numbered(document, "B", 73, 0)
    numbered(document, "B1", 73, 1)  # lvlRestart 0: never restarts
    numbered(document, "тізім жолы", 74)
    document.add_paragraph("Қолмен терілген 5.5 нөмір")
    assert paragraphs(saved(document)) == [
        "I. Жалпы ережелер",
        "1.1. Бірінші тармақ.",
        "1.2. Екінші тармақ.",
        "II. Құқықтар",
        "2.1. Үшінші тармақ.",
        "a) бірінші",
        "b) екінші",
        "c) жаңа тізім",
        "1 A",
        "1.1 A1",
        "2 B",
        "2.2 B1",
        "- тізім жолы",
        "Қолмен терілген 5.5 нөмір",
    ]


def test_a_start_override_restarts_the_list():
    document = Document()
    restart = {76: {0: 1}}
    numbering(
        document, 75, [{"fmt": "decimal", "text": "%1."}], num_ids=[75, 76], overrides=restart
    )
    numbered(document, "бір", 75)
    numbered(document, "екі", 75)
    numbered(document, "қайтадан бір", 76)
    assert paragraphs(saved(document)) == ["1. бір", "2. екі", "1. қайтадан бір"]


def test_heading_style_numbered_through_the_style_makes_sections_without_contents():
    """No contents list and headings typed in normal case: the "Heading 1" style (numbered
    by the list the style is linked to) is what tells a section from a paragraph."""
    document = Document()
    numbering(
        document,
        77,
        [{"fmt": "decimal", "text": "%1"}, {"fmt": "decimal", "text": "%1.%2"}],
        num_ids=[77],
    )
    style = document.styles["Heading 1"].element
    style.get_or_add_pPr().insert(
        0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="77"/></w:numPr>')
    )
    document.add_paragraph("«Тест» КЕАҚ")
    document.add_paragraph("ҚазҰТЗУ 900 ҚП")
    document.add_paragraph("Міндеті және қолдану саласы", style="Heading 1")
    numbered(document, "Осы процедура тексеру үшін жазылды.", 77, 1)
    document.add_paragraph("Жалпы ережелер", style="Heading 1")
    numbered(document, "Барлық бөлімшелер орындауға міндетті.", 77, 1)
    parsed = parse_docx(saved(document), filename="900.docx")
    assert [(s["number"], s["title_as_printed"]) for s in parsed["sections"]] == [
        ("1", "Міндеті және қолдану саласы"),
        ("2", "Жалпы ережелер"),
    ]
    assert parsed["sections"][1]["clauses"] == [
        {"number": "2.1", "title": None, "text": "Барлық бөлімшелер орындауға міндетті."}
    ]


# --- runs, furniture, notes, pictures ----------------------------------------------------------


def test_caps_hidden_deleted_text_and_furniture(tmp_path):
    document = Document()
    document.sections[0].header.paragraphs[0].text = "ҚазҰТЗУ 715 ҚП · 15 беттің 1-беті"
    document.sections[0].footer.paragraphs[0].text = "Бет 1"
    paragraph = document.add_paragraph()
    paragraph.add_run("міндеті").font.all_caps = True
    paragraph.add_run(" және")
    paragraph.add_run(" жасырын").font.hidden = True
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "1")
    deleted.set(qn("w:author"), "x")
    deleted.append(parse_xml(f"<w:r {nsdecls('w')}><w:delText> өшірілген</w:delText></w:r>"))
    paragraph._p.append(deleted)
    inserted = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" w:author="x"><w:r><w:t xml:space="preserve">'
        " қосылған</w:t></w:r></w:ins>"
    )
    paragraph._p.append(inserted)
    lines = document.add_paragraph("Позиция")
    lines.add_run().add_break(WD_BREAK.LINE)
    lines.add_run("А.Байұлы\tкүні")
    assert paragraphs(saved(document)) == ["МІНДЕТІ және қосылған", "Позиция\nА.Байұлы\tкүні"]


def test_footnote_kept_after_the_paragraph_that_cites_it():
    document = Document()
    document.add_paragraph("Процедура талаптары міндетті.")
    document.add_paragraph("Келесі абзац.")
    data = with_footnote(saved(document), "талаптары", "Ректордың бұйрығымен бекітілген.")
    assert paragraphs(data) == [
        "Процедура талаптары¹ міндетті.",
        "¹ Ректордың бұйрығымен бекітілген.",
        "Келесі абзац.",
    ]


def test_pictures_are_dropped_with_a_warning():
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, format="PNG")
    document = Document()
    document.add_paragraph("Схема:")
    png.seek(0)
    document.add_picture(png)
    read = docx_to_text(saved(document))
    assert read.text == "Схема:"
    assert read.warnings[0].startswith("1 сурет немесе сызба алынып тасталды")


# --- the approval sheet as a borderless table ---------------------------------------------------


def test_approval_table_names_on_first_or_last_line_and_either_column_order():
    document = Document()
    document.add_paragraph("ҚазҰТЗУ 900 ҚП")
    document.add_paragraph("2 КЕЛІСІЛДІ:")
    table = document.add_table(rows=3, cols=2)
    # position over two lines, date under it; the name on the first line
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Академиялық мәселелер"
    left.add_paragraph("департаментінің директоры")
    left.add_paragraph("«27» 06 2016 ж.")
    right.paragraphs[0].text = "Ж.Ахметова"
    # the name on the last line, level with the date
    left, right = table.rows[1].cells
    left.paragraphs[0].text = "Т.Қ. Бәсенов атындағы Сәулет"
    left.add_paragraph("және құрылыс институтының директоры")
    left.add_paragraph("«27» 06 2016 ж.")
    right.add_paragraph("")
    right.add_paragraph("Б.Құспанғалиев")
    # the name in the left column, the position and date on the right
    left, right = table.rows[2].cells
    left.paragraphs[0].text = "Б.Туткина"
    right.paragraphs[0].text = "Заң жүзінде қамтамасыз"
    right.add_paragraph("ету бөлімінің бастығы")
    right.add_paragraph("«23» 06 2016 ж.")
    document.add_paragraph("3 Ректордың 2016 жылғы «08» 07 №254-Б бұйрығымен БЕКІТІЛДІ")
    document.add_paragraph("1 ЖАЛПЫ ЕРЕЖЕЛЕР")
    document.add_paragraph("1.1 Осы процедура тексеру үшін жазылды.")
    parsed = parse_docx(saved(document), filename="900.docx")
    assert parsed["agreed_by"] == [
        {
            "position": "Академиялық мәселелер департаментінің директоры",
            "person": "Ж.Ахметова",
            "date": "2016-06-27",
        },
        {
            "position": "Т.Қ. Бәсенов атындағы Сәулет және құрылыс институтының директоры",
            "person": "Б.Құспанғалиев",
            "date": "2016-06-27",
        },
        {
            "position": "Заң жүзінде қамтамасыз ету бөлімінің бастығы",
            "person": "Б.Туткина",
            "date": "2016-06-23",
        },
    ]


# --- files that cannot be read ----------------------------------------------------------------


def _corrupt(tmp_path: Path) -> dict[str, Path]:
    data = (WORD / "aru_mentor_kn.docx").read_bytes()
    files = {
        "truncated.docx": data[: len(data) // 3],
        "random.docx": bytes(range(256)) * 8,
        "legacy.doc": bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512,
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("content.xml", "<office/>")  # an OpenDocument-like zip, no Word
    files["other.zip"] = archive.getvalue()
    paths = {}
    for name, content in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    return paths


@pytest.mark.parametrize(
    ("name", "code", "needle"),
    [
        ("truncated.docx", "docx_corrupt", "Word файлы (.docx) бүлінген"),
        ("random.docx", "docx_corrupt", "Word файлы (.docx) бүлінген"),
        ("legacy.doc", "legacy_office", "ескі пішімінде (.doc)"),
        ("other.zip", "not_docx", "word/document.xml жоқ"),
    ],
)
def test_unreadable_word_files_are_explained(tmp_path, name, code, needle):
    path = _corrupt(tmp_path)[name]
    with pytest.raises(DocumentImportError) as caught:
        read_file(path)
    assert caught.value.code == code
    assert needle in caught.value.message


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    from sapa.documents.importing import docx as reader

    monkeypatch.setattr(reader, "MAX_UNPACKED", 1000)
    with pytest.raises(DocumentImportError) as caught:
        read_file(WORD / "aru_mentor_kn.docx")
    assert caught.value.code == "docx_too_large"


# --- the admin upload ----------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_upload_of_a_word_file_makes_a_draft(client, kaznrtu_library, users):
    client.force_login(users["quality"])
    url = reverse("documents_import")
    with (WORD / "kaznrtu_715_kp.docx").open("rb") as word:
        broken = io.BytesIO((WORD / "kaznrtu_715_kp.docx").read_bytes()[:2000])
        broken.name = "broken.docx"
        response = client.post(url, {"library": kaznrtu_library.pk, "files": [word, broken]})
    response = confirm_all(client, response)  # 715 has fixes to accept first
    html = response.content.decode()
    page = ControlledDocument.objects.get(code="ҚазҰТЗУ 715 ҚП")
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    assert "kaznrtu_715_kp.docx" in html and "broken.docx" in html
    assert "Word файлы (.docx) бүлінген" in html
    draft = page.get_latest_revision_as_object()
    assert len(draft.agreed_by.all()) == 21 and not page.live
    assert [r.change_number for r in draft.register_entries.all()] == ["1", "2", "3"]


def test_one_line_signature_rows_and_a_contents_table():
    """Undated one-line rows (name left or right) are one signature each; the contents as a
    borderless table whose last rows have no page number stay one contents list."""
    document = Document()
    document.add_paragraph("ҚазҰТЗУ 900 ҚП")
    document.add_paragraph("КЕЛІСІЛДІ")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows,
        [
            ("Заңгер", "Л.Б. Алиманова"),
            ("Е.С. Тастанкулов", "HR департаментінің директоры"),
            ("Ректор аппаратының басшысы", "Б.Мықтыбаев"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].text = text
    document.add_paragraph("Мазмұны")
    contents = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        contents.rows,
        [
            ("1", "Жалпы ережелер", "3"),
            ("2", "Жазбалар", "4"),
            ("", "Өзгерістерді тіркеу парағы", ""),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].text = text
    document.add_paragraph("1 ЖАЛПЫ ЕРЕЖЕЛЕР")
    document.add_paragraph("1.1 Осы процедура тексеру үшін жазылды.")
    document.add_paragraph("2 ЖАЗБАЛАР")
    document.add_paragraph("Жазбалар сақталады.")
    parsed = parse_docx(saved(document), filename="900.docx")
    assert [(a["position"], a["person"]) for a in parsed["agreed_by"]] == [
        ("Заңгер", "Л.Б. Алиманова"),
        ("HR департаментінің директоры", "Е.С. Тастанкулов"),
        ("Ректор аппаратының басшысы", "Б.Мықтыбаев"),
    ]
    assert [(e["number"], e["title"], e["page"]) for e in parsed["toc"]] == [
        ("1", "Жалпы ережелер", 3),
        ("2", "Жазбалар", 4),
        ("", "Өзгерістерді тіркеу парағы", None),
    ]
    assert [s["number"] for s in parsed["sections"]] == ["1", "2"]


def test_heading_with_latin_look_alikes_keeps_them_as_printed_only():
    """ "ЖАҚСARTУ" (Latin A, R, T): the title in normal case reads "жақсарту", not
    "жақсartу", even with no contents to take it from; as printed it stays."""
    document = Document()
    document.add_paragraph("ҚазҰТЗУ 900 ҚП")
    document.add_paragraph("1 ЖАЛПЫ ЕРЕЖЕЛЕР")
    document.add_paragraph("1.1 Осы процедура тексеру үшін жазылды.")
    document.add_paragraph("2 БАҒАЛАУ, ТАЛДАУ ЖӘНЕ ЖАҚСARTУ")
    document.add_paragraph("2.1 Университет басшылығы шешім қабылдайды.")
    parsed = parse_docx(saved(document), filename="900.docx")
    section = parsed["sections"][1]
    assert section["title"] == "Бағалау, талдау және жақсарту"
    assert section["title_as_printed"] == "БАҒАЛАУ, ТАЛДАУ ЖӘНЕ ЖАҚСARTУ"


def test_a_numbering_part_breaking_the_rules_is_a_damaged_file():
    document = Document()
    numbering(document, 78, [{"fmt": "decimal", "text": "%1.", "start": "x"}], num_ids=[78])
    numbered(document, "бір", 78)
    with pytest.raises(DocumentImportError) as caught:
        docx_to_text(saved(document))
    assert caught.value.code == "docx_corrupt" and "ValueError" in caught.value.message
