"""Questions, not only words: a purpose question leans to the clauses that state a purpose,
a question on a role's duties, rights or responsibility to the section that holds them,
shown as one result with its clauses, and "what does it rest on" to the normative
references. The roles come from the documents' own headings and
words (search.questions), never from a list of expected queries."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from search import indexing
from search.questions import read_question
from search.services import search_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(demo_content):
    indexing.rebuild()
    return demo_content


def entries(text, n=10):
    return [hit.entry for hit in search_for(None, text, limit=n).results.hits]


@pytest.mark.parametrize(
    "text, prefer",
    [
        ("ментор не үшін керек", "purpose"),
        ("ментордың мақсаты", "purpose"),
        ("для чего нужен ментор", "purpose"),
        ("ментор не ушин керек", "purpose"),
        # "what is a mentor responsible for": a responsibility, not a purpose (a tester)
        ("ментор не үшін жауап береді", "duties"),
        ("ментор не ушин жауапты", "duties"),
        ("эдвайзер деген кім", "definition"),
        # typed without Kazakh letters, and "the notion of …", "что такое …"
        ("эдвайзер деген ким", "definition"),
        ("алеуметтик коргау дегенимиз не", "definition"),
        ("өмірлік қиын жағдай ұғымы", "definition"),
        ("Кеңес беру ұғымына қандай анықтама берілген?", "definition"),
        ("что такое эдвайзер", "definition"),
        # what a document rests on: its normative references
        ("ҚП қандай заңдарға сүйенеді", "references"),
        ("процедура қай стандартқа негізделген", "references"),
        ("на каких законах основана процедура", "references"),
        ("нормативтік құжаттар", "references"),
        ("нормативные документы процедуры 715", "references"),
        # a document's forms: its forms list
        ("процедураның формалары", "forms"),
        ("715 КП нысандары", "forms"),
        ("бланки процедуры 715", "forms"),
        # resting on something that is no document: a plain question
        ("академиялық қолдауды жоспарлағанда неге сүйенеді", ""),
        ("заң мәселелері бойынша кеңес", ""),
        ("жатақхана беру", ""),
        ("МЗТО-дан анықтама", ""),  # анықтама is also a certificate: not a definition cue
    ],
)
def test_the_kind_of_question_is_read_from_its_wording(text, prefer):
    assert read_question(text).prefer == prefer


def test_the_roles_come_from_the_documents_headings(indexed):
    found = search_for(None, "ментор", limit=200).results.hits
    roles = {h.entry["anchor"]: h.entry["role"] for h in found if not h.entry["document_code"]}
    # "Ментордың құқығы", "Ментордың жауапкершілігі": sections on a role's rights and duties.
    assert roles["s-IV"] == "duties"
    assert roles["s-VI"] == "duties"
    # 1.3 "… менторының мақсаты …" states the mentor's aim; 2.1 states none.
    assert roles["1.3"] == "purpose"
    assert roles["2.1"] == ""
    # 715's first section, "Міндеті және қолдану саласы", is its purpose and scope.
    scope = search_for(None, "қолдану саласы", limit=5).results.hits
    assert any(h.entry["anchor"] == "s-1" and h.entry["role"] == "purpose" for h in scope)


def test_a_question_on_what_a_procedure_rests_on_gets_its_normative_references(indexed, client):
    # "What laws and rules does the procedure rest on?": 715's section 2, "НОРМАТИВТІК
    # ҚҰЖАТТАР", lists them; the definition of social protection (which names laws and
    # rules) came first, and the laws third.
    # The whole section answers: its heading, then the Law on Education (the word заң),
    # then the other references.
    page = search_for(None, "ҚП қандай заңдар мен ережелерге сүйенеді", limit=6)
    assert page.prefer == "references"
    found = [hit.entry for hit in page.results.hits]
    assert [e["anchor"] for e in found[:2]] == ["s-2", "2.4"]
    assert {e["anchor"] for e in found[2:]} == {"2.1", "2.2", "2.3", "2.5"}
    assert {e["role"] for e in found} == {"references"}
    # Shown as one result: the section with its five references.
    (section,) = page.groups["clause"]
    assert [child["clause"] for child in section["children"]] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    html = client.get("/search/", {"q": "ҚП қандай заңдарға сүйенеді"}).content.decode()
    count = re.search(r'<p class="count">(.*?)</p>', html).group(1)
    with translation.override("kk"):
        assert gettext("the normative references first") in count
    # The heading entry and every part of the section take the role from the heading.
    section = search_for(None, "нормативтік құжаттар", limit=10).results.hits
    assert {h.entry["anchor"] for h in section if h.entry["role"] == "references"} >= {
        "s-2",
        "2.1",
        "2.4",
    }


def test_a_russian_question_on_what_the_procedure_rests_on_gets_its_references(indexed):
    # A tester asked "на каких законах основана процедура": the page said "the normative
    # references first" and showed 3.1 "Терминдер" first; section 2 was not on it. The
    # references say заң, not закон: they answer the question without holding its words.
    page = search_for(None, "на каких законах основана процедура", limit=10)
    assert page.prefer == "references"
    found = [hit.entry["anchor"] for hit in page.results.hits]
    assert found[0] == "s-2"
    assert set(found[1:6]) == {"2.1", "2.2", "2.3", "2.4", "2.5"}
    assert sum(page.results.facets["organisation_id"].values()) == page.results.total


def test_a_responsibility_question_gets_every_clause_of_the_section(indexed):
    # "For which violations is a mentor held responsible": section VI lists them, and 6.1 to
    # 6.5 share no word with the question but "ментор" (they ranked below 715's plans).
    page = search_for(None, "ментор қандай бұзушылықтар үшін жауапқа тартылады", limit=10)
    assert page.prefer == "duties"
    first = page.groups["clause"][0]
    assert first["anchor"] == "s-VI"
    assert [child["clause"] for child in first["children"]] == [f"6.{n}" for n in range(1, 8)]
    found = [hit.entry["anchor"] for hit in page.results.hits]
    assert found[0] == "s-VI"
    assert set(found[1:8]) == {f"6.{n}" for n in range(1, 8)}
    # The clauses the section brought are counted, in the total and in the facets alike.
    total = page.results.total
    assert sum(page.results.facets["organisation_id"].values()) == total
    every = search_for(None, "ментор қандай бұзушылықтар үшін жауапқа тартылады", limit=200)
    assert len({hit.entry["entry_id"] for hit in every.results.hits}) == total


def test_what_a_mentor_is_responsible_for_gets_the_responsibility_section(indexed):
    # A tester asked "ментор не үшін жауап береді" and was told the clauses stating a purpose
    # came first; section VI, the mentor's responsibility, was not on the page.
    for asked in ("ментор не үшін жауап береді", "ментор не ушин жауап береди"):
        page = search_for(None, asked, limit=10)
        assert page.prefer == "duties"
        assert page.groups["clause"][0]["anchor"] == "s-VI"


def test_a_duties_section_that_holds_fewer_of_the_words_is_not_spread_over_the_page(indexed):
    # "Call-орталық міндеттері" asks about the call centre: the mentor's duties (section III,
    # which holds only міндеттері) keep their place, and its clauses do not fill the page.
    page = search_for(None, "Call-орталық міндеттері", limit=10)
    found = [hit.entry for hit in page.results.hits]
    assert found[0]["clause"] == "3.1.6"  # the definition of the call centre
    section_iii = [e for e in found if e.get("section") == "s-III"]
    assert len(section_iii) < 9  # section III has 15 clauses
    assert any(e["document_code"] == "ҚазҰТЗУ 715 ҚП" for e in found[3:])


def test_a_purpose_question_puts_the_clause_that_states_the_aim_first(indexed):
    page = search_for(None, "ментор не үшін керек", limit=5)
    assert page.prefer == "purpose"
    first = page.results.hits[0].entry
    assert first["role"] == "purpose"
    assert "мақсат" in (first["title"] + first["text"]).lower()


def test_the_rights_of_a_mentor_are_one_result_with_the_sections_clauses(indexed, client):
    page = search_for(None, "ментордың құқықтары", limit=10)
    assert page.prefer == "duties"
    first = page.groups["clause"][0]
    assert (first["anchor"], first["role"]) == ("s-IV", "duties")
    children = [child["clause"] for child in first.get("children", [])]
    assert children and all(c.startswith("4.") for c in children)
    assert children == sorted(children, key=lambda c: [int(p) for p in c.split(".")])
    # Shown once: a clause under its section is not listed again on its own.
    listed = [e["anchor"] for e in page.groups["clause"]]
    assert not set(children) & set(listed)

    html = client.get("/search/", {"q": "ментордың құқықтары"}, HTTP_HOST="aru.localhost").content
    text = html.decode()
    section = re.search(r'<ul class="hit-clauses".*?</ul>', text, re.S)
    assert section is not None
    assert "#4." in section.group(0)
    assert "міндеттер, құқықтар мен жауапкершілік бөлімі" in text or "duties" in text


def test_the_word_that_asks_for_a_notion_is_not_looked_for(indexed):
    """ "өмірлік қиын жағдай ұғымы": the definition of a difficult life situation, 3.1.4,
    first, though no clause says "ұғым"."""
    page = search_for(None, "өмірлік қиын жағдай ұғымы", limit=5)
    assert page.prefer == "definition"
    assert page.results.hits[0].entry["anchor"] == "3.1.4"


def test_a_purpose_question_gets_the_scope_before_a_sheet_that_holds_its_other_words(indexed):
    """ "процедура не үшін әзірленді": "не үшін" is not looked for, but the scope section,
    which answers it, counts as holding it; the approval sheet holds "процедура" and
    "ӘЗІРЛЕНДІ" and no purpose, and comes after it."""
    page = search_for(None, "процедура не үшін әзірленді", limit=5)
    anchors = [hit.entry["anchor"] for hit in page.results.hits]
    assert anchors[0] == "s-1"
    assert page.results.hits[0].entry["role"] == "purpose"
    assert "approval" in anchors[1:]


@pytest.mark.parametrize(
    "text", ["ментор жұмысын қай кезде бағалайды", "ментор жумысын кай кезде багалайды"]
)
def test_the_noun_of_a_when_phrase_is_not_looked_for(indexed, text):
    """ "қай кезде" asks when, as қашан does: 5.5 (the mentor's work is assessed in the last
    week of every month) first, not the clauses that happen to hold кез (кезде, кезекті)."""
    assert entries(text, n=3)[0]["anchor"] == "5.5"


def test_a_section_with_its_clauses_stands_where_its_best_member_ranked_and_it_leads():
    """The answer ranked first, its section's heading fourth: the group was shown fourth;
    then first, but under the heading, a general one ("4 ЖАЛПЫ ЕРЕЖЕЛЕР") above the clause
    that answered. The answer leads, its heading and the section's other clause under it."""
    from search.services import grouped_by_section

    def entry(anchor, section="", clause=""):
        return {
            "document_id": 1,
            "status": "in_force",
            "edition": "1",
            "anchor": anchor,
            "section": section,
            "clause": clause,
            "role": "",
        }

    ranked = [
        entry("2.2", "s-II", "2.2"),
        entry("7.2", "s-VII", "7.2"),
        entry("2.1", "s-II", "2.1"),
        entry("s-II"),
        entry("4.4", "s-IV", "4.4"),
    ]
    shown = grouped_by_section(ranked)
    assert [e["anchor"] for e in shown] == ["2.2", "7.2", "4.4"]
    assert shown[0]["section_head"]["anchor"] == "s-II"
    assert [c["anchor"] for c in shown[0]["children"]] == ["2.1"]
    # A heading that ranked first leads its clauses, in the section's order.
    ranked = [entry("s-II"), entry("2.2", "s-II", "2.2"), entry("2.1", "s-II", "2.1")]
    (shown,) = grouped_by_section(ranked)
    assert shown["anchor"] == "s-II" and "section_head" not in shown
    assert [c["anchor"] for c in shown["children"]] == ["2.1", "2.2"]


@pytest.mark.parametrize("asked", ["715 ҚП", "ҚазҰТЗУ 715 ҚП", "715 кп", "казутзу 715 кп"])
def test_a_documents_code_finds_its_title_page_first(indexed, asked):
    # A tester searched "715 ҚП" and got its revision register, then its forms list: the
    # approval sheet, which names the document, is the answer to its code.
    first = search_for(None, asked, limit=5).results.hits[0].entry
    assert (first["document_code"], first["role"]) == ("ҚазҰТЗУ 715 ҚП", "approval")
    assert first["url"].endswith("#approval")


def test_a_code_with_more_words_is_not_a_document_asked_for(indexed):
    first = search_for(None, "715 ҚП жатақхана", limit=5).results.hits[0].entry
    assert first["role"] != "approval"


@pytest.mark.parametrize(
    "asked",
    [
        "әлеуметтік қолдау көрсету қандай кезеңдерден тұрады",
        "алеуметтик колдау корсету кандай кезендерден турады",  # typed without Kazakh letters
    ],
)
def test_a_clause_that_introduces_a_list_comes_with_its_numbered_items(indexed, asked):
    # 5.3 "… әлеуметтік қолдау көрсету келесі кезеңдерден тұрады:" (consists of the following
    # stages) names the stages in 5.3.1 to 5.3.5, which hold none of the question's words
    # but кезең: 5.3.1 and 5.3.5 were not on the page.
    found = [hit.entry["anchor"] for hit in search_for(None, asked, limit=10).results.hits]
    assert found[:6] == ["5.3", "5.3.1", "5.3.2", "5.3.3", "5.3.4", "5.3.5"]
    # The items come in once: the count and the facets count each of them once.
    page = search_for(None, asked, limit=200)
    ids = [hit.entry["entry_id"] for hit in page.results.hits]
    assert len(ids) == len(set(ids)) == page.results.total
    assert sum(page.results.facets["organisation_id"].values()) == page.results.total


def test_a_list_clause_that_holds_fewer_words_than_the_best_brings_no_items(indexed):
    # "Material help for the staff" is answered by section 4, which holds all three words; 5.3
    # is on the page but holds two: its stages are not brought in (only 5.3.2, which holds
    # words of its own, is there, where it ranked).
    found = [
        h.entry["anchor"] for h in search_for(None, "қызметкерлерге әлеуметтік көмек").results.hits
    ]
    assert found[0] == "s-4" and "5.3" in found
    assert not {"5.3.1", "5.3.5"} & set(found)


def test_a_question_for_a_procedures_forms_gets_its_forms_list_first(indexed, client):
    # A tester asked "процедураның формалары" and found the forms list fifth, after 3.1
    # "Терминдер" (which holds процедура) and, since 3.1 introduces a list, every term.
    page = search_for(None, "процедураның формалары", limit=10)
    assert page.prefer == "forms"
    found = [hit.entry for hit in page.results.hits]
    assert (found[0]["role"], found[0]["title"]) == ("forms", "ҚазҰТЗУ 715 ҚП формалары")
    assert not [e["clause"] for e in found if e["clause"].startswith("3.1.")]
    html = client.get("/search/", {"q": "процедураның формалары"}).content.decode()
    count = re.search(r'<p class="count">(.*?)</p>', html).group(1)
    with translation.override("kk"):
        assert gettext("the forms first") in count
    # A form named by its own words comes before the list that names it.
    named = search_for(None, "эдвайзердің жұмыс жоспары 715-02", limit=5).results.hits
    assert named[0].entry["type"] == "form"
    assert named[0].entry["form_code"] == "ҚазҰТЗУ 715-02 Ү"


def test_a_purpose_question_on_a_role_gets_that_roles_clauses_not_its_equivalents(indexed):
    # A tester asked "эдвайзер не үшін керек" (what is an adviser for) and got the mentor's
    # purpose clauses first: they hold эдвайзер only through the synonym group (ментор,
    # эдвайзер, куратор), and 715's clauses say эдвайзер.
    found = entries("эдвайзер не үшін керек", n=5)
    assert found[0]["anchor"] == "3.1.5"  # "Эдвайзер (Advisor)": what an adviser is for
    assert {e["document_code"] for e in found} == {"ҚазҰТЗУ 715 ҚП"}
    # Asked of a mentor, the mentor's purpose clauses still come first.
    mentor = entries("ментор не үшін керек", n=3)
    assert {e["role"] for e in mentor} == {"purpose"}
    assert "ҚазҰТЗУ 715 ҚП" not in {e["document_code"] for e in mentor}


def test_the_page_says_what_comes_first_only_when_it_does(indexed, client):
    # "эдвайзер не үшін керек" is answered by 3.1.5, a definition: the page said "clauses that
    # state a purpose first" above it.
    def count(query):
        html = client.get("/search/", {"q": query}).content.decode()
        return re.search(r'<p class="count">(.*?)</p>', html).group(1)

    with translation.override("kk"):
        purpose = gettext("clauses that state a purpose first")
    assert purpose not in count("эдвайзер не үшін керек")
    assert purpose in count("ментор не үшін керек")
    # Asked for forms, the forms are listed before the regulations.
    page = search_for(None, "процедураның формалары", limit=20)
    assert list(page.groups)[:2] == ["form", "clause"]
    assert page.answered
