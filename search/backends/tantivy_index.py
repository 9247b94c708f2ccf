"""The tantivy backend: an embedded inverted index (tantivy, a Rust search library, through
tantivy-py) in a directory: the embedded default, no service to run. It scores every
match: candidates are tantivy's BM25 best over all allowed matches, never a window. (It
replaced an SQLite FTS5 index with NumPy filter columns that ranked only the newest 2,000
matches of a type, and was slower, larger and slower to write at 350,000 entries.)

The schema is derived from ``FIELDS``: the "keys" fields (``keys``, ``loose``) go through a
whitespace-only analyzer (the keys arrive computed by ``search.analysis``), with positions
for phrases; "id" and "keyword" fields are single raw terms, "int" and "bool" integers (a
missing number is absent, never 0), all indexed for the permission and facet filters and
stored, those counted or ordered by also fast (columnar, ``FAST_FIELDS``); "text" and
"stored" fields and the version are stored only, packed into one field (``PACKED``).

Layout of the directory (``SAPA_SEARCH_TANTIVY_PATH``)::

    lock                    writers take it (flock) for the length of a write
    current -> v2-...-<t>   the live index, a symlink replaced atomically by a rebuild
    regrouped               the directory and commit the last ``regroup`` wrote
    v2-<fields>-<t>/        tantivy's files

Several processes share it (web workers, ``search_index sync``, tests): tantivy allows one
writer per index, so a writer is created only while writing, under the lock, and dropped
after its commit, or, for a drain's run of many commits (``session``), after the last one.
Readers compare ``meta.json`` (and the ``current`` link) before each search
and reload when another process committed.

A record's words that leave it (the record destroyed or deleted, disposed down to its
description, a file removed, its text edited) must not stay readable in the files: tantivy
only marks deleted documents until a merge. After a commit that removed such words, the
segments holding deleted documents are written again without them (their live documents
re-added, the emptied segments dropped, their files collected); that costs time in
proportion to those segments' size (``_purge``), so it is done only then. Every other
replacement (a record that keeps its words and gains some, a clause, a form: the published
regulations) leaves the old copy marked deleted, never found, until tantivy's own merges.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import struct
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any

import tantivy

from ..ranking import LOOSE_WEIGHT
from ..schema import FIELDS, SCHEMA_VERSION, Entry
from .base import FACETS, Hit, Results, SearchQuery, Stats

KEYS_TOKENIZER = "sapa_keys"
KEYS_FIELDS = [name for name, kind in FIELDS.items() if kind == "keys"]  # keys, loose
WORD_FIELDS = [name for name, kind in FIELDS.items() if kind in ("id", "keyword")]
NUMBER_FIELDS = [name for name, kind in FIELDS.items() if kind == "int"]
FLAG_FIELDS = [name for name, kind in FIELDS.items() if kind == "bool"]
# Kept to be read back, never looked for: what a result shows and the version, packed into
# one stored field, SHOWN (``_pack``). At a million entries, the version indexed (a term of
# its own for nearly every entry) cost the writer 4 to 8% of its rate, and these fields
# stored one by one another 3 to 9%.
PACKED = tuple(
    name for name, kind in FIELDS.items() if kind in ("text", "stored") or name == "version"
)
SHOWN = "shown"
PACKING = 1  # how ``_pack`` lays them out: a change names a new index directory
FILTERABLE = {*WORD_FIELDS, *NUMBER_FIELDS, *FLAG_FIELDS} - set(PACKED) - {"entry_id"}
TYPES = ("clause", "form", "record")
# Every index directory is named after the schema version and the fields, so that a change of
# either opens a new, empty index (filled by ``search_index rebuild``) instead of a mismatch.
# Fast (columnar) fields: what is counted (the facets, the types, the roles), ordered by
# (entry_id) or averaged (length). The other filters are matched in the inverted index only:
# each fast field costs the writer time on every entry.
FAST_FIELDS = frozenset({*FACETS, "type", "role", "entry_id", "length"})
FINGERPRINT = hashlib.sha256(
    json.dumps([FIELDS, sorted(FAST_FIELDS), PACKED, PACKING], sort_keys=True).encode()
).hexdigest()[:8]
PREFIX = f"v{SCHEMA_VERSION}-{FINGERPRINT}-"
CURRENT = "current"
REGROUPED = "regrouped"  # the directory and commit (opstamp) the last regroup wrote
LOCK = "lock"
WRITER_HEAP = 50_000_000  # bytes: 5,000 entries take 15-20 MB of it; a larger heap is no faster
# One indexing thread: one new segment per commit. Two index no faster on 2 cores, where
# the upsert's own thread converts the entries meanwhile, and leave twice the segments.
WRITER_THREADS = 1
REBUILD_HEAP = 400_000_000
PURGE_HEAP = 200_000_000
# From this many entries an upsert first asks whether the index holds any of them: when it
# holds none, their deletes (a tenth of a bulk upsert's time) are not written at all.
NEW_ENTRIES_CHECK = 100
FACET_SIZE = 65_000  # distinct values per facet: every one is counted


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name, kind in FIELDS.items():
        if name in PACKED:
            continue
        if kind == "keys":
            builder.add_text_field(name, stored=True, tokenizer_name=KEYS_TOKENIZER)
        elif kind in ("id", "keyword"):
            builder.add_text_field(
                name, stored=True, fast=name in FAST_FIELDS, tokenizer_name="raw"
            )
        elif kind in ("int", "bool"):
            builder.add_integer_field(name, stored=True, indexed=True, fast=name in FAST_FIELDS)
        else:
            raise ValueError(f"field {name!r}: unknown kind {kind!r}")
    builder.add_bytes_field(SHOWN, stored=True)
    return builder.build()


SCHEMA = _schema()
# Each field's type as an index's meta.json names it: a copied index is adopted only when
# these are its fields, each with its type (an older index, its shown fields one by one and
# its version indexed, is not).
_TYPE_OF_KIND = {"keys": "text", "id": "text", "keyword": "text", "int": "i64", "bool": "i64"}
_FIELD_TYPES = {
    name: _TYPE_OF_KIND[kind] for name, kind in FIELDS.items() if name not in PACKED
} | {SHOWN: "bytes"}
# A packed value: the length of each field's text (in characters), then the texts one after
# another, in UTF-8.
_LENGTHS = struct.Struct(f"<{len(PACKED)}I")
KEYS_ANALYZER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def _any(field: str, values) -> tantivy.Query:
    """Entries whose ``field`` is one of ``values``: a few term queries ORed (tantivy's term
    set query costs half a millisecond per search whatever the index size); many (a bulk of
    records' ids), one term set query, a seventh of the cost of as many terms ORed."""
    values = list(dict.fromkeys(values))
    if len(values) > 64:
        return tantivy.Query.term_set_query(SCHEMA, field, values)
    terms = [tantivy.Query.term_query(SCHEMA, field, value) for value in values]
    if len(terms) == 1:
        return terms[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, term) for term in terms])


# Every field with its kind, and one getter of all their values (one C call per entry):
# what ``_document`` loops over, made once, so that a bulk pays no per-field lookup.
_KINDS = [(name, kind) for name, kind in FIELDS.items() if name not in PACKED]
_VALUES = attrgetter(*(name for name, _kind in _KINDS))
_PACKED_VALUES = attrgetter(*PACKED)
_from_dict = tantivy.Document.from_dict


_HELPER: ThreadPoolExecutor | None = None


def _helper() -> ThreadPoolExecutor:
    """One thread of this process that runs a search's second tantivy pass."""
    global _HELPER
    if _HELPER is None:
        _HELPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sapa-tantivy")
    return _HELPER


def _forget_helper() -> None:
    global _HELPER
    _HELPER = None  # a forked child has none of its parent's threads


os.register_at_fork(after_in_child=_forget_helper)


def _check(entries: list[Entry]) -> None:
    for entry in entries:
        if entry.type not in TYPES:
            raise ValueError(f"unknown entry type {entry.type!r}")


def _document(entry: Entry) -> tantivy.Document:
    """The tantivy document of ``entry``: a flag is always there (0 or 1); any other field
    that is None or "" is absent (never counted in a facet, never matched by a filter)."""
    if entry.type not in TYPES:
        raise ValueError(f"unknown entry type {entry.type!r}")
    values: dict[str, Any] = {}
    for (name, kind), value in zip(_KINDS, _VALUES(entry), strict=True):
        if kind == "bool":
            values[name] = 1 if value else 0
        elif value is None or value == "":
            continue
        elif kind == "int":
            values[name] = int(value)
        else:
            values[name] = str(value)
    values[SHOWN] = _pack(_PACKED_VALUES(entry))
    return _from_dict(values, SCHEMA)


def _pack(values) -> bytes:
    """``PACKED``'s values (None or "" as empty) as one stored value: their lengths first, so
    that any text, whatever characters it holds, is read back whole."""
    texts = [str(value) if value else "" for value in values]
    return _LENGTHS.pack(*map(len, texts)) + "".join(texts).encode()


def _unpack(packed: bytes | None) -> dict[str, str]:
    """``PACKED``'s values, each as text ("" when empty), from ``_pack``'s bytes: decoded at
    once, then cut at the lengths (in characters)."""
    if not packed:
        return dict.fromkeys(PACKED, "")
    whole, out, start = packed[_LENGTHS.size :].decode(), {}, 0
    for name, length in zip(PACKED, _LENGTHS.unpack_from(packed), strict=True):
        out[name] = whole[start : start + length]
        start += length
    return out


def _words(held) -> set[str]:
    """The keys of an entry or a stored document, exact and loose."""
    if isinstance(held, Entry):
        return {*held.keys.split(), *held.loose.split()}
    return {word for name in KEYS_FIELDS for word in (held.get_first(name) or "").split()}


# What ``_entry`` starts from: every field empty (a flag False, a number None, text ""), and
# which fields it must turn from stored bytes into text or from 0/1 into a flag.
_EMPTY = {
    name: None if kind == "int" else False if kind == "bool" else ""
    for name, kind in FIELDS.items()
}
_AS_FLAG = tuple(name for name, kind in FIELDS.items() if kind == "bool")


def _entry(document: tantivy.Document) -> dict[str, Any]:
    entry = _EMPTY.copy()
    for name, values in document.to_dict().items():
        if values:
            entry[name] = values[0]
    entry.update(_unpack(entry.pop(SHOWN, None)))
    for name in _AS_FLAG:
        entry[name] = bool(entry[name])
    return entry


class _Session:
    """The live index of a writing session and its writer, made when first asked for."""

    def __init__(self, index: tantivy.Index, name: str):
        self.index, self.name = index, name
        self._writer = None

    def writer(self):
        if self._writer is None:
            self._writer = self.index.writer(WRITER_HEAP, WRITER_THREADS)
        return self._writer

    def close(self) -> None:
        """Merges finished and the writer dropped (tantivy's lock on the index released)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.wait_merging_threads()


class TantivyBackend:
    name = "tantivy"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._guard = threading.RLock()
        self._directory: str = ""  # the index directory this object has open
        self._index: tantivy.Index | None = None
        self._generation: tuple | None = None
        self._searcher: tantivy.Searcher | None = None
        self._stats: dict[Any, Any] = {}
        self._batch: tuple[int, Any] | None = None  # (thread, writer) inside ``batch()``
        self._session: tuple[int, _Session] | None = None  # (thread, …) inside ``session()``
        # Records deleted by the write under way, with the keys they held: a record re-added
        # with every one of those keys leaves nothing to purge; any other one does.
        self._removed: dict[str, set[str]] = {}

    # --- the directory ------------------------------------------------------------------

    @property
    def index_name(self) -> str:
        """The live index directory's name (it changes with each rebuild)."""
        return self._live()

    def _live(self) -> str:
        """The name of the live index directory, created when there is none for this
        schema (a new installation, or an upgrade: empty until the rebuild)."""
        name = self._live_if_ready()
        if name:
            return name
        with self._locked():
            return self._live_locked()

    def _live_if_ready(self) -> str:
        """The live directory's name when it holds an index of this schema, else ""."""
        try:
            name = os.readlink(self.path / CURRENT)
        except FileNotFoundError:
            return ""
        except OSError:  # a directory, not a link: see ``_adopt_copied``
            return ""
        if name.startswith(PREFIX) and (self.path / name / "meta.json").exists():
            return name
        return ""

    def _live_locked(self) -> str:
        name = self._live_if_ready() or self._adopt_copied()
        if name:
            return name
        name = self._new_directory()
        tantivy.Index(SCHEMA, str(self.path / name), reuse=False)
        self._swap(name)
        return name

    def _adopt_copied(self) -> str:
        """A folder copied by a tool that follows links (``cp -r``, ``shutil.copytree``)
        holds the live index as a directory named ``current``: it becomes an index directory
        of its own again, linked, when its fields are this schema's; otherwise it goes and an
        empty index waits for ``search_index rebuild``."""
        copied = self.path / CURRENT
        if copied.is_symlink() or not copied.is_dir():
            return ""
        name = self._new_directory()
        os.rmdir(self.path / name)
        os.rename(copied, self.path / name)
        try:
            fields = json.loads((self.path / name / "meta.json").read_text())["schema"]
            same = {field["name"]: field["type"] for field in fields} == _FIELD_TYPES
        except (OSError, ValueError, KeyError, TypeError):
            same = False
        if not same:
            shutil.rmtree(self.path / name, ignore_errors=True)
            return ""
        self._swap(name)
        return name

    def _new_directory(self) -> str:
        stamp = f"{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**9:09d}"
        name = f"{PREFIX}{stamp}"
        (self.path / name).mkdir()
        return name

    def _swap(self, name: str) -> None:
        """Point ``current`` at ``name`` in one rename, then delete every other index
        directory (another process still reading one keeps its open files until it
        follows the link on its next search)."""
        temporary = self.path / f".{CURRENT}-{os.getpid()}-{threading.get_ident()}"
        if temporary.is_symlink():
            temporary.unlink()
        os.symlink(name, temporary)
        os.replace(temporary, self.path / CURRENT)
        for other in self.path.iterdir():
            if other.is_dir() and not other.is_symlink() and other.name != name:
                shutil.rmtree(other, ignore_errors=True)

    def _open(self, name: str) -> tantivy.Index:
        index = tantivy.Index.open(str(self.path / name))
        index.register_tokenizer(KEYS_TOKENIZER, KEYS_ANALYZER)
        index.config_reader("manual")  # reloaded by ``_reader`` when meta.json changes
        return index

    def _reader(self) -> tuple[tantivy.Index, tantivy.Searcher]:
        """The index and a searcher of its latest commit, whichever process made it."""
        with self._guard:
            for attempt in range(3):
                name = self._live()
                try:
                    meta = os.stat(self.path / name / "meta.json")
                    if name != self._directory or self._index is None:
                        self._index, self._directory = self._open(name), name
                        self._generation = None
                    generation = (name, meta.st_ino, meta.st_mtime_ns, meta.st_size)
                    if generation != self._generation:
                        self._index.reload()
                        self._searcher = self._index.searcher()
                        self._generation, self._stats = generation, {}
                    return self._index, self._searcher
                except (FileNotFoundError, ValueError):
                    # A rebuild swapped the link and removed this directory meanwhile.
                    self._directory, self._index = "", None
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        """The writers' lock: one writer at a time across processes and threads (flock is
        held per open file, so two objects in one process wait for each other too)."""
        with self._guard:
            fd = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    @contextmanager
    def session(self):
        """Writes made inside (by this thread) share one writer, each still committed on its
        own: a drain's run of many batches. The writers' lock is held throughout (searches by
        other threads of this process wait for it, as they wait for any write); the merges a
        commit starts are waited for once, when the session ends, instead of after every
        commit. A commit that removed a record's words is purged at once, as outside a
        session (``_purge``): the writer is then dropped and made again."""
        if self._in_session():
            yield self
            return
        with self._locked():
            name = self._live_locked()
            held = _Session(self._open(name), name)
            self._session = (threading.get_ident(), held)
            try:
                yield self
            finally:
                self._session = None
                held.close()
        self._stats = {}

    def _in_session(self) -> bool:
        return self._session is not None and self._session[0] == threading.get_ident()

    @contextmanager
    def _writer(self):
        """The session's writer (one made for this write outside a session): committed when
        the block ends (rolled back when it raises), then the deleted documents purged when a
        record lost words."""
        if not self._in_session():
            with self.session(), self._writer() as writer:
                yield writer
            return
        held = self._session[1]
        writer = held.writer()
        self._removed = {}
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            self._removed = {}
            raise
        if self._removed:
            held.close()  # merges finish and the writer is released: the purge writes
            self._purge_if_words_left(held.index, self.path / held.name)
        self._stats = {}

    def _in_batch(self) -> bool:
        return self._batch is not None and self._batch[0] == threading.get_ident()

    @contextmanager
    def batch(self):
        """Writes made inside (by this thread) share one writer, one commit and one purge:
        for a drain of many objects, where each ``index_object`` deletes then upserts.
        Searches inside see the index as it was before the batch."""
        if self._in_batch():
            yield self
            return
        with self._writer() as writer:
            self._batch = (threading.get_ident(), writer)
            try:
                yield self
            finally:
                self._batch = None

    def _write(self, change) -> None:
        """``change(writer)`` committed on the live index (``_writer``); inside ``batch()``,
        only applied to the batch's writer."""
        if self._in_batch():
            change(self._batch[1])
            return
        with self._writer() as writer:
            change(writer)

    def _purge_if_words_left(self, index: tantivy.Index, directory: Path) -> None:
        removed, self._removed = self._removed, {}
        if removed:
            self._purge(index, directory)

    def _record_keys(self, entry_ids: list[str]) -> dict[str, set[str]]:
        """The keys (exact and loose) each of these record entries holds in the last commit."""
        if not entry_ids:
            return {}
        _index, searcher = self._reader()
        held = {}
        for address in self._all(searcher, _any("entry_id", entry_ids)):
            document = searcher.doc(address)
            held[document.get_first("entry_id")] = _words(document)
        return held

    def _purge(self, index: tantivy.Index, directory: Path) -> None:
        """Write the segments holding deleted documents again without them: their live
        documents are re-added (a delete then an add, one commit), so the segments are left
        empty, dropped at the commit, and their files collected. The deleted entries' text
        and keys leave the files; the cost is re-indexing those segments' live documents.

        The segments are found in meta.json and matched to the searcher's segment ordinals
        by their live counts; when a fresh reader does not match meta.json exactly, nothing
        is rewritten (a guess could re-add stale documents) and it is asked again."""
        for _attempt in range(3):
            segments = json.loads((directory / "meta.json").read_text())["segments"]
            deleted = [(s.get("deletes") or {}).get("num_deleted_docs", 0) for s in segments]
            dirty = [i for i, n in enumerate(deleted) if n]
            if not dirty:
                return
            alive = [s["max_doc"] - n for s, n in zip(segments, deleted, strict=True)]
            fresh = self._open(directory.name)  # a reader of exactly this commit
            searcher = fresh.searcher()
            addresses: dict[int, list] = defaultdict(list)
            if searcher.num_docs:
                for _score, address in searcher.search(
                    tantivy.Query.all_query(), searcher.num_docs, count=False
                ).hits:
                    addresses[address.segment_ord].append(address)
            if [len(addresses.get(i, ())) for i in range(len(segments))] != alive or sum(
                len(found) for found in addresses.values()
            ) != sum(alive):
                time.sleep(0.05)
                continue
            writer = index.writer(PURGE_HEAP, 1)  # the rewritten segments as one
            try:
                for ordinal in dirty:
                    for address in addresses[ordinal]:
                        document = searcher.doc(address)
                        writer.delete_documents_by_term("entry_id", document.get_first("entry_id"))
                        writer.add_document(document)
                writer.commit()
                writer.garbage_collect_files()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
                del writer
            after = json.loads((directory / "meta.json").read_text())["segments"]
            kept = sum(
                s["max_doc"] - (s.get("deletes") or {}).get("num_deleted_docs", 0) for s in after
            )
            if kept != sum(alive):
                raise RuntimeError(
                    f"search index {directory}: {sum(alive)} entries before the purge, {kept} after"
                )
        raise RuntimeError(f"search index {directory}: deleted entries could not be purged")

    def upsert(self, entries: list[Entry]) -> None:
        """Replace the entries (by entry id): a delete then an add each, one commit.

        Each entry is converted just before it is added, so that the writer's indexing
        thread indexes the previous ones meanwhile (converted all first, it waited idle for
        them); an entry that cannot be converted rolls the whole write back. Many entries
        none of which the index holds (``_all_new``) are added without deletes."""
        _check(entries)
        if not entries:
            return

        def change(writer) -> None:
            add = writer.add_document
            if self._all_new(entries):  # none held before: no record can have lost a word
                for entry in entries:
                    add(_document(entry))
                return
            records = [entry for entry in entries if entry.type == "record"]
            fresh = [e.entry_id for e in records if e.entry_id not in self._removed]
            self._removed.update(self._record_keys(fresh))
            for entry in records:
                held = self._removed.get(entry.entry_id)
                if held is not None and held <= _words(entry):
                    del self._removed[entry.entry_id]  # it lost no word
            delete = writer.delete_documents_by_term
            for entry in entries:
                delete("entry_id", entry.entry_id)
                add(_document(entry))

        self._write(change)

    def _all_new(self, entries: list[Entry]) -> bool:
        """Inside a write of its own (not a batch: its writer has written nothing yet), whether
        none of these many entries is in the index nor twice among them, so that adding them
        needs no delete. Asked of a reader opened now, under the writers' lock: exactly the
        last commit, the one the writer adds to."""
        if self._batch is not None or len(entries) < NEW_ENTRIES_CHECK:
            return False
        ids = [entry.entry_id for entry in entries]
        if len(set(ids)) != len(ids):
            return False
        name = self._live_if_ready()
        if not name:
            return False
        searcher = self._open(name).searcher()
        if not searcher.num_docs:
            return True
        return not searcher.search(_any("entry_id", ids), 1, count=False).hits

    def delete_object(self, object_key: str) -> None:
        """ "document:12": every clause of document 12; "form:3", "record:7": that entry."""
        kind, _sep, pk = object_key.partition(":")
        if kind == "document":
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "type", "clause")),
                    (tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "document_id", int(pk))),
                ]
            )
            self._write(lambda writer: writer.delete_documents_by_query(query))
        else:

            def change(writer) -> None:
                if kind == "record" and object_key not in self._removed:
                    self._removed.update(self._record_keys([object_key]))
                writer.delete_documents_by_term("entry_id", object_key)

            self._write(change)

    def rebuild(self, entries: list[Entry]) -> None:
        """A complete new index in a new directory, then ``current`` swapped to it in one
        rename and the old directory removed: searches never see a half-built index. Each
        entry is converted as it is added (the indexing threads work meanwhile, and a million
        entries are never held twice); one that cannot be converted leaves no directory."""
        _check(entries)
        if self._batch is not None:
            raise RuntimeError("a rebuild cannot run inside a batch of writes")
        with self._locked():
            name, _written = self._write_new(_document(entry) for entry in entries)
            self._swap(name)
        self._stats = {}

    def _write_new(self, documents) -> tuple[str, int]:
        """A new index directory holding ``documents`` (tantivy documents, each made as it is
        asked for), committed; nothing is left of it when one fails. Its name and count."""
        name = self._new_directory()
        try:
            index = tantivy.Index(SCHEMA, str(self.path / name), reuse=False)
            index.register_tokenizer(KEYS_TOKENIZER, KEYS_ANALYZER)
            writer = index.writer(REBUILD_HEAP, 0)
            try:
                written = 0
                add = writer.add_document
                for document in documents:
                    add(document)
                    written += 1
                writer.commit()
            finally:
                writer.wait_merging_threads()
                del writer
        except BaseException:
            shutil.rmtree(self.path / name, ignore_errors=True)
            raise
        return name, written

    def regroup(self) -> int | None:
        """Write the live index again into a new directory, its entries in the order a
        permission filter reads them (the regulations, then each organisation's records unit
        by unit), and swap it in; returns how many entries it holds, or None when nothing was
        written since the last regroup.

        Entries are written in the order they change: after years, a unit's records lie one
        in forty among the others', and a keeper's search, which reads only their units'
        records, steps through every other record that holds its words. Grouped, it skips
        them by blocks (``bench/search``). Run nightly (README); what is written during the
        day lands after the groups until the next night. Deleted entries are not written, so
        nothing they held stays in the files. The writers' lock is held throughout: writes
        wait (at a million entries, 45 to 65 s on this 2-core machine), searches do not."""
        if self._batch is not None or self._session is not None:
            raise RuntimeError("a regroup cannot run inside a batch or a session of writes")
        with self._locked():
            live = self._live_locked()
            meta = json.loads((self.path / live / "meta.json").read_text())
            done = self.path / REGROUPED
            stamp = f"{live} {meta.get('opstamp')}"
            if done.exists() and done.read_text() == stamp:
                return None
            searcher = self._open(live).searcher()
            name, written = self._write_new(
                searcher.doc(address)
                for addresses in self._groups(searcher)
                for address in addresses
            )
            if written != searcher.num_docs:
                shutil.rmtree(self.path / name, ignore_errors=True)
                raise RuntimeError(
                    f"search index {live}: {searcher.num_docs} entries, {written} regrouped"
                )
            self._swap(name)
            after = json.loads((self.path / name / "meta.json").read_text())
            done.write_text(f"{name} {after.get('opstamp')}")
        self._stats = {}
        return written

    def _groups(self, searcher: tantivy.Searcher):
        """The live entries' addresses, group by group (``regroup``): the entries that are not
        records, then the records of each organisation and unit, then any record without
        them; each group in the index's order. Every entry once."""
        order = lambda address: address.segment_ord << 32 | address.doc  # noqa: E731
        record = tantivy.Query.term_query(SCHEMA, "type", "record")
        seen: set[int] = set()  # (one int an entry: 60 MB at a million)

        def of(query: tantivy.Query) -> list:
            found = sorted(self._all(searcher, query), key=order)
            found = [a for a in found if order(a) not in seen]
            seen.update(map(order, found))
            return found

        yield of(
            tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, record)]
            )
        )
        counted = searcher.aggregate(
            record,
            {
                "organisation_id": {
                    "terms": {"field": "organisation_id", "size": FACET_SIZE},
                    "aggs": {"unit_id": {"terms": {"field": "unit_id", "size": FACET_SIZE}}},
                }
            },
        )
        for organisation in sorted(
            counted["organisation_id"]["buckets"], key=lambda bucket: int(bucket["key"])
        ):
            for unit in sorted(organisation["unit_id"]["buckets"], key=lambda b: int(b["key"])):
                yield of(
                    tantivy.Query.boolean_query(
                        [
                            (tantivy.Occur.Must, record),
                            (
                                tantivy.Occur.Must,
                                self._equal("organisation_id", int(organisation["key"])),
                            ),
                            (tantivy.Occur.Must, self._equal("unit_id", int(unit["key"]))),
                        ]
                    )
                )
        yield of(tantivy.Query.all_query())  # records without an organisation or a unit

    # --- reading ------------------------------------------------------------------------

    def _all(self, searcher: tantivy.Searcher, query: tantivy.Query) -> list:
        if not searcher.num_docs:
            return []
        return [
            address for _s, address in searcher.search(query, searcher.num_docs, count=False).hits
        ]

    def entries_for(self, prefix: str) -> list[dict[str, Any]]:
        _index, searcher = self._reader()
        pattern = "".join("\\" + c if c in "\\.+*?()|[]{}^$#&-~" else c for c in prefix) + ".*"
        query = tantivy.Query.regex_query(SCHEMA, "entry_id", pattern)
        rows = []
        for address in self._all(searcher, query):
            document = searcher.doc(address)
            rows.append(
                {
                    "entry_id": document.get_first("entry_id"),
                    "version": _unpack(document.get_first(SHOWN))["version"],
                    "index": self._directory,
                }
            )
        return sorted(rows, key=lambda row: row["entry_id"])

    def all_versions(self) -> dict[str, str]:
        _index, searcher = self._reader()
        out = {}
        for address in self._all(searcher, tantivy.Query.all_query()):
            document = searcher.doc(address)
            out[document.get_first("entry_id")] = _unpack(document.get_first(SHOWN))["version"]
        return out

    def stats(self, keys: list[str], loose: list[str] = ()) -> Stats:
        """Entries with keys and their average length (one stats aggregation), and each
        key's document frequency from tantivy's term dictionary (a phrase: its matches
        counted); remembered until the index changes."""
        _index, searcher = self._reader()
        cache = self._stats
        if "" not in cache:
            with_keys = tantivy.Query.range_query(
                SCHEMA, "length", tantivy.FieldType.Integer, lower_bound=1
            )
            found = searcher.aggregate(with_keys, {"length": {"stats": {"field": "length"}}})
            counted = found.get("length") or {}
            cache[""] = (int(counted.get("count") or 0), float(counted.get("sum") or 0.0))
        entries, total = cache[""]
        return Stats(
            entries=entries,
            average_length=total / entries if entries else 0.0,
            frequency={key: self._frequency(searcher, "keys", key) for key in keys},
            loose_frequency={key: self._frequency(searcher, "loose", key) for key in loose},
        )

    def _frequency(self, searcher: tantivy.Searcher, field: str, key: str) -> int:
        remembered = (field, key)
        if remembered not in self._stats:
            parts = key.split()
            if len(parts) > 1:
                query = tantivy.Query.phrase_query(SCHEMA, field, parts)
                self._stats[remembered] = searcher.search(query, 1, count=True).count
            elif parts:
                self._stats[remembered] = searcher.doc_freq(field, parts[0])
            else:
                self._stats[remembered] = 0
        return self._stats[remembered]

    # --- searching ----------------------------------------------------------------------

    @staticmethod
    def _keys(field: str, key: str) -> tantivy.Query | None:
        parts = key.split()
        if len(parts) > 1:
            return tantivy.Query.phrase_query(SCHEMA, field, parts)
        if parts:
            return tantivy.Query.term_query(SCHEMA, field, parts[0])
        return None

    def _words(self, query: SearchQuery, allowed: list) -> tantivy.Query | None:
        """Each word: the best of its alternative keys in ``keys`` and its loose keys in
        ``loose`` (at LOOSE_WEIGHT), as the final ranking scores a word; an entry must hold
        every word, or ``required_words`` of them.

        A phrase alternative ("білім алуш" for студент) is asked together with ``allowed``
        (scored 0, so the scores are unchanged): tantivy walks a union of alternatives entry
        by entry, and a phrase in it had its positions checked across the whole index when
        only a few units' records may be seen (at a million entries, the slowest keeper
        query went from 73 to 52 ms). Every alternative asked so was slower: the filter is
        then read once per alternative."""
        if not query.words:
            return None
        words = []
        for i, alternatives in enumerate(query.words):
            either = [
                tantivy.Query.boolean_query([(tantivy.Occur.Must, q), *allowed])
                if " " in key
                else q
                for key in alternatives
                if (q := self._keys("keys", key)) is not None
            ]
            for key in query.loose[i] if i < len(query.loose) else ():
                if (q := self._keys("loose", key)) is not None:
                    either.append(tantivy.Query.boost_query(q, LOOSE_WEIGHT))
            if query.fuzzy:
                loose = query.loose[i] if i < len(query.loose) else ()
                either += [
                    tantivy.Query.fuzzy_term_query(SCHEMA, name, key, query.fuzzy)
                    for name, keys in (("keys", alternatives), ("loose", loose))
                    for key in keys
                    if key and " " not in key
                ]
            if not either:
                words.append(tantivy.Query.empty_query())
            elif len(either) == 1:
                words.append(either[0])
            else:
                words.append(tantivy.Query.disjunction_max_query(either))
        need = query.required_words or len(words)
        if need >= len(words):
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, w) for w in words])
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, w) for w in words], minimum_number_should_match=need
        )

    @staticmethod
    def _equal(name: str, value: Any) -> tantivy.Query:
        if name in FLAG_FIELDS:
            flag = value if isinstance(value, bool) else str(value).lower() in ("1", "true")
            return tantivy.Query.term_query(SCHEMA, name, int(flag))
        if name in NUMBER_FIELDS:
            try:
                return tantivy.Query.term_query(SCHEMA, name, int(value))
            except (TypeError, ValueError):
                return tantivy.Query.empty_query()
        return tantivy.Query.term_query(SCHEMA, name, str(value))

    def _allowed(self, query: SearchQuery) -> list | None:
        """The clauses that keep only what the asking user may get: the types, the records
        the user may see, the documents not hidden, the facet filters. None: nothing."""
        scope = query.records
        types = [t for t in dict.fromkeys(query.types) if scope.some or t != "record"]
        if not types:
            return None
        # Every type asked: no type clause (it would match every entry, and tantivy reads
        # it for each match).
        must = [] if set(types) == set(TYPES) else [_any("type", types)]
        if "record" in types and not scope.everything:
            visible = []
            others = [t for t in types if t != "record"]
            if others:
                visible.append(_any("type", others))
            if scope.unit_ids:
                visible.append(_any("unit_id", list(scope.unit_ids)))
            if scope.organisation_ids:
                visible.append(_any("organisation_id", list(scope.organisation_ids)))
            if scope.series_ids:
                visible.append(
                    tantivy.Query.boolean_query(
                        [
                            (
                                tantivy.Occur.Must,
                                _any("series_id", list(scope.series_ids)),
                            ),
                            (
                                tantivy.Occur.Must,
                                tantivy.Query.term_query(SCHEMA, "confidential", 0),
                            ),
                        ]
                    )
                )
            must.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, v) for v in visible]))
        for name, value in query.filters.items():
            if name in FILTERABLE and value not in (None, ""):
                must.append(self._equal(name, value))
        if query.entry_ids:
            must.append(_any("entry_id", query.entry_ids))
        clauses = [(tantivy.Occur.Must, q) for q in must or [tantivy.Query.all_query()]]
        if query.hidden_documents:
            clauses.append((tantivy.Occur.MustNot, _any("document_id", query.hidden_documents)))
        # Scored 0: the score is the words' BM25 alone.
        return [
            (
                tantivy.Occur.Must,
                tantivy.Query.const_score_query(tantivy.Query.boolean_query(clauses), 0.0),
            )
        ]

    def search(self, query: SearchQuery) -> Results:
        _index, searcher = self._reader()
        allowed = self._allowed(query)
        empty = Results(hits=[], total=0, facets={name: {} for name in FACETS})
        if allowed is None:
            return empty
        words = self._words(query, allowed)
        matched = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, words or tantivy.Query.all_query()), *allowed]
        )
        aggregations = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS} | {
            "type": {"terms": {"field": "type", "size": 10}}
        }
        if not query.candidates and query.definitions_first:
            aggregations["role"] = {
                "terms": {"field": "role", "size": 10},
                "aggs": {"status": {"terms": {"field": "status", "size": FACET_SIZE}}},
            }
        hits = None
        if not query.counted and query.candidates and words is not None and query.limit > 0:
            found = searcher.search(matched, query.offset + query.limit, count=True)
            hits = [
                Hit(entry=_entry(searcher.doc(address)), score=float(score))
                for score, address in found.hits[query.offset :]
            ]
            return Results(hits=hits, total=found.count, facets=empty.facets)
        if query.candidates and words is not None and query.limit > 0:
            # The best candidates and the counts are two passes over the matches: tantivy
            # leaves the interpreter free meanwhile, so they run at once on two cores, and
            # the candidates are read from the store while the counting goes on.
            wanted = query.offset + query.limit
            future = _helper().submit(searcher.aggregate, matched, aggregations)
            try:
                top = searcher.search(matched, wanted, count=False).hits[query.offset :]
                hits = [
                    Hit(entry=_entry(searcher.doc(address)), score=float(score))
                    for score, address in top
                ]
            finally:
                counted = future.result()
        else:
            counted = searcher.aggregate(matched, aggregations)
        total = sum(b["doc_count"] for b in counted["type"]["buckets"])
        facets = {}
        for name in FACETS:
            pairs = [
                (int(b["key"]) if name in NUMBER_FIELDS else b["key"], b["doc_count"])
                for b in counted[name]["buckets"]
                if b["key"] not in ("", None)
            ]
            facets[name] = dict(sorted(pairs, key=lambda item: (-item[1], item[0])))
        if hits is not None:
            return Results(hits=hits, total=total, facets=facets)
        if query.limit <= 0 or query.offset >= total:
            found = []
        else:
            found = self._ordered(searcher, query, matched, words is not None, counted, facets)
        hits = [
            Hit(entry=_entry(searcher.doc(address)), score=float(score) if words else 0.0)
            for score, address in found
        ]
        return Results(hits=hits, total=total, facets=facets)

    def _ordered(self, searcher, query, matched, scored: bool, counted, facets) -> list:
        """The page of a non-candidate search: definitions first when asked, current before
        superseded, the best score, the entry id. Each of those groups is asked apart (its
        size known from the aggregation), so only the page and what ties with it is read."""
        total = sum(b["doc_count"] for b in counted["type"]["buckets"])
        superseded = facets["status"].get("superseded", 0)
        old = tantivy.Query.term_query(SCHEMA, "status", "superseded")
        if query.definitions_first:
            role = {b["key"]: b for b in counted["role"]["buckets"]}.get("definition")
            definitions = role["doc_count"] if role else 0
            statuses = {b["key"]: b["doc_count"] for b in role["status"]["buckets"]} if role else {}
            old_definitions = statuses.get("superseded", 0)
            defined = tantivy.Query.term_query(SCHEMA, "role", "definition")
            groups = [
                ([defined], [old], definitions - old_definitions),
                ([defined, old], [], old_definitions),
                ([], [defined, old], total - definitions - (superseded - old_definitions)),
                ([old], [defined], superseded - old_definitions),
            ]
        else:
            groups = [([], [old], total - superseded), ([old], [], superseded)]
        page, skip, need = [], query.offset, query.limit
        for having, lacking, size in groups:
            if need <= 0:
                break
            if skip >= size:
                skip -= size
                continue
            take = min(need, size - skip)
            group = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, matched),
                    *[
                        (tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0))
                        for q in having
                    ],
                    *[(tantivy.Occur.MustNot, q) for q in lacking],
                ]
            )
            page += self._group_page(searcher, group, skip, take, scored)
            need -= take
            skip = 0
        return page

    def _group_page(self, searcher, group, skip: int, take: int, scored: bool) -> list:
        if not scored:
            return searcher.search(
                group,
                take,
                count=False,
                order_by_field="entry_id",
                offset=skip,
                order=tantivy.Order.Asc,
            ).hits
        want = skip + take
        limit = want
        while True:
            hits = searcher.search(group, limit, count=False).hits
            if len(hits) < limit or hits[-1][0] < hits[want - 1][0]:
                break
            limit *= 2
        # Equal scores are ordered by entry id: read the ids of the runs of equal scores
        # that reach into the page.
        ordered, start = [], 0
        while start < len(hits) and start < want:
            end = start
            while end < len(hits) and hits[end][0] == hits[start][0]:
                end += 1
            run = hits[start:end]
            if end - start > 1:
                run = sorted(run, key=lambda hit: searcher.doc(hit[1]).get_first("entry_id"))
            ordered += run
            start = end
        return ordered[skip:want]
