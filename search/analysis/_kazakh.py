"""A light rule-based Kazakh stemmer for nouns: attributive, case, possessive, plural.

No Kazakh stemmer exists in Snowball, ICU, Elasticsearch or OpenSearch, and exact-word
search finds under a tenth of what staff look for, so this strips the inflections that
nouns take, right to left, until nothing more comes off:

    жатақхана + лар + дағы  ->  жатақхана
    эдвайзер + лер + і + нің  ->  эдвайзер
    құқы(ғ) + ы  ->  құқық (final б/г/ғ devoiced to п/к/қ)

Every suffix carries the condition under which Kazakh uses it (its allomorph
condition): тар/тер only after a voiceless consonant, ны/ні only after a vowel,
н/на/нда/нан only after the possessive ы/і or сы/сі, and so on; the suffix vowel must
agree with the stem's last vowel (vowel harmony). A cut must leave three letters with
a vowel. Derivational suffixes are never cut, so қызмет/қызметкер,
студент/студенттік and құжат/құжатталған stay apart.

Keys are for matching, not for display: a lemma ending in consonant + ы/і loses it in
every form alike (басшы, басшысы, басшыға -> басш), and final б/г/ғ is always devoiced
(педагог -> педагок), so that all forms of a word agree.

Known gaps, kept on purpose because the fixes merge more words than they join:
- verbs: only what looks like a noun ending is cut (береді -> беред); a verb in a query
  looks for the keys of all its usual forms instead (``_keys.verb_keys``);
- the privative -сыз/-сіз, participles in -атын/-етін, 1st and 2nd person
  possessives (-ым, -ың, -ымыз), the similative -дай/-дей (келесідей);
- two-letter stems outside ``SHORT_STEMS`` (су, ақ) are not cut (суы != су);
- adjectives in -ды/-ты/-лы read as the accusative/possessive of their noun
  (мақсатты, тиісті, жауапты -> мақсат, тиіс, жауап): the homograph is real;
- vowel + н + ы/і is read as the accusative ны/ні (кафедраны) unless the -ан/-ен
  noun is in ``CONSONANT_LEMMAS`` (маманы -> маман, but метаны -> мета).
"""

from __future__ import annotations

from sapa.localisation.letters import KEYBOARD_FOLD

from ._normalise import VOWELS

# Final letters of a stem, grouped by how suffixes assimilate to them. и and у end in
# a glide (ій, ұу) and take the consonant forms: оқуды, not оқуны.
_V = "аәеёоөұүыіэюя"  # vowels
_R = "рйуи"  # р and the glides
_L = "ль"
_N = "мнң"
_Z = "зж"
_U = "пкқтсшфхцчщ"  # voiceless
_D = "бвгдғ"  # voiced stops, devoiced at the end of a word: they take either form

_AFTER_VOICED = _V + _R + _L + _N + _Z + _D
_AFTER_CONSONANT = _R + _L + _N + _Z + _U + _D

_BACK = frozenset("аоұыяё")
_FRONT = frozenset("әеөүіэ")

# Each slot: (suffix, letters the stem may end in). Both harmony variants are listed;
# the vowel of the suffix is checked against the stem separately.
_ATTRIBUTIVE = [
    ("дағы", _AFTER_VOICED), ("дегі", _AFTER_VOICED),
    ("тағы", _U + _D), ("тегі", _U + _D),
]  # fmt: skip
_CASE = [
    # genitive
    ("ның", _V + _N), ("нің", _V + _N),
    ("дың", _R + _L + _Z + _D), ("дің", _R + _L + _Z + _D),
    ("тың", _U + _D), ("тің", _U + _D),
    # accusative
    ("ны", _V), ("ні", _V),
    ("ды", _R + _L + _N + _Z + _D), ("ді", _R + _L + _N + _Z + _D),
    ("ты", _U + _D), ("ті", _U + _D),
    # dative
    ("ға", _AFTER_VOICED), ("ге", _AFTER_VOICED), ("қа", _U + _D), ("ке", _U + _D),
    # locative
    ("да", _AFTER_VOICED), ("де", _AFTER_VOICED), ("та", _U + _D), ("те", _U + _D),
    # ablative
    ("дан", _V + _R + _L + _Z + _D), ("ден", _V + _R + _L + _Z + _D),
    ("нан", _N), ("нен", _N), ("тан", _U + _D), ("тен", _U + _D),
    # instrumental (front only)
    ("мен", _V + _R + _L + _N), ("бен", _Z + _D), ("пен", _U + _D),
]  # fmt: skip

# Case endings with the pronominal н, which follow only a 3rd person possessive:
# ы/і after a consonant, сы/сі after a vowel. Cut together with the possessive, so
# that "орын" is never read as "оры" + н.
_PRONOMINAL = ("ндағы", "ндегі", "нда", "нде", "нан", "нен", "на", "не", "н")
_POSSESSIVE_CASE = sorted(
    [(p + c, _AFTER_CONSONANT) for p in ("ы", "і") for c in _PRONOMINAL]
    + [(p + c, _V) for p in ("сы", "сі") for c in _PRONOMINAL],
    key=lambda item: -len(item[0]),
)
_POSSESSIVE = [("сы", _V), ("сі", _V), ("ы", _AFTER_CONSONANT), ("і", _AFTER_CONSONANT)]
_PLURAL = [
    ("лар", _V + _R), ("лер", _V + _R),
    ("дар", _L + _N + _Z), ("дер", _L + _N + _Z),
    ("тар", _U + _D), ("тер", _U + _D),
]  # fmt: skip


def _by_length(slot: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(slot, key=lambda item: -len(item[0]))


# Right to left: attributive, case (with the possessive it needs), possessive, plural.
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    _by_length(_ATTRIBUTIVE)
    + _POSSESSIVE_CASE
    + _by_length(_CASE)
    + _POSSESSIVE
    + _by_length(_PLURAL)
)
_FINAL_LETTERS = frozenset(suffix[-1] for suffix, _ in _SUFFIXES)

#: Two-letter stems that may be left after a cut (ісі -> іс, үйге -> үй).
SHORT_STEMS = frozenset({"іс", "үй", "ай", "ел", "ат", "ой", "өз"})

#: Stems whose vowel drops before a vowel suffix: орын -> орны, халық -> халқы.
VOWEL_DROP = {
    "орн": "орын", "халқ": "халық", "ауз": "ауыз", "нарқ": "нарық", "мұрн": "мұрын",
    "мойн": "мойын", "ерн": "ерін", "қарн": "қарын", "құлқ": "құлық", "ырқ": "ырық",
    "қойн": "қойын", "бөрк": "бөрік",
}  # fmt: skip

#: Lemmas in a vowel + с or н that take ы/і (кеңес-і, маман-ы), where the reading with
#: a vowel-final lemma (кеңсе-сі, кафедра-ны) would be chosen otherwise.
CONSONANT_LEMMAS = frozenset(
    {
        "кеңес", "қатынас", "күрес", "сәйкес", "жолдас", "жиналыс", "батыс", "тартыс",
        "алыс", "болыс", "шығыс", "маман", "заман", "мекен", "орган", "экран", "ұран",
    }
)  # fmt: skip

#: Words returned as they are and never cut below: homographs of a stem + suffix
#: (басқа "other" is not бас + қа "to the head") and function words.
PROTECTED = frozenset(
    {
        "басқа", "кейін", "дейін", "шейін", "жақын", "бірге", "майдан",
        "бойы", "арқылы", "тағы", "және", "немесе", "сондай",
        "мұндай", "осындай", "бірақ", "сайын", "бірде", "ішінара", "бүгін", "ерте",
        "кейде", "бұрын", "әрі", "ары", "бері", "нұсқа", "кесте", "тұлға", "төраға",
        "староста", "өзге", "ақылы", "отбасы", "оқиға",
    }
)  # fmt: skip
_PROTECTED_BY_START: dict[str, tuple[str, ...]] = {}
for _word in sorted(PROTECTED):
    _PROTECTED_BY_START[_word[:3]] = (*_PROTECTED_BY_START.get(_word[:3], ()), _word)

# Suffixes that a lemma in vowel + с/н + ы/і could also be read as.
_AMBIGUOUS = frozenset({"ны", "ні"} | {p + c for p in ("сы", "сі") for c in ("", *_PRONOMINAL)})
_NO_HARMONY = frozenset({"мен", "бен", "пен"})  # the instrumental has no back form
_DEVOICE = str.maketrans("бгғ", "пкқ")


def _harmony_ok(stem: str, suffix: str) -> bool:
    """The suffix vowel agrees with the stem's last vowel; и, у, ю leave it open."""
    if suffix in _NO_HARMONY:
        return True
    for ch in suffix:
        if ch in _BACK:
            wanted = _BACK
            break
        if ch in _FRONT:
            wanted = _FRONT
            break
    else:
        return True  # н: no vowel to agree
    for ch in reversed(stem):
        if ch in VOWELS:
            return ch in wanted or ch in "иую"
    return True


def _stem_ok(stem: str) -> bool:
    if len(stem) >= 3:
        return not VOWELS.isdisjoint(stem)
    return stem in SHORT_STEMS


def _prefers_vowel_reading(stem: str, consonant: str) -> bool:
    """Is vowel + с/н + ы/і the suffix сы/ны (кеңсе-сі, кафедра-ны) or ы (жұмыс-ы, маман-ы)?

    ``stem`` is the shorter reading, ending in the vowel. Nouns in -ыс/-іс (жұмыс,
    ұсыныс, тексеріс) and -ұн/-он (мазмұн) are common; lemmas in -ы/-і are mostly agent
    nouns (басшы, меңгеруші), adjectives in -ды/-ты/-лы (қорытынды, қаулы) and
    -ғы/-гі (үлгі, жарғы).
    """
    if stem + consonant in CONSONANT_LEMMAS:
        return False
    last = stem[-1]
    if last in "ыі":
        return stem[-2:-1] in ("ш", "д", "т", "л", "г", "ғ", "к", "қ")
    if consonant == "н" and last in "ұүоөэ":
        return False
    return True


def _strip_once(word: str) -> str | None:
    for suffix, allowed in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if not stem or stem[-1] not in allowed or not _stem_ok(stem):
            continue
        if not _harmony_ok(stem, suffix):
            continue
        if suffix in _AMBIGUOUS and not _prefers_vowel_reading(stem, suffix[0]):
            continue  # the ы/і reading (жұмыс + ы, маман + ы) comes later in the list
        for protected in _PROTECTED_BY_START.get(word[:3], ()):
            if len(protected) > len(stem) and word.startswith(protected):
                return protected  # never cut into a protected word (отбасы-нан)
        return VOWEL_DROP.get(stem, stem)
    return None


def kazakh_stem(word: str) -> str:
    """Stem a normalised (lower-case) Kazakh word; see the module docstring."""
    if word in PROTECTED:
        return word
    while word[-1:] in _FINAL_LETTERS:
        stem = _strip_once(word)
        if stem is None:
            break
        word = stem
        if word in PROTECTED:
            return word
    if word[-1:] in "бгғ" and len(word) > 2:
        word = word[:-1] + word[-1].translate(_DEVOICE)
    return word


# --- Typed without Kazakh letters ------------------------------------------------------------

#: Russian-keyboard stand-ins for the Kazakh-only letters: what people type when their
#: keyboard has none (жатакхана for жатақхана).
FOLD = KEYBOARD_FOLD


def _folded(letters: str) -> str:
    return "".join(dict.fromkeys(letters.translate(FOLD)))


_LOOSE_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {(suffix.translate(FOLD), _folded(allowed)) for suffix, allowed in _SUFFIXES},
        key=lambda item: (-len(item[0]), item),
    )
)
_LOOSE_FINAL = frozenset(suffix[-1] for suffix, _ in _LOOSE_SUFFIXES)
_LOOSE_PROTECTED = frozenset(word.translate(FOLD) for word in PROTECTED)
_LOOSE_VOWELS = frozenset(_folded("".join(VOWELS)))
_LOOSE_SHORT = frozenset(stem.translate(FOLD) for stem in SHORT_STEMS)


def loose_stem(word: str) -> str:
    """The key of a word as typed without Kazakh letters, for the low-weight loose field.

    ``word`` is folded first (ә ғ қ ң ө ұ ү һ і -> а г к н о у у х и), then the noun
    endings come off as in ``kazakh_stem``, folded too. Harmony cannot be checked once
    the front vowels are folded away, so this cuts a little more readily than
    ``kazakh_stem``; documents and queries go through the same function, so a word and
    the same word typed without its Kazakh letters always meet: жатақханаға and
    жатакханага both give жатакхана."""
    word = word.translate(FOLD)
    if word in _LOOSE_PROTECTED:
        return word
    while word[-1:] in _LOOSE_FINAL:
        for suffix, allowed in _LOOSE_SUFFIXES:
            if not word.endswith(suffix):
                continue
            stem = word[: -len(suffix)]
            if (
                stem
                and stem[-1] in allowed
                and (
                    (len(stem) >= 3 and not _LOOSE_VOWELS.isdisjoint(stem)) or stem in _LOOSE_SHORT
                )
            ):
                word = stem
                break
        else:
            break
        if word in _LOOSE_PROTECTED:
            return word
    if word[-1:] in "бг" and len(word) > 2:
        word = word[:-1] + {"б": "п", "г": "к"}[word[-1]]
    return word
