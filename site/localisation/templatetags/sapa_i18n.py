"""``{% load sapa_i18n %}``: the site's date helper and the language switcher."""

from django import template
from django.conf import settings

from ..dates import format_date, format_datetime, interface_language

register = template.Library()


@register.filter
def sapa_date(value):
    """``{{ record.record_date|sapa_date }}`` → «08» 07 2016 ж. / «08» июля 2016 г. / 8 July 2016"""
    return format_date(value)


@register.filter
def sapa_datetime(value):
    """A date with its time, in the same form."""
    return format_datetime(value)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = interface_language()
    languages = []
    for code, name in settings.LANGUAGES:  # each language named in itself
        languages.append({"code": code, "name": name, "current": code == current})
    return {
        "languages": languages,
        "next": request.get_full_path() if request else "/",
        "csrf_token": context.get("csrf_token"),
        "current": current,
    }


@register.simple_tag
def shown(page, field: str):
    """``{% shown page "title" as title %}<h1 lang="{{ title.lang }}">{{ title }}</h1>``: the
    page's title or introduction in the reader's language when given (``pages.InLanguages``),
    else as written."""
    if hasattr(page, "shown"):
        return page.shown(field)
    from ..pages import Shown

    return Shown(getattr(page, field, "") or "", getattr(page.locale, "language_code", "kk"))
