"""Tests: fast hashing, a throw-away media folder, SQLite unless DATABASE_URL says otherwise."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "sapa-tests-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sapa-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "records": {
        "BACKEND": "records.storage.PrivateFileStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="sapa-test-records-")},
    },
}
WAGTAILADMIN_BASE_URL = "http://testserver"
SAPA_IMPORT_UPLOADS_ROOT = Path(tempfile.mkdtemp(prefix="sapa-test-import-uploads-"))
SAPA_SEARCH_TANTIVY_PATH = Path(tempfile.mkdtemp(prefix="sapa-test-search-")) / "tantivy"
# Embedding every clause of the demo takes a minute: only the tests of it turn it on.
SAPA_SEARCH_SEMANTIC = "off"
SAPA_SEARCH_VECTORS_PATH = Path(tempfile.mkdtemp(prefix="sapa-test-search-")) / "vectors.sqlite3"
