"""Template helpers of the "what changed" pages."""

from django import template

from ..compare import previous_edition as _previous_edition

register = template.Library()


@register.simple_tag
def previous_edition(edition):
    """The edition ``edition`` followed, if it was published (then its changes are shown)."""
    if edition is None:
        return None
    previous = _previous_edition(edition)
    return previous if previous is not None and previous.revision_id else None
