"""The one schema of Sapa's search: the fields of an index entry, and ``to_document`` that
turns a published document, a form or a quality record into entries. Both backends (the
embedded tantivy one and the OpenSearch one) are derived from ``FIELDS`` and fed by
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

from django.utils.translation import gettext_noop

from .analysis import analyze_document, loose_document
from .questions import SECTION_ROLES, heading_role, states_purpose

SCHEMA_VERSION = 4  # 2: the loose field; 3: role purpose/duties and section; 4: references
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
    # What a part answers (search.questions): "definition" (the terms), "purpose" (states a
    # purpose: мақсаты, the scope section), "duties" (a section on a role's duties, rights or
    # responsibility), "references" (the normative references and their parts), "register",
    # "register_row", "approval", "forms" (the forms list); "form" (a form); else "".
    "role": "keyword",
    "section": "stored",  # the anchor of the section a clause is in (results group by it)
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
    section: str = ""
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
    # (text, status, edition key, url, its Edition, the revision it is read as of)
    current = document.editions.filter(key=document.edition_key).first()
    texts = [(document, "in_force", document.edition_key, base_url, current, None)]
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
                    edition,
                    edition.revision_id,
                )
            )
    forms = _forms_of(document)
    for page, status, key, url, edition, as_of in texts:
        parts = _parts(page, edition=edition, as_of_revision_id=as_of, forms=forms)
        for clause, anchor, title, text, role, section in [
            *_clauses(page),
            *((*part, "") for part in parts),
        ]:
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
                    section=section,
                ).finish()
            )
    return entries


def _clauses(page) -> list[tuple[str, str, str, str, str, str]]:
    """(number as printed, anchor, title, text, role, section anchor) per section and
    numbered part. Roles come from the document's own words (``search.questions``): the
    terms section's parts are definitions; a section whose heading names duties, rights or
    responsibility is "duties"; the scope section's parts and every clause that states an
    aim (мақсаты, мақсатында) are "purpose"; the normative references' heading and parts are
    "references"."""
    from sapa.documents.outline import block_text, build_outline

    outline = {entry.position: entry for entry in build_outline(page.body)}
    rows: list[list[str]] = []
    section_roles: dict[str, str] = {}
    for s_index, section in enumerate(page.body):
        head = outline.get((s_index, None))
        heading = section.value["title"]
        terms_section = bool(TERMS_SECTION.search(heading))
        section_role = heading_role(set(analyze_document(heading)))
        number = head.number if head else ""
        section_anchor = head.anchor if head else ""
        section_roles[section_anchor] = section_role
        current = [number, section_anchor, heading, "", section_role, ""]
        rows.append(current)
        for c_index, child in enumerate(section.value["content"] or []):
            entry = outline.get((s_index, c_index))
            if entry is not None:
                title = entry.title or heading
                role = "definition" if child.block_type == "term" or terms_section else ""
                current = [entry.number or number, entry.anchor, title, "", role, section_anchor]
                rows.append(current)
            current[3] = f"{current[3]}\n{block_text(child)}".strip()
    for row in rows:
        if row[5] and not row[4]:
            if section_roles.get(row[5]) in SECTION_ROLES:
                row[4] = section_roles[row[5]]
            elif states_purpose(f"{row[2]}\n{row[3]}"):
                row[4] = "purpose"
    return [tuple(row) for row in rows if row[3] or row[2]]


# --- the parts beyond the clauses: register, approval sheet, forms list ------------------
# Each part's entry holds its printed Kazakh heading and content, and its name and columns
# as the interface names them in each language (Sapa's own msgids, marked where they are
# read), one paragraph per language so that a Russian paragraph is analysed as Russian: a
# Russian reader finds the register as "регистрация изменений".
INTERFACE_LANGUAGES = ("kk", "ru", "en")
REGISTER_HEADING = "Өзгерістерді тіркеу парағы"
REGISTER_COLUMNS = (
    "Өзгерістің реттік нөмірі, Құжаттың бөлімі мен бабы, "
    "Өзгерістің түрі (өзгерту, қосу, жою), Хабарламаның нөмірі мен күні, "
    "Өзгеріс енгізілді: күні, Тегі, аты-жөні, лауазымы"
)
REGISTER_EMPTY = "Өзгерістер тіркелмеген."
APPROVAL_HEADING = "Алғы сөз"
APPROVAL_COLUMNS = "ӘЗІРЛЕНДІ, КЕЛІСІЛДІ (Лауазымы, Аты-жөні, Күні), БЕКІТІЛДІ, ЕНГІЗІЛДІ"


def _in_languages(message) -> list[str]:
    """``message`` (a msgid or a lazy label) in each interface language."""
    from django.utils import translation

    out = []
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            out.append(str(translation.gettext(message) if isinstance(message, str) else message))
    return out


def _named(name: str, columns: tuple[str, ...], printed_columns: str = "") -> str:
    """The part's name and its columns in each interface language, a paragraph each (the
    Kazakh one with the columns as printed, when the page prints them in Kazakh)."""
    from django.utils import translation

    paragraphs = []
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            label = translation.gettext(name)
            listed = (
                printed_columns
                if language == "kk" and printed_columns
                else ", ".join(translation.gettext(column) for column in columns)
            )
        paragraphs.append(f"{label}: {listed}")
    return "\n\n".join(paragraphs)


# How many paragraphs at the end of a part's text name it as the interface does (``_named``
# in each language; a register row's kind of change in each): what it is found by, not what
# it shows.
NAMED_PARAGRAPHS = {
    "register": len(INTERFACE_LANGUAGES),
    "approval": len(INTERFACE_LANGUAGES),
    "forms": len(INTERFACE_LANGUAGES) + 1,  # and the document's name
    "form": 1,  # what the form is, in each language
    "register_row": 1,
}


def shown_text(entry: dict[str, Any]) -> str:
    """What a result shows of ``entry``: its text, and of a part beyond the clauses (the
    register, a row of it, the approval sheet, the forms list) what its page prints, without
    the names added so that it is found in every interface language. Asked for "перечень
    форм", the forms list showed "Формалар тізімі: Коды, Атауы … Перечень форм: Код, Название
    … Forms list: Code, Title …" run together, not its forms (a tester)."""
    text = entry.get("text") or ""
    named = NAMED_PARAGRAPHS.get(entry.get("role") or "", 0)
    return text.rsplit("\n\n", named)[0].strip() if named else text


def _joined(*parts: str, sep: str = " · ") -> str:
    """The non-empty ``parts`` once each."""
    seen: set[str] = set()
    out = []
    for part in parts:
        part = (part or "").strip()
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            out.append(part)
    return sep.join(out)


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _printed_day(value) -> str:
    """A date as the approval sheet prints it: «08» 07 2016 ж."""
    return f"«{value:%d}» {value:%m %Y} ж." if value else ""


def _forms_of(document) -> list[tuple[str, str]]:
    """(code, title) of the document's forms: those its text cites, as its page lists them,
    then any other form it owns."""
    from sapa.documents.models import FormCitation, QmsForm

    forms: dict[int, tuple[str, str]] = {}
    for citation in (
        FormCitation.objects.filter(document_id=document.pk)
        .select_related("form")
        .order_by("form__number", "pk")
    ):
        forms.setdefault(citation.form_id, (citation.form.code, citation.form.title))
    for form in QmsForm.objects.filter(owning_document_id=document.pk).order_by("number"):
        forms.setdefault(form.pk, (form.code, form.title))
    return list(forms.values())


def _parts(
    page, *, edition, as_of_revision_id: int | None, forms: list[tuple[str, str]]
) -> list[tuple[str, str, str, str, str]]:
    """(label, anchor, title, text, role) of the register, each of its rows, the approval
    sheet and the forms list of one text, as its page shows them (``as_of_revision_id``: a
    superseded text lists the register rows that were in force with it)."""
    return [
        *_register_parts(page, edition=edition, as_of_revision_id=as_of_revision_id),
        _approval_part(page, edition=edition),
        *_forms_part(page, forms),
    ]


def _register_parts(page, *, edition, as_of_revision_id: int | None) -> list[tuple]:
    from django.utils import translation

    from sapa.documents.models.editions import url_segment
    from sapa.documents.models.pages import ChangeType
    from sapa.documents.selectors import register_with_earlier_texts

    content_language = getattr(getattr(page, "locale", None), "language_code", "") or "kk"
    rows = (
        register_with_earlier_texts(edition=edition, as_of_revision_id=as_of_revision_id)
        if edition is not None
        else []
    )
    parts, printed = [], []
    for row in rows:
        with translation.override(content_language):
            kind = row.get_change_type_display()
        notice = row.notices.first()
        cells = [
            row.change_number,
            row.section_clause,
            kind,
            _joined(
                f"№{notice.number}, {_day(notice.issued_on)}" if notice else "",
                ", ".join(p for p in (row.notice_number, _day(row.notice_date)) if p),
            ),
            _day(row.entered_date),
            ", ".join(p for p in (row.entered_by, row.entered_position) if p),
        ]
        line = " · ".join(cell for cell in cells if cell)
        printed.append(line)
        kinds = (
            _in_languages(ChangeType(row.change_type).label)
            if row.change_type in ChangeType.values
            else []
        )
        parts.append(
            (
                f"{REGISTER_HEADING}, №{row.change_number}",
                f"register-{url_segment(row.change_number)}",
                _joined(f"№{row.change_number}", row.section_clause, kind),
                f"{line}\n\n{_joined(*kinds)}",
                "register_row",
            )
        )
    names = _named(
        gettext_noop("Revision register"),
        (
            gettext_noop("change no."),
            gettext_noop("section and clause"),
            gettext_noop("kind of change"),
            gettext_noop("notice no."),
            gettext_noop("date introduced"),
            gettext_noop("surname and name"),
            gettext_noop("position"),
        ),
        REGISTER_COLUMNS,
    )
    register = (
        REGISTER_HEADING,
        "register",
        REGISTER_HEADING,
        _sheet_text(page, "\n".join(printed) or REGISTER_EMPTY, names),
        "register",
    )
    return [register, *parts]


def _approval_part(page, *, edition) -> tuple:

    from sapa.documents.selectors import approval_of

    approval = approval_of(document=page, edition=edition)
    developed = (
        page.developed_unit,
        page.developed_position,
        page.developed_person,
        _printed_day(page.developed_date),
    )
    agreed = [
        " ".join(p for p in (line.position, line.person, _printed_day(line.date)) if p)
        for line in page.agreed_by.all()
    ]
    order = ""
    if approval["number"]:
        day = approval["date"]
        when = f"{day:%Y} жылғы «{day:%d}» {day:%m} " if day else ""
        order = f"{when}№{approval['number']} бұйрығы"
    approved = (page.approver_position, page.approver_name, order)
    if page.introduced_first_time:
        introduced = "Бірінші рет енгізілді"
    elif page.replaces_edition:
        introduced = f"«{page.replaces_edition}» орнына енгізілді"
    else:
        introduced = page.edition_label
    names = _named(
        gettext_noop("Approval sheet"),
        (
            gettext_noop("Developed by"),
            gettext_noop("Agreed by"),
            gettext_noop("Approved by"),
            gettext_noop("position"),
            gettext_noop("person"),
            gettext_noop("date agreed"),
        ),
        APPROVAL_COLUMNS,
    )
    lines = [
        "ӘЗІРЛЕНДІ: " + " ".join(p for p in developed if p),
        "КЕЛІСІЛДІ:",
        *agreed,
        "БЕКІТІЛДІ: " + " ".join(p for p in approved if p),
        f"ЕНГІЗІЛДІ: {introduced}",
    ]
    text = _sheet_text(page, "\n".join(lines), names)
    return (APPROVAL_HEADING, "approval", APPROVAL_HEADING, text, "approval")


def _sheet_text(page, printed: str, names: str) -> str:
    """A sheet's entry text: its document, what the sheet prints, then its name and columns in
    each interface language last, so that what a result shows of it is the sheet's content
    in the document's language, not the other languages' labels."""
    return f"{_document_name(page)}\n\n{printed}\n\n{names}"


def _document_name(page) -> str:
    """The document a sheet belongs to, as its title page names it: code, title and kind in
    the document's language ("Ментор, лауазымдық нұсқаулық"): who approved "the mentor's
    instruction" is asked of the sheet, which prints none of these words itself."""
    from django.utils import translation

    language = getattr(getattr(page, "locale", None), "language_code", "") or "kk"
    with translation.override(language):
        kind = str(page.specific._meta.verbose_name)
    return ", ".join(part for part in (page.code, page.title, kind) if part)


def _forms_part(page, forms: list[tuple[str, str]]) -> list[tuple]:

    if not forms:
        return []
    heading = f"{page.code} формалары" if page.code else "формалары"
    names = _named(
        gettext_noop("Forms list"),
        (
            gettext_noop("Code"),
            gettext_noop("Title"),
            gettext_noop("Cited in"),
            gettext_noop("Template file"),
        ),
    )
    listed = "\n".join(f"{code} {title}".strip() for code, title in forms)
    # The forms first; then, not shown, the document they belong to (as its title page names
    # it: "процедураның формалары" is asked of the list, which prints no процедура) and the
    # list's name in each language: a result shows the forms.
    text = f"{listed}\n\n{_document_name(page)}\n\n{names}"
    return [("формалары", "forms", heading, text, "forms")]


#: What a form is, by its kind, in each interface language (the kinds' own names).
FORM_KINDS = {"Ү": gettext_noop("template (Ү)"), "Ф": gettext_noop("form (Ф)")}


def _a_form(form) -> str:
    """One paragraph, not shown, that says in each interface language that this is a form
    and of what kind ("Форма үлгі (Ү) · Форма шаблон (Ү) · Form template (Ү)"): "эдвайзердің
    жұмыс жоспары нысаны" asks for the form, whose title names only the plan."""
    from django.utils import translation

    said = []
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            kind = FORM_KINDS.get(form.kind)
            named = [translation.gettext("Form"), translation.gettext(kind) if kind else ""]
            said.append(" ".join(part for part in named if part))
    return " · ".join(dict.fromkeys(said))


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
            # Its description and where it is cited; then, not shown, what it is (never the
            # only paragraph: ``shown_text`` drops the last one).
            text=f"{' '.join(p for p in (form.description, citations) if p)}\n\n{_a_form(form)}",
            role="form",
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
