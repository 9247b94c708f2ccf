"""``{% load records_display %}``: records' stored texts as the reader's language shows them."""

from django import template

from .. import display
from ..display import system_text

register = template.Library()


@register.filter
def records_system_text(value):
    """A reason or message Sapa wrote (in its writer's language), in the reader's language;
    a text a person typed, as typed."""
    return system_text(str(value or ""))


@register.filter
def person(user) -> str:
    """A person as the records' pages name them (``display.person``)."""
    return display.person(user)


@register.filter
def access_detail(entry) -> str:
    """What an access log entry asked, in words (``display.access_detail``)."""
    return display.access_detail(entry)


@register.filter
def file_kind(content_type) -> str:
    """A file's format as people name it (``display.file_kind``)."""
    return display.file_kind(str(content_type or ""))
