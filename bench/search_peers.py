"""The peers that bench/search measures Sapa's search against, each fed the same finished
entries (title and text only: no Sapa analysis) and asked the same queries, with the
permission filter of the viewer where the peer can take one:

- ``BareFts5``: a bare SQLite FTS5 table over title and text (tokenizer unicode61, FTS5's own
  bm25), the filter a WHERE on plain columns of a joined table;
- ``BareTantivy``: a bare tantivy index (default tokenizer, title and text fields), the filter
  a Must clause on fast integer fields;
- ``StockWagtail``: Wagtail's own database search backend over a bench-only
  ``index.Indexed`` model (``backend.add_bulk``, ``backend.search(query, queryset)``), the
  filter a ``.filter()`` on its ``index.FilterField``s.

Also the fixed, seeded set of queries (``queries``) and the viewers (``VIEWERS``).
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

WORD = re.compile(r"[^\W\d_]+")
TOKEN = re.compile(r"[^\W_]+")  # what a bare index's default tokenizer keeps: letters, digits
KAZAKH_FOLD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
TYPE_CODE = {"clause": 1, "form": 2, "record": 3}
BATCH = 5000  # entries per write, as Sapa's upserts in bench/search


@dataclass(frozen=True)
class Viewer:
    """Who searches: ``units`` are the units whose records they may see (a keeper);
    ``records`` False for someone who sees no records at all (staff)."""

    name: str
    units: tuple[int, ...] = ()
    is_authenticated: ClassVar[bool] = True  # as search_for asks of a user

    @property
    def records(self) -> bool:
        return bool(self.units)


VIEWERS = (Viewer("keeper", units=(3, 17)), Viewer("staff"))


def folded(text: str) -> str:
    """``text`` as typed on a Russian keyboard: Kazakh-only letters replaced."""
    return text.translate(KAZAKH_FOLD)


def queries(
    texts: list[str], records: int, clauses: int, extra: list[str]
) -> list[tuple[str, str]]:
    """About 200 (kind, query) pairs, the same for every run with the same corpus: common
    and rare words of the paragraphs, 2- and 3-word runs from them, codes (documents, forms,
    record identifiers), words typed without Kazakh letters, and ``extra`` questions."""
    rng = random.Random(13)
    spread = Counter()  # in how many paragraphs each word occurs
    for text in texts:
        spread.update({w.lower() for w in WORD.findall(text)})
    long = [w for w in sorted(spread) if len(w) >= 4]
    common = sorted(long, key=lambda w: (-spread[w], w))[:120]
    rare = [w for w in long if spread[w] == 1 and len(w) >= 6]
    kazakh = [w for w in long if w != folded(w) and 2 <= spread[w] <= 20]
    out = [("common", w) for w in rng.sample(common, 40)]
    out += [("rare", w) for w in rng.sample(rare, min(40, len(rare)))]
    for size, kind, count in ((2, "2 words", 30), (3, "3 words", 30)):
        runs = set()
        while len(runs) < count:
            words = WORD.findall(rng.choice(texts))
            if len(words) > size:
                i = rng.randrange(len(words) - size)
                runs.add(" ".join(words[i : i + size]))
        out += [(kind, run) for run in sorted(runs)]
    for _ in range(10):
        out.append(("code", f"ҚазҰТЗУ {100 + rng.randrange(min(400, max(clauses, 1)))} ҚП"))
    # Forms and records the keeper may see (bench/search: unit 1 + n % 40).
    visible = [n for n in range(min(records, 40)) if 1 + n % 40 in VIEWERS[0].units]
    for _ in range(10 if visible else 0):
        n = 40 * rng.randrange(max(records // 40, 1)) + rng.choice(visible)
        out.append(("code", f"{700 + n % 30}-{1 + n % 8:02d}"))
    for _ in range(10 if visible else 0):
        n = 40 * rng.randrange(max(records // 40, 1)) + rng.choice(visible)
        out.append(("code", f"{700 + n % 30}-{1 + n % 8:02d}/2024-2025/ИТИ/{n:06d}"))
    out += [("no Kazakh letters", folded(w)) for w in rng.sample(kazakh, min(20, len(kazakh)))]
    out += [("question", q) for q in rng.sample(extra, min(10, len(extra)))]
    return out


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


def disk_size(path: Path | str) -> int:
    """Bytes on disk: a directory's files, or an SQLite file with its WAL."""
    path = Path(path)
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return sum(
        Path(f"{path}{tail}").stat().st_size
        for tail in ("", "-wal", "-shm")
        if Path(f"{path}{tail}").exists()
    )


class Interrupted(Exception):
    """A search ran past its time limit (an SQLite progress handler stopped it)."""


def limited(connection: sqlite3.Connection, seconds: float):
    """Stop the next statement on ``connection`` after ``seconds``: returns a function that
    lifts the limit again."""
    deadline = time.perf_counter() + seconds
    connection.set_progress_handler(lambda: int(time.perf_counter() > deadline), 20_000)
    return lambda: connection.set_progress_handler(None, 0)


class BareFts5:
    name = "bare SQLite FTS5"
    filter = "WHERE on plain columns (type, unit_id)"

    def __init__(self, path: Path, timeout: float):
        self.path, self.timeout = path, timeout
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE entries (rid INTEGER PRIMARY KEY, entry_id TEXT, type INTEGER, "
            "unit_id INTEGER)"
        )
        self.db.execute("CREATE VIRTUAL TABLE entries_fts USING fts5(title, text)")

    def index(self, entries) -> None:
        for i in range(0, len(entries), BATCH):
            chunk = entries[i : i + BATCH]
            with self.db:
                self.db.executemany(
                    "INSERT INTO entries VALUES (?, ?, ?, ?)",
                    [
                        (i + n + 1, e.entry_id, TYPE_CODE[e.type], e.unit_id)
                        for n, e in enumerate(chunk)
                    ],
                )
                self.db.executemany(
                    "INSERT INTO entries_fts (rowid, title, text) VALUES (?, ?, ?)",
                    [(i + n + 1, e.title, e.text) for n, e in enumerate(chunk)],
                )
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def search(self, text: str, viewer: Viewer) -> list[str]:
        words = tokens(text)
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        if viewer.records:
            where = (
                f"(e.type = 1 OR (e.type = 3 AND e.unit_id IN "
                f"({', '.join(str(int(u)) for u in viewer.units)})))"
            )
        else:
            where = "e.type = 1"
        lift = limited(self.db, self.timeout)
        try:
            rows = self.db.execute(
                "SELECT e.entry_id FROM entries_fts f JOIN entries e ON e.rid = f.rowid "
                f"WHERE entries_fts MATCH ? AND {where} ORDER BY f.rank LIMIT 10",
                (match,),
            ).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error):
                raise Interrupted from error
            raise
        finally:
            lift()
        return [r[0] for r in rows]

    def size(self) -> int:
        return disk_size(self.path)


class BareTantivy:
    """Only ``entry_id`` stored, tantivy's default writer (all cores); with ``like_sapa``,
    title and text stored too and one writer thread, as Sapa's tantivy upsert writes."""

    filter = "Must clause on fast int fields (type, unit_id)"

    def __init__(self, path: Path, like_sapa: bool = False):
        import tantivy

        self.like_sapa = like_sapa
        self.name = "bare tantivy" + (" (text stored, 1 thread)" if like_sapa else "")

        self.tantivy = tantivy
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("entry_id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=like_sapa)
        builder.add_text_field("text", stored=like_sapa)
        builder.add_integer_field("type", indexed=True, fast=True)
        builder.add_integer_field("unit_id", indexed=True, fast=True)
        self.schema = builder.build()
        self.reset()

    def reset(self) -> None:
        """An empty index again, for another indexing round."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        self.index_ = self.tantivy.Index(self.schema, path=str(self.path))

    def index(self, entries) -> None:
        Document = self.tantivy.Document
        writer = self.index_.writer(50_000_000, 1) if self.like_sapa else self.index_.writer()
        for i in range(0, len(entries), BATCH):
            for e in entries[i : i + BATCH]:
                writer.add_document(
                    Document(
                        entry_id=e.entry_id,
                        title=e.title,
                        text=e.text,
                        type=TYPE_CODE[e.type],
                        unit_id=e.unit_id or 0,
                    )
                )
            writer.commit()  # as often as Sapa's upserts commit: every BATCH entries
        writer.wait_merging_threads()
        self.index_.reload()
        self.searcher = self.index_.searcher()

    def search(self, text: str, viewer: Viewer) -> list[str]:
        Query, Occur = self.tantivy.Query, self.tantivy.Occur
        words = tokens(text)
        if not words:
            return []
        query = self.index_.parse_query(
            " ".join(words), ["title", "text"], conjunction_by_default=True
        )
        clause = Query.term_query(self.schema, "type", TYPE_CODE["clause"])
        if viewer.records:
            records = Query.boolean_query(
                [
                    (Occur.Must, Query.term_query(self.schema, "type", TYPE_CODE["record"])),
                    (Occur.Must, Query.term_set_query(self.schema, "unit_id", list(viewer.units))),
                ]
            )
            visible = Query.boolean_query([(Occur.Should, clause), (Occur.Should, records)])
        else:
            visible = clause
        whole = Query.boolean_query([(Occur.Must, query), (Occur.Must, visible)])
        hits = self.searcher.search(whole, 10, count=False).hits
        return [self.searcher.doc(address)["entry_id"][0] for _score, address in hits]

    def size(self) -> int:
        return disk_size(self.path)


class StockWagtail:
    """Wagtail's stock database search backend (WAGTAILSEARCH_BACKENDS "default"; on the
    bench's SQLite database its FTS5 implementation) over a bench-only model holding the
    entries' title and text, with ``type`` and ``unit_id`` as ``index.FilterField``s."""

    name = "stock Wagtail (database backend)"
    filter = ".filter() on FilterFields (type, unit_id)"

    def __init__(self, timeout: float, sample: int = 1):
        from django.db import connection, models
        from wagtail.search import index
        from wagtail.search.backends import get_search_backend

        class BenchSearchEntry(index.Indexed, models.Model):
            rid = models.IntegerField(primary_key=True)
            entry_id = models.CharField(max_length=255)
            title = models.TextField()
            text = models.TextField()
            type = models.IntegerField()
            unit_id = models.IntegerField(null=True)

            search_fields = [
                index.SearchField("title"),
                index.SearchField("text"),
                index.FilterField("type"),
                index.FilterField("unit_id"),
            ]

            class Meta:
                app_label = "sapa_search"
                managed = True

            def __str__(self) -> str:
                return self.entry_id

        with connection.schema_editor() as editor:
            editor.create_model(BenchSearchEntry)
        self.model = BenchSearchEntry
        self.backend = get_search_backend("default")
        cls = type(self.backend)
        self.backend_name = f"{cls.__module__}.{cls.__qualname__}"
        self.timeout, self.sample = timeout, sample  # bench/search asks every sample-th query
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.base = disk_size(connection.settings_dict["NAME"])  # Django's own tables

    def index(self, entries) -> None:
        for i in range(0, len(entries), BATCH):
            objs = [
                self.model(
                    rid=i + n + 1,
                    entry_id=e.entry_id,
                    title=e.title,
                    text=e.text,
                    type=TYPE_CODE[e.type],
                    unit_id=e.unit_id,
                )
                for n, e in enumerate(entries[i : i + BATCH])
            ]
            self.model.objects.bulk_create(objs)
            self.backend.add_bulk(self.model, objs)
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def search(self, text: str, viewer: Viewer) -> list[str]:
        from django.db.models import Q

        if viewer.records:
            visible = Q(type=TYPE_CODE["clause"]) | Q(
                type=TYPE_CODE["record"], unit_id__in=list(viewer.units)
            )
        else:
            visible = Q(type=TYPE_CODE["clause"])
        self.connection.ensure_connection()
        lift = limited(self.connection.connection, self.timeout)
        try:
            results = self.backend.search(text, self.model.objects.filter(visible))[:10]
            return [r.entry_id for r in results]
        except Exception as error:
            if "interrupt" in str(error):
                raise Interrupted from error
            raise
        finally:
            lift()

    def size(self) -> int:
        """What the bench database grew by: the model's rows (the text) and Wagtail's index."""
        return disk_size(self.connection.settings_dict["NAME"]) - self.base
