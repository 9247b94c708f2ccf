"""What changed between two texts of a document, clause by clause.

Two published texts (two editions, or the text before and after a published change, or a
draft and the edition in force) are cut into *units*: each section heading and each numbered
clause, keyed by its anchor from the outline (``3.1.5``, ``s-7``). Unnumbered blocks (a
paragraph, bullets, a table) belong to the numbered block before them, or to their section.

Units are then matched by anchor: present only after → added; only before → removed; in
both but in another section or out of order → moved; with other words → modified. Inside a
modified clause the changed words are marked ``<del>``/``<ins>``, found by Python's difflib
``SequenceMatcher`` over word tokens (words, spaces and punctuation; Kazakh letters are word
characters, so ә ғ қ ң ө ұ ү һ і stay whole inside their words).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .outline import block_text, build_outline, clean_number

ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
MODIFIED = "modified"

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Unit:
    """One section heading or numbered clause of a text, with its words."""

    anchor: str
    number: str
    kind: str
    section_number: str
    title: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(part for part in self.parts if part)


@dataclass
class ClauseChange:
    kind: str  # ADDED, REMOVED, MOVED, MODIFIED
    anchor: str
    number: str
    section_number: str
    title: str
    old_text: str = ""
    new_text: str = ""
    old_section_number: str = ""
    words_changed: bool = False

    @property
    def marked(self) -> SafeString:
        """The clause's words with what was taken out in ``<del>`` and what was put in
        ``<ins>``; everything else escaped."""
        return mark_words(self.old_text, self.new_text)

    @property
    def is_section(self) -> bool:
        return self.anchor.startswith("s-") and self.number == self.section_number

    @property
    def change_type(self) -> str:
        """The register's kind of change (``ChangeType``) this change asks for."""
        from .models.pages import ChangeType

        return {ADDED: ChangeType.ADD, REMOVED: ChangeType.DELETE}.get(self.kind, ChangeType.MODIFY)


def tokens(text: str) -> list[str]:
    return TOKENS.findall(text or "")


def mark_words(old: str, new: str) -> SafeString:
    """``old`` turned into ``new``, the changed words marked ``<del>``/``<ins>``."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))


def units_of(body) -> dict[str, Unit]:
    """The sections and numbered clauses of ``body`` by anchor, in reading order."""
    anchors = {entry.position: entry for entry in build_outline(body)}
    units: dict[str, Unit] = {}
    for section_index, section in enumerate(body):
        if section.block_type != "section":
            continue
        entry = anchors.get((section_index, None))
        if entry is None:
            continue
        heading = Unit(
            anchor=entry.anchor,
            number=entry.number,
            kind="section",
            section_number=entry.number,
            title=section.value["title"],
            parts=[f"{entry.number} {section.value['title']}"],
        )
        units[heading.anchor] = heading
        current = heading
        for child_index, child in enumerate(section.value["content"] or []):
            child_entry = anchors.get((section_index, child_index))
            if child_entry is not None and child_entry.kind != "subheading":
                current = Unit(
                    anchor=child_entry.anchor,
                    number=child_entry.number,
                    kind=child_entry.kind,
                    section_number=entry.number,
                    title=child_entry.title,
                    parts=[block_text(child)],
                )
                units[current.anchor] = current
            else:
                current.parts.append(block_text(child))
    return units


def compare_bodies(old_body, new_body) -> list[ClauseChange]:
    """The clause-by-clause changes from ``old_body`` to ``new_body``, in the order of the
    new text (removed clauses where they stood)."""
    old, new = units_of(old_body), units_of(new_body)
    common_old = [anchor for anchor in old if anchor in new]
    common_new = [anchor for anchor in new if anchor in old]
    in_order = set()
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        in_order.update(common_old[block.a : block.a + block.size])

    changes: list[ClauseChange] = []
    removed = [anchor for anchor in old if anchor not in new]
    placed: set[str] = set()

    def place_removed_before(anchor: str | None) -> None:
        """Removed clauses that stood before ``anchor`` in the old text (all, for None)."""
        limit = list(old).index(anchor) if anchor in old else len(old)
        for gone in removed:
            if gone not in placed and list(old).index(gone) < limit:
                unit = old[gone]
                placed.add(gone)
                changes.append(
                    ClauseChange(
                        kind=REMOVED,
                        anchor=unit.anchor,
                        number=unit.number,
                        section_number=unit.section_number,
                        title=unit.title,
                        old_text=unit.text,
                    )
                )

    for anchor, unit in new.items():
        if anchor not in old:
            changes.append(
                ClauseChange(
                    kind=ADDED,
                    anchor=anchor,
                    number=unit.number,
                    section_number=unit.section_number,
                    title=unit.title,
                    new_text=unit.text,
                )
            )
            continue
        place_removed_before(anchor)
        before = old[anchor]
        words_changed = before.text != unit.text
        moved = anchor not in in_order or before.section_number != unit.section_number
        if moved or words_changed:
            changes.append(
                ClauseChange(
                    kind=MOVED if moved else MODIFIED,
                    anchor=anchor,
                    number=unit.number,
                    section_number=unit.section_number,
                    title=unit.title,
                    old_text=before.text,
                    new_text=unit.text,
                    old_section_number=before.section_number,
                    words_changed=words_changed,
                )
            )
    place_removed_before(None)
    return changes


def compare_revisions(old_revision, new_revision) -> list[ClauseChange]:
    return compare_bodies(old_revision.as_object().body, new_revision.as_object().body)


# --- the text a change or an edition compares ---------------------------------------------


def change_revisions(change):
    """(text before, text after) a published register row, or None when Sapa does not keep
    the earlier text (the row came with the edition's first publication)."""
    from wagtail.models import Revision

    from .selectors import revision_before_change

    earlier = revision_before_change(change=change)
    if not earlier or change.revision_id is None:
        return None
    before = Revision.objects.filter(pk=earlier).first()
    return (before, change.revision) if before is not None else None


def previous_edition(edition):
    """The edition this one followed: the latest one of the document that came into force
    before it and was published."""
    return (
        edition.document.editions.filter(revision__isnull=False)
        .exclude(pk=edition.pk)
        .filter(effective_from__lte=edition.effective_from, pk__lt=edition.pk)
        .order_by("-effective_from", "-pk")
        .first()
    )


def edition_revisions(edition):
    """(last text of the previous edition, text the edition came into force with), or None
    for a first edition."""
    earlier = previous_edition(edition)
    after = edition.first_revision or edition.revision
    if earlier is None or earlier.revision is None or after is None:
        return None
    return (earlier.revision, after)


def published_text_of(item):
    """The published revision an edition (as it last stood) or a register row (the change
    as it came into force) stands for."""
    from .models.editions import Edition, RegisterChange

    if isinstance(item, Edition):
        return item.revision
    if isinstance(item, RegisterChange):
        return item.revision
    raise TypeError(f"not an edition or a register row: {item!r}")


def compare_published(old, new) -> list[ClauseChange]:
    """Any two published texts, each named by an edition or a register row: edition 1
    against edition 2, change 1 against change 3, an edition against a change."""
    before, after = published_text_of(old), published_text_of(new)
    if before is None or after is None:
        raise ValueError("Sapa does not keep the published text of one of the two")
    return compare_revisions(before, after)


# --- proposed register rows ---------------------------------------------------------------


@dataclass
class ProposedRow:
    change_number: str
    section_clause: str
    change_type: str
    change: ClauseChange

    def get_change_type_display(self) -> str:
        from .models.pages import ChangeType

        return ChangeType(self.change_type).label


def next_change_number(numbers) -> int:
    taken = [int(n) for n in (clean_number(str(n)) for n in numbers) if n.isdigit()]
    return max(taken, default=0) + 1


def draft_changes(page) -> list[ClauseChange]:
    """The latest draft of ``page`` compared with its live text (the edition in force)."""
    live = page.live_revision
    draft = page.get_latest_revision()
    if live is None or draft is None or draft.pk == live.pk:
        return []
    return compare_revisions(live, draft)


def propose_register_rows(page, changes: list[ClauseChange] | None = None) -> list[ProposedRow]:
    """One register row per changed clause of the draft: number, section and clause, kind.
    Numbers follow the rows already in the draft's register; a clause that already has a
    row there is not proposed again."""
    if changes is None:
        changes = draft_changes(page)
    draft = page.get_latest_revision_as_object()
    existing = list(draft.register_entries.all())
    listed = {
        clean_number(part)
        for entry in existing
        for part in re.split(r"[,;]", entry.section_clause)
        if part.strip()
    }
    number = next_change_number([entry.change_number for entry in existing])
    rows = []
    for change in changes:
        if change.is_section and not change.words_changed and change.kind == MOVED:
            continue
        where = change.section_number if change.is_section else change.number
        if where in listed:
            continue
        rows.append(
            ProposedRow(
                change_number=str(number),
                section_clause=where,
                change_type=change.change_type,
                change=change,
            )
        )
        number += 1
    return rows


def add_proposed_rows(page, rows: list[ProposedRow], *, user) -> object:
    """Add ``rows`` to the register of ``page``'s latest draft and save a new revision (the
    draft is not published); the rows are then edited in the page editor as any other."""
    from .models.pages import RegisterEntry

    draft = page.get_latest_revision_as_object()
    name = (user.get_full_name() or user.get_username()) if user else ""
    today = timezone.localdate()
    draft.register_entries = [
        *draft.register_entries.all(),
        *(
            RegisterEntry(
                change_number=row.change_number,
                section_clause=row.section_clause,
                change_type=row.change_type,
                entered_date=today,
                entered_by=name,
            )
            for row in rows
        ),
    ]
    return draft.save_revision(user=user, log_action=True)


# --- the public pages ---------------------------------------------------------------------


def _find_change(edition, number: str):
    return next((c for c in edition.changes.all() if number in (c.change_number, c.url_key)), None)


def _diff_response(request, *, page, pair, **extra):
    from django.template.response import TemplateResponse

    before, after = pair
    context = page.get_context(request)
    context.update(
        {
            "document_page": page,
            "changes": compare_revisions(before, after),
            "before_revision": before,
            "after_revision": after,
            **extra,
        }
    )
    return TemplateResponse(request, "documents/compare/diff.html", context)


def change_diff_response(request, *, page, key: str, number: str):
    """What change ``number`` of edition ``key`` changed: the published text before it
    against the published text that carried it. Only published revisions are compared."""
    from django.http import Http404

    edition = page._edition_for(key)
    change = _find_change(edition, number) if edition is not None else None
    pair = change_revisions(change) if change is not None else None
    if pair is None:
        raise Http404
    return _diff_response(request, page=page, pair=pair, edition=edition, change=change)


def edition_diff_response(request, *, page, key: str):
    """What changed in edition ``key``: the last text of the edition before it against the
    text this edition came into force with."""
    from django.http import Http404

    edition = page._edition_for(key)
    pair = edition_revisions(edition) if edition is not None else None
    if pair is None:
        raise Http404
    return _diff_response(
        request, page=page, pair=pair, edition=edition, previous=previous_edition(edition)
    )
