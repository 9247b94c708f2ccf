"""One way to write a date in each interface language; every page, export and email uses it.

- Kazakh, as the seeds write it: «08» 07 2016 ж.
- Russian, as Russian official papers do: «08» июля 2016 г.
- English: 8 July 2016

A time, when shown, follows the date (14:05, 24-hour, in the site's time zone). A document's
own text (its approval sheet, its register) keeps the dates as the document writes them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import dateformat, timezone, translation


def interface_language(language: str | None = None) -> str:
    """``kk``, ``ru`` or ``en`` for the given or active language (``ru-RU`` → ``ru``)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    code = code.replace("_", "-").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _as_local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(
    value: datetime.date | datetime.datetime | None,
    *,
    with_time: bool = False,
    language: str | None = None,
) -> str:
    """``value`` written in the interface language; "" for no value."""
    if value is None or value == "":
        return ""
    value = _as_local(value)
    language = interface_language(language)
    with translation.override(language):
        if language == "kk":
            text = f"«{value:%d}» {value:%m} {value:%Y} ж."
        elif language == "ru":
            text = f"«{value:%d}» {dateformat.format(value, 'E')} {value:%Y} г."
        else:
            text = f"{value.day} {dateformat.format(value, 'F')} {value:%Y}"
    if with_time and isinstance(value, datetime.datetime):
        text = f"{text}, {value:%H:%M}" if language != "kk" else f"{text} {value:%H:%M}"
    return text


def format_datetime(value, *, language: str | None = None) -> str:
    return format_date(value, with_time=True, language=language)
