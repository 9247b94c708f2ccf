"""Russian stemming: Snowball Russian through PyStemmer (C, ~5 M words/s)."""

from __future__ import annotations

from functools import lru_cache

import Stemmer

from ._normalise import has_kazakh_letter

_STEMMER = Stemmer.Stemmer("russian")


@lru_cache(maxsize=262_144)
def russian_stem(word: str) -> str:
    """Snowball Russian stem of a normalised (lower-case) word.

    A word with a Kazakh-only letter is returned unchanged: Snowball would cut Kazakh
    endings that look Russian (құжаттарды -> құжаттард).
    """
    if has_kazakh_letter(word):
        return word
    return _STEMMER.stemWord(word)
