"""Where record files live: a private folder that no URL serves.

Record files (confidential ones among them) are read only through the permission-checked,
logged download view, never from /media/. The field's storage is a lazy handle on
``STORAGES["records"]``, so a changed setting (another deployment, a test) takes effect."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

from sapa.documents.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """The records' store: names keep "№" and Kazakh letters (``valid_file_name``)."""

    def url(self, name):
        raise ValueError("Record files have no public URL; use the records download view.")


class _RecordsStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["records"]


_records_storage = _RecordsStorage()


def records_storage():
    return _records_storage


def _reset(*, setting, **kwargs):
    if setting == "STORAGES":
        _records_storage._wrapped = empty


setting_changed.connect(_reset)


def stored_names(storage=None, folder: str = ""):
    """Every file name in the records store (or ``storage``), as ``FileField`` names them."""
    storage = storage or _records_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)
