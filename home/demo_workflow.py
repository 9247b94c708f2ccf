"""Demo: the agreers of the workflow «Келісу және бекіту» linked to the documents.

The seed texts list their agreers (КЕЛІСІЛДІ) as printed, with no accounts, so nobody could
agree a change. The demo links ``agreer1`` and ``agreer2`` to the first two lines of each
document, as the quality office would on the Approval sheet tab. Safe to run again."""

from __future__ import annotations

from django.db import transaction

from sapa.documents.models import AgreedBy, ControlledDocument

DEMO_AGREERS = ("agreer1", "agreer2")


@transaction.atomic
def link_demo_agreers(documents: list[ControlledDocument], users: dict[str, object]) -> None:
    """Link the demo agreers to the first lines of each document's КЕЛІСІЛДІ list.

    The documents are already published and the link is no part of the published text (it
    says who agrees in the workflow), so it is written into the page's lines and into the
    revisions the editor starts from (the latest and the live one), not as a new edition."""
    accounts = [users[name] for name in DEMO_AGREERS]
    for document in documents:
        lines = list(AgreedBy.objects.filter(page=document).order_by("sort_order", "pk"))
        for line, user in zip(lines, accounts, strict=False):
            if line.user_id != user.pk:
                line.user = user
                line.save(update_fields=["user"])
        page = ControlledDocument.objects.get(pk=document.pk)
        for revision in {page.latest_revision, page.live_revision} - {None}:
            content = revision.content
            rows = content.get("agreed_by") or []
            changed = False
            for row, user in zip(rows, accounts, strict=False):
                if row.get("user") != user.pk:
                    row["user"] = user.pk
                    changed = True
            if changed:
                revision.content = content
                revision.save(update_fields=["content"])
