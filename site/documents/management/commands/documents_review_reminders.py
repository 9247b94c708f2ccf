"""For the daily run: email each document's owner the documents overdue for review or due
within 30 days (e.g. ``0 7 * * * cd /srv/sapa && .venv/bin/python manage.py
documents_review_reminders``)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from sapa.documents.review import DUE_WITHIN_DAYS, due_for_review


def _line(item) -> str:
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "documents_review", args=(item.document.pk,)
    )
    if item.overdue:
        when = _("review was due on %(date)s (days overdue: %(days)d)") % {
            "date": f"{item.next_review:%d.%m.%Y}",
            "days": item.days_overdue,
        }
    else:
        when = _("review due on %(date)s") % {"date": f"{item.next_review:%d.%m.%Y}"}
    return f"- {item.document}: {when}\n  {link}"


class Command(BaseCommand):
    help = (
        "Email each document's owner (the account that owns its page) the documents overdue "
        "for periodic review or due within the given number of days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DUE_WITHIN_DAYS,
            help=f"Remind of reviews due within this many days (default {DUE_WITHIN_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be emailed, send nothing."
        )

    def handle(self, *args, **options):
        by_owner: dict = {}
        for item in due_for_review(within_days=options["days"]):
            owner = item.document.owner
            if owner is None or not owner.is_active or not owner.email:
                self.stderr.write(
                    _("%(document)s: no owner with an email address, nobody reminded.")
                    % {"document": item.document}
                )
                continue
            by_owner.setdefault(owner, []).append(item)
        sent = 0
        for owner, items in by_owner.items():
            language = UserProfile.get_for_user(owner).get_preferred_language()
            with translation.override(language or settings.LANGUAGE_CODE):
                subject = _("Documents due for periodic review: %(count)d") % {"count": len(items)}
                body = "\n\n".join(
                    [
                        _(
                            "These documents you own are overdue for their periodic review "
                            "or due within %(days)d days. Review each one: start a new "
                            "edition, or record «reviewed, no change» with a comment."
                        )
                        % {"days": options["days"]},
                        "\n".join(_line(item) for item in items),
                    ]
                )
            if options["dry_run"]:
                self.stdout.write(
                    _("would email %(address)s: %(count)d")
                    % {"address": owner.email, "count": len(items)}
                )
                continue
            try:
                send_mail(subject, body, None, [owner.email])
            except (smtplib.SMTPException, OSError) as error:
                raise CommandError(
                    _(
                        "The mail server could not be reached or refused %(address)s "
                        "(%(error)s). Reminders sent: %(count)d. Run this again once it answers."
                    )
                    % {"address": owner.email, "error": error, "count": sent}
                ) from error
            sent += 1
            self.stdout.write(
                _("emailed %(address)s: %(count)d") % {"address": owner.email, "count": len(items)}
            )
        self.stdout.write(_("Reminders sent: %(count)d.") % {"count": sent})
