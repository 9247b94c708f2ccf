"""One ranking for both backends: BM25 over the analysed keys, computed here from the index's
own statistics, so that the embedded index and the engine put the same results first.

Each backend returns its candidates (its best matches, ``candidate_depth``) and the statistics
(entries, average length, how many entries hold each query key); the order is then decided
once: entries holding more of the query's words first (an entry answering a definition,
purpose or references question counts one more), then the entries that answer the
kind of question asked (definitions for "… деген кім/не", purposes for "не үшін", the
section on a role's duties, the normative references for "… қандай заңдарға сүйенеді"), the
words held as typed before those held through an equivalent, current editions before
superseded ones, the score, the entry id.
"""

from __future__ import annotations

import math

from .backends.base import Hit, Stats

# The backend's best matches are ranked here in blocks of this many: every page of the first
# 100 results is cut from one ranking of the best 100, every page of the next 100 from one
# of the best 200, and so on, so that paging within a block never repeats or skips an entry
# (a page's candidates do not depend on how deep it lies in its block).
CANDIDATES = 100


def candidate_depth(offset: int, limit: int) -> int:
    """How many of the backend's best matches to rank for the page ``offset``..``limit``."""
    return -(-(offset + limit) // CANDIDATES) * CANDIDATES


#: The kinds of question whose asking words ("не үшін", "ұғымы") are not looked for: an entry
#: of the role that answers them counts as holding one more of the question's words.
ASKING_ROLES = frozenset({"definition", "purpose", "references"})

MAX_RANKED = 1000  # pages beyond this many results keep the backend's order
K1 = 1.2
B = 0.75
#: A match through the loose field (a word typed without its Kazakh letters) counts this
#: much of an exact match: the entry holding the word as typed properly comes first.
LOOSE_WEIGHT = 0.6
#: Among entries that hold as many of the query's words (and are alike in the other
#: respects above), how much the question's closeness in meaning to each (cosine, with the
#: optional extra: ``search.vectors.closeness``) weighs beside its BM25 (divided by the best
#: candidate's, so 0 to 1): clauses' cosines to one question lie within about 0.1 of each
#: other, so at 6 a clause much closer in meaning comes before one with somewhat more of
#: the words' weight. Set once on the tuning sets (4 to 12 gave about the same), then
#: measured on the others.
MEANING_WEIGHT = 6.0


def _occurrences(keys: list[str], parts: list[str]) -> int:
    """How many times the phrase ``parts`` (two keys or more) stands in ``keys``."""
    if not parts:
        return 0
    first, n, found, start = parts[0], len(parts), 0, 0
    try:
        while True:
            i = keys.index(first, start)
            found += keys[i : i + n] == parts
            start = i + 1
    except ValueError:
        return found


def _spaced(keys_text: str) -> str:
    """``keys_text`` with each key between spaces of its own: a key (or a phrase) is then
    counted by its ``_needle`` with one pass of ``str.count`` over the text, with no list of
    keys made (two keys side by side do not share the space between them)."""
    return f" {keys_text.replace(' ', '  ')} "


def _needle(parts: list[str]) -> str | None:
    """What ``_spaced`` text holds where the key or phrase ``parts`` stands; None for no key
    and for a phrase that may overlap itself ("а б а"), which ``str.count`` would count too
    seldom."""
    n = len(parts)
    if not n or any(parts[:k] == parts[n - k :] for k in range(1, n)):
        return None
    return " " + "  ".join(parts) + " "


def _idf(df: int, entries: int) -> float:
    return math.log(1 + (entries - df + 0.5) / (df + 0.5))


class _Weights:
    """What scoring needs of the query, worked out once for all the candidates: per word,
    its keys (split, when a phrase) with their idf, and its loose keys with theirs.
    ``own``: per word, how many of its keys (the first ones) are its own, as typed; the
    others are the equivalents that the synonym groups add (all its own when None)."""

    def __init__(
        self,
        words: list[list[str]],
        stats: Stats,
        loose: list[list[str]] | None,
        own: list[int] | None = None,
    ):
        entries = stats.entries
        self.own = own
        self.average = stats.average_length or 1.0
        self.words = []
        for i, alternatives in enumerate(words):
            exact = [
                (_needle(key.split()), key.split(), _idf(stats.frequency.get(key, 0), entries))
                for key in alternatives
            ]
            folded = [
                (_needle([key]), _idf(stats.loose_frequency.get(key, 0), entries))
                for key in (loose[i] if loose and i < len(loose) else ())
            ]
            self.words.append((exact, folded))
        self.any_loose = any(folded for _exact, folded in self.words)

    def score(self, keys_text: str, loose_text: str = "") -> tuple[int, int, float]:
        """(how many query words the entry holds, how many of them by their own keys rather
        than only through an equivalent, BM25). A word's loose keys (its own, typed without
        Kazakh letters) are looked up in the entry's loose keys, at LOOSE_WEIGHT."""
        # Each key is counted by one pass of ``str.count`` over the keys, spaced
        # (``_spaced``): a query has a handful of keys, an entry many, and ranking scores a
        # hundred entries. Their number is the entry's length (its spaces, plus one).
        spaced = _spaced(keys_text)
        loose_spaced = _spaced(loose_text) if loose_text and self.any_loose else ""
        length = keys_text.count(" ") + 1 if keys_text else 0
        norm = K1 * (1 - B + B * length / self.average)
        total, matched, own_held = 0.0, 0, 0
        for i, (exact, folded) in enumerate(self.words):
            best, by_own = 0.0, False
            own = self.own[i] if self.own and i < len(self.own) else len(exact)
            for j, (needle, parts, idf) in enumerate(exact):
                tf = spaced.count(needle) if needle else _occurrences(keys_text.split(), parts)
                if tf:
                    best = max(best, idf * tf * (K1 + 1) / (tf + norm))
                    by_own = by_own or j < own
            if loose_spaced:
                for needle, idf in folded:
                    tf = loose_spaced.count(needle)
                    if tf:
                        best = max(best, LOOSE_WEIGHT * (idf * tf * (K1 + 1) / (tf + norm)))
                        by_own = True
            total += best
            matched += best > 0
            own_held += by_own
        return matched, own_held, total


def words_held(
    entry: dict, words: list[list[str]], stats: Stats, loose: list[list[str]] | None = None
) -> int:
    """How many of the query's words ``entry`` holds, by any key (as ``rank`` counts them)."""
    held, _own, _score = _Weights(words, stats, loose).score(
        entry.get("keys") or "", entry.get("loose") or ""
    )
    return held


def rank(
    hits: list[Hit],
    words: list[list[str]],
    stats: Stats,
    *,
    definitions_first: bool = False,
    loose: list[list[str]] | None = None,
    prefer: str = "",
    own: list[int] | None = None,
    closeness: dict[str, float] | None = None,
    home: set[int] | frozenset[int] = frozenset(),
) -> list[Hit]:
    """``hits`` in their final order: more of the query's words first (an entry answering a
    definition, purpose or references question counting as holding one more:
    ``ASKING_ROLES``); then,
    for a kind of question (``search.questions``), the entries whose role answers it
    (``prefer``, or "definition" with ``definitions_first``; one that holds a word only
    through an equivalent answers only when no entry holds as many, all as typed); then more
    of the words held
    as typed rather than only through an equivalent (``own``, as ``_Weights`` reads it: a
    question about a mentor finds the mentor's clauses before the adviser's, which the
    synonym group makes equivalent); the entries of the asker's own organisations
    (``home``) before another's (a tester at ҚазҰТЗУ asked about the dormitory and got АӨУ's
    «Ментор» first: the rules that apply to them come first); current before superseded;
    BM25 (with ``closeness``,
    the question's closeness in meaning to each entry by entry id: BM25 and closeness
    together, ``MEANING_WEIGHT``; an entry without a vector counts as the others' mean);
    entry id."""
    prefer = "definition" if definitions_first else prefer
    weights = _Weights(words, stats, loose, own)
    matched, owned = {}, {}
    for hit in hits:
        i = hit.entry["entry_id"]
        matched[i], owned[i], hit.score = weights.score(
            hit.entry.get("keys") or "", hit.entry.get("loose") or ""
        )

    # "не үшін", "ұғымы", "деген не" were taken out of the words looked for: an entry of the
    # kind they ask for answers them, and counts as holding one word more. (A duties
    # question keeps its word, міндеттері, which the duties section's heading holds.)
    answers_asking = prefer in ASKING_ROLES
    # An entry that holds some of its words only through an equivalent answers as its role
    # says only when no entry holds as many words, every one as typed: "эдвайзер не үшін
    # керек" is asked about 715's advisers, and the mentor's purpose clauses (эдвайзер only
    # through the synonym group) came first.
    typed_in_full = {matched[i] for i in matched if owned[i] == matched[i]}
    weighed = {hit.entry["entry_id"]: hit.score for hit in hits}
    if closeness:
        known = [closeness[i] for i in weighed if i in closeness]
        neutral = sum(known) / len(known) if known else 0.0
        best = max(weighed.values(), default=0.0) or 1.0
        weighed = {
            i: score / best + MEANING_WEIGHT * closeness.get(i, neutral)
            for i, score in weighed.items()
        }

    def order(hit: Hit):
        entry = hit.entry
        i = entry["entry_id"]
        answers = (
            prefer
            and entry.get("role") == prefer
            and (owned[i] == matched[i] or matched[i] not in typed_in_full)
        )
        return (
            -matched[i] - (1 if answers and answers_asking else 0),
            0 if not prefer or answers else 1,
            -owned[i],
            0 if not home or entry.get("organisation_id") in home else 1,
            1 if entry.get("status") == "superseded" else 0,
            -round(weighed[i], 9),
            entry["entry_id"],
        )

    return sorted(hits, key=order)
