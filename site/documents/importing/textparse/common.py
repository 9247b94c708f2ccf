"""Small text helpers shared by the importer's steps: letters, case, dates, names.

Kazakh text is data: nothing here rewrites what a document prints. ``fold`` exists only to
*compare* two spellings (a heading and its contents entry), never to store one.
"""

from __future__ import annotations

import datetime as dt
import re

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "a-zа-яёәғқңөұүһі"
#: Punctuation that ends a sentence or an introduction to a list.
TERMINAL = ".:;!?"
#: Bullet markers as typed in office files and as PDF text gives them back.
BULLET_RE = re.compile(r"^[-–—•·▪●◦]\s+(?P<text>\S.*)$")
#: "3.1.5", "1.1." (at least one dot: a bare "1" is a section number, not a clause).
CLAUSE_RE = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,3})+)\.?(?:\s+(?P<rest>\S.*))?$")
#: A person as signatures print them: initials then surname ("Е.С. Тастанкулов").
NAME = rf"(?:[{UPPER}]\.\s?){{1,3}}[{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)?"
NAME_RE = re.compile(rf"^{NAME}$")
TRAILING_NAME_RE = re.compile(rf"^(?P<before>.*\S)\s+(?P<name>{NAME})$")

#: Latin letters that look like (or stand on the keyboard for) Cyrillic ones; compare only.
_HOMOGLYPHS = str.maketrans(
    "ABCEHKMOPTXYRaceopxyiI",
    "АВСЕНКМОРТХУРасеорхуіІ",
)

MONTHS = {
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
}
_MONTH = r"(?P<m>\d{1,2}|[" + LOWER + r"]{4,})"
_DATE_RES = (
    # «05» 07 2016 ж.   /   «08» шілде 2016 ж.
    re.compile(r"«\s*(?P<d>\d{1,2})\s*»\s*" + _MONTH + r"\s+(?P<y>\d{4})"),
    # 2016 жылғы «08» 07   /   2011 жылғы 20 сәуірдегі
    re.compile(r"(?P<y>\d{4})\s*жыл[ғк]ы\s*«?\s*(?P<d>\d{1,2})\s*»?\s*" + _MONTH),
    # 08.07.2016
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
)


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space."""
    return _WHITESPACE_RE.sub(" ", text).strip()


_WHITESPACE_RE = re.compile(r"\s+")


def has_lower(text: str) -> bool:
    return re.search(f"[{LOWER}]", text) is not None


def is_upper_text(text: str) -> bool:
    """True for a heading printed in capitals ("ЕСЕП БЕРУ", "ЖАҚСARTУ")."""
    return re.search(f"[{UPPER}]", text) is not None and not has_lower(text)


def sentence_case(text: str) -> str:
    """ "ЕСЕП БЕРУ" -> "Есеп беру"; "ментор" -> "Ментор"; mixed case is left alone.

    A capital Latin look-alike inside a Cyrillic word ("ЖАҚСARTУ") is lowered as the
    Cyrillic letter it stands for ("жақсарту", not "жақсartу"): in capitals the two look
    the same, in lower case they do not. The text as printed keeps it (``*_as_printed``)."""
    text = text.strip()
    if not text:
        return text
    if is_upper_text(text):
        text = re.sub(r"[^\W\d_]+", _cyrillic_look_alikes, text).lower()
    return text[0].upper() + text[1:]


def _cyrillic_look_alikes(match: re.Match) -> str:
    word = match.group(0)
    if re.search("[А-ЯЁӘҒҚҢӨҰҮҺІ]", word) and re.search("[A-Z]", word):
        return word.translate(_HOMOGLYPHS)
    return word


def fold(text: str) -> str:
    """A comparison key: case, whitespace, trailing dots and Latin look-alikes ignored."""
    return squash(text.translate(_HOMOGLYPHS)).casefold().rstrip(".: ")


def mixed_script_words(text: str) -> list[tuple[str, str]]:
    """Words that mix Latin and Cyrillic letters, with the Latin letters found in each."""
    found = []
    if not _LATIN_LETTER_RE.search(text):
        return found
    for word in _LETTERS_RE.findall(text):
        if word.isascii() or not _LATIN_LETTER_RE.search(word):
            continue  # all Latin, or no Latin letter (the ASCII letters of a word are A-Z a-z)
        found.append((word, "".join(_LATIN_LETTER_RE.findall(word))))
    return found


_LETTERS_RE = re.compile(r"[^\W\d_]+")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")


def ends_terminal(text: str) -> bool:
    return text.rstrip().endswith(tuple(TERMINAL))


def starts_lower(text: str) -> bool:
    return re.match(f"[{LOWER}]", text.lstrip()) is not None


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO "YYYY-MM-DD", or None (blanks "« _ » _")."""
    for date_re in _DATE_RES:
        for match in date_re.finditer(text):
            iso = _iso(match.group("y"), match.group("m"), match.group("d"))
            if iso:
                return iso
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    if month.isdigit():
        month_no = int(month)
    else:
        month_no = next((n for stem, n in MONTHS.items() if month.startswith(stem)), 0)
    try:
        return dt.date(int(year), month_no, int(day)).isoformat()
    except ValueError:
        return None


def first_year(text: str) -> int | None:
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text)
    return int(match.group(0)) if match else None


def roman_to_int(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""], strict=True):
        value = values[ch]
        total += -value if nxt and values[nxt] > value else value
    return total
