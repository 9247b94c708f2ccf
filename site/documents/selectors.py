"""Read-side queries for templates: views stay thin and templates never query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    ControlledDocument,
    DocumentKind,
    DocumentLibraryPage,
    Edition,
    EditionStatus,
    FormCitation,
    QmsForm,
    RegisterChange,
    Unit,
)
from .models.editions import url_segment

STATUS_CHOICES = [
    ("in_force", _("In force")),
    ("superseded", _("Superseded editions")),
]


def library_listing(*, library: DocumentLibraryPage, params: QueryDict) -> dict[str, Any]:
    """Documents of one library, filtered by kind, unit and status."""
    kind = params.get("kind", "")
    unit = params.get("unit", "")
    status = params.get("status", "in_force")
    documents = (
        ControlledDocument.objects.child_of(library)
        .live()
        .select_related("owning_unit", "organisation")
        .defer("body")  # never shown in the list; 715's is ~100 KB of JSON to decode
        .order_by("code", "title")
    )
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    if unit.isdigit():
        documents = documents.filter(owning_unit_id=int(unit))
    organisation = library_organisation(library)
    units = Unit.objects.filter(organisation=organisation) if organisation else Unit.objects.none()
    context: dict[str, Any] = {
        "organisation": organisation,
        "kinds": DocumentKind.choices,
        "units": list(units),
        "statuses": STATUS_CHOICES,
        "selected": {"kind": kind, "unit": unit, "status": status},
    }
    if status == "superseded":
        context["superseded_editions"] = list(
            Edition.objects.filter(
                document__in=documents,
                status__in=[EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN],
            )
            .select_related("document")
            .order_by("document__code", "-effective_from")
        )
        context["documents"] = []
    else:
        in_force = Edition.objects.filter(status=EditionStatus.IN_FORCE)
        context["documents"] = list(
            documents.filter(editions__status=EditionStatus.IN_FORCE).prefetch_related(
                Prefetch("editions", queryset=in_force, to_attr="editions_in_force")
            )
        )
    return context


def library_organisation(library: DocumentLibraryPage):
    from .models import Organisation

    return Organisation.for_page(library)


def document_reading_context(
    *,
    document: ControlledDocument,
    edition: Edition | None = None,
    as_of_revision_id: int | None = None,
    preview: bool = False,
) -> dict[str, Any]:
    """What the document template shows besides the page fields.

    ``edition`` and ``as_of_revision_id`` are given when an earlier published text is shown
    (a superseded edition, the text before a change): its register then lists only the rows
    that were in force with that text. ``preview``: ``document`` is a draft being previewed
    (by its author or its agreers), whose own register rows are shown after the published
    ones."""
    cited = (
        list(
            FormCitation.objects.filter(document_id=document.pk)
            .select_related("form", "form__template_file")
            .order_by("form__number", "pk")
        )
        if document.pk
        else []
    )
    cited_forms: dict[int, dict[str, Any]] = {}
    for citation in cited:
        entry = cited_forms.setdefault(citation.form_id, {"form": citation.form, "clauses": []})
        if citation.clause and citation.clause not in entry["clauses"]:
            entry["clauses"].append(citation.clause)
    register: list[RegisterChange] = []
    if document.pk and edition is None:
        edition = document.editions.filter(key=document.edition_key).first()
    if edition is not None:
        register = register_with_earlier_texts(edition=edition, as_of_revision_id=as_of_revision_id)
    if preview:
        register = draft_register(document, register)
    library = document.get_parent().specific if document.pk and document.depth > 1 else None
    return {
        "cited_forms": list(cited_forms.values()),
        "edition_record": edition,
        "register_rows": register,
        "approval": approval_of(document=document, edition=edition),
        "library": library,
        "editions_count": document.editions.count() if document.pk else 0,
        "upcoming": scheduled_publication(document=document) if document.pk else None,
    }


def approval_of(*, document: ControlledDocument, edition: Edition | None) -> dict[str, Any]:
    """The БЕКІТІЛДІ order of the edition shown: the one recorded when the edition came into
    force (a change inside the edition has its own order on its register row), else the
    draft's own fields (a new edition not yet published)."""
    if edition is not None and edition.approval_order_number:
        return {"number": edition.approval_order_number, "date": edition.approval_order_date}
    return {"number": document.approval_order_number, "date": document.approval_order_date}


def published_revision_ids(*, edition: Edition) -> list[int]:
    """The revisions that were published within ``edition``, oldest first: the one that put
    it in force and those that carried its changes (a change to an edition in force cannot
    be published without its register row, so there are no others)."""
    ids = {edition.first_revision_id, *edition.changes.values_list("revision_id", flat=True)}
    return sorted(pk for pk in ids if pk)


def revision_before_change(*, change: RegisterChange, published: list[int] | None = None):
    """The id of the published revision that was in force just before ``change``, or None
    when Sapa does not keep it (the change came with the edition's first publication)."""
    if not change.revision_id:
        return None
    if published is None:
        published = published_revision_ids(edition=change.edition)
    earlier = [pk for pk in published if pk < change.revision_id]
    return earlier[-1] if earlier else None


class _NoNotices:
    first = None


def draft_register(document: ControlledDocument, published: list[RegisterChange]) -> list:
    """The register as a draft shows it in its preview: the rows published with its edition,
    then the rows the draft adds (``in_draft``; read from the draft itself, which is not
    saved as rows until it is published)."""
    known = {row.change_number for row in published}
    added = [row for row in document.register_entries.all() if row.change_number not in known]
    for row in added:
        row.in_draft, row.notices, row.earlier_revision_id = True, _NoNotices(), None
        row.url_key = url_segment(row.change_number)
    return [*published, *added]


def register_with_earlier_texts(
    *, edition: Edition, as_of_revision_id: int | None = None
) -> list[RegisterChange]:
    """The edition's register rows, each with ``earlier_revision_id``: the text it changed."""
    rows = list(edition.changes.all())
    if as_of_revision_id is not None:
        rows = [row for row in rows if row.revision_id and row.revision_id <= as_of_revision_id]
    published = published_revision_ids(edition=edition)
    for row in rows:
        row.earlier_revision_id = revision_before_change(change=row, published=published)
    return rows


@dataclass(frozen=True)
class ScheduledPublication:
    """An approved revision waiting for its go-live time (Wagtail's scheduled publishing)."""

    go_live_at: datetime.datetime
    label: str
    new_edition: bool
    number: int | None = None
    version: str = ""
    # A change: its register rows' numbers with their clauses, "2 (3.1.5)", and how many.
    changes: str = ""
    change_count: int = 0

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.go_live_at).date()

    @property
    def overdue(self) -> bool:
        """The time has come but ``publish_scheduled`` has not published it yet."""
        return self.go_live_at <= timezone.now()


def scheduled_publication(*, document: ControlledDocument) -> ScheduledPublication | None:
    """What comes into force next, and when: the edition's label, or the change's numbers and
    the clauses its register rows name ("Change 2 (3.1.5) …": staff read that a change was
    coming and not to what, a tester), never the text of the revision that waits."""
    from .models.workflow import new_register_rows

    revision = document.scheduled_revision
    if revision is None:
        return None
    content = revision.content
    number = content.get("edition_number")
    key = str(number) if number else (content.get("edition_version") or "").strip()
    in_force = document.editions.filter(status=EditionStatus.IN_FORCE).first()
    new_edition = in_force is None or in_force.key != key
    rows = [] if new_edition else new_register_rows(document, revision.as_object())
    return ScheduledPublication(
        go_live_at=revision.approved_go_live_at,
        label=content.get("edition_label") or key,
        new_edition=new_edition,
        number=int(number) if str(number or "").isdigit() else None,
        version="" if number else key,
        changes=", ".join(
            f"{row.change_number.strip()} ({row.section_clause.strip()})"
            if row.section_clause.strip()
            else row.change_number.strip()
            for row in rows
        ),
        change_count=len(rows),
    )


def form_detail(*, library: DocumentLibraryPage, form_id: int) -> dict[str, Any] | None:
    organisation = library_organisation(library)
    form = (
        QmsForm.objects.filter(pk=form_id, organisation=organisation)
        .select_related("owning_document", "template_file")
        .first()
    )
    if form is None:
        return None
    citations = list(
        form.citations.filter(document__live=True)
        .select_related("document")
        .order_by("document__code")
    )
    return {"form": form, "citations": citations}
