import sys

from django.core.management.base import BaseCommand

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
            self.stdout.write(f"CHECKSUM MISMATCH {escaped(label)}")
        for label in report.missing:
            self.stdout.write(f"MISSING {escaped(label)}")
        for name in report.unreferenced:
            self.stdout.write(f"NOT IN THE DATABASE {escaped(name)}")
        self.stdout.write(
            f"{report.checked} files checked, {len(report.mismatched)} mismatched, "
            f"{len(report.missing)} missing, {len(report.unreferenced)} not in the database"
        )
        if not report.ok:
            sys.exit(1)
