"""Official renderings, made once and kept: which units a published edition has, rendering
one that is missing, and where the files live.

A unit is an edition as first published, or the document as it reads after one of its
changes (register rows); each has an official copy and, once its edition is superseded, a
copy stamped "Жарамсыз". A unit rendered once is never rendered again, whatever the
templates say later: the stored file is what was handed out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from wagtail.models import Revision

from ..models import (
    Edition,
    EditionStatus,
    OfficialRendering,
    RegisterChange,
    RenderingKind,
)
from .html import TEMPLATE_VERSION, Subject, render_html
from .pdf import html_to_pdf


def renderings_storage() -> Storage:
    """Private storage: no URL serves it; the document page's permission-checked route does.
    ``STORAGES["renderings"]`` when configured, else a folder (``SAPA_RENDERINGS_ROOT``,
    by default ``<var>/renderings``)."""
    if "renderings" in settings.STORAGES:
        return storages.create_storage(settings.STORAGES["renderings"])
    root = getattr(settings, "SAPA_RENDERINGS_ROOT", None) or Path(settings.VAR_DIR) / "renderings"
    return FileSystemStorage(location=str(root))


@dataclass(frozen=True)
class Unit:
    edition: Edition
    change: RegisterChange | None
    kind: str

    @property
    def revision_id(self) -> int | None:
        if self.change is not None:
            return self.change.revision_id
        return self.edition.first_revision_id or self.edition.revision_id


def units_of(edition: Edition) -> list[Unit]:
    """Every rendering ``edition`` should have: official copies of the edition and of each
    change, and the same stamped "Жарамсыз" once the edition is superseded."""
    kinds = [RenderingKind.OFFICIAL]
    if edition.status == EditionStatus.SUPERSEDED:
        kinds.append(RenderingKind.SUPERSEDED)
    changes = [c for c in edition.changes.order_by("pk") if c.revision_id]
    return [Unit(edition, change, kind) for kind in kinds for change in [None, *changes]]


def existing(unit: Unit) -> OfficialRendering | None:
    return OfficialRendering.objects.filter(
        edition=unit.edition, change=unit.change, kind=unit.kind
    ).first()


def missing_units(editions=None) -> Iterator[Unit]:
    """Units of published editions that have no rendering yet (``documents_render``)."""
    editions = editions if editions is not None else Edition.objects.all()
    editions = editions.filter(
        status__in=[EditionStatus.IN_FORCE, EditionStatus.SUPERSEDED]
    ).select_related("document")
    for edition in editions.order_by("document_id", "pk"):
        for unit in units_of(edition):
            if unit.revision_id and existing(unit) is None:
                yield unit


def subject_of(unit: Unit) -> Subject:
    revision = Revision.objects.get(pk=unit.revision_id)
    return Subject(
        document=revision.as_object(),
        edition=unit.edition,
        change=unit.change,
        revision_id=revision.pk,
        kind=unit.kind,
    )


def file_name_for(unit: Unit, sha256: str) -> str:
    document = unit.edition.document
    stem = slugify(document.code or document.title, allow_unicode=True) or f"doc-{document.pk}"
    parts = [stem, f"edition-{unit.edition.url_key}"]
    if unit.change is not None:
        parts.append(f"change-{unit.change.url_key}")
    parts += [unit.kind, sha256[:12]]
    return f"documents/{document.pk}/{'-'.join(parts)}.pdf"


def render_unit(unit: Unit) -> OfficialRendering:
    """The unit's rendering: the stored one if there is one (never rendered again), else
    rendered now, its file written, and its row committed; a file whose row cannot be
    committed (another worker got there first, a database error) is removed."""
    found = existing(unit)
    if found is not None:
        return found
    pdf = html_to_pdf(render_html(subject_of(unit)))
    data = pdf.data
    sha256 = hashlib.sha256(data).hexdigest()
    storage = renderings_storage()
    name = storage.save(file_name_for(unit, sha256), ContentFile(data))
    try:
        with transaction.atomic():
            return OfficialRendering.objects.create(
                document_id=unit.edition.document_id,
                edition=unit.edition,
                change=unit.change,
                change_number=unit.change.change_number if unit.change else "",
                kind=unit.kind,
                revision_id=unit.revision_id,
                file_name=name,
                sha256=sha256,
                size=len(data),
                pages=pdf.pages,
                template_version=TEMPLATE_VERSION,
            )
    except IntegrityError:
        storage.delete(name)
        found = existing(unit)
        if found is None:
            raise
        return found
    except BaseException:
        storage.delete(name)
        raise


def render_edition(edition: Edition) -> list[OfficialRendering]:
    """Every rendering of ``edition``, rendering the missing ones."""
    return [render_unit(unit) for unit in units_of(edition) if unit.revision_id]


def download_name(rendering: OfficialRendering) -> str:
    """ "ҚазҰТЗУ 715 ҚП, №1 басылым.pdf"; a change adds "2-өзгеріс", a superseded copy
    "жарамсыз"."""
    document, edition = rendering.document, rendering.edition
    parts = [document.code or f"{document.specific.kind_label_kk} «{document.title}»"]
    parts.append(edition.label or edition.key)
    if rendering.change_number:
        parts.append(f"{rendering.change_number}-өзгеріс")
    if rendering.kind == RenderingKind.SUPERSEDED:
        parts.append("жарамсыз")
    return ", ".join(parts).replace("/", "-") + ".pdf"


def unit_shown(
    *, document, edition: Edition | None = None, as_of_revision_id: int | None = None
) -> Unit | None:
    """The unit whose PDF goes with the text a reader has open: the live page's edition
    after its last published change, a superseded edition as it ended, or an earlier text
    (``as_of_revision_id``) as it read then."""
    if edition is None:
        edition = document.editions.filter(status=EditionStatus.IN_FORCE).first()
    if edition is None or edition.status not in (EditionStatus.IN_FORCE, EditionStatus.SUPERSEDED):
        return None
    changes = [c for c in edition.changes.order_by("pk") if c.revision_id]
    if as_of_revision_id is not None:
        changes = [c for c in changes if c.revision_id <= as_of_revision_id]
    kind = (
        RenderingKind.SUPERSEDED
        if edition.status == EditionStatus.SUPERSEDED
        else RenderingKind.OFFICIAL
    )
    return Unit(edition, changes[-1] if changes else None, kind)
