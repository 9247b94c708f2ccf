"""One migrated database per run, which every test database is copied from.

Migrating an empty database takes 10 to 16 s of one core (Django renders the models' state for
each of about 200 migrations, Wagtail's included), and each pytest-xdist worker used to do it
for its own database, then the restore drill once more. Here ``manage.py migrate`` runs once
into a template, under a lock, by whoever needs it first (``tests/run-all.sh`` starts it
beside the lint steps, which leave a core idle); each test database then starts as a copy:

- PostgreSQL: ``CREATE DATABASE … TEMPLATE`` (Django's ``TEST["TEMPLATE"]`` setting), a
  template that accepts no connections, so that nothing can stop it being copied;
- SQLite: the template file is copied into the worker's in-memory database (SQLite's backup).

Django's own ``create_test_db`` still runs ``migrate`` on the copy, which finds nothing left
to apply and runs the post-migrate handlers as before. The template's name holds a digest of
every migration file of every installed app, of the settings package and of the Django
version: a change to any of them makes a new one. Kept free of pytest::

    python -m tests.migrated       # makes the template of DATABASE_URL (or SQLite) if missing
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "sapa.settings.test"
FOLDER = Path(tempfile.gettempdir()) / "sapa-test-databases"


def _digest() -> str:
    """Of what decides the migrated database: the migration files, the settings, Django."""
    import django
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(django.get_version().encode())
    folders = [Path(import_module("sapa.settings").__file__).parent]
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        name, _explicit = MigrationLoader.migrations_module(config.label)
        try:
            module = import_module(name)
        except ImportError:
            continue
        if getattr(module, "__file__", None):
            folders.append(Path(module.__file__).parent)
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str):
    FOLDER.mkdir(exist_ok=True)
    with open(FOLDER / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py migrate of the template failed:\n{done.stderr}")


def sqlite_template() -> Path:
    """The migrated SQLite file, made if missing."""
    path = FOLDER / f"sqlite-{_digest()}.sqlite3"
    with _locked(path.stem):
        if not path.exists():
            building = path.with_suffix(f".building-{os.getpid()}")
            try:
                _migrate(f"sqlite:///{building}")
                # One self-contained file: the write-ahead log folded back in.
                with contextlib.closing(sqlite3.connect(building)) as db:
                    db.execute("PRAGMA journal_mode=DELETE")
                os.replace(building, path)
            finally:
                for leftover in building.parent.glob(building.name + "*"):
                    leftover.unlink()
    return path


def sqlite_template_from_anywhere() -> Path:
    """``sqlite_template()`` from a process that may not have set Django up (the journeys'
    demo loader, started by ``tests/run-all.sh``)."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
        django.setup()
    return sqlite_template()


def connection_arguments(settings_dict: dict, dbname: str | None = None) -> dict:
    """psycopg's arguments for ``dbname`` (else the settings' own database) on the server of
    Django's ``settings_dict`` (or of ``dj_database_url.parse``)."""
    return {
        "dbname": dbname or settings_dict["NAME"],
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
    }


def database_url(settings_dict: dict, dbname: str) -> str:
    """The DATABASE_URL of ``dbname`` on the server of ``settings_dict``."""
    auth = settings_dict["USER"] or ""
    if settings_dict["PASSWORD"]:
        auth += f":{settings_dict['PASSWORD']}"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    host = quote(settings_dict["HOST"] or "", safe="")  # a socket's folder: %2Ftmp%2F…
    return f"postgres://{auth}@{host}{port}/{dbname}"


def postgres_template(settings_dict: dict) -> str:
    """The name of the migrated template database on the server of ``settings_dict``, made
    if missing."""
    import psycopg
    from psycopg import sql

    name = f"sapa_migrated_{_digest()}"
    server = connection_arguments(settings_dict)
    place = f"{server['host'] or 'socket'}-{server['port'] or 5432}".replace("/", "_")
    with _locked(f"postgres-{place}-{name}"), psycopg.connect(**server, autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
        building = f"{name}_building"
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building))
        db.execute(drop)
        db.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(building)))
        try:
            _migrate(database_url(settings_dict, building))
            db.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)
                )
            )
        except BaseException:
            db.execute(drop)
            raise
        # Copied from, never used: no session may hold it open while it is being copied.
        db.execute(
            sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                sql.Identifier(name)
            )
        )
    return name


@contextlib.contextmanager
def test_databases_from_the_template():
    """Around Django's ``setup_databases``: the default database's test copy starts migrated."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["TEMPLATE"] = postgres_template(connection.settings_dict)
        yield
        return
    name = connection.creation._get_test_db_name()
    if connection.vendor != "sqlite" or not connection.creation.is_in_memory_db(name):
        yield  # a database Django makes and migrates itself
        return
    # The in-memory database lives as long as a connection to it is open: this one holds it
    # from the copy until Django's own connection has opened it.
    held = sqlite3.connect(name, uri=True)
    try:
        with contextlib.closing(sqlite3.connect(sqlite_template())) as template:
            template.backup(held)
        yield
    finally:
        held.close()


def main() -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"].endswith("postgresql"):
        print(postgres_template(settings_dict))
    else:
        print(sqlite_template())


if __name__ == "__main__":
    main()
