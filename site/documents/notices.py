"""Issuing change notices (хабарлама) when a change of an edition in force is published.

``notice_issue`` runs once the publication has committed: it takes the organisation's next
number for the year under a lock on the counter row (``select_for_update``; the unique
constraint on the number is the last guard, and a clash is retried), records what changed,
why, from when and by whose order, and queues the PDF (rendered once and kept)."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ChangeNotice, ControlledDocument, NoticeCounter, RegisterChange
from .outline import block_text, build_outline

KIND_KK = {"modify": "өзгерту", "add": "қосу", "delete": "жою"}
CLAUSE_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def next_notice_number(*, organisation, year: int) -> int:
    """The next number of ``organisation`` in ``year``; call inside a transaction: the
    counter row stays locked until it commits."""
    counter = (
        NoticeCounter.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                counter = NoticeCounter.objects.create(organisation=organisation, year=year)
        except IntegrityError:  # another publication created it first
            counter = NoticeCounter.objects.select_for_update().get(
                organisation=organisation, year=year
            )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def clause_text(child) -> str:
    """A clause as printed: its heading and text, then each of its items after a dash."""
    if child.block_type != "clause":
        return block_text(child)
    value = child.value
    parts = [value.get("title") or "", value.get("text") or ""]
    parts += [f"– {item}" for item in value.get("items", []) or []]
    return "\n".join(part for part in parts if part)


def wording_of(document, section_clause: str, change_type: str) -> str:
    """The new wording of the clauses a register row names ("7.2", "3.1.5, 3.1.6"), as the
    published text prints them; nothing for a deletion."""
    if change_type == "delete":
        return ""
    outline = build_outline(document.body)
    texts = []
    for number in CLAUSE_NUMBER.findall(section_clause or ""):
        entry = next((e for e in outline if e.number == number and e.kind != "section"), None)
        if entry is not None:
            section = document.body[entry.position[0]]
            child = section.value["content"][entry.position[1]]
            texts.append(f"{number} {clause_text(child)}".strip())
            continue
        entry = next((e for e in outline if e.number == number), None)
        if entry is not None:
            texts.append(f"{number} {entry.title}".strip())
    return "\n".join(texts)


def approvals_of(revision):
    """The approvals (БЕКІТІЛДІ) given in the workflows that carried ``revision``, in order."""
    from wagtail.models import TaskState

    from .models import ApprovalTask

    workflow_ids = set(
        TaskState.objects.filter(revision_id=revision.pk).values_list(
            "workflow_state_id", flat=True
        )
    )
    return TaskState.objects.filter(
        workflow_state_id__in=workflow_ids,
        status=TaskState.STATUS_APPROVED,
        task_id__in=ApprovalTask.objects.values("pk"),
    ).order_by("started_at", "pk")


def reason_of(*, revision) -> str:
    """Why the change was made: the comment given with its approval (БЕКІТІЛДІ) in the
    workflow that carried ``revision``. Agreers' remarks and "request changes" comments are
    no reason, so they are left out."""
    comments: list[str] = []
    for state in approvals_of(revision):
        comment = (state.comment or "").strip()
        if comment and comment not in comments:
            comments.append(comment)
    return "\n".join(comments)


def approver_of(document, *, revision=None) -> str:
    """Who approved by order: the approval sheet's position (БЕКІТІЛДІ) with the name given
    in the approval of the workflow that carried ``revision`` (who signed the change's
    order), else the approval sheet's name."""
    from .models import ApprovalRecord

    name = ""
    if revision is not None:
        name = (
            ApprovalRecord.objects.filter(task_state__in=approvals_of(revision))
            .exclude(approver_name="")
            .order_by("-recorded_at", "-pk")
            .values_list("approver_name", flat=True)
            .first()
        ) or ""
    name = (name or document.approver_name).strip()
    position = document.approver_position.strip()
    if position and name.casefold().startswith(position.casefold()):
        position = ""  # typed with the position: "Ректор М.Бегентаев"
    return " ".join(part for part in (position, name) if part)


def notice_issue(*, change_ids: list[int], user=None, reason: str = "") -> ChangeNotice | None:
    """The notice of the register rows ``change_ids`` (published together by one revision),
    issued now if they have none. Returns None when there is nothing to notify (no rows, no
    organisation)."""
    changes = list(
        RegisterChange.objects.filter(pk__in=change_ids)
        .select_related("edition", "revision")
        .order_by("pk")
    )
    if not changes:
        return None
    edition = changes[0].edition
    document = ControlledDocument.objects.get(pk=edition.document_id).specific
    organisation = document.organisation
    if organisation is None:
        return None
    existing = ChangeNotice.objects.filter(changes__in=changes).first()
    if existing is not None:
        return existing
    revision = changes[0].revision
    published = revision.as_object() if revision is not None else document
    today = timezone.localdate()
    order = next((c for c in changes if c.notice_number), None)
    rows = [
        {
            "change_number": c.change_number,
            "section_clause": c.section_clause,
            "change_type": c.change_type,
            "kind": KIND_KK.get(c.change_type, c.change_type),
            "wording": wording_of(published, c.section_clause, c.change_type),
        }
        for c in changes
    ]
    reason = reason or (reason_of(revision=revision) if revision is not None else "")
    for attempt in range(5):
        try:
            with transaction.atomic():
                sequence = next_notice_number(organisation=organisation, year=today.year)
                notice = ChangeNotice.objects.create(
                    organisation=organisation,
                    year=today.year,
                    sequence=sequence,
                    number=f"{sequence}/{today.year}",
                    document=document,
                    edition=edition,
                    revision=revision,
                    rows=rows,
                    reason=reason,
                    issued_on=today,
                    effective_date=today,
                    order_number=order.notice_number if order else "",
                    order_date=order.notice_date if order else None,
                    approver=approver_of(published, revision=revision),
                    created_by=user,
                )
                notice.changes.set(changes)
        except IntegrityError:
            found = ChangeNotice.objects.filter(changes__in=changes).first()
            if found is not None:
                return found
            if attempt == 4:
                raise
            continue
        break
    transaction.on_commit(lambda: notice_render_enqueue(notice_id=notice.pk))
    return notice


def notice_after_publication(*, change_ids: list[int], user=None) -> None:
    """Called once a publication has committed (``services.edition_record_publication``)."""
    if change_ids:
        notice_issue(change_ids=change_ids, user=user)


def notice_render_enqueue(*, notice_id: int) -> None:
    from .tasks import render_notice_task

    render_notice_task.enqueue(notice_id)
