from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from search import indexing
from search.backends import get_backend


class Command(BaseCommand):
    help = (
        "rebuild: index everything afresh; sync: drain the outbox; "
        "verify: compare the index with the database (exit 1 on drift); "
        "regroup: write the embedded index again with each unit's records together (nightly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "verify", "regroup"])
        parser.add_argument("--backend", choices=["tantivy", "engine"], default=None)
        parser.add_argument(
            "--queue",
            action="store_true",
            help=(
                "sync: leave the drain to the background worker (the task sync_search_index), "
                "when the outbox has rows and no drain is already waiting: for cron."
            ),
        )

    def handle(self, *args, **options):
        backend = get_backend(options["backend"])
        if options["action"] == "rebuild":
            count = indexing.rebuild(backend)
            self.stdout.write(
                ngettext(
                    "%(count)d entry written to the %(backend)s index",
                    "%(count)d entries written to the %(backend)s index",
                    count,
                )
                % {"count": count, "backend": backend.name}
            )
        elif options["action"] == "regroup":
            self._regroup(backend)
        elif options["action"] == "sync" and options["queue"]:
            self._queue_sync()
        elif options["action"] == "sync":
            count = indexing.sync(backend)
            self.stdout.write(
                ngettext(
                    "%(count)d object re-indexed (%(backend)s)",
                    "%(count)d objects re-indexed (%(backend)s)",
                    count,
                )
                % {"count": count, "backend": backend.name}
            )
        else:
            drift = indexing.verify(backend)
            self.stdout.write(
                _("Entries expected: %(expected)d, indexed: %(indexed)d (%(backend)s)")
                % {"expected": drift.expected, "indexed": drift.indexed, "backend": backend.name}
            )
            # MISSING / STALE / ORPHANED lines stay as they are: scripts read them.
            for label, ids in (
                ("MISSING", drift.missing),
                ("STALE", drift.stale),
                ("ORPHANED", drift.orphaned),
            ):
                for entry_id in ids:
                    self.stdout.write(f"{label} {entry_id}")
            if not drift.ok:  # exit status 1
                raise CommandError(
                    _(
                        "The %(backend)s search index does not match the database: the entries "
                        "listed above are missing, stale or orphaned."
                    )
                    % {"backend": backend.name}
                )

    def _regroup(self, backend) -> None:
        if not hasattr(backend, "regroup"):
            self.stdout.write(
                _("The %(backend)s index keeps its own order: nothing to regroup.")
                % {"backend": backend.name}
            )
            return
        count = backend.regroup()
        if count is None:
            self.stdout.write(
                _("Nothing was written to the %(backend)s index since it was last regrouped.")
                % {"backend": backend.name}
            )
            return
        self.stdout.write(
            ngettext(
                "%(count)d entry regrouped in the %(backend)s index",
                "%(count)d entries regrouped in the %(backend)s index",
                count,
            )
            % {"count": count, "backend": backend.name}
        )

    def _queue_sync(self) -> None:
        from search.models import OutboxEntry
        from search.tasks import request_sync

        if not OutboxEntry.objects.exists():
            self.stdout.write(_("The search outbox is empty: nothing to index."))
        elif request_sync():
            self.stdout.write(_("A search index sync was queued for the background worker."))
        else:
            self.stdout.write(_("A search index sync is already waiting for the worker."))
