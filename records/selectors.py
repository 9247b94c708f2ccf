"""Finding records: the filters auditors use, applied inside the permission filter."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from sapa.documents.models import ControlledDocument, Organisation, QmsForm, Unit
from sapa.localisation.letters import KAZAKH_ONLY, KEYBOARD_FOLD

from .display import field_label, field_value, history_type, system_text
from .models import QualityRecord, RecordFile, RecordStatus
from .permissions import visible_records

# What people type for a code, read the way it is printed: "ҚазҰТЗУ 715-02 Ү", "715-02 Ү",
# "715-06-шы ҚазҰТЗУ Ф", "715 ҚП". The keys below exist only to compare; nothing stored or
# shown is rewritten, and Kazakh letters are kept (lower case, never folded to Russian ones).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
#: Latin letters typed for Cyrillic look-alikes inside a Cyrillic word ("KазҰТЗУ", "ҚП" with a
#: Latin "P" is not a thing, but a Latin "K" or "C" from a Latin keyboard layout is).
_LOOKALIKES = str.maketrans("ABCEHKMOPTXYaceopxyiI", "АВСЕНКМОРТХУасеорхуіІ")
#: The kind letter of a form typed on a keyboard without Kazakh letters.
_KIND_LETTERS = {"y": "ү", "у": "ү", "f": "ф"}
#: The Kazakh ordinal ending printed after a number ("715-06-шы").
_ORDINAL = re.compile(r"^(\d[\d-]*\d)-(?:ншы|нші|шы|ші|ы|і)$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def lookup_words(text: str) -> list[str]:
    """``text`` as comparison keys, one per word: NFC, lower case with Kazakh letters kept,
    any dash read as a hyphen, Latin look-alikes inside Cyrillic words read as Cyrillic,
    ordinal endings dropped from numbers, brackets and punctuation ignored."""
    text = unicodedata.normalize("NFC", text or "").translate(_DASHES)
    words = []
    for word in re.findall(r"[^\W_]+(?:-[^\W_]+)*", text):
        if _CYRILLIC.search(word) and _LATIN.search(word):
            word = word.translate(_LOOKALIKES)
        word = word.lower()
        ordinal = _ORDINAL.match(word)
        if ordinal:
            word = ordinal.group(1)
        words.append(_KIND_LETTERS.get(word, word))
    return words


def _is_number(word: str) -> bool:
    return word[:1].isdigit()


def _code_matches(typed: list[str], *, number: str, code: str, prefixes: Iterable[str]) -> bool:
    """Whether the words typed name this code: every typed word is a word of the code as
    printed (or of its organisation's prefix), and a typed number is the code's number or
    the start of it ("715" names every form of 715: "715-01", "715-02" …)."""
    number = "".join(lookup_words(number))
    allowed = set(lookup_words(code))
    for prefix in prefixes:
        allowed.update(lookup_words(prefix))
    if not number and not allowed:
        return False
    folded = {word.translate(KEYBOARD_FOLD) for word in allowed}
    for word in typed:
        if word in allowed or (_typed_without_kazakh_letters(word) and word in folded):
            continue
        if _is_number(word) and number and (number == word or number.startswith(word + "-")):
            continue
        return False
    return True


# Russian-keyboard stand-ins for the Kazakh-only letters: "КазУТЗУ 715 КП" is how many type
# ҚазҰТЗУ 715 ҚП. A typed word with none of those letters also matches a word of the code
# read that way; one typed with them matches only as printed.
def _typed_without_kazakh_letters(word: str) -> bool:
    return not any(letter in KAZAKH_ONLY for letter in word)


def _prefixes() -> dict[int, list[str]]:
    return {
        pk: [prefix, short]
        for pk, prefix, short in Organisation.objects.values_list("pk", "code_prefix", "short_name")
    }


def matching_procedures(text: str) -> list[int]:
    """Documents named by ``text``: "715", "715 ҚП", "ҚазҰТЗУ 715 ҚП", "қазұтзу 715 қп"."""
    typed = lookup_words(text)
    prefixes = _prefixes()
    rows = ControlledDocument.objects.exclude(number="", code="").values_list(
        "pk", "number", "code", "organisation_id"
    )
    return [
        pk
        for pk, number, code, organisation in rows
        if typed
        and _code_matches(typed, number=number, code=code, prefixes=prefixes.get(organisation, []))
    ]


def matching_forms(text: str) -> list[int]:
    """Forms named by ``text``: "715-02", "715-02 Ү", "ҚазҰТЗУ 715-02 Ү", "715-06-шы ҚазҰТЗУ
    Ф", or "715" for every form of the procedure."""
    typed = lookup_words(text)
    prefixes = _prefixes()
    rows = QmsForm.objects.values_list("pk", "number", "code", "kind", "organisation_id")
    return [
        pk
        for pk, number, code, kind, organisation in rows
        if typed
        and _code_matches(
            typed,
            number=number,
            code=f"{code} {kind}",
            prefixes=prefixes.get(organisation, []),
        )
    ]


def matching_units(text: str) -> list[int]:
    """Units named by ``text``: the abbreviation ("ИТИ", "итп"), or words of the name as
    written, each the start of a word of the name ("Ақпараттық", "телекоммуникация
    институты"), or the name with its abbreviation as lists show it; a number is the id."""
    typed = lookup_words(text)
    if not typed:
        return []
    found = []
    for pk, name, short_name in Unit.objects.values_list("pk", "name", "short_name"):
        short = "".join(lookup_words(short_name))
        words = lookup_words(name)
        if all(
            word == short or word == str(pk) or any(w.startswith(word) for w in words)
            for word in typed
        ):
            found.append(pk)
    return found


def names_no_code(text: str, matching) -> bool:
    """Whether ``text``, typed for a form's or a procedure's code, cannot be read as one: it
    names none (``matching``: ``matching_forms`` or ``matching_procedures``) and holds no
    number ("zzz", "эдвайзер"). A code with a number that names none ("715-02 Ф") is read: the
    records of a form that does not exist are none, not a mistyping."""
    return not any(_is_number(word) for word in lookup_words(text)) and not matching(text)


@dataclass(frozen=True)
class RecordFilters:
    organisation: int | None = None
    procedure: str = ""  # as typed: "715", "715 ҚП", "ҚазҰТЗУ 715 ҚП"
    form: str = ""  # as typed: "715-02", "715-02 Ү", "ҚазҰТЗУ 715-02 Ү"
    unit: str = ""  # as typed: abbreviation, words of the name, or id
    status: str = ""  # open, closed, disposed, on_hold
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def find_records(user, filters: RecordFilters) -> QuerySet:
    """Records ``user`` may see, filtered. Names typed by the user (procedure, form, unit) are
    read as printed and turned into ids first, so that the list query walks one index in its
    own order and stops at the page: a million records answer as fast as a thousand. With a
    period filter the newest periods come first; otherwise the newest records."""
    # The procedure's body (715's is ~100 KB of JSON) is never shown in a list or an export:
    # decoding it once per row took 40% of the records list's time.
    queryset = (
        visible_records(user)
        .select_related("series", "form", "unit", "document", "edition", "organisation")
        .defer("document__body")
    )
    if filters.organisation:
        queryset = queryset.filter(organisation_id=filters.organisation)
    if filters.procedure:
        queryset = queryset.filter(document_id__in=matching_procedures(filters.procedure))
    if filters.form:
        queryset = queryset.filter(form_id__in=matching_forms(filters.form))
    if filters.unit:
        queryset = queryset.filter(unit_id__in=matching_units(filters.unit))
    if filters.status == "on_hold":
        queryset = queryset.on_hold()
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.date_from:
        queryset = queryset.filter(period_end__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(period_start__lte=filters.date_to)
    if filters.text and getattr(settings, "SAPA_RECORD_TEXT_SEARCH", ""):
        # The search index answers (Kazakh stemming, extracted text of the files); it is a
        # higher layer, so it is named in the settings rather than imported here.
        matching = import_string(settings.SAPA_RECORD_TEXT_SEARCH)
        queryset = queryset.filter(pk__in=matching(user, filters.text))
    elif filters.text:
        for word in filters.text.split():
            in_files = RecordFile.objects.filter(record=OuterRef("pk"), text__icontains=word)
            queryset = queryset.filter(
                Q(identifier__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
                | Exists(in_files)
            )
    if filters.date_from or filters.date_to:
        return queryset.order_by("-period_start", "-id")
    return queryset.order_by("-record_date", "-id")


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: past that the page says "1000+" instead of scanning a
    million rows for an exact number nobody reads (narrow the filters to page further)."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def file_events(record: QualityRecord) -> QuerySet:
    """The history rows of the record's files (added, replaced, removed): with the record's own
    changes, what its history page lists, its page counts and its export summarises."""
    return RecordFile.history.filter(record_id=record.pk).select_related("history_user")


def history_counts(record: QualityRecord) -> tuple[int, int]:
    """What the record's history page lists: the record's own changes, and its files' (a
    file's text read from its scan is listed, not counted: the file did not change)."""
    from .display import OCR_REASONS

    files = file_events(record).exclude(history_change_reason__in=OCR_REASONS)
    return record.history.count(), files.count()


def form_version(record: QualityRecord) -> int | None:
    """Which version of its form's template the record was made on, counted among that
    form's saved versions (1 for its first): the revision's own id counts every revision of
    every object, and meant nothing to a reader."""
    revision = record.form_revision
    if revision is None or record.form_id is None:
        return None
    return record.form.revisions.filter(
        Q(created_at__lt=revision.created_at)
        | Q(created_at=revision.created_at, pk__lte=revision.pk)
    ).count()


def record_history(record: QualityRecord) -> list[dict]:
    """Every version of the record, newest first, with who, when, why and what changed."""
    entries = list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    rows = []
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [
                {
                    "field": field_label(QualityRecord, change.field),
                    "old": field_value(QualityRecord, change.field, change.old),
                    "new": field_value(QualityRecord, change.field, change.new),
                }
                for change in delta.changes
            ]
        rows.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "reason": system_text(newer.history_change_reason or ""),
                "type": history_type(newer.history_type),
                "changes": changes,
            }
        )
    return rows


def filed_for_the_same_period(user, *, series, unit, start, end) -> list[QualityRecord]:
    """The records ``user`` may see of ``series``, filed for ``unit`` over the same period:
    filing one more is asked, not done at once (a keeper filed the same minutes twice). Those
    disposed of are left out; a record the user may not see is never named."""
    same = QualityRecord.objects.filter(
        series=series, unit=unit, period_start=start, period_end=end
    ).exclude(status=RecordStatus.DISPOSED)
    return list(visible_records(user, same).order_by("record_date", "pk")[:5])
