"""Forms of the records pages: what users type, checked before the services run."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sapa.documents.models import Unit

from .models import HoldReason, PeriodKind, RecordSeries, RecordStatus


class RecordFilterForm(forms.Form):
    procedure = forms.CharField(label=_("procedure"), required=False, max_length=80)
    form = forms.CharField(label=_("form"), required=False, max_length=80)
    unit = forms.CharField(label=_("unit"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", "—"), *RecordStatus.choices, ("on_hold", _("on hold"))],
    )
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("text"), required=False, max_length=200)


class RecordCreateForm(forms.Form):
    series = forms.ModelChoiceField(label=_("series"), queryset=RecordSeries.objects.none())
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("title"), max_length=300)
    period_kind = forms.ChoiceField(label=_("period"), choices=PeriodKind.choices)
    academic_year = forms.CharField(label=_("academic year"), required=False, max_length=9)
    semester = forms.TypedChoiceField(
        label=_("semester"),
        required=False,
        choices=[("", "—"), (1, "1"), (2, "2")],
        coerce=int,
        empty_value=None,
    )
    period_start = forms.DateField(
        label=_("period start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("period end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, series, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["unit"].queryset = units


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("file"))
    name = forms.CharField(
        label=_("file name"),
        required=False,
        max_length=200,
        help_text=_("To add a new version of an existing file, give its name."),
    )
    reason = forms.CharField(label=_("reason"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class HoldForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=HoldReason.choices)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    identifiers = forms.CharField(
        label=_("record identifiers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    series = forms.ModelMultipleChoiceField(
        label=_("whole series"), required=False, queryset=RecordSeries.objects.none()
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
