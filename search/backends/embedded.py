"""The embedded backend: a SQLite file with an FTS5 table over the analysed keys. No service
to run; the default, and what the demo uses.

The FTS5 column holds the keys that ``search.analysis`` computed (space-joined), so Kazakh
stemming and the Russian routing are the same as in the engine backend; the original text is
stored beside them for display and highlighting.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..analysis import get_analyzer
from ..schema import FIELDS, SCHEMA_VERSION, Entry
from .base import FACETS, Hit, Results, SearchQuery, Stats

COLUMNS = [name for name in FIELDS if name != "keys"]
SELECTED = [*COLUMNS, "keys"]


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path | str):
        self.path = str(path)
        self._local = threading.local()
        self._totals: tuple[int, float] | None = None
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
            self._local.connection = connection
        return connection

    @property
    def table(self) -> str:
        return f"entries_v{SCHEMA_VERSION}"

    def _ensure(self) -> None:
        tokenize = get_analyzer("kk_ru_keys").fts5_tokenize
        cols = ", ".join(f"{c} {'TEXT PRIMARY KEY' if c == 'entry_id' else ''}" for c in COLUMNS)
        with self.db:
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({cols}, keys TEXT)")
            self.db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table}_fts USING fts5("
                f"keys, content='{self.table}', content_rowid='rowid', tokenize=\"{tokenize}\")"
            )
            self.db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table}_fts_vocab "
                f"USING fts5vocab({self.table}_fts, 'row')"
            )
            for trigger, body in {
                "ai": f"INSERT INTO {self.table}_fts(rowid, keys) VALUES (new.rowid, new.keys);",
                "ad": f"INSERT INTO {self.table}_fts({self.table}_fts, rowid, keys) "
                "VALUES('delete', old.rowid, old.keys);",
                "au": f"INSERT INTO {self.table}_fts({self.table}_fts, rowid, keys) "
                "VALUES('delete', old.rowid, old.keys); "
                f"INSERT INTO {self.table}_fts(rowid, keys) VALUES (new.rowid, new.keys);",
            }.items():
                event = {"ai": "INSERT", "ad": "DELETE", "au": "UPDATE"}[trigger]
                self.db.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {self.table}_{trigger} AFTER {event} ON "
                    f"{self.table} BEGIN {body} END"
                )

    def upsert(self, entries: list[Entry]) -> None:
        self._totals = None
        names = [*COLUMNS, "keys"]
        placeholders = ", ".join("?" for _ in names)
        with self.db:
            self.db.executemany(
                f"INSERT OR REPLACE INTO {self.table} ({', '.join(names)}) VALUES ({placeholders})",
                [tuple(e.as_dict()[n] for n in names) for e in entries],
            )

    def delete_object(self, object_key: str) -> None:
        self._totals = None
        kind, _sep, pk = object_key.partition(":")
        with self.db:
            if kind == "document":
                self.db.execute(
                    f"DELETE FROM {self.table} WHERE type='clause' AND document_id=?", (int(pk),)
                )
            else:
                self.db.execute(f"DELETE FROM {self.table} WHERE entry_id=?", (object_key,))

    def rebuild(self, entries: list[Entry]) -> None:
        with self.db:
            self.db.execute(f"DELETE FROM {self.table}")
        self.upsert(entries)

    def entries_for(self, prefix: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            f"SELECT entry_id, version FROM {self.table} WHERE entry_id LIKE ? ORDER BY entry_id",
            (prefix.replace("%", "") + "%",),
        )
        return [{"entry_id": r[0], "version": r[1], "index": self.path} for r in rows]

    def all_versions(self) -> dict[str, str]:
        return dict(self.db.execute(f"SELECT entry_id, version FROM {self.table}"))

    def stats(self, keys: list[str]) -> Stats:
        """Entry count and average length are cached until the index changes; a key's
        document frequency comes from FTS5's own vocabulary table (a phrase is counted)."""
        if self._totals is None:
            self._totals = self.db.execute(
                f"SELECT COUNT(*), COALESCE(AVG(length), 0) FROM {self.table}"
            ).fetchone()
        entries, average = self._totals
        fts = f"{self.table}_fts"
        frequency = {}
        for key in keys:
            if " " in key:
                row = self.db.execute(
                    f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH ?",
                    ['"' + key.replace('"', "") + '"'],
                ).fetchone()
            else:
                row = self.db.execute(
                    f"SELECT doc FROM {fts}_vocab WHERE term = ?", [key]
                ).fetchone()
            frequency[key] = row[0] if row else 0
        return Stats(entries=entries, average_length=float(average), frequency=frequency)

    # --- searching ------------------------------------------------------------------------

    def _match(self, query: SearchQuery) -> str:
        joiner = " AND " if query.match_all_words else " OR "
        return joiner.join(
            "(" + " OR ".join('"' + key.replace('"', "") + '"' for key in alternatives) + ")"
            for alternatives in query.words
        )

    def _where(self, query: SearchQuery) -> tuple[str, list[Any]]:
        """Filters other than the words: types, the records the user may see, facets."""
        clauses = [f"e.type IN ({', '.join('?' for _ in query.types)})"]
        params: list[Any] = list(query.types)
        scope = query.records
        if not scope.everything:
            allowed = ["e.unit_id IN ({})".format(", ".join("?" for _ in scope.unit_ids) or "NULL")]
            params_scope: list[Any] = list(scope.unit_ids)
            if scope.series_ids:
                marks = ", ".join("?" for _ in scope.series_ids)
                allowed.append(f"(e.series_id IN ({marks}) AND NOT e.confidential)")
                params_scope += list(scope.series_ids)
            clauses.append(f"(e.type != 'record' OR {' OR '.join(allowed)})")
            params += params_scope
        for name, value in query.filters.items():
            if name in FIELDS and value not in (None, ""):
                clauses.append(f"e.{name} = ?")
                params.append(value)
        return " AND ".join(clauses), params

    def search(self, query: SearchQuery) -> Results:
        where, params = self._where(query)
        fts = f"{self.table}_fts"
        if query.words:
            match = self._match(query)
            source = f"{self.table} e JOIN {fts} ON {fts}.rowid = e.rowid AND {fts} MATCH ?"
            rank, head = f"bm25({fts})", [match]
            counted = f"e.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?) AND {where}"
        else:
            source, rank, head, counted = f"{self.table} e", "0", [], where
        order = ["CASE e.status WHEN 'superseded' THEN 1 ELSE 0 END"]
        if query.definitions_first:
            order.insert(0, "CASE e.role WHEN 'definition' THEN 0 ELSE 1 END")
        order += [rank, "e.entry_id"]
        if query.candidates:
            order = [rank]
        sql = (
            f"SELECT {', '.join('e.' + c for c in SELECTED)}, {rank} FROM {source} "
            f"WHERE {where} ORDER BY {', '.join(order)} LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, [*head, *params, query.limit, query.offset]).fetchall()
        hits = [
            Hit(entry=dict(zip(SELECTED, row[:-1], strict=True)), score=-float(row[-1] or 0))
            for row in rows
        ]
        # The total and every facet from one grouped pass over the matching entries.
        columns = ", ".join(f"e.{name}" for name in FACETS)
        groups = self.db.execute(
            f"SELECT {columns}, COUNT(*) FROM {self.table} e WHERE {counted} GROUP BY {columns}",
            [*head, *params],
        ).fetchall()
        total = sum(row[-1] for row in groups)
        facets: dict[str, dict] = {name: {} for name in FACETS}
        for row in groups:
            for name, value in zip(FACETS, row[:-1], strict=True):
                if value not in (None, ""):
                    facets[name][value] = facets[name].get(value, 0) + row[-1]
        for name in FACETS:
            facets[name] = dict(sorted(facets[name].items(), key=lambda item: -item[1]))
        return Results(hits=hits, total=total, facets=facets)
