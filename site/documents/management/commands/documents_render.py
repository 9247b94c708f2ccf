"""Render the official PDFs that are missing (after an upgrade, or a worker that was down)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

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
                self.stdout.write(_("would render %(what)s") % {"what": label})
                continue
            rendering = render_unit(unit)
            self.stdout.write(
                _("rendered %(what)s: pages %(pages)d, bytes %(size)d, sha256 %(sha256)s")
                % {
                    "what": label,
                    "pages": rendering.pages,
                    "size": rendering.size,
                    "sha256": rendering.sha256,
                }
            )
        if options["dry_run"]:
            done = _("Missing renderings found: %(count)d")
        else:
            done = _("Missing renderings rendered: %(count)d")
        self.stdout.write(done % {"count": len(units)})
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
                self.stdout.write(_("would render notice №%(number)s") % {"number": notice.number})
                continue
            notice = render_notice(notice)
            self.stdout.write(
                _("rendered notice №%(number)s: sha256 %(sha256)s")
                % {"number": notice.number, "sha256": notice.sha256}
            )
