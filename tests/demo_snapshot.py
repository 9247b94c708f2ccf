"""Content built once per test session and laid into each test that asks for it.

``load_demo`` imports both seed documents, publishes them and files the demo records: about
1.5 s of work that used to run again in every test that wanted the demo. The session builds it
once inside a transaction that it then rolls back, and keeps what it wrote: the rows it added,
changed or removed (table by table, against the database as migrations leave it) and the files
it stored. A test that asks for the demo gets those rows written into its own transaction (the
test's rollback removes them again) and a copy of the files in its own folders: each test still
starts from the same demo, and whatever it changes stays its own.

The world most tests start from (the portal, the libraries, the people, the workflow: see
``tests/conftest.py``) is kept the same way, in layers (``build_layers``): each layer holds what
its step wrote over the steps before it, and is laid in only where the tables it writes are as
they were when it was made (``DemoSnapshot.applies``); elsewhere the fixture makes it afresh.

Foreign keys are deferred (Django creates them ``DEFERRABLE INITIALLY DEFERRED``), so rows go
in table by table in any order. SQLite's full-text tables (Wagtail's search index) are left
out: triggers on Wagtail's index table fill them as its rows go in.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import override_settings


@dataclass
class TableRows:
    table: str
    columns: list[str]
    key: str
    remove: list[object] = field(default_factory=list)  # keys to delete before inserting
    rows: list[tuple] = field(default_factory=list)  # rows as the demo leaves them


@dataclass
class DemoSnapshot:
    tables: list[TableRows]
    folders: dict[str, Path]  # setting name -> folder holding the demo's files
    objects: dict[str, object]  # what the load returned: (model, pk) references
    # For each table it writes: the keys of the rows it had, and the rows it changes, as they
    # were before the load. Where the database holds exactly that, its rows can be laid in.
    expected: dict[str, tuple[frozenset, dict]] = field(default_factory=dict)
    # The layers of its tree it was made on (build_layers): laid in only on top of them.
    made_on: frozenset[str] = frozenset()

    def applies(self) -> bool:
        """Whether the tables this snapshot writes are as they were when it was taken (a
        test's own fixtures may have written there first)."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables:
                keys, changed = self.expected[table.table]
                cursor.execute(f"SELECT {quote(table.key)} FROM {quote(table.table)}")
                if {key for (key,) in cursor.fetchall()} != keys:
                    return False
                if changed:
                    marks = ", ".join(["%s"] * len(changed))
                    cursor.execute(
                        f"SELECT * FROM {quote(table.table)} WHERE {quote(table.key)} IN ({marks})",
                        list(changed),
                    )
                    index = table.columns.index(table.key)
                    now = {row[index]: tuple(row) for row in cursor.fetchall()}
                    if now != changed:
                        return False
        return True

    def restore(self, destinations: dict[str, Path]) -> dict[str, object]:
        """Writes the demo into the current transaction and copies its files to
        ``destinations``; returns the load's answer, read afresh from the database."""
        quote = connection.ops.quote_name
        # One transaction (a savepoint inside a test's): foreign keys are checked at its end,
        # in a transactional test too.
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                if table.remove:
                    marks = ", ".join(["%s"] * len(table.remove))
                    cursor.execute(
                        f"DELETE FROM {quote(table.table)} WHERE {quote(table.key)} IN ({marks})",
                        table.remove,
                    )
                if table.rows:
                    columns = ", ".join(quote(c) for c in table.columns)
                    marks = ", ".join(["%s"] * len(table.columns))
                    try:
                        cursor.executemany(
                            f"INSERT INTO {quote(table.table)} ({columns}) VALUES ({marks})",
                            [_adapt(row) for row in table.rows],
                        )
                    except Exception as error:
                        raise RuntimeError(f"the demo's rows of {table.table}: {error}") from error
        for name, source in self.folders.items():
            if source.exists():
                shutil.copytree(source, destinations[name], dirs_exist_ok=True)
        return _fetch(self.objects)


def build(folders: dict[str, Path], settings_for, load) -> DemoSnapshot:
    """Runs ``load()`` once (with the files it stores under ``folders``) and rolls it back,
    keeping what it wrote and what it returned. ``settings_for(folders)`` gives the settings
    that send its files into those folders."""
    return build_layers(folders, settings_for, [("snapshot", load, [])])["snapshot"]


class _Undone(Exception):
    pass


def build_layers(folders: dict[str, Path], settings_for, tree: list) -> dict[str, DemoSnapshot]:
    """Runs a tree of loads, ``[(name, load, [children…]), …]``, and rolls all of them back:
    one snapshot for each, holding what it wrote over what its parents left (so it is laid in
    after them). Siblings each start from their parent's state (a savepoint each), so every
    layer of the tree sits on the same rows, whichever branch it is on. Only a load with no
    children may store files."""
    from search.backends import reset_backends

    snapshots: dict[str, DemoSnapshot] = {}

    def walk(nodes, before, made_on=frozenset()):
        for name, load, children in nodes:
            try:
                with transaction.atomic():
                    answer = _references(load())
                    after = _read_all()
                    snapshots[name] = _difference(before, after, folders, answer)
                    snapshots[name].made_on = made_on
                    if children and any(
                        source.exists() and any(source.iterdir()) for source in folders.values()
                    ):
                        raise RuntimeError("only a layer with no layers on it may store files")
                    walk(children, after, made_on | {name})
                    raise _Undone
            except _Undone:
                pass

    with override_settings(**settings_for(folders)):
        reset_backends()
        try:
            walk(tree, _read_all())
        finally:
            reset_backends()
    return snapshots


def _difference(before, after, folders, answer) -> DemoSnapshot:
    tables = []
    expected = {}
    for name, (columns, key, rows) in after.items():
        old = before.get(name, (columns, key, {}))[2]
        added_or_changed = [row for k, row in rows.items() if old.get(k) != row]
        removed = [k for k in old if k not in rows or old[k] != rows[k]]
        if (added_or_changed or removed) and key is None:
            raise RuntimeError(f"the demo wrote into {name}, a table without a primary key")
        if added_or_changed or removed:
            tables.append(TableRows(name, columns, key, removed, added_or_changed))
            expected[name] = (frozenset(old), {k: old[k] for k in removed})
    return DemoSnapshot(tables=tables, folders=folders, objects=answer, expected=expected)


def _tables(cursor) -> list[str]:
    """Every table worth copying: not the migration log, not SQLite's virtual tables and
    their shadow tables (triggers fill them)."""
    names = connection.introspection.table_names(cursor)
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")
        virtual = [name for (name,) in cursor.fetchall()]
        names = [n for n in names if not any(n == v or n.startswith(v + "_") for v in virtual)]
    return [n for n in names if n != "django_migrations" and not n.startswith("sqlite_")]


_KEYS: dict[tuple[str, str], str | None] = {}


def _primary_key(cursor, table: str) -> str | None:
    """The table's key column, asked of the database once per process (on PostgreSQL, two
    catalogue queries a table: 2,200 of them in a run, a second and a half of planning)."""
    at = (connection.alias, table)
    if at not in _KEYS:
        _KEYS[at] = connection.introspection.get_primary_key_column(cursor, table)
    return _KEYS[at]


def _read_all() -> dict[str, tuple[list[str], str, dict[object, tuple]]]:
    quote = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for name in _tables(cursor):
            key = _primary_key(cursor, name)
            cursor.execute(f"SELECT * FROM {quote(name)}")
            columns = [d[0] for d in cursor.description]
            rows = [tuple(row) for row in cursor.fetchall()]
            if key is None:  # no key to find a row by: the demo must not write there
                out[name] = (columns, key, {row: row for row in rows})
                continue
            index = columns.index(key)
            out[name] = (columns, key, {row[index]: row for row in rows})
    return out


def _adapt(row: tuple) -> tuple:
    """PostgreSQL's driver reads json columns as Python objects; they go back as JSON."""
    if connection.vendor != "postgresql":
        return row
    from psycopg.types.json import Jsonb

    return tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)


def _references(value):
    from django.db.models import Model

    if isinstance(value, Model):
        return ("model", type(value), value.pk)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _references(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return ("dataclass", type(value), fields)
    if isinstance(value, dict):
        return {k: _references(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_references(v) for v in value]
    return value


def _fetch(value):
    if isinstance(value, tuple) and len(value) == 3 and value[0] == "model":
        model, pk = value[1], value[2]
        return model._default_manager.get(pk=pk)
    if isinstance(value, tuple) and len(value) == 3 and value[0] == "dataclass":
        return value[1](**{name: _fetch(v) for name, v in value[2].items()})
    if isinstance(value, dict):
        return {k: _fetch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fetch(v) for v in value]
    return value


def fingerprint() -> dict[str, tuple]:
    """Every table's row count and its lowest and highest key, in one query: what a kept
    fixture (``KeptFixtures``) was made on, told apart from any other state cheaply."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        parts = []
        for name in _tables(cursor):
            key = _primary_key(cursor, name)
            span = (
                f"MIN(CAST({quote(key)} AS TEXT)), MAX(CAST({quote(key)} AS TEXT))"
                if key
                else "NULL, NULL"
            )
            parts.append(f"SELECT '{name}', COUNT(*), {span} FROM {quote(name)}")
        cursor.execute(" UNION ALL ".join(parts))
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


class KeptFixtures:
    """Fixtures made once per test session (and xdist worker) and laid into every later test
    that asks for them, as the demo is (``build``): the first test that asks makes it as it
    always did, in its own transaction, and the rows it wrote and the files it left in the
    test's folder are kept; a later test whose database is exactly as the first one's was
    before (``fingerprint``) gets those rows and files instead of running it again. Where
    the database differs, the fixture is made afresh."""

    def __init__(self, base: Path):
        self.base = base
        self.kept: dict[str, tuple[dict, DemoSnapshot]] = {}

    def made(self, name: str, load, folder: Path):
        kept = self.kept.get(name)
        state = fingerprint()
        if kept is not None and kept[0] == state and kept[1].applies():
            answer = kept[1].restore({})
            _lay_folder(self.base / name, folder)
            return answer
        if kept is not None:
            return load()
        before = _read_all()
        answer = load()
        shutil.copytree(folder, self.base / name, symlinks=True)
        self.kept[name] = (state, _difference(before, _read_all(), {}, _references(answer)))
        return answer


def _lay_folder(source: Path, folder: Path) -> None:
    """What ``source`` holds replaces what ``folder`` holds under the same names (an index
    directory is replaced whole, never merged with another), and the search backends
    open it afresh."""
    from search.backends import reset_backends

    for item in source.iterdir():
        there = folder / item.name
        if there.is_dir() and not there.is_symlink():
            shutil.rmtree(there)
        elif there.exists() or there.is_symlink():
            there.unlink()
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, there, symlinks=True)
        else:
            shutil.copy2(item, there, follow_symlinks=False)
    reset_backends()
