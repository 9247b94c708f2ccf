"""What "nothing left behind" means: every table's row count (pages, revisions, records,
record files, their history, the search outbox …) and every file under the media folder,
the records store and the temporary folder, compared before and after."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext

from tests.factories.records import build_world

# Rows that come and go with signing in, not with what was uploaded.
IGNORED = {"sessions.Session"}


def t(msgid: str, language: str = "kk", **values) -> str:
    """The text a reader of ``language`` sees for ``msgid``."""
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


class Leftovers:
    def __init__(self, settings, temporary: Path):
        self.settings = settings
        self.temporary = temporary

    def roots(self) -> list[Path]:
        return [
            Path(self.settings.MEDIA_ROOT),
            Path(self.settings.STORAGES["records"]["OPTIONS"]["location"]),
            self.temporary,
        ]

    def state(self) -> dict:
        counts = {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.label not in IGNORED
        }
        files = {
            str(root): sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
            for root in self.roots()
            if root.exists()
        }
        return {"rows": counts, "files": files}

    def changed(self, before: dict) -> dict:
        """What differs from ``before``: {table: (before, after)} and {folder: new files}."""
        after = self.state()
        rows = {
            label: (before["rows"].get(label), count)
            for label, count in after["rows"].items()
            if before["rows"].get(label) != count
        }
        files = {
            root: sorted(set(names) - set(before["files"].get(root, [])))
            for root, names in after["files"].items()
            if set(names) - set(before["files"].get(root, []))
        }
        return {**rows, **files}


@pytest.fixture
def leftovers(settings, tmp_path, monkeypatch) -> Leftovers:
    """Temporary files (the admin's upload copies, Django's big uploads) go to a folder of
    the test's own, so that one is compared too."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    return Leftovers(settings, temporary)


@pytest.fixture
def world(kaznrtu_library, _lay):
    """Units, series and people of tests/factories/records.py (made once per session)."""
    return _lay("records world") or build_world(kaznrtu_library)
