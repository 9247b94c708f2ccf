"""For a regular run: email the people who still have a document to read and were never told
(the mail server could not be reached, or refused their address, when it took effect), e.g.
``*/30 * * * * cd /srv/sapa && .venv/bin/python manage.py documents_familiarisation_emails``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sapa.documents.familiarisation import (
    MailServerUnreachable,
    reading_emails_send,
    unsent_tasks,
)


class Command(BaseCommand):
    help = (
        "Email the people who have a document to read (not confirmed, not closed by a newer "
        "edition) and were not emailed when it took effect."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would be emailed, send nothing."
        )

    def handle(self, *args, **options):
        waiting = unsent_tasks().count()
        if options["dry_run"]:
            self.stdout.write(_("Not emailed yet: %(count)d.") % {"count": waiting})
            return
        try:
            sent = reading_emails_send(unsent_tasks())
        except MailServerUnreachable as error:
            raise CommandError(
                _(
                    "The mail server could not be reached (%(error)s): nobody was emailed, "
                    "%(count)d still to be. Run this again once it answers."
                )
                % {"error": error, "count": waiting}
            ) from error
        left = unsent_tasks().count()
        self.stdout.write(
            _("Emailed: %(sent)d. Not emailed: %(left)d.") % {"sent": sent, "left": left}
        )
        if left:
            self.stderr.write(
                _(
                    "Addresses the mail server refused are in the log; they are tried again "
                    "next run."
                )
            )
