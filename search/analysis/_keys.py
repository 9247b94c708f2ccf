"""Index keys: which stemmer each word goes through, for documents and for queries.

Routing, as measured on the seeds: a word with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і)
is Kazakh; any other Cyrillic word follows its paragraph, which is Russian when under
5% of its Cyrillic words hold a Kazakh-only letter. A query has no paragraph to go by,
so a query word without a Kazakh-only letter is looked up under both keys.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial

from ._kazakh import FOLD, kazakh_stem, loose_stem
from ._normalise import KAZAKH_ONLY_LETTERS
from ._russian import russian_stem
from ._tokenize import ABBR, CODE, LATIN, WORD, Token, tokenize, word_info

KAZAKH = "kk"
RUSSIAN = "ru"

#: A paragraph is Russian when fewer than this share of its Cyrillic words hold a
#: Kazakh-only letter.
RUSSIAN_BELOW = 0.05
#: A paragraph with fewer Cyrillic words than this takes the language of the whole
#: text: "Мониторинг" or "Алматы 2016" alone says nothing about its language.
MIN_PARAGRAPH_WORDS = 5

_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t\u00a0]*\n|\r\n[ \t\u00a0]*\r\n|\u2029")

#: Query words up to this length also match their unstemmed form, the key an
#: abbreviation gets in documents (a query "әжб" finds "ӘЖБ").
_SHORT_QUERY_WORD = 5


@lru_cache(maxsize=262_144)
def kazakh_key(norm: str) -> str:
    return kazakh_stem(norm)


def _language(kazakh_words: int, cyrillic_words: int) -> str:
    if cyrillic_words and kazakh_words < RUSSIAN_BELOW * cyrillic_words:
        return RUSSIAN
    return KAZAKH


def paragraph_languages(text: str, tokens: list[Token]) -> list[str]:
    """The language ("kk" or "ru") that each token's paragraph is written in."""
    breaks = [m.end() for m in _PARAGRAPH_BREAK_RE.finditer(text)]
    counts: list[list[int]] = [[0, 0] for _ in range(len(breaks) + 1)]
    paragraph_of: list[int] = []
    p = 0
    for token in tokens:
        while p < len(breaks) and token.start >= breaks[p]:
            p += 1
        paragraph_of.append(p)
        if token.kind == WORD:
            counts[p][1] += 1
            if word_info(token.text)[2]:
                counts[p][0] += 1
    whole = _language(sum(c[0] for c in counts), sum(c[1] for c in counts))
    languages = [_language(k, c) if c >= MIN_PARAGRAPH_WORDS else whole for k, c in counts]
    return [languages[p] for p in paragraph_of]


def _word_key(token: Token, language: str) -> str:
    if word_info(token.text)[2] or language == KAZAKH:
        return kazakh_key(token.norm)
    return russian_stem(token.norm)


def document_keys(text: str) -> list[str]:
    """The keys to index ``text`` under, in order; join them with spaces."""
    tokens = tokenize(text)
    if not tokens:
        return []
    languages = paragraph_languages(text, tokens)
    return [
        _word_key(token, language) if token.kind == WORD else token.norm
        for token, language in zip(tokens, languages, strict=True)
    ]


def _query_tokens(text: str) -> list[Token]:
    """The query's tokens, each code standing for the parts it spans.

    A code keeps only its most specific key ("ҚазҰТЗУ 715 ҚП" -> қазұтзу_715_қп), which
    documents hold at every level they can be asked at.
    """
    tokens = tokenize(text)
    out: list[Token] = []
    for token in tokens:
        if token.kind == CODE:
            while out and out[-1].start >= token.start:
                out.pop()  # the code's parts, or a less specific key of it
        out.append(token)
    return out


#: Words that say how a person asks, not what about: question words (in every case: кімге,
#: каких), question particles,
#: conjunctions, postpositions, the auxiliaries of "бола ала ма" and the light verb ету of
#: "жария етсе", "талап етіледі" (the noun before it says what). Left out of a query
#: (unless nothing else is left), never out of documents, so phrases still match.
_KAZAKH_STOP_WORDS = """
    кім кімге кімнің кімді кімнен кіммен кімдер кімдерге кімдердің кімдерді кімдермен
    не неге неден нені ненің немен неше нешінші неліктен қайсы
    қашан қалай қандай қай қайда қайдан қайтіп қанша қаншалықты ма ме ба бе па пе ше ғой
    және мен бен пен немесе әлде да де та те үшін туралы бойынша арқылы
    бола болады ала алады бұл осы екен екені екенін екендігі екендігін
    ет ету етеді етсе етіп еткен етілген етіледі
    """.split()

QUERY_STOP_WORDS = frozenset(
    _KAZAKH_STOP_WORDS
    # typed without Kazakh letters, as a Russian keyboard writes them (қашан -> кашан,
    # кімге -> кимге or кымге)
    + [word.translate(FOLD) for word in _KAZAKH_STOP_WORDS]
    + [word.translate(FOLD).replace("и", "ы") for word in _KAZAKH_STOP_WORDS if "і" in word]
    + """
    кто что как когда где куда откуда сколько какой какая какое какие каков почему зачем ли
    кого кому кем ком чего чему чем чём каких каким какими какую каком какого какому какой
    какова каково каковы скольких
    и или а в во на за по о об обо для из от до к ко с со у при же
    """.split()
)

#: The asking words typed without their Kazakh letters, and as they are spelled (кандай ->
#: қандай, ушин -> үшін, кымге -> кімге).
ASKING_WORDS_TYPED = {
    typed: word
    for word in _KAZAKH_STOP_WORDS
    for typed in (word.translate(FOLD), word.translate(FOLD).replace("и", "ы"))
    if typed != word
}

# A finite verb or participle in a query stands for its verbal noun (-у), the form that
# regulations use in their headings and clauses: тағайындайды, тағайындалады,
# тағайындаған -> тағайындау; келісті, бекітілді -> келісу, бекіту. The verbal noun is an
# extra alternative of the word, so a noun read as a verb (жоспарды) only gains a key that
# nothing holds. (ending, letters the base keeps before it)
_VERB_ENDINGS = (
    # a negative participle: қарастырылмаған -> қарастырылу, қарастыру
    ("маған", 5), ("меген", 5), ("баған", 5), ("беген", 5), ("паған", 5), ("пеген", 5),
    ("йтын", 4), ("йтін", 4), ("атын", 4), ("етін", 4),
    ("йды", 3), ("йді", 3), ("иды", 3), ("иді", 3), ("ады", 3), ("еді", 3),
    ("ған", 3), ("ген", 3), ("қан", 3), ("кен", 3),
    # the past tense: келісті, бекітті, бекітілді -> келісу, бекіту
    ("ды", 2), ("ді", 2), ("ты", 2), ("ті", 2),
    # a converb: әзірлеп, қарап, тексеріп -> әзірлеу, қарау, тексеру
    ("ып", 2), ("іп", 2), ("еп", 1), ("ап", 1),
    # the conditional: етсе, берсе -> ету, беру
    ("са", 2), ("се", 2),
)  # fmt: skip

# A converb in -а, -е, -й before "ала" (can) or a question particle: "қатыса ала ма",
# "жасала ма", "тағайындай ала ма" -> қатысу, жасалу, тағайындау. Only there: alone, a word
# in -а is most often a noun (жоба, сала).
_CONVERB_ENDINGS = (("а", 1), ("е", 1), ("й", 1))
_ASKS_IF_ABLE = frozenset("ала алады алмайды ма ме ба бе па пе".split())


_PLURALS = ("лар", "лер", "дар", "дер", "тар", "тер")


# The same, typed without Kazakh letters (тексериледи, тагайындаган).
_FOLDED_VERB_ENDINGS = tuple(
    dict.fromkeys((ending.translate(FOLD), cut) for ending, cut in _VERB_ENDINGS)
)
_PASSIVES = ("ыл", "іл", "ын", "ін")
_FOLDED_PASSIVES = ("ыл", "ил", "ын", "ин")


def verbal_nouns(norm: str, *, folded: bool = False) -> list[str]:
    """The verbal nouns a verb form in a query may stand for (the passive too); ``folded``:
    the word was typed without Kazakh letters."""
    for ending, cut in _FOLDED_VERB_ENDINGS if folded else _VERB_ENDINGS:
        if norm.endswith(ending):
            base = norm[:-cut]
            break
    else:
        return []
    if base.endswith(_PLURALS):
        return []  # құжаттар-ды: a noun, plural and accusative, not a verb
    return [
        b + "у"
        for b in _with_active(base, folded=folded)
        if len(b) >= 2 and any(letter in "аәеоөұүыіиэюя" for letter in b)
    ]


def _with_active(base: str, *, folded: bool = False) -> list[str]:
    """A verb stem, and its active stem when it is a passive one."""
    if base.endswith(_FOLDED_PASSIVES if folded else _PASSIVES) and len(base) > 4:
        return [base, base[:-2]]  # өткізіл -> өткіз
    if base.endswith(("л", "н")) and base[-2:-1] in ("а", "е"):
        return [base, base[:-1]]  # тағайындал -> тағайында
    return [base]


_FRONT_VOWELS = frozenset("әеөүі")
_ALL_VOWELS = frozenset("аәеоөұүыіиэюяё")
_VOICELESS = frozenset("пкқтсшфхцчщ")


def _verb_bases(norm: str, *, folded: bool = False) -> list[str]:
    """The active stems of the verb a query word may be a form of: a finite verb or
    participle (through ``verbal_nouns``) or a verbal noun in -у (бекіту, бекітілу)."""
    bases = [noun[:-1] for noun in verbal_nouns(norm, folded=folded)]
    if not bases and norm.endswith("у") and len(norm) >= 5:
        bases = _with_active(norm[:-1], folded=folded)
    # The shortest is the active stem; a longer one is its passive (бекітіл, тағайындал).
    return sorted(bases, key=len)[:1]


def _verb_forms(base: str, *, folded: bool = False) -> list[str]:
    """The forms regulations write a verb in, active and passive, 3rd person: present
    (бекітеді, бекітіледі), past (бекітті, бекітілді), participles (бекіткен, бекітілген,
    бекітетін) and verbal nouns (бекіту, бекітілу), by vowel harmony and the last letter.
    Typed without Kazakh letters (``folded``), an и is read as the front і it stands for."""
    vowels = [letter for letter in base if letter in _ALL_VOWELS]
    if not vowels:
        return []
    front = vowels[-1] in _FRONT_VOWELS or (folded and vowels[-1] == "и")
    a, y = ("е", "і") if front else ("а", "ы")

    def forms(stem: str) -> list[str]:
        joint = "й" if stem[-1] in _ALL_VOWELS else a  # тағайында-йды, бекіт-еді
        voiceless = stem[-1] in _VOICELESS
        past = ("т" if voiceless else "д") + y
        participle = ("к" if voiceless else "г") if front else ("қ" if voiceless else "ғ")
        endings = (f"{joint}д{y}", f"{joint}т{y}н", past, f"{participle}{a}н", "у")
        return [stem + ending for ending in endings]

    if base[-1] in _ALL_VOWELS and base[-2:-1] == "л":
        passive = base + "н"  # әзірле -> әзірленді, not *әзірлелді
    elif base[-1] in _ALL_VOWELS:
        passive = base + "л"
    elif base.endswith("л"):
        passive = base + y + "н"
    else:
        passive = base + y + "л"
    return forms(base) + forms(passive)


def verb_keys(norm: str) -> list[str]:
    """The keys of every form of the verb a query word is a form of (none for other words):
    a question asks "кім бекітеді", the regulation says "бекітіледі" or "бекітілген"."""
    return [kazakh_key(form) for base in _verb_bases(norm) for form in _verb_forms(base)]


def _converb_bases(norm: str, *, folded: bool = False) -> list[str]:
    """The active stem of a converb in -а, -е, -й (``_CONVERB_ENDINGS``), shortest first."""
    for ending, cut in _CONVERB_ENDINGS:
        if norm.endswith(ending) and len(norm) > cut + 2:
            return sorted(_with_active(norm[:-cut], folded=folded), key=len)
    return []


def _converbs(tokens: list[Token]) -> set[int]:
    """Positions of the words that stand before "ала" (can) or a question particle."""
    return {
        i
        for i, token in enumerate(tokens[:-1])
        if token.kind == WORD and tokens[i + 1].norm in _ASKS_IF_ABLE
    }


#: A Russian noun's case endings after the stem of its nominative in -а ("старост-ы",
#: "кафедр-е", "групп-ой"), and in -ия ("комисс-ии", "стипенд-ией"). A noun in -ие
#: ("обучение", "обучения") or an adjective ("-ое", "-ого") is neither.
_CASES_OF_A = ("ы", "у", "ой", "ою", "ам", "ами", "ах")
_CASES_OF_IA = ("ии", "ию", "ией", "иям", "иями", "иях")


def _loanword_keys(norm: str, stem: str) -> list[str]:
    """The Kazakh key of a Russian noun's nominative, for a query word in another case.
    Kazakh text takes a Russian noun in its nominative and adds Kazakh endings
    ("старосталар", "кафедраның", "комиссиясы"), keyed by the nominative ("староста"); the
    Russian question asks in its own cases ("список старост", "заседание кафедры", "состав
    комиссии"), whose Snowball stem ("старост") no Kazakh paragraph holds."""
    if len(stem) < 4 or stem[-1] in _ALL_VOWELS:
        return []
    ending = norm[len(stem) :] if norm.startswith(stem) else None
    if ending is None:
        return []
    if ending in _CASES_OF_IA:
        return [kazakh_key(stem + "ия")]
    # A bare stem is a genitive plural ("старост"), unless it is a Kazakh word with its
    # own ending ("студенттер").
    bare = ending == "" and kazakh_key(norm) == norm
    if bare or ending in _CASES_OF_A or (ending == "е" and stem[-1] not in "иоы"):
        return [kazakh_key(stem + "а")]
    return []


def query_alternatives(token: Token, *, converb: bool = False, loanwords: bool = True) -> list[str]:
    """The keys any of which a document word must have to match this query word
    (``converb``: it stands before "ала" or a question particle; ``loanwords``: a Russian
    noun in another case also by its nominative's Kazakh key, ``_loanword_keys``)."""
    if token.kind != WORD:
        return [token.norm]
    norm = token.norm
    keys = [kazakh_key(norm)]
    if not word_info(token.text)[2]:
        stem = russian_stem(norm)
        keys.append(stem)
        if loanwords:
            keys += _loanword_keys(norm, stem)
    if len(norm) <= _SHORT_QUERY_WORD:
        keys.append(norm)
    keys += [kazakh_key(noun) for noun in verbal_nouns(norm)]
    keys += verb_keys(norm)
    if converb:
        bases = _converb_bases(norm)
        keys += [kazakh_key(base + "у") for base in bases]
        keys += [kazakh_key(form) for form in _verb_forms(bases[0])] if bases else []
    return list(dict.fromkeys(keys))


#: The nouns of a question phrase after қай/қандай: "қай кезде", "қай уақытта" (when), "қай
#: жерде" (where), "қандай ретпен" (in what order), "қандай жолмен" (how): the phrase asks,
#: like қашан or қайда, and its noun is not looked for. As their keys, typed either way.
_ASKING_NOUNS = frozenset(
    key
    for word in ("кез", "уақыт", "мезгіл", "жер", "рет", "жол")
    for key in (word, word.translate(FOLD))
)
_WHICH = frozenset({"қай", "қандай", "кай", "кандай"})


def _asking_phrase_nouns(tokens: list[Token]) -> set[int]:
    """Positions of the nouns of question phrases (``_ASKING_NOUNS``) in ``tokens``."""
    return {
        i
        for i, token in enumerate(tokens)
        if i
        and token.kind == WORD
        and tokens[i - 1].norm in _WHICH
        and kazakh_key(token.norm) in _ASKING_NOUNS
    }


def _per_query_word(text: str, alternatives) -> list[list[str]]:
    """``alternatives(token, converb=…)`` of each word a query asks about: question words,
    particles and the nouns of question phrases ("қай кезде") are left out when the query
    has other words; a word before "ала" or a question particle is read as a converb."""
    tokens = _query_tokens(text)
    converbs = _converbs(tokens)
    asking = _asking_phrase_nouns(tokens)
    content = [
        (token, i in converbs)
        for i, token in enumerate(tokens)
        if not (token.kind == WORD and token.norm in QUERY_STOP_WORDS) and i not in asking
    ]
    if not content:
        return [alternatives(token) for token in tokens]
    return [alternatives(token, converb=converb) for token, converb in content]


def query_keys(text: str, *, loanwords: bool = True) -> list[list[str]]:
    """Per query word, its alternative keys: a document must match one of each."""
    if loanwords:
        return _per_query_word(text, query_alternatives)
    return _per_query_word(text, partial(query_alternatives, loanwords=False))


def loose_document_keys(text: str) -> list[str]:
    """The loose keys of ``text``: every word read as Kazakh (by its letters or its
    paragraph), folded and stemmed by ``loose_stem``, in order. For a separate, low-weight
    field only: folding merges different Kazakh words."""
    tokens = tokenize(text)
    if not tokens:
        return []
    languages = paragraph_languages(text, tokens)
    return [
        loose_stem(token.norm) if token.kind == WORD else token.norm.translate(FOLD)
        for token, language in zip(tokens, languages, strict=True)
        if (token.kind == WORD and (language == KAZAKH or word_info(token.text)[2]))
        or (token.kind in (CODE, ABBR) and _has_kazakh_letter(token.norm))
    ]


def _has_kazakh_letter(norm: str) -> bool:
    return not KAZAKH_ONLY_LETTERS.isdisjoint(norm)


# Kazakh typed in Latin letters, as people write it where they have no Cyrillic keyboard
# ("zhatakhana beru") or in the 2021 alphabet ("jataqhana", "bılım"): read as the Cyrillic
# word typed without Kazakh letters, which the loose keys match. Longest spellings first.
_LATIN_PAIRS = (
    ("shch", "щ"), ("zh", "ж"), ("sh", "ш"), ("ch", "ч"), ("gh", "г"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"),
    ("ä", "а"), ("ğ", "г"), ("ı", "и"), ("ñ", "н"), ("ö", "о"), ("ş", "ш"), ("ū", "у"),
    ("ü", "у"), ("a", "а"), ("b", "б"), ("c", "с"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "у"), ("x", "х"), ("z", "з"),
)  # fmt: skip
_LATIN_VOWELS = frozenset("aeiouyäıöüū")


_CYRILLIC_VOWELS = frozenset("аәеэиоөуұүыіюяё")


def cyrillic_readings(word: str) -> list[str]:
    """A word in Latin letters read as Kazakh typed without its letters: "zhatakhana" ->
    жатакхана (the "kh" of жатақхана is қ then х), and жатахана for a "kh" that is х; "y"
    is й after a vowel as read, ы elsewhere ("tagaiyndau": тағайындау, its "i" read as й);
    "i" after a vowel either й or і (aitu: айту); "e" starting a word е or э (edvaizer:
    эдвайзер); "ng" before a consonant or at the end is ң (folded: н). At most four
    readings."""
    readings = [""]
    i = 0
    while i < len(word):
        rest = word[i:]
        if rest.startswith("kh"):
            readings = [r + "кх" for r in readings] + [r + "х" for r in readings]
            i += 2
            continue
        if rest.startswith("y") and not rest.startswith(("yu", "ya", "yo", "ye")):
            readings = [r + ("й" if r[-1:] in _CYRILLIC_VOWELS else "ы") for r in readings]
            i += 1
            continue
        if i == 0 and rest[0] == "e":
            readings = ["е", "э"]
            i += 1
            continue
        if rest[0] == "i" and i and word[i - 1] in _LATIN_VOWELS:
            readings = [r + "й" for r in readings] + [r + "и" for r in readings]  # aitu
            i += 1
            continue
        if rest.startswith("ng") and (len(rest) == 2 or rest[2] not in _LATIN_VOWELS):
            readings = [r + "н" for r in readings]
            i += 2
            continue
        for latin, cyrillic in _LATIN_PAIRS:
            if rest.startswith(latin):
                readings = [r + cyrillic for r in readings]
                i += len(latin)
                break
        else:
            return []  # a letter no Kazakh word is typed with
    return readings[:4]


def loose_alternatives(token: Token, *, converb: bool = False) -> list[str]:
    """The loose keys a query word also matches: only a word with no Kazakh-only letter,
    which may be Kazakh typed on a Russian keyboard (or in Latin letters: read by
    ``cyrillic_readings``); a word with one matches exactly."""
    if token.kind == LATIN:
        return list(
            dict.fromkeys(
                key
                for reading in cyrillic_readings(token.norm)
                for key in _loose_keys(reading, converb=converb)
            )
        )
    if token.kind in (CODE, ABBR):  # "715 КП" for 715 ҚП, "ТжАЖД" for ТжӘЖД
        return [] if _has_kazakh_letter(token.norm) else [token.norm]
    if token.kind != WORD:
        return []
    folded = not word_info(token.text)[2]
    derived = _derived_keys(token.norm, folded=folded)
    if not folded:
        return derived
    return list(dict.fromkeys(_loose_keys(token.norm, converb=converb) + derived))


#: Adjectives (-ды/-ті/-лы, -сыз) whose abstract noun regulations write instead: тиімді ->
#: тиімділік, жауапты -> жауаптылық, белсенді -> белсенділік; typed without Kazakh letters too.
_ADJECTIVE_ENDINGS = ("ды", "ді", "ты", "ті", "лы", "лі", "сыз", "сіз", "ди", "ти", "ли", "сиз")


def _front(word: str, *, folded: bool) -> bool:
    """Whether the word's last vowel is a front one (и too, when it stands for і)."""
    for letter in reversed(word):
        if letter in _ALL_VOWELS:
            return letter in _FRONT_VOWELS or (folded and letter == "и")
    return False


def _derived_keys(norm: str, *, folded: bool = False) -> list[str]:
    """Loose keys of the derived words that regulations write where a question has the
    base: an adjective's abstract noun in -лық/-лік/-дық/-тық (тиімді -> тиімділік), the verb
    a noun makes with -ла (баға беру -> бағалау, жоспар -> жоспарлау) and a verb's noun in
    -ыс/-іс (тексеріледі -> тексеріс). Loose keys, matched at LOOSE_WEIGHT,
    so that the word as asked still ranks first. Nouns do not get their -лық (ментор /
    менторлық, эдвайзер / эдвайзерлік): measured on the tuning sets, that brought
    clauses about the office into questions about the person."""
    keys = []
    if len(norm) >= 4 and norm.endswith(_ADJECTIVE_ENDINGS):
        joint = "л" if norm[-1] in _ALL_VOWELS else ("д" if norm[-1] in "лмнңзж" else "т")
        keys.append(loose_stem(norm + joint + ("ік" if _front(norm, folded=folded) else "ық")))
    bases = _verb_bases(norm, folded=folded)
    stem = loose_stem(norm) if folded else kazakh_key(norm)
    if len(stem) >= 3 and not stem.endswith("у") and not bases:
        last = stem[-1]
        joint = "л" if last in _ALL_VOWELS or last in "рйу" else "д" if last in "лмнңзж" else "т"
        keys.append(loose_stem(stem + joint + ("еу" if _front(stem, folded=folded) else "ау")))
    for base in bases:
        if base[-1] not in _ALL_VOWELS:
            keys.append(loose_stem(base + ("іс" if _front(base, folded=folded) else "ыс")))
    return keys


def _loose_keys(norm: str, *, converb: bool = False) -> list[str]:
    keys = [loose_stem(norm)]
    keys += [loose_stem(noun) for noun in verbal_nouns(norm, folded=True)]
    bases = _verb_bases(norm, folded=True)
    if converb:
        converb_bases = _converb_bases(norm, folded=True)
        keys += [loose_stem(base + "у") for base in converb_bases]
        bases += converb_bases[:1]
    keys += [loose_stem(form) for base in bases for form in _verb_forms(base, folded=True)]
    return list(dict.fromkeys(keys))


def loose_query_keys(text: str) -> list[list[str]]:
    """Per query word (as ``query_keys`` gives them), its loose keys, often none."""
    return _per_query_word(text, loose_alternatives)


def original_terms(text: str) -> list[str]:
    """Words as written, normalised but not stemmed: for exact words and phrases."""
    return [token.norm for token in tokenize(text) if token.kind != CODE]


def original_query(text: str) -> list[list[str]]:
    return [[term] for term in original_terms(text)]
