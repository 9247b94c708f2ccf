import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sapa.documents.importing.service import (
    DEFAULT_MAX_PAGES,
    ImportReport,
    import_file,
    terminal_text,
)

#: What a folder import picks up; each file's format is then told by its content
#: (a .doc is picked up to be told why it cannot be read).
SUFFIXES = {".pdf", ".docx", ".doc", ".txt"}


class FilesNotImported(CommandError):
    """Some file was not imported (its report says why): exit status 1. A refusal before any
    import (no such file, no such user) is a plain CommandError."""


def _is_document(path: Path, folder: Path) -> bool:
    """A file of a folder worth importing: not the "~$name.docx" lock file Word leaves
    beside a document while it is open, not a Mac's "._name.pdf" resource file, not in a
    hidden folder (.git, .Trash)."""
    *folders, name = path.relative_to(folder).parts
    return (
        path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not name.startswith(("~$", "._"))
        and not any(part.startswith(".") for part in folders)
    )


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if _is_document(p, path))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(_("No such file or folder: %(path)s") % {"path": terminal_text(raw)})
    return files


class Command(BaseCommand):
    help = (
        "Import procedures and job instructions (PDF, Word .docx or plain text; a folder: "
        "every such file in it) as drafts, each file on its own. "
        "Never publishes; --dry-run --json prints the parsed structure and writes nothing. "
        "The fixes the importer proposes (Latin letters inside Cyrillic words, codes cut at a "
        "line end, headings that differ from the contents) are printed; by default none is "
        "applied (the text is kept as the reader gives it, codes cut at a line end glued); "
        "--accept-fixes applies them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--org", default="", help="organisation (short name or code prefix)")
        parser.add_argument("--dry-run", action="store_true", help="read only, write nothing")
        parser.add_argument(
            "--json", action="store_true", help="print the parsed structure as JSON"
        )
        parser.add_argument("--ocr", action="store_true", help="run OCR first (ocrmypdf, kaz+rus)")
        parser.add_argument("--max-pages", type=int, default=DEFAULT_MAX_PAGES)
        parser.add_argument(
            "--accept-fixes",
            action="store_true",
            help="apply every fix the importer proposes (default: none, the text as read)",
        )
        parser.add_argument(
            "--as", dest="username", default="", help="user the drafts are saved as"
        )

    def handle(self, *args, **options):
        files = collect(options["paths"])
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": options["username"]})
        reports = []
        progress = len(files) > 1 and self.stderr.isatty()
        for number, path in enumerate(files, start=1):
            if progress:
                self.stderr.write(f"[{number}/{len(files)}] {terminal_text(str(path))}")
            reports.append(self.import_one(path, user, options))
        if options["json"]:
            payload = [
                r.parsed if r.ok else {"file": terminal_text(r.file), "error": r.error}
                for r in reports
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for report in reports:
                self.stdout.write(self.describe(report))
            if len(reports) > 1:
                self.stdout.write("\n" + summary_table(reports))
        failed = sum(not r.ok for r in reports)
        if failed:  # exit status 1; the reports above say why
            raise FilesNotImported(
                _("Files not imported: %(failed)d of %(count)d.")
                % {"failed": failed, "count": len(reports)}
            )

    def import_one(self, path: Path, user, options) -> ImportReport:
        """One file, in its own transaction (``import_file``): whatever goes wrong with it
        is its report's error, and the next file is imported all the same."""
        try:
            return import_file(
                path,
                user=user,
                organisation=options["org"],
                dry_run=options["dry_run"],
                ocr=options["ocr"],
                max_pages=options["max_pages"],
                accept_fixes=options["accept_fixes"],
            )
        except Exception as error:  # a defect, not bad input: say so, go on with the rest
            report = ImportReport(file=str(path))
            report.error = _("unexpected error, nothing written for this file: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"
            }
            return report

    def describe(self, report) -> str:
        if not report.ok:
            return f"✗ {terminal_text(report.file)}\n    {report.error}"
        parsed = report.parsed
        code = parsed.get("code") or _("(no code)")
        lines = [
            f"✓ {terminal_text(report.file)} — {report.action_label}",
            f"    {code} · {parsed.get('title')} · "
            f"{(parsed.get('edition') or {}).get('label') or ''}",
            f"    {report.counts_line}",
        ]
        if report.published:
            lines.append(f"    ⓘ {report.published}")
        lines += [f"    ! {warning}" for warning in report.warnings]
        for fix in report.proposals:
            if report.action == "dry run":
                state = _("proposed")
            elif fix.get("accepted"):
                state = _("applied")
            else:
                state = _("not applied (run with --accept-fixes to apply)")
            lines.append(
                f"    ~ {fix['where_label']}: {fix['kind_label']}: "
                f"«{fix['found']}» → «{fix['proposed']}» ({state})"
            )
        return "\n".join(lines)


def summary_table(reports: list[ImportReport]) -> str:
    """One row per file: file, code, edition, action, number of warnings, error."""
    header = [_("File"), _("Code"), _("Edition"), _("Action"), _("Warnings"), _("Errors")]
    # the files as found under the folder they have in common
    common = os.path.commonpath([os.path.dirname(r.file) or "." for r in reports])
    rows = []
    for report in reports:
        parsed = report.parsed or {}
        rows.append(
            [
                terminal_text(os.path.relpath(report.file, common) if common else report.file),
                parsed.get("code") or "—",
                (parsed.get("edition") or {}).get("label") or "—",
                report.action_label if report.ok else _("not imported"),
                str(len(report.warnings)),
                " ".join(report.error.split()) if report.error else "—",
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            [*(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)), cells[-1]]
        ).rstrip()

    failed = sum(not r.ok for r in reports)
    total = ngettext(
        "%(count)s file, %(failed)s not imported",
        "%(count)s files, %(failed)s not imported",
        len(reports),
    ) % {"count": len(reports), "failed": failed}
    rule = "  ".join("-" * width for width in widths) + "  ------"
    return "\n".join([line(header), rule, *(line(row) for row in rows), rule, total])
