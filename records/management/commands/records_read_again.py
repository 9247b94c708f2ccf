from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from records.services.files import escaped, read_again


class Command(BaseCommand):
    help = (
        "Read again the text of record files an earlier Sapa could not read (Word files filed "
        "as having no text) and take ocrmypdf's '[OCR skipped on page(s) …]' out of kept "
        "texts; each change is in the file's history and reaches search. --dry-run lists "
        "them only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the files, change nothing")

    def handle(self, *args, dry_run=False, **options):
        report = read_again(dry_run=dry_run)
        for label in report.read:
            self.stdout.write(_("TEXT READ %(file)s") % {"file": escaped(label)})
        for label in report.failed:
            self.stdout.write(_("COULD NOT BE READ %(file)s") % {"file": escaped(label)})
        for label in report.cleaned:
            self.stdout.write(_("OCR NOTE REMOVED %(file)s") % {"file": escaped(label)})
        for label in report.missing:
            self.stdout.write(_("MISSING %(file)s") % {"file": escaped(label)})
        changed = len(report.read) + len(report.failed) + len(report.cleaned)
        if dry_run:
            line = ngettext(
                "%(count)s file would change (dry run: nothing was changed).",
                "%(count)s files would change (dry run: nothing was changed).",
                changed,
            )
        else:
            line = ngettext("%(count)s file changed.", "%(count)s files changed.", changed)
        self.stdout.write(line % {"count": changed})
