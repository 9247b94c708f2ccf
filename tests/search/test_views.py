"""The search page as the signed-in staff member meets it on the demo: links that keep the
session on the host in use, pages that turn, results before facets, the document a clause
belongs to, Russian queries, and the form templates one downloads from a result."""

import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Site

from home import demo
from sapa.documents.models import Organisation, QmsForm
from search import indexing

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8731"  # the demo under runserver: the universities by path, /kaznrtu/ …
FORM_FILES = Path(demo.__file__).resolve().parent / "demo_data" / "forms"
HIT = re.compile(r'<li class="hit[^"]*"><a href="([^"]+)">(.*?)</a>', re.S)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def staff(client, demo_content, made_once):
    def rebuilt():
        indexing.rebuild()
        return demo_content

    made_once("demo indexed", rebuilt)
    client.force_login(demo_content["users"]["staff"])
    return client


def kk(message: str, **values) -> str:
    """What the Kazakh page (the interface's default language) says for ``message``."""
    with translation.override("kk"):
        text = translation.gettext(message)
    return text % values if values else text


def search(client, host=HOST, HTTP_ACCEPT_LANGUAGE="kk", **params) -> str:
    response = client.get(
        "/search/", params, HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE
    )
    assert response.status_code == 200
    return response.content.decode()


def hits(html: str) -> list[tuple[str, str]]:
    """(href, visible text) of every result on the page, in the page's order."""
    return [
        (href.replace("&amp;", "&"), " ".join(re.sub("<[^>]+>", " ", text).split()))
        for href, text in HIT.findall(html)
    ]


def link(html: str, rel: str) -> dict[str, list[str]]:
    href = re.search(rf'<a href="([^"]+)" rel="{rel}">', html).group(1)
    return parse_qs(urlsplit(href.replace("&amp;", "&")).query)


def organisation_id(slug: str) -> int:
    return Organisation.for_site(Site.objects.get(root_page__slug=slug)).pk


def test_results_link_on_the_host_in_use_and_open_the_clause_at_its_anchor(staff):
    html = search(staff, q="эдвайзер")
    links = dict(hits(html))
    assert "kaznrtu.localhost" not in html and "aru.localhost" not in html
    assert links["/kaznrtu/docs/715-kp/#3.1.5"] == "ҚазҰТЗУ 715 ҚП 3.1.5 Эдвайзер (Advisor)"
    # The other university's document: its clauses say "ментор" (an equivalent of эдвайзер,
    # whose own clauses fill the first page).
    mentor = [href for href, _ in hits(search(staff, q="ментор")) if href.startswith("/aru/")]
    assert mentor and unquote(mentor[0]).startswith("/aru/docs/ментор/#")
    # The link opens the document on the same host, still signed in, the clause at its anchor.
    for href in ("/kaznrtu/docs/715-kp/#3.1.5", mentor[0]):
        opened = staff.get(urlsplit(href).path, HTTP_HOST=HOST)
        assert opened.status_code == 200 and opened.wsgi_request.user.username == "staff"
        assert f'id="{unquote(urlsplit(href).fragment)}"' in opened.content.decode()
    # On a university's own host the same results are paths of that site.
    own = dict(hits(search(staff, host="kaznrtu.localhost:8000", q="эдвайзер")))
    assert "/docs/715-kp/#3.1.5" in own
    # A form's result leads to its page in the library; asked by its code, the form comes
    # first on the page (the groups follow the order of their best result).
    forms = hits(search(staff, q="715-02"))
    assert re.fullmatch(r"/kaznrtu/docs/forms/\d+/", forms[0][0])
    assert forms[0][1] == "ҚазҰТЗУ 715-02 Ү Эдвайзердің жұмыс жоспары"


def test_pages_turn_and_keep_the_query_and_the_filters(staff):
    first, second = search(staff, q="эдвайзер"), search(staff, q="эдвайзер", page=2)
    one, two = hits(first), hits(second)
    assert len(one) == len(two) == 20
    assert one[0][0] != two[0][0]
    assert not {href for href, _ in one} & {href for href, _ in two}
    total = staff.get("/search/", {"q": "эдвайзер"}, HTTP_HOST=HOST).context["page"].results.total
    assert total > 60
    assert kk("Results %(first)s–%(last)s of %(total)s", first=21, last=40, total=total) in second
    assert "21–40" in second and "1–20" in first
    assert link(second, "prev") == {"q": ["эдвайзер"]}
    assert link(second, "next") == {"q": ["эдвайзер"], "page": ["3"]}
    assert 'aria-current="page">2<' in second
    # With a facet chosen, the page links keep it.
    aru = str(organisation_id("aru"))
    filtered = search(staff, q="эдвайзер", organisation_id=aru, page=2)
    assert link(filtered, "next") == {"q": ["эдвайзер"], "organisation_id": [aru], "page": ["3"]}
    assert hits(filtered) and all(href.startswith("/aru/") for href, _ in hits(filtered))
    # And a facet link keeps the query and the other facets, back on page 1.
    facet = re.search(r'<a href="([^"]+)">ӘМЖСД</a>', filtered).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(facet).query) == {
        "q": ["эдвайзер"],
        "organisation_id": [aru],
        "unit_id": [re.search(r"unit_id=(\d+)", facet).group(1)],
    }
    # A page past the end (an old link) shows the last one.
    last = search(staff, q="эдвайзер", page=99)
    assert f"61–{total}" in last and 'rel="next"' not in last


def test_filters_that_nothing_matches_are_shown_with_the_link_that_removes_them(staff):
    # A tester narrowed a search by organisation and kind until nothing was left and saw
    # only "Nothing found", with no sign of the filters that emptied the page. (МЗТО is in
    # ҚазҰТЗУ's procedure only.)
    aru = organisation_id("aru")
    html = search(staff, q="МЗТО", organisation_id=aru, kind="procedure")
    assert kk("Nothing found.") in html
    assert kk("Perhaps:") not in html  # the words are right: МЗТО was offered "ментор"
    facets = html[html.index('class="search-facets"') :]
    chosen = re.findall(
        r'<li class="selected"><strong>([^<]+)</strong> \(0\) <a href="([^"]+)"', facets
    )
    assert [label for label, _ in chosen] == ["АӨУ", kk("Documented procedure")]
    removes_organisation = parse_qs(urlsplit(chosen[0][1].replace("&amp;", "&")).query)
    assert removes_organisation == {"q": ["МЗТО"], "kind": ["procedure"]}
    assert hits(search(staff, **{k: v[0] for k, v in removes_organisation.items()}))


def test_words_in_latin_letters_that_find_nothing_are_told_the_regulations_are_kazakh(staff):
    # A tester typed the English placeholder's own example, "dormitory place", and read
    # only "Nothing found".
    english = search(staff, q="dormitory place", HTTP_ACCEPT_LANGUAGE="en")
    assert "Nothing found." in english
    assert "The regulations are written in Kazakh: search with Kazakh or Russian words." in english
    assert 'placeholder="e.g. 715-02, or words in Kazakh or Russian"' in english
    kazakh = search(staff, q="zzzqqq")
    assert (
        kk("The regulations are written in Kazakh: search with Kazakh or Russian words.") in kazakh
    )
    # Cyrillic words that find nothing get no such line.
    hint = kk("The regulations are written in Kazakh: search with Kazakh or Russian words.")
    assert hint not in search(staff, q="ыврапдлоыв")


NOT_SEARCHED = (
    "This looks like a quality record's identifier: quality records are not searched here, as "
    "your account has no access to them. Your unit's keeper or the quality office can find it."
)


def test_staff_who_type_a_records_identifier_are_told_records_are_not_theirs_to_search(
    staff, demo_content
):
    """A tester, as staff, searched a record's identifier and read only "Nothing found", as if
    it did not exist: the page says that records are not searched for them, and who finds it."""
    identifier = "715-08/2025-2026-1/ИТИ/0001"
    for language, said in (("kk", kk(NOT_SEARCHED)), ("en", NOT_SEARCHED)):
        page = html.unescape(search(staff, q=identifier, HTTP_ACCEPT_LANGUAGE=language))
        assert said in page
    assert kk(NOT_SEARCHED) not in html.unescape(search(staff, q="715-08 жатақхана"))
    staff.force_login(demo_content["users"]["keeper"])  # who may find records is not told so
    assert kk(NOT_SEARCHED) not in html.unescape(search(staff, q=identifier))


def test_a_sub_heading_under_its_section_is_named_and_the_answer_leads(staff):
    # A tester saw four links under section 4 that all read "ҚазҰТЗУ 715 ҚП 4": the
    # sub-headings of 715's section 4 share its number, and only their names tell them apart.
    # Another read "4 ЖАЛПЫ ЕРЕЖЕЛЕР" first and the sub-section asked for second: the
    # sub-section that ranked first leads, with its section's heading named under it.
    html = search(staff, q="материалдық көмек")
    first = re.search(r'<ol class="hits">\s*<li class="hit[^"]*">(.*?)</li>', html, re.S).group(1)
    links = [" ".join(re.sub("<[^>]+>", " ", a).split()) for a in re.findall(r"<a .*?</a>", first)]
    heading = "Материалдық көмек көрсету мен оқуға жеңілдіктер беру"
    assert links[0].startswith(f"ҚазҰТЗУ 715 ҚП 4 {heading}")
    # Its snippet goes on from its heading, which the link shows, instead of repeating it.
    snippet = re.search(r"<p[^>]*>(.*?)</p>", first, re.S)[1]
    shown = " ".join(re.sub("<[^>]+>", " ", snippet).split())
    assert shown and not shown.startswith(heading)
    section = re.search(r'<p class="hit-section">(.*?)</p>', first, re.S).group(1)
    assert kk("In its section") in section and "4 ЖАЛПЫ ЕРЕЖЕЛЕР" in section
    group = re.search(r'<ul class="hit-clauses".*?</ul>', html, re.S).group(0)
    links = [" ".join(re.sub("<[^>]+>", " ", a).split()) for a in re.findall(r"<a .*?</a>", group)]
    assert "ҚазҰТЗУ 715 ҚП 4" not in links
    # Clauses that share their section's heading show their number alone.
    rights = search(staff, q="ментордың құқықтары", host="aru.localhost")
    clauses = re.search(r'<ul class="hit-clauses".*?</ul>', rights, re.S).group(0)
    assert "Ментордың құқығы" not in clauses


def test_results_come_before_the_facets(staff):
    html = search(staff, q="эдвайзер")
    layout = html.index('class="search-layout"')
    results, facets = html.index('class="search-results"'), html.index('class="search-facets"')
    assert layout < results < html.index("3.1.5 Эдвайзер") < facets
    assert html.index(kk("Organisation"), facets) > facets


def test_a_clause_result_names_its_document_and_whose_it_is(staff):
    found = hits(search(staff, q="ментордың міндеттері"))
    mentor = [text for href, text in found if href.startswith("/aru/")]
    assert mentor and all(text.startswith("АӨУ «Ментор» ") for text in mentor)
    assert any(text.startswith("АӨУ «Ментор» 3.") for text in mentor)
    kaznrtu = [text for href, text in found if href.startswith("/kaznrtu/docs/715-kp/")]
    assert all(text.startswith("ҚазҰТЗУ 715 ҚП ") for text in kaznrtu)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("общежитие", "/kaznrtu/docs/715-kp/#4-жатақхана-беру"),
        ("обязанности ментора", "/aru/docs/"),
    ],
)
def test_russian_queries_find_results(staff, query, expected):
    found = [unquote(href) for href, _ in hits(search(staff, q=query))]
    assert any(href.startswith(expected) for href in found[:10]), found


def test_every_form_has_a_template_to_download(staff, demo_content):
    from docx import Document as Docx

    assert QmsForm.objects.exists()
    assert not QmsForm.objects.filter(template_file__isnull=True).exists()
    # From the search result to the form's page, and the file it offers.
    forms = [href for href, text in hits(search(staff, q="715-02")) if "715-02 Ү" in text]
    page = staff.get(forms[0], HTTP_HOST=HOST).content.decode()
    assert "жүктелмеген" not in page
    href = re.search(r'<a href="(/documents/[^"]+)">', page).group(1)
    response = staff.get(href, HTTP_HOST=HOST)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "715-02" in unquote(response["Content-Disposition"])
    assert unquote(response["Content-Disposition"]).endswith("ҚазҰТЗУ_715-02_Ү.docx")
    body = b"".join(response.streaming_content)
    assert body == (FORM_FILES / "kaznrtu" / "715-02.docx").read_bytes()
    text = [p.text for p in Docx(io.BytesIO(body)).paragraphs]
    assert "ҚазҰТЗУ 715-02 Ү Эдвайзердің жұмыс жоспары" in text
    # Loading the demo again attaches nothing twice.
    count = get_document_model().objects.count()
    demo.load_demo()
    assert get_document_model().objects.count() == count


@pytest.mark.parametrize("query", ['"', "*", "-", "(", "\x00", "😀", "«»", "…"])
def test_a_query_of_punctuation_only_lists_nothing_and_says_why(staff, query):
    html = search(staff, q=query)
    assert hits(html) == []
    assert kk("Results: %(total)s", total=0) in html
    no_words = (
        "The query has no letters or digits to look for: type a word, a clause number or a code."
    )
    assert kk(no_words) in html


def test_the_heading_names_the_records_only_to_those_who_may_find_some(staff, client):
    """Staff, who may find no record, were promised "the regulations and records" (a tester)."""
    assert "<h1>Ережелерден іздеу</h1>" in search(staff, q="эдвайзер")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="keeper"))
    assert "<h1>Ережелер мен жазбалардан іздеу</h1>" in search(client, q="эдвайзер")


@pytest.mark.parametrize(
    ("language", "count", "words"),
    [
        ("ru", "Результаты 1–20 из", ("<h1>Поиск по положениям</h1>", "Положения", "Организация")),
        ("en", "Results 1–20 of", ("<h1>Search the regulations</h1>", "Regulations", "Year")),
    ],
)
def test_the_search_page_speaks_the_readers_language_and_marks_the_texts_found(
    staff, language, count, words
):
    html = search(staff, q="эдвайзер", HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}">' in html
    assert count in html
    for word in words:
        assert word in html
    # the query is the reader's, the title the interface's
    assert "<title>" + ("Поиск" if language == "ru" else "Search") + " · Sapa</title>" in html
    # what was found is the documents' text, marked with its language (Kazakh)
    clause = re.search(
        r'<li class="hit[^"]*"><a href="[^"]+"><span lang="kk">.*?3\.1\.5 Эдвайзер', html
    )
    assert clause is not None
    assert re.search(r'<p lang="kk">.*?[Ээ]двайзер', html, re.S)
    for kazakh in ("Ережелер", "нәтиженің", "Келесі"):
        assert kazakh not in html


def _second_edition_with_7_2(demo_content, text):
    from sapa.documents.services import edition_start_new
    from tests.documents.helpers import fresh, save_and_publish, set_clause_text

    procedure = demo_content["documents"][0]
    quality = demo_content["users"]["quality"]
    draft = edition_start_new(document=fresh(procedure), user=quality).as_object()
    set_clause_text(draft, "7.2", text)
    save_and_publish(draft, quality)
    indexing.sync()


def test_the_same_clause_of_a_superseded_edition_is_shown_under_the_one_in_force(
    staff, demo_content
):
    """A tester got each clause of «Ментор» twice, in force and "superseded edition", one
    after the other through the list: the old edition's clause is named under the current
    one, linked, in the reader's language."""
    _second_edition_with_7_2(demo_content, "Тағайындалған эдвайзер жыл сайын жасайды:")
    query = {"q": "тағайындалған эдвайзер жасайды"}
    english = search(staff, HTTP_ACCEPT_LANGUAGE="en", **query)
    shown = [(href, text) for href, text in hits(english) if re.search(r"715 ҚП 7\.2\b", text)]
    assert len(shown) == 1 and "/editions/" not in shown[0][0]  # once: the clause in force
    assert "superseded edition (Edition 1)" not in english
    earlier = r'Also in a superseded edition: <a href="[^"]*/editions/1/#7\.2">Edition 1</a>'
    assert re.search(earlier, english)
    russian = search(staff, HTTP_ACCEPT_LANGUAGE="ru", **query)
    assert "Также в утратившей силу редакции: <a" in russian
    assert ">Издание №1</a>" in russian and "№1 басылым" not in russian


def test_a_superseded_clause_is_not_listed_again_on_a_later_page(staff, demo_content):
    """Folded on the page alone, the old edition's clauses came back on page 2, where their
    clauses in force were not (a tester's "для чего нужен эдвайзер"): no page lists a clause
    of edition 1 that the edition in force also answers, and the count is what the pages
    list."""
    _second_edition_with_7_2(demo_content, "Тағайындалған эдвайзер жыл сайын жасайды:")
    listed, number, pages = [], 1, 1
    while number <= pages:
        html = search(staff, HTTP_ACCEPT_LANGUAGE="en", q="эдвайзер", page=str(number))
        listed += hits(html)
        found = re.search(r"Results \d+–\d+ of (\d+)|Results: (\d+)", html)
        total = int(found.group(1) or found.group(2))
        pages = -(-total // 20)
        number += 1
    assert pages > 1  # the old clauses would have been on a later page
    in_force = {text for href, text in listed if "/editions/" not in href}
    old = [text for href, text in listed if "/editions/1/" in href]
    assert not set(old) & in_force, set(old) & in_force
    assert len([h for h in listed if "in-section" not in h[0]]) <= total


def test_a_superseded_clause_that_holds_more_of_the_words_stays_a_result_of_its_own(
    staff, demo_content
):
    """The old text held the words asked for and the new one fewer: the old clause is what
    was asked for, marked superseded, in the reader's language."""
    _second_edition_with_7_2(demo_content, "Эдвайзер жыл сайын жасайды:")
    query = {"q": "тағайындалған эдвайзер жасайды"}
    english = search(staff, HTTP_ACCEPT_LANGUAGE="en", **query)
    first = hits(english)[0]
    assert first[0].endswith("/editions/1/#7.2") and "715 ҚП 7.2 " in first[1]
    assert "superseded edition (Edition 1)" in english
    russian = search(staff, HTTP_ACCEPT_LANGUAGE="ru", **query)
    assert "(Издание №1)" in russian and "№1 басылым" not in russian


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("3.1.5", "ҚазҰТЗУ 715 ҚП 3.1.5 Эдвайзер (Advisor)"),  # "nothing found" before
        ("715 ҚП 7.3", "ҚазҰТЗУ 715 ҚП 7.3 "),  # the forms cited in 7.3 before
        ("3.1.5 эдвайзер", "ҚазҰТЗУ 715 ҚП 3.1.5 Эдвайзер (Advisor)"),
        ("пункт 7.3", "ҚазҰТЗУ 715 ҚП 7.3 "),
        ("7.3", "ҚазҰТЗУ 715 ҚП 7.3 "),
        # the staff member's own university's 5.2 before the other's
        ("5.2 тармақ", "ҚазҰТЗУ 715 ҚП 5.2 "),
        ("Ментор 3.5", "АӨУ «Ментор» 3.5 "),  # a number only АӨУ's instruction has
        ("715-01", "ҚазҰТЗУ 715-01 Ү МЗТО-дан анықтама"),  # third, after 5.2, before
        ("715-01 Ү", "ҚазҰТЗУ 715-01 Ү МЗТО-дан анықтама"),
        ("ҚазҰТЗУ 715-01 Ү", "ҚазҰТЗУ 715-01 Ү МЗТО-дан анықтама"),
    ],
)
def test_a_clause_asked_for_by_its_number_and_a_form_by_its_code_come_first(staff, query, first):
    found = hits(search(staff, q=query))
    assert found and found[0][1].startswith(first), found[:3]


def test_a_clause_number_found_opens_the_clause_and_a_date_is_no_clause(staff):
    (href, _text), *rest = hits(search(staff, q="3.1.5"))
    assert href == "/kaznrtu/docs/715-kp/#3.1.5" and rest == []
    assert hits(search(staff, q="01.09.2020")) == []


def test_a_form_code_with_another_kind_letter_offers_the_form_with_its_number_first(staff):
    html = search(staff, q="715-01 Ф")
    assert hits(html) == [] and kk("Nothing found.") in html
    offered = re.findall(r'<a href="\?q=[^"]+">([^<]+)</a>', html)
    assert offered[0] == "ҚазҰТЗУ 715-01 Ү", offered


@pytest.mark.parametrize("typed", ["общижитие", "обшежитие"])
def test_a_typo_in_a_russian_word_the_equivalent_terms_hold_is_put_right(staff, typed):
    """ "общижитие" found nothing and offered nothing (a tester), while "жатахана" was put
    right: the Russian words of the equivalent terms are words a typo may be nearest to."""
    html = search(staff, q=typed, HTTP_ACCEPT_LANGUAGE="ru")
    assert ">общежитие</strong>" in html
    assert any("ҚазҰТЗУ 715 ҚП 4 Жатақхана беру" in text for _href, text in hits(html)[:5])
