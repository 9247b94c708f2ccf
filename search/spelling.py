"""Kazakh words typed without their Kazakh letters, spelled back as the regulations spell them.

On a Russian keyboard people type "асханада арзан тамак кимдерге бериледи" for "… тамақ кімдерге
беріледі". The index's folded keys find such words, but only as they are (a lower weight, no
derived forms), and the model that reads questions for meaning reads "тамак" far worse than
"тамақ". So a typed word that the index holds only under its folded keys is spelled back from
the words of the entries it found, which the asking user may get: the entry word whose letters,
folded, begin as the typed word does. Its letters replace the typed ones over the part they
share; the rest of the word (its endings, when the regulations use the word with others) takes
the Kazakh letters its vowel harmony asks for (ғ, қ after back vowels, і after front ones).
A typed word held under no key at all, not even folded ("тамак", where the regulations write
тамақтану), is read every way its letters allow (``readings``, vowel harmony kept), and the
reading whose stem or equivalents the most entries hold wins, if an entry the user may get holds
it. Asking words typed so (кандай, ушин) are spelled back alongside, for the question's meaning.

A word held under no key even then is taken for a typo ("жатахана"): ``corrected`` puts the
nearest word of the entries that hold a key within a few edits of it (``typo_edits``) in its
place.

Nothing is spelled back or corrected from entries the user may not get, and the text is only a
query: the page says which spelling it searched for and links the words as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from sapa.localisation.letters import KAZAKH_ONLY, KEYBOARD_FOLD

from .analysis import (
    ASKING_WORDS_TYPED,
    analyze_query,
    kazakh_stem,
    loose_query,
    repair,
    russian_stem,
)

_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.IGNORECASE)
# A word with a Kazakh-only letter (lower case).
_KAZAKH_WORD = re.compile(r"[а-яёәғқңөұүһі]*[әғқңөұүһі][а-яёәғқңөұүһі]*")
_BACK = frozenset("аоұыяё")
_FRONT = frozenset("әеөүіэ")
# Genitive endings typed without ң (-ның, -нің, -дың, -дің, -тың, -тің).
_GENITIVE = re.compile(r"(?<=[ндт][ыі])н$")
SHORTEST = 3  # letters a typed word needs to be spelled back
SHARED = 4  # letters an entry word must share with a longer typed word (or be whole)


def _folded(word: str) -> str:
    return word.translate(KEYBOARD_FOLD)


def _has_kazakh_letter(word: str) -> bool:
    return any(ch in KAZAKH_ONLY for ch in word)


def _back(stem: str) -> bool | None:
    """The stem's vowel harmony, read from its last telling vowel: back, front, or None."""
    for ch in reversed(stem):
        if ch in _BACK:
            return True
        if ch in _FRONT:
            return False
    return None


def _ending(typed: str, stem: str) -> str:
    """The typed letters after ``stem``, in the Kazakh letters its harmony asks for."""
    back = _back(stem)
    if back is None:
        return typed
    if back:
        ending = typed.replace("г", "ғ").replace("к", "қ")
    else:
        ending = typed.replace("и", "і")
    if ending and _GENITIVE.search(stem + ending):
        ending = ending[:-1] + "ң"
    return ending


def vocabulary(texts: Iterable[str]) -> Counter:
    """The words of ``texts`` that hold a Kazakh-only letter, lower case, counted."""
    words: Counter = Counter()
    for text in texts:
        words.update(_KAZAKH_WORD.findall((text or "").lower()))
    return words


def spelled(typed: str, words: Counter) -> str | None:
    """``typed`` (lower case, no Kazakh-only letter) as the entry words spell it, or None
    when none of them begins, folded, with at least ``SHARED`` of its letters (or is a
    whole word of three or more that the typed word begins with)."""
    best, best_rank = None, (0, 0)
    for word, count in words.items():
        folded = _folded(word)
        shared = 0
        for a, b in zip(folded, typed, strict=False):
            if a != b:
                break
            shared += 1
        if shared < len(typed) and shared < SHARED and shared != len(folded):
            continue
        if shared < SHORTEST:
            continue
        if (shared, count) > best_rank:
            best, best_rank = word, (shared, count)
    if best is None:
        return None
    shared = best_rank[0]
    stem = best[:shared]
    return stem + _ending(typed[shared:], stem)


#: What a letter typed on a Russian keyboard may stand for.
_READINGS = {
    "а": "аә",
    "г": "гғ",
    "к": "кқ",
    "н": "нң",
    "о": "оө",
    "у": "уұү",
    "х": "хһ",
    "и": "иі",
}
_FRONT_ONLY = frozenset("әөүі")
_BACK_ONLY = frozenset("ұықғ")
MAX_READINGS = 256  # spellings of one typed word weighed (a longer word is left as typed)


def readings(typed: str) -> list[str]:
    """Every spelling of ``typed`` with Kazakh letters where it may have lost them, but
    those that mix front-only with back-only letters (vowel harmony: no Kazakh word has
    both і and ы, ә and қ); none when there would be more than ``MAX_READINGS``."""
    count = 1
    for ch in typed:
        count *= len(_READINGS.get(ch, ch))
    if count > MAX_READINGS:
        return []
    spellings = [""]
    for ch in typed:
        spellings = [s + r for s in spellings for r in _READINGS.get(ch, ch)]
    return [
        s
        for s in spellings
        if s != typed and not (_FRONT_ONLY.intersection(s) and _BACK_ONLY.intersection(s))
    ]


def _keys_of(word: str, expand=None) -> list[str]:
    """Every key ``word`` is looked for under (with its equivalents, by ``expand``)."""
    analysed = analyze_query(word)
    return [k for alternatives in (expand or list)(analysed) for k in alternatives]


def respelled(text: str, backend, hits, allowed=None, expand=None) -> str | None:
    """``text`` with every word typed without Kazakh letters that the index holds under no
    exact key spelled back (None when no word changes): a word held under its folded keys
    as the words of ``hits`` (entries the asking user may get) spell it; a word held under
    no key at all, as the reading of it (``readings``) whose keys the most entries hold, if
    ``allowed(keys)`` says an entry the user may get holds one of them. ``expand`` adds a
    word's equivalents to its keys (``services.expand``). Latin look-alikes typed in a
    Cyrillic word ("куkyктары") are read as the Cyrillic letters they stand for, as the
    index reads them."""
    text = repair(text)
    typed = [
        m
        for m in _WORD.finditer(text)
        if len(m.group()) >= SHORTEST and not _has_kazakh_letter(m.group().lower())
    ]
    if not typed:
        return None
    # Asking words (кандай, ушин) are not looked for, but their spelling helps the
    # question's meaning be read.
    respelt_of = {
        m.group().lower(): ASKING_WORDS_TYPED[m.group().lower()]
        for m in typed
        if m.group().lower() in ASKING_WORDS_TYPED
    }
    keys_of = {}
    for m in typed:
        word = m.group().lower()
        exact = _keys_of(word, expand) if word not in respelt_of else []
        loose = [k for alternatives in loose_query(word) for k in alternatives]
        if exact:
            keys_of[word] = (exact, loose)
    if not keys_of:
        return None
    stats = backend.stats(
        sorted({k for exact, _ in keys_of.values() for k in exact}),
        sorted({k for _, loose in keys_of.values() for k in loose}),
    )
    unheld = {
        word: any(stats.loose_frequency.get(k, 0) for k in loose)
        for word, (exact, loose) in keys_of.items()
        if not any(stats.frequency.get(k, 0) for k in exact)
    }
    if not unheld:
        return None  # only asking words typed so: the words looked for are all found
    words = vocabulary(
        f"{hit.entry.get('title') or ''}\n{hit.entry.get('text') or ''}" for hit in hits
    )
    for word, folded_held in unheld.items():
        respelt = spelled(word, words) if folded_held else None
        if respelt is None and allowed is not None:
            respelt = _best_reading(word, backend, allowed, expand)
        if respelt and respelt != word:
            respelt_of[word] = respelt
    return _replaced(text, typed, respelt_of)


def _cased(typed: str, word: str) -> str:
    """``word`` in the case ``typed`` was typed in: letter for letter when they are as long
    (КазУТЗУ -> ҚазҰТЗУ), else a capital first letter kept."""
    if len(typed) == len(word):
        return "".join(w.upper() if t.isupper() else w for t, w in zip(typed, word, strict=True))
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def _replaced(text: str, typed: list[re.Match], new_of: dict[str, str]) -> str | None:
    """``text`` with each of its ``typed`` words that ``new_of`` (by lower case) names put
    as that word, in the case it was typed in; None when none is."""
    if not new_of:
        return None
    out, last = [], 0
    for m in typed:
        new = new_of.get(m.group().lower())
        if new is not None:
            out += [text[last : m.start()], _cased(m.group(), new)]
            last = m.end()
    return "".join([*out, text[last:]])


def _best_reading(word: str, backend, allowed, expand=None) -> str | None:
    """The reading of ``word`` whose stem (or an equivalent of it) the most entries hold; a
    reading is a Kazakh word, so its stem is its key (as in ``analyze_query``, without the
    verb forms it also looks for: up to ``MAX_READINGS`` readings are weighed)."""
    keys = {
        reading: [
            k for alternatives in (expand or list)([[kazakh_stem(reading)]]) for k in alternatives
        ]
        for reading in readings(word)
    }
    keys = {reading: k for reading, k in keys.items() if k}
    if not keys:
        return None
    stats = backend.stats(sorted({k for ks in keys.values() for k in ks}))
    held = {reading: max(stats.frequency.get(k, 0) for k in ks) for reading, ks in keys.items()}
    best = max(held, key=lambda reading: held[reading], default=None)
    if best is None or not held[best] or not allowed(keys[best]):
        return None
    return best


def typo_edits(word: str) -> int:
    """How many edits (a letter left out, added, changed, or two swapped) a typed word of
    this length may hold as a typo: none below five letters (too many words lie that close
    to each other), one up to seven, two from eight."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def closest(typed: str, words: Counter) -> str | None:
    """The word of ``words`` (as the entries write it) nearest ``typed``, Kazakh letters
    folded on both sides, within ``typo_edits(typed)`` of it; the nearest first, then the
    commonest. None when no word is that near, or ``typed`` is one of them."""
    if typed in words:
        return None  # written as the entries write it
    edits = typo_edits(typed)
    typed_folded = _folded(typed)
    best, best_rank = None, None
    for word, count in words.items():
        distance = OSA.distance(typed_folded, _folded(word), score_cutoff=edits)
        if 0 < distance <= edits and (best_rank is None or (distance, -count) < best_rank):
            best, best_rank = word, (distance, -count)
    return best


def _inflected(typed: str, word: str) -> bool:
    """Whether ``word`` is ``typed`` with another ending: the Russian genitive of a word the
    Kazakh texts use in the nominative ("процедуры", "процедура") is no typo."""
    return russian_stem(typed) == russian_stem(word) or kazakh_stem(typed) == kazakh_stem(word)


_ANY_WORD = re.compile(r"[а-яёәғқңөұүһі]{2,}", re.IGNORECASE)


def corrected(
    text: str,
    backend,
    find,
    expand=None,
    shortest: int = 5,
    inflections: bool = True,
    terms: Iterable[str] = (),
) -> str | None:
    """``text`` with each word of it that the index holds under no key, exact or folded,
    and long enough to hold a typo (``typo_edits``; ``shortest`` letters at least), replaced
    by the nearest word (``closest``) of the entries ``find(keys, loose, edits)`` gives:
    those the asking user may get that hold a key within ``edits`` of the word's keys
    (``keys``) or of its folded keys (``loose``). None when no word changes.
    ``inflections=False``: a nearest word that is the typed one with another ending (one
    stem, Russian or Kazakh: "процедуры", "процедура") is no correction of it. ``terms``:
    words the index need not hold that a query may still mean (the equivalent terms' Russian
    words, to which the search adds the Kazakh ones: "общижитие" is общежитие, жатақхана)."""
    text = repair(text)
    typed = [
        m
        for m in _WORD.finditer(text)
        if len(m.group()) >= shortest
        and typo_edits(m.group())
        and m.group().lower() not in ASKING_WORDS_TYPED
    ]
    keys_of = {}
    for m in typed:
        word = m.group().lower()
        exact = _keys_of(word, expand)
        if exact:
            keys_of[word] = (exact, [k for ks in loose_query(word) for k in ks])
    if not keys_of:
        return None
    stats = backend.stats(
        sorted({k for exact, _ in keys_of.values() for k in exact}),
        sorted({k for _, loose in keys_of.values() for k in loose}),
    )
    fixed: dict[str, str] = {}
    for word, (exact, loose) in keys_of.items():
        if any(stats.frequency.get(k, 0) for k in exact) or any(
            stats.loose_frequency.get(k, 0) for k in loose
        ):
            continue
        single = [k for k in exact if " " not in k]
        hits = find(single, loose, typo_edits(word))
        words: Counter = Counter(dict.fromkeys(terms, 1))
        for hit in hits:
            entry = hit.entry
            words.update(
                _ANY_WORD.findall(f"{entry.get('title') or ''}\n{entry.get('text') or ''}".lower())
            )
        nearest = closest(word, words)
        if nearest and not inflections and _inflected(word, nearest):
            continue
        if nearest:
            fixed[word] = nearest
    return _replaced(text, typed, fixed)
