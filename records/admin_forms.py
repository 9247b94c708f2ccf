"""Admin forms of the records app: every change states its reason, kept in the history."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class ReasonedModelForm(WagtailAdminModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("Kept in the history with your name and the time."),
    )

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data["change_reason"]
        return super().save(commit=commit)
