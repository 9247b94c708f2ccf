"""The restore drill, as an operator runs it: a Sapa installation on PostgreSQL with the demo
is backed up with ``sapa_backup``; its database is dropped and created empty, its var folder
(records store, media, search index) removed; ``sapa_restore`` brings it back; then
``records_verify`` and ``search_index verify`` pass and the same records are there (same
identifiers, same file SHA-256s and bytes, same history counts) and a search for words of a
record's file finds that record again.

Every step is the real command in its own process (development settings, ``SAPA_VAR_DIR``
and ``DATABASE_URL`` of the drill), against a database created for the drill on the server
of ``DATABASE_URL``. On SQLite it is skipped: ``make test`` runs it in its PostgreSQL step."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest

from tests.migrated import connection_arguments, database_url, postgres_template

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason="the restore drill needs PostgreSQL (DATABASE_URL=postgres://…); "
        "make test runs it in its PostgreSQL step",
    ),
]

# Words of the students list's PDF (record 715-06/…/0001), found in no title or document.
FILE_WORDS = "Жұмабаева Гүлнұр"


@dataclass
class Installation:
    """One Sapa installation: a database on the drill's server and a var folder."""

    database_url: str
    var_dir: Path

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {
                "MEDIA_ROOT",
                "SAPA_RECORDS_ROOT",
                "SAPA_SEARCH_TANTIVY_PATH",
                "SAPA_SEARCH_BACKEND",
                "SAPA_BACKGROUND_TASKS",
            }
        }
        env.update(
            DJANGO_SETTINGS_MODULE="sapa.settings.dev",
            DATABASE_URL=self.database_url,
            SAPA_VAR_DIR=str(self.var_dir),
            SAPA_SEARCH_SEMANTIC="off",  # the drill restores the index, not the optional vectors
        )
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and done.returncode != 0:
            pytest.fail(
                f"manage.py {' '.join(args)} exited {done.returncode}:\n"
                f"{done.stdout}\n{done.stderr}"
            )
        return done

    def snapshot(self) -> dict:
        done = self.manage("shell", "-v0", "-c", "from tests.restore.snapshot import main; main()")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def search(self, words: str) -> list[str]:
        done = self.manage("search", words, "--as", "quality", "--json")
        return [row["url"] for row in json.loads(done.stdout)]


class Server:
    """Creates and drops the drill's databases on the server of DATABASE_URL."""

    def __init__(self, url: str):
        self.config = dj_database_url.parse(url)

    def _connect(self, dbname: str | None = None, autocommit: bool = False):
        import psycopg

        return psycopg.connect(**connection_arguments(self.config, dbname), autocommit=autocommit)

    def execute(self, sql, dbname: str | None = None) -> None:
        with self._connect(dbname, autocommit=True) as connection:
            connection.execute(sql)

    def tables(self, name: str) -> int:
        """How many tables the database ``name`` holds (in any schema but the server's own)."""
        with self._connect(name) as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]

    def create(self, name: str, template: str | None = None) -> str:
        from psycopg import sql

        create = sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.execute(create)
        return database_url(self.config, name)

    def drop(self, name: str) -> None:
        from psycopg import sql

        self.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """The demo installed, snapshotted, backed up, wiped and restored; the times taken."""
    server = Server(DATABASE_URL)
    name = f"sapa_drill_{uuid.uuid4().hex[:8]}"
    folder = tmp_path_factory.mktemp("drill")
    # Migrated as the test databases are (tests/migrated.py): the drill's subject is what comes
    # back from a backup, and ``migrate`` below then finds nothing left to apply.
    template = postgres_template(server.config)
    try:
        url = server.create(name, template=template)
    except Exception as error:  # no CREATEDB right on this server
        pytest.skip(f"cannot create a database for the drill on {DATABASE_URL}: {error}")
    try:
        site = Installation(url, folder / "var")
        times = {}
        started = time.monotonic()
        site.manage("migrate", "--noinput")
        site.manage("demo")
        times["install"] = time.monotonic() - started
        before = site.snapshot()
        found_before = site.search(FILE_WORDS)

        started = time.monotonic()
        backup = folder / "backups" / "sapa-1"
        backed_up = site.manage("sapa_backup", str(backup))
        times["backup"] = time.monotonic() - started

        # The disaster: the database and every folder of the installation are gone.
        server.drop(name)
        server.create(name)
        shutil.rmtree(site.var_dir)

        started = time.monotonic()
        restored = site.manage("sapa_restore", str(backup))
        times["restore"] = time.monotonic() - started
        yield {
            "site": site,
            "server": server,
            "name": name,
            "backup": backup,
            "backed_up": backed_up,
            "restored": restored,
            "before": before,
            "found_before": found_before,
            "times": times,
        }
    finally:
        server.drop(name)


def test_restored_installation_verifies(drill):
    site = drill["site"]
    verified = site.manage("records_verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # The summary speaks the operator's language (Kazakh by default) and starts with the count.
    checked = sum(len(r["files"]) for r in drill["before"]["records"].values())
    assert verified.stdout.splitlines()[-1].startswith(f"{checked} "), verified.stdout
    index = site.manage("search_index", "verify", check=False)
    assert index.returncode == 0, index.stdout + index.stderr
    assert "MISSING" not in index.stdout and "STALE" not in index.stdout
    # The restore itself checked the same and said so (exit 0 and the verified line).
    assert drill["restored"].returncode == 0
    times = drill["times"]
    print(
        f"\nrestore drill: install {times['install']:.1f} s, backup {times['backup']:.1f} s, "
        f"restore {times['restore']:.1f} s"
    )


def test_same_records_files_and_history_come_back(drill):
    before = drill["before"]
    after = drill["site"].snapshot()
    assert len(before["records"]) >= 5
    assert sorted(after["records"]) == sorted(before["records"])
    for identifier, record in before["records"].items():
        assert after["records"][identifier] == record, identifier
        for entry in record["files"]:
            assert entry["stored_sha256"] == entry["sha256"], (identifier, entry["name"])
        assert record["history"] >= 1
    assert after == before


def test_search_finds_a_record_by_its_file_text_again(drill):
    before = drill["found_before"]
    record = drill["before"]["records"]
    students_list = next(
        data for identifier, data in record.items() if identifier.startswith("715-06/")
    )
    assert f"/records/{students_list['pk']}/" in before
    assert drill["site"].search(FILE_WORDS) == before


def test_manifest_lists_every_file_with_its_checksum(drill):
    manifest = json.loads((drill["backup"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "sapa-backup/1" and manifest["sapa_version"]
    assert manifest["database"]["vendor"] == "postgresql"
    paths = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    stored = {
        entry["sha256"]
        for record in drill["before"]["records"].values()
        for entry in record["files"]
        if entry["stored_sha256"]
    }
    assert stored <= {sha for path, sha in paths.items() if path.startswith("records/")}
    assert any(path.startswith("media/") for path in paths)
    assert not list(drill["backup"].parent.glob(".*partial*"))


def test_restore_over_an_installation_needs_force_and_keeps_the_old_folders(drill):
    site = drill["site"]
    refused = site.manage("sapa_restore", str(drill["backup"]), check=False)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert str(site.var_dir / "records") in refused.stderr
    # Nothing was moved aside or staged.
    names = {path.name for path in site.var_dir.iterdir()}
    assert {"records", "media"} <= names
    assert not [name for name in names if "restor" in name]
    # With --force: the tables are replaced, the old folders kept beside the restored ones.
    (site.var_dir / "records" / "left-behind.txt").write_text("from before the restore")
    forced = site.manage("sapa_restore", str(drill["backup"]), "--force", check=False)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    aside = [path for path in site.var_dir.iterdir() if ".before-restore-" in path.name]
    assert sorted(path.name.split(".")[0] for path in aside) == ["media", "records"]
    kept = next(path for path in aside if path.name.startswith("records"))
    assert (kept / "left-behind.txt").read_text() == "from before the restore"
    assert not (site.var_dir / "records" / "left-behind.txt").exists()
    assert site.snapshot() == drill["before"]


def test_damaged_backup_is_refused_before_anything_changes(drill, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(drill["backup"], damaged)
    record_file = next(p for p in sorted((damaged / "records").rglob("*")) if p.is_file())
    record_file.write_bytes(record_file.read_bytes() + b"tampered")
    (damaged / "media" / "planted.txt").write_text("not from the backup")
    name = f"{drill['name']}_empty"
    empty = Installation(drill["server"].create(name), tmp_path / "var")
    try:
        refused = empty.manage("sapa_restore", str(damaged), check=False)
        assert refused.returncode == 1
        relative = record_file.relative_to(damaged).as_posix()
        assert relative in refused.stderr and "media/planted.txt" in refused.stderr
        # Nothing was touched: no table, no folder.
        assert drill["server"].tables(name) == 0
        assert not (tmp_path / "var" / "records").exists()
        assert not (tmp_path / "var" / "media").exists()
    finally:
        drill["server"].drop(name)


def test_backup_refuses_an_existing_folder_and_a_missing_pg_dump(drill, tmp_path):
    site = drill["site"]
    again = site.manage("sapa_backup", str(drill["backup"]), check=False)
    assert again.returncode == 1 and str(drill["backup"]) in again.stderr
    missing = site.manage("sapa_backup", str(tmp_path / "b"), "--pg-bin", "/nowhere", check=False)
    assert missing.returncode == 1 and "pg_dump" in missing.stderr and "--pg-bin" in missing.stderr
    assert not (tmp_path / "b").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.partial")]
    nowhere = site.manage("sapa_backup", "/proc/sapa-backups/1", check=False)
    assert nowhere.returncode == 1 and "/proc/sapa-backups" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr


def test_failed_database_restore_leaves_the_database_and_folders_as_they_were(drill, tmp_path):
    """pg_restore fails half-way (a type in the target has the name of a table of the
    backup): its one transaction is rolled back and no folder is put in place."""
    name = f"{drill['name']}_conflict"
    target = Installation(drill["server"].create(name), tmp_path / "var")
    try:
        drill["server"].execute("CREATE TYPE records_qualityrecord AS (a integer)", dbname=name)
        failed = target.manage("sapa_restore", str(drill["backup"]), check=False)
        assert failed.returncode == 1
        assert "pg_restore" in failed.stderr and "records_qualityrecord" in failed.stderr
        assert drill["server"].tables(name) == 0
        left = (
            sorted(p.name for p in (tmp_path / "var").iterdir()) if target.var_dir.exists() else []
        )
        assert "records" not in left and "media" not in left
        assert not [n for n in left if ".restoring-" in n]
    finally:
        drill["server"].drop(name)
