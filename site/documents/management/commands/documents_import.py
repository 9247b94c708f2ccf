import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sapa.documents.importing.service import (
    COUNT_LABELS,
    DEFAULT_MAX_PAGES,
    import_file,
    terminal_text,
)

SUFFIXES = {".pdf", ".txt"}


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"No such file or folder: {terminal_text(raw)}")
    return files


class Command(BaseCommand):
    help = (
        "Import procedures and job instructions (PDF, or plain text) as drafts. "
        "Never publishes; --dry-run --json prints the parsed structure and writes nothing."
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
            "--as", dest="username", default="", help="user the drafts are saved as"
        )

    def handle(self, *args, **options):
        files = collect(options["paths"])
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No such user: {options['username']}")
        reports = []
        for path in tqdm(
            files, desc="import", unit="file", file=sys.stderr, disable=len(files) < 2
        ):
            reports.append(
                import_file(
                    path,
                    user=user,
                    organisation=options["org"],
                    dry_run=options["dry_run"],
                    ocr=options["ocr"],
                    max_pages=options["max_pages"],
                )
            )
        if options["json"]:
            payload = [
                r.parsed if r.ok else {"file": terminal_text(r.file), "error": r.error}
                for r in reports
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for report in reports:
                self.stdout.write(self.describe(report))
        if any(not r.ok for r in reports):
            sys.exit(1)

    def describe(self, report) -> str:
        if not report.ok:
            return f"✗ {terminal_text(report.file)}\n    {report.error}"
        parsed = report.parsed
        counts = ", ".join(f"{COUNT_LABELS[k]}: {v}" for k, v in report.counts.items())
        code = parsed.get("code") or _("(no code)")
        lines = [
            f"✓ {terminal_text(report.file)} — {report.action_label}",
            f"    {code} · {parsed.get('title')} · "
            f"{(parsed.get('edition') or {}).get('label') or ''}",
            f"    {counts}",
        ]
        lines += [f"    ! {warning}" for warning in report.warnings]
        return "\n".join(lines)
