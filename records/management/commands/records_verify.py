from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from records.services import records_verify
from records.services.files import escaped


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 of every stored record file and look for files in the store "
        "that no record refers to; exit 1 on any mismatch, loss or stray file."
    )

    def handle(self, *args, **options):
        report = records_verify()
        for label in report.mismatched:
            self.stdout.write(_("CHECKSUM MISMATCH %(file)s") % {"file": escaped(label)})
        for label in report.missing:
            self.stdout.write(_("MISSING %(file)s") % {"file": escaped(label)})
        for name in report.unreferenced:
            self.stdout.write(_("NOT IN THE DATABASE %(file)s") % {"file": escaped(name)})
        self.stdout.write(
            ngettext(
                "%(count)s file checked, %(mismatched)s mismatched, %(missing)s missing, "
                "%(stray)s not in the database",
                "%(count)s files checked, %(mismatched)s mismatched, %(missing)s missing, "
                "%(stray)s not in the database",
                report.checked,
            )
            % {
                "count": report.checked,
                "mismatched": len(report.mismatched),
                "missing": len(report.missing),
                "stray": len(report.unreferenced),
            }
        )
        if not report.ok:  # exit status 1
            raise CommandError(
                _(
                    "The record store does not match the database: the files listed above "
                    "are mismatched, missing or not in the database."
                )
            )
