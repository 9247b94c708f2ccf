"""What people read of records, in their interface language: values of a record's fields as
the history shows them, and the reasons Sapa itself writes into a history.

A reason Sapa writes ("Record created", "Disposed of by disposition no. 3") is stored in the
language of the person whose action wrote it; it is shown in the reader's language. What a
person typed as a reason is theirs and is shown as typed.
"""

from __future__ import annotations

import datetime
import functools
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from sapa.localisation.dates import format_date, format_datetime

#: Reasons and messages Sapa writes itself into histories and file rows (English msgids).
SYSTEM_TEXTS = (
    gettext_noop("Record created"),
    gettext_noop("Filed with the record"),
    gettext_noop("Disposition certificate"),
    gettext_noop("Disposition proposed"),
    gettext_noop("Series for disposition certificates"),
    gettext_noop("Disposed of by disposition no. %(n)s"),
    gettext_noop("Its text read from the scan (OCR); the file is unchanged"),
    gettext_noop("OCR is not installed on this server."),
    gettext_noop("OCR failed: %(m)s"),
    gettext_noop("The PDF could not be read (%(error)s); the file is kept as it was uploaded."),
    gettext_noop(
        "The Word document could not be read (%(error)s); the file is kept as it was uploaded."
    ),
)

#: How the history names each kind of entry (django-simple-history's "+", "~", "-").
HISTORY_TYPES = {
    "+": gettext_noop("Record created"),
    "~": gettext_noop("Record changed"),
    "-": gettext_noop("Record deleted"),
}

_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


@functools.cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """Each system text as every interface language writes it, as a pattern."""
    patterns = []
    for msgid in SYSTEM_TEXTS:
        seen = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                written = translation.gettext(msgid)
            if written in seen:
                continue
            seen.add(written)
            pattern = _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(written))
            patterns.append((re.compile(pattern, re.DOTALL), msgid))
    return patterns


#: The reason a file's history row gets when its text is read from the scan: no change of the
#: file. It said "OCR" (still on rows written before), and a tester took it for a change
#: Sapa made to the file; nor is it counted among the changes of its files.
OCR_REASON = "Its text read from the scan (OCR); the file is unchanged"
OCR_REASONS = ("OCR", OCR_REASON)


def system_text(text: str) -> str:
    """``text`` in the reader's language when Sapa wrote it; otherwise as it was typed."""
    if not text:
        return text
    if text == "OCR":
        text = OCR_REASON
    for pattern, msgid in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            translated = _(msgid)
            return translated % values if values else translated
    return text


def person(user) -> str:
    """A person as the records' pages and exports name them: their full name, else their
    user name; "" for nobody (the caller says "system")."""
    if not user:
        return ""
    return user.get_full_name() or user.get_username()


def history_count(record_changes: int, file_changes: int) -> str:
    """How a record's page counts its history ("3 changes; 1 change of its files"), the
    counts being ``selectors.history_counts``; its export's manifest says the same."""
    text = ngettext("%(count)s change", "%(count)s changes", record_changes) % {
        "count": record_changes
    }
    if file_changes:
        text += "; " + ngettext(
            "%(count)s change of its files", "%(count)s changes of its files", file_changes
        ) % {"count": file_changes}
    return text


def history_type(code: str) -> str:
    return _(HISTORY_TYPES[code]) if code in HISTORY_TYPES else code


def field_label(model, name: str) -> str:
    """A field's name as people read it ("status" → "Статус")."""
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field the model no longer has
        return name
    return label[:1].upper() + label[1:]


def field_value(model, name: str, value) -> str:
    """A stored value as people read it: a choice's label, a date in the interface's form,
    never a code ("closed" → "закрыта")."""
    if value is None or value == "":
        return ""
    try:
        field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, str) and field.get_internal_type() in {"DateField", "DateTimeField"}:
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if field.get_internal_type() == "DateField":
            return format_date(parsed.date())
        return format_datetime(parsed)
    return str(value)


def renamed_upload(*, uploaded: str, kept: str) -> str:
    """Why a file uploaded as ``uploaded`` is kept under another name, ``kept``, or "" when
    it is not: its name ends in the extension of what it holds (a text file uploaded as
    "bad.exe" is kept as "bad.txt"), and loses what no file name can hold. The message said
    "bad.txt" and left the person to wonder where their "bad.exe" went."""
    if not uploaded or uploaded == kept:
        return ""
    _stem, old_dot, old_ext = uploaded.rpartition(".")
    new_ext = kept.rpartition(".")[2]
    if not old_dot or old_ext.lower() != new_ext.lower():
        return _(
            "“%(uploaded)s” holds a .%(extension)s file, whatever its name says: it is kept "
            "as “%(kept)s”."
        ) % {"uploaded": uploaded, "extension": new_ext, "kept": kept}
    return _(
        "“%(uploaded)s” is kept as “%(kept)s”: a file name cannot hold some of its characters."
    ) % {"uploaded": uploaded, "kept": kept}


#: What a refused request asked to do, by the records page it asked (its URL name).
REFUSED_ASKS = {
    "create": gettext_noop("to file a new record"),
    "edit": gettext_noop("to edit a record"),
    "file_add": gettext_noop("to add a file to a record"),
    "close": gettext_noop("to close a record"),
    "detail": gettext_noop("to open a record"),
    "history": gettext_noop("to read a record's history"),
    "download": gettext_noop("to download a file"),
    "export": gettext_noop("to export records"),
    "access_log": gettext_noop("to read the access log"),
    "retention": gettext_noop("to read the retention schedule"),
    "propose": gettext_noop("to propose a disposition"),
    "decide": gettext_noop("to decide on a disposition"),
    "hold_release": gettext_noop("to release a hold"),
}


def _asked(field, value: str) -> str:
    """A filter's value as the list's form showed it: a status by its name ("on hold", not
    "on_hold", which an auditor read), a day as days are written; what the person typed is
    theirs, in whatever language they typed it."""
    from django import forms
    from django.utils.html import format_html

    if isinstance(field, forms.ChoiceField):
        return format_html("«{}»", dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        try:
            return format_html("{}", format_date(field.to_python(value)))
        except forms.ValidationError:
            pass
    return format_html('«<span translate="no">{}</span>»', value)


def access_detail(entry) -> str:
    """What an access log entry asked, in words: a list's filters and text ("text: «старост»
    · year: 2025"), a refused request's aim ("to edit a record"), not the raw query string or
    address (an auditor read "/records/5/edit/")."""
    from django.http import QueryDict
    from django.urls import Resolver404, resolve

    detail = entry.detail or {}
    if entry.action == "list":
        from django.utils.html import format_html_join

        from .forms import RecordFilterForm

        fields = RecordFilterForm.base_fields
        asked = [
            (fields[name], value.strip())
            for name, value in QueryDict(detail.get("query") or "").items()
            if name in fields and value.strip()
        ]
        if not asked:
            # (an auditor read an empty cell, and could not tell what the list had shown)
            return _("no filter: every record they may see")
        return format_html_join(" · ", "{}: {}", ((f.label, _asked(f, v)) for f, v in asked))
    if entry.action == "denied" and detail.get("path"):
        try:
            match = resolve(detail["path"])
        except Resolver404:
            return detail["path"]
        asks = REFUSED_ASKS.get(match.url_name) if match.namespace == "records" else None
        return _(asks) if asks else detail["path"]
    return ""


#: A file's format as people name it, by its content type (format names, the same in every
#: language); the content type itself stays in the cell's title.
FILE_KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/msword": "Word (DOC)",
    "application/vnd.ms-excel": "Excel (XLS)",
    "text/plain": "TXT",
    "text/csv": "CSV",
    "application/json": "JSON",
}


def file_kind(content_type: str) -> str:
    """ "PDF", "Word (DOCX)"… for a file's content type (a tester read "application/pdf")."""
    return FILE_KINDS.get(content_type or "", content_type or "")
