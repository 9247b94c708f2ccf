"""A Word document (.docx) -> paragraph text -> the importer's intermediate dict.

``docx_to_text`` reads the body of a .docx in document order and writes the same
blank-line-separated paragraph text that ``pdf.pdf_to_text`` makes of a PDF, so that
``text.parse_text`` finds the same title page, approval sheet, contents, sections and
clauses, and ``parse_docx`` gives the same draft as the PDF of the same document:

- every Word paragraph is a paragraph; a manual line break is a line inside it; a tab is
  "\\t"; text marked "All caps" is written in capitals, as it is printed; hidden and deleted
  text is left out, inserted text kept;
- automatic numbering is computed from the numbering part (``word/numbering.xml``): the
  list levels' formats ("%1.%2", Roman, letters, "legal" numbering), start values,
  overrides and restarts, from the paragraph or from its style (a "Heading 1" linked to a
  list), so "2.1" is found whether it was typed or numbered by Word; a bullet is "- ";
- headings ("Heading N" styles, an outline level, or a paragraph typed all in bold) are
  passed to ``parse_text`` as known section titles, so a heading written in normal case is
  a section too, as in the contents;
- tables: the revision register (two header rows, "Өзгеріс енгізілді" spanning two
  columns, merged cells read through the grid) goes straight to data; every other table
  row becomes a paragraph: one line of tab-separated cells (contents, abbreviations,
  "position | name"), or, where a cell holds several lines (a borderless approval sheet:
  the position over two or three lines with the date under it, the name on the first or
  last line of the next cell), the cells' lines with the name last;
- headers and footers are page furniture: they live in parts of their own and are never
  read; footnotes are kept, their mark in the text ("¹") and their text as a paragraph
  after the one citing them; images, drawings and text boxes are dropped, with a warning.

Why python-docx rather than mammoth: mammoth turns a document into HTML for reading and
decides for us what to keep; its HTML has no tab stops (the cells of a contents line or a
"position<tab>name" line run together), no numbering (Word's automatic "2.1" becomes a
bare ``<ol>`` whose numbers a browser invents, Roman numerals and restarts lost), and it
flattens merged table cells. The importer needs exactly those: python-docx gives the
document's XML (paragraphs, runs, styles, numbering, table grid) with nothing thrown
away, is already a dependency (the test corpus is written with it), and adds nothing new
to install.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .errors import DocumentImportError
from .pdfread.tables import is_register
from .textparse.body import abbreviation_row
from .textparse.common import NAME_RE, squash
from .textparse.layout import REGISTER_COLUMNS, _register_row
from .textparse.signatures import is_date_line

__all__ = ["DocxText", "docx_to_text", "is_docx_head", "parse_docx"]

ZIP_MAGIC = b"PK\x03\x04"
#: An OLE compound file: Word 97-2003 (.doc), or a password-protected .docx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Refuse a "document" whose XML unpacks to more than this (a zip bomb, not a procedure).
MAX_UNPACKED = 200 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FOOTNOTES_REL = "/footnotes"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SECTION_NUMBER_RE = re.compile(r"^(?:\d{1,2}\.?|[IVXL]{1,6}\.)\s+(?P<title>\S.*)$")
_NUMBER_RE = re.compile(r"^\d{1,3}\.?$")
Source = str | os.PathLike | BinaryIO | bytes


@cache
def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _find_in(element, parent: str, tag: str):
    """``element.find("w:parent/w:tag")``: the first ``tag`` inside a ``parent`` child, in
    document order; without ElementPath's parsing of the path on every paragraph."""
    for holder in element.iterchildren(w(parent)):
        found = holder.find(w(tag))
        if found is not None:
            return found
    return None


_IMAGES = {w("drawing"), w("pict"), w("object")}
_RPR, _RSTYLE = w("rPr"), w("rStyle")
_SKIP = {
    w("del"),
    w("moveFrom"),
    w("rPr"),
    w("pPr"),
    w("instrText"),
    w("delText"),
    f"{{{MC}}}Fallback",
}


@dataclass
class DocxText:
    """The document as paragraph text, its register rows, headings and reading warnings."""

    text: str
    register: list[dict] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_docx_head(head: bytes) -> bool:
    """The first bytes of a ZIP archive (a .docx is one; the reader checks it is Word's)."""
    return head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06")


def parse_docx(source: Source, *, filename: str = "") -> dict:
    """``docx_to_text`` then ``parse_text``; adds the register rows and the warnings."""
    from .text import parse_text

    if not filename and isinstance(source, (str, os.PathLike)):
        filename = Path(source).name
    read = docx_to_text(source)
    result = parse_text(read.text, filename=filename, headings=read.headings)
    if read.register:
        result["register"] = read.register
    result["warnings"] = [*read.warnings, *result["warnings"]]
    return result


def docx_to_text(source: Source) -> DocxText:
    """Read a .docx (path, bytes or binary file object) into paragraph text; see the module."""
    data = _bytes(source)
    if data.startswith(OLE_MAGIC):
        raise DocumentImportError("legacy_office")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentImportError("docx_corrupt", detail=str(exc) or type(exc).__name__) from exc
    if "word/document.xml" not in names:
        raise DocumentImportError("not_docx")
    if unpacked > MAX_UNPACKED:
        raise DocumentImportError(
            "docx_too_large", size=unpacked // (1024 * 1024), limit=MAX_UNPACKED // (1024 * 1024)
        )
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx raise many kinds for a broken file
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise DocumentImportError("docx_corrupt", detail=detail[:300]) from exc
    try:
        return _Reader(document).read()
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # a part that breaks Word's rules (a level "start" that is no number, …)
        raise DocumentImportError(
            "docx_corrupt", detail=f"{type(exc).__name__}: {exc}"[:300]
        ) from exc


def _bytes(source: Source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        return Path(source).read_bytes()
    return source.read()


def _on(element) -> bool:
    """A toggle property (<w:b/>, <w:caps w:val="0"/>) as a bool."""
    return element.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


# --- styles ------------------------------------------------------------------------------


class _Styles:
    """Style look-ups along the ``basedOn`` chain: run flags, numbering, heading-ness."""

    def __init__(self, root):
        self.by_id = {}
        self.default_paragraph = None
        self.defaults = None
        # the look-ups below depend on the styles part alone: each is made once per document
        self._flags: dict[tuple[str | None, str], bool | None] = {}
        self._default_flags: dict[str, bool] = {}
        self._num_prs: dict[str | None, tuple[str | None, str | None]] = {}
        self._headings: dict[str | None, bool] = {}
        if root is None:
            return
        for style in root.iter(w("style")):
            style_id = style.get(w("styleId"))
            self.by_id[style_id] = style
            if style.get(w("type")) == "paragraph" and _on_attr(style.get(w("default"))):
                self.default_paragraph = style_id
        self.defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen and len(seen) < 20:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None

    def flag(self, style_id: str | None, tag: str) -> bool | None:
        key = (style_id, tag)
        if key not in self._flags:
            self._flags[key] = self._flag(style_id, tag)
        return self._flags[key]

    def _flag(self, style_id: str | None, tag: str) -> bool | None:
        for style in self.chain(style_id):
            found = style.find(f"{w('rPr')}/{w(tag)}")
            if found is not None:
                return _on(found)
        return None

    def default_flag(self, tag: str) -> bool:
        if tag not in self._default_flags:
            found = self.defaults.find(w(tag)) if self.defaults is not None else None
            self._default_flags[tag] = _on(found) if found is not None else False
        return self._default_flags[tag]

    def num_pr(self, style_id: str | None) -> tuple[str | None, str | None]:
        if style_id not in self._num_prs:
            self._num_prs[style_id] = self._num_pr(style_id)
        return self._num_prs[style_id]

    def _num_pr(self, style_id: str | None) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        for style in self.chain(style_id):
            pr = style.find(f"{w('pPr')}/{w('numPr')}")
            if pr is None:
                continue
            if num_id is None and pr.find(w("numId")) is not None:
                num_id = pr.find(w("numId")).get(w("val"))
            if ilvl is None and pr.find(w("ilvl")) is not None:
                ilvl = pr.find(w("ilvl")).get(w("val"))
        return num_id, ilvl

    def is_heading(self, style_id: str | None) -> bool:
        if style_id not in self._headings:
            self._headings[style_id] = self._is_heading(style_id)
        return self._headings[style_id]

    def _is_heading(self, style_id: str | None) -> bool:
        for style in self.chain(style_id):
            name = style.find(w("name"))
            if name is not None and re.match(
                r"(?i)^(heading|заголовок|тақырып)\s*\d", name.get(w("val"), "")
            ):
                return True
            level = style.find(f"{w('pPr')}/{w('outlineLvl')}")
            if level is not None and level.get(w("val"), "9") not in ("9",):
                return True
        return False


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


# --- numbering ---------------------------------------------------------------------------


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None
    legal: bool = False


class _Numbering:
    """Word's automatic numbers: the label each numbered paragraph prints, in order."""

    def __init__(self, root, styles: _Styles):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstract id -> numbering style it follows
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = styles
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            key = abstract.get(w("abstractNumId"))
            self.abstract[key] = {
                int(lvl.get(w("ilvl"), "0")): _level(lvl) for lvl in abstract.iter(w("lvl"))
            }
            link = abstract.find(w("numStyleLink"))
            if link is not None:
                self.links[key] = link.get(w("val"))
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is None:
                continue
            starts, levels = {}, {}
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                start = override.find(w("startOverride"))
                if start is not None:
                    starts[ilvl] = int(start.get(w("val"), "1"))
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(w("numId"))] = (ref.get(w("val")), starts, levels)

    def _abstract_of(self, num_id: str, depth: int = 0) -> str | None:
        if num_id not in self.nums or depth > 5:
            return None
        abstract = self.nums[num_id][0]
        style = self.links.get(abstract)
        if style:  # a list that follows a numbering style: the style's own list
            linked, _ilvl = self.styles.num_pr(style)
            if linked and linked != num_id:
                return self._abstract_of(linked, depth + 1) or abstract
        return abstract

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        abstract = self._abstract_of(num_id)
        if abstract is None:
            return None
        own = self.nums[num_id][2].get(ilvl)
        return own or self.abstract.get(abstract, {}).get(ilvl)

    def label(self, num_id: str | None, ilvl: int) -> tuple[str, str] | None:
        """(label as printed, format) of the next paragraph of list ``num_id`` at ``ilvl``."""
        if not num_id or num_id == "0":
            return None
        abstract = self._abstract_of(num_id)
        level = self.level(num_id, ilvl)
        if abstract is None or level is None:
            return None
        # A list instance that overrides a start value ("restart numbering", or a
        # section's clauses "2.1" … with level one started at 2) counts on its own; the
        # others count along with every instance of the same definition.
        overrides = self.nums[num_id][1]
        counters = self.counters.setdefault(f"num:{num_id}" if overrides else abstract, {})

        def start_of(at: int) -> int:
            return overrides.get(at, (self.level(num_id, at) or _Level()).start)

        if level.fmt == "bullet":
            return "-", "bullet"
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [d for d in counters if d > ilvl]:
            lower = self.level(num_id, deeper)
            restart = lower.restart if lower and lower.restart is not None else deeper
            if ilvl + 1 <= restart:
                del counters[deeper]

        def value(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            other = self.level(num_id, at) or _Level()
            number = counters.get(at, start_of(at))
            return _format(number, "decimal" if level.legal else other.fmt)

        return re.sub(r"%([1-9])", value, level.text), level.fmt


def _level(lvl) -> _Level:
    def val(tag: str, default: str | None = None) -> str | None:
        found = lvl.find(w(tag))
        return found.get(w("val"), default) if found is not None else default

    legal = lvl.find(w("isLgl"))
    restart = val("lvlRestart")
    return _Level(
        fmt=val("numFmt", "decimal") or "decimal",
        text=val("lvlText", "") or "",
        start=int(val("start", "1") or 1),
        restart=int(restart) if restart is not None else None,
        legal=legal is not None and _on(legal),
    )


_ROMAN = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"


def _format(number: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", number
        for value, letters in _ROMAN:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("russianLower", "russianUpper"):
        letter = _RUSSIAN[(number - 1) % len(_RUSSIAN)]
        return letter.upper() if fmt == "russianUpper" else letter
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)


# --- the reader --------------------------------------------------------------------------


class _Reader:
    def __init__(self, document):
        part = document.part
        self.styles = _Styles(_related(part, RT.STYLES))
        self.numbering = _Numbering(_related(part, RT.NUMBERING), self.styles)
        self.footnotes = _footnotes(part)
        self.body = document.element.body
        self.paragraphs: list[str] = []
        self.headings: list[str] = []
        self.register: list[dict] = []
        self.warnings: list[str] = []
        self.images = 0
        self.notes: list[str] = []  # footnotes cited by the paragraph being read
        self.note_count = 0

    def read(self) -> DocxText:
        self.container(self.body)
        if self.images:
            self.warnings.insert(
                0,
                _(
                    "%(count)s image(s) or drawing(s) dropped: pictures are not imported; "
                    "add them to the draft by hand if the document needs them"
                )
                % {"count": self.images},
            )
        return DocxText("\n\n".join(self.paragraphs), self.register, self.headings, self.warnings)

    # block level

    def container(self, element) -> None:
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child)
            elif child.tag == w("tbl"):
                self.table(child)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self.container(content if content is not None else child)

    def paragraph(self, p) -> None:
        lines, heading = self.paragraph_lines(p)
        text = "\n".join(line for line in lines if line)
        if heading and text and len(lines) <= 2:
            match = _SECTION_NUMBER_RE.match(squash(text))
            if match or heading == "style":
                self.headings.append(match.group("title") if match else squash(text))
        if text:
            self.paragraphs.append(text)
        self.flush_notes()

    def flush_notes(self) -> None:
        self.paragraphs += [note for note in self.notes if note]
        self.notes = []

    def paragraph_lines(self, p, *, in_table: bool = False) -> tuple[list[str], str]:
        """The paragraph's lines (numbering label first), and "style" for a heading by its
        style or outline level, "bold" for a paragraph typed all in bold, else ""."""
        style_id = self.paragraph_style(p)
        runs = _Runs(self, style_id)
        runs.walk(p)
        text = runs.text()
        label = self.number_label(p, style_id)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        lines = [line.strip(" \t") for line in text.split("\n")]
        heading = ""
        if not in_table and (self.styles.is_heading(style_id) or _outline(p)):
            heading = "style"
        elif not in_table and runs.all_bold():
            heading = "bold"
        return lines, heading

    def paragraph_style(self, p) -> str | None:
        found = _find_in(p, "pPr", "pStyle")
        return found.get(w("val")) if found is not None else self.styles.default_paragraph

    def number_label(self, p, style_id: str | None) -> str | None:
        pr = _find_in(p, "pPr", "numPr")
        num_id = ilvl = None
        if pr is not None:
            if pr.find(w("numId")) is not None:
                num_id = pr.find(w("numId")).get(w("val"))
            if pr.find(w("ilvl")) is not None:
                ilvl = pr.find(w("ilvl")).get(w("val"))
        if num_id is None or ilvl is None:
            style_num, style_ilvl = self.styles.num_pr(style_id)
            num_id = num_id or style_num
            ilvl = ilvl or style_ilvl
        found = self.numbering.label(num_id, int(ilvl or 0))
        return found[0] if found else None

    def table(self, tbl) -> None:
        rows = self.grid(tbl)
        texts = [[squash(" ".join(line for line in cell if line)) for cell in row] for row in rows]
        if texts and is_register(texts):
            self.register_rows(texts)
            return
        lines: list[str] = []  # consecutive one-line rows: one paragraph, as a PDF's table
        for row in rows:
            cells = [[line for line in cell if line] for cell in row]
            cells = [cell for cell in cells if cell]
            if not cells:
                continue
            names = [cell for cell in cells if all(_is_name(line) for line in cell)]
            if all(len(cell) == 1 for cell in cells) and not names:
                filled = [cell[0] for cell in cells]
                abbreviation = abbreviation_row(filled) if len(filled) == 2 else None
                if abbreviation:
                    filled = [abbreviation["meaning"], "–", abbreviation["abbr"]]
                lines.append("\t".join(filled))
                continue
            if lines:
                self.paragraphs.append("\n".join(lines))
                lines = []
            if all(len(cell) == 1 for cell in cells):
                # one signature, "position<tab>name<tab>date" in whatever order it was typed
                texts = [cell[0] for cell in cells]
                dates = [text for text in texts if is_date_line(text)]
                names_first = [text for text in texts if _is_name(text)]
                rest = [text for text in texts if text not in dates and text not in names_first]
                self.paragraphs.append("\t".join([*rest, *names_first, *dates]))
            else:
                # A layout row (a borderless approval sheet): the position's lines and the
                # date under it, then the name, whichever cell and line it stands on.
                others = [line for cell in cells if cell not in names for line in cell]
                self.paragraphs.append(
                    "\n".join([*others, *(line for cell in names for line in cell)])
                )
        if lines:
            self.paragraphs.append("\n".join(lines))
        self.flush_notes()

    def grid(self, tbl) -> list[list[list[str]]]:
        """Rows of cells (each a list of lines) laid on the table's grid: a cell spanning
        columns fills the first and leaves the others empty; a vertically merged cell's
        text stands in its first row."""
        rows = []
        for tr in tbl.iter(w("tr")):
            if tr.getparent() is not tbl:
                continue
            row: list[list[str]] = []
            for tc in tr.findall(w("tc")):
                span = _find_in(tc, "tcPr", "gridSpan")
                merge = _find_in(tc, "tcPr", "vMerge")
                continued = merge is not None and merge.get(w("val"), "continue") == "continue"
                lines = [] if continued else self.cell_lines(tc)
                row.append(lines)
                row += [
                    [] for _ in range(int(span.get(w("val"), "1")) - 1 if span is not None else 0)
                ]
            rows.append(row)
        return rows

    def cell_lines(self, tc) -> list[str]:
        lines: list[str] = []
        for child in tc:
            if child.tag == w("p"):
                lines += self.paragraph_lines(child, in_table=True)[0]
            elif child.tag == w("tbl"):
                for row in self.grid(child):
                    lines += [line for cell in row for line in cell]
            elif child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                for p in (content if content is not None else child).iter(w("p")):
                    lines += self.paragraph_lines(p, in_table=True)[0]
        return [line for line in lines if line]

    def register_rows(self, rows: list[list[str]]) -> None:
        width = len(REGISTER_COLUMNS)
        blank = 0
        for index, cells in enumerate(rows, start=1):
            if not any(cells):
                blank += 1
                continue
            first = cells[0]
            if not _NUMBER_RE.match(first):
                if self.register or index > 3:
                    self.warnings.append(
                        _(
                            "revision register, row %(row)s: not understood (no change number "
                            "in the first column): «%(text)s»"
                        )
                        % {"row": index, "text": " | ".join(c for c in cells if c)[:80]}
                    )
                continue
            cells = [*cells[: width - 1], " ".join(c for c in cells[width - 1 :] if c)]
            cells += [""] * (width - len(cells))
            row = dict(zip(REGISTER_COLUMNS, cells, strict=True))
            row["no"] = first.rstrip(".")
            self.register.append(_register_row(row))
        if blank:
            self.warnings.append(
                _("%(count)s blank row(s) of the revision register skipped (not entries)")
                % {"count": blank}
            )


def _is_name(line: str) -> bool:
    return bool(NAME_RE.match(line.strip(" _-–")))


def _outline(p) -> bool:
    level = _find_in(p, "pPr", "outlineLvl")
    return level is not None and level.get(w("val"), "9") != "9"


class _Runs:
    """The text of one paragraph, run by run."""

    def __init__(self, reader: _Reader, style_id: str | None):
        self.reader = reader
        self.style_id = style_id
        self.parts: list[str] = []
        self.bold: list[bool] = []

    def text(self) -> str:
        return "".join(self.parts)

    def all_bold(self) -> bool:
        return bool(self.bold) and all(self.bold)

    def flag(self, props: dict, tag: str) -> bool:
        """A run's toggle property ``tag``: its own, its character style's, the paragraph
        style's or the document default; ``props``: the run's properties by tag."""
        direct = props.get(w(tag))
        if direct is not None:
            return _on(direct)
        styles = self.reader.styles
        rstyle = props.get(_RSTYLE)
        if rstyle is not None:
            found = styles.flag(rstyle.get(w("val")), tag)
            if found is not None:
                return found
        found = styles.flag(self.style_id, tag)
        return found if found is not None else styles.default_flag(tag)

    def walk(self, element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == w("r"):
                self.run(child)
            elif tag in _IMAGES:
                self.reader.images += 1
            elif tag in (w("p"), w("tbl")):
                continue  # a text box's content inside a drawing's alternate content
            else:
                self.walk(child)

    def run(self, r) -> None:
        props: dict = {}
        rpr = r.find(_RPR)
        for prop in rpr if rpr is not None else ():
            props.setdefault(prop.tag, prop)  # the first of a tag, as ``find`` would give
        if self.flag(props, "vanish"):
            return
        caps = self.flag(props, "caps")
        text: list[str] = []
        for child in r:
            tag = child.tag
            if tag == w("t"):
                text.append(child.text or "")
            elif tag in (w("tab"), w("ptab")):
                text.append("\t")
            elif tag == w("br"):
                if child.get(w("type"), "textWrapping") == "textWrapping":
                    text.append("\n")
            elif tag == w("cr"):
                text.append("\n")
            elif tag == w("noBreakHyphen"):
                text.append("-")
            elif tag in _IMAGES:
                self.reader.images += 1
            elif tag == w("footnoteReference"):
                text.append(self.footnote(child.get(w("id"))))
            elif tag == f"{{{MC}}}AlternateContent":
                self.reader.images += 1
        joined = "".join(text)
        if caps:
            joined = joined.upper()
        self.parts.append(joined)
        if joined.strip():
            self.bold.append(self.flag(props, "b"))

    def footnote(self, note_id: str | None) -> str:
        body = self.reader.footnotes.get(note_id or "")
        if body is None:
            return ""
        self.reader.note_count += 1
        mark = str(self.reader.note_count).translate(_SUPERSCRIPT)
        self.reader.notes.append(f"{mark} {body}")
        return mark


def _related(part, reltype: str):
    """The XML root of the part ``part`` relates to by ``reltype``, or None."""
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def _footnotes(part) -> dict[str, str]:
    """Footnote id -> its text (one line), for footnotes of plain paragraphs."""
    from docx.oxml import parse_xml

    for rel in part.rels.values():
        if rel.reltype.endswith(_FOOTNOTES_REL) and not rel.is_external:
            try:
                root = parse_xml(rel.target_part.blob)
            except Exception:  # a damaged footnotes part loses the footnotes, not the file
                return {}
            notes = {}
            for note in root.iter(w("footnote")):
                if note.get(w("type")) in (
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                ):
                    continue
                texts = ["".join(t.text or "" for t in p.iter(w("t"))) for p in note.iter(w("p"))]
                notes[note.get(w("id"))] = squash(" ".join(texts))
            return notes
    return {}
