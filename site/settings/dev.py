"""Development: DEBUG on, a secret key generated once and kept under var/."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR, env_bool

# On by default for development; `make demo` turns it off so people trying the demo meet
# the real 403, 404 and 500 pages.
DEBUG = env_bool("DEBUG", True)


def _dev_secret_key() -> str:
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = SECRET_KEY or _dev_secret_key()
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The demo runs no worker: background work (search index drains, the official PDFs, OCR) runs
# in the process that asked for it, right after its commit, so what one person publishes is
# found and printable at once. SAPA_BACKGROUND_TASKS names a queue (and its worker) instead.
if "SAPA_BACKGROUND_TASKS" not in os.environ:
    TASKS = {
        **TASKS,  # noqa: F405
        "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
