"""Snippets that mark the words as written: the text is tokenised with its offsets and a word
is marked when one of its keys is a key the query asked for."""

from __future__ import annotations

from html import escape  # what django.utils.html.escape returns, without its lazy wrapper

from django.utils.safestring import SafeString, mark_safe

from .analysis import ABBR, CODE, FOLD, WORD, loose_stem, token_keys, tokenize

WINDOW = 220
LOOK_AT = 4000  # a snippet comes from the first pages of an entry


def wanted_keys(words: list[list[str]]) -> tuple[set[str], set[tuple[str, ...]]]:
    """The keys a word is marked by, and the phrases (of keys) whose words are marked only
    where they stand together: an equivalent "студенттер үйі" marks "студенттер үйінде",
    not every "студенттер" of the text."""
    single = {key for alternatives in words for key in alternatives if " " not in key}
    phrases = {tuple(key.split()) for alternatives in words for key in alternatives if " " in key}
    return single, phrases


def _marks(
    text: str,
    wanted: tuple[set[str], set[tuple[str, ...]]],
    loose: frozenset[str] = frozenset(),
):
    # Keys start like the word they come from (a stem is a prefix, a code keeps its digits):
    # only tokens sharing a key's first letters are analysed.
    # A code typed without Kazakh letters ("715 КП") marks the code it stands for (715 ҚП).
    single, phrases = wanted
    starts = {key[:2] for key in single} | {part[:2] for phrase in phrases for part in phrase}
    loose_starts = {key[:2] for key in loose}
    tokens = list(tokenize(text))
    keys: list[frozenset[str]] = [
        token_keys(token) if token.norm[:2] in starts else frozenset() for token in tokens
    ]
    found = [
        (token.start, token.end)
        for token, held in zip(tokens, keys, strict=True)
        if held & single
        or (
            loose
            and (
                (
                    token.kind == WORD
                    and token.norm[:2].translate(FOLD) in loose_starts
                    and loose_stem(token.norm) in loose
                )
                or (token.kind in (CODE, ABBR) and token.norm.translate(FOLD) in loose)
            )
        )
    ]
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if phrase[0] in keys[i] and all(part in keys[i + j] for j, part in enumerate(phrase)):
                found += [(tokens[i + j].start, tokens[i + j].end) for j in range(n)]
    found.sort(key=lambda mark: (mark[0], -mark[1]))
    marks: list[tuple[int, int]] = []
    for start, end in found:  # a code and a part of it: the longest, once
        if not marks or start >= marks[-1][1]:
            marks.append((start, end))
    return marks


def snippet(
    text: str,
    words: list[list[str]],
    *,
    window: int = WINDOW,
    loose: list[list[str]] | None = None,
) -> SafeString:
    """``text`` around the first words the query asked for, marked as written; ``loose``:
    the query's loose keys (words typed without Kazakh letters), which mark the words they
    stand for (жатакхана marks жатақхана)."""
    text = text[:LOOK_AT]
    wanted = wanted_keys(words)
    folded = frozenset(key for alternatives in loose or () for key in alternatives)
    # Most entries show a word early: look at the head first, the rest only if needed (the
    # margin keeps a word cut at the head's end out of the snippet).
    head = 3 * window
    marks = _marks(text[:head], wanted, folded) if len(text) > head else []
    if not marks or marks[0][0] + window > head - 40:
        marks = _marks(text, wanted, folded)
    start = max(0, marks[0][0] - window // 3) if marks else 0
    end = min(len(text), start + window)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    pieces, cursor = [], start
    for a, b in marks:
        if a < start or b > end:
            continue
        pieces.append(escape(text[cursor:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
