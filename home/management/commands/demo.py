from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.demo import DEMO_PORT, DEMO_USERS, ORGANISATIONS, load_demo
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Load the demo: two universities, their two real documents, users and the workflow."

    def handle(self, *args, **options):
        result = load_demo()
        entries = rebuild()
        # The official PDFs now, rather than when a background worker runs (the demo starts
        # none): every published edition has its file to download.
        call_command("documents_render", "--missing", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo content is loaded ({entries} search entries)."))
        for document in result["documents"]:
            self.stdout.write(f"  {document.code or '—'} {document.title}: {document.url}")
        self.stdout.write(
            f"Site: http://127.0.0.1:{DEMO_PORT}/  (admin: /admin/, records: /records/)"
        )
        for spec in ORGANISATIONS:
            self.stdout.write(
                f"  {spec.short_name}: http://{spec.hostname}:{DEMO_PORT}/ (or /{spec.slug}/)"
            )
        self.stdout.write("Users (password = username):")
        for username, (group, description) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<8} {group}: {description}")
