"""What kind of question a query is, read from its wording, and which parts of a document
answer that kind: the roles that ``schema`` gives entries from the documents' own headings
and words (never from any list of expected queries).

- "… деген кім/не", "… дегеніміз не", "… ұғымы", "что такое …": a definition (role
  "definition", the terms section);
- "… не үшін", "мақсаты", "для чего", "зачем", "цель": a purpose (role "purpose": the
  clauses that state one, with мақсат/мақсатында, and the scope section);
- a role's duties, rights or responsibility ("эдвайзердің міндеттері", "ментордың құқығы",
  "обязанности ментора", "ментор не үшін жауап береді"): the section that holds them (role
  "duties": a section whose heading names duties, rights or responsibility), shown with its
  clauses;
- a document's forms ("процедураның формалары", "715 ҚП нысандары"): its forms list (role
  "forms"), unless a form holds more of the question's words;
- what a document rests on ("ҚП қандай заңдарға сүйенеді", "на каких стандартах основана
  процедура", "нормативтік құжаттар"): the normative references (role "references": the
  section whose heading names normative documents or references, and its parts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import FOLD, kazakh_stem, normalise, russian_stem

DEFINITION_QUESTION = re.compile(
    r"\s+(деген\s+)?(кім|ким|не|дегеніміз\s+не|дегенимиз\s+не|дегеніміз|дегенимиз)\??\s*$",
    re.IGNORECASE,
)
#: "… ұғымы" (the notion of …), "что такое …", "что означает …": a definition asked for
#: with the word that asks; the word is left out of what is looked for.
DEFINITION_WORDS = re.compile(
    r"\b(ұғым|угым)\w*|^\s*что\s+(такое|означает|значит)\b|\bпонятие\b", re.IGNORECASE
)
PURPOSE_QUESTION = re.compile(
    r"\bне\s+(үшін|ушин|ушін)\b|\bмақсат|\bмаксат|\bдля\s+чего\b|\bзачем\b"
    r"|\bс\s+какой\s+целью\b|\bцел(ь|и|ью)\b|\bдля\s+какой\s+цели\b",
    re.IGNORECASE,
)

#: "… не үшін жауап береді", "… не үшін жауапты" (what is … responsible for): a question
#: on a role's responsibility, not on a purpose; it asks for "жауапкершілігі".
RESPONSIBLE_FOR = re.compile(
    r"\bне\s+(үшін|ушин|ушін)\s+(жауап\s+бер\w*|жауапты(\s+бол\w*)?)", re.IGNORECASE
)

PURPOSE_PHRASING = re.compile(
    r"\bне\s+(үшін|ушин|ушін)\b|\b(керек|қажет|кажет|нужен|нужна|нужно|нужны)\b"
    r"|\bдля\s+(чего|какой\s+цели)\b|\bзачем\b|\bс\s+какой\s+целью\b|\?",
    re.IGNORECASE,
)

#: "… сүйенеді", "негізделген", "основана", "опирается" (rests on) with what a document may
#: rest on (заң, стандарт, нормативтік, құжат; закон, стандарт, норматив, документ), or
#: "нормативтік құжаттар" / "нормативные документы" alone: the normative references. Only
#: the verb is left out of what is looked for.
RELIANCE_VERB = re.compile(r"\b(сүйен|суйен|негізд|негизд|основ[аы]|опира)\w*", re.IGNORECASE)
BASIS_NOUN = re.compile(
    r"\b(заң|зан|стандарт|норматив|құжат|кужат|закон|документ)\w*", re.IGNORECASE
)
NORMATIVE_DOCUMENTS = re.compile(
    r"\bнорматив\w*\s+(құжат|кужат|документ|сілтеме|силтеме|ссылк)", re.IGNORECASE
)

#: A word for a document's forms (форма, нысан, бланк; формы, бланки), as written or typed
#: without Kazakh letters: "процедураның формалары", "715 ҚП нысандары", "бланки процедуры".
#: The forms list answers it when no form holds more of the question's words (a form named
#: by its own words, "жатақхана өтінішінің нысаны", holds more).
FORMS_WORD = re.compile(r"\b(форм[аыуе]|нысан|бланк)\w*", re.IGNORECASE)

#: Keys of the words that headings use for a role's duties, rights and responsibility:
#: Kazakh stems (and the same typed without Kazakh letters), Russian stems.
DUTY_WORDS = ("міндет", "құқық", "жауапкершілік", "жауапты", "жауап", "функция", "өкілеттік")
RUSSIAN_DUTY_WORDS = ("обязанность", "права", "ответственность", "функции", "полномочия")


def _keys(words, russian=()) -> frozenset[str]:
    keys = {kazakh_stem(word) for word in words}
    keys |= {key.translate(FOLD) for key in keys}
    keys |= {russian_stem(word) for word in russian}
    return frozenset(keys)


DUTY_KEYS = _keys(DUTY_WORDS, RUSSIAN_DUTY_WORDS)


@dataclass(frozen=True)
class Question:
    """``text``: what to search for; ``prefer``: the role of the entries that answer this
    kind of question best ("" for a plain query)."""

    text: str
    prefer: str = ""


def read_question(text: str) -> Question:
    """The kind of question ``text`` asks (see the module docstring)."""
    if DEFINITION_QUESTION.search(text):
        return Question(DEFINITION_QUESTION.sub("", text), "definition")
    if DEFINITION_WORDS.search(text):
        asked = DEFINITION_WORDS.sub(" ", text).strip()
        if re.search(r"\w", asked):
            return Question(asked, "definition")
    if RELIANCE_VERB.search(text) and BASIS_NOUN.search(text):
        asked = RELIANCE_VERB.sub(" ", text).strip()
        return Question(asked if re.search(r"\w", asked) else text, "references")
    if NORMATIVE_DOCUMENTS.search(text):
        return Question(text, "references")
    if RESPONSIBLE_FOR.search(normalise(text)):
        return Question(RESPONSIBLE_FOR.sub(" жауапкершілігі ", normalise(text)).strip(), "duties")
    if FORMS_WORD.search(normalise(text)):
        return Question(text, "forms")
    if PURPOSE_QUESTION.search(normalise(text)):
        # "… не үшін керек", "для чего нужен …": the words that ask, not what about.
        asked = PURPOSE_PHRASING.sub(" ", text).strip()
        return Question(asked if re.search(r"\w", asked) else text, "purpose")
    return Question(text)


def asks_for_duties(words: list[list[str]], loose: list[list[str]] | None = None) -> bool:
    """Whether the analysed query names duties, rights or responsibility."""
    keys = {key for alternatives in [*words, *(loose or [])] for key in alternatives}
    return bool(keys & DUTY_KEYS)


#: The keys of "қолдану саласы" (scope): the heading of a procedure's first section,
#: "Міндеті және қолдану саласы" (purpose and scope), where міндеті means its aim.
SCOPE_KEYS = frozenset({kazakh_stem("қолдану"), kazakh_stem("саласы")})


#: The keys of the headings of normative references: "Нормативтік құжаттар", "Нормативтік
#: сілтемелер", "Нормативные ссылки", "Normative references".
REFERENCES_KEYS = frozenset({kazakh_stem("нормативтік"), russian_stem("нормативные"), "normative"})
#: Roles that a section's parts take from its heading.
SECTION_ROLES = frozenset({"purpose", "references"})


def heading_role(title_keys: set[str]) -> str:
    """The role of a section heading entry, from the keys of its title: the scope section
    states the document's purpose; a heading naming normative documents or references holds
    the references; a heading naming duties, rights or responsibility holds a role's
    duties."""
    if SCOPE_KEYS <= title_keys:
        return "purpose"
    if title_keys & REFERENCES_KEYS:
        return "references"
    return "duties" if title_keys & DUTY_KEYS else ""


#: A word of the мақсат family (мақсаты, мақсатында, мақсатымен …), as written or typed
#: without its Kazakh letter: its stem is the start of every form.
PURPOSE_WORD = re.compile(r"\b(мақсат|максат)", re.IGNORECASE)


def states_purpose(text: str) -> bool:
    """Whether a clause's text states a purpose (мақсаты, мақсатында …). A look at the
    words as written: the clause's keys are computed once, later, by ``Entry.finish``."""
    return bool(PURPOSE_WORD.search(normalise(text)))
