"""A document's forms list as its reader gets it: on a phone each form is a card (sapa.css,
the journey ``test_each_form_is_read_whole_on_a_phone_its_template_at_hand``) that names what
each of its lines is, in the reader's language, since the column headings are not shown
there; the code is a cell of its own, kept on one line."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PROCEDURE = "/kaznrtu/docs/715-kp/"
# (where it is cited, its template, the link) as each interface language names them
NAMES = {
    "kk": ("Қай тармақта", "Үлгі файлы", "Жүктеу"),
    "ru": ("Где упоминается", "Файл шаблона", "Скачать"),
    "en": ("Cited in", "Template file", "Download"),
}


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def form_rows(html: str) -> dict[str, list[str]]:
    """Each form of the list (its code) with the text of each of its cells, in order."""
    section = re.search(r'<section id="forms".*?</section>', html, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", section, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>.*?</tr>", body, re.S):
        cells = re.findall(r'<td class="([\w-]+)"[^>]*>(.*?)</td>', row, re.S)
        rows[text_of(cells[0][1])] = [(css, text_of(inner)) for css, inner in cells]
    return rows


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_form_names_where_it_is_cited_and_its_template_in_the_readers_language(
    language, demo_content, client
):
    response = client.get(PROCEDURE, HTTP_HOST="localhost:8000", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    cited, template, download = NAMES[language]
    rows = form_rows(html)
    assert len(rows) == 12, sorted(rows)
    code, title, where, file = rows["ҚазҰТЗУ 715-01 Ү"]
    assert code == ("form-code", "ҚазҰТЗУ 715-01 Ү")
    assert title == ("form-title", "МЗТО-дан анықтама (әлеуметтік жәрдемақы алу үшін)")
    assert where == ("form-cited", f"{cited}: 5.2")
    assert file == ("form-template", f"{template}: {download}")
    # every form alike, its template downloadable from its own line
    for code, *_, file in rows.values():
        assert file == ("form-template", f"{template}: {download}"), code
    section = re.search(r'<section id="forms".*?</section>', html, re.S).group(0)
    assert section.count('.docx">') == 12
