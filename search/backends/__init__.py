"""Backend loader: ``get_backend()`` returns the configured one (``SAPA_SEARCH_BACKEND``:
"embedded", the default, "tantivy" or "engine"), ``get_backend(name)`` a named one."""

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
def _load(name: str, where: str) -> Backend:
    if name == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(where)
    if name == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend(where)
    if name == "engine":
        from .engine import EngineBackend

        return EngineBackend(where)
    raise ValueError(f"unknown search backend {name!r}: embedded, tantivy or engine")


def get_backend(name: str | None = None) -> Backend:
    name = name or settings.SAPA_SEARCH_BACKEND
    where = {
        "embedded": settings.SAPA_SEARCH_EMBEDDED_PATH,
        "tantivy": settings.SAPA_SEARCH_TANTIVY_PATH,
    }.get(name, settings.SAPA_SEARCH_ENGINE_URL)
    return _load(name, str(where))


def reset_backends() -> None:
    _load.cache_clear()
