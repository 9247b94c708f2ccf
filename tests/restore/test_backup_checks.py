"""sapa_restore checks a backup against its manifest before it changes anything (the checks
read only the backup folder, the same on any database: they run in the SQLite step of make
test); sapa_backup and sapa_restore refuse SQLite and say how to back it up."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from home.backup import FORMAT, applied_migrations, check_backup


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def backup(tmp_path):
    """A small backup folder as sapa_backup writes it."""
    folder = tmp_path / "sapa-1"
    files = {
        "records/records/3/1/v1/тізім.pdf": b"%PDF-1.4 students",
        "media/documents/ҚазҰТЗУ_715-02_Ү.docx": b"PK docx",
    }
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    dump = b"PGDMP fake dump"
    (folder / "database.dump").write_bytes(dump)
    manifest = {
        "format": FORMAT,
        "sapa_version": "0.1.0",
        "created_at": "2026-12-03T02:00:00+00:00",
        "database": {"file": "database.dump", "size": len(dump), "sha256": sha(dump)},
        "migrations": ["records.0001_initial"],
        "files": [
            {"path": path, "size": len(data), "sha256": sha(data)} for path, data in files.items()
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return folder


def rewrite(folder, change) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))


def test_a_whole_backup_passes_and_check_only_reports(backup, capsys):
    assert len(check_backup(backup)["files"]) == 2
    call_command("sapa_restore", str(backup), "--check")
    out = capsys.readouterr().out
    with translation.override("kk"):
        expected = translation.gettext(
            "The backup of %(created)s (Sapa %(version)s) is complete: the database and "
            "%(files)d files match the manifest."
        ) % {"created": "2026-12-03T02:00:00+00:00", "version": "0.1.0", "files": 2}
    assert expected in out


def test_a_changed_file_and_a_planted_file_are_named(backup):
    stored = backup / "records/records/3/1/v1/тізім.pdf"
    stored.write_bytes(b"%PDF-1.4 students, changed")
    (backup / "records" / "planted.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError) as caught:
        check_backup(backup)
    message = str(caught.value)
    assert "records/records/3/1/v1/тізім.pdf" in message
    assert "records/planted.pdf" in message
    assert str(backup) in message


def test_a_damaged_dump_and_a_lost_file_are_named(backup):
    (backup / "database.dump").write_bytes(b"PGDMP fake dump, truncat")
    (backup / "media/documents/ҚазҰТЗУ_715-02_Ү.docx").unlink()
    with pytest.raises(CommandError) as caught:
        check_backup(backup)
    assert "database.dump" in str(caught.value)
    assert "media/documents/ҚазҰТЗУ_715-02_Ү.docx" in str(caught.value)


def test_a_path_outside_the_backup_is_refused(backup):
    rewrite(
        backup,
        lambda m: m["files"].append({"path": "records/../../etc/passwd", "size": 1, "sha256": ""}),
    )
    with pytest.raises(CommandError) as caught:
        check_backup(backup)
    assert "records/../../etc/passwd" in str(caught.value)


def test_a_backup_of_a_newer_sapa_is_refused(backup):
    rewrite(backup, lambda m: m["migrations"].append("records.9999_from_the_future"))
    with pytest.raises(CommandError) as caught:
        check_backup(backup)
    assert "records.9999_from_the_future" in str(caught.value)


def test_not_a_backup(tmp_path):
    with pytest.raises(CommandError) as caught:
        check_backup(tmp_path)
    assert "manifest.json" in str(caught.value)
    (tmp_path / "manifest.json").write_text('{"format": "something-else"}')
    with pytest.raises(CommandError) as caught:
        check_backup(tmp_path)
    assert "something-else" in str(caught.value)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError) as caught:
        check_backup(tmp_path)
    assert str(tmp_path) in str(caught.value)


@pytest.mark.django_db
def test_the_migrations_of_this_code_are_known_to_the_check(backup):
    """A backup of this very Sapa lists only migrations the check knows."""
    rewrite(backup, lambda m: m.update(migrations=applied_migrations()))
    assert check_backup(backup)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is SQLite's")
@pytest.mark.django_db
@pytest.mark.parametrize("command", ["sapa_backup", "sapa_restore"])
def test_sqlite_is_refused_with_the_way_to_back_it_up(command, backup, tmp_path, settings):
    target = backup if command == "sapa_restore" else tmp_path / "new"
    with pytest.raises(CommandError) as caught:
        call_command(command, str(target))
    message = str(caught.value)
    assert ".backup" in message and "sqlite" in message
    assert str(settings.MEDIA_ROOT) in message
    assert not (tmp_path / "new").exists()
