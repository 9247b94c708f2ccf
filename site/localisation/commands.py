"""The language of ``manage.py`` commands' output meant for people (reports, refusals).

The site's language (``LANGUAGE_CODE``, Kazakh) unless the operator sets ``SAPA_LANGUAGE`` to
``ru`` or ``en``: ``SAPA_LANGUAGE=ru python manage.py records_verify``. The machine's ``LANG``
is not used: servers often run with ``C.UTF-8`` or ``en_US.UTF-8`` whatever their operators read.
"""

import os

from django.conf import settings
from django.utils import translation


def activate_operator_language() -> str:
    language = os.environ.get("SAPA_LANGUAGE", "").strip().lower()[:2]
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    return language
