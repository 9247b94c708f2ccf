"""The PDF importer against the two corpus PDFs, small PDFs made here, and bad files.

shared/corpus/*.pdf are the seed documents as a quality office exports them (Word ->
LibreOffice -> PDF); shared/corpus/*.json say what a correct import finds in them. Every
field of that structure is compared in test_import_fields.py, for the PDFs and the seeds
alike; here is what only a PDF has: pages, layout, running headers, the ruled register.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import struct
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest

from sapa.documents.importing.errors import DocumentImportError
from sapa.documents.importing.pdf import PdfText, parse_pdf, pdf_to_text
from sapa.documents.importing.text import parse_text

SHARED = Path(__file__).resolve().parents[3] / "shared"
PDFS = {"715": "kaznrtu_715_kp.pdf", "mentor": "aru_mentor_kn.pdf"}
SEEDS = {"715": "000_3e6beb1bcf47969b.txt", "mentor": "001_80f74c00af075fd3.txt"}
DOCS = pytest.mark.parametrize("doc", ["715", "mentor"])
KAZAKH = re.compile("[ӘҒҚҢӨҰҮҺІәғқңөұүһі]")


def pdf_path(doc: str) -> Path:
    return SHARED / "corpus" / PDFS[doc]


@functools.cache
def parsed(doc: str) -> dict:
    return parse_pdf(pdf_path(doc), filename=PDFS[doc])


@functools.cache
def read(doc: str) -> PdfText:
    return pdf_to_text(pdf_path(doc))


@functools.cache
def expected(doc: str) -> dict:
    name = PDFS[doc].replace(".pdf", ".json")
    return json.loads((SHARED / "corpus" / name).read_text(encoding="utf-8"))


@functools.cache
def from_seed(doc: str) -> dict:
    text = (SHARED / "seeds" / SEEDS[doc]).read_text(encoding="utf-8")
    return parse_text(text, filename=SEEDS[doc])


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def section(doc: str, number: str) -> dict:
    return next(s for s in parsed(doc)["sections"] if s["number"] == number)


# --- the reader's own output ----------------------------------------------------------------


@DOCS
def test_pages_counted(doc):
    want = expected(doc)["pdf_files"]["pages"]
    assert read(doc).pages == want
    assert parsed(doc)["pages"] == want
    assert parsed(doc)["file"] == PDFS[doc]


def test_paragraph_text_in_the_shape_parse_text_reads():
    text = read("715").text
    assert "Тіркеу кеңсесі\t–\tТК\n" in text, "abbreviations grid row as 'meaning\\t–\\tabbr'"
    assert "\n1\tМіндеті және қолдану саласы\t5\n" in text, "contents row with tab stops"
    assert "Академиялық жұмыс жөніндегі проректор\tР.Искаков\n«05» 07 2016 ж.\n\n" in text
    assert "\n- өтініш (еркін түрде);\n- отбасының құрамы туралы анықтама;\n" in text
    assert "\uf0b7" not in text, "symbol-font bullets became '- '"
    assert "\n\n" in text and "\n\n\n" not in text


def test_wrapped_lines_are_joined_back():
    text = read("715").text
    # a paragraph that the PDF wraps over four lines is one line again
    assert (
        "\nОсы процедура Университеттің ішкі нормативтік құжаты болып табылады және университет "
        "басшысының рұқсатымен тұтынушы-серіктестерден (олардың талабы бойынша), менеджмент "
        "жүйесіне тексеру жүргізу кезінде сертификациялық органдар аудиторларынан басқа "
        "тараптарға ұсынылмайды.\n"
    ) in text
    # a line starting with a dash is the rest of the line above, not a bullet
    assert "әрекетінен – отбасымен, туғандарымен" in text
    # a compound word cut at its hyphen is glued back, hyphen kept
    assert "қарым-қатынас мәдениетін" in read("mentor").text
    # a clause cut by a page break (page 5 -> 6 has none, page 9 -> 10 does) reads as one
    assert "8.3 Студенттер үшін" in text


def test_running_headers_and_footers_removed():
    for doc, header in (
        ("715", "2016 жылғы «08» 07 №1 басылым\t11 беттің"),
        ("mentor", "Қызметтік нұсқаулық «Ментор». 2.0 нұсқа"),
    ):
        text = read(doc).text
        assert header not in text, doc
        assert "беттің" not in text, doc
        pages = expected(doc)["pdf_files"]["pages"]
        assert any(f"{pages} беттен алынып тасталды" in w for w in read(doc).warnings), doc
    assert read("715").text.count("ҚазҰТЗУ 715 ҚП\n") == 2, "the title page keeps its code"


def test_register_rows_are_data_not_text():
    text = read("715").text
    assert "Өзгерістерді тіркеу парағы" in text, "the register title stays: it ends the body"
    assert "Аршабекова Г." not in text and "12.09.2017" not in text
    assert [row["no"] for row in read("715").register] == ["1", "2", "3"]
    assert read("mentor").register == []
    assert any("6 бос жолы" in w and "11-бет" in w for w in read("715").warnings)


@DOCS
def test_source_as_file_object_and_bytes(doc):
    data = pdf_path(doc).read_bytes()
    from_bytes = pdf_to_text(data)
    with pdf_path(doc).open("rb") as handle:
        from_file = pdf_to_text(handle)
    assert from_bytes.text == from_file.text == read(doc).text
    assert from_bytes.register == read(doc).register
    assert parse_pdf(io.BytesIO(data), filename="x.pdf")["title"] == expected(doc)["title"]


# --- title page and approval sheet ------------------------------------------------------------


# --- contents, sections, clauses --------------------------------------------------------------


def _unnumbered(result: dict) -> list[tuple[str | None, str]]:
    chunks: list[list] = []
    for sec in result["sections"]:
        previous = None
        for block in sec["blocks"]:
            kind = block["type"]
            if kind == "subheading":
                chunks.append([block["title"], []])
            elif kind in ("paragraph", "bullets"):
                if previous not in ("paragraph", "bullets", "subheading"):
                    chunks.append([None, []])
                chunks[-1][1].extend([block["text"]] if kind == "paragraph" else block["items"])
            previous = kind
    return [(title, norm(" ".join(texts))) for title, texts in chunks]


@DOCS
def test_unnumbered_paragraphs_and_subheadings(doc):
    want = [
        (u["title"], norm(re.sub(r"(^|\n)– ", " ", u["text"])))
        for u in expected(doc)["units"]
        if not u["number"]
    ]
    assert _unnumbered(parsed(doc)) == want


def _blocks(sec: dict) -> str:
    # "list_item" marks a clause the seed typed as "- 6.1. …"; the PDF prints no bullet there
    blocks = [{k: v for k, v in b.items() if k != "list_item"} for b in sec["blocks"]]
    return json.dumps(blocks, ensure_ascii=False, indent=0)


@DOCS
def test_blocks_equal_the_seed_import(doc):
    """Block by block, the PDF gives what the seed text gives (same words, same kinds)."""
    for got, seed in zip(parsed(doc)["sections"], from_seed(doc)["sections"], strict=True):
        assert [b["type"] for b in got["blocks"]] == [b["type"] for b in seed["blocks"]]
        assert _blocks(got) == _blocks(seed), f"section {got['number']}"


@DOCS
def test_no_running_header_left_in_any_clause(doc):
    dump = json.dumps(parsed(doc)["sections"], ensure_ascii=False)
    for mark in ("беттің", "-беті", "басылым", "2.0 нұсқа", "\\t"):
        assert mark not in dump, mark
    for sec in parsed(doc)["sections"]:
        for clause in sec["clauses"]:
            assert not re.search(r"\d+ беттің", clause["text"]), clause["number"]


def test_kazakh_letters_and_quirks_kept():
    p715, mentor = parsed("715"), parsed("mentor")
    assert section("715", "10")["title_as_printed"] == "БАҒАЛАУ, ТАЛДАУ ЖӘНЕ ЖАҚСARTУ"
    assert any("ЖАҚСARTУ" in w and "латын" in w for w in p715["warnings"])
    text = next(c for c in section("mentor", "I")["clauses"] if c["number"] == "1.5")["text"]
    assert "күзiреттiлiктiң" in text, "Latin i kept as printed"
    assert p715["qms_level"] == "2-деңгейлі СМЖ күжаты"
    assert [c["number"] for c in section("mentor", "VII")["clauses"]] == ["6.1", "6.2"]
    assert mentor["title_as_printed"] == "ментор"
    assert KAZAKH.search(read("715").text) and "ҚазҰТЗУ" in read("715").text


# --- small PDFs made here -------------------------------------------------------------------------
#
# A minimal PDF writer: every font is a Type0 font whose character codes are Unicode code
# points (with a ToUnicode map), so any Kazakh text can be placed at exact positions; glyph
# widths are 0.5 em (space 0.25 em). Nothing here draws glyphs: pdfplumber does not need them.

PAGE_W, PAGE_H = 595, 842
LEFT, RIGHT = 60.0, 535.0


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """Objects numbered 1.. (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_TO_UNICODE = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /UCS def "
    b"1 begincodespacerange <0000> <FFFF> endcodespacerange 5 beginbfrange "
    + b" ".join(
        b"<%04X> <%04X> <%04X>" % (s, s + 255, s) for s in (0, 0x400, 0x2000, 0x2100, 0x2500)
    )
    + b" endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
)


class Sketch:
    """Pages of positioned words and rules, written out as a PDF."""

    def __init__(self):
        self.pages: list[list[bytes]] = []

    def page(self) -> Sketch:
        self.pages.append([])
        return self

    @staticmethod
    def width(word: str, size: float) -> float:
        return sum(0.25 if ch == " " else 0.5 for ch in word) * size

    def run(self, x: float, top: float, text: str, size: float = 10, bold: bool = False):
        font = b"/F2" if bold else b"/F1"
        baseline = PAGE_H - top - size
        code = text.encode("utf-16-be").hex().upper().encode()
        self.pages[-1].append(
            b"BT %s %.2f Tf 1 0 0 1 %.2f %.2f Tm <%s> Tj ET" % (font, size, x, baseline, code)
        )

    def line(self, x, top, text, size=10, bold=False, justify=False, right=RIGHT):
        """Words drawn one by one; a justified line is stretched to ``right``."""
        words = text.split(" ")
        gap = 0.35 * size
        if justify and len(words) > 1:
            used = sum(self.width(w, size) for w in words)
            gap = (right - x - used) / (len(words) - 1)
        for word in words:
            self.run(x, top, word, size, bold)
            x += self.width(word, size) + gap

    def paragraph(self, top, lines, size=10, indent=25.0, bold=False) -> float:
        """A justified paragraph with a first-line indent; returns the next free ``top``."""
        for i, text in enumerate(lines):
            x = LEFT + (indent if i == 0 else 0)
            self.line(x, top, text, size, bold, justify=i < len(lines) - 1)
            top += size * 1.2
        return top + size * 0.4

    def rule(self, x0, top0, x1, top1):
        self.pages[-1].append(
            b"0.5 w %.2f %.2f m %.2f %.2f l S" % (x0, PAGE_H - top0, x1, PAGE_H - top1)
        )

    def grid(self, x_lines, top_lines, skip=()):
        """A ruled table; ``skip`` lists (row, column) pairs whose right rule is left out."""
        for top in top_lines:
            self.rule(x_lines[0], top, x_lines[-1], top)
        for c, x in enumerate(x_lines):
            for r, (a, b) in enumerate(pairwise(top_lines)):
                if (r, c) not in skip:
                    self.rule(x, a, x, b)

    def pdf(self) -> bytes:
        n = len(self.pages)
        font = 3 + 2 * n
        kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        ]
        resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R >> >>" % (font, font + 4)
        for i, ops in enumerate(self.pages):
            objects.append(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources %s "
                b"/Contents %d 0 R >>" % (PAGE_W, PAGE_H, resources, 4 + 2 * i)
            )
            objects.append(_stream(b"\n".join(ops)))
        for name in (b"ArialMT", b"Arial-BoldMT"):
            number = len(objects) + 1
            objects.append(
                b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, number + 1, number + 2)
            )
            objects.append(
                b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /DW 500 /W [32 [250]] "
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                b"/FontDescriptor %d 0 R >>" % (name, number + 3)
            )
            objects.append(_stream(_TO_UNICODE))
            objects.append(
                b"<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [0 -200 1000 900] "
                b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>" % name
            )
        return _pdf(objects)


def _header_table(sketch: Sketch, page: int) -> None:
    """A running header drawn as a one-row table, as some offices make it."""
    sketch.grid([LEFT, 200, 420, RIGHT], [30, 48])
    sketch.run(LEFT + 3, 34, "ҚазҰТЗУ 999 ҚП", 9)
    sketch.run(203, 34, "2020 жылғы «01» 02 №2 басылым", 9)
    sketch.run(423, 34, f"Бет {page}", 9)


def _centred(sketch: Sketch, top: float, text: str, size: float, bold: bool = True) -> None:
    sketch.line(
        (LEFT + RIGHT - Sketch.width(text, size) - 0.1 * size * text.count(" ")) / 2,
        top,
        text,
        size,
        bold,
    )


@functools.cache
def layouts_pdf() -> bytes:
    """Two pages in the layouts the corpus does not have (see shared/corpus/README.md)."""
    s = Sketch().page()
    _header_table(s, 1)
    _centred(s, 70, "СЫНАҚ ҚҰЖАТЫ", 14)
    _centred(s, 92, "ҚазҰТЗУ 999 ҚП", 10, bold=False)
    s.line(LEFT, 115, "Ғылыми жұмыс жөніндегі проректор")
    s.line(RIGHT - Sketch.width("А.Бекова", 10), 115, "А.Бекова")  # a borderless-table cell
    s.line(LEFT, 140, "1 ЖАЛПЫ ЕРЕЖЕЛЕР", bold=True)
    top = s.paragraph(
        158,
        [
            "Студенттердің әлеуметтік жәрдемақылар алуы үшін Мемлекеттік зейнетақы (ҚазҰТЗУ 715-",
            "01 Ү) анықтама беріледі және ол оқу жылы бойы жарамды болып саналады әрі ұзартылады",
            "деп есептеледі.",
        ],
    )
    s.line(LEFT + 25, top, "Тапсырылатын құжаттар:")
    top += 12
    for i, item in enumerate(["өтініш (еркін түрде);", "отбасының құрамы туралы анықтама;"]):
        s.run(LEFT, top, "•")  # a Word list: bullet, then the text at the hanging indent
        s.line(LEFT + 18, top, item)
        top += 12
        if i == 1:
            s.run(LEFT, top, "•")
            s.line(
                LEFT + 18,
                top,
                "ата-анасының жұмыссыз екендігін растайтын анықтама, егер мұндай анықтама бар",
                justify=True,
            )
            top += 12
            s.line(LEFT + 18, top, "болса.")
            top += 12
    s.line(LEFT + 25, top + 4, "Тексеру кезеңдері:")
    top += 16
    for item in ["ішкі аудит;", "сыртқы аудит."]:
        s.run(LEFT, top, "–")
        s.line(LEFT + 18, top, item)
        top += 12
    s.paragraph(
        top + 4,
        [
            "Бұл абзац осы беттің соңында басталып, келесі бетте жалғасады, сондықтан оның "
            "соңғы сөздері",
        ],
    )
    # the paragraph above is one justified line: its last words are on the next page
    _centred(s, 800, "- 1 -", 9, bold=False)

    s.page()
    _header_table(s, 2)
    s.line(LEFT, 70, "екінші бетте жалғасады.")
    _centred(s, 100, "Өзгерістерді тіркеу парағы", 12)
    columns = [LEFT, 110, 180, 260, 340, 420, RIGHT]
    rows = [120, 135, 150, 165, 180, 195, 210]
    s.grid(columns, rows, skip={(0, 5)})  # "Өзгеріс енгізілді" spans the last two columns
    heads = ["Өзгерістің", "Бөлімі", "Түрі", "Хабарлама", "Өзгеріс енгізілді"]
    for x, text in zip(columns, heads, strict=False):
        s.run(x + 2, 123, text, 8)
    s.run(342, 138, "күні", 8)
    s.run(422, 138, "Тегі, қолы", 8)
    _centred(s, 800, "- 2 -", 9, bold=False)
    return s.pdf()


def test_layouts_the_corpus_does_not_have():
    got = pdf_to_text(layouts_pdf())
    text = got.text
    assert got.pages == 2
    assert "ҚазҰТЗУ 999 ҚП\t2020" not in text and "Бет 1" not in text, "header drawn as a table"
    assert "- 1 -" not in text and "- 2 -" not in text, "page numbers in the footer"
    assert text.startswith("СЫНАҚ ҚҰЖАТЫ\n\nҚазҰТЗУ 999 ҚП\n\n")
    assert "\nҒылыми жұмыс жөніндегі проректор\tА.Бекова\n" in text
    assert "\n\n1 ЖАЛПЫ ЕРЕЖЕЛЕР\n\n" in text, "a bold heading is a paragraph of its own"
    assert "зейнетақы (ҚазҰТЗУ 715-01 Ү) анықтама беріледі" in text, "code cut at its hyphen"
    assert (
        "Тапсырылатын құжаттар:\n\n- өтініш (еркін түрде);\n- отбасының құрамы туралы анықтама;\n"
        "- ата-анасының жұмыссыз екендігін растайтын анықтама, егер мұндай анықтама бар болса.\n"
    ) in text, "bullets, one wrapped at its hanging indent"
    assert "Тексеру кезеңдері:\n\n- ішкі аудит;\n- сыртқы аудит.\n" in text, "dash bullets"
    assert "оның соңғы сөздері екінші бетте жалғасады.\n" in text, "joined across the page break"
    assert "\n\nӨзгерістерді тіркеу парағы\n" in text
    assert got.register == [] and "Өзгерістің" not in text and "күні" not in text
    assert any("2-бет: өзгерістерді тіркеу парағының 4 бос жолы" in w for w in got.warnings)
    assert any("2 беттен алынып тасталды" in w and "ҚазҰТЗУ 999 ҚП" in w for w in got.warnings)


def test_layouts_parsed():
    got = parse_pdf(layouts_pdf(), filename="layouts.pdf")
    assert got["code"] == "ҚазҰТЗУ 999 ҚП" and got["pages"] == 2
    assert got["title_as_printed"] == "СЫНАҚ ҚҰЖАТЫ"
    assert got["forms"] == ["ҚазҰТЗУ 715-01 Ү"]
    assert [s["number"] for s in got["sections"]] == ["1"]
    assert got["register"] == []


# --- files that cannot be imported ------------------------------------------------------------


def _assert_error(excinfo, code: str, *words: str) -> None:
    error = excinfo.value
    assert error.code == code
    assert str(error) == error.message and KAZAKH.search(error.message), "a Kazakh message"
    assert error.message_en and not KAZAKH.search(error.message_en)
    for word in words:
        assert word in error.message, word


def test_text_file_renamed_pdf(tmp_path):
    fake = tmp_path / "procedure.pdf"
    fake.write_text("ҚазҰТЗУ 715 ҚП\nБұл мәтін, PDF емес.\n", encoding="utf-8")
    with pytest.raises(DocumentImportError) as excinfo:
        pdf_to_text(fake)
    _assert_error(excinfo, "not_pdf", "PDF құжаты емес")
    with pytest.raises(DocumentImportError):
        parse_pdf(io.BytesIO(fake.read_bytes()))


@pytest.mark.parametrize("share", [0.3, 0.5, 0.9])
def test_truncated_pdf(tmp_path, share):
    data = pdf_path("715").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(DocumentImportError) as excinfo:
        parse_pdf(cut)
    _assert_error(excinfo, "corrupt", "бүлінген")


def test_garbage_after_the_signature():
    with pytest.raises(DocumentImportError) as excinfo:
        pdf_to_text(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    _assert_error(excinfo, "corrupt")


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    box, j = list(range(256)), 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF protected by the standard security handler (RC4, 40 bits, revision 2)."""
    o_value = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    permissions = -44
    file_id = hashlib.md5(b"sapa").digest()
    key = hashlib.md5((user + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id)
    key = key.digest()[:5]
    u_value = _rc4(key, _PAD)
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + b"\x00\x00").digest()[:10]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(_rc4(object_key, content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_value.hex().encode(), u_value.hex().encode(), permissions),
    ]
    ident = file_id.hex().encode()
    return _pdf(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (ident, ident))


def test_encrypted_pdf(tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted_pdf())
    with pdfplumber.open(locked, password="secret") as pdf:  # the fixture is a real PDF
        assert pdf.pages[0].extract_text() == "Hello"
    with pytest.raises(DocumentImportError) as excinfo:
        parse_pdf(locked)
    _assert_error(excinfo, "encrypted", "құпиясөзбен қорғалған")


def test_pdf_without_pages():
    empty = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    with pytest.raises(DocumentImportError) as excinfo:
        pdf_to_text(empty)
    _assert_error(excinfo, "empty", "бет жоқ")


def test_page_limit():
    with pytest.raises(DocumentImportError) as excinfo:
        parse_pdf(pdf_path("715"), max_pages=2)
    _assert_error(excinfo, "too_many_pages", "11 бет", "ең көбі 2")
    assert excinfo.value.details == {"pages": 11, "max_pages": 2}
    assert pdf_to_text(pdf_path("715"), max_pages=11).pages == 11, "the limit itself is allowed"


def test_image_only_scan(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    pytest.importorskip("PIL")
    document = pdfium.PdfDocument(str(pdf_path("mentor")))
    images = [document[i].render(scale=0.6).to_pil().convert("RGB") for i in range(2)]
    document.close()
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, "PDF", resolution=43, save_all=True, append_images=images[1:])
    with pdfplumber.open(scan) as pdf:
        assert len(pdf.pages) == 2 and pdf.pages[0].images and not pdf.pages[0].chars
    with pytest.raises(DocumentImportError) as excinfo:
        parse_pdf(scan)
    _assert_error(excinfo, "no_text", "мәтін қабаты жоқ", "OCR", "--ocr")
    assert "OCR" in excinfo.value.message_en and "--ocr" in excinfo.value.message_en


@pytest.mark.parametrize(
    ("ocr_line", "read"),
    [
        ("ІІ. Менторлық қызметке тағайындау", "II. Менторлық қызметке тағайындау"),
        ("Ш. Ментор жұмысының мазмұны", "III. Ментор жұмысының мазмұны"),
        ("ІУ. Ментордың құқығы", "IV. Ментордың құқығы"),
        ("ү. Әкімшілікпен және қоғамдық ұйымдармен", "V. Әкімшілікпен және қоғамдық ұйымдармен"),
        ("УП. Қорытынды ережелер", "VII. Қорытынды ережелер"),
        ("1. Жалпы ережелер", "1. Жалпы ережелер"),  # a number stays a number
        ("11. Есеп беру", "11. Есеп беру"),
        ("Ш. Тастанов", "Ш. Тастанов"),  # an initial and a surname
        ("У. Б. Ержанов", "У. Б. Ержанов"),
        ("ПП. Бір екі", "ПП. Бір екі"),  # IIII is no numeral
    ],
)
def test_ocr_reads_section_numerals_back(ocr_line, read):
    from sapa.documents.importing.pdf import repair_ocr_numerals

    assert repair_ocr_numerals(ocr_line)[0] == read


def test_ocr_first_section_read_as_a_digit_is_taken_back_when_the_second_is_roman():
    from sapa.documents.importing.pdf import repair_ocr_numerals

    text = "1. Жалпы ережелер\n1.1. Ереже\nІІ. Менторлық қызмет\n2.1. Мәтін"
    fixed, repaired = repair_ocr_numerals(text)
    assert fixed.splitlines()[0] == "I. Жалпы ережелер" and repaired[0] == "1 → I"
    plain = "1. Жалпы ережелер\n1.1. Ереже\n2. Мақсаты"
    assert repair_ocr_numerals(plain) == (plain, [])
