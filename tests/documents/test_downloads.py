"""A download's name reaches every client: browsers read filename* (the name as it is, in
UTF-8), while curl -OJ, wget --content-disposition and many download managers read only
filename=, which gets the name in Latin letters (RFC 6266)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from sapa.documents.downloads import content_disposition


def parts(header: str) -> dict[str, str]:
    out = {}
    for part in header.split("; ")[1:]:
        key, _, value = part.partition("=")
        out[key] = value
    return out


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("Хаттама_№3_2026.pdf", "Khattama_No3_2026.pdf"),
        ("ҚазҰТЗУ 715 ҚП, №1 басылым.pdf", "QazUTZU 715 QP, No1 basylym.pdf"),
        ("Өзгеріс 2 (ғылыми кеңес).docx", "Ozgeris 2 (ghylymi kenges).docx"),
        ("№.pdf", "No.pdf"),
        ("😀 план: 1/2.pdf", "grinning plan 12.pdf"),  # no ":" or "/" (Windows refuses them)
        ("\u0301\u0301.pdf", "download.pdf"),  # nothing that reads as a letter
    ],
)
def test_a_name_in_kazakh_letters_is_sent_as_it_is_and_in_latin_letters(name, latin):
    header = content_disposition(name, attachment=True)
    assert header.startswith("attachment; ")
    sent = parts(header)
    assert sent["filename"] == f'"{latin}"'
    assert sent["filename"].isascii()
    assert unquote(sent["filename*"].removeprefix("utf-8''")) == name


def test_an_ascii_name_is_sent_once_and_quotes_never_end_it():
    assert content_disposition("report.pdf", attachment=False) == 'inline; filename="report.pdf"'
    header = content_disposition('a"b\\c.pdf', attachment=True)
    assert header == 'attachment; filename="a\\"b\\\\c.pdf"'
    header = content_disposition('Хат"ы.pdf', attachment=True)
    assert parts(header)["filename"] == '"Khaty.pdf"'  # no quote for a client to mis-read
