"""Uploads kept between the admin's two import steps (upload, then accept the fixes).

Each upload is written into a private folder named by a random token (never by anything the
user sends) under ``SAPA_IMPORT_UPLOADS_ROOT`` (default ``VAR_DIR/import-uploads``), with a
manifest naming the user, the library and the files as uploaded. Only the user who uploaded
finds it again; it is removed on confirm or cancel, and after a day by any later import.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MAX_AGE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
#: Suffixes kept on the copy on disk (the importer words a refusal by them); any other: none.
_SUFFIXES = (".pdf", ".txt", ".docx")


def root() -> Path:
    return Path(
        getattr(settings, "SAPA_IMPORT_UPLOADS_ROOT", None)
        or Path(settings.VAR_DIR) / "import-uploads"
    )


@dataclass
class Staged:
    token: str
    folder: Path
    user_id: int
    library_id: int
    names: list[str]

    def files(self) -> list[tuple[Path, str]]:
        """(path on disk, name as uploaded) for every file, in upload order: a name of our
        own on disk (an upload's may be 255+ bytes, or hostile), never shown."""
        return [(self.folder / disk_name(n, name), name) for n, name in enumerate(self.names, 1)]

    def read(self, number: int) -> dict | None:
        """What the importer read from file ``number`` at the upload (``keep_read``), or None."""
        try:
            return json.loads(self._read_path(number).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def keep_read(self, number: int, parsed: dict) -> None:
        """Keeps what the importer read from file ``number``: the next step writes it without
        reading the file again (a 60-page PDF takes seconds)."""
        self._read_path(number).write_text(
            json.dumps(parsed, ensure_ascii=False, default=str), encoding="utf-8"
        )

    def _read_path(self, number: int) -> Path:
        return self.folder / f"{number}.read.json"  # no upload's disk name ends so

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def disk_name(number: int, name: str) -> str:
    suffix = Path(name).suffix.lower()
    return f"{number}{suffix if suffix in _SUFFIXES else ''}"


def purge_expired(now: float | None = None) -> None:
    """Remove what was staged more than a day ago (an upload never confirmed nor cancelled)."""
    base = root()
    if not base.is_dir():
        return
    limit = (now or time.time()) - MAX_AGE_SECONDS
    for folder in base.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def stage(*, user_id: int, library_id: int, uploads) -> Staged:
    """Write ``uploads`` (Django UploadedFiles) into a new private folder; returns it."""
    base = root()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(24)  # 32 characters
    folder = base / token
    folder.mkdir(mode=0o700)
    names = []
    try:
        for number, upload in enumerate(uploads, start=1):
            with (folder / disk_name(number, upload.name)).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            names.append(upload.name)
        manifest = {"user": user_id, "library": library_id, "names": names}
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Staged(token, folder, user_id, library_id, names)


def find(token: str, *, user_id: int) -> Staged | None:
    """The upload staged under ``token`` by ``user_id``, or None (unknown, expired, another
    user's: all the same to the caller)."""
    if not _TOKEN_RE.match(token or ""):
        return None
    folder = root() / token
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if folder.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            return None
    except (OSError, ValueError):
        return None
    if manifest.get("user") != user_id:
        return None
    return Staged(token, folder, user_id, manifest["library"], list(manifest["names"]))
