import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from home.backup import check_backup, restore
from records.services import records_verify
from search import indexing


class Command(BaseCommand):
    help = _(
        "Restore a backup made by sapa_backup onto an empty PostgreSQL database and empty "
        "records and media folders, rebuild the search index and verify the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help=_("the backup folder (with manifest.json)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("delete every table of the database and move non-empty folders aside first"),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("only check the backup against its manifest; change nothing"),
        )
        parser.add_argument(
            "--pg-bin",
            default=None,
            help=_("the folder of pg_restore (default: SAPA_PG_BIN, PATH)"),
        )

    def handle(self, *args, **options):
        if options["check"]:
            manifest = check_backup(options["folder"])
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "The backup of %(created)s (Sapa %(version)s) is complete: the "
                        "database and %(files)d files match the manifest."
                    )
                    % {
                        "created": manifest.get("created_at", "?"),
                        "version": manifest.get("sapa_version", "?"),
                        "files": len(manifest.get("files", [])),
                    }
                )
            )
            return
        outcome = restore(options["folder"], force=options["force"], pg_bin=options["pg_bin"])
        self.stdout.write(
            _("Restored from %(folder)s: the database and %(files)d files, in %(seconds).1f s.")
            % {"folder": outcome.folder, "files": outcome.files, "seconds": outcome.seconds}
        )
        for note in outcome.notes:
            self.stdout.write(note)
        report = records_verify()
        drift = indexing.verify()
        self.stdout.write(
            _(
                "Checked: %(checked)d record files (%(bad)d mismatched, %(missing)d missing); "
                "search index: %(expected)d entries expected, %(indexed)d indexed."
            )
            % {
                "checked": report.checked,
                "bad": len(report.mismatched),
                "missing": len(report.missing),
                "expected": drift.expected,
                "indexed": drift.indexed,
            }
        )
        if not report.ok or not drift.ok:
            raise CommandError(
                _(
                    "The restore finished but does not verify: run records_verify and "
                    "search_index verify for the details."
                )
            )
        self.stdout.write(self.style.SUCCESS(_("The restore is complete and verified.")))
        sys.stdout.flush()
