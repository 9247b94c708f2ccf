"""One ranking for both backends: BM25 over the analysed keys, computed here from the index's
own statistics, so that the embedded index and the engine put the same results first.

Each backend returns its candidates (every match, up to ``CANDIDATES``) and the statistics
(entries, average length, how many entries hold each query key); the order is then decided
once: entries holding more of the query's words first, then definitions for "… деген
кім/не" questions, current editions before superseded ones, the score, the entry id.
"""

from __future__ import annotations

import math
from collections import Counter

from .backends.base import Hit, Stats

CANDIDATES = 50  # at least this many of the backend's best matches are ranked here
MAX_RANKED = 1000  # pages beyond this many results keep the backend's order
K1 = 1.2
B = 0.75


def _occurrences(keys: list[str], counts: Counter, phrase: str) -> int:
    parts = phrase.split()
    if len(parts) == 1:
        return counts.get(parts[0], 0)
    n = len(parts)
    return sum(1 for i in range(len(keys) - n + 1) if keys[i : i + n] == parts)


def score(keys_text: str, words: list[list[str]], stats: Stats) -> tuple[int, float]:
    """(how many query words the entry holds, BM25)."""
    keys = keys_text.split()
    counts = Counter(keys)
    average = stats.average_length or 1.0
    norm = K1 * (1 - B + B * len(keys) / average)
    total, matched = 0.0, 0
    for alternatives in words:
        best = 0.0
        for key in alternatives:
            tf = _occurrences(keys, counts, key)
            if not tf:
                continue
            df = stats.frequency.get(key, 0)
            idf = math.log(1 + (stats.entries - df + 0.5) / (df + 0.5))
            best = max(best, idf * tf * (K1 + 1) / (tf + norm))
        total += best
        matched += best > 0
    return matched, total


def rank(
    hits: list[Hit], words: list[list[str]], stats: Stats, *, definitions_first: bool
) -> list[Hit]:
    matched = {}
    for hit in hits:
        matched[hit.entry["entry_id"]], hit.score = score(hit.entry.get("keys") or "", words, stats)

    def order(hit: Hit):
        entry = hit.entry
        return (
            -matched[entry["entry_id"]],
            0 if not definitions_first or entry.get("role") == "definition" else 1,
            1 if entry.get("status") == "superseded" else 0,
            -round(hit.score, 9),
            entry["entry_id"],
        )

    return sorted(hits, key=order)
