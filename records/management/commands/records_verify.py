import sys

from django.core.management.base import BaseCommand

from records.services import records_verify


class Command(BaseCommand):
    help = "Recompute the SHA-256 of every stored record file; exit 1 on any mismatch or loss."

    def handle(self, *args, **options):
        report = records_verify()
        for label in report.mismatched:
            self.stdout.write(f"CHECKSUM MISMATCH {label}")
        for label in report.missing:
            self.stdout.write(f"MISSING {label}")
        self.stdout.write(
            f"{report.checked} files checked, {len(report.mismatched)} mismatched, "
            f"{len(report.missing)} missing"
        )
        if not report.ok:
            sys.exit(1)
