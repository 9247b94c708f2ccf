"""Searching as people do: the words typed, equivalent terms added, the user's permissions
inside the query, results with snippets that mark the words as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from math import comb
from typing import Any

from records.permissions import keeper_unit_ids, organisation_ids
from sapa.localisation.letters import KAZAKH_ONLY

from . import vectors
from .analysis import FOLD, analyze_query, loose_query, normalise
from .backends import Hit, RecordScope, Results, SearchQuery, get_backend
from .backends.base import FACETS
from .highlight import snippet
from .models import SynonymGroup
from .questions import asks_for_duties, read_question
from .ranking import ASKING_ROLES, CANDIDATES, MAX_RANKED, candidate_depth, rank, words_held
from .schema import shown_text
from .spelling import corrected, respelled

MAX_COMBINATIONS = 64
# The matches read first when a word may have been typed without its Kazakh letters: the
# words they hold are how it is spelled back (search.spelling.respelled).
RESPELL_PROBE = 30
OFFERED_SHORTEST = 7  # letters a word needs for its nearest word to be offered (a typo)


def record_scope(user) -> RecordScope:
    """The records ``user`` may find, as a filter for the backends."""
    from records.models import SeriesGrant

    if user is None or not user.is_authenticated:
        return RecordScope()
    organisations = organisation_ids(user)
    if organisations is None:
        return RecordScope(everything=True)
    return RecordScope(
        organisation_ids=tuple(sorted(organisations)),
        unit_ids=tuple(sorted(keeper_unit_ids(user))),
        series_ids=tuple(SeriesGrant.objects.filter(user=user).values_list("series_id", flat=True)),
    )


def hidden_document_ids(user, session=None) -> tuple[int, ...]:
    """The documents behind a Wagtail view restriction (sign-in, groups, a password) that
    ``user`` has not passed: a page's privacy holds in search as on the page itself. A
    password is passed in the browser's session only, so without ``session`` it is not."""
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser
    from wagtail.models import PageViewRestriction

    from sapa.documents.models import ControlledDocument

    asking = SimpleNamespace(user=user or AnonymousUser(), session=session or {})
    hidden: set[int] = set()
    # Most sites restrict no page: one plain query then, a third of the joined one's time
    # (the page is read only for a restriction the user has not passed).
    for restriction in PageViewRestriction.objects.all():
        if restriction.accept_request(asking):
            continue
        hidden |= set(
            ControlledDocument.objects.descendant_of(restriction.page, inclusive=True).values_list(
                "pk", flat=True
            )
        )
    return tuple(sorted(hidden))


@cache
def synonym_groups() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each group's keys (every way a term may be written) and what it adds to a query (one
    key, or the phrase of a term's keys). Cached; cleared when a group is saved or deleted."""
    groups = []
    for group in SynonymGroup.objects.all():
        keys: set[str] = set()
        phrases: set[str] = set()
        for term in group.term_list():
            # As written: "отдел" read as a genitive of "отдела" made the group share a
            # stem with "отделения".
            analysed = analyze_query(term, loanwords=False)
            if len(analysed) == 1:
                keys |= set(analysed[0])
                phrases |= set(analysed[0])
            elif analysed:
                phrases.add(" ".join(alternatives[0] for alternatives in analysed))
        groups.append((frozenset(keys), frozenset(phrases)))
    return tuple(groups)


def equivalent_words() -> list[str]:
    """The single words of the equivalent terms (общежитие, обязанность, …): what a typo
    in a Russian question may be nearest to, though the Kazakh texts hold none of them."""
    words = {
        word.lower()
        for group in SynonymGroup.objects.all()
        for term in group.term_list()
        for word in term.split()
        if word.isalpha()
    }
    return sorted(words)


STEM_SHARED = 5  # letters that two forms of one Russian word begin with, at least


def _may_share_a_stem(key: str) -> bool:
    """A key of one word, five letters or more, none of them Kazakh-only."""
    return len(key) >= STEM_SHARED and " " not in key and not any(ch in KAZAKH_ONLY for ch in key)


def _one_stem(a: str, k: str) -> bool:
    """Whether keys ``a`` (a query word's) and ``k`` (a term's) are forms of one Russian word
    that Snowball stems apart: they begin alike for five letters or more and all but the last
    two at most (оценива and оцениван, назнача and назначен, наруша and нарушен: a verb and
    its noun). Not when ``k`` is the start of ``a`` (отдел in отделен, ментор in ментордын):
    that is another word, or an ending."""
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, k, strict=False)) if x != y), min(len(a), len(k))
    )
    if shared == len(k) < len(a):
        return False
    return shared >= STEM_SHARED and shared >= min(len(a), len(k)) - 2


def expand(words: list[list[str]]) -> list[list[str]]:
    """Add the equivalents of every query word from the synonym groups; a query that is a
    whole multi-word term ("студенттер үйі") becomes one word with all its equivalents."""
    whole = " ".join(alternatives[0] for alternatives in words if alternatives)
    for _keys, phrases in synonym_groups():
        if len(words) > 1 and whole in phrases:
            return [[whole, *sorted(phrases - {whole})]]
    groups = synonym_groups()
    by_key = _phrases_by_key(groups)
    out = []
    for alternatives in words:
        extra: set[str] = set()
        for key in alternatives:
            extra |= by_key.get(key, frozenset())
        # A Russian form of a term's word (no Kazakh letter) may share its stem.
        for a in alternatives:
            if _may_share_a_stem(a):
                for k, phrases in _stem_keys(groups).get(a[:STEM_SHARED], ()):
                    if not phrases <= extra and _one_stem(a, k):
                        extra |= phrases
        out.append(list(dict.fromkeys([*alternatives, *sorted(extra)])))
    return out


@lru_cache(maxsize=4)
def _stem_keys(groups) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """The groups' keys that may share a stem with a query word's (``_may_share_a_stem``),
    each with what its group adds, by their first STEM_SHARED letters (which a key that
    shares a stem with a word's begins with, as the word does: ``_one_stem``)."""
    by_start: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for keys, phrases in groups:
        for key in keys:
            if _may_share_a_stem(key):
                by_start.setdefault(key[:STEM_SHARED], []).append((key, phrases))
    return by_start


@lru_cache(maxsize=4)
def _phrases_by_key(groups) -> dict[str, frozenset[str]]:
    """What each key of the synonym groups adds to a query (the union over its groups)."""
    by_key: dict[str, frozenset[str]] = {}
    for keys, phrases in groups:
        for key in keys:
            by_key[key] = by_key.get(key, frozenset()) | phrases
    return by_key


def loose_keys_for(text: str, analysed: list[list[str]], words: list[list[str]]):
    """Per query word, its loose keys (typed without Kazakh letters), aligned with
    ``words``; none when equivalent terms merged the words into one."""
    if len(words) != len(analysed):
        return []
    return loose_query(text)


@dataclass
class SearchPage:
    text: str
    results: Results
    words: list[list[str]]
    definitions_first: bool = False
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    loose: list[list[str]] = field(default_factory=list)  # keys of words typed without ә ғ қ …
    prefer: str = ""  # the role put first for this kind of question (search.questions)
    by_meaning: bool = False  # clauses closest in meaning were fused in (search.vectors)
    typed: str = ""  # the query as typed, when words of it were spelled back (search.spelling)
    corrected: bool = False  # with ``typed``: a word of it was a typo, put right (spelling)
    suggestion: str = ""  # the query with its typos put right, to offer (not searched)
    # The first result is of the role put first (``prefer``, or a definition): what the page's
    # "… first" says. "эдвайзер не үшін керек" is answered by 3.1.5, a definition: the page
    # said "clauses that state a purpose first" above it.
    answered: bool = False


def search_for(
    user,
    text: str,
    *,
    filters: dict[str, Any] | None = None,
    types: tuple[str, ...] = ("clause", "form", "record"),
    limit: int = 10,
    offset: int = 0,
    backend=None,
    hidden_documents: tuple[int, ...] | None = None,
    respell: bool = True,
) -> SearchPage:
    """``hidden_documents``: as ``hidden_document_ids`` gives them (the view passes the
    session's); by default those ``user`` has not passed without a session. ``respell``:
    words typed without their Kazakh letters, which the index holds only under its folded
    keys, are spelled as the entries found spell them, and the search is made for that
    (``SearchPage.typed`` keeps the words as typed); False searches the words as typed.

    A question whose meaning was asked for ahead (``_meaning_ahead``) and not taken (the
    search answered by a code, or by the question spelled otherwise) is let go when the
    search ends: the model's one thread does not work on for it while later questions wait."""
    asked: list[str] = []
    try:
        return _search_for(
            user,
            text,
            filters=filters,
            types=types,
            limit=limit,
            offset=offset,
            backend=backend,
            hidden_documents=hidden_documents,
            respell=respell,
            asked=asked,
        )
    finally:
        for question in asked:
            vectors.let_go(question)


def _search_for(
    user,
    text: str,
    *,
    filters: dict[str, Any] | None,
    types: tuple[str, ...],
    limit: int,
    offset: int,
    backend,
    hidden_documents: tuple[int, ...] | None,
    respell: bool,
    asked: list[str],
) -> SearchPage:
    backend = backend or get_backend()
    if hidden_documents is None:
        hidden_documents = hidden_document_ids(user)
    question = read_question(text)
    cleaned = question.text
    definitions_first = question.prefer == "definition"
    analysed = analyze_query(cleaned)
    words = expand(analysed)
    if not words:  # punctuation, symbols or control characters only: nothing to look for
        return SearchPage(text=text, results=Results(hits=[], total=0, facets={}), words=[])
    loose = loose_keys_for(cleaned, analysed, words)
    prefer = question.prefer or ("duties" if asks_for_duties(words, loose) else "")
    # Every page within a block of results (``candidate_depth``) is cut from one ranking, so
    # paging never repeats or skips an entry; pages beyond MAX_RANKED (rare) take the
    # backend's own order.
    reranked = offset + limit <= MAX_RANKED and bool(words)
    query = SearchQuery(
        words=words,
        loose=loose,
        types=types,
        records=record_scope(user),
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "")},
        limit=candidate_depth(offset, limit) if reranked else limit,
        offset=0 if reranked else offset,
        definitions_first=definitions_first,
        candidates=reranked,
        hidden_documents=hidden_documents,
    )
    stats = None
    if reranked:
        keys = sorted({key for alternatives in words for key in alternatives})
        loose_keys = sorted({key for alternatives in loose for key in alternatives})
        stats = backend.stats(keys, loose_keys)
        if "clause" in types and _has_a_word_to_mean(cleaned):
            if _meaning_ahead(words, stats, text, respell):
                asked.append(text)
    # Clauses named by their number come first, and the number is no typo to put right.
    home = home_organisation_ids(user)  # (asked once: numbered clauses and ranking use it)
    numbered = _numbered_clauses(backend, query, cleaned, home) if reranked else []
    respell = respell and not numbered
    # A word that no entry holds as typed may have been typed without its Kazakh letters: it
    # is then most likely spelled back and searched again (``instead``), so this first look
    # reads only the best RESPELL_PROBE matches, counts them and leaves the facets.
    unheld = (
        respell
        and stats is not None
        and not all(
            any(stats.frequency.get(key, 0) for key in alternatives) for alternatives in words
        )
    )
    first = (
        replace(query, limit=min(query.limit, RESPELL_PROBE), counted=False) if unheld else query
    )
    results = backend.search(first)
    searched = first  # the search that ``results`` answer
    # Too few entries hold every word: one word fewer at a time, down to any word (ranking
    # puts the fuller matches first).
    # (Steps that would mean more than MAX_COMBINATIONS word groups are skipped.)
    # A code that no entry holds is asked for as typed, or not at all (asked once).
    # One thing typed without a space ("ВТ-18-1", a record's identifier) loses none of its
    # parts while an entry holds them all: an auditor who asked for group ВТ-18-1 got the
    # records of ВТ-25-1 and ВТ-25-2 after its own, found by "ВТ" alone.
    drop = (
        results.total < limit
        and (results.total == 0 or len(text.split()) > 1)
        and not _a_code_held_nowhere(backend, words, loose)
    )
    for required in range(len(words) - 1, 0, -1):
        if results.total >= limit or not drop:
            break
        if required > 1 and comb(len(words), required) > MAX_COMBINATIONS:
            continue
        searched = replace(first, required_words=required)
        results = backend.search(searched)

    def instead(other: str) -> SearchPage:
        """The same search for ``other``: the words spelled back or put right."""
        asked = {"filters": filters, "types": types, "limit": limit, "offset": offset}
        return search_for(
            user, other, **asked, backend=backend, hidden_documents=hidden_documents, respell=False
        )

    if unheld:

        def allowed(keys: list[str]) -> bool:
            held = replace(query, words=[keys], loose=[], limit=1, offset=0, candidates=False)
            return backend.search(held).total > 0

        respelt = respelled(text, backend, results.hits, allowed, expand)
        if respelt:
            page = instead(respelt)
            page.typed = text
            return page
        # Not spelled back: the search as asked, every candidate and the facets.
        searched = replace(searched, limit=query.limit, counted=True)
        results = backend.search(searched)
    # A word held under no key at all, even folded, may be a typo ("жатахана"): when no entry
    # holds the words as typed, the nearest words are searched instead (if an entry holds
    # them); else they are offered.
    suggestion = ""
    if (
        respell
        and stats is not None
        and not all(
            any(stats.frequency.get(key, 0) for key in alternatives)
            or any(
                stats.loose_frequency.get(key, 0) for key in (loose[i] if i < len(loose) else [])
            )
            for i, alternatives in enumerate(words)
        )
    ):

        def near(keys: list[str], loose_keys: list[str], edits: int) -> list[Hit]:
            fuzzy = replace(
                query,
                words=[keys],
                loose=[loose_keys],
                fuzzy=edits,
                required_words=0,
                limit=20,
                offset=0,
                candidates=False,
            )
            return backend.search(fuzzy).hits

        fixed = corrected(text, backend, near, expand, terms=equivalent_words())
        if fixed and not results.total:
            page = instead(fixed)
            if page.results.total:
                page.typed, page.corrected = text, True
                return page
        # Offered only for words of seven letters or more, and when an entry holds every
        # word of it: a short word one letter from another ("жатады", "жазады") is as
        # often a word the entries never use as a typo.
        if fixed and results.total:
            fixed = corrected(
                text, backend, near, expand, shortest=OFFERED_SHORTEST, inflections=False
            )
            if fixed:
                every = replace(
                    query,
                    words=expand(analyze_query(read_question(fixed).text)),
                    loose=[],
                    required_words=0,
                    limit=1,
                    offset=0,
                    candidates=False,
                )
                if backend.search(every).total:
                    suggestion = fixed
    by_meaning = answered = False
    if stats is not None and prefer == "references" and "clause" in types:
        _with_the_references(backend, query, searched, results)
    if stats is not None:
        # The keys each word has of its own come first in ``words`` (``expand``).
        own = [len(a) for a in analysed] if len(analysed) == len(words) else None
        # The question as this search asks it (spelled back, when it was), in meaning:
        # orders the clauses that hold as many of its words (with the optional extra).
        clauses = [hit.entry["entry_id"] for hit in results.hits if hit.entry["type"] == "clause"]
        close = vectors.closeness(text, clauses) if "clause" in types else {}
        ordered = rank(
            results.hits,
            words,
            stats,
            loose=loose,
            prefer=prefer,
            own=own,
            closeness=close,
            home=home,
        )
        ordered = _named_form_first(cleaned, _title_page_first(cleaned, ordered))
        ordered = _forms_by_their_titles(ordered, words, stats, loose)
        if (
            "clause" in types
            and _has_a_word_to_mean(cleaned)
            and _meaning_is_wanted(
                words,
                loose,
                stats,
                best=ordered[0] if ordered else None,
                prefer=prefer,
                guessed=_guessed_keys(cleaned, analysed),
            )
        ):
            # The question as typed: its "для чего" or "не үшін" is meaning too.
            fused = _fused_with_meaning(backend, query, text, ordered)
            if fused is not None:
                by_meaning = True
                _counted_in(results, fused, ordered, backend, searched)
                ordered = fused
        if prefer in SECTION_ANSWERS and "clause" in types:
            held = partial(words_held, words=words, stats=stats, loose=loose)
            whole = _with_whole_section(backend, query, ordered, prefer, limit, held)
            _counted_in(results, whole, ordered, backend, searched)
            ordered = whole
        if "clause" in types:
            listed = _with_listed_items(backend, query, ordered, limit, words, loose, stats)
            _counted_in(results, listed, ordered, backend, searched)
            ordered = listed
        if numbered:
            known = {hit.entry["entry_id"] for hit in numbered}
            first = [*numbered, *(hit for hit in ordered if hit.entry["entry_id"] not in known)]
            _counted_in(results, first, ordered, backend, searched)
            ordered = first
        stays = superseded_under_their_current([hit.entry for hit in ordered])
        results.total -= stays.count(False)
        ordered = [hit for hit, kept in zip(ordered, stays, strict=True) if kept]
        results.hits = ordered[offset : offset + limit]
        wanted = "definition" if definitions_first else prefer
        roles = ("forms", "form") if wanted == "forms" else (wanted,)  # the list, or a form
        answered = bool(wanted and ordered) and ordered[0].entry.get("role") in roles
    page = SearchPage(
        text=text,
        results=results,
        words=words,
        definitions_first=definitions_first,
        loose=loose,
        prefer=prefer,
        by_meaning=by_meaning,
        suggestion=suggestion,
        answered=answered,
    )
    for hit in results.hits:
        entry = {k: v for k, v in hit.entry.items() if k != "keys"}
        entry["score"] = hit.score
        shown = _without_its_title(shown_text(entry), entry["title"]) or entry["title"]
        entry["snippet"] = snippet(shown, words, loose=loose)
        page.groups.setdefault(entry["type"], []).append(entry)
    if "clause" in page.groups:
        clauses = page.groups["clause"]
        if not reranked:  # (a ranked search folded its whole ranking above)
            stays = superseded_under_their_current(clauses)
            clauses = [entry for entry, kept in zip(clauses, stays, strict=True) if kept]
        page.groups["clause"] = grouped_by_section(clauses)
    if prefer == "forms" and "form" in page.groups:
        # Asked for forms: the forms before the regulations that name them (the forms list
        # ranked first, and the forms themselves stood below twenty clauses).
        page.groups = {"form": page.groups.pop("form"), **page.groups}
    return page


def _a_code(key: str) -> bool:
    """A code's key: parts joined, one of them a number ("24_1", "715_99", "вт_18"); a number
    alone (a year, "715") is a word like any other."""
    return "_" in key and any(c.isdigit() for c in key)


def _a_code_held_nowhere(backend, words: list[list[str]], loose: list[list[str]]) -> bool:
    """Whether a word of the query is a code that no entry holds, by any of its keys or
    folded keys ("24_1" of a group's code "ВТ-24-1", "715_99"): the entries that hold
    the query's other words are no answer to it (a keeper who asked for "ВТ-24-1" got the
    records of ВТ-18-1)."""
    numbers = [
        i
        for i, alternatives in enumerate(words)
        if alternatives and all(_a_code(key) for key in alternatives)
    ]
    if not numbers:
        return False
    folded = [loose[i] if i < len(loose) else [] for i in numbers]
    stats = backend.stats(
        sorted({key for i in numbers for key in words[i]}),
        sorted({key for keys in folded for key in keys}),
    )
    return any(
        not any(stats.frequency.get(key, 0) for key in words[i])
        and not any(stats.loose_frequency.get(key, 0) for key in keys)
        for i, keys in zip(numbers, folded, strict=True)
    )


RRF_K = 60  # Reciprocal Rank Fusion's constant (Cormack, Clarke and Büttcher, 2009)

#: The kinds of question that a whole section answers: a role's duties, rights or
#: responsibility; what a document rests on (its normative references).
SECTION_ANSWERS = frozenset({"duties", "references"})
SECTION_MOST = 200  # clauses of one document edition read to gather a section


def _code_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalise(text)).translate(FOLD)


#: A clause's number as a query key: "3.1.5" is analysed as 3_1_5 (a section's "7" alone is a
#: number like any other: a year, a count).
_CLAUSE_NUMBER = re.compile(r"\d{1,3}(?:_\d{1,3}){1,4}")


def home_organisation_ids(user) -> set[int]:
    """The organisations ``user`` works in: their units' and their memberships'."""
    if not user or not user.is_authenticated:
        return set()
    from records.models import OrganisationMembership
    from sapa.documents.models import UnitMember

    return {
        *UnitMember.objects.filter(user=user).values_list("unit__organisation_id", flat=True),
        *OrganisationMembership.objects.filter(user=user).values_list("organisation_id", flat=True),
    }


def _numbered_clauses(backend, query: SearchQuery, text: str, home: set[int]) -> list[Hit]:
    """The clauses in force whose number the query names ("3.1.5", "715 ҚП 7.3", "5.2
    тармақ"), those of the document it names (by its number or code) when it names one, that
    the asking user may get, their own organisation's first; a tester got "nothing found"
    for 3.1.5, and for 7.3 only the forms that cite it. A clause's anchor is its number
    (``sapa.documents.outline``)."""
    numbers = [
        key.replace("_", ".")
        for alternatives in query.words
        for key in alternatives[:1]
        if _CLAUSE_NUMBER.fullmatch(key)
    ]
    if not numbers or "clause" not in query.types:
        return []
    from sapa.documents.models import ControlledDocument

    documents = list(
        ControlledDocument.objects.live().only(
            "pk", "organisation_id", "code", "number", "edition_number", "edition_version"
        )
    )
    rest = text
    for number in numbers:
        rest = rest.replace(number, " ")
    asked = _code_key(rest)
    named = [
        document
        for document in documents
        if (
            document.number and re.search(rf"(?<![\d.]){re.escape(document.number)}(?![\d.])", rest)
        )
        or (document.code and _code_key(document.code) in asked)
    ]
    ids = tuple(
        f"clause:{document.pk}:{document.edition_key}:{number}"
        for number in dict.fromkeys(numbers)
        for document in sorted(
            named or documents,
            key=lambda d: (d.organisation_id not in home, not d.code, d.code, d.pk),
        )
    )
    found = backend.search(replace(query.clauses(len(ids)), entry_ids=ids)).hits
    by_id = {hit.entry["entry_id"]: hit for hit in found}
    # The query's other words (not the number, "тармақ", the document's number or code)
    # must be the clause's too: "3.1.5 өзгерту" asks for the register's row on 3.1.5.
    named_keys = {
        key
        for d in named
        for part in (d.number, d.code, d.code.partition(" ")[2], *d.code.split())
        for key in _keys_of(part)
    }
    others = [
        alternatives
        for alternatives in query.words
        if not _CLAUSE_NUMBER.fullmatch(alternatives[0])
        and not (set(alternatives) & (named_keys | _NUMBER_WORDS))
    ]
    return [
        by_id[entry_id]
        for entry_id in ids
        if entry_id in by_id and all(_holds(by_id[entry_id].entry, words) for words in others)
    ]


def _keys_of(text: str) -> set[str]:
    return {key for alternatives in analyze_query(text) for key in alternatives}


#: Words that say a number is a clause's or a section's ("5.2 тармақ", "пункт 5.2").
_NUMBER_WORDS = frozenset(
    _keys_of("тармақ тармағы тармақша бөлім бөлімі пункт подпункт раздел п clause section")
)


def _holds(entry: dict[str, Any], alternatives: list[str]) -> bool:
    """Whether ``entry`` holds a word by any of its keys (a phrase as a phrase)."""
    keys = f" {entry.get('keys') or ''} "
    return any(f" {key} " in keys for key in alternatives)


def _title_page_first(text: str, ordered: list[Hit]) -> list[Hit]:
    """A query that is a document's code ("715 ҚП", "ҚазҰТЗУ 715 ҚП", "715 КП") asks for
    the document: its approval sheet, the title page that names it, comes first (a tester
    got its revision register first, then its forms list)."""
    asked = _code_key(text)
    if not asked:
        return ordered
    for position, hit in enumerate(ordered[:CANDIDATES]):
        code = hit.entry.get("document_code") or ""
        if hit.entry.get("role") == "approval" and asked in {
            _code_key(code),
            _code_key(code.split(" ", 1)[-1]),
        }:
            return [hit, *ordered[:position], *ordered[position + 1 :]]
    return ordered


def _named_form_first(text: str, ordered: list[Hit]) -> list[Hit]:
    """A query that is a form's title as written ("эдвайзердің жұмыс жоспары", case,
    punctuation and the Kazakh letters aside), or its code or number, asks for that form: it
    comes first (a tester found it twentieth, after the clauses that name such plans)."""
    asked = _code_key(text)
    if not asked:
        return ordered
    for position, hit in enumerate(ordered[:CANDIDATES]):
        entry = hit.entry
        if entry.get("type") != "form":
            continue
        title = entry.get("title") or ""
        code = entry.get("form_code") or ""
        number = re.search(r"\d+(?:\W+\d+)+", code)
        # or its code, with or without the organisation's abbreviation, or its number alone
        # ("715-01", "715-01 Ү": a tester found the form third, after the clauses citing it)
        named = {
            _code_key(title),
            _code_key(title.removeprefix(code)),
            _code_key(code),
            _code_key(code.split(" ", 1)[-1]),
            _code_key(number.group()) if number else "",
        }
        if asked in named:
            return [hit, *ordered[:position], *ordered[position + 1 :]]
    return ordered


@lru_cache(maxsize=4096)
def _title_words(title: str) -> tuple[tuple[str, ...], ...]:
    """A form's title read as a query is (its words' keys): the same titles come back search
    after search, up to a hundred of them for "форма" (0.1 ms each)."""
    return tuple(tuple(alternatives) for alternatives in analyze_query(title))


def _forms_by_their_titles(
    ordered: list[Hit], words: list[list[str]], stats, loose: list[list[str]]
) -> list[Hit]:
    """The forms among ``ordered`` (in the places forms hold there) in the order of how
    much of each one's title the question's words make up, among those that hold as many
    of its words: asked for "форма плана работы эдвайзера", 713-03 «Топтардың
    эдвайзерлерінің тәрбие жұмысы жоспары» came before 715-02 «Эдвайзердің жұмыс жоспары»,
    whose title is the words asked for and nothing else (a tester)."""
    places = [i for i, hit in enumerate(ordered[:CANDIDATES]) if hit.entry.get("type") == "form"]
    if len(places) < 2:
        return ordered
    wanted = {key for alternatives in words for key in alternatives}

    def covered(hit: Hit) -> float:
        entry = hit.entry
        title_words = _title_words(
            (entry.get("title") or "").removeprefix(entry.get("form_code") or "")
        )
        held = sum(1 for alternatives in title_words if wanted.intersection(alternatives))
        return held / max(len(title_words), 1)

    forms = [ordered[i] for i in places]
    held = {id(hit): words_held(hit.entry, words, stats, loose) for hit in forms}
    forms.sort(key=lambda hit: (-held[id(hit)], -covered(hit)))  # stable: the ranking's order
    out = list(ordered)
    for place, hit in zip(places, forms, strict=True):
        out[place] = hit
    return out


REFERENCES_MOST = 100  # normative references taken in for a question on what a document rests on


def _with_the_references(backend, query: SearchQuery, searched: SearchQuery, results) -> None:
    """The normative references join the candidates of a question on what a document rests
    on, whether or not they hold its words: "на каких законах основана процедура" names no
    word that 715's references hold (they say заң, not закон), and they answer it. Ranking
    counts each as holding one word more (``ASKING_ROLES``), so they come before entries
    that hold as many words without answering; a question that names its document ("715 ҚП
    қандай заңдарға сүйенеді") puts that document's first."""
    found = backend.search(query.clauses(REFERENCES_MOST, {**query.filters, "role": "references"}))
    known = {hit.entry["entry_id"] for hit in results.hits}
    extra = [hit for hit in found.hits if hit.entry["entry_id"] not in known]
    if extra:
        merged = [*results.hits, *extra]
        _counted_in(results, merged, results.hits, backend, searched)
        results.hits = merged


def _edition_clauses(backend, query: SearchQuery, entry: dict[str, Any]) -> Results:
    """The clauses of ``entry``'s document edition that the asking user may get (at most
    SECTION_MOST), whatever words they hold: what a section or a list is gathered from."""
    edition = {name: entry[name] for name in ("document_id", "edition", "status")}
    return backend.search(query.clauses(SECTION_MOST, edition))


def _with_whole_section(
    backend, query: SearchQuery, ordered: list[Hit], prefer: str, limit: int, held
) -> list[Hit]:
    """The section that answers a duties or references question, whole: the first of the
    first page's entries whose role answers it names its section (a heading names its own),
    and that section's heading and clauses follow one another from the place of the best of
    them, the heading first, then its clauses as they ranked, then those that hold none of
    the question's words, in the document's order. "Ментор қандай бұзушылықтар үшін
    жауапқа тартылады" is answered by section VI, every violation in it, though 6.1 to 6.5
    share no word with the question but "ментор"."""
    answer = next((hit for hit in ordered[:limit] if hit.entry.get("role") == prefer), None)
    if answer is None:
        return ordered
    entry, best = answer.entry, ordered[0].entry
    anchor = entry.get("section") or entry["anchor"]
    # Only a section that holds as many of the question's words as the best entry, or holds
    # the best entry: "Call-орталық міндеттері" asks about the call centre, not the mentor's
    # duties (section III).
    # (An entry of a role that answers asking words holds one word more, as ``rank`` counts.)
    bonus = prefer in ASKING_ROLES
    if held(entry) + bonus < held(best) + (bonus and best.get("role") == prefer):
        return ordered
    whole = _edition_clauses(backend, query, entry)
    members = [
        hit
        for hit in whole.hits
        if hit.entry["anchor"] == anchor or hit.entry.get("section") == anchor
    ]
    if not members:
        return ordered
    ids = {hit.entry["entry_id"] for hit in members}
    ranked = [hit for hit in ordered if hit.entry["entry_id"] in ids]
    first = ordered.index(ranked[0]) if ranked else ordered.index(answer)
    ranked_ids = {hit.entry["entry_id"] for hit in ranked}
    unranked = sorted(
        (hit for hit in members if hit.entry["entry_id"] not in ranked_ids),
        key=lambda hit: clause_order(hit.entry.get("clause")),
    )
    # The heading first (a stable sort), then the clauses as they ranked, then the rest.
    section = sorted([*ranked, *unranked], key=lambda hit: bool(hit.entry.get("section")))
    others = [hit for hit in ordered if hit.entry["entry_id"] not in ids]
    return [*others[:first], *section, *others[first:]]


def _introduces_a_list(entry: dict[str, Any]) -> bool:
    """A clause whose words end with a colon: "5.3 … келесі кезеңдерден тұрады:" (consists of
    the following stages), its items numbered under it (5.3.1 to 5.3.5)."""
    inside = entry.get("clause") and entry.get("section")  # a section's heading: not one
    return bool(inside) and (entry.get("text") or "").rstrip().endswith(":")


def _with_listed_items(
    backend, query: SearchQuery, ordered: list[Hit], limit: int, words, loose, stats
) -> list[Hit]:
    """A clause that introduces a list of numbered clauses is shown with them: the first of
    the first page's clauses that ends with a colon and holds as many of the query's words
    as the best entry, then its items in the document's order, whether or not they hold the
    words, when one of them shares a word of the question with it. "Әлеуметтік қолдау
    көрсету қандай кезеңдерден тұрады" is answered by 5.3 and its five stages, though two
    of them hold none of its words; "процедураның формалары" does not bring the terms that
    3.1 introduces (which holds процедура, which no term holds)."""
    if not ordered:
        return ordered

    def held(entry, which=None) -> int:
        if which is None:
            return words_held(entry, words, stats, loose)
        return words_held(entry, [words[which]], stats, [loose[which]] if loose else None)

    most = held(ordered[0].entry)
    lead = next(
        (
            hit
            for hit in ordered[:limit]
            if _introduces_a_list(hit.entry) and held(hit.entry) >= most
        ),
        None,
    )
    if lead is None:
        return ordered
    entry = lead.entry
    below = f"{entry['clause'].rstrip('.')}."
    whole = _edition_clauses(backend, query, entry)
    items = [hit for hit in whole.hits if (hit.entry.get("clause") or "").startswith(below)]
    shared = [i for i in range(len(words)) if held(entry, i)]
    if not any(held(item.entry, i) for item in items for i in shared):
        return ordered
    ids = {hit.entry["entry_id"] for hit in items}
    # The items as ranked (with their scores), in the document's order: the list as it reads.
    ranked = {hit.entry["entry_id"]: hit for hit in ordered if hit.entry["entry_id"] in ids}
    listed = sorted(
        (ranked.get(hit.entry["entry_id"], hit) for hit in items),
        key=lambda hit: clause_order(hit.entry.get("clause")),
    )
    others = [hit for hit in ordered if hit.entry["entry_id"] not in ids]
    at = others.index(lead) + 1
    return [*others[:at], *listed, *others[at:]]


_LETTERS = re.compile(r"[^\W\d_]{3,}")


def _has_a_word_to_mean(text: str) -> bool:
    """Whether the question holds a word of three letters or more: "x" or "12" has no
    meaning to look for, and the model would still name its 50 closest clauses."""
    return _LETTERS.search(text) is not None


def _meaning_ahead(words: list[list[str]], stats, text: str, respell: bool) -> bool:
    """Whether the question's meaning, which ranking will want for the clauses found
    (``vectors.closeness``), was asked for now, before the lexical passes: the model embeds
    it on one core while they run on the other, instead of on both after them. On this
    two-core machine at a million entries (``bench/search``) that took the search with the
    meaning from p50 24 ms and p95 40 to 20 and 31: a question waits for the model's second
    core to wake after the lexical passes (a model that has stood idle for 50 ms took 23 ms
    for a one-word question on two threads, 15 on one). Not for a question about to be
    asked again spelled back (a word held only under its folded keys): that one is asked
    for then."""
    if not vectors.enabled():
        return False
    if respell and not all(
        any(stats.frequency.get(key, 0) for key in alternatives) for alternatives in words
    ):
        return False
    return vectors.ask_ahead(text)


#: A Cyrillic word with a vowel: what the model may read for meaning.
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһі]*[аәеёиоөуұүыіэюя][а-яёәғқңөұүһі]*")


def _guessed_keys(text: str, analysed: list[list[str]]) -> list[frozenset[str]]:
    """Per query word, the keys it has only as a Russian noun read in another case (its
    nominative's Kazakh key, ``analysis.analyze_query``): a guess, not a word as typed."""
    plain = analyze_query(text, loanwords=False)
    if len(plain) != len(analysed):
        return []
    return [frozenset(a) - frozenset(p) for a, p in zip(analysed, plain, strict=True)]


def _meaning_is_wanted(
    words,
    loose,
    stats,
    best: Hit | None = None,
    prefer: str = "",
    guessed: list[frozenset[str]] = (),
) -> bool:
    """Whether the question's words leave the lexical answer in doubt, so that the clauses
    closest in meaning are fused in: more than one word in three of the question is in no
    entry at all, by any of its keys (Russian words over Kazakh regulations, words of the
    question's own), one of them a Cyrillic word; or the best lexical match (``best``)
    holds all but two or more of the words (they are spread thin over clauses that each
    hold a few). Never while a word was found only through its folded keys.

    Questions whose every word is in the index and whose best match holds all or all but
    one of them stay lexical, and so do those that hold one word of their own among three
    or more ("көмекке мұқтаж студенттердің дерекқоры": its other words find the clause,
    which the model's guesses pushed down), and Kazakh questions typed without Kazakh
    letters: the model reads "жатакхана" far worse than the index's folded keys match it.
    A word in Latin letters that nothing holds ("zzzqqq", "dormitory") gets no guess
    either, and nor does a query of one word that nothing holds ("ыврапдлоыв", the typo
    "обшежитие", "отчисление"): the model named its 50 closest clauses for any string at
    all, all about as close (cosine 0.82-0.86, as for real questions), and for one word its
    closest were bare section headings."""
    if len(words) == 1 and not any(stats.frequency.get(key, 0) for key in words[0]):
        return False
    held_nowhere, cyrillic = 0, False
    for i, alternatives in enumerate(words):
        # Among other words, one held only under its guessed nominative leaves the answer in
        # as much doubt as one held nowhere: the guess may have found a Russian word used
        # in a Kazakh paragraph rather than the question's subject.
        unsure = guessed[i] if i < len(guessed) and len(words) > 1 else frozenset()
        exact = any(stats.frequency.get(key, 0) for key in alternatives if key not in unsure)
        folded = any(
            stats.loose_frequency.get(key, 0) for key in (loose[i] if i < len(loose) else [])
        )
        if not exact and folded:
            return False
        if not (exact or folded):
            held_nowhere += 1
            cyrillic = cyrillic or bool(_CYRILLIC_WORD.fullmatch(alternatives[0]))
    if cyrillic and 3 * held_nowhere > len(words):
        return True
    if best is None or not any(_CYRILLIC_WORD.fullmatch(a[0]) for a in words if a):
        return False
    # An entry of the role that answers the kind of question holds its asking words (as
    # ``rank`` counts them): "процедура қандай заңдар мен стандарттарға сүйенеді" is answered
    # by a normative reference that names a law, not spread thin.
    answers = prefer in ASKING_ROLES and best.entry.get("role") == prefer
    return words_held(best.entry, words, stats, loose) + answers <= len(words) - 2


def _fused_with_meaning(backend, query: SearchQuery, text: str, ordered: list[Hit]):
    """The lexical ranking fused (RRF) with the clauses closest in meaning to ``text`` that
    the asking user may get (the backend filters them as it filters every search), bare
    headings left out; None when there are no clause vectors (the optional extra is not
    installed)."""
    if not vectors.enabled():
        return None
    # A bare heading ("7 ЭДВАЙЗЕРЛІК ЖҰМЫСТЫ ҰЙЫМДАСТЫРУ", "9 ЕСЕП БЕРУ") holds nothing that
    # answers a question: its few words were close in meaning to many questions, and such
    # headings came first for "список старост" or "путевка в санаторий" (a tester).
    by_meaning = [
        hit
        for hit in vectors.nearest_allowed(backend, query, text)
        if (hit.entry.get("text") or "").strip()
    ]
    if not by_meaning:
        return None
    scores: dict[str, float] = {}
    hits: dict[str, Hit] = {}
    for ranking in (ordered[: vectors.DEPTH], by_meaning):
        for position, hit in enumerate(ranking, 1):
            entry_id = hit.entry["entry_id"]
            scores[entry_id] = scores.get(entry_id, 0.0) + 1 / (RRF_K + position)
            hits.setdefault(entry_id, hit)
    best = sorted(scores, key=lambda entry_id: -scores[entry_id])  # stable: lexical first
    fused = [Hit(entry=hits[entry_id].entry, score=scores[entry_id]) for entry_id in best]
    # The lexical ranking's rest, less what meaning has already put in (listed once: a
    # clause seen on page 4 never comes again on page 5).
    return fused + [hit for hit in ordered[vectors.DEPTH :] if hit.entry["entry_id"] not in scores]


def _counted_in(results: Results, now: list[Hit], before: list[Hit], backend, query) -> None:
    """The count and the facets of ``results`` (the entries that hold the words) with the
    entries that ``now`` adds to ``before`` (clauses closest in meaning, the rest of a
    section), so that "50 results" and "ҚазҰТЗУ (50)" agree, and a facet's count is what
    choosing it gives. An added entry that holds the words beyond the ranked ones (the
    backend counted it) is not counted twice."""
    known = {hit.entry["entry_id"] for hit in before}
    added = [hit for hit in now if hit.entry["entry_id"] not in known]
    if not added:
        return
    if results.total > len(before):
        ids = tuple(hit.entry["entry_id"] for hit in added)
        asked = replace(query, entry_ids=ids, limit=len(ids), offset=0, candidates=False)
        counted = {hit.entry["entry_id"] for hit in backend.search(asked).hits}
        added = [hit for hit in added if hit.entry["entry_id"] not in counted]
    results.total += len(added)
    for name in FACETS:
        counts = results.facets.setdefault(name, {})
        for hit in added:
            value = hit.entry.get(name)
            if value not in (None, ""):
                counts[value] = counts.get(value, 0) + 1
        results.facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _without_its_title(text: str, title: str) -> str:
    """``text`` less the title it starts with, which the result's link already shows: a
    sub-heading's text begins with its own heading ("Жатақхана беру Жатақхана беру
    Институттарда…", a tester read)."""
    words, heading = text.split(), title.split()
    if heading and len(words) > len(heading) and words[: len(heading)] == heading:
        return " ".join(words[len(heading) :])
    return text


def superseded_under_their_current(entries: list[dict[str, Any]]) -> list[bool]:
    """Which of ``entries`` (in ranked order) stay results: a superseded edition's clause
    found after the same clause (its number, in the same document) of the edition in force
    does not, and is named under it instead (its ``earlier``). A staff member got each clause
    of «Ментор» twice, once in force and once "superseded edition (Version 2.0)", through the
    list (a tester); folded on the page alone, they came back on page 2, where their clause in
    force was not (the next tester), so a ranked search folds its whole ranking. One that
    ranked above the clause in force (its old text held more of the words asked) stays where
    it ranked: that is what was asked for."""
    current: dict[tuple, dict[str, Any]] = {}
    kept = []
    for entry in entries:
        key = (entry.get("document_id"), entry.get("anchor"))
        folded = False
        if entry.get("type") == "clause":
            if entry.get("status") == "in_force":
                current.setdefault(key, entry)
            elif entry.get("status") == "superseded" and key in current:
                old = {name: value for name, value in entry.items() if name != "keys"}
                current[key].setdefault("earlier", []).append(old)
                folded = True
        kept.append(not folded)
    return kept


def grouped_by_section(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clause results with their section's heading among the results are shown as one
    result: "the duties of a mentor" is the section, with its clauses (``children``, in the
    section's order), rather than clauses scattered through the list. The group stands where
    its best member ranked, and that member leads it: a heading that ranked first leads its
    clauses; a clause that ranked above its heading leads, and the heading
    (``section_head``) and the section's other clauses found are shown under it. Testers
    found the answer to "кто назначает ментора" fourth, under its heading's rank, and then
    "4 ЖАЛПЫ ЕРЕЖЕЛЕР", a general heading, above "Материалдық көмек көрсету…", which they
    had asked for."""
    heads = {
        (e["document_id"], e["status"], e["edition"], e["anchor"]): e
        for e in entries
        if not e.get("section") and e.get("role") not in PART_ROLES
    }
    out: list[dict[str, Any]] = []
    leads: dict[int, dict[str, Any]] = {}  # id(heading) -> the entry its group is shown as

    for entry in entries:
        own = (entry["document_id"], entry["status"], entry["edition"], entry["anchor"])
        if not entry.get("section") and heads.get(own) is entry:
            lead = leads.setdefault(id(entry), entry)
            if lead is entry:
                out.append(entry)
            else:
                lead["section_head"] = entry  # under the clause of it that ranked first
            continue
        key = (entry["document_id"], entry["status"], entry["edition"], entry.get("section"))
        head = heads.get(key) if entry.get("section") else None
        if head is None:
            out.append(entry)
        elif id(head) not in leads:
            leads[id(head)] = entry
            out.append(entry)
        else:
            leads[id(head)].setdefault("children", []).append(entry)
    for lead in leads.values():
        if lead.get("children"):
            lead["children"].sort(key=lambda e: clause_order(e["clause"]))
    return out


PART_ROLES = frozenset({"register", "register_row", "approval", "forms"})


def clause_order(number: str) -> tuple:
    """A clause number's sort key: 6.1 before 10.1 (its parts as numbers)."""
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\-]", number or ""))


def record_ids_matching(user, text: str, *, limit: int = 1000) -> list[int]:
    """Ids of the records ``user`` may see whose text matches: the records list asks here
    (through the SAPA_RECORD_TEXT_SEARCH setting) so that text search uses the index."""
    analysed = analyze_query(text)
    words = expand(analysed)
    if not words:
        return []
    query = SearchQuery(
        words=words,
        loose=loose_keys_for(text, analysed, words),
        types=("record",),
        records=record_scope(user),
        limit=limit,
    )
    results = get_backend().search(query)
    return [int(hit.entry["entry_id"].split(":")[1]) for hit in results.hits]
