"""The interface is translated completely: Kazakh first, Russian too."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "site" / "locale"


def entries(language: str):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[-1]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[-1]))
        # The escapes of the .po format (\\n, \\") as the characters they stand for.
        msgid, msgstr = (t.replace("\\n", "\n").replace('\\"', '"') for t in (msgid, msgstr))
        yield msgid, msgstr, "#, fuzzy" in block


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated(language):
    missing = [
        msgid for msgid, msgstr, fuzzy in entries(language) if msgid and (not msgstr or fuzzy)
    ]
    assert missing == []


def test_kazakh_translations_keep_kazakh_letters():
    kazakh_only = set("әғқңөұүһі")
    texts = [msgstr for _msgid, msgstr, _fuzzy in entries("kk")]
    assert sum(1 for t in texts if kazakh_only & set(t.lower())) > len(texts) // 3
    latin_in_cyrillic = re.compile(r"\b(?=\w*[а-яәғқңөұүһі])(?=\w*[a-z])\w+\b", re.IGNORECASE)
    suspicious = [t for t in texts if latin_in_cyrillic.search(re.sub(r"%\(\w+\)s", "", t))]
    assert suspicious == []
