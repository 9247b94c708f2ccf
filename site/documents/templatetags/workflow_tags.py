"""``{% load workflow_tags %}``: how a task's state reads in Wagtail's admin screens that Sapa
overrides (workflow history, its detail, the status panel's timeline, the dashboard, the
workflow reports). An agreement that is complete reads "Agreed", not Wagtail's "Approved"
(БЕКІТІЛДІ in Kazakh, the approval's word); see ``AgreementTask.status_labels``."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..models.workflow import (
    agreement_summary,
    agreements_of_round,
    approval_summary,
    is_agreement_task,
    made_by_approval,
    task_status_display,
)

register = template.Library()


@register.simple_tag
def task_status(task, status) -> str:
    """``{% task_status task status as label %}``: the label of ``task`` in ``status``
    ("Not started" without a status); nothing where there is no task state at all, as
    Wagtail's own ``task_state.get_status_display`` there."""
    if not task:
        return ""
    return task_status_display(task, status)


@register.filter
def is_agreement(task) -> bool:
    """``{% if task|is_agreement %}``: the task is an agreement (its own wording)."""
    return is_agreement_task(task)


@register.simple_tag
def agreements_of(task_state) -> list:
    """``{% agreements_of task_state as agreed %}``: every agreer's agreement of an agreement
    round, in order (Wagtail keeps only who finished the round: the detail's tasks tab named
    the last agreer alone); [] for any other task state."""
    return agreements_of_round(task_state)


@register.filter
def written_by_approval(revision) -> bool:
    """``{% if revision|written_by_approval %}``: the revision is the approval's, which wrote
    its order in (``made_by_approval``), not an edit."""
    return revision is not None and made_by_approval(revision)


def _terms_kept(sentence: str) -> str:
    """``sentence``, escaped, with the approval sheet's Kazakh word КЕЛІСІЛДІ marked as such
    in every interface language: a term of the document, not a word to translate."""
    return mark_safe(  # escaped first; the span is ours
        conditional_escape(sentence).replace(
            "КЕЛІСІЛДІ", '<span lang="kk" translate="no">КЕЛІСІЛДІ</span>'
        )
    )


@register.simple_tag
def agreement_of(page, user) -> str:
    """``{% agreement_of object request.user %}``: what agreeing to the page's draft puts the
    user's name to (the agreement dialog's sentence)."""
    return _terms_kept(agreement_summary(page, user))


@register.simple_tag
def approval_of(page) -> str:
    """``{% approval_of object %}``: what approving the page's draft does (the dialog's
    sentence: which document, edition or change, and when it is published)."""
    return _terms_kept(approval_summary(page))
