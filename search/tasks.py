"""Background work of search (django-tasks, the database queue that OCR and rendering use):
draining the outbox. Each transaction that writes outbox rows queues one drain once it has
committed (``indexing._drain_after_commit``); ``search_index sync --queue``, run from cron,
queues one for rows that a failed drain left. The worker (``manage.py db_worker --backend
background``) runs them; a failed drain is a failed task in the queue's results (the admin's
*Task results*), and its rows stay in the outbox with the error."""

from __future__ import annotations

from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


@task(backend="background")
def sync_search_index() -> int:
    """Index what the outbox lists; returns how many objects were indexed."""
    from .indexing import sync

    return sync()


def request_sync() -> bool:
    """Queue a drain, unless one is already waiting to start in the database queue: that one
    reads the outbox when it starts, so it will see what has just committed. Returns whether
    a drain was queued (with immediate tasks, it has run)."""
    backend = sync_search_index.get_backend()
    if (
        isinstance(backend, DatabaseBackend)
        and DBTaskResult.objects.ready()
        .filter(backend_name=backend.alias, task_path=sync_search_index.module_path)
        .exists()
    ):
        return False
    sync_search_index.enqueue()
    return True
