"""Turn the importer's intermediate form (a dict, see ``text.parse_text``) into a draft.

The importer only ever writes drafts: a new page, or a new revision of the draft with the same
code and edition. Publishing stays with the quality office and its workflow.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from ..models import (
    AgreedBy,
    ControlledDocument,
    DocumentKind,
    DocumentLibraryPage,
    JobInstructionPage,
    ProcedurePage,
    RegisterEntry,
    Validity,
)

PAGE_CLASSES = {
    DocumentKind.PROCEDURE: ProcedurePage,
    DocumentKind.JOB_INSTRUCTION: JobInstructionPage,
}
RECORDS_TITLES = {"жазбалар", "записи"}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _child(kind: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def body_from_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The StreamField raw value for the parsed sections."""
    body = []
    for section in sections:
        is_records = section["title"].strip().casefold() in RECORDS_TITLES
        content: list[dict[str, Any]] = []
        records_text: list[str] = []
        for block in section.get("blocks", []):
            kind = block["type"]
            if is_records and kind == "paragraph":
                records_text.append(block["text"])
            elif kind == "paragraph":
                content.append(_child("paragraph", block["text"]))
            elif kind == "subheading":
                content.append(_child("subheading", {"title": block["title"]}))
            elif kind == "bullets":
                content.append(_child("bullets", list(block["items"])))
            elif kind == "clause":
                content.append(
                    _child(
                        "clause",
                        {
                            "number": block["number"],
                            "title": block.get("title") or "",
                            "text": block.get("text") or "",
                            "items": list(block.get("items") or []),
                        },
                    )
                )
            elif kind == "term":
                content.append(
                    _child(
                        "term",
                        {
                            "number": block.get("number") or "",
                            "term": block["term"],
                            "definition": block["definition"],
                            "items": list(block.get("items") or []),
                        },
                    )
                )
            elif kind == "abbreviations":
                rows = [{"abbr": row["abbr"], "meaning": row["meaning"]} for row in block["rows"]]
                content.append(
                    _child(
                        "abbreviations",
                        {
                            "number": block.get("number") or "",
                            "title": block.get("title") or "",
                            # ListBlock's form: each row with an id of its own
                            "rows": [_child("item", row) for row in rows],
                        },
                    )
                )
            elif kind == "reference":
                content.append(
                    _child(
                        "reference",
                        {
                            "number": block.get("number") or "",
                            "document": None,
                            "code": block.get("code") or "",
                            "text": block["text"],
                        },
                    )
                )
        if records_text:
            content.append(_child("records", {"text": "\n".join(records_text), "procedure": None}))
        body.append(
            _child(
                "section",
                {
                    "number": section["number"],
                    # As printed: a heading's typing quirks are part of what the document says.
                    "title": section.get("title_as_printed") or section["title"],
                    "content": content,
                },
            )
        )
    return body


def document_slug(parsed: dict[str, Any]) -> str:
    if parsed.get("number"):
        abbr = "kp" if parsed["kind"] == DocumentKind.PROCEDURE else "kn"
        return f"{parsed['number']}-{abbr}"
    return slugify(parsed["title"], allow_unicode=True) or "document"


def apply_parsed(page: ControlledDocument, parsed: dict[str, Any]) -> ControlledDocument:
    """Copy every parsed field onto ``page`` (in memory)."""
    edition = parsed.get("edition") or {}
    approval = parsed.get("approval") or {}
    developed = parsed.get("developed_by") or {}
    validity = parsed.get("validity") or {}
    introduced = parsed.get("introduced") or {}
    page.title = parsed["title"]
    page.code = parsed.get("code") or ""
    page.number = parsed.get("number") or ""
    page.qms_level = parsed.get("qms_level") or ""
    page.edition_number = edition.get("number")
    page.edition_version = edition.get("version") or ""
    page.edition_label = edition.get("label") or ""
    page.edition_date = _date(edition.get("date"))
    page.title_page_year = parsed.get("year")
    page.effective_date = _date(edition.get("date")) or _date(approval.get("date"))
    page.validity = Validity.REVIEW_DATE if validity.get("review_date") else Validity.UNTIL_REPLACED
    page.review_date = _date(validity.get("review_date"))
    page.introduced_first_time = bool(introduced.get("first_time"))
    page.replaces_edition = introduced.get("replaces") or ""
    page.developed_unit = developed.get("unit") or ""
    page.developed_position = developed.get("position") or ""
    page.developed_person = developed.get("person") or ""
    page.developed_date = _date(developed.get("date"))
    page.approval_order_number = approval.get("order_number") or ""
    page.approval_order_date = _date(approval.get("date"))
    page.approver_position = approval.get("approver_position") or ""
    page.approver_name = approval.get("approver_name") or ""
    page.body = body_from_sections(parsed.get("sections", []))
    page.agreed_by = [
        AgreedBy(
            sort_order=n,
            position=line["position"],
            person=line["person"],
            date=_date(line.get("date")),
        )
        for n, line in enumerate(parsed.get("agreed_by", []))
    ]
    page.register_entries = [
        RegisterEntry(
            sort_order=n,
            change_number=row["no"],
            section_clause=row.get("section_clause") or "",
            change_type=row.get("change_type") or "modify",
            notice_number=row.get("notice_number") or "",
            notice_date=_date(row.get("notice_date")),
            entered_date=_date(row.get("entered_date")) or datetime.date.today(),
            entered_by=row.get("entered_by") or "",
        )
        for n, row in enumerate(parsed.get("register", []))
    ]
    return page


def existing_document(library: DocumentLibraryPage, parsed: dict[str, Any]):
    """The document of ``library`` that a parsed file is of: the one with its code, else
    the one with its slug (a job instruction prints no code); None for a new document."""
    documents = ControlledDocument.objects.child_of(library)
    found = documents.filter(code=parsed["code"]).first() if parsed.get("code") else None
    return found or documents.filter(slug=document_slug(parsed)).first()


@transaction.atomic
def draft_from_parsed(
    parsed: dict[str, Any], *, library: DocumentLibraryPage, user=None
) -> tuple[ControlledDocument, Any]:
    """Create the draft of a parsed document under ``library``, or a new revision of the
    draft with the same code (or slug) and edition. Returns (page, revision)."""
    page_class = PAGE_CLASSES[parsed["kind"]]
    slug = document_slug(parsed)
    existing = existing_document(library, parsed)
    if existing is None:
        page = apply_parsed(page_class(slug=slug, live=False), parsed)
        library.add_child(instance=page)
    else:
        page = apply_parsed(existing.specific.get_latest_revision_as_object(), parsed)
    revision = page.save_revision(user=user, log_action=True)
    _link_forms_and_references(page, parsed)
    return page, revision


def _link_forms_and_references(page: ControlledDocument, parsed: dict[str, Any]) -> None:
    """Every cited form exists as a form object; every cited procedure is a reference,
    linked now or when it arrives."""
    from ..services import form_for_code, references_record, references_resolve

    document = ControlledDocument.objects.get(pk=page.pk)
    for code in parsed.get("forms", []):
        form_for_code(document=document, code=code)
    references_record(
        document=document,
        citations=(
            (citation["code"], clause)
            for citation in parsed.get("reference_citations", [])
            for clause in citation.get("clauses") or [""]
        ),
    )
    references_resolve(document=document)
