from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from home.backup import backup


class Command(BaseCommand):
    help = _(
        "Back up Sapa into a new folder: the PostgreSQL database (pg_dump --format=custom), "
        "the records store and the media, with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help=_("a new (or empty) folder for this backup"))
        parser.add_argument(
            "--pg-bin", default=None, help=_("the folder of pg_dump (default: SAPA_PG_BIN, PATH)")
        )

    def handle(self, *args, **options):
        outcome = backup(options["folder"], pg_bin=options["pg_bin"])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written to %(folder)s: the database and %(files)d files, "
                    "%(size)s MB, in %(seconds).1f s."
                )
                % {
                    "folder": outcome.folder,
                    "files": outcome.files,
                    "size": f"{outcome.bytes / 1_000_000:.1f}",
                    "seconds": outcome.seconds,
                }
            )
        )
        for note in outcome.notes:
            self.stdout.write(note)
        if outcome.problems:
            raise CommandError(" ".join(outcome.problems))
