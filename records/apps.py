from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Quality records per procedure 404 (built in a later issue)."""

    name = "records"
    verbose_name = "Сапа жазбалары"
