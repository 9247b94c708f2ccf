"""Write the two seed documents as Word would keep them: tests/corpus/word/*.docx.

    cd /work/main && .venv/bin/python tests/corpus/word/make_docx.py

and their PDFs, as LibreOffice exports them (a Word-made PDF), with ``--pdf``.

The words are the seeds' (``parse_text`` of shared/seeds), the register rows the 715
corpus PDF's; only the form is Word's, as a quality office types it:

- section headings in the "Heading 1" style, numbered by a Word multilevel list linked to
  the style (715: "1", "2" … written in normal case, printed in capitals by the style's
  "All caps"; the mentor: "I.", "II." …, its clauses "2.1." … by a list instance per
  section whose first level starts at the section's number); clauses numbered by the
  lists, not typed — except where the seed's numbers are no continuation of the list
  (the mentor's section VII prints 6.1 and 6.2), which are typed, as people do;
- bullets from a Word bullet list; terms with the term in bold;
- the approval sheet as borderless two-column tables: the position on the left over two or
  three lines (a line break or a new paragraph), the date under it, the person's name on
  the right on the first or the last line of its cell;
- the contents as a Word TOC field (dot leaders, page numbers); abbreviations in a ruled
  two-column table; the revision register with two header rows ("Өзгеріс енгізілді"
  spanning two columns, the others merged down) and blank ruled rows;
- a running header (code, edition, "N беттің X-беті" fields) and a page-number footer,
  which an importer must take for furniture.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SHARED = ROOT.parent / "shared"
SEEDS = {"715": "000_3e6beb1bcf47969b.txt", "mentor": "001_80f74c00af075fd3.txt"}
OUTPUT = {"715": "kaznrtu_715_kp.docx", "mentor": "aru_mentor_kn.docx"}
HEADING_LIST, BULLET_LIST = 90, 91
NAME = re.compile(r"(?:^|\s)(?:[A-ZА-ЯӘҒҚҢӨҰҮҺІ]\.\s?){1,3}[A-ZА-ЯӘҒҚҢӨҰҮҺІ]\w+$")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.test")
    import django

    django.setup()


# --- low-level helpers -------------------------------------------------------------------


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=False):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _field_char(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _field_start(paragraph, instruction: str) -> None:
    """A complex field's start: begin, the instruction, separate (its result follows)."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, result, end), as Word writes one."""
    _field_start(paragraph, f" {instruction} ")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _num_pr(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), str(ilvl))
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), str(num_id))
    num_pr.append(level)
    num_pr.append(number)
    ppr.insert(0, num_pr) if ppr.find(qn("w:pStyle")) is None else ppr.insert(1, num_pr)


def _lines(text: str, parts: int) -> list[str]:
    """``text`` cut into ``parts`` lines of about equal length, at spaces, never leaving a
    line that ends with somebody's name (an initial and a surname)."""
    words = text.split()
    if parts < 2 or len(words) < parts:
        return [text]
    out, rest = [], words
    for left in range(parts, 1, -1):
        target = len(" ".join(rest)) / left
        best = None
        for cut in range(1, len(rest) - left + 2):
            line = " ".join(rest[:cut])
            if NAME.search(line):
                continue
            if best is None or abs(len(line) - target) < abs(len(" ".join(rest[:best])) - target):
                best = cut
        best = best or 1
        out.append(" ".join(rest[:best]))
        rest = rest[best:]
    return [*out, " ".join(rest)]


def date_as_printed(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"«{day}» {month} {year} ж."


# --- the writer --------------------------------------------------------------------------


class WordWriter:
    """One seed document as a Word file; ``doc`` is ``parse_text`` of the seed."""

    roman = False  # section numbers as Roman numerals (the mentor)
    caps_headings = False  # headings typed in normal case, printed in capitals by the style

    def __init__(self, doc: dict, *, typed: bool = False):
        self.doc = doc
        self.typed = typed  # the "typed" layout: see ``build``
        self.out = Document()
        section = self.out.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
        self.width = 21.0 - 4.5
        styles = self.out.styles
        styles["Normal"].font.name = "Times New Roman"
        styles["Normal"].font.size = Pt(12)
        normal = styles["Normal"].paragraph_format
        normal.space_after, normal.space_before, normal.line_spacing = Pt(0), Pt(0), 1.0
        heading = styles["Heading 1"]
        heading.font.size = Pt(12)
        heading.font.all_caps = self.caps_headings
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
        self._lists()
        self.counters: list[int] = []  # what Word's heading list would number next

    # numbering

    def _lists(self) -> None:
        """A multilevel list for headings and clauses (linked to "Heading 1") and a bullet
        list, added to the template's numbering part."""
        if self.roman:
            levels = [("upperRoman", "%1.", False), ("decimal", "%1.%2.", False)]
        else:
            levels = [("decimal", "%1", False), ("decimal", "%1.%2", False)]
        levels.append(("decimal", "%1.%2.%3", False))
        xml = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{HEADING_LIST}">']
        xml.append('<w:multiLevelType w:val="multilevel"/>')
        for ilvl, (fmt, text, legal) in enumerate(levels):
            xml.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                + ("<w:isLgl/>" if legal else "")
                + f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                + ('<w:pStyle w:val="Heading1"/>' if ilvl == 0 else "")
                + "</w:lvl>"
            )
        xml.append("</w:abstractNum>")
        heading = parse_xml("".join(xml))
        bullet = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{BULLET_LIST}">'
            '<w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="–"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
        numbering = self.out.part.numbering_part.element
        first_num = numbering.find(qn("w:num"))
        for abstract in (heading, bullet):
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
        for num_id in (HEADING_LIST, BULLET_LIST):
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                    f'<w:abstractNumId w:val="{num_id}"/></w:num>'
                )
            )
        # "Heading 1" is numbered by the list's first level
        style = self.out.styles["Heading 1"].element
        ppr = style.get_or_add_pPr()
        ppr.insert(
            0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{HEADING_LIST}"/></w:numPr>')
        )

    def auto(self, number: str) -> int | None:
        """The list level that numbers ``number`` next, or None when Word would print
        another number there (the number is then typed)."""
        parts = [p for p in number.rstrip(".").split(".") if p]
        if self.roman and len(parts) == 1:
            values = [_roman(parts[0])]
        elif all(p.isdigit() for p in parts):
            values = [int(p) for p in parts]
        else:
            return None
        depth = len(values) - 1
        expected = [
            *self.counters[:depth],
            (self.counters[depth] if depth < len(self.counters) else 0) + 1,
        ]
        if len(self.counters) < depth or values != expected:
            return None
        self.counters = expected
        return depth

    # paragraphs

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: float = 1.25,
        after: float = 0,
        style: str | None = None,
    ):
        paragraph = self.out.add_paragraph(style=style)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Cm(indent)
        fmt.space_after = Pt(after)
        paragraph.alignment = align
        for i, line in enumerate(text.split("\n")):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if line:
                paragraph.add_run(line).bold = bold
        return paragraph

    def centred(self, text: str, *, bold: bool = False, after: float = 6):
        return self.para(text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=after)

    def numbered(self, number: str, text: str = "", *, bold_term: str | None = None):
        """A clause: numbered by the list when Word would give it this number, else typed."""
        depth = None if self.typed else self.auto(number)
        paragraph = self.para()
        if depth is not None and self.roman:
            _num_pr(paragraph, self.clause_list(self.counters[0]), depth)
            paragraph.paragraph_format.first_line_indent = Cm(1.25)
        elif depth is not None:
            _num_pr(paragraph, HEADING_LIST, depth)
            paragraph.paragraph_format.first_line_indent = Cm(1.25)
        else:
            paragraph.add_run(f"{number} ")
        if bold_term:
            paragraph.add_run(bold_term).bold = True
            paragraph.add_run(f" – {text}")
        elif text:
            paragraph.add_run(text)
        return paragraph

    def clause_list(self, section: int) -> int:
        """Under Roman section numbers, clauses "2.1." … come from a list of their own per
        section, whose (unprinted) first level starts at the section's number, as Word
        makes with "Set numbering value" (LibreOffice prints neither the "legal
        numbering" one list would need nor a start override of an unused level)."""
        num_id = 100 + section
        numbering = self.out.part.numbering_part.element
        if numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']") is None:
            first_num = numbering.find(qn("w:num"))
            first_num.addprevious(
                parse_xml(
                    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
                    '<w:multiLevelType w:val="multilevel"/>'
                    f'<w:lvl w:ilvl="0"><w:start w:val="{section}"/><w:numFmt w:val="decimal"/>'
                    '<w:lvlText w:val="%1."/></w:lvl>'
                    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                    '<w:suff w:val="space"/><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>'
                )
            )
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                    f'<w:abstractNumId w:val="{num_id}"/></w:num>'
                )
            )
        return num_id

    def heading(self, section: dict) -> None:
        if self.typed:  # a bold paragraph, its number typed
            number = section["number_as_printed"]
            self.para(f"{number} {section['title_as_printed']}", bold=True, indent=1.25, after=6)
            return
        printed = section["title_as_printed"]
        title = printed.lower()[:1].upper() + printed.lower()[1:] if self.caps_headings else printed
        if self.auto(section["number"]) is None:
            raise ValueError(f"section {section['number']} is not the list's next number")
        self.out.add_paragraph(title, style="Heading 1")

    def bullets(self, items: list[str]) -> None:
        for item in items:
            if self.typed:
                self.para(f"– {item}", indent=1.25)
                continue
            paragraph = self.para(item, indent=0)
            _num_pr(paragraph, BULLET_LIST, 0)

    def page_break(self) -> None:
        self.out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # the approval sheet: borderless two-column tables

    def signatures(self, entries: list[dict]) -> None:
        table = self.out.add_table(rows=len(entries), cols=2)
        _no_borders(table)
        _widths(table, [self.width - 5.0, 5.0])
        if self.typed:  # the name in the left column, position and date on the right
            _widths(table, [5.0, self.width - 5.0])
        for n, (row, entry) in enumerate(zip(table.rows, entries, strict=True)):
            left, right = row.cells
            if self.typed:
                left, right = right, left
            parts = 3 if len(entry["position"]) > 70 else 2 if len(entry["position"]) > 30 else 1
            lines = _lines(entry["position"], parts)
            first = left.paragraphs[0]
            if n % 3 == 1:  # the position's lines cut by line breaks in one paragraph
                for i, line in enumerate(lines):
                    if i:
                        first.add_run().add_break(WD_BREAK.LINE)
                    first.add_run(line)
            else:  # one paragraph per line, as when Enter is pressed in the cell
                first.add_run(lines[0])
                for line in lines[1:]:
                    left.add_paragraph(line)
            if entry.get("date"):
                left.add_paragraph(date_as_printed(entry["date"]))
            if n % 2:  # the name on the last line of its cell, level with the date
                right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
                for _ in range(len(left.paragraphs) - 2):
                    right.add_paragraph("")
                right.add_paragraph(entry["person"])
            else:  # the name on the first line, level with the position's first line
                right.paragraphs[0].add_run(entry["person"])
            for cell in (left, right):
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(0)
                cell.paragraphs[-1].paragraph_format.space_after = Pt(10)
        self.para(after=6)

    # furniture

    def furniture(self, header: str) -> None:
        section = self.out.sections[0]
        if self.typed:  # the running header as a ruled table of three cells
            table = section.header.add_table(1, 3, Cm(self.width))
            table.style = self.out.styles["Table Grid"]
            cells = table.rows[0].cells
            for cell, text in zip(cells, [*header.split("\t", 1), ""], strict=False):
                cell.paragraphs[0].add_run(text)
            page = cells[2].paragraphs[0]
            _field(page, "NUMPAGES", "1")
            page.add_run(" беттің ")
            _field(page, "PAGE", "1")
            page.add_run("-беті")
            return
        paragraph = section.header.paragraphs[0]
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(self.width), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"{header}\t")
        _field(paragraph, "NUMPAGES", "1")
        paragraph.add_run(" беттің ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run("-беті")
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE", "1")

    # the body

    def body(self) -> None:
        for section in self.doc["sections"]:
            self.heading(section)
            for block in section["blocks"]:
                self.block(block)

    def block(self, block: dict) -> None:
        kind = block["type"]
        if kind == "paragraph":
            self.para(block["text"])
        elif kind == "subheading":
            self.para(block["title"], bold=True)
        elif kind == "bullets":
            self.bullets(block["items"])
        elif kind == "reference":
            self.numbered(block["number"], block["text"])
        elif kind == "term":
            self.numbered(block["number"], block["definition"], bold_term=block["term"])
            self.bullets(block.get("items", []))
        elif kind == "clause":
            if block["title"]:
                self.numbered(block["number"], block["title"])
                if block["text"]:
                    for text in block["text"].split("\n"):
                        self.para(text)
            else:
                self.numbered(block["number"], block["text"])
            self.bullets(block["items"])
        elif kind == "abbreviations":
            table = self.out.add_table(rows=len(block["rows"]), cols=2, style="Table Grid")
            _widths(table, [self.width - 4.0, 4.0])
            for row, entry in zip(table.rows, block["rows"], strict=True):
                row.cells[0].paragraphs[0].add_run(entry["meaning"])
                row.cells[1].paragraphs[0].add_run(entry["abbr"])
            self.para(after=6)
        else:  # pragma: no cover
            raise ValueError(f"unknown block {kind}")

    def save(self, path: Path) -> Path:
        # fixed document properties: the same seed always gives the same file
        props = self.out.core_properties
        props.author = props.last_modified_by = "Sapa test corpus"
        import datetime

        props.created = props.modified = datetime.datetime(2024, 1, 1)
        props.revision = 1
        self.out.save(path)
        return path


class Procedure715(WordWriter):
    caps_headings = True

    def __init__(self, doc: dict, register: list[dict], **options):
        super().__init__(doc, **options)
        self.register_rows = register

    def edition_line(self) -> str:
        edition = self.doc["edition"]
        year, month, day = edition["date"].split("-")
        return f"{year} жылғы «{day}» {month} {edition['label']}"

    def write(self, path: Path) -> Path:
        doc = self.doc
        org = doc["organization"]
        self.furniture(f"{doc['code']}\t{self.edition_line()}")
        self.para("ҚАЗ ҰТЗУ", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
        self.centred(org["ministry"], bold=True)
        self.centred(org["full_as_printed"], bold=True, after=18)
        for text in (doc["qms_level"], doc["kind_label"], doc["code"]):
            self.centred(text)
        self.centred(self.edition_line(), after=60)
        self.centred(doc["title_as_printed"], bold=True, after=12)
        self.centred(doc["code"], after=200)
        self.centred(f"{doc['city']} {doc['year']}")
        self.page_break()
        developer = doc["developed_by"]
        self.centred("АЛҒЫ СӨЗ", bold=True, after=12)
        paragraph = self.para(f"1 {org['name']} {developer['unit_as_printed']} ", after=12)
        paragraph.add_run("ӘЗІРЛЕНДІ.").bold = True
        self.signatures([developer])
        self.para("2 КЕЛІСІЛДІ:", after=12)
        self.signatures(doc["agreed_by"])
        self.para(f"3 {doc['approval']['as_printed']}", after=12)
        self.para(f"4 {doc['introduced']['as_printed']}", after=12)
        self.page_break()
        self.contents()
        self.centred(doc["title_as_printed"], bold=True)
        self.centred(doc["kind_in_body"], after=12)
        self.body()
        self.register()
        return self.save(path)

    def contents(self) -> None:
        """A Word TOC field: one "TOC 1" paragraph per entry, dot leaders to the page."""
        self.centred("Мазмұны", bold=True, after=12)
        page = 5
        toc = self.doc["toc"]
        if self.typed:  # a borderless table: number | title | page
            table = self.out.add_table(rows=len(toc), cols=3)
            _no_borders(table)
            _widths(table, [1.2, self.width - 2.4, 1.2])
            for row, entry in zip(table.rows, toc, strict=True):
                page = entry["page"] or page + 1
                cells = [entry["number"], entry["title"], str(page)]
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.paragraphs[0].add_run(text)
                row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.page_break()
            return
        for i, entry in enumerate(toc):
            paragraph = self.para(align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
            stops = paragraph.paragraph_format.tab_stops
            stops.add_tab_stop(Cm(1.0))
            stops.add_tab_stop(Cm(self.width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            if i == 0:
                _field_start(paragraph, ' TOC \\o "1-1" \\h \\z ')
            page = entry["page"] or page + 1
            number = f"{entry['number']}\t" if entry["number"] else ""
            paragraph.add_run(f"{number}{entry['title']}\t{page}")
            if i == len(toc) - 1:
                _field_char(paragraph, "end")
        self.page_break()

    def register(self) -> None:
        self.page_break()
        self.centred("Өзгерістерді тіркеу парағы", bold=True, after=12)
        blank = 5
        rows = 2 + len(self.register_rows) + blank
        table = self.out.add_table(rows=rows, cols=6, style="Table Grid")
        heads = [
            "Өзгерістің реттік нөмірі",
            "Құжаттың бөлімі мен бабы",
            "Өзгерістің түрі (өзгерту, қосу, жою)",
            "Хабарламаның нөмірі мен күні",
        ]
        for column, text in enumerate(heads):
            table.cell(0, column).merge(table.cell(1, column)).paragraphs[0].add_run(text)
        table.cell(0, 4).merge(table.cell(0, 5)).paragraphs[0].add_run("Өзгеріс енгізілді")
        table.cell(1, 4).paragraphs[0].add_run("күні")
        table.cell(1, 5).paragraphs[0].add_run("Тегі, аты-жөні, қолы, лауазымы")
        keys = [
            "no",
            "section_clause",
            "change_type",
            "notice_no_date",
            "entered_date",
            "entered_by",
        ]
        for index, entry in enumerate(self.register_rows, start=2):
            for column, key in enumerate(keys):
                table.rows[index].cells[column].paragraphs[0].add_run(entry[key])
        _widths(table, [2.0, 2.4, 2.8, 3.0, 2.2, self.width - 12.4])


class Mentor(WordWriter):
    roman = True

    def __init__(self, doc: dict, seed_text: str, **options):
        super().__init__(doc, **options)
        self.seed = seed_text

    def front(self) -> list[str]:
        """The seed's title page and approval block, paragraph by paragraph, up to the
        developer (the signatures that follow are written as tables)."""
        text = self.seed.replace("**", "").split("ӘЗІРЛЕГЕН")[0]
        return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]

    def write(self, path: Path) -> Path:
        doc = self.doc
        self.furniture("Қызметтік нұсқаулық · ментор")
        for text in self.front():
            right = (
                text.startswith("«БЕКІТЕМІН»") or text.startswith("«Қ.Жұбанов") or "_____" in text
            )
            align = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
            bold = text.isupper() or "министрлігі" in text
            self.para(text, bold=bold, align=align, indent=0, after=6)
        self.page_break()
        self.para("ӘЗІРЛЕГЕН", bold=True, indent=0, after=6)
        self.signatures([doc["developed_by"]])
        self.para("КЕЛІСІЛДІ", bold=True, indent=0, after=6)
        self.signatures(doc["agreed_by"])
        self.para(doc["validity"]["as_printed"], indent=0, after=6)
        self.para(doc["introduced"]["as_printed"], indent=0, after=6)
        self.page_break()
        self.body()
        return self.save(path)


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""], strict=True):
        total += -values[ch] if nxt and values[nxt] > values[ch] else values[ch]
    return total


def build(directory: Path = HERE) -> list[Path]:
    """Both documents as .docx in ``directory``, in two layouts; returns their paths.

    NAME.docx: Word's own numbering, heading styles and bullets (see the module).
    NAME-typed.docx: what people type instead: numbers typed, headings as bold paragraphs,
    "– " typed for bullets, the signatory's name in the approval tables' left column, the
    contents as a borderless table, the running header as a ruled three-cell table."""
    from sapa.documents.importing.text import parse_text

    texts = {
        key: (SHARED / "seeds" / name).read_text(encoding="utf-8") for key, name in SEEDS.items()
    }
    parsed = {key: parse_text(text, filename=SEEDS[key]) for key, text in texts.items()}
    corpus = json.loads((SHARED / "corpus" / "kaznrtu_715_kp.json").read_text(encoding="utf-8"))
    register = corpus["revision_register"]["rows_added"]
    out = []
    for typed, suffix in ((False, ""), (True, "-typed")):
        name = {key: OUTPUT[key].replace(".docx", f"{suffix}.docx") for key in OUTPUT}
        out.append(
            Procedure715(parsed["715"], register, typed=typed).write(directory / name["715"])
        )
        out.append(
            Mentor(parsed["mentor"], texts["mentor"], typed=typed).write(directory / name["mentor"])
        )
    return out


def to_pdf(files: list[Path], directory: Path = HERE) -> list[Path]:
    """The .docx files exported to PDF by headless LibreOffice, with a private profile."""
    import shutil
    import subprocess
    import tempfile

    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise SystemExit("LibreOffice (soffice) is needed for --pdf")
    with tempfile.TemporaryDirectory(prefix="sapa-make-docx-") as home:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation={Path(home, 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(directory),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": home},
        )
    return [directory / f"{path.stem}.pdf" for path in files]


if __name__ == "__main__":
    _setup_django()
    written = build()
    if "--pdf" in sys.argv:
        written += to_pdf(written)
    for path in written:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
