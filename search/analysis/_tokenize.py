"""Tokens with the offsets they have in the original text, and document codes.

Highlights mark words as written, so every token keeps ``start``/``end`` into the
text it came from, whatever normalisation its key went through. Besides words and
numbers the tokenizer finds the codes of controlled documents and forms
("ҚазҰТЗУ 715 ҚП", "ҚазҰТЗУ 715-02 Ү", "715-06-шы ҚазҰТЗУ Ф") and numbers written in
parts ("715-02", "3.1.5", "08.07.2016"), and adds a ``code`` token spanning each of
them, after its parts, whose ``norm`` is the canonical key ("715_қп").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from ._normalise import INVISIBLE, VOWELS, has_kazakh_letter, is_cyrillic, repair

#: Joins the parts of a compound key ("715_02_ү"): a word character, so a key is one
#: token for a whitespace analyzer and for FTS5 ``unicode61 tokenchars '_'``.
KEY_JOINER = "_"

WORD = "word"  # a Cyrillic word: stemmed (Kazakh or Russian)
ABBR = "abbr"  # an abbreviation (ТжӘЖД, АМД, МЗТО-дан): lower-cased, never stemmed
LATIN = "latin"  # a word in another script (Advisor, Call): lower-cased only
NUMBER = "number"
CODE = "code"  # a compound spanning the tokens before it: "715-02", "ҚазҰТЗУ 715 ҚП"


class Token(NamedTuple):
    text: str  # as written: the original text[start:end]
    start: int
    end: int
    norm: str  # normalise(text); for a code, its canonical key
    kind: str  # WORD, ABBR, LATIN, NUMBER or CODE


_TOKEN_RE = re.compile(rf"((?:[^\W\d_]|[\u0300-\u036f{INVISIBLE}])+)|(\d+)")
# The same tokens in a text that holds no combining mark and no invisible joiner (nearly
# every text): one character class per run, with the check for those, reads a seed in two
# thirds of the alternation's time.
_PLAIN_TOKEN_RE = re.compile(r"([^\W\d_]+)|(\d+)")
_MARK_OR_JOINER_RE = re.compile(rf"[\u0300-\u036f{INVISIBLE}]")
_INLINE_SPACE_RE = re.compile(r"[ \t\u00a0\u202f]+")
_NUMBER_JOINERS = "-./:"


def _suffixes() -> frozenset[str]:
    """Endings written after a hyphen on numbers and abbreviations: МЗТО-дан, 3-ші."""
    case = (
        "ның нің дың дің тың тің ны ні ды ді ты ті ға ге қа ке да де та те дан ден "
        "тан тен нан нен мен бен пен дағы дегі тағы тегі а е"
    ).split()
    possessive = ["", "ы", "і", "сы", "сі"]
    pronominal = ["н", "на", "не", "нда", "нде", "нан", "нен", "ндағы", "ндегі", "мен", "ның"]
    plural = ["", "лар", "лер", "дар", "дер", "тар", "тер"]
    forms = {p + q + c for p in plural for q in possessive for c in ["", *case]}
    forms |= {p + q + c for p in plural for q in ("ы", "і", "сы", "сі") for c in pronominal}
    forms |= {"шы", "ші", "ншы", "нші", "ыншы", "інші", "ыншысы", "іншісі", "нчи", "ое", "й"}
    forms.discard("")
    return frozenset(forms)


HYPHEN_SUFFIXES = _suffixes()


def _pronounceable(word: str) -> bool:
    """Could this all-capital short word be a word rather than an abbreviation?"""
    if VOWELS.isdisjoint(word):
        return False
    if len(word) >= 2 and word[0] not in VOWELS and word[1] not in VOWELS:
        return False  # СМЖ, МЗТО: Kazakh words never start with two consonants
    for a, b in pairwise(word):
        if a in VOWELS and b in VOWELS and a not in "уи" and b not in "уи":
            return False  # ЖОО, КЕАҚ
    a, b = word[-2:] if len(word) >= 2 else ("", "")
    return not (a and a not in VOWELS and b not in VOWELS and a not in "рлйусн")


@lru_cache(maxsize=262_144)
def word_info(raw: str) -> tuple[str, str, bool]:
    """(norm, kind, holds a Kazakh-only letter) of a word as written."""
    letters = repair(raw)
    norm = letters.lower()
    if not any(is_cyrillic(ch) for ch in norm):
        return norm, LATIN, False
    kind = WORD
    if len(letters) >= 2:
        if any(a.islower() and b.isupper() for a, b in pairwise(letters)):
            kind = ABBR  # ТжӘЖД, ҚазҰТЗУ, КеАҚ
        elif letters.isupper() and (
            len(letters) <= 2 or (len(letters) <= 5 and not _pronounceable(norm))
        ):
            kind = ABBR  # АМД, МЗТО, ТК
    elif letters.isupper():
        kind = ABBR  # a single capital: initials, form kinds Ү, Ф
    return norm, kind, has_kazakh_letter(norm)


class _Part(NamedTuple):
    start: int
    end: int
    is_number: bool


def _gap_is_inline_space(text: str, start: int, end: int) -> bool:
    return start < end and _INLINE_SPACE_RE.fullmatch(text, start, end) is not None


def tokenize(text: str) -> list[Token]:
    """Words, numbers, abbreviations and codes of ``text``, in order, with offsets."""
    tokens_re = _TOKEN_RE if _MARK_OR_JOINER_RE.search(text) else _PLAIN_TOKEN_RE
    parts = [_Part(*m.span(), m.lastindex == 2) for m in tokens_re.finditer(text)]
    tokens: list[Token] = []
    numbers: list[tuple[int, int, list[Token]]] = []  # (first, last) token index, parts
    i, n = 0, len(parts)
    while i < n:
        part = parts[i]
        if part.is_number:
            group = [part]
            while i + 1 < n:
                nxt = parts[i + 1]
                joiner = text[group[-1].end : nxt.start]
                if len(joiner) != 1 or joiner not in _NUMBER_JOINERS:
                    break
                if nxt.is_number:
                    pass
                elif (
                    joiner == "-"
                    and nxt.end - nxt.start <= 3
                    and text[nxt.start : nxt.end].isupper()
                ):
                    pass  # №254-Б, 319-III
                else:
                    break
                group.append(nxt)
                i += 1
            end = group[-1].end
            if _hyphen_suffix_at(text, end, parts, i + 1):
                i += 1
                end = parts[i].end  # 715-06-шы, 3-ші: the ending belongs to the number
            first = len(tokens)
            for k, p in enumerate(group):
                p_end = end if k == len(group) - 1 else p.end
                raw = text[p.start : p.end]
                if p.is_number:
                    tokens.append(Token(text[p.start : p_end], p.start, p_end, raw, NUMBER))
                else:
                    norm, _, _ = word_info(raw)
                    tokens.append(Token(text[p.start : p_end], p.start, p_end, norm, ABBR))
            numbers.append((first, len(tokens) - 1, tokens[first:]))
            if len(group) > 1:
                key = KEY_JOINER.join(t.norm for t in tokens[first:])
                tokens.append(Token(text[group[0].start : end], group[0].start, end, key, CODE))
        else:
            raw = text[part.start : part.end]
            norm, kind, _ = word_info(raw)
            end = part.end
            if kind != WORD and _hyphen_suffix_at(text, end, parts, i + 1):
                i += 1
                end = parts[i].end  # МЗТО-дан, ҚазҰТЗУ-дың: one token, the stem's key
            tokens.append(Token(text[part.start : end], part.start, end, norm, kind))
        i += 1
    if numbers:
        tokens = _with_document_codes(text, tokens, numbers)
    return tokens


def _hyphen_suffix_at(text: str, end: int, parts: list[_Part], j: int) -> bool:
    if j >= len(parts) or parts[j].is_number or parts[j].start != end + 1 or text[end] != "-":
        return False
    return text[parts[j].start : parts[j].end].lower() in HYPHEN_SUFFIXES


def _is_org(token: Token) -> bool:
    return (token.kind == ABBR and len(token.norm) >= 2) or (
        token.kind == LATIN and token.text.isupper()
    )


def _is_kind(token: Token) -> bool:
    """ҚП, Ү, Ф: a kind of document is one to three Cyrillic capitals."""
    return token.kind in (ABBR, WORD) and len(token.text) <= 3 and token.text.isupper()


def _with_document_codes(
    text: str, tokens: list[Token], numbers: list[tuple[int, int, list[Token]]]
) -> list[Token]:
    """Add the code tokens of "ORG NUMBER KIND", "NUMBER KIND", "NUMBER ORG KIND"."""
    extra: dict[int, list[Token]] = {}  # index of the last part -> codes after it
    used = -1  # the last token taken into a code: it cannot start the next one
    for first, last, group in numbers:
        number = KEY_JOINER.join(t.norm for t in group)
        # the token after the number's own tokens (its compound, if any, is skipped)
        after = last + 1
        if (
            after < len(tokens)
            and tokens[after].kind == CODE
            and tokens[after].start == group[0].start
        ):
            after += 1
        org = kind = None
        start, end, last_index = group[0].start, group[-1].end, after - 1
        prev = tokens[first - 1] if first > 0 else None
        if (
            prev is not None
            and first - 1 > used
            and _is_org(prev)
            and _gap_is_inline_space(text, prev.end, start)
        ):
            org, start = prev, prev.start
        nxt = tokens[after] if after < len(tokens) else None
        if nxt is not None and _gap_is_inline_space(text, end, nxt.start):
            if _is_kind(nxt):
                kind, end, last_index = nxt, nxt.end, after
            elif org is None and _is_org(nxt) and after + 1 < len(tokens):
                nxt2 = tokens[after + 1]
                if _is_kind(nxt2) and _gap_is_inline_space(text, nxt.end, nxt2.start):
                    org, kind, end, last_index = nxt, nxt2, nxt2.end, after + 1
        if org is None and kind is None:
            continue
        used = last_index
        keys = []
        if org is not None:
            keys.append(org.norm + KEY_JOINER + group[0].norm)
            if len(group) > 1:
                keys.append(org.norm + KEY_JOINER + number)
        if kind is not None:
            keys.append(number + KEY_JOINER + kind.norm)
            if org is not None:
                keys.append(org.norm + KEY_JOINER + number + KEY_JOINER + kind.norm)
        span = text[start:end]
        extra.setdefault(last_index, []).extend(Token(span, start, end, k, CODE) for k in keys)
    if not extra:
        return tokens
    out: list[Token] = []
    for index, token in enumerate(tokens):
        out.append(token)
        if index in extra:
            out.extend(extra[index])
    return out
