"""Kazakh and Russian text analysis, the same for every search backend.

Both backends index and query with these functions, so that a word means the same key
everywhere: the embedded tantivy backend indexes the keys with a whitespace analyzer
beside the stored original text, the OpenSearch backend in a field with the ``whitespace`` analyzer.
Each analyzer is named once in ``ANALYZERS``; backends refer to it by name.

    normalise(text)          NFC, Latin look-alikes in Cyrillic words repaired, lower case
    tokenize(text)           Tokens with offsets into text, codes included
    analyze_document(text)   keys to index, in order (space-joinable)
    analyze_query(text)      per query word, its alternative keys
    loose_document(text)     keys of the Kazakh words folded (typed without Kazakh letters)
    loose_query(text)        per query word (as analyze_query), its loose keys
    kazakh_stem(word)        light rule-based stemmer (nouns)
    russian_stem(word)       Snowball Russian (PyStemmer)
    token_keys(token)        every key one token may be indexed under (highlighting)

What was measured and why: shared/KAZAKH_SEARCH.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from ._kazakh import FOLD, kazakh_stem, loose_stem
from ._keys import (
    ASKING_WORDS_TYPED,
    RUSSIAN_BELOW,
    document_keys,
    loose_document_keys,
    loose_query_keys,
    original_query,
    original_terms,
    query_alternatives,
    query_keys,
)
from ._normalise import KAZAKH_ONLY_LETTERS, normalise, repair
from ._russian import russian_stem
from ._tokenize import ABBR, CODE, KEY_JOINER, LATIN, NUMBER, WORD, Token, tokenize


def analyze_document(text: str) -> list[str]:
    """Keys to index ``text`` under, in the order of its words; join them with spaces.

    Kazakh words get their Kazakh stem, Russian words (by paragraph) their Snowball
    stem, abbreviations and numbers their normalised form, and each code its canonical
    keys after its parts ("ҚазҰТЗУ 715 ҚП" -> қазұтзу 715 қп қазұтзу_715 715_қп
    қазұтзу_715_қп).
    """
    return document_keys(text)


def analyze_query(text: str, *, loanwords: bool = True) -> list[list[str]]:
    """Per query word, its alternative keys; a match needs one key of every word.

    A word without a Kazakh-only letter is looked up under its Kazakh and its Russian
    key (and, a Russian noun in another case, under its nominative's Kazakh key, unless
    ``loanwords`` is False: an equivalent term is written as it stands); a code in the query
    is one word with its most specific key.
    """
    return query_keys(text, loanwords=loanwords)


def loose_document(text: str) -> list[str]:
    """The loose keys of ``text``: each Kazakh word folded (ә→а, ғ→г, қ→к, ң→н, ө→о,
    ұ→у, ү→у, һ→х, і→и) and stemmed, for the low-weight field that queries typed without
    Kazakh letters match. Title and text keep every letter; this is a key only."""
    return loose_document_keys(text)


def loose_query(text: str) -> list[list[str]]:
    """Per query word, aligned with ``analyze_query(text)``, its loose keys: none for a
    word holding a Kazakh-only letter (typed properly, it matches exactly)."""
    return loose_query_keys(text)


def token_keys(token: Token) -> frozenset[str]:
    """Every key ``token`` can be indexed under, whatever its paragraph's language.

    For highlighting one token at a time: a word without a Kazakh-only letter gets
    its Kazakh and its Russian key, since a lone word has no paragraph to route it by.
    A word's keys depend on it alone (as written, normalised, its kind), so they are
    remembered: a snippet looks at a few hundred words, most of them common ones that every
    other snippet holds too.
    """
    return _written_keys(token.text, token.norm, token.kind)


@lru_cache(maxsize=65_536)
def _written_keys(text: str, norm: str, kind: str) -> frozenset[str]:
    return frozenset(query_alternatives(Token(text, 0, len(text), norm, kind)))


@dataclass(frozen=True)
class Analyzer:
    """One named way of turning text into terms, the same in every backend.

    ``document`` gives the terms to index, ``query`` the alternatives per query word.
    ``opensearch`` is the analyzer definition for the field that holds the terms (the
    Python terms are sent space-joined where ``precomputed`` is true), and
    ``fts5_tokenize`` the FTS5 ``tokenize=`` option for the column that holds them.
    """

    name: str
    description: str
    document: Callable[[str], list[str]]
    query: Callable[[str], list[list[str]]]
    precomputed: bool
    opensearch: Mapping[str, object] = field(default_factory=dict)
    fts5_tokenize: str = ""


_KEYS_FIELD = {"type": "custom", "tokenizer": "whitespace", "filter": []}
_KEYS_FTS5 = "unicode61 remove_diacritics 0 tokenchars '_'"

ANALYZERS: Mapping[str, Analyzer] = MappingProxyType(
    {
        a.name: a
        for a in (
            Analyzer(
                name="original",
                description="the words as written, lower case, no stemming, no folding: "
                "exact words, phrases and highlights",
                document=original_terms,
                query=original_query,
                precomputed=False,
                opensearch={"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
                fts5_tokenize="unicode61 remove_diacritics 0",
            ),
            Analyzer(
                name="kk_ru_keys",
                description="Kazakh or Russian stems, abbreviations, numbers and codes: "
                "the field that matching runs on",
                document=analyze_document,
                query=analyze_query,
                precomputed=True,
                opensearch=_KEYS_FIELD,
                fts5_tokenize=_KEYS_FTS5,
            ),
            Analyzer(
                name="kk_loose_keys",
                description="Kazakh words with ә ғ қ ң ө ұ ү һ і folded to а г к н о у у х и "
                "and stemmed alike, for text typed on a Russian keyboard (кужаты); a "
                "low-weight field only",
                document=loose_document_keys,
                query=loose_query_keys,
                precomputed=True,
                opensearch=_KEYS_FIELD,
                fts5_tokenize=_KEYS_FTS5,
            ),
        )
    }
)


def get_analyzer(name: str) -> Analyzer:
    """The analyzer called ``name``; KeyError names the known ones."""
    try:
        return ANALYZERS[name]
    except KeyError:
        raise KeyError(f"unknown analyzer {name!r}; known: {', '.join(ANALYZERS)}") from None


__all__ = [
    "ABBR",
    "ANALYZERS",
    "ASKING_WORDS_TYPED",
    "CODE",
    "FOLD",
    "KAZAKH_ONLY_LETTERS",
    "KEY_JOINER",
    "LATIN",
    "NUMBER",
    "RUSSIAN_BELOW",
    "WORD",
    "Analyzer",
    "Token",
    "analyze_document",
    "analyze_query",
    "get_analyzer",
    "kazakh_stem",
    "loose_document",
    "loose_query",
    "loose_stem",
    "normalise",
    "repair",
    "russian_stem",
    "token_keys",
    "tokenize",
]
