"""The embedded backend: a SQLite file with an FTS5 table over the analysed keys. No service
to run; the default, and what the demo uses.

The FTS5 column holds the keys that ``search.analysis`` computed (space-joined), so Kazakh
stemming and the Russian routing are the same as in the engine backend; the original text is
stored beside them for display and highlighting.

How a search stays fast on a hundred thousand entries:

- Row ids are partitioned by entry type (clauses, forms, records each own a range), so a
  query that may not see records never walks their postings.
- The filter and facet fields live in memory as arrays (``Columns``, what an engine calls doc
  values), reloaded when the index changes: permissions, facet filters, the total and every
  facet are computed over the matching row ids in one vectorised pass, not a join per row.
- Candidates for the final ranking are chosen by FTS5's BM25 over the newest ``WINDOW``
  matches of each type. When a type has more matches than that (a very common word), the
  older ones are counted and faceted but not ranked, and ``Results.partial`` says so;
  ``SearchQuery.candidates=False`` ranks every match.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis import get_analyzer
from ..ranking import LOOSE_WEIGHT
from ..schema import FIELDS, SCHEMA_VERSION, Entry
from .base import FACETS, Hit, Results, SearchQuery, Stats

TEXT_KEYS = [name for name, kind in FIELDS.items() if kind == "keys"]  # keys, loose
COLUMNS = [name for name in FIELDS if name not in TEXT_KEYS]
SELECTED = [*COLUMNS, *TEXT_KEYS]
LAYOUT = 3  # of the SQLite tables: 2 = row ids partitioned by type; 3 = the loose column
SPAN = 1 << 40
TYPE_BASE = {"clause": 1 * SPAN, "form": 2 * SPAN, "record": 3 * SPAN}
WINDOW = 2000  # matches per type that FTS5 scores when choosing candidates

WORD_COLUMNS = [n for n, kind in FIELDS.items() if kind == "keyword" and n != "version"]
NUMBER_COLUMNS = [n for n, kind in FIELDS.items() if kind == "int"]
FLAG_COLUMNS = [n for n, kind in FIELDS.items() if kind == "bool"]
NONE = -1  # an empty number or word in the arrays


LOADED = [*WORD_COLUMNS, *NUMBER_COLUMNS, *FLAG_COLUMNS]


@dataclass
class Columns:
    """Every entry's filter and facet fields as arrays aligned with the sorted row ids.

    Words are stored as codes into a per-column vocabulary; empty numbers and words are -1.
    After a change only the rows that came or went are read again (row ids only grow, and a
    changed entry gets a new one), so a process catches up in milliseconds."""

    generation: int
    rowids: np.ndarray
    values: dict[str, np.ndarray]
    entry_ids: np.ndarray  # of objects: the last tie-breaker of a full ordering
    vocabulary: dict[str, list] = field(default_factory=dict)
    codes: dict[str, dict[Any, int]] = field(default_factory=dict)
    frequency: dict[str, int] = field(default_factory=dict)  # document frequency per key
    _order: np.ndarray | None = None

    @classmethod
    def empty(cls) -> Columns:
        return cls(
            generation=-1,
            rowids=np.empty(0, dtype=np.int64),
            values={name: np.empty(0, dtype=np.int64) for name in LOADED},
            entry_ids=np.empty(0, dtype=object),
            vocabulary={name: [] for name in WORD_COLUMNS},
            codes={name: {} for name in WORD_COLUMNS},
        )

    def refreshed(self, db: sqlite3.Connection, table: str, generation: int) -> Columns:
        """These columns brought up to date with the table at ``generation``."""
        listed = db.execute(f"SELECT group_concat(rid) FROM (SELECT rid FROM {table})").fetchone()
        current = (
            np.sort(np.fromstring(listed[0], dtype=np.int64, sep=","))
            if listed[0]
            else np.empty(0, dtype=np.int64)
        )
        kept = np.isin(self.rowids, current, assume_unique=True)
        added = np.setdiff1d(current, self.rowids, assume_unique=True)
        rows = []
        if len(added) > len(current) // 2:
            rows = db.execute(f"SELECT rid, entry_id, {', '.join(LOADED)} FROM {table}").fetchall()
            kept[:] = False
        else:
            for i in range(0, len(added), 500):
                chunk = added[i : i + 500].tolist()
                rows += db.execute(
                    f"SELECT rid, entry_id, {', '.join(LOADED)} FROM {table} "
                    f"WHERE rid IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                ).fetchall()
        new = list(zip(*rows, strict=True)) if rows else [()] * (len(LOADED) + 2)
        vocabulary = {name: list(words) for name, words in self.vocabulary.items()}
        codes = {name: dict(lookup) for name, lookup in self.codes.items()}
        values = {}
        for name, column in zip(LOADED, new[2:], strict=True):
            if name in WORD_COLUMNS:
                lookup, words = codes[name], vocabulary[name]
                for value in column:
                    if value not in (None, "") and value not in lookup:
                        lookup[value] = len(words)
                        words.append(value)
                fresh = [lookup.get(value, NONE) for value in column]
            else:
                fresh = [NONE if value is None else int(value) for value in column]
            values[name] = np.concatenate(
                [self.values[name][kept], np.array(fresh, dtype=np.int64)]
            )
        rowids = np.concatenate([self.rowids[kept], np.array(new[0], dtype=np.int64)])
        entry_ids = np.concatenate([self.entry_ids[kept], np.array(new[1], dtype=object)])
        by_rowid = np.argsort(rowids, kind="stable")
        return Columns(
            generation=generation,
            rowids=rowids[by_rowid],
            values={name: column[by_rowid] for name, column in values.items()},
            entry_ids=entry_ids[by_rowid],
            vocabulary=vocabulary,
            codes=codes,
        )

    @property
    def order(self) -> np.ndarray:
        """Each entry's position in entry-id order, computed when first needed."""
        if self._order is None:
            order = np.empty(len(self.rowids), dtype=np.int64)
            order[np.argsort(self.entry_ids, kind="stable")] = np.arange(len(self.rowids))
            self._order = order
        return self._order

    def positions(self, rowids: np.ndarray) -> np.ndarray:
        """Where ``rowids`` (sorted) are in the arrays; row ids not loaded are dropped."""
        if not len(self.rowids):
            return np.empty(0, dtype=np.int64)
        found = np.minimum(np.searchsorted(self.rowids, rowids), len(self.rowids) - 1)
        return found[self.rowids[found] == rowids]

    def _equal(self, name: str, value: Any, at: np.ndarray) -> np.ndarray:
        if name in WORD_COLUMNS:
            code = self.codes[name].get(str(value))
            return self.values[name][at] == (NONE - 1 if code is None else code)
        if name in FLAG_COLUMNS:
            flag = value if isinstance(value, bool) else str(value).lower() in ("1", "true")
            return self.values[name][at] == int(flag)
        try:
            number = int(value)
        except (TypeError, ValueError):
            return np.zeros(len(at), dtype=bool)
        return self.values[name][at] == number

    def _member(self, name: str, wanted, at: np.ndarray) -> np.ndarray:
        if name in WORD_COLUMNS:
            wanted = [self.codes[name][w] for w in wanted if w in self.codes[name]]
        return np.isin(self.values[name][at], np.array(list(wanted), dtype=np.int64))

    def allowed(self, query: SearchQuery, at: np.ndarray) -> np.ndarray:
        """Which of the entries at positions ``at`` the query may return: its types, the
        records the user may see, the facet filters."""
        mask = self._member("type", query.types, at)
        scope = query.records
        if not scope.everything:
            records = self._equal("type", "record", at)
            visible = self._member("unit_id", scope.unit_ids, at)
            if scope.organisation_ids:
                visible |= self._member("organisation_id", scope.organisation_ids, at)
            if scope.series_ids:
                visible |= self._member("series_id", scope.series_ids, at) & ~self._equal(
                    "confidential", True, at
                )
            mask &= ~records | visible
        if query.hidden_documents:
            mask &= ~self._member("document_id", query.hidden_documents, at)
        for name, value in query.filters.items():
            if name in self.values and value not in (None, ""):
                mask &= self._equal(name, value, at)
        return mask

    def facets(self, at: np.ndarray) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for name in FACETS:
            column = self.values[name][at]
            column = column[column != NONE]
            found, counts = np.unique(column, return_counts=True)
            decode = self.vocabulary.get(name)
            pairs = [
                (decode[value] if decode is not None else int(value), int(count))
                for value, count in zip(found.tolist(), counts.tolist(), strict=True)
            ]
            out[name] = dict(sorted(pairs, key=lambda item: -item[1]))
        return out

    def order_key(self, at: np.ndarray, scores: np.ndarray, definitions_first: bool):
        """Positions ``at`` in the order of a non-candidate search: definitions first when
        asked, current before superseded, the best score, the entry id."""
        superseded = self._equal("status", "superseded", at).astype(np.int64)
        keys = [self.order[at], -scores, superseded]
        if definitions_first:
            keys.append((~self._equal("role", "definition", at)).astype(np.int64))
        return np.lexsort(keys)


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path | str, *, window: int = WINDOW):
        self.path = str(path)
        self.window = window
        self._local = threading.local()
        self._columns = Columns.empty()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._ensure()

    # --- storage --------------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            # A deleted entry (a destroyed record's text) is overwritten in the file, not
            # left in free pages for anyone who copies the index.
            connection.execute("PRAGMA secure_delete=ON")
            self._local.connection = connection
        return connection

    @property
    def table(self) -> str:
        return f"entries_v{SCHEMA_VERSION}_l{LAYOUT}"

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    def _ensure(self) -> None:
        tokenize = get_analyzer("kk_ru_keys").fts5_tokenize
        cols = ", ".join(f"{c} TEXT UNIQUE NOT NULL" if c == "entry_id" else c for c in COLUMNS)
        t = self.table
        with self.db:
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {t} (rid INTEGER PRIMARY KEY, {cols}, keys TEXT, "
                "loose TEXT)"
            )
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {t}_document ON {t} (document_id)")
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {t}_meta (generation INTEGER NOT NULL)")
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {t}_last (type TEXT PRIMARY KEY, rid INTEGER NOT NULL)"
            )
            self.db.execute(
                f"INSERT INTO {t}_meta SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {t}_meta)"
            )
            self.db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts} USING fts5("
                f"keys, loose, content='{t}', content_rowid='rid', tokenize=\"{tokenize}\")"
            )
            self.db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts}_vocab "
                f"USING fts5vocab({self.fts}, 'col')"
            )
            insert = (
                f"INSERT INTO {self.fts}(rowid, keys, loose) VALUES (new.rid, new.keys, new.loose);"
            )
            delete = (
                f"INSERT INTO {self.fts}({self.fts}, rowid, keys, loose) "
                "VALUES('delete', old.rid, old.keys, old.loose);"
            )
            for trigger, event, body in (
                ("ai", "INSERT", insert),
                ("ad", "DELETE", delete),
                ("au", "UPDATE", delete + " " + insert),
            ):
                self.db.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {t}_{trigger} AFTER {event} ON {t} "
                    f"BEGIN {body} END"
                )

    def _changed(self) -> None:
        """Inside a write transaction: tell every process that the index changed."""
        self.db.execute(f"UPDATE {self.table}_meta SET generation = generation + 1")

    def columns(self) -> Columns:
        generation = self.db.execute(f"SELECT generation FROM {self.table}_meta").fetchone()[0]
        columns = self._columns
        if columns.generation != generation:
            columns = self._columns = columns.refreshed(self.db, self.table, generation)
        return columns

    def upsert(self, entries: list[Entry]) -> None:
        """Replace the entries. A changed entry gets a new row id, the newest of its type, and
        a row id is never given twice (``{table}_last`` remembers the highest one given, even
        once its row is deleted): the in-memory columns of every process rely on it."""
        names = [*COLUMNS, *TEXT_KEYS]
        placeholders = ", ".join("?" for _ in range(len(names) + 1))
        with self.db:
            ids = [entry.entry_id for entry in entries]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                self.db.execute(
                    f"DELETE FROM {self.table} WHERE entry_id IN ({', '.join('?' for _ in chunk)})",
                    chunk,
                )
            following: dict[str, int] = {}
            rows = []
            for entry in entries:
                if entry.type not in TYPE_BASE:
                    raise ValueError(f"unknown entry type {entry.type!r}")
                if entry.type not in following:
                    base = TYPE_BASE[entry.type]
                    last = self.db.execute(
                        f"SELECT MAX(rid) FROM (SELECT MAX(rid) AS rid FROM {self.table} "
                        f"WHERE rid >= ? AND rid < ? UNION ALL "
                        f"SELECT rid FROM {self.table}_last WHERE type = ?)",
                        (base, base + SPAN, entry.type),
                    ).fetchone()[0]
                    following[entry.type] = (last or base) + 1
                data = entry.as_dict()
                rows.append((following[entry.type], *(data[n] for n in names)))
                following[entry.type] += 1
            self.db.executemany(
                f"INSERT INTO {self.table} (rid, {', '.join(names)}) VALUES ({placeholders})",
                rows,
            )
            self.db.executemany(
                f"INSERT OR REPLACE INTO {self.table}_last (type, rid) VALUES (?, ?)",
                [(kind, following[kind] - 1) for kind in following],
            )
            self._changed()

    def delete_object(self, object_key: str) -> None:
        kind, _sep, pk = object_key.partition(":")
        with self.db:
            if kind == "document":
                self.db.execute(
                    f"DELETE FROM {self.table} WHERE type='clause' AND document_id=?", (int(pk),)
                )
            else:
                self.db.execute(f"DELETE FROM {self.table} WHERE entry_id=?", (object_key,))
            self._changed()

    def rebuild(self, entries: list[Entry]) -> None:
        with self.db:
            self._drop_earlier_layouts()
            self.db.execute(f"DELETE FROM {self.table}")
            self._changed()
        self.upsert(entries)

    def _drop_earlier_layouts(self) -> None:
        """Tables of an earlier schema or layout (an upgrade's leftovers) go with a rebuild:
        vocabulary views first, then the FTS5 tables (which take their shadow tables along),
        then the plain tables."""
        rows = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'entries_v%'"
        ).fetchall()
        current = self.table + "_"
        old = [(n, sql or "") for n, sql in rows if n != self.table and not n.startswith(current)]
        virtual = [n for n, sql in old if sql.upper().startswith("CREATE VIRTUAL")]
        order = sorted(virtual, key=lambda n: not n.endswith("_vocab"))
        order += [n for n, sql in old if n not in virtual]
        for name in order:
            self.db.execute(f'DROP TABLE IF EXISTS "{name}"')

    def entries_for(self, prefix: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            f"SELECT entry_id, version FROM {self.table} WHERE entry_id >= ? AND entry_id < ? "
            "ORDER BY entry_id",
            (prefix, prefix + "\U0010ffff"),
        )
        return [{"entry_id": r[0], "version": r[1], "index": self.path} for r in rows]

    def all_versions(self) -> dict[str, str]:
        return dict(self.db.execute(f"SELECT entry_id, version FROM {self.table}"))

    def stats(self, keys: list[str], loose: list[str] = ()) -> Stats:
        """Entry count and average length from the in-memory columns; a key's document
        frequency in its column from FTS5's own vocabulary table (a phrase is counted),
        remembered until the index changes."""
        columns = self.columns()
        lengths = columns.values["length"]
        counted = lengths[lengths > 0]  # as an engine counts: entries that have keys
        return Stats(
            entries=len(counted),
            average_length=float(counted.mean()) if len(counted) else 0.0,
            frequency={key: self._frequency(columns, "keys", key) for key in keys},
            loose_frequency={key: self._frequency(columns, "loose", key) for key in loose},
        )

    def _frequency(self, columns: Columns, column: str, key: str) -> int:
        remembered = f"{column}:{key}"
        if remembered not in columns.frequency:
            if " " in key:
                row = self.db.execute(
                    f"SELECT COUNT(*) FROM {self.fts} WHERE {self.fts} MATCH ?",
                    [f'{column} : "' + key.replace('"', "") + '"'],
                ).fetchone()
            else:
                row = self.db.execute(
                    f"SELECT doc FROM {self.fts}_vocab WHERE term = ? AND col = ?", [key, column]
                ).fetchone()
            columns.frequency[remembered] = row[0] if row else 0
        return columns.frequency[remembered]

    # --- searching ------------------------------------------------------------------------

    def _match(self, query: SearchQuery) -> str:
        """The FTS5 expression: each word is the OR of its keys in ``keys`` and its loose
        keys in ``loose``; an entry must hold ``required_words`` of the words (every
        combination of that many, ANDed)."""

        def quoted(keys) -> str:
            return " OR ".join('"' + key.replace('"', "") + '"' for key in keys)

        words = []
        for i, alternatives in enumerate(query.words):
            loose = query.loose[i] if i < len(query.loose) else []
            either = f"keys : ({quoted(alternatives)})"
            if loose:
                either += f" OR loose : ({quoted(loose)})"
            words.append(f"({either})")
        need = query.required_words or len(words)
        if need >= len(words):
            return " AND ".join(words)
        if need <= 1:
            return " OR ".join(words)
        return " OR ".join("(" + " AND ".join(group) + ")" for group in combinations(words, need))

    def _ranges(self, query: SearchQuery) -> list[tuple[int, int]]:
        """The row-id ranges of the types the query may return (records only for a user who
        may see some)."""
        sees_records = query.records.some
        return [
            (base, base + SPAN)
            for kind, base in TYPE_BASE.items()
            if kind in query.types and (kind != "record" or sees_records)
        ]

    def _matching(self, match: str, ranges: list[tuple[int, int]]) -> np.ndarray:
        parts = []
        for low, high in ranges:
            found = self.db.execute(
                f"SELECT group_concat(rowid) FROM {self.fts} WHERE {self.fts} MATCH ? "
                "AND rowid >= ? AND rowid < ?",
                (match, low, high),
            ).fetchone()[0]
            if found:
                parts.append(np.fromstring(found, dtype=np.int64, sep=","))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def _scores(
        self, match: str, low: int, high: int, *, best: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, BM25 as "higher is better") of the matches with low <= row id <= high;
        only the ``best`` ones when given."""
        bm25 = f"bm25({self.fts}, 1.0, {LOOSE_WEIGHT})"
        top = f" ORDER BY {bm25} LIMIT {int(best)}" if best is not None else ""
        rows = self.db.execute(
            f"SELECT rowid, -{bm25} FROM {self.fts} WHERE {self.fts} MATCH ? "
            f"AND rowid >= ? AND rowid <= ?{top}",
            (match, low, high),
        ).fetchall()
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0)
        rowids, scores = zip(*rows, strict=True)
        rowids, scores = np.array(rowids, dtype=np.int64), np.array(scores, dtype=np.float64)
        ascending = np.argsort(rowids, kind="stable")
        return rowids[ascending], scores[ascending]

    def _candidates(
        self, match: str, matched: np.ndarray, allowed: np.ndarray, limit: int, window: int
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """The ``limit`` best allowed matches by FTS5's BM25, scoring per type at most the
        newest ``window`` matches; and whether some allowed matches were left unscored.

        When the windows hold no more than ``limit`` allowed matches they are all candidates
        and nothing is scored here (FTS5's BM25 first walks every posting of every query
        key, milliseconds for a common word; the final ranking scores them anyway)."""
        windows, partial = [], False
        for base in TYPE_BASE.values():
            in_type = matched[(matched >= base) & (matched < base + SPAN)]
            mine = allowed[(allowed >= base) & (allowed < base + SPAN)]
            if not len(mine):
                continue
            end = int(np.searchsorted(in_type, mine[-1], side="right"))
            low = in_type[max(0, end - window)]
            first = int(np.searchsorted(mine, low))
            partial |= first > 0
            windows.append((int(low), int(mine[-1]), mine[first:], end - max(0, end - window)))
        if sum(len(mine) for *_, mine, _n in windows) <= limit:
            rowids = np.concatenate([mine for *_, mine, _n in windows] or [np.empty(0, np.int64)])
            return rowids, np.zeros(len(rowids)), partial
        picked_ids, picked_scores = [], []
        for low, high, mine, scored in windows:
            # When every match in the window may be returned, FTS5 keeps only the best.
            best = limit if scored == len(mine) else None
            rowids, scores = self._scores(match, low, high, best=best)
            keep = np.isin(rowids, mine, assume_unique=True)
            picked_ids.append(rowids[keep])
            picked_scores.append(scores[keep])
        rowids, scores = np.concatenate(picked_ids), np.concatenate(picked_scores)
        best = np.argsort(-scores, kind="stable")[:limit]
        return rowids[best], scores[best], partial

    def _rows(self, rowids: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for i in range(0, len(rowids), 500):
            chunk = rowids[i : i + 500]
            for row in self.db.execute(
                f"SELECT rid, {', '.join(SELECTED)} FROM {self.table} "
                f"WHERE rid IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ):
                out[row[0]] = dict(zip(SELECTED, row[1:], strict=True))
        return out

    def search(self, query: SearchQuery) -> Results:
        columns = self.columns()
        ranges = self._ranges(query)
        match = self._match(query) if query.words else ""
        if match:
            matched = self._matching(match, ranges)
        else:
            inside = np.zeros(len(columns.rowids), dtype=bool)
            for low, high in ranges:
                inside |= (columns.rowids >= low) & (columns.rowids < high)
            matched = columns.rowids[inside]
        at = columns.positions(matched)
        at = at[columns.allowed(query, at)]
        allowed = columns.rowids[at]
        facets = columns.facets(at)
        partial = False
        if match and query.candidates:
            rowids, scores, partial = self._candidates(
                match, matched, allowed, query.offset + query.limit, self.window
            )
            rowids, scores = rowids[query.offset :], scores[query.offset :]
        else:
            scores = np.zeros(len(allowed))
            if match and len(allowed):
                scored_ids, scored = self._scores(match, int(allowed[0]), int(allowed[-1]))
                keep = np.isin(scored_ids, allowed, assume_unique=True)
                scores = scored[keep]  # both ascending by row id: aligned with ``allowed``
            order = columns.order_key(at, scores, query.definitions_first)
            chosen = order[query.offset : query.offset + query.limit]
            rowids, scores = allowed[chosen], scores[chosen]
        rows = self._rows([int(r) for r in rowids])
        hits = [
            Hit(entry=rows[int(r)], score=float(s))
            for r, s in zip(rowids, scores, strict=True)
            if int(r) in rows
        ]
        return Results(hits=hits, total=len(allowed), facets=facets, partial=partial)
