"""The interface language of a journey, and the check that a screen speaks only that language.

A journey runs once per interface language. It finds buttons and checks messages through the
same catalogues the server uses (``t("Sign in")`` is "Кіру", "Войти" or "Sign in"), and every
screen it passes is read as a person sees it: the visible text, less what is not interface —
the documents' own text (marked with its ``lang``), what is marked ``translate="no"`` (codes,
names), and the data people typed, read from the served database — must hold no word of
another interface language.
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import re
import sqlite3
from pathlib import Path

import django
import wagtail
from django.utils import translation

LANGUAGES = ("kk", "ru", "en")
BROWSER_LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}
ROOT = Path(__file__).resolve().parents[2]

KAZAKH_LETTERS = set("әғқңөұүһі")
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)
ROMAN = re.compile(r"[IVXLCDM]+")  # section numbers: III, IV
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Addresses, e-mail, file names, hashes and codes are not words of a language.
NOT_WORDS = re.compile(
    r"https?://\S+|\S+@\S+|[\w.-]+\.(?:pdf|docx?|xlsx?|csv|json|png|jpe?g|txt|odt|zip)\b"
    r"|\b[0-9a-f]{16,}\b|/[\w/.-]+",
    re.IGNORECASE,
)
# Names and abbreviations every interface language writes the same way.
ALLOWED = {
    "sapa",
    "wagtail",
    "pdf",
    "csv",
    "json",
    "sha",
    "iso",
    "url",
    "id",
    "html",
    "ocr",
    "docx",
    "xlsx",
    "zip",
    # file name extensions, as a refused upload lists the ones taken
    "doc",
    "xls",
    "odt",
    "ods",
    "png",
    "jpg",
    "jpeg",
    "tif",
    "tiff",
    "txt",
    "qms",
    "api",
    "utc",
    "gmt",
    "ok",
    "draftail",
    "django",
    "markdown",
    "svg",
    "sqlite",
    "postgresql",
    "opensearch",
    "tantivy",
    "rss",
    "http",
    "https",
    "www",
    "kz",
    "edu",
    "ms",
    "word",
    "excel",
    "unicode",
    "cookie",
    "csrf",
    "x",
}


def t(language: str, message: str, **values) -> str:
    """``message`` (an English msgid) as the interface shows it in ``language``."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def tn(language: str, singular: str, plural: str, number: int, **values) -> str:
    with translation.override(language):
        text = translation.ngettext(singular, plural, number)
    return text % {"count": number, **values} if "%(" in text else text


def _catalogue_words(path: Path) -> set[str]:
    with path.open("rb") as handle:
        catalogue = stdlib_gettext.GNUTranslations(handle)._catalog
    words: set[str] = set()
    for text in catalogue.values():
        words.update(
            w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)\w|\{\w*\}|<[^>]+>", " ", text))
        )
    return words


@functools.cache
def vocabulary(language: str) -> frozenset[str]:
    """Every word the interface's catalogues use in ``language``: Sapa's, and the Kazakh Sapa
    supplies for Wagtail and Django, or Wagtail's and Django's own Russian."""
    roots = [ROOT / "site", Path(django.__file__).parent, Path(wagtail.__file__).parent]
    words: set[str] = set()
    for root in roots:
        for mo in root.rglob(f"{language}/LC_MESSAGES/*.mo"):
            words |= _catalogue_words(mo)
    return frozenset(words)


def content_strings(database: Path) -> list[str]:
    """What people typed or imported, as stored in the served database: titles, names, codes,
    units, reasons. A lowercase ASCII token ("open", "destroy") is a stored code, not content:
    showing one is a defect, so those are kept out, except the user names people sign in with."""
    found: set[str] = set()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = [
            r[0] for r in connection.execute("select name from sqlite_master where type='table'")
        ]
        for table in tables:
            if table.startswith(("sqlite_", "django_session", "django_tasks")):
                continue
            columns = [
                r[1]
                for r in connection.execute(f'pragma table_info("{table}")')
                if r[2].lower().startswith(("varchar", "text", "char"))
            ]
            for column in columns:
                rows = connection.execute(
                    f'select distinct "{column}" from "{table}" '
                    f'where length("{column}") between 2 and 300'
                )
                for (value,) in rows:
                    value = str(value).strip()
                    if value and not re.fullmatch(r"[a-z0-9_.:-]+", value):
                        found.add(value)
        found |= {r[0] for r in connection.execute("select username from auth_user")}
    return sorted(found, key=len, reverse=True)


# Read from the page: its visible text, outside what is marked as another language or as
# not to be translated. Text in form fields the person filled counts as theirs.
VISIBLE_TEXT = """
() => {
  const pageLang = (document.documentElement.lang || '').split('-')[0];
  // Content is what carries its own lang: another language's is left out; so is content in
  // the page's own language (a Kazakh document on a Kazakh page), unless it is an interface
  // island inside another language's content (a Russian link inside a Kazakh document).
  const skip = (el) => {
    let nearest = null;
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (e.getAttribute('translate') === 'no') return true;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA'].includes(e.tagName)) return true;
      const lang = (e.getAttribute('lang') || '').split('-')[0];
      if (!lang) continue;
      if (nearest === null) {
        nearest = lang;
        if (lang !== pageLang) return true;
      } else if (lang !== pageLang) {
        return false;  // an island of the interface inside foreign content: checked
      }
    }
    return nearest !== null;  // content in the page's own language
  };
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || skip(el)) continue;
    const shown = {checkOpacity: true, checkVisibilityCSS: true};
    if (el.checkVisibility && !el.checkVisibility(shown)) continue;
    parts.push(node.textContent);
  }
  const labelled = '[placeholder], [aria-label], [title], input[type=submit][value], img[alt]';
  for (const el of document.querySelectorAll(labelled)) {
    if (skip(el) || (el.checkVisibility && !el.checkVisibility())) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const v = el.getAttribute(name); if (v) parts.push(v);
    }
    if (el.matches('input[type=submit]')) parts.push(el.value);
  }
  return {lang: pageLang, text: parts.join('\\n'), title: document.title};
}
"""


def foreign_words(language: str, text: str, content: list[str]) -> list[str]:
    """The words in ``text`` that belong to another interface language than ``language``."""
    for value in content:
        if value in text:
            text = text.replace(value, " ")
    text = NOT_WORDS.sub(" ", text)
    ours = vocabulary(language)
    others = set().union(
        *(vocabulary(other) for other in LANGUAGES if other not in {language, "en"})
    )
    found = []
    for word in WORD.findall(text):
        lower = word.lower()
        if lower in ALLOWED or len(lower) < 2 or ROMAN.fullmatch(word):
            continue
        if language == "en":
            foreign = bool(CYRILLIC.search(word))
        elif LATIN.search(word):
            foreign = True
        elif language == "ru":
            foreign = bool(KAZAKH_LETTERS & set(lower)) or (lower in others and lower not in ours)
        else:
            foreign = lower in others and lower not in ours
        if foreign:
            found.append(word)
    return found
