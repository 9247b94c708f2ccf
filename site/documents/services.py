"""Operations of several steps on controlled documents: one write path for the admin,
the workflow, the scheduler and management commands.

Every function is keyword-only, runs in one transaction and raises ``ValidationError`` with
a message the quality office can act on.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapa.localisation.dates import format_date

from .change_content import change_alters_nothing, printed_fields
from .familiarisation import familiarisation_start
from .importing.codes import find_form_codes, find_procedure_codes
from .models import (
    ControlledDocument,
    DocumentReference,
    Edition,
    EditionStatus,
    FormCitation,
    QmsForm,
    RegisterChange,
)
from .outline import block_text, build_outline
from .tasks import renderings_enqueue

FORM_CODE_PARTS = re.compile(r"(?P<number>\d+(?:-\d+)+)\s+(?P<kind>[ҮФ])\s*$")


def edition_publication_problem(
    *,
    document: ControlledDocument,
    key: str,
    edition_number: int | None,
    change_numbers: list[str],
) -> str | None:
    """Why publishing edition ``key`` with these register rows would break the edition rules,
    or None when it would not.

    - a change to the edition in force needs at least one new row in its revision register;
    - a new edition must come after the one in force, and a superseded edition never returns.
    """
    if not key:
        return _("The edition has no number or version.")
    in_force = (
        document.editions.filter(status=EditionStatus.IN_FORCE).first() if document.pk else None
    )
    if in_force is not None and key == in_force.key:
        if not edition_new_change_numbers(document=document, change_numbers=change_numbers):
            # A row added with a number the register already has: the row is there, and
            # "add the row" sent a tester looking for what they had added.
            recorded = Counter(in_force.changes.values_list("change_number", flat=True))
            typed = Counter(n.strip() for n in change_numbers if n.strip())
            again = sorted(n for n in typed if typed[n] > recorded[n])
            if again:
                taken = [int(n) for n in typed if n.isdigit()]
                return Refusal.at(
                    _(
                        "The revision register already has a change numbered %(number)s: the "
                        "new change's row takes a number of its own (the next one is %(next)s)."
                    )
                    % {"number": ", ".join(again), "next": max(taken) + 1 if taken else "…"},
                    "register_entries",
                    note=_("Give the new change's row a number of its own."),
                )
            return _(
                "This edition is in force: a change can be published only with its row in "
                "the revision register. Add the row: change number, section and clause, kind "
                "of change, date introduced, surname and name (the approval writes in its "
                "notice and the notice's date)."
            )
        return None
    return edition_succession_problem(
        document=document, key=key, edition_number=edition_number, in_force=in_force
    )


def change_alters_nothing_problem(
    *, document: ControlledDocument, key: str, printed: Mapping[str, Any]
) -> str | None:
    """Why a change to the edition in force cannot be registered: it changes nothing the
    document prints (title, code, text, forms: ``change_content``); None when it does, or
    when the draft is not such a change."""
    if not edition_is_change(document=document, key=key):
        return None
    if not change_alters_nothing(document=document, printed=printed):
        return None
    return _(
        "Nothing has changed since the published edition: the title, the text and the forms "
        "read as they do in force. A change is registered with what it changes: change them "
        "in the draft first."
    )


def edition_succession_problem(
    *,
    document: ControlledDocument,
    key: str,
    edition_number: int | None,
    in_force: Edition | None,
) -> str | None:
    """Why edition ``key`` cannot follow ``in_force`` (the edition in force, or None) as a
    new edition: it was in force before and was superseded, or it is older. Publication and
    the importer both ask here."""
    if document.pk and document.editions.filter(key=key).exists():
        return _(
            "Edition %(key)s was already in force and was superseded; issue a new edition."
        ) % {"key": key}
    if in_force and edition_number and in_force.number and edition_number < in_force.number:
        return _("A new edition must come after edition %(key)s, which is in force.") % {
            "key": in_force.key
        }
    return None


def edition_is_change(*, document: ControlledDocument, key: str) -> bool:
    """Whether a draft numbered ``key`` is a change inside the edition in force (rather than
    a new edition, or the first one)."""
    if not document.pk or not key:
        return False
    return document.editions.filter(status=EditionStatus.IN_FORCE, key=key).exists()


def edition_new_change_numbers(*, document: ControlledDocument, change_numbers) -> list[str]:
    """The register rows among ``change_numbers`` that the edition in force has not recorded
    yet: the rows of the change being drafted."""
    in_force = (
        document.editions.filter(status=EditionStatus.IN_FORCE).first() if document.pk else None
    )
    recorded = set(in_force.changes.values_list("change_number", flat=True)) if in_force else set()
    numbers = [n.strip() for n in change_numbers]
    return [n for n in numbers if n and n not in recorded]


def agreement_problem(*, agreers: list) -> str | None:
    """Why nobody could agree a draft whose КЕЛІСІЛДІ lines are linked to ``agreers`` (the
    accounts, or None for a line without one), or None when the agreement can go round.

    Every linked account must be able to act (an active account with admin access), else the
    agreement would wait for it for ever; and at least one line must be linked."""
    linked = [user for user in agreers if user is not None]
    if not linked:
        return _(
            "Nobody can agree this draft: no line of the agreed-by list (КЕЛІСІЛДІ) is linked "
            "to an account. On the Approval sheet tab, choose the account that agrees in the "
            "workflow for each agreer, then submit again."
        )
    for user in linked:
        if not (
            user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
        ):
            return _(
                "The account %(account)s, linked in the agreed-by list (КЕЛІСІЛДІ), cannot sign "
                "in to the admin, so the agreement would wait for it for ever. Link another "
                "account or give this one access."
            ) % {"account": user.get_username()}
    return None


class Refusal(str):
    """Why a draft cannot be submitted (the message itself), and ``panel``: the editor's rows
    (a formset's name) where it is put right, "" when it is said only at the top."""

    panel: str = ""
    note: str = ""  # what the rows say, when not the panel's usual note (admin_forms)

    @classmethod
    def at(cls, message: str, panel: str = "", note: str = "") -> Refusal:
        refusal = cls(message)
        refusal.panel, refusal.note = panel, note
        return refusal


def workflow_submission_problems(
    *,
    document: ControlledDocument,
    workflow,
    key: str,
    edition_number: int | None,
    change_numbers: list[str] | None,
    agreers: list | None,
    printed: Mapping[str, Any] | None = None,
) -> list[Refusal]:
    """Why a draft cannot be submitted to ``workflow``: what its approval would refuse
    (the edition rules, checked again at approval) and an agreement nobody could do; each
    with the editor's rows where it is put right (``Refusal.panel``).

    ``change_numbers`` or ``agreers`` None: the editor's rows of the register or of the
    КЕЛІСІЛДІ list have errors of their own, shown with them; the rule that reads them waits
    until they are corrected, rather than calling rows that are there missing. ``printed``:
    what the draft prints (``change_content.PRINTED_FIELDS``); a change that alters none of
    it is refused, and is not asked for a register row it has nothing to describe with."""
    from .models import AgreementTask

    problems = []
    empty = (
        change_alters_nothing_problem(document=document, key=key, printed=printed)
        if document.pk and printed is not None
        else None
    )
    if empty:
        problems.append(empty)
    rows_unread = change_numbers is None and edition_is_change(document=document, key=key)
    if document.pk and not rows_unread and not empty:
        problem = edition_publication_problem(
            document=document,
            key=key,
            edition_number=edition_number,
            change_numbers=change_numbers or [],
        )
        if problem:
            # A change to the edition in force wants its register row; another key, the
            # edition's number (said at the top).
            is_change = edition_is_change(document=document, key=key)
            if not isinstance(problem, Refusal):
                problem = Refusal.at(problem, "register_entries" if is_change else "")
            problems.append(problem)
    tasks = workflow.tasks.filter(active=True).specific() if workflow is not None else []
    if agreers is not None and any(isinstance(task, AgreementTask) for task in tasks):
        problem = agreement_problem(agreers=agreers)
        if problem:
            problems.append(Refusal.at(problem, "agreed_by"))
    return problems


def edition_check_publication(
    *, document: ControlledDocument, candidate: ControlledDocument
) -> None:
    """Raise ``ValidationError`` when publishing ``candidate`` breaks the edition rules."""
    problem = edition_publication_problem(
        document=document,
        key=candidate.edition_key,
        edition_number=candidate.edition_number,
        change_numbers=[row.change_number for row in candidate.register_entries.all()],
    ) or change_alters_nothing_problem(
        document=document, key=candidate.edition_key, printed=printed_fields(candidate)
    )
    if problem:
        raise ValidationError(problem)


def _orders_approving(revision) -> set[tuple[str, Any]] | None:
    """The orders (number, date) that the approvals of the workflow carrying ``revision``
    recorded; None when it was published without one."""
    if revision is None:
        return None
    from .models import ApprovalRecord
    from .notices import approvals_of

    orders = set(
        ApprovalRecord.objects.filter(task_state__in=approvals_of(revision)).values_list(
            "order_number", "order_date"
        )
    )
    return orders or None


def _approved_now(change: RegisterChange, orders: set[tuple[str, Any]] | None) -> bool:
    """Whether a new register row is a change this publication's approval approved (its
    notice is the order, or it has none yet), rather than one approved before and recorded
    late, whose own notice stands (no new notice is issued for it)."""
    if orders is None or not change.notice_number.strip():
        return True
    return (change.notice_number.strip(), change.notice_date) in orders


@transaction.atomic
def edition_record_publication(*, document: ControlledDocument, revision, user=None) -> Edition:
    """Record that ``revision`` of ``document`` is now live: its edition is in force, the
    edition it replaces is superseded, new register rows are kept and linked to the revision,
    and the form citations follow the published text."""
    today = timezone.localdate()
    effective = document.effective_date if document.effective_date else today
    if effective > today:
        effective = today
    key = document.edition_key
    edition = document.editions.filter(key=key).first()
    created = edition is None
    approved = _orders_approving(revision)
    if created:
        edition = Edition(
            document=document,
            key=key,
            effective_from=effective,
            # A document that states no day is in force from the day its approval by order
            # here published it: a tester read edition 1 "in force until" that day and
            # edition 2 "in force from: not stated in the document". Only one published
            # without an approval here (imported, or by the office's own hand) states none.
            effective_from_stated=document.effective_date is not None or approved is not None,
            first_revision=revision,
        )
    previous = document.editions.filter(status=EditionStatus.IN_FORCE).exclude(key=key)
    for old in previous:
        old.status = EditionStatus.SUPERSEDED
        old.superseded_on = edition.effective_from
        old.save()
    edition.number = document.edition_number
    edition.version = document.edition_version
    edition.label = document.edition_label
    edition.edition_date = document.edition_date
    edition.status = EditionStatus.IN_FORCE
    edition.superseded_on = None
    if created or not edition.approval_order_number:
        # The edition keeps the order that put it in force; a change inside it carries its
        # own order on its register row (notice no. and date).
        edition.approval_order_number = document.approval_order_number
        edition.approval_order_date = document.approval_order_date
    edition.revision = revision
    edition.published_at = timezone.now()
    edition.save()
    for old in previous:
        old.superseded_by = edition
        old.save(update_fields=["superseded_by"])

    noticed: list[int] = []
    for row in document.register_entries.all():
        number = row.change_number.strip()
        fields = {
            name: getattr(row, name)
            for name in RegisterChange.row_field_names()
            if name != "change_number"
        }
        change, made = RegisterChange.objects.get_or_create(
            edition=edition,
            change_number=number,
            defaults={**fields, "revision": revision, "recorded_by": user},
        )
        if made and not created and _approved_now(change, approved):
            noticed.append(change.pk)  # a change of the edition in force: its notice
        if not made and any(getattr(change, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(change, name, value)
            change.save()
    form_citations_sync(document=document)
    references_sync(document=document)
    references_resolve(document=document)
    # The staff of the units it applies to get a task to read it (emailed after commit).
    familiarisation_start(
        document=document, edition=edition, revision=revision, new_edition=created
    )
    # A published change gets its change notice once this publication has committed, and
    # before its official PDF is rendered: the PDF's register prints the notice's number.
    if noticed:
        from .notices import notice_after_publication

        transaction.on_commit(lambda: notice_after_publication(change_ids=noticed, user=user))
    # The official PDFs (the new edition or change, superseded copies) are rendered in the
    # background once this publication has committed.
    rendered = [edition.pk, *(old.pk for old in previous)]
    transaction.on_commit(lambda: renderings_enqueue(edition_ids=rendered))
    return edition


@transaction.atomic
def edition_start_new(*, document: ControlledDocument, user, label: str = "", version: str = ""):
    """Start the draft of the next edition: the number goes up, the register starts empty,
    the agreements and the approval order are to be collected again."""
    in_force = document.editions.filter(status=EditionStatus.IN_FORCE).first()
    if in_force is None:
        raise ValidationError(_("Only a document in force can get a new edition."))
    waiting = document.scheduled_revision
    if waiting is not None:
        # A tester started one while an approved change waited for its day: the page stayed
        # locked by that schedule, the new edition's draft was never saved, and cancelling
        # the schedule put the change's text into the new edition unannounced.
        day = timezone.localtime(waiting.approved_go_live_at).date()
        raise ValidationError(
            _(
                "An approved change comes into force on %(day)s: start the new edition once "
                "it is in force (or once its scheduled publication is cancelled, on the "
                "editor's status panel)."
            )
            % {"day": format_date(day)}
        )
    draft = document.get_latest_revision_as_object()
    if in_force.number:
        draft.edition_number = in_force.number + 1
        draft.edition_version = version
        draft.edition_label = label or f"№{draft.edition_number} басылым"
    else:
        if not version or version == in_force.version:
            raise ValidationError(_("Give the new version, for example 3.0."))
        draft.edition_number = None
        draft.edition_version = version
        draft.edition_label = label or f"{version} нұсқа"
    draft.introduced_first_time = False
    draft.replaces_edition = in_force.label
    draft.edition_date = None
    # The title page's year is the new edition's (a tester's edition approved in 2026 had
    # «Ақтөбе, 2025 ж.» on its cover, the year the old one stated).
    draft.title_page_year = None
    draft.effective_date = None
    draft.go_live_at = None
    draft.approval_order_number = ""
    draft.approval_order_date = None
    draft.register_entries = []
    # Every agreement is asked again: no date of the edition in force stays on the new one's
    # sheet. (The lines are taken once: each ``all()`` of a draft rebuilt from its revision
    # gives new copies, and the dates cleared on one set were lost with it.)
    lines = list(draft.agreed_by.all())
    for line in lines:
        line.date = None
    draft.agreed_by = lines
    return draft.save_revision(user=user, clean=False)


def edition_record_withdrawal(
    *, document: ControlledDocument, day: datetime.date | None = None
) -> None:
    """The edition in force stops being in force on ``day`` (today by default): how a document
    is withdrawn. Runs on every unpublication (``signals.record_withdrawal``), whichever way
    it came: the admin's Unpublish action, expiry, ``page.unpublish()``."""
    day = day or timezone.localdate()
    for edition in document.editions.filter(status=EditionStatus.IN_FORCE):
        edition.status = EditionStatus.WITHDRAWN
        edition.superseded_on = max(day, edition.effective_from)
        edition.save()


def form_citations_sync(*, document: ControlledDocument) -> list[FormCitation]:
    """Make a form object for every form code the published text cites, and record where."""
    organisation = document.organisation
    if organisation is None:
        return []
    prefix = organisation.code_prefix
    FormCitation.objects.filter(document=document).delete()
    citations: list[FormCitation] = []
    forms_by_code: dict[str, QmsForm] = {}
    for number, anchor, text in _cited_texts(document):
        for code in find_form_codes(text, prefix):
            form = forms_by_code.get(code) or form_for_code(document=document, code=code)
            forms_by_code[code] = form
            citation, _created = FormCitation.objects.get_or_create(
                form=form, document=document, anchor=anchor, defaults={"clause": number}
            )
            citations.append(citation)
    if document.number:
        QmsForm.objects.filter(
            organisation=organisation,
            owning_document__isnull=True,
            number__startswith=f"{document.number}-",
        ).update(owning_document=document)
    return citations


def form_for_code(*, document: ControlledDocument, code: str) -> QmsForm:
    """The organisation's form with ``code``, created (with its first revision) if missing."""
    match = FORM_CODE_PARTS.search(code)
    number = match.group("number") if match else code
    kind = match.group("kind") if match else "Ү"
    owner = None
    procedure_number = number.split("-")[0]
    if procedure_number == document.number:
        owner = document
    else:
        owner = ControlledDocument.objects.filter(
            organisation=document.organisation, number=procedure_number
        ).first()
    form, created = QmsForm.objects.get_or_create(
        organisation=document.organisation,
        code=code,
        defaults={"number": number, "kind": kind, "owning_document": owner},
    )
    if created:
        form.save_revision(log_action=True)
    return form


def references_sync(*, document: ControlledDocument) -> list[DocumentReference]:
    """Record every other procedure the text cites, linked when it is already in Sapa."""
    organisation = document.organisation
    if organisation is None:
        return []
    cited = (
        (code, number)
        for number, _anchor, text in _cited_texts(document)
        for code in find_procedure_codes(text, organisation.code_prefix)
        if code != document.code
    )
    return references_record(document=document, citations=cited)


def references_record(
    *, document: ControlledDocument, citations: Iterable[tuple[str, str]]
) -> list[DocumentReference]:
    """Replace ``document``'s references by ``citations`` (code, clause; "" when the clause
    is not known), each linked to the document with that code when it is already in Sapa.
    The one writer of references: publication reads them from the text, the importer from
    the file."""
    DocumentReference.objects.filter(document=document).delete()
    made: dict[tuple[str, str], DocumentReference] = {}
    for code, clause in citations:
        if (code, clause) in made:
            continue
        target = (
            ControlledDocument.objects.filter(organisation=document.organisation, code=code)
            .exclude(pk=document.pk)
            .first()
        )
        made[(code, clause)] = DocumentReference.objects.create(
            document=document, code=code, clause=clause, target=target
        )
    return list(made.values())


def references_resolve(*, document: ControlledDocument) -> int:
    """Link the pending references that cite ``document``'s code."""
    if not document.code:
        return 0
    return DocumentReference.objects.filter(
        document__organisation=document.organisation, code=document.code, target__isnull=True
    ).update(target=document)


def _cited_texts(document: ControlledDocument):
    """(clause number, anchor, text) for every block of the body that carries text."""
    anchors = {entry.position: entry for entry in build_outline(document.body)}
    for section_index, section in enumerate(document.body):
        section_entry = anchors.get((section_index, None))
        current_number = section_entry.number if section_entry else ""
        current_anchor = section_entry.anchor if section_entry else ""
        for child_index, child in enumerate(section.value["content"] or []):
            entry = anchors.get((section_index, child_index))
            if entry is not None and entry.kind != "subheading":
                current_number, current_anchor = entry.number, entry.anchor
            yield current_number, current_anchor, block_text(child)
