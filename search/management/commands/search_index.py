import sys

from django.core.management.base import BaseCommand

from search import indexing
from search.backends import get_backend


class Command(BaseCommand):
    help = (
        "rebuild: index everything afresh; sync: drain the outbox; "
        "verify: compare the index with the database (exit 1 on drift)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "verify"])
        parser.add_argument("--backend", choices=["embedded", "engine"], default=None)

    def handle(self, *args, **options):
        backend = get_backend(options["backend"])
        if options["action"] == "rebuild":
            count = indexing.rebuild(backend)
            self.stdout.write(f"{count} entries written to the {backend.name} index")
        elif options["action"] == "sync":
            count = indexing.sync(backend)
            self.stdout.write(f"{count} objects re-indexed ({backend.name})")
        else:
            drift = indexing.verify(backend)
            self.stdout.write(
                f"{drift.expected} entries expected, {drift.indexed} indexed ({backend.name})"
            )
            for label, ids in (
                ("MISSING", drift.missing),
                ("STALE", drift.stale),
                ("ORPHANED", drift.orphaned),
            ):
                for entry_id in ids:
                    self.stdout.write(f"{label} {entry_id}")
            if not drift.ok:
                sys.exit(1)
