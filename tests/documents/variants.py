"""Office documents of the 715 procedure in layouts the corpus PDFs do not have.

The content comes from the real seed (``parse_text`` of shared/seeds), so every Kazakh
word is the seed's; only the layout changes: font, margins, headings as Word styles, a
running header drawn as a table, an approval sheet as a borderless table, an empty
register of ruled rows, form codes cut at their hyphen. ``build_docx`` writes a .docx
with python-docx and ``to_pdf`` turns a batch of them into PDFs with one LibreOffice run,
as a quality office does (Word -> LibreOffice -> PDF).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

#: The 715 form codes that the "broken codes" layout cuts after "715-" with a line break.
BROKEN_CODES = ("ҚазҰТЗУ 715-01 Ү", "ҚазҰТЗУ 715-03 Ү")


@dataclass(frozen=True)
class Layout:
    """How one variant lays the same content out."""

    name: str
    font: str = "Liberation Sans"
    size: float = 11
    margins: tuple[float, float, float, float] = (2.0, 2.0, 3.0, 1.5)  # top bottom left right
    headings: str = "bold"  # "bold" (manual bold runs) or "styles" (Heading 1 / Heading 2)
    header: str = "none"  # "none", "text" (a tab-separated line) or "table" (3 ruled cells)
    footer: bool = False  # a centred page number in the footer
    approval: str = "tabs"  # "tabs" (position, right tab, name; date below) or "table"
    abbreviations: str = "grid"  # "grid" (2 ruled columns) or "dash" (meaning | – | abbr)
    register_rows: tuple[dict, ...] = ()  # filled rows of the revision register
    blank_rows: int = 4  # blank ruled rows under them
    broken_codes: bool = False  # "(ҚазҰТЗУ 715-" + line break + "01 Ү)"
    narrow_code_cells: bool = False  # the 6.1 forms list as a table with a narrow code column


def date_as_printed(iso: str | None) -> str:
    """2016-06-22 -> «22» 06 2016 ж. (the seed's way)."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"«{day}» {month} {year} ж."


# --- low-level docx helpers -----------------------------------------------------------------


def _fonts(element, font: str) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)


def _style_font(style, font: str, size: float, bold: bool | None = None) -> None:
    style.font.name = font
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.italic = False
    if bold is not None:
        style.font.bold = bold
    _fonts(style.element, font)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES) that LibreOffice fills in on every page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _borders(table, value: str) -> None:
    """Every border of ``table`` to ``value`` ("single" or "nil")."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Column widths, in the grid (which LibreOffice reads) and in every cell (Word)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=False):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _cell(cell, text: str, *, bold: bool = False, align=None, size: float | None = None):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    for i, part in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        run = paragraph.add_run(part)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return paragraph


# --- the writer -----------------------------------------------------------------------------


class _Writer:
    def __init__(self, doc: dict, layout: Layout, logo: str):
        self.doc, self.layout, self.logo = doc, layout, logo
        self.out = Document()
        section = self.out.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        top, bottom, left, right = layout.margins
        section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
        section.left_margin, section.right_margin = Cm(left), Cm(right)
        section.header_distance = section.footer_distance = Cm(0.8)
        self.text_width = 21.0 - left - right
        styles = self.out.styles
        _style_font(styles["Normal"], layout.font, layout.size)
        normal = styles["Normal"].paragraph_format
        normal.space_after, normal.space_before, normal.line_spacing = Pt(0), Pt(0), 1.0
        _style_font(styles["Heading 1"], layout.font, layout.size + 1, bold=True)
        _style_font(styles["Heading 2"], layout.font, layout.size, bold=True)
        for name in ("Heading 1", "Heading 2"):
            fmt = styles[name].paragraph_format
            fmt.space_before, fmt.space_after = Pt(12), Pt(6)
            fmt.first_line_indent = Cm(0)
        _style_font(styles["List Bullet"], layout.font, layout.size)
        _style_font(styles["Table Grid"], layout.font, layout.size)

    # paragraphs

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: float = 1.25,
        before: float = 0,
        after: float = 0,
        style: str | None = None,
    ):
        paragraph = self.out.add_paragraph(style=style)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Cm(indent)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        paragraph.alignment = align
        if text:
            self.runs(paragraph, text, bold=bold)
        return paragraph

    def runs(self, paragraph, text: str, *, bold: bool = False) -> None:
        """Text with the codes of BROKEN_CODES cut after their hyphen by a line break."""
        if not self.layout.broken_codes:
            paragraph.add_run(text).bold = bold
            return
        pieces = [text]
        for code in BROKEN_CODES:
            head, tail = code.split("-", 1)
            pieces = [
                part
                for piece in pieces
                for part in _interleave(piece.split(code), (f"{head}-", f"\n{tail}"))
            ]
        for piece in pieces:
            if piece.startswith("\n"):
                paragraph.add_run().add_break(WD_BREAK.LINE)
                piece = piece[1:]
            if piece:
                paragraph.add_run(piece).bold = bold

    def centred(self, text: str, *, bold: bool = False, before: float = 0, after: float = 6):
        return self.para(
            text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, before=before, after=after
        )

    def heading(self, text: str, level: int = 1):
        if self.layout.headings == "styles":
            paragraph = self.out.add_paragraph(text, style=f"Heading {level}")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.first_line_indent = Cm(1.25 if level > 1 else 0)
            return paragraph
        return self.para(text, bold=True, indent=1.25, before=6, after=6)

    def page_break(self) -> None:
        self.out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            paragraph = self.out.add_paragraph(style="List Bullet")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            self.runs(paragraph, item)

    # page furniture

    def furniture(self) -> None:
        layout, doc = self.layout, self.doc
        section = self.out.sections[0]
        edition = self.edition_line()
        if layout.header == "table":
            header = section.header
            table = header.add_table(1, 3, Cm(self.text_width))
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            _borders(table, "single")
            third = self.text_width / 3
            _widths(table, [third - 1, third + 2, third - 1])
            cells = table.rows[0].cells
            size = layout.size - 1
            _cell(cells[0], doc["code"], align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
            _cell(cells[1], edition, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
            page = _cell(cells[2], "", align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
            _field(page, "NUMPAGES", "1")
            page.add_run(" беттің ")
            _field(page, "PAGE", "1")
            page.add_run("-беті")
            header.paragraphs[0].text = ""
        elif layout.header == "text":
            paragraph = section.header.paragraphs[0]
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Cm(self.text_width), WD_TAB_ALIGNMENT.RIGHT
            )
            paragraph.add_run(f"{doc['code']}\t{edition}\t")
            _field(paragraph, "NUMPAGES", "1")
            paragraph.add_run(" беттің ")
            _field(paragraph, "PAGE", "1")
            paragraph.add_run("-беті")
        if layout.footer:
            paragraph = section.footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _field(paragraph, "PAGE", "1")

    def edition_line(self) -> str:
        edition = self.doc["edition"]
        year, month, day = edition["date"].split("-")
        return f"{year} жылғы «{day}» {month} {edition['label']}"

    # the document

    def title_page(self) -> None:
        doc = self.doc
        org = doc["organization"]
        if self.logo:
            self.para(self.logo, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
        self.centred(org["ministry"], bold=True)
        self.centred(org["full_as_printed"], bold=True, after=18)
        self.centred(doc["qms_level"])
        self.centred(doc["kind_label"])
        self.centred(doc["code"])
        self.centred(self.edition_line(), after=60)
        self.centred(doc["title_as_printed"], bold=True, after=12)
        self.centred(doc["code"], after=200)
        self.centred(f"{doc['city']} {doc['year']}")
        self.page_break()

    def approval_sheet(self) -> None:
        doc = self.doc
        developer = doc["developed_by"]
        self.centred("АЛҒЫ СӨЗ", bold=True, after=12)
        paragraph = self.para(
            f"1 {doc['organization']['name']} {developer['unit_as_printed']} ", after=12
        )
        paragraph.add_run("ӘЗІРЛЕНДІ.").bold = True
        self.signatures([developer])
        self.para("2 КЕЛІСІЛДІ:", before=12, after=12)
        self.signatures(doc["agreed_by"])
        self.para(f"3 {doc['approval']['as_printed']}", before=12, after=12)
        self.para(f"4 {doc['introduced']['as_printed']}", after=12)
        self.page_break()

    def signatures(self, entries: list[dict]) -> None:
        if self.layout.approval == "table":
            table = self.out.add_table(rows=len(entries), cols=3)
            _borders(table, "nil")
            _widths(table, [self.text_width - 7.5, 4.0, 3.5])
            for row, entry in zip(table.rows, entries, strict=True):
                cells = row.cells
                _cell(cells[0], entry["position"], align=WD_ALIGN_PARAGRAPH.LEFT)
                _cell(cells[1], entry["person"], align=WD_ALIGN_PARAGRAPH.LEFT)
                _cell(cells[2], date_as_printed(entry["date"]), align=WD_ALIGN_PARAGRAPH.RIGHT)
                for cell in cells:
                    cell.paragraphs[0].paragraph_format.space_after = Pt(8)
            self.para(after=6)
            return
        for entry in entries:
            paragraph = self.para(align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, after=10)
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Cm(self.text_width), WD_TAB_ALIGNMENT.RIGHT
            )
            # a long position is typed over two lines, as in the seed, the name after a tab
            lines = _halves(entry["position"]) if len(entry["position"]) > 40 else []
            for line in lines[:-1]:
                paragraph.add_run(line).add_break(WD_BREAK.LINE)
            last = lines[-1] if lines else entry["position"]
            paragraph.add_run(f"{last}\t{entry['person']}")
            paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(date_as_printed(entry["date"]))

    def contents(self) -> None:
        self.centred("Мазмұны", bold=True, after=12)
        toc = self.doc["toc"]
        table = self.out.add_table(rows=len(toc), cols=3)
        _borders(table, "nil")
        _widths(table, [1.0, self.text_width - 2.0, 1.0])
        for row, entry in zip(table.rows, toc, strict=True):
            _cell(row.cells[0], entry["number"], align=WD_ALIGN_PARAGRAPH.LEFT)
            _cell(row.cells[1], entry["title"], align=WD_ALIGN_PARAGRAPH.LEFT)
            page = str(entry["page"]) if entry["page"] else ""
            _cell(row.cells[2], page, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.page_break()

    def body(self) -> None:
        doc = self.doc
        self.centred(doc["title_as_printed"], bold=True)
        self.centred(doc["kind_in_body"], after=12)
        for section in doc["sections"]:
            self.heading(f"{section['number_as_printed']} {section['title_as_printed']}")
            for block in section["blocks"]:
                self.block(block)

    def block(self, block: dict) -> None:
        kind = block["type"]
        if kind == "paragraph":
            self.para(block["text"])
        elif kind == "subheading":
            if self.layout.headings == "styles":
                self.heading(block["title"], 2)
            else:
                self.para(block["title"])
        elif kind == "bullets":
            self.bullets(block["items"])
        elif kind == "reference":
            self.para(f"{block['number']} {block['text']}")
        elif kind == "term":
            paragraph = self.para(f"{block['number']} ")
            paragraph.add_run(block["term"]).bold = True
            self.runs(paragraph, f" – {block['definition']}")
            self.bullets(block.get("items", []))
        elif kind == "clause":
            if block["title"]:
                number_title = f"{block['number']} {block['title']}"
                if self.layout.headings == "styles":
                    self.heading(number_title, 2)
                else:
                    self.para(number_title)
                if block["text"]:
                    self.para(block["text"])
            else:
                self.para(f"{block['number']} {block['text']}")
            if self.layout.narrow_code_cells and block["number"] == "6.1":
                self.code_table(block["items"])
            else:
                self.bullets(block["items"])
        elif kind == "abbreviations":
            self.abbreviations(block["rows"])
        else:  # pragma: no cover - a block kind this writer does not know
            raise ValueError(f"unknown block {kind}")

    def code_table(self, items: list[str]) -> None:
        """Bullets whose form code stands in a narrow ruled column of its own."""
        table = self.out.add_table(rows=len(items), cols=2, style="Table Grid")
        _widths(table, [self.text_width - 2.6, 2.6])
        for row, item in zip(table.rows, items, strict=True):
            text, code = item.rsplit(" (", 1)
            _cell(row.cells[0], text, align=WD_ALIGN_PARAGRAPH.LEFT)
            _cell(row.cells[1], code.rstrip(");"), align=WD_ALIGN_PARAGRAPH.LEFT)

    def abbreviations(self, rows: list[dict]) -> None:
        if self.layout.abbreviations == "dash":
            table = self.out.add_table(rows=len(rows), cols=3)
            _borders(table, "nil")
            _widths(table, [self.text_width - 4.5, 1.0, 3.5])
            for row, entry in zip(table.rows, rows, strict=True):
                _cell(row.cells[0], entry["meaning"], align=WD_ALIGN_PARAGRAPH.LEFT)
                _cell(row.cells[1], "–", align=WD_ALIGN_PARAGRAPH.CENTER)
                _cell(row.cells[2], entry["abbr"], align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            table = self.out.add_table(rows=len(rows), cols=2, style="Table Grid")
            _widths(table, [self.text_width - 4.0, 4.0])
            for row, entry in zip(table.rows, rows, strict=True):
                _cell(row.cells[0], entry["meaning"], align=WD_ALIGN_PARAGRAPH.LEFT)
                _cell(row.cells[1], entry["abbr"], align=WD_ALIGN_PARAGRAPH.LEFT)
        self.para(after=6)

    def register(self) -> None:
        layout = self.layout
        self.out.add_section(WD_SECTION.NEW_PAGE)
        self.centred("Өзгерістерді тіркеу парағы", bold=True, after=12)
        rows = 2 + len(layout.register_rows) + layout.blank_rows
        table = self.out.add_table(rows=rows, cols=6, style="Table Grid")
        size = layout.size - 1.5
        heads = [
            "Өзгерістің реттік нөмірі",
            "Құжаттың бөлімі мен бабы",
            "Өзгерістің түрі (өзгерту, қосу, жою)",
            "Хабарламаның нөмірі мен күні",
        ]
        for column, text in enumerate(heads):
            cell = table.cell(0, column).merge(table.cell(1, column))
            _cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
        _cell(
            table.cell(0, 4).merge(table.cell(0, 5)),
            "Өзгеріс енгізілді",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size=size,
        )
        _cell(table.cell(1, 4), "күні", align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
        _cell(
            table.cell(1, 5),
            "Тегі, аты-жөні, қолы, лауазымы",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size=size,
        )
        keys = ["no", "section_clause", "change_type", "notice_no_date", "entered_date"]
        for index, entry in enumerate(layout.register_rows, start=2):
            cells = table.rows[index].cells
            for column, key in enumerate([*keys, "entered_by"]):
                _cell(cells[column], entry[key], align=WD_ALIGN_PARAGRAPH.LEFT, size=size)
        for row in table.rows[2 + len(layout.register_rows) :]:
            row.height = Cm(0.9)
        _widths(table, [2.0, 2.4, 2.8, 3.0, 2.2, self.text_width - 12.4])

    def write(self, path: Path) -> Path:
        self.furniture()
        self.title_page()
        self.approval_sheet()
        self.contents()
        self.body()
        self.register()
        self.out.save(path)
        return path


def _halves(text: str) -> list[str]:
    """``text`` cut in two at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1 :]]


def _interleave(parts: list[str], joint: tuple[str, str]) -> list[str]:
    out = [parts[0]]
    for part in parts[1:]:
        out += [out.pop() + joint[0], joint[1] + part]
    return out


def build_docx(doc: dict, layout: Layout, directory: Path, *, logo: str = "") -> Path:
    """``doc`` (a ``parse_text`` result) laid out as ``layout``, saved as NAME.docx.

    ``logo`` is the organisation's short name printed above the title page, as in the seed.
    """
    return _Writer(doc, layout, logo).write(directory / f"{layout.name}.docx")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], outdir: Path, *, timeout: float = 180) -> list[Path]:
    """Convert ``files`` to PDF in one headless LibreOffice run, with a private profile."""
    binary = soffice()
    if binary is None:
        raise FileNotFoundError("soffice")
    profile = outdir / "lo-profile"
    env = {**os.environ, "HOME": str(outdir)}
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=env,
    )
    pdfs = [outdir / f"{path.stem}.pdf" for path in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no PDF for {missing}")
    return pdfs
