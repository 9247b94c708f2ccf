"""The interface is translated completely: Sapa's own catalogues in Kazakh and Russian, and
the Kazakh Sapa supplies for Wagtail's and Django's strings (Wagtail ships none)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
import wagtail

SITE = Path(__file__).resolve().parents[1] / "site"
LOCALE = SITE / "locale"
UPSTREAM = SITE / "locale_upstream" / "kk" / "LC_MESSAGES"
# The Wagtail and Django applications whose screens Sapa's people pass through.
UPSTREAM_APPS = [
    Path(wagtail.__file__).parent / app
    for app in ("admin", "", "users", "documents", "snippets", "contrib/settings", "search")
] + [Path(django.__file__).parent / "contrib" / "auth"]


@dataclass
class Entry:
    msgid: str = ""
    plural: str = ""
    context: str = ""
    forms: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.forms) and all(self.forms.values()) and not self.fuzzy


def _unquote(text: str) -> str:
    return text.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def entries(path: Path) -> list[Entry]:
    """The entries of a .po file (plural forms and contexts included), header and obsolete
    entries left out."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = Entry(fuzzy=bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))), None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            head = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) "(.*)"$', line)
            if head:
                key = head.group(1) if not head.group(2) else int(head.group(2))
                text = head.group(3)
            elif line.startswith('"') and key is not None:
                text = line[1:-1]
            else:
                continue
            text = _unquote(text)
            if key == "msgctxt":
                entry.context += text
            elif key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.plural += text
            else:
                index = 0 if key == "msgstr" else key
                entry.forms[index] = entry.forms.get(index, "") + text
        if entry.msgid:
            found.append(entry)
    return found


def sapa_catalogue(language: str) -> list[Entry]:
    return entries(LOCALE / language / "LC_MESSAGES" / "django.po")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_of_sapa_is_translated(language):
    missing = [e.msgid for e in sapa_catalogue(language) if not e.translated]
    assert missing == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_plural_messages_have_every_form_of_the_language(language):
    header = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    count = int(re.search(r"nplurals=(\d+)", header).group(1))
    plurals = [e for e in sapa_catalogue(language) if e.plural]
    assert plurals, "Sapa counts things: its catalogue has plural messages"
    assert [e.msgid for e in plurals if sorted(e.forms) != list(range(count))] == []


def test_russian_plurals_are_not_one_form_copied():
    """1 запись, 2 записи, 5 записей: a Russian plural message uses more than one form."""
    same = [e.msgid for e in sapa_catalogue("ru") if e.plural and len(set(e.forms.values())) < 2]
    assert same == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_kazakh_catalogue_for_wagtail_is_complete_and_not_fuzzy(domain):
    supplied = entries(UPSTREAM / f"{domain}.po")
    assert len(supplied) > (1500 if domain == "django" else 50)
    assert [e.msgid for e in supplied if not e.translated] == []


def test_every_wagtail_string_on_sapas_screens_has_kazakh():
    """Upgrading Wagtail brings new strings: this names the ones still to translate."""
    supplied = {(e.context, e.msgid) for e in entries(UPSTREAM / "django.po")}
    supplied |= {(e.context, e.msgid) for e in entries(UPSTREAM / "djangojs.po")}
    django_kk = Path(django.__file__).parent / "contrib" / "auth" / "locale" / "kk"
    supplied |= {
        (e.context, e.msgid)
        for e in entries(django_kk / "LC_MESSAGES" / "django.po")
        if e.translated
    }
    missing = []
    for app in UPSTREAM_APPS:
        for po in (app / "locale" / "en" / "LC_MESSAGES").glob("*.po"):
            missing += [
                f"{app.name or 'wagtail'}: {e.msgid}"
                for e in entries(po)
                if (e.context, e.msgid) not in supplied
            ]
    assert missing == []


def test_kazakh_translations_keep_kazakh_letters():
    kazakh_only = set("әғқңөұүһі")
    texts = [text for e in sapa_catalogue("kk") for text in e.forms.values()]
    assert sum(1 for t in texts if kazakh_only & set(t.lower())) > len(texts) // 3
    latin_in_cyrillic = re.compile(r"\b(?=\w*[а-яәғқңөұүһі])(?=\w*[a-z])\w+\b", re.IGNORECASE)
    upstream = [text for e in entries(UPSTREAM / "django.po") for text in e.forms.values()]
    suspicious = [
        t
        for t in texts + upstream
        if latin_in_cyrillic.search(re.sub(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>", "", t))
    ]
    assert suspicious == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_each_translation_keeps_the_placeholders_msgfmt_checks(language):
    """``msgfmt -c``, as gettext checks a catalogue: a Russian plural wrote "1" where the
    count belongs ("Moved down %(counter)s places": 21 places read "1")."""
    import subprocess

    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
