from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Quality records per procedure 404."""

    name = "records"
    verbose_name = _("Quality records")
