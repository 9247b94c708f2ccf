"""Backend loader: ``get_backend()`` returns the configured one (``SAPA_SEARCH_BACKEND``:
"tantivy", the embedded default, or "engine"), ``get_backend(name)`` a named one. "embedded",
the name of the SQLite FTS5 backend that tantivy replaced, still means the embedded default, so
that an existing configuration keeps working (after one ``search_index rebuild``)."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import Backend, Hit, RecordScope, Results, SearchQuery

__all__ = [
    "Backend",
    "Hit",
    "RecordScope",
    "Results",
    "SearchQuery",
    "get_backend",
    "reset_backends",
]


@cache
def _load(name: str, where: str, alias: str = "") -> Backend:
    if name == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend(where)
    if name == "engine":
        from .engine import EngineBackend

        return EngineBackend(where, alias=alias)
    raise ValueError(f"unknown search backend {name!r}: tantivy or engine")


def get_backend(name: str | None = None) -> Backend:
    name = name or settings.SAPA_SEARCH_BACKEND
    if name == "embedded":
        name = "tantivy"
    if name == "tantivy":
        return _load(name, str(settings.SAPA_SEARCH_TANTIVY_PATH))
    return _load(name, str(settings.SAPA_SEARCH_ENGINE_URL), settings.SAPA_SEARCH_ENGINE_ALIAS)


def reset_backends() -> None:
    _load.cache_clear()
