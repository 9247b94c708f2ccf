import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from records.selectors import RecordFilters
from records.services import records_export


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from error


class Command(BaseCommand):
    help = "Export records with their files, manifest.json and manifest.csv into a zip (logged)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the zip file to write")
        parser.add_argument("--as", dest="username", required=True, help="who exports (logged)")
        parser.add_argument("--procedure", default="", help="procedure number or code, e.g. 715")
        parser.add_argument("--form", default="", help='form number or code, e.g. "715-02"')
        parser.add_argument("--unit", default="", help="unit abbreviation or id")
        parser.add_argument("--from", dest="date_from", type=iso_date, default=None)
        parser.add_argument("--to", dest="date_to", type=iso_date, default=None)

    def handle(self, *args, **options):
        # The manifests and these messages are in the operator's language (SAPA_LANGUAGE,
        # else the site's: see sapa.localisation.commands).
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No such user: %(name)s") % {"name": options["username"]})
        filters = RecordFilters(
            procedure=options["procedure"],
            form=options["form"],
            unit=options["unit"],
            date_from=options["date_from"],
            date_to=options["date_to"],
        )
        try:
            count = records_export(user=user, out=options["out"], filters=filters)
        except PermissionDenied as error:
            raise CommandError(
                _("%(user)s may not export records.") % {"user": user.get_username()}
            ) from error
        self.stdout.write(
            ngettext(
                "%(count)s record written to %(out)s",
                "%(count)s records written to %(out)s",
                count,
            )
            % {"count": count, "out": options["out"]}
        )
