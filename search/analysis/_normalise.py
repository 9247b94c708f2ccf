"""Normalisation shared by documents and queries: NFC, mixed-script repair, lower case.

Kazakh letters are never folded: ә ғ қ ң ө ұ ү һ і stay distinct from а г к н о у х и,
because folding them merges different words (icu_folding merges 1.1% of the Kazakh
dictionary). Only ``str.lower()`` is applied.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters that occur in Kazakh but not in Russian: a word holding one is Kazakh.
KAZAKH_ONLY_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

VOWELS = frozenset("аәеёиоөуұүыіэюя")

# Characters that office converters leave inside words: soft hyphen, zero-width
# joiners, word joiner, byte-order mark. They are part of the word and dropped.
INVISIBLE = "\u00ad\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

# Latin letters typed inside Cyrillic words: glyph look-alikes (A, e, i, ...), the
# Kazakh Latin-script letters (ä, ğ, ñ, ö, ū, ü, ı), ə/ɵ from Azerbaijani fonts, and
# R -> Р, which the seeds show ("ЖАҚСARTУ").
_LATIN_TO_CYRILLIC = {
    "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н",
    "h": "һ", "I": "І", "i": "і", "K": "К", "k": "к", "M": "М", "O": "О", "o": "о",
    "P": "Р", "p": "р", "R": "Р", "r": "р", "T": "Т", "X": "Х", "x": "х", "Y": "Ү",
    "y": "у", "Ə": "Ә", "ə": "ә", "Ɵ": "Ө", "ɵ": "ө", "Ä": "Ә", "ä": "ә", "Ğ": "Ғ",
    "ğ": "ғ", "Ñ": "Ң", "ñ": "ң", "Ö": "Ө", "ö": "ө", "Ū": "Ұ", "ū": "ұ", "Ü": "Ү",
    "ü": "ү", "ı": "ы",
}  # fmt: skip
# Cyrillic look-alikes inside a word that is otherwise Latin ("Аdvisor").
_CYRILLIC_TO_LATIN = {
    "А": "A", "а": "a", "В": "B", "С": "C", "с": "c", "Е": "E", "е": "e", "Н": "H",
    "һ": "h", "І": "I", "і": "i", "К": "K", "М": "M", "О": "O", "о": "o", "Р": "P",
    "р": "p", "Т": "T", "Х": "X", "х": "x", "у": "y", "Ү": "Y",
}  # fmt: skip
_TO_CYRILLIC = str.maketrans(_LATIN_TO_CYRILLIC)
_TO_LATIN = str.maketrans(_CYRILLIC_TO_LATIN)

# A run of letters (with combining marks and invisible joiners): the unit the repair
# looks at. Hyphens split runs, so "Call-центр" keeps its Latin "Call".
_LETTER_RUN_RE = re.compile(rf"(?:[^\W\d_]|[\u0300-\u036f{INVISIBLE}])+")


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f"


def is_latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalpha()) or ch in _LATIN_TO_CYRILLIC


def repair_word(word: str) -> str:
    """Map look-alike letters of a mixed-script word to the word's own script.

    A word is Cyrillic when it holds a Cyrillic letter with no Latin look-alike
    (Ж, Қ, Б, ...), Latin when it holds a Latin letter with no Cyrillic one (d, s, v, ...),
    and otherwise takes the script of most of its letters. The other script's letters
    are mapped only when every one of them has a counterpart; a word in one script is
    returned unchanged.
    """
    cyrillic = latin = 0
    surely_cyrillic = surely_latin = False
    for ch in word:
        if is_cyrillic(ch):
            cyrillic += 1
            if ch not in _CYRILLIC_TO_LATIN:
                surely_cyrillic = True
        elif is_latin(ch):
            latin += 1
            if ch not in _LATIN_TO_CYRILLIC:
                surely_latin = True
    if not cyrillic or not latin:
        return word
    to_cyrillic = not surely_latin and (surely_cyrillic or cyrillic >= latin)
    if to_cyrillic:
        return word.translate(_TO_CYRILLIC)
    if not surely_cyrillic:
        return word.translate(_TO_LATIN)
    return word  # both scripts for sure ("HRбөлім"): leave it as written


def _repair_match(match: re.Match[str]) -> str:
    return repair_word(match.group())


def repair(text: str) -> str:
    """NFC, invisible joiners dropped, mixed-script words repaired; case kept."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE_RE.sub("", text)
    return _LETTER_RUN_RE.sub(_repair_match, text)


def normalise(text: str) -> str:
    """NFC, invisible joiners dropped, mixed-script words repaired, ``str.lower()``.

    >>> normalise("ЖАҚСARTУ күзiреттiлiктiң Advisor")
    'жақсарту күзіреттіліктің advisor'
    """
    return repair(text).lower()


def has_kazakh_letter(word: str) -> bool:
    return not KAZAKH_ONLY_LETTERS.isdisjoint(word)
