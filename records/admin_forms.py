"""Admin forms of the records app: every change states its reason, kept in the history."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .permissions import managed_organisations


class ScopedModelForm(WagtailAdminModelForm):
    """Choices of organisation, unit, series and form limited to the organisations the
    user's quality-office role covers."""

    LIMITS = {
        "organisation": "pk__in",
        "unit": "organisation__in",
        "responsible_unit": "organisation__in",
        "series": "organisation__in",
        "form": "organisation__in",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is None:
            return
        organisations = managed_organisations(user)
        for name, lookup in self.LIMITS.items():
            field = self.fields.get(name)
            if field is not None and hasattr(field, "queryset"):
                field.queryset = field.queryset.filter(**{lookup: organisations})


class ReasonedModelForm(ScopedModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("Kept in the history with your name and the time."),
    )

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data["change_reason"]
        return super().save(commit=commit)
