import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from search.backends import get_backend
from search.services import search_for


class Command(BaseCommand):
    help = "Search the regulations, forms and records as USER would, and print the ranking."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--backend", choices=["tantivy", "engine"], default=None)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--as", dest="username", default="", help="search with this user's rights"
        )

    def handle(self, *args, **options):
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": options["username"]})
        page = search_for(
            user, options["query"], limit=options["limit"], backend=get_backend(options["backend"])
        )
        rows = [
            {
                "type": hit.entry["type"],
                "document_code": hit.entry["document_code"],
                "clause": hit.entry["clause"],
                "title": hit.entry["title"],
                "url": hit.entry["url"],
                "score": round(hit.score, 4),
            }
            for hit in page.results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        total = page.results.total
        counted = ngettext("%(count)d result", "%(count)d results", total) % {"count": total}
        if page.by_meaning:
            counted += " · " + _("clauses closest in meaning included")
        self.stdout.write(counted)
        for n, row in enumerate(rows, 1):
            label = f"[{row['type']}] {row['document_code']} {row['clause']} {row['title']}"
            self.stdout.write(f"{n:>2}. {label}  {row['url']}")
