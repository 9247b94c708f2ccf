"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("SAPA_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "search",
    "records",
    "sapa.documents",
    "sapa.localisation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's form and widget templates, for the forms drawn through the project's templates
    # (TemplatesSetting: records.forms.PageForm).
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sapa.localisation.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "home.middleware.NotAnAdminUserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sapa.urls"
WSGI_APPLICATION = "sapa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.header",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sapa.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once, and two of them may write: an
    # editor's "Submit" beside the editor's own session ping, two keepers filing. By default
    # SQLite answers "database is locked" at once (a 500) when two transactions that have read
    # both go on to write. Here each transaction takes the write lock when it begins and waits
    # up to 20 s for it, and the write-ahead log lets pages be read while one is written.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kazakh first: the quality office and staff read the site in Kazakh.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Sapa's own catalogues first; then the Kazakh catalogue Sapa supplies for Wagtail's and
# Django's strings (Wagtail ships no Kazakh, Django's is incomplete).
LOCALE_PATHS = [BASE_DIR / "site" / "locale", BASE_DIR / "site" / "locale_upstream"]
FORMAT_MODULE_PATH = ["sapa.formats"]
# The Wagtail admin offers the same three languages (it would hide Kazakh otherwise).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's sign-in form with its password field labelled in the interface language.
WAGTAILADMIN_USER_LOGIN_FORM = "sapa.documents.admin_forms.LoginForm"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Quality records' files: outside MEDIA_ROOT, served by no URL (see records/storage.py).
SAPA_RECORDS_ROOT = Path(os.environ.get("SAPA_RECORDS_ROOT", VAR_DIR / "records"))
STORAGES = {
    # Uploads (form templates) keep "№" and Kazakh letters in their names (documents.storage).
    "default": {"BACKEND": "sapa.documents.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "records": {
        "BACKEND": "records.storage.PrivateFileStorage",
        "OPTIONS": {"location": str(SAPA_RECORDS_ROOT)},
    },
}

# "default" as Django's own default (each process its own memory). "document_bodies": the
# rendered body and outline of each document text (documents.body_cache); keyed by the
# text itself, what it links to, the site and the language, so nothing has to be cleared and
# a process's copy is never stale. ~50 KB a body: at most ~25 MB a process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "document_bodies": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "document-bodies",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

WAGTAIL_SITE_NAME = "Sapa"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "rtf", "txt"]
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_I18N_ENABLED = False
# No Gravatar: Wagtail would show every account's picture from www.gravatar.com, sending a hash
# of its email address out (and a broken picture offline); an avatar uploaded in the account
# settings is still shown, else Wagtail's own default picture, served from our static files.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Bigger uploads are spooled to a temporary file whose name always fits the disk.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "records.uploads.TemporaryFileUploadHandler",
]
# Raised deliberately from Django's 1,000: the admin's edit form of a long document posts
# about 44 fields per printed page plus 200 (each StreamField block posts its type, id, order
# and deleted flag besides its own fields; bullets are one text area, see LinesBlock), so
# ҚазҰТЗУ 715 ҚП (15 pages) posts about 850 and a 60-page procedure 2,824. 5,000 covers a
# document of 100 pages. What the limit protects against: Django parses every field before
# any view or permission check (the CSRF check reads request.POST), at about 50 µs a field in
# a multipart body on a 2-core machine, so the limit bounds that work for anyone who can send
# a request: 5,000 fields cost about 0.25 s, where 10 MB of tiny fields would cost seconds.
# bench/admin prints the fields each page posts. SAPA_MAX_FORM_FIELDS changes it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("SAPA_MAX_FORM_FIELDS", "5000"))

# Background work: Wagtail's own small tasks run at once; OCR of scanned records, the official
# PDFs and the search index's drain (queued once a change commits) go to the database queue,
# worked by `manage.py db_worker --backend background`, where failures are kept (/django-admin/,
# Task Results). SAPA_BACKGROUND_TASKS=django_tasks.backends.immediate.ImmediateBackend runs them
# right after the commit instead, in the process that made the change (a demo with no worker).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": os.environ.get("SAPA_BACKGROUND_TASKS", "django_tasks_db.DatabaseBackend")
    },
}

# Search: "tantivy" (an embedded index in a directory, no service) or "engine" (OpenSearch /
# Elasticsearch 7).
SAPA_SEARCH_BACKEND = os.environ.get("SAPA_SEARCH_BACKEND", "tantivy")
# The tantivy backend's directory (its index, a lock and the `current` link of rebuilds).
SAPA_SEARCH_TANTIVY_PATH = Path(
    os.environ.get("SAPA_SEARCH_TANTIVY_PATH", VAR_DIR / "search-tantivy")
)
# Clause vectors for questions the index's words cannot answer (the optional extra
# "semantic"): "auto" uses them when the package is installed, "off" never.
SAPA_SEARCH_SEMANTIC = os.environ.get("SAPA_SEARCH_SEMANTIC", "auto")
SAPA_SEARCH_VECTORS_PATH = Path(
    os.environ.get("SAPA_SEARCH_VECTORS_PATH", VAR_DIR / "search-vectors.sqlite3")
)
SAPA_SEARCH_ENGINE_URL = os.environ.get("SAPA_SEARCH_ENGINE_URL", "http://127.0.0.1:9200")
# The alias searched (its versioned indexes are named after it): two sites can share a cluster.
SAPA_SEARCH_ENGINE_ALIAS = os.environ.get("SAPA_SEARCH_ENGINE_ALIAS", "sapa-entries")
SAPA_SEARCH_ENGINE_CA_CERTS = os.environ.get("SAPA_SEARCH_ENGINE_CA_CERTS", "")
SAPA_SEARCH_ENGINE_VERIFY_CERTS = env_bool("SAPA_SEARCH_ENGINE_VERIFY_CERTS", True)
# The records list's text filter asks the search index (records cannot import search).
SAPA_RECORD_TEXT_SEARCH = "search.services.record_ids_matching"

# Quality records: what may be uploaded.
SAPA_RECORD_MAX_UPLOAD_BYTES = int(os.environ.get("SAPA_RECORD_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
SAPA_RECORD_ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/json": ".json",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
