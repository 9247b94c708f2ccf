"""Where uploaded files are stored: under the name people gave them, "№" and Kazakh letters
kept ("ҚазҰТЗУ 715-02 Ү №1.docx" is stored as "ҚазҰТЗУ_715-02_Ү_№1.docx").

Django's ``get_valid_filename`` keeps letters of every script but drops "№" (a symbol, not
a letter, to Python), so a form template or a record file lost its number on the way to the
disk, and from the name it was downloaded under. The storages of Sapa's uploads (the form
templates in Wagtail's documents, the records' private store) name files with
``valid_file_name``: Django's rule, with "№" kept and the name composed first."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import storage

# What a stored name may hold: letters and digits of any script, "_", "-", "." and "№".
# Nothing else: no folder separator, no quote, no control or format character.
_NOT_KEPT = re.compile(r"[^-\w.№]")


def valid_file_name(name: str) -> str:
    """``name`` as a stored file's name: composed (NFC: a letter sent as a base letter and a
    combining mark, as macOS writes "й", stays that letter instead of losing its mark),
    spaces as "_", and nothing kept but letters, digits, "_", "-", "." and "№"."""
    text = unicodedata.normalize("NFC", str(name)).strip().replace(" ", "_")
    text = _NOT_KEPT.sub("", text)
    if text in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from {name!r}")
    return text


class FileSystemStorage(storage.FileSystemStorage):
    """Django's file system storage naming files with ``valid_file_name``."""

    def get_valid_name(self, name: str) -> str:
        return valid_file_name(name)
