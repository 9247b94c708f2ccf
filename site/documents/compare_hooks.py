"""Admin wiring of "what changed": the register rows proposed from a draft's comparison
with the edition in force, offered to the quality office from the page editor's header; and
how Wagtail's comparison of two revisions shows dates, numbers and yes/no values."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.compare import (
    ChoiceFieldComparison,
    FieldComparison,
    StreamBlockComparison,
    StreamFieldComparison,
    TextDiff,
    TextFieldComparison,
    register_comparison_class,
)
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.fields import StreamField

from sapa.localisation.dates import format_date, format_datetime

from .admin_permissions import user_acts_on_page
from .blocks import DocumentBodyBlock
from .compare import add_proposed_rows, draft_changes, propose_register_rows
from .models import ControlledDocument


def propose_rows(request, page_id: int):
    """The draft compared with the text in force, and one register row proposed for each
    changed clause; "Add to the draft's register" writes them into a new draft revision,
    where they are edited (notice, date, person) before the draft is submitted."""
    page = get_object_or_404(ControlledDocument, pk=page_id).specific
    if not (
        page.permissions_for_user(request.user).can_edit() and user_acts_on_page(request.user, page)
    ):
        raise PermissionDenied
    changes = draft_changes(page)
    rows = propose_register_rows(page, changes)
    if request.method == "POST":
        lock = page.get_lock()
        if lock is not None and lock.for_user(request.user):
            messages.error(
                request,
                _("The page is locked (%(reason)s): the register rows were not added.")
                % {"reason": lock.get_message(request.user)},
            )
            return redirect(reverse("documents_propose_rows", args=(page.pk,)))
        if not rows:
            messages.warning(request, _("There are no register rows to add."))
            return redirect(reverse("documents_propose_rows", args=(page.pk,)))
        add_proposed_rows(page, rows, user=request.user)
        messages.success(
            request,
            _(
                "%(count)d register rows were added to the draft: check them on the Register tab "
                "before submitting."
            )
            % {"count": len(rows)},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return TemplateResponse(
        request,
        "documents/compare/admin_propose.html",
        {"page": page, "changes": changes, "rows": rows, "has_live": page.live_revision_id},
    )


@hooks.register("register_admin_urls")
def compare_admin_urls():
    return [
        path(
            "documents/<int:page_id>/propose-rows/",
            propose_rows,
            name="documents_propose_rows",
        )
    ]


class ProposeRowsButton(PageMenuItem):
    label = gettext_lazy("Propose register rows")
    icon_name = "list-ul"
    priority = 26

    @property
    def url(self):
        return reverse("documents_propose_rows", args=(self.page.pk,))

    def is_shown(self, user):
        page = self.page.specific
        return (
            isinstance(page, ControlledDocument)
            and page.live
            and page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def compare_header_buttons(page, user, view_name, next_url=None):
    if isinstance(page.specific, ControlledDocument):
        yield ProposeRowsButton(page=page, next_url=next_url)


class InterfaceValueComparison(FieldComparison):
    """A date, number or yes/no field compared as the reader reads it: dates in the
    interface language's form, yes or no in words, an empty value as a dash. Wagtail's own
    printed "2026-12-03", "True" and "None", in English whatever the language."""

    @staticmethod
    def as_text(value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.datetime):
            return format_datetime(value)
        if isinstance(value, datetime.date):
            return format_date(value)
        return str(value)

    def htmldiff(self):
        before, after = self.as_text(self.val_a), self.as_text(self.val_b)
        if self.val_a != self.val_b:
            return TextDiff([("deletion", before), ("addition", after)]).to_html()
        return escape(before)


for _field_class in (models.DateField, models.IntegerField, models.BooleanField):
    register_comparison_class(_field_class, comparison_class=InterfaceValueComparison)


def _differs(comparison) -> bool:
    """Whether a section differs, by what is stored of it, its blocks' ids left aside (a
    block stored without one gets a new id each time it is read). Wagtail's own test compares
    the values, and a list's value (the abbreviations table's rows) equals no other list, not
    even the same rows read twice: every section with a table was shown as changed."""
    block = comparison.block
    return _content(block.get_prep_value(comparison.val_a)) != _content(
        block.get_prep_value(comparison.val_b)
    )


def _content(value):
    if isinstance(value, dict):
        return {key: _content(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_content(item) for item in value]
    return value


class _ChangedSections(StreamBlockComparison):
    """Wagtail's comparison of a stream, keeping only the blocks that changed; the numbers of
    the sections left as they were are kept in ``unchanged``."""

    unchanged: list[str]

    def get_block_comparisons(self):
        kept, self.unchanged = [], []
        for comparison in super().get_block_comparisons():
            if comparison.is_new() or comparison.is_deleted() or _differs(comparison):
                kept.append(comparison)
            else:
                value = comparison.val_a
                self.unchanged.append(str(value.get("number", "")) if hasattr(value, "get") else "")
        return kept


class DocumentBodyComparison(StreamFieldComparison):
    """A document's body compared as its agreers read it: each section that changed, whole,
    its changes marked, and one line naming the sections left as they were. Wagtail showed
    every section of the document, so that a one-clause change of an eleven-section procedure
    had to be looked for."""

    def htmldiff(self):
        ids = self.has_block_ids(self.val_a) and self.has_block_ids(self.val_b)
        if not ids or not isinstance(self.field.stream_block, DocumentBodyBlock):
            return super().htmldiff()
        sections = _ChangedSections(self.field.stream_block, True, True, self.val_a, self.val_b)
        changed = sections.htmldiff()
        numbers = [number for number in sections.unchanged if number]
        if not numbers:
            return changed
        same = format_html(
            '<p class="help unchanged-sections">{}</p>',
            ngettext(
                "Section left as it was: %(numbers)s",
                "Sections left as they were: %(numbers)s",
                len(numbers),
            )
            % {"numbers": ", ".join(numbers)},
        )
        return format_html("{}{}", changed, same)


register_comparison_class(StreamField, comparison_class=DocumentBodyComparison)


def is_content(comparison) -> bool:
    """Whether a field of the comparison holds the document's own text (its title, body,
    names and positions as printed), not a value the interface words (a date, a choice)."""
    return isinstance(comparison, (TextFieldComparison, StreamFieldComparison)) and not (
        isinstance(comparison, ChoiceFieldComparison)
    )
