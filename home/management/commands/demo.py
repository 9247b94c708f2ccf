from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from home.demo import DEMO_PORT, DEMO_USERS, ORGANISATIONS, load_demo
from search.indexing import rebuild


class Command(BaseCommand):
    help = _("Load the demo: two universities, their two real documents, users and the workflow.")

    def handle(self, *args, **options):
        result = load_demo()
        entries = rebuild()
        # The official PDFs now, rather than when a background worker runs (the demo starts
        # none): every published edition has its file to download.
        call_command("documents_render", "--missing", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo content is loaded (search entries: %(count)d).") % {"count": entries}
            )
        )
        for document in result["documents"]:
            self.stdout.write(f"  {document.code or '—'} {document.title}: {document.url}")
        self.stdout.write(
            _("Site: %(url)s  (admin: /admin/, records: /records/)")
            % {"url": f"http://127.0.0.1:{DEMO_PORT}/"}
        )
        for spec in ORGANISATIONS:
            self.stdout.write(
                f"  {spec.short_name}: http://{spec.hostname}:{DEMO_PORT}/ (or /{spec.slug}/)"
            )
        self.stdout.write(_("Users (password = user name):"))
        for username, (group, first_name, last_name, role) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<8} {first_name} {last_name} ({group}): {role}")
