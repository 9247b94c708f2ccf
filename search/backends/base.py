"""What every search backend does; views and commands call ``get_backend()`` and never ask
which one they got. The contract tests run the same queries on each."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..schema import Entry

FACETS = ("organisation_id", "kind", "unit_id", "form_code", "year", "status")


@dataclass(frozen=True)
class RecordScope:
    """Which records the asking user may see, as a filter that goes into the query.

    ``everything`` for a superuser; the records of ``organisation_ids`` for the quality
    office and auditors there; the records of a keeper's ``unit_ids``; non-confidential
    records of granted ``series_ids``. A record is visible when any of them says so."""

    everything: bool = False
    unit_ids: tuple[int, ...] = ()
    series_ids: tuple[int, ...] = ()
    organisation_ids: tuple[int, ...] = ()

    @property
    def some(self) -> bool:
        """Whether any record at all may be visible."""
        return bool(self.everything or self.unit_ids or self.series_ids or self.organisation_ids)


@dataclass(frozen=True)
class SearchQuery:
    words: list[list[str]]  # per query word, its alternative keys (analysis.analyze_query)
    # Per query word (aligned with ``words``), keys to look up in the ``loose`` field too:
    # the word typed without Kazakh letters (жатакхана for жатақхана). A word matches when one
    # of its ``words`` keys is in ``keys`` or one of its ``loose`` keys is in ``loose``.
    # Empty (or shorter than ``words``): no loose keys for those words.
    loose: list[list[str]] = field(default_factory=list)
    types: tuple[str, ...] = ("clause", "form", "record")
    records: RecordScope = RecordScope()
    filters: dict[str, Any] = field(default_factory=dict)  # facet field -> value
    limit: int = 10
    offset: int = 0
    definitions_first: bool = False
    # How many of the words an entry must hold; 0 = all of them. Ranking puts the entries
    # holding more words first either way.
    required_words: int = 0
    candidates: bool = False  # True: the best matches by the backend's own score, to be ranked
    # Documents behind a Wagtail view restriction the user has not passed: their clauses and
    # forms are left out inside the query, like the records the user may not see.
    hidden_documents: tuple[int, ...] = ()
    # Only these entries (by entry id), when given: the clauses closest in meaning to a
    # question, kept to those the asking user may get (search.vectors).
    entry_ids: tuple[str, ...] = ()
    # Typos: each word's single keys (in ``keys``) and loose keys (in ``loose``) also match
    # the keys within this many edits of them (a letter left out, added, changed, or two
    # swapped). Only to find what a word held under no key may be a typo of
    # (search.spelling.corrected): ranking never sees such matches.
    fuzzy: int = 0
    # False: the matches' total without the facets counted (their counts may come back
    # empty): the first look of a search whose words may be spelled back (services).
    counted: bool = True

    def clauses(self, limit: int, filters: dict[str, Any] | None = None) -> SearchQuery:
        """The clauses this query's user may get (its permissions and hidden documents kept),
        whatever words they hold, among ``filters`` (this query's own when None), in the
        backend's own order: the clauses closest in meaning kept to the allowed, a whole
        section read, the normative references taken in."""
        return replace(
            self,
            words=[],
            loose=[],
            types=("clause",),
            filters=self.filters if filters is None else filters,
            limit=limit,
            offset=0,
            candidates=False,
            required_words=0,
            definitions_first=False,
            entry_ids=(),
            fuzzy=0,
        )


@dataclass
class Hit:
    entry: dict[str, Any]
    score: float


@dataclass
class Stats:
    """What ranking needs from an index, whichever backend: the number of entries, their
    average length in keys, and how many entries hold each key (or phrase of keys) in
    ``keys``, and each loose key in ``loose``."""

    entries: int
    average_length: float
    frequency: dict[str, int]
    # How many entries hold each loose key in the ``loose`` field (``SearchQuery.loose``).
    loose_frequency: dict[str, int] = field(default_factory=dict)


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[Any, int]]


class Backend(Protocol):
    name: str

    def upsert(self, entries: list[Entry]) -> None: ...

    def delete_object(self, object_key: str) -> None: ...

    def search(self, query: SearchQuery) -> Results: ...

    def entries_for(self, prefix: str) -> list[dict[str, Any]]: ...

    def all_versions(self) -> dict[str, str]: ...

    def rebuild(self, entries: list[Entry]) -> None: ...

    def stats(self, keys: list[str], loose: list[str] = ()) -> Stats: ...
