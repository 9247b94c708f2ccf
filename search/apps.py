from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search indexes over documents and records (built in a later issue)."""

    name = "search"
    label = "sapa_search"
    verbose_name = "Іздеу"
