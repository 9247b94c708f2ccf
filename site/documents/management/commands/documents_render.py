"""Render the official PDFs that are missing (after an upgrade, or a worker that was down)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sapa.documents.models import Edition
from sapa.documents.rendering import missing_units, render_unit


class Command(BaseCommand):
    help = (
        "Render the official PDF of every published edition and change that has none yet. "
        "A PDF already stored is never rendered again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Render only what is missing (the default; nothing stored is ever replaced).",
        )
        parser.add_argument("--document", type=int, help="Only this document (page id).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be rendered, render nothing."
        )

    def handle(self, *args, **options):
        editions = Edition.objects.all()
        if options["document"]:
            editions = editions.filter(document_id=options["document"])
        units = list(missing_units(editions))
        for unit in units:
            change = unit.change.change_number if unit.change else "-"
            label = f"{unit.edition} · {change} · {unit.kind}"
            if options["dry_run"]:
                self.stdout.write(f"would render {label}")
                continue
            rendering = render_unit(unit)
            self.stdout.write(
                f"rendered {label}: {rendering.pages} pages, {rendering.size} bytes, "
                f"sha256 {rendering.sha256}"
            )
        done = "found" if options["dry_run"] else "rendered"
        self.stdout.write(f"{len(units)} missing rendering(s) {done}")
        self._notices(options)

    def _notices(self, options) -> None:
        """Change notices whose PDF is missing (a worker that was down)."""
        from sapa.documents.models import ChangeNotice
        from sapa.documents.rendering.notices import render_notice

        notices = ChangeNotice.objects.filter(sha256="").order_by("pk")
        if options["document"]:
            notices = notices.filter(document_id=options["document"])
        for notice in notices:
            if options["dry_run"]:
                self.stdout.write(f"would render notice №{notice.number}")
                continue
            notice = render_notice(notice)
            self.stdout.write(f"rendered notice №{notice.number}: sha256 {notice.sha256}")
