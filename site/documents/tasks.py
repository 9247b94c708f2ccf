"""Background work of the documents app (django-tasks, the database queue the OCR uses):
rendering the official PDFs once an edition or change is published."""

from __future__ import annotations

from django_tasks import task


@task(backend="background")
def render_edition_task(edition_id: int) -> int:
    """Render every missing PDF of the edition (its changes, its superseded copies); what is
    already rendered is left as it is. Returns how many renderings the edition has."""
    from .models import Edition
    from .rendering import render_edition

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return 0
    return len(render_edition(edition))


def renderings_enqueue(*, edition_ids: list[int]) -> None:
    """Queue the renderings of these editions; called once the publication has committed."""
    for edition_id in edition_ids:
        render_edition_task.enqueue(edition_id)


@task(backend="background")
def render_notice_task(notice_id: int) -> str:
    """Render a change notice's PDF once; a stored one is left as it is. Returns its SHA-256."""
    from .models import ChangeNotice
    from .rendering.notices import render_notice

    notice = ChangeNotice.objects.filter(pk=notice_id).first()
    return render_notice(notice).sha256 if notice is not None else ""
