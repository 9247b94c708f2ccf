"""Import files (PDF, Word .docx, or plain text like the seeds) as drafts: one file, one
transaction. The format is told by the file's first bytes (a PDF starts with %PDF, a .docx
is a ZIP holding word/document.xml), not by its name.

``import_file`` is the one write path for the management command and the admin upload. It
never publishes: it creates a draft, or a new revision of the draft with the same code (the
same edition, or the next edition of a document in force), creates the forms the text cites
and records the procedures it refers to. Anything it cannot read is reported, nothing is
half-written.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext as _

from ..models import (
    DocumentLibraryPage,
    EditionStatus,
    Organisation,
    RegisterEntry,
)
from ..services import edition_succession_problem
from . import ocr as ocrmypdf
from .build import (
    PAGE_CLASSES,
    apply_parsed,
    draft_from_parsed,
    existing_document,
)
from .docx import OLE_MAGIC, is_docx_head, parse_docx
from .errors import MESSAGES, DocumentImportError
from .fixes import APPLIED_BY_READER, apply_fixes
from .pdf import parse_pdf
from .text import parse_text

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_PAGES = 200


class ImportRefused(Exception):
    """The file was read, but importing it would break a rule (the message says which)."""


class AnotherOrganisation(ImportRefused):
    """The file is of another organisation than the one it is imported into: said by a dry
    run too (the review of an upload), not only by the import."""


ACTION_LABELS = {
    "created": gettext_lazy("draft created"),
    "updated": gettext_lazy("draft updated"),
    "next edition": gettext_lazy("draft of the next edition"),
    "dry run": gettext_lazy("read; nothing written (dry run)"),
    "unchanged": gettext_lazy("unchanged (already imported)"),
}
COUNT_LABELS = {
    "sections": gettext_lazy("sections"),
    "clauses": gettext_lazy("clauses"),
    "agreed_by": gettext_lazy("agreers"),
    "forms": gettext_lazy("forms"),
    "references": gettext_lazy("references"),
    "register_rows": gettext_lazy("register rows"),
}


@dataclass
class ImportReport:
    file: str
    ok: bool = False
    error: str = ""
    parsed: dict[str, Any] | None = None
    action: str = ""  # "created", "updated", "next edition", "dry run", "unchanged"
    page_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    # The published document the file lands on, when there is one (``published_match``).
    published: str = ""
    published_page_id: int | None = None

    @property
    def action_label(self) -> str:
        """What was done, in the reader's language (``action`` stays the machine value)."""
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def proposals(self) -> list[dict[str, Any]]:
        """The fixes proposed for what the importer noticed (see ``fixes``)."""
        return list((self.parsed or {}).get("proposals", []))

    @property
    def document_language(self) -> str:
        """The language the document is written in, for the ``lang`` of its words the report
        quotes: Kazakh when its title or headings hold a Kazakh letter, else Russian when
        they are Cyrillic, else nothing said."""
        parsed = self.parsed or {}
        texts = [parsed.get("title_as_printed") or parsed.get("title") or ""]
        texts += [s.get("title_as_printed") or "" for s in parsed.get("sections", [])]
        text = " ".join(texts).casefold()
        if any(letter in text for letter in "әғқңөұүһі"):
            return "kk"
        return "ru" if re.search("[а-яё]", text) else ""

    @property
    def counts(self) -> dict[str, int]:
        parsed = self.parsed or {}
        sections = parsed.get("sections", [])
        return {
            "sections": len(sections),
            "clauses": sum(len(s.get("clauses", [])) for s in sections),
            "agreed_by": len(parsed.get("agreed_by", [])),
            "forms": len(parsed.get("forms", [])),
            "references": len(parsed.get("references", [])),
            "register_rows": len(parsed.get("register", [])),
        }

    @property
    def counts_line(self) -> str:
        """The counts in the reader's language ("бөлімдер: 11, тармақтар: 46, …")."""
        return ", ".join(f"{COUNT_LABELS[name]}: {count}" for name, count in self.counts.items())


def display_name(name: str) -> str:
    """A file name as a report shows it: its last path part, control and format characters
    (bidi overrides among them) and undecodable bytes shown as U+FFFD, never a server path."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    return "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in name)


def localised(error: DocumentImportError) -> str:
    """Why a file cannot be imported, in the reader's language: the catalogue's translation of
    the English text (Russian for a Russian reader), or the Kazakh text where there is none."""
    english = MESSAGES[error.code][1]
    translated = gettext(english)
    if translated == english and not (get_language() or "").startswith("en"):
        return error.message
    return translated.format(**error.details)


def terminal_text(name: str) -> str:
    """``name`` for a terminal: control and format characters written as ``\\x1b`` or
    ``\\u202e``, bytes that were no UTF-8 as ``\\xff``; nothing moves the cursor, colours
    the screen or turns the text around."""
    out = []
    for ch in name:
        if unicodedata.category(ch)[0] != "C":
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte os.fsdecode could not read
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ascii(ch)[1:-1])
    return "".join(out)


def read_file(
    path: Path, *, ocr: bool = False, max_pages: int = DEFAULT_MAX_PAGES, name: str = ""
) -> dict[str, Any]:
    """Parse one file into the intermediate form (raises ``DocumentImportError``); ``name`` is
    the file's name as its owner knows it (an upload's), ``path.name`` by default."""
    name = display_name(name or path.name)
    with path.open("rb") as stream:
        head = stream.read(1024)
    if head.lstrip().startswith(PDF_MAGIC):
        if ocr:
            return _parse_after_ocr(path, max_pages=max_pages, name=name)
        return parse_pdf(path, filename=name, max_pages=max_pages)
    binary_docx = b"\x00" in head and name.lower().endswith(".docx")  # for a clear refusal
    if is_docx_head(head) or head.startswith(OLE_MAGIC) or binary_docx:
        parsed = parse_docx(path, filename=name)  # says why it is no Word document
        if not parsed.get("sections"):
            raise DocumentImportError("no_structure")
        return parsed
    if path.suffix.lower() == ".pdf" or b"\x00" in head:
        return parse_pdf(path, filename=name, max_pages=max_pages)  # says why it is no PDF
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DocumentImportError("not_text", detail=str(error)) from error
    parsed = parse_text(text, filename=name)
    if not parsed.get("sections"):
        raise DocumentImportError("no_structure")
    return parsed


def _parse_after_ocr(path: Path, *, max_pages: int, name: str) -> dict[str, Any]:
    if not ocrmypdf.available():
        raise DocumentImportError("ocr_missing")
    with tempfile.TemporaryDirectory(prefix="sapa-import-ocr-") as folder:
        out = Path(folder) / "ocr.pdf"
        # Only its text is read, then the file is dropped: a plain PDF, not optimised (the
        # default PDF/A conversion and optimisation add a fifth to the time, for nothing).
        arguments = ["--skip-text", "--output-type", "pdf", "--optimize", "0"]
        run = ocrmypdf.run([*arguments, str(path), str(out)], timeout=1800)
        if run.returncode != 0:
            detail = (run.stderr or "").strip().splitlines()[-1:] or [""]
            raise DocumentImportError("ocr_failed", detail=detail[0])
        parsed = parse_pdf(out, filename=name, max_pages=max_pages, ocr=True)
    parsed["warnings"] = [
        _("text recognised by OCR (ocrmypdf, kaz+rus): check it"),
        *parsed["warnings"],
    ]
    return parsed


def organisation_for(parsed: dict[str, Any], hint: str = "") -> Organisation:
    """The organisation named by ``hint`` (short name or code prefix), else by the code."""
    organisations = list(Organisation.configured())
    named = _named_in_the_file(parsed, organisations)
    if hint:
        for organisation in organisations:
            if hint in (
                organisation.short_name,
                organisation.code_prefix,
                organisation.site.hostname,
            ):
                # A tester imported АӨУ's instruction into ҚазҰТЗУ's register, told nothing.
                if named is not None and named != organisation:
                    raise AnotherOrganisation(
                        _(
                            "The file is %(named)s's (its code or its header names it), not "
                            "%(chosen)s's: import it into %(named)s's document library."
                        )
                        % {"named": named.short_name, "chosen": organisation.short_name}
                    )
                return organisation
        raise ImportRefused(_("No such organisation: «%(name)s».") % {"name": hint})
    if named is not None:
        return named
    raise ImportRefused(
        _("Could not tell which organisation the document belongs to: name it with --org.")
    )


def _named_in_the_file(parsed: dict[str, Any], organisations) -> Organisation | None:
    """The organisation whose code prefix begins the file's code, or whose name its header
    prints; None when it names none of them."""
    code = parsed.get("code") or ""
    name = (parsed.get("organization") or {}).get("name") or ""
    for organisation in organisations:
        if code.startswith(organisation.code_prefix + " ") or (
            name and name == organisation.name_kk
        ):
            return organisation
    return None


def _same_code(library: DocumentLibraryPage, parsed: dict[str, Any]):
    """The document of ``library`` the file is of (its code, else its slug: the document the
    import would make a draft of), its edition in force and the file's edition key:
    (document or None, edition or None, key)."""
    existing = existing_document(library, parsed)
    in_force = existing and existing.editions.filter(status=EditionStatus.IN_FORCE).first()
    edition = parsed.get("edition") or {}
    return existing, in_force, str(edition.get("number") or edition.get("version") or "")


def published_match(library: DocumentLibraryPage, parsed: dict[str, Any]):
    """The published document of ``library`` that the file's code names, and what importing
    the file does to it, said for the quality office before and after they import: (page,
    sentence), or (None, "")."""
    existing, in_force, key = _same_code(library, parsed)
    if not (in_force and existing.live):
        return None, ""
    # A job instruction prints no code: named by its title.
    values = {"code": existing.code or f"«{existing.title}»", "edition": in_force.label}
    if key == in_force.key:
        return existing, _(
            "%(code)s is already published, and this file is its edition in force "
            "(%(edition)s): importing it makes a draft of that document; the published text "
            "stays until the draft is published."
        ) % values
    return existing, _(
        "%(code)s is already published (%(edition)s in force): importing this file makes the "
        "draft of its next edition."
    ) % values


def _library_for(parsed, organisation: str | None, *, quiet: bool):
    """The document library the file goes to; ``quiet`` (a dry run, which writes nothing):
    None where it cannot be told, instead of the refusal."""
    try:
        target = organisation_for(parsed, organisation)
    except AnotherOrganisation:
        raise
    except ImportRefused:
        if quiet:
            return None
        raise
    library = DocumentLibraryPage.objects.filter(
        path__startswith=target.site.root_page.path
    ).first()
    if library is None and not quiet:
        raise ImportRefused(
            _("%(organisation)s: there is no document library.") % {"organisation": target}
        )
    return library


def _check_edition_rule(library: DocumentLibraryPage, parsed: dict[str, Any]) -> str:
    """ "created", "updated" or "next edition"; refuses an edition older than the one in force."""
    existing, in_force, key = _same_code(library, parsed)
    if existing is None:
        return "created"
    edition = parsed.get("edition") or {}
    if in_force is None or key == existing.get_latest_revision_as_object().edition_key:
        # a published document without a draft gets its first one
        return "created" if existing.live and not existing.has_unpublished_changes else "updated"
    if edition_succession_problem(
        document=existing, key=key, edition_number=edition.get("number"), in_force=in_force
    ):
        raise ImportRefused(
            _(
                "%(code)s: the edition «%(edition)s» is older than «%(in_force)s», the edition "
                "in force; not imported."
            )
            % {"code": existing.code, "edition": edition.get("label"), "in_force": in_force.label}
        )
    return "next edition"


#: The fields ``build.apply_parsed`` writes, compared to tell an identical re-import.
_COMPARED_FIELDS = (
    "title",
    "code",
    "number",
    "qms_level",
    "edition_number",
    "edition_version",
    "edition_label",
    "edition_date",
    "effective_date",
    "title_page_year",
    "validity",
    "review_date",
    "introduced_first_time",
    "replaces_edition",
    "developed_unit",
    "developed_position",
    "developed_person",
    "developed_date",
    "approval_order_number",
    "approval_order_date",
    "approver_position",
    "approver_name",
)


_COMPARED_ROW_FIELDS = tuple(
    name for name in RegisterEntry.row_field_names() if name != "entered_position"
)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _content(page) -> tuple:
    """What an import writes on a draft, block ids left out."""
    return (
        tuple(str(getattr(page, name)) for name in _COMPARED_FIELDS),
        json.dumps(_without_ids(list(page.body.raw_data)), sort_keys=True, default=str),
        tuple((a.position, a.person, a.date) for a in page.agreed_by.all()),
        # every column of a register row but the position, which the importer never reads
        tuple(
            tuple(getattr(r, name) for name in _COMPARED_ROW_FIELDS)
            for r in page.register_entries.all()
        ),
    )


def _unchanged_draft(library: DocumentLibraryPage, parsed: dict[str, Any]):
    """The document whose latest draft already says exactly what ``parsed`` says (the
    same file imported again), or None."""
    existing = existing_document(library, parsed)
    if existing is None or not isinstance(existing.specific, PAGE_CLASSES[parsed["kind"]]):
        return None
    existing = existing.specific
    before = _content(existing.get_latest_revision_as_object())
    after = _content(apply_parsed(existing.get_latest_revision_as_object(), parsed))
    return existing if before == after else None


def import_file(
    path: Path,
    *,
    user=None,
    organisation: str = "",
    dry_run: bool = False,
    ocr: bool = False,
    max_pages: int = DEFAULT_MAX_PAGES,
    name: str = "",
    accept_fixes: set[str] | bool = False,
    parsed: dict[str, Any] | None = None,
) -> ImportReport:
    """Read ``path`` and, unless ``dry_run``, write it as a draft; never raises for bad input.
    The report names the file ``name`` (an upload's own name; the admin's temporary copy is
    never shown), or ``path`` as given.

    ``accept_fixes``: False writes what the reader gives (as before: no proposal applied,
    codes cut at a line end glued); True applies every proposed fix; a set of proposal ids
    applies those and leaves the others as found.

    ``parsed``: what a dry run of this same file read (its report's ``parsed``, which the
    import then owns and may change), used instead of reading the file again: the admin's
    second step writes what its first step showed."""
    report = ImportReport(file=display_name(name) if name else str(path))
    try:
        if parsed is None:
            parsed = read_file(path, ocr=ocr, max_pages=max_pages, name=name)
        if accept_fixes is True:
            parsed = apply_fixes(parsed, None)
        elif accept_fixes is not False:
            parsed = apply_fixes(parsed, set(accept_fixes))
        else:
            for proposal in parsed.get("proposals", []):
                proposal["accepted"] = proposal["kind"] in APPLIED_BY_READER
        report.parsed = parsed
        report.warnings = list(parsed.get("warnings", []))
        library = _library_for(parsed, organisation, quiet=dry_run)
        if library is not None:
            page, report.published = published_match(library, parsed)
            report.published_page_id = page.pk if page else None
        if dry_run:
            report.action, report.ok = "dry run", True
            return report
        with transaction.atomic():
            report.action = _check_edition_rule(library, parsed)
            unchanged = (
                _unchanged_draft(library, parsed)
                if report.action in ("created", "updated")  # "created": no code, same slug
                else None
            )
            if unchanged is not None:
                report.action, page = "unchanged", unchanged
            else:
                page, _revision = draft_from_parsed(parsed, library=library, user=user)
        report.page_id, report.ok = page.pk, True
    except DocumentImportError as error:
        report.error = localised(error)
    except ImportRefused as error:
        report.error = str(error)
    return report
