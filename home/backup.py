"""Backup and restore of a whole Sapa installation on PostgreSQL: the database (``pg_dump
--format=custom``), the records store (``SAPA_RECORDS_ROOT``) and the media (``MEDIA_ROOT``),
with a manifest of every file's path, size and SHA-256.

A backup folder holds::

    manifest.json    format, Sapa version, time, the dump's SHA-256, every file
    database.dump    pg_dump --format=custom, taken in one snapshot with the list of files
    records/...      the record files the database refers to (private store)
    media/...        everything under MEDIA_ROOT (Wagtail documents and images)

The search index is not backed up: it is derived from the database and rebuilt on restore.
A backup is written into a hidden sibling folder and renamed when complete, so a folder with
the backup's name is always complete. A restore checks the whole backup before it changes
anything, restores the files into hidden sibling folders and renames them into place only
after the database restore (one transaction) has succeeded."""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "sapa-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
STORES = ("records", "media")
CHUNK = 1 << 20
MAX_LISTED = 10


@dataclass
class Outcome:
    """What a backup or restore did, for the command to print."""

    folder: Path
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the backup is written, but look


def store_roots() -> dict[str, Path]:
    """Where the records store and the media live in this installation."""
    from records.storage import records_storage

    return {
        "records": Path(records_storage().location),
        "media": Path(settings.MEDIA_ROOT),
    }


def sapa_version() -> str:
    try:
        return importlib.metadata.version("sapa")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashed(source: Path, target: Path) -> tuple[int, str]:
    """Copy ``source`` to ``target`` (parents created); returns the size and SHA-256 of the
    bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as reader, open(target, "xb") as writer:
        for chunk in iter(lambda: reader.read(CHUNK), b""):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(source, target)
    return size, digest.hexdigest()


def listed(items: list[str]) -> str:
    shown = "; ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        shown += " " + _("(and %(count)d more)") % {"count": len(items) - MAX_LISTED}
    return shown


# PostgreSQL ----------------------------------------------------------------------------------


def require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    roots = store_roots()
    raise CommandError(
        _(
            "The database is %(vendor)s; sapa_backup and sapa_restore work on PostgreSQL "
            "only. To back up a SQLite installation, copy its database with "
            "SQLite's online backup (sqlite3 %(database)s \".backup '/backup/sapa.sqlite3'\"), "
            "then copy %(records)s and %(media)s."
        )
        % {
            "vendor": connection.vendor,
            "database": connection.settings_dict["NAME"],
            "records": roots["records"],
            "media": roots["media"],
        }
    )


def pg_program(name: str, pg_bin: str | None) -> str:
    folder = pg_bin or os.environ.get("SAPA_PG_BIN") or None
    found = shutil.which(name, path=folder)
    if not found:
        raise CommandError(
            _(
                "%(program)s was not found. Install the PostgreSQL client of the server's "
                "version (Debian: postgresql-client) or give its folder with --pg-bin "
                "(or SAPA_PG_BIN)."
            )
            % {"program": name}
        )
    return found


def pg_connection() -> tuple[list[str], dict[str, str]]:
    """Connection options and environment for pg_dump / pg_restore, from Django's settings
    (the password goes through the environment, never the command line)."""
    settings_dict = connection.settings_dict
    _args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    options = settings_dict.get("OPTIONS", {})
    args = ["--no-password"]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    name = settings_dict.get("NAME") or options.get("database")
    if name:
        args += ["--dbname", str(name)]
    full_env = {**os.environ, **{key: str(value) for key, value in (env or {}).items()}}
    return args, full_env


def run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise CommandError(
            _("%(program)s failed (exit %(code)d): %(error)s")
            % {
                "program": Path(command[0]).name,
                "code": done.returncode,
                "error": " / ".join(lines[-5:]) or "—",
            }
        )


def applied_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


# Backup --------------------------------------------------------------------------------------


def backup(folder: Path, *, pg_bin: str | None = None) -> Outcome:
    require_postgresql()
    started = time.monotonic()
    folder = Path(folder).absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CommandError(
            _("%(folder)s already exists and is not empty; give a new folder for each backup.")
            % {"folder": folder}
        )
    pg_dump = pg_program("pg_dump", pg_bin)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=folder.parent))
    except OSError as error:
        raise CommandError(
            _("The backup could not be written (%(error)s); nothing was kept.") % {"error": error}
        ) from error
    try:
        outcome = _write_backup(staging, pg_dump)
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CommandError(
            _("The backup could not be written (%(error)s); nothing was kept.") % {"error": error}
        ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outcome.folder = folder
    outcome.seconds = time.monotonic() - started
    return outcome


def _write_backup(staging: Path, pg_dump: str) -> Outcome:
    from records.models import QualityRecord, RecordFile

    args, env = pg_connection()
    roots = store_roots()
    outcome = Outcome(folder=staging)
    # One snapshot for the dump and the list of record files, so the backup holds exactly
    # the files its database refers to, even while people upload.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
        run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={staging / DUMP}",
                *args,
            ],
            env,
        )
        record_files = list(
            RecordFile.objects.exclude(file="").values_list("file", "removed_at", "sha256")
        )
        counts = {
            "records": QualityRecord.objects.count(),
            "record_files": len(record_files),
        }
        migrations = applied_migrations()
    manifest_files = []
    missing = []
    for name, removed_at, expected in record_files:
        source = roots["records"] / name
        if not source.is_file():
            if removed_at is None:
                missing.append(name)
            continue
        size, digest = copy_hashed(source, staging / "records" / name)
        if digest != expected:
            outcome.problems.append(
                _("The stored file %(name)s does not match its SHA-256 (run records_verify).")
                % {"name": name}
            )
        manifest_files.append({"path": f"records/{name}", "size": size, "sha256": digest})
    if roots["media"].is_dir():
        for source in sorted(roots["media"].rglob("*")):
            if source.is_file():
                relative = source.relative_to(roots["media"]).as_posix()
                size, digest = copy_hashed(source, staging / "media" / relative)
                manifest_files.append({"path": f"media/{relative}", "size": size, "sha256": digest})
    if missing:
        outcome.problems.append(
            _("%(count)d record files are missing from the store (run records_verify): %(files)s")
            % {"count": len(missing), "files": listed(missing)}
        )
    dump = staging / DUMP
    manifest = {
        "format": FORMAT,
        "sapa_version": sapa_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": "postgresql",
            "server_version": server_version,
            "name": connection.settings_dict.get("NAME"),
            "file": DUMP,
            "size": dump.stat().st_size,
            "sha256": sha256_of(dump),
        },
        "migrations": migrations,
        "counts": counts,
        "missing_record_files": missing,
        "files": manifest_files,
    }
    (staging / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    outcome.files = len(manifest_files)
    outcome.bytes = manifest["database"]["size"] + sum(f["size"] for f in manifest_files)
    return outcome


# Checking a backup ---------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise CommandError(_("%(folder)s is not a folder.") % {"folder": folder})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CommandError(
            _("%(folder)s has no manifest.json: it is not a Sapa backup, or an unfinished one.")
            % {"folder": folder}
        ) from error
    except (OSError, ValueError) as error:
        raise CommandError(
            _("The manifest of %(folder)s cannot be read: %(error)s")
            % {"folder": folder, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(
            _("%(folder)s is not a backup this Sapa can read (format %(format)s).")
            % {
                "folder": folder,
                "format": manifest.get("format") if isinstance(manifest, dict) else "?",
            }
        )
    return manifest


def _safe_relative(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and parts[0] in STORES and ".." not in parts and not Path(path).is_absolute()


def check_backup(folder: Path) -> dict:
    """Every byte of the backup against its manifest; nothing is changed. Returns the
    manifest, raises CommandError listing every problem."""
    folder = Path(folder).absolute()
    manifest = read_manifest(folder)
    problems: list[str] = []
    database = manifest.get("database") or {}
    dump = folder / DUMP
    if not dump.is_file():
        problems.append(_("%(file)s is missing") % {"file": DUMP})
    elif dump.stat().st_size != database.get("size") or sha256_of(dump) != database.get("sha256"):
        problems.append(_("%(file)s does not match its SHA-256") % {"file": DUMP})
    listed_paths = set()
    for entry in manifest.get("files", []):
        path = str(entry.get("path", ""))
        if not _safe_relative(path):
            problems.append(_("%(file)s is not a path inside the backup") % {"file": path})
            continue
        listed_paths.add(path)
        source = folder / path
        if not source.is_file():
            problems.append(_("%(file)s is missing") % {"file": path})
        elif source.stat().st_size != entry.get("size") or sha256_of(source) != entry.get("sha256"):
            problems.append(_("%(file)s does not match its SHA-256") % {"file": path})
    for store in STORES:
        for path in sorted((folder / store).rglob("*")) if (folder / store).is_dir() else []:
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative not in listed_paths:
                problems.append(_("%(file)s is not in the manifest") % {"file": relative})
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    newer = [
        label
        for label in manifest.get("migrations", [])
        if tuple(str(label).partition(".")[::2]) not in known
    ]
    if newer:
        problems.append(
            _(
                "the backup was made by a newer Sapa (%(version)s; migrations unknown "
                "here: %(names)s)"
            )
            % {"version": manifest.get("sapa_version", "?"), "names": listed(newer)}
        )
    if problems:
        raise CommandError(
            _("The backup %(folder)s is damaged or incomplete; nothing was changed. %(problems)s")
            % {"folder": folder, "problems": listed(problems)}
        )
    return manifest


# Restore -------------------------------------------------------------------------------------


def database_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor, include_views=True)


def _is_empty_folder(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def restore(folder: Path, *, force: bool = False, pg_bin: str | None = None) -> Outcome:
    require_postgresql()
    started = time.monotonic()
    folder = Path(folder).absolute()
    manifest = check_backup(folder)
    pg_restore = pg_program("pg_restore", pg_bin)
    # The dump must be one pg_restore can read: its table of contents, before anything changes.
    _args, env = pg_connection()
    run([pg_restore, "--list", str(folder / DUMP)], env)
    roots = store_roots()
    mounted = [str(root) for root in roots.values() if os.path.ismount(root)]
    if mounted:
        raise CommandError(
            _(
                "Nothing was restored: %(folders)s is a mount point, and a restore puts its "
                "folder in place by renaming. Mount the folder above it instead."
            )
            % {"folders": ", ".join(mounted)}
        )
    tables = database_tables()
    busy = [str(root) for root in roots.values() if not _is_empty_folder(root)]
    if (tables or busy) and not force:
        what = []
        if tables:
            what.append(
                _("the database %(name)s has %(count)d tables")
                % {"name": connection.settings_dict.get("NAME"), "count": len(tables)}
            )
        what += [_("%(folder)s is not empty") % {"folder": path} for path in busy]
        raise CommandError(
            _(
                "Nothing was restored: %(what)s. Restore into an empty database and empty "
                "folders, or add --force to delete every table of the database and move the "
                "folders aside."
            )
            % {"what": "; ".join(what)}
        )
    outcome = Outcome(folder=folder)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    staged: dict[str, Path] = {}

    def discard_staged() -> None:
        for path in staged.values():
            shutil.rmtree(path, ignore_errors=True)

    # 1. The files, into hidden folders beside their final place, checked again as written.
    try:
        for store, root in roots.items():
            root.parent.mkdir(parents=True, exist_ok=True)
            staged[store] = Path(
                tempfile.mkdtemp(prefix=f".{root.name}.restoring-", dir=root.parent)
            )
        for entry in manifest["files"]:
            store, _sep, relative = entry["path"].partition("/")
            size, digest = copy_hashed(folder / entry["path"], staged[store] / relative)
            if digest != entry["sha256"]:
                raise CommandError(
                    _("%(file)s changed while it was being restored; nothing was changed.")
                    % {"file": entry["path"]}
                )
            outcome.files += 1
            outcome.bytes += size
    except OSError as error:
        discard_staged()
        raise CommandError(
            _("The files could not be restored (%(error)s); nothing was changed.")
            % {"error": error}
        ) from error
    except BaseException:
        discard_staged()
        raise
    # 2. The database, in one transaction: on failure it stays as it was.
    try:
        if tables:
            _drop_everything(tables)
            outcome.notes.append(
                _("%(count)d tables of the database were deleted first (--force).")
                % {"count": len(tables)}
            )
        args, env = pg_connection()
        connection.close()
        run(
            [
                pg_restore,
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *args,
                str(folder / DUMP),
            ],
            env,
        )
    except (CommandError, OSError) as error:
        discard_staged()
        state = (
            _("The database is now empty and the folders were not changed.")
            if tables
            else _("The database and the folders were not changed.")
        )
        raise CommandError(f"{error} {state}") from error
    except BaseException:
        discard_staged()
        raise
    # 3. The files into place: a rename each.
    for store, root in roots.items():
        if root.exists():
            if _is_empty_folder(root):
                root.rmdir()
            else:
                aside = root.with_name(f"{root.name}.before-restore-{stamp}")
                root.rename(aside)
                outcome.notes.append(
                    _("The former %(folder)s was kept as %(aside)s.")
                    % {"folder": root, "aside": aside}
                )
        staged[store].rename(root)
    _after_restore(outcome)
    outcome.seconds = time.monotonic() - started
    return outcome


def _drop_everything(tables: list[str]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        views = {
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "v"
        }
        for name in tables:
            kind = "VIEW" if name in views else "TABLE"
            cursor.execute(f"DROP {kind} IF EXISTS {quote(name)} CASCADE")
        cursor.execute(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = current_schema()"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(name)} CASCADE")


def _after_restore(outcome: Outcome) -> None:
    """Migrate a backup of an older Sapa, then rebuild the search index from the database."""
    from django.contrib.contenttypes.models import ContentType

    from search import indexing
    from search.backends import get_backend, reset_backends

    connection.close()
    ContentType.objects.clear_cache()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
        outcome.notes.append(
            _("%(count)d migrations were applied (the backup was made by an older Sapa).")
            % {"count": len(plan)}
        )
    reset_backends()
    backend = get_backend()
    entries = indexing.rebuild(backend)
    outcome.notes.append(
        _("The %(backend)s search index was rebuilt: %(count)d entries.")
        % {"backend": backend.name, "count": entries}
    )
