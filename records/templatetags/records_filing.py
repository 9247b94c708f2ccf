"""``{% load records_filing %}``: where a person files a record on a form, for a form's page."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from .. import permissions
from ..models import RecordSeries

register = template.Library()


@register.simple_tag(takes_context=True)
def record_filing_url(context, qms_form) -> str:
    """The new-record page with ``qms_form``'s series chosen, when the person reading may
    file a record of that series for one of their units; "" otherwise (no link shown)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if qms_form is None or user is None or not user.is_authenticated:
        return ""
    units = permissions.filing_units(user)
    if not RecordSeries.objects.filter(
        form=qms_form, organisation__in=units.values("organisation")
    ).exists():
        return ""
    return f"{reverse('records:create')}?{urlencode({'form': qms_form.pk})}"
