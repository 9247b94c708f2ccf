"""The one schema of Sapa's search: the fields of an index entry, and ``to_document`` that
turns a published document, a form or a quality record into entries. Both backends (the
embedded SQLite FTS5 one and the OpenSearch one) are derived from ``FIELDS`` and fed by
``to_document``, so they hold the same thing.

The schema version is part of every index name: a change of fields means a rebuild into a
new index behind the same alias, never a hole.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from typing import Any

from .analysis import analyze_document, loose_document

SCHEMA_VERSION = 2  # 2: the loose field
TERMS_SECTION = re.compile(r"термин|анықтама", re.IGNORECASE)

# name: kind — "id", "keyword", "int", "bool", "text" (original words, for phrases and
# highlights), "keys" (analysed keys, what matching runs on), "stored" (shown, not searched)
FIELDS: dict[str, str] = {
    "entry_id": "id",
    "type": "keyword",  # clause, form, record
    "organisation_id": "int",
    "unit_id": "int",
    "series_id": "int",
    "confidential": "bool",
    "document_id": "int",
    "document_code": "keyword",
    "kind": "keyword",
    "status": "keyword",  # in_force, superseded; for records their status
    "edition": "keyword",
    "form_code": "keyword",
    "year": "int",
    "role": "keyword",  # "definition" for the terms of section 3, else ""
    "clause": "stored",
    "anchor": "stored",
    "url": "stored",
    "title": "text",
    "text": "text",
    "keys": "keys",
    # Every Kazakh word folded to its Russian-keyboard stand-ins and stemmed alike
    # (жатақханаға -> жатакхана): what a query typed without Kazakh letters matches, at a
    # lower weight. Never shown; title and text keep every letter.
    "loose": "keys",
    "length": "int",  # how many keys: the length that ranking normalises by
    "version": "keyword",
}


@dataclass
class Entry:
    entry_id: str
    type: str
    title: str
    text: str
    url: str
    organisation_id: int | None = None
    unit_id: int | None = None
    series_id: int | None = None
    confidential: bool = False
    document_id: int | None = None
    document_code: str = ""
    kind: str = ""
    status: str = ""
    edition: str = ""
    form_code: str = ""
    year: int | None = None
    clause: str = ""
    anchor: str = ""
    role: str = ""
    keys: str = field(default="", repr=False)
    loose: str = field(default="", repr=False)
    length: int = 0
    version: str = ""

    def finish(self) -> Entry:
        """Compute the analysed keys and the content version (a checksum of every field)."""
        keys = analyze_document(f"{self.title}\n{self.text}")
        self.keys, self.length = " ".join(keys), len(keys)
        self.loose = " ".join(loose_document(f"{self.title}\n{self.text}"))
        payload = {k: v for k, v in self.as_dict().items() if k != "version"}
        self.version = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()[:16]
        return self

    def as_dict(self) -> dict[str, Any]:
        # Every field is a plain value: no need for dataclasses.asdict's deep copies (ten
        # times slower, and most of the cost of bulk indexing).
        return {name: getattr(self, name) for name in ENTRY_FIELDS}


ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
assert set(ENTRY_FIELDS) == set(FIELDS), "Entry and FIELDS must name the same fields"


def object_key(obj) -> str:
    """Which object entries come from: "document:12", "form:3", "record:7"."""
    from records.models import QualityRecord
    from sapa.documents.models import ControlledDocument, QmsForm

    if isinstance(obj, ControlledDocument):
        return f"document:{obj.pk}"
    if isinstance(obj, QmsForm):
        return f"form:{obj.pk}"
    if isinstance(obj, QualityRecord):
        return f"record:{obj.pk}"
    raise TypeError(f"not searchable: {obj!r}")


def to_document(obj) -> list[Entry]:
    """The index entries of ``obj`` (none when it should not be found at all)."""
    from records.models import QualityRecord
    from sapa.documents.models import ControlledDocument, QmsForm

    if isinstance(obj, ControlledDocument):
        return _document_entries(obj)
    if isinstance(obj, QmsForm):
        return _form_entries(obj)
    if isinstance(obj, QualityRecord):
        return _record_entries(obj)
    raise TypeError(f"not searchable: {obj!r}")


def _document_entries(document) -> list[Entry]:
    from sapa.documents.models import EditionStatus

    document = document.specific
    if not document.live:
        return []
    entries: list[Entry] = []
    base_url = document.get_url() or document.url or ""
    texts = [(document, "in_force", document.edition_key, base_url)]
    for edition in document.editions.filter(status=EditionStatus.SUPERSEDED).select_related(
        "revision"
    ):
        if edition.revision_id:
            texts.append(
                (
                    edition.revision.as_object(),
                    "superseded",
                    edition.key,
                    f"{base_url}editions/{edition.key}/",
                )
            )
    for page, status, key, url in texts:
        for clause, anchor, title, text, role in _clauses(page):
            entries.append(
                Entry(
                    entry_id=f"clause:{document.pk}:{key}:{anchor}",
                    type="clause",
                    title=title,
                    text=text,
                    url=f"{url}#{anchor}",
                    organisation_id=document.organisation_id,
                    unit_id=document.owning_unit_id,
                    document_id=document.pk,
                    document_code=document.code,
                    kind=document.kind,
                    status=status,
                    edition=page.edition_label,
                    year=page.edition_date.year if page.edition_date else None,
                    clause=clause,
                    anchor=anchor,
                    role=role,
                ).finish()
            )
    return entries


def _clauses(page) -> list[tuple[str, str, str, str, str]]:
    """(number as printed, anchor, title, text, role) per section and numbered part."""
    from sapa.documents.outline import block_text, build_outline

    outline = {entry.position: entry for entry in build_outline(page.body)}
    rows: list[list[str]] = []
    for s_index, section in enumerate(page.body):
        head = outline.get((s_index, None))
        terms_section = bool(TERMS_SECTION.search(section.value["title"]))
        number = head.number if head else ""
        current = [number, head.anchor if head else "", section.value["title"], "", ""]
        rows.append(current)
        for c_index, child in enumerate(section.value["content"] or []):
            entry = outline.get((s_index, c_index))
            if entry is not None:
                title = entry.title or section.value["title"]
                role = "definition" if child.block_type == "term" or terms_section else ""
                current = [entry.number or number, entry.anchor, title, "", role]
                rows.append(current)
            current[3] = f"{current[3]}\n{block_text(child)}".strip()
    return [tuple(row) for row in rows if row[3] or row[2]]


def _form_entries(form) -> list[Entry]:
    from sapa.documents.models import DocumentLibraryPage

    citations = ", ".join(sorted({c.clause for c in form.citations.all() if c.clause}))
    owner = form.owning_document
    library = DocumentLibraryPage.objects.filter(
        path__startswith=form.organisation.site.root_page.path
    ).first()
    url = f"{library.url}forms/{form.pk}/" if library and library.url else ""
    return [
        Entry(
            entry_id=f"form:{form.pk}",
            type="form",
            title=f"{form.code} {form.title}".strip(),
            text=" ".join(p for p in (form.description, citations) if p),
            url=url,
            organisation_id=form.organisation_id,
            document_id=owner.pk if owner else None,
            document_code=owner.code if owner else "",
            kind=form.kind,
            form_code=form.code,
        ).finish()
    ]


def _record_entries(record) -> list[Entry]:
    from django.urls import reverse

    from records.models import DispositionRule, RecordStatus

    if (
        record.status == RecordStatus.DISPOSED
        and record.series.disposition == DispositionRule.DESTROY
    ):
        return []  # destroyed: only the register keeps it (identifier, series, dates, decision)
    files = record.files.filter(removed_at__isnull=True).order_by("name", "-version")
    latest: dict[str, str] = {}
    for entry in files:
        latest.setdefault(entry.name, entry.text)
    text = "\n".join([record.description, *latest.values()]).strip()
    return [
        Entry(
            entry_id=f"record:{record.pk}",
            type="record",
            title=f"{record.identifier} {record.title}",
            text=text if record.status != RecordStatus.DISPOSED else record.description,
            url=reverse("records:detail", args=(record.pk,)),
            organisation_id=record.organisation_id,
            unit_id=record.unit_id,
            series_id=record.series_id,
            confidential=record.series.is_confidential,
            document_id=record.document_id,
            document_code=record.document.code if record.document_id else "",
            kind="record",
            status=record.status,
            edition=record.edition.label if record.edition_id else "",
            form_code=record.form.code if record.form_id else "",
            year=record.record_date.year,
        ).finish()
    ]
