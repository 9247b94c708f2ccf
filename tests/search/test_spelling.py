"""Words typed without their Kazakh letters are spelled back as the regulations spell them,
and the search is made for that: the same answer as the question typed properly, never a
spelling taken from an entry the asking user may not get. A word with a typo is put right
the same way, from the nearest word of the entries the user may get."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest

from search.services import search_for
from search.spelling import closest, readings, spelled, typo_edits
from tests.search.test_search import entry, kk, top

pytestmark = pytest.mark.django_db


def test_a_typed_word_takes_the_letters_of_the_entry_word_it_begins_as():
    words = Counter({"тамақтануды": 2, "кім": 3, "беріледі": 4, "ауысу": 1, "студенттердің": 5})
    assert spelled("бериледи", words) == "беріледі"  # the same word
    assert spelled("тамак", words) == "тамақ"  # the start of a longer one
    # the entry word whole, and the typed ending in the letters its harmony asks for
    assert spelled("ауысуга", words) == "ауысуға"
    assert spelled("кимдерге", words) == "кімдерге"
    assert spelled("студенттин", words) == "студенттің"  # the genitive's ң
    assert spelled("жатакхана", words) is None  # no entry word begins so
    assert spelled("та", words) is None  # too short to tell


def test_the_readings_of_a_typed_word_keep_vowel_harmony():
    assert "тамақ" in readings("тамак")
    assert "тәрбие" in readings("тарбие")
    # і (front) never beside ы or қ (back) in one word
    assert not [r for r in readings("кызмети") if "і" in r and "қ" in r]
    assert readings("ааааааааааа") == []  # too many to weigh: left as typed


def test_typed_without_kazakh_letters_the_answer_is_that_of_the_question_typed_properly(
    indexed,
):
    # "Who gets cheaper meals in the canteen?": тамак is in no entry even folded (the
    # procedure writes тамақтануды), but тамақ is an equivalent of питание.
    page = search_for(None, "асханада арзан тамак кимдерге бериледи", limit=3)
    assert page.typed == "асханада арзан тамак кимдерге бериледи"
    assert page.text == "асханада арзан тамақ кімдерге беріледі"
    proper = top(None, "асханада арзан тамақ кімдерге беріледі")
    assert [hit.entry["entry_id"] for hit in page.results.hits] == [e["entry_id"] for e in proper]
    assert (
        page.results.hits[0].entry["anchor"]
        == "4-студенттер-үшін-жеңілдікпен-тамақтануды-ұйымдастыру"
    )
    # Latin look-alikes typed in a Cyrillic word are its Cyrillic letters.
    assert search_for(None, "ментордын куkыктары", limit=3).text == "ментордың құқықтары"
    # Each letter keeps the case it was typed in.
    assert search_for(None, "Жатакхана беру", limit=3).text == "Жатақхана беру"
    assert search_for(None, "КазУТЗУ 715 КП", limit=3).text.startswith("ҚазҰТЗУ 715")
    # Typed properly, or in words that are all found, nothing is spelled back.
    assert search_for(None, "асханада арзан тамақ", limit=3).typed == ""
    assert search_for(None, "ментор", limit=3).typed == ""
    # A Russian question keeps its words.
    assert search_for(None, "кто назначает эдвайзера", limit=3).typed == ""


def test_a_word_that_cannot_be_spelled_back_leaves_the_counts_whole(indexed):
    # A word held nowhere, even without its Kazakh letters, is first looked for among a few
    # matches only, to be spelled back; left as typed, the page counts every match again.
    page = search_for(None, "ережесі жжжжжж", limit=3)
    plain = search_for(None, "ережесі", limit=3)
    assert page.typed == "" and page.results.total == plain.results.total > 3
    assert page.results.facets == plain.results.facets
    assert sum(page.results.facets["status"].values()) == plain.results.total


def test_as_typed_the_words_are_searched_as_they_are(indexed):
    page = search_for(None, "тамак бериледи", limit=3, respell=False)
    assert page.typed == "" and page.text == "тамак бериледи"


def test_no_spelling_comes_from_an_entry_the_user_may_not_get(tmp_path, django_user_model):
    from search.backends.tantivy_index import TantivyBackend

    backend = TantivyBackend(tmp_path / "index")
    # A word only a confidential record holds, and another only an open one.
    backend.upsert(
        [
            entry(1, "Қызғылтсары мөр басылды", confidential=True),
            entry(2, "Көгілдір мөр басылды", unit_id=2),
        ]
    )
    staff = search_for(None, "кызгылтсары", backend=backend, hidden_documents=())
    assert staff.typed == "" and staff.results.total == 0
    assert search_for(None, "когилдир", backend=backend, hidden_documents=()).typed == ""
    # Someone who may get every record gets both spelled back, and the records.
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    for typed, word, n in (("кызгылтсары", "қызғылтсары", 1), ("когилдир", "көгілдір", 2)):
        page = search_for(admin, typed, backend=backend, hidden_documents=())
        assert page.text == word and page.typed == typed
        assert [hit.entry["entry_id"] for hit in page.results.hits] == [f"record:{n}"]


def test_the_page_says_what_it_searched_for_and_links_the_words_as_typed(client, indexed):
    html = client.get("/search/", {"q": "асханада арзан тамак"}).content.decode()
    said = re.search(r'<p class="respelt">(.*?)</p>', html).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", said).split())
    assert text == (
        f"{kk('Searched with the Kazakh letters, as the texts found spell it:')} "
        f"асханада арзан тамақ. {kk('Search as typed:')} асханада арзан тамак"
    )
    assert "4-студенттер-үшін-жеңілдікпен-тамақтануды-ұйымдастыру" in html
    as_typed = client.get("/search/" + unescape(re.search(r'href="([^"]+)"', said).group(1)))
    html = as_typed.content.decode()
    assert 'class="respelt"' not in html
    assert 'value="асханада арзан тамак"' in html


@pytest.mark.parametrize(
    ("russian", "kazakh"),
    [
        ("оценивает", "бағалау"),
        ("назначает", "тағайындау"),
        ("консультирует", "кеңес беру"),
        ("нарушает", "бұзушылық"),
    ],
)
def test_a_russian_verb_finds_the_equivalents_of_its_noun(russian, kazakh):
    """The quality office's equivalents list the Russian nouns (оценка, оценивание); a
    question asks with the verb ("кто оценивает…"), which Snowball stems apart (оценива,
    оцениван). A word sharing five letters or more, all but the last two, of its stem with a
    term's stem finds that term's equivalents."""
    from search.analysis import analyze_query
    from search.services import expand

    (words,) = expand(analyze_query(russian))
    assert kazakh in words or analyze_query(kazakh)[0][0] in words, words
    # A shorter word's stem inside a longer one is another word: отдел (a unit) is no
    # equivalent of отделение ("платное отделение", the paid track); nor is a Kazakh ending.
    (unit,) = expand(analyze_query("отделения"))
    assert "кафедра" not in unit
    (mentor,) = expand(analyze_query("ментордын"))
    assert "эдвайзер" not in mentor


def test_a_typo_is_read_as_the_nearest_entry_word():
    words = Counter({"жатақхана": 3, "жатақханаларда": 2, "жоспары": 4, "ментор": 5})
    assert closest("жатахана", words) == "жатақхана"  # a letter left out, folded
    assert closest("жатқахана", words) == "жатақхана"  # two letters swapped
    assert closest("жоспрары", words) == "жоспары"
    assert closest("мантар", words) is None  # two edits in six letters: too far
    assert closest("жатақхана", words) is None  # typed right: nothing to put right
    assert [typo_edits(w) for w in ("кеңес", "ментор", "жатахана", "ерже")] == [1, 1, 2, 0]


def test_a_word_no_entry_holds_is_read_as_the_nearest_word_and_the_page_says_so(client, indexed):
    # A tester typed "жатахана" (for жатақхана) and got fifty clauses "closest in meaning",
    # mostly bare section headings.
    page = search_for(None, "жатахана", limit=3)
    assert page.text == "жатақхана" and page.typed == "жатахана" and page.corrected
    assert page.results.hits[0].entry["anchor"] == "4-жатақхана-беру"
    assert not page.by_meaning
    # With a word found as typed, the answer is for the words as typed; the nearest words
    # are offered.
    offered = search_for(None, "жатахана беру", limit=3)
    assert offered.typed == "" and offered.suggestion == "жатақхана беру"
    assert search_for(None, "жатақхана беру", limit=3).suggestion == ""
    html = client.get("/search/", {"q": "жатахана"}).content.decode()
    said = re.search(r'<p class="respelt">(.*?)</p>', html).group(1)
    nearest = (
        "Nothing holds the words as typed; searched for the nearest words the regulations use:"
    )
    assert " ".join(re.sub(r"<[^>]+>", "", said).split()) == (
        f"{kk(nearest)} жатақхана. {kk('Search as typed:')} жатахана"
    )
    html = client.get("/search/", {"q": "жатахана беру"}).content.decode()
    said = re.search(r'<p class="respelt">(.*?)</p>', html).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", said).split()) == (
        f"{kk('Did you mean:')} жатақхана беру?"
    )
    offered = client.get("/search/" + unescape(re.search(r'href="([^"]+)"', said).group(1)))
    assert "4-жатақхана-беру" in offered.content.decode()


def test_no_typo_is_put_right_from_an_entry_the_user_may_not_get(tmp_path, django_user_model):
    from search.backends.tantivy_index import TantivyBackend

    backend = TantivyBackend(tmp_path / "index")
    backend.upsert([entry(1, "Қызғылтсары мөр басылды", confidential=True)])
    staff = search_for(None, "қызылтсары", backend=backend, hidden_documents=())
    assert staff.typed == "" and staff.suggestion == "" and staff.results.total == 0
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    page = search_for(admin, "қызылтсары", backend=backend, hidden_documents=())
    assert page.text == "қызғылтсары" and page.corrected
    assert [hit.entry["entry_id"] for hit in page.results.hits] == ["record:1"]


def test_a_russian_word_with_another_ending_than_the_texts_is_no_typo(client, indexed):
    # A tester searched "формы процедуры" (found 62 results) and was asked "Возможно, вы
    # имели в виду: формы процедура?": the Kazakh texts' "процедура", one letter away, is
    # the same word in the nominative, not a correction of it.
    page = search_for(None, "формы процедуры", limit=3)
    assert page.results.total and page.suggestion == ""
    html = client.get("/search/", {"q": "формы процедуры"}).content.decode()
    assert kk("Did you mean:") not in html and "формы процедура" not in html
    # A typo in the same place is still offered its correction.
    assert search_for(None, "формы процедурра", limit=3).suggestion == "формы процедура"
