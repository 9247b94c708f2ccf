"""Recognise document and form codes ("ҚазҰТЗУ 715 ҚП", "ҚазҰТЗУ 715-02 Ү") in free text.

Office files print the same form code in several ways ("ҚазҰТЗУ 715-02 Ү",
"715-06-шы ҚазҰТЗУ Ф", a bare "713-04 Ү"), and a PDF line break can cut a code in two
("715-" / "01"). Every recogniser here returns the one normalised spelling
"{prefix} {NNN-NN} {Ү|Ф}" so that the rest of the project can compare codes as strings.
Standard library only: the text importer uses it outside Django.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Form kinds: Ү = үлгі (template), Ф = форма (form).
FORM_KINDS = ("Ү", "Ф")
#: Kind abbreviations a document code may end with, and the document kind they mean.
DOCUMENT_KINDS = {"ҚП": "procedure", "ҚН": "job_instruction", "ЛН": "job_instruction"}

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
#: "715-01": procedure number, a hyphen, the form's own number.
FORM_NUMBER = r"\d{2,4}-\d{1,3}"
#: Kind letter of a form; a Latin "Y" typed for "Ү" is accepted and normalised.
FORM_KIND = r"[ҮФY]"
#: Kazakh ordinal ending printed after a number ("715-06-шы").
ORDINAL = r"(?:-(?:ншы|нші|шы|ші|ы|і))?"
#: A code cut at a line end: "715-" + newline + "01".
BROKEN_CODE_RE = re.compile(r"(\d)-[ \t]*\r?\n[ \t]*(\d)")
#: "ҚазҰТЗУ 715 ҚП" -> prefix, number, kind abbreviation.
DOCUMENT_CODE_RE = re.compile(
    rf"^(?P<prefix>[^\s\d][^\s]*(?:\s[^\s\d][^\s]*)*?)\s+(?P<number>\d{{1,4}}(?:-\d{{1,3}})?)"
    rf"\s+(?P<kind>[{_UPPER}]{{1,3}})$"
)


@lru_cache(maxsize=32)
def form_code_re(prefix: str) -> re.Pattern[str]:
    """One alternation per written form, so that a code is consumed by exactly one branch."""
    p = r"\s+".join(re.escape(part) for part in prefix.split())
    end = r"(?!\w)"
    start = r"(?<![\w-])"
    return re.compile(
        # every branch starts with a digit, a kind letter or the prefix: looking ahead for
        # one of those first skips the other positions four times as fast, finding the same
        rf"(?=[\dҮФ]|{_first_char(prefix)})(?:"
        # ҚазҰТЗУ 715-02 Ү
        rf"{start}(?:{p})\s*(?P<n1>{FORM_NUMBER})\s*(?P<k1>{FORM_KIND}){end}"
        # 715-06-шы ҚазҰТЗУ Ф
        rf"|{start}(?P<n2>{FORM_NUMBER}){ORDINAL}\s+(?:{p})\s+(?P<k2>{FORM_KIND}){end}"
        # 713-04 Ү
        rf"|{start}(?P<n3>{FORM_NUMBER}){ORDINAL}\s*(?P<k3>{FORM_KIND}){end}"
        # Ф 713-04
        rf"|{start}(?P<k4>[ҮФ])[\s-]*(?P<n4>{FORM_NUMBER}){end})"
    )


def _first_char(prefix: str) -> str:
    """What a match of the prefix ``(?:{p})`` starts with, as a pattern (a space where
    there is no prefix: then ``\\s`` follows)."""
    parts = prefix.split()
    return re.escape(parts[0][0]) if parts else r"\s"


@lru_cache(maxsize=32)
def procedure_code_re(prefix: str) -> re.Pattern[str]:
    p = r"\s+".join(re.escape(part) for part in prefix.split())
    return re.compile(
        rf"(?={_first_char(prefix)})"  # see form_code_re
        rf"(?<![\w-])(?:{p})\s+(?P<number>\d{{1,4}}(?:-\d{{1,3}})?)\s*ҚП(?!\w)"
    )


def join_broken_codes(text: str) -> str:
    """Glue "715-" + line break + "01" back into "715-01"."""
    return BROKEN_CODE_RE.sub(r"\1-\2", text)


def _form_code(match: re.Match[str], prefix: str) -> str:
    for i in range(1, 5):
        number = match.group(f"n{i}")
        if number:
            kind = match.group(f"k{i}").replace("Y", "Ү")
            return f"{prefix} {number} {kind}"
    raise AssertionError("a form-code match always has a number")  # pragma: no cover


def iter_form_codes(text: str, prefix: str):
    """Yield (normalised code, match) for every form code in ``text``, in order."""
    text = join_broken_codes(text)
    if not _FORM_NUMBER_HINT_RE.search(text):
        return  # every written form of a code holds its number "715-02": none here
    for match in form_code_re(prefix).finditer(text):
        yield _form_code(match, prefix), match


#: What every ``FORM_NUMBER`` holds; far quicker to look for than a whole form code.
_FORM_NUMBER_HINT_RE = re.compile(r"\d\d-\d")


def find_form_codes(text: str, prefix: str) -> list[str]:
    """Normalised form codes in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for code, _match in iter_form_codes(text, prefix):
        seen.setdefault(code, None)
    return list(seen)


def find_procedure_codes(text: str, prefix: str) -> list[str]:
    """Procedure codes ("ҚазҰТЗУ 404 ҚП") in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for match in procedure_code_re(prefix).finditer(join_broken_codes(text)):
        seen.setdefault(f"{prefix} {match.group('number')} ҚП", None)
    return list(seen)


def normalise_form_code(raw: str, prefix: str) -> str | None:
    """The normalised code when ``raw`` is one form code and nothing else, else None."""
    stripped = join_broken_codes(raw).strip().strip("()").strip()
    match = form_code_re(prefix).fullmatch(stripped)
    return _form_code(match, prefix) if match else None


def is_standard_form_spelling(printed: str, prefix: str) -> bool:
    """True for "{prefix} NNN-NN Ү"; False for the other spellings ("715-06-шы ҚазҰТЗУ Ф")."""
    code = normalise_form_code(printed, prefix)
    return code is not None and re.sub(r"\s+", " ", printed.strip()) == code


def split_document_code(code: str) -> tuple[str, str, str] | None:
    """ "ҚазҰТЗУ 715 ҚП" -> ("ҚазҰТЗУ", "715", "ҚП"); None when ``code`` is not a code."""
    match = DOCUMENT_CODE_RE.match(re.sub(r"\s+", " ", code.strip()))
    if not match:
        return None
    return match.group("prefix"), match.group("number"), match.group("kind")
