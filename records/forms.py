"""Forms of the records pages: what users type, checked before the services run."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from sapa.documents.models import ControlledDocument, QmsForm, Unit

from .models import AccessAction, HoldReason, PeriodKind, RecordSeries, RecordStatus
from .selectors import matching_forms, matching_procedures, matching_units, names_no_code
from .services.records import academic_year_bounds, normal_academic_year


class PageForm(forms.Form):
    """A form of the records pages, drawn by ``{{ form }}`` field by field
    (``includes/form.html``): each label capitalised above its field, the required ones marked,
    the help under the field and the field's errors beside it."""

    template_name = "includes/form.html"
    default_renderer = TemplatesSetting  # the project's templates, where that one is

    @property
    def required_marked(self) -> bool:
        return any(field.field.required for field in self.visible_fields())


class AccessLogFilterForm(forms.Form):
    """The access log's filters: who, what they did, which record, when (an auditor read 89
    rows of a short session with nothing to narrow them by)."""

    who = forms.CharField(
        label=_("who"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("login or words of the name")}),
    )
    action = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", "—"), *AccessAction.choices]
    )
    record = forms.CharField(
        label=_("record"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("identifier or a part of it")}),
    )
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day comes before the first."))
        return data


class RecordFilterForm(forms.Form):
    """The list's filters, read the way people type them (see ``selectors.lookup_words``).
    A value that cannot be read gets its error next to the field; the other filters stay."""

    procedure = forms.CharField(
        label=_("procedure"),
        required=False,
        max_length=80,
        widget=forms.TextInput(),
    )
    form = forms.CharField(
        label=_("form"),
        required=False,
        max_length=80,
        widget=forms.TextInput(),
    )
    unit = forms.CharField(
        label=_("unit"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("abbreviation or words of the name")}),
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", "—"), *RecordStatus.choices, ("on_hold", _("on hold"))],
    )
    # The records whose period reaches into it, as the university counts its years (a tester
    # looked for a year filter and found only dates).
    academic_year = forms.CharField(
        label=_("academic year"),
        required=False,
        max_length=20,  # room for " 2025 – 2026" pasted (a browser cut it to 9 characters)
        widget=forms.TextInput(attrs={"placeholder": "2025-2026", "inputmode": "numeric"}),
    )
    # The records whose period (academic year, semester or dates) reaches into these days:
    # "from"/"to" alone left an auditor asking which date they filtered on.
    date_from = forms.DateField(
        label=_("period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("text"), required=False, max_length=200)

    #: The choice of every organisation the reader covers (the organisations are ids).
    EVERY = "all"

    def __init__(self, *args, organisations=(), here: int | None = None, **kwargs):
        """``organisations``: those whose records the reader reads, when more than one (the
        quality office or an auditor of several universities): the list is then narrowed to
        one of them, by default ``here``, the university of the host it is read on."""
        super().__init__(*args, **kwargs)
        self.here = here
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("organisation"),
                required=False,
                choices=[
                    (self.EVERY, _("every one you read")),
                    *((str(o.pk), o.short_name or o.name_kk) for o in organisations),
                ],
                initial=str(here) if here else self.EVERY,
            )
            # first, as it decides what the other filters narrow
            self.order_fields(["organisation"])
        # The examples are codes as published ("ҚазҰТЗУ 715 ҚП", "ҚазҰТЗУ 715-02 Ү"): what
        # people copy from a document, the same in every interface language.
        examples = {
            "procedure": ControlledDocument.objects.live().order_by("pk"),
            "form": QmsForm.objects.order_by("pk"),
        }
        for name, queryset in examples.items():
            code = queryset.values_list("code", flat=True).first()
            if code:
                self.fields[name].widget.attrs["placeholder"] = _("e.g. %(code)s") % {"code": code}

    def organisation_chosen(self) -> int | None:
        """The organisation the list is narrowed to: the one chosen, else the host's (None:
        every one the reader reads)."""
        if "organisation" not in self.fields:
            return None
        chosen = self.data.get("organisation", "") if self.is_bound else ""
        if chosen == self.EVERY:
            return None
        valid = {value for value, _label in self.fields["organisation"].choices}
        return int(chosen) if chosen in valid else self.here

    # A value that names nothing is marked on its field and left out (the list follows the
    # other filters, the export refuses), rather than narrowing the list to no record at all.
    def clean_procedure(self):
        typed = self.cleaned_data["procedure"]
        if typed and names_no_code(typed, matching_procedures):
            raise forms.ValidationError(
                _(
                    "«%(typed)s» names no procedure: type the procedure's code as printed, "
                    "with its number."
                ),
                code="unknown",
                params={"typed": typed},
            )
        return typed

    def clean_form(self):
        typed = self.cleaned_data["form"]
        if typed and names_no_code(typed, matching_forms):
            raise forms.ValidationError(
                _("«%(typed)s» names no form: type the form's code as printed, with its number."),
                code="unknown",
                params={"typed": typed},
            )
        return typed

    def clean_academic_year(self):
        typed = normal_academic_year(self.cleaned_data["academic_year"])
        if typed:
            try:
                academic_year_bounds(typed)
            except ValidationError:
                raise forms.ValidationError(
                    _("Write the academic year as 2025-2026."), code="invalid"
                ) from None
        return typed

    def clean_unit(self):
        typed = self.cleaned_data["unit"]
        if typed and not matching_units(typed):
            raise forms.ValidationError(
                _("«%(typed)s» names no unit: type its abbreviation or words of its name."),
                code="unknown",
                params={"typed": typed},
            )
        return typed

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data


#: The period fields each kind of period uses.
PERIOD_FIELDS = {
    "academic_year": (PeriodKind.ACADEMIC_YEAR, PeriodKind.SEMESTER),
    "semester": (PeriodKind.SEMESTER,),
    "period_start": (PeriodKind.DATES,),
    "period_end": (PeriodKind.DATES,),
}


class RecordCreateForm(PageForm):
    # A series is the records of one form: the keeper chooses the form (the field said
    # "series", the form's page and the list say "form", a tester).
    series = forms.ModelChoiceField(
        label=_("form"),
        queryset=RecordSeries.objects.none(),
        empty_label="—",
        help_text=_("The form the record is made on: it is filed in that form's records series."),
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), empty_label="—")
    title = forms.CharField(label=_("title"), max_length=300)
    period_kind = forms.ChoiceField(label=_("period"), choices=PeriodKind.choices)
    academic_year = forms.CharField(
        label=_("academic year"),
        required=False,
        max_length=20,  # " 2025 – 2026" pasted is the year 2025-2026 (record_create)
        help_text=_("As 2025-2026."),
        widget=forms.TextInput(attrs={"placeholder": "2025-2026", "inputmode": "numeric"}),
    )
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
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("The signed copy (PDF or a scan); more files can be added later."),
    )

    def __init__(self, *args, series, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["unit"].queryset = units
        # One unit to file for: it is chosen (a keeper met "—" with a single choice under it).
        only = list(units[:2]) if hasattr(units, "__getitem__") else []
        if len(only) == 1 and not self.initial.get("unit"):
            self.initial["unit"] = only[0].pk
        # Which period fields belong to which kind of period (sapa/record_form.js shows only
        # the chosen kind's; without scripts every field stays).
        for name, kinds in PERIOD_FIELDS.items():
            self.fields[name].widget.attrs["data-period-kinds"] = " ".join(kinds)

    def ask_whether_another(self, *, marked: bool = True) -> None:
        """The box that files one more record of the same form, unit and period: marked when
        one is filed already (the page lists it); kept, ticked, when the person ticked it and
        the form comes back for another reason (a refused file), so they are not asked again."""
        self.fields["another"] = forms.BooleanField(
            label=_("It is another record, not the one already filed"), required=False
        )
        if marked:
            self.add_error(
                "another", _("Tick this to file one more record of this form, unit and period.")
            )


class FileUploadForm(PageForm):
    """A file for a record: a new one, or a new version of one of its files, chosen from a
    list (a tester typed a file's name to add its version, and a letter off made a new file)."""

    file = forms.FileField(label=_("file"))
    version_of = forms.ChoiceField(
        label=_("new version of"),
        required=False,
        help_text=_(
            "Choose the record's file that this upload replaces; leave «a new file» to add one."
        ),
    )
    name = forms.CharField(
        label=_("file name"),
        required=False,
        max_length=200,
        help_text=_("For a new file: the name it is kept under (empty: the uploaded file's own)."),
    )
    reason = forms.CharField(label=_("reason"), max_length=500)

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        if names:
            self.fields["version_of"].choices = [("", _("— a new file —"))] + [
                (name, name) for name in names
            ]
        else:
            del self.fields["version_of"]

    def clean(self):
        data = super().clean()
        chosen = data.get("version_of") or ""
        typed = (data.get("name") or "").strip()
        if chosen and typed and typed != chosen:
            self.add_error(
                "name",
                _(
                    "A new version keeps its file's name: leave the name empty, or choose «a "
                    "new file»."
                ),
            )
        elif chosen:
            data["name"] = chosen
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for closing"),
        max_length=500,
        error_messages={"required": _("Say why the record is closed.")},
    )
    # Closing cannot be undone: one click closed a tester's record, its period not ended.
    understood = forms.BooleanField(
        label=_(
            "I understand: once closed, its unit makes no more changes to it and adds no files "
            "(only the quality office corrects it), and its retention period starts."
        ),
        error_messages={"required": _("Confirm that the record is to be closed for good.")},
    )


class HoldReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for releasing"),
        max_length=500,
        error_messages={"required": _("Say why the hold is released.")},
    )


class RecordEditForm(PageForm):
    """What may change on a record (see ``services.records.EDITABLE_FIELDS``), and why."""

    title = forms.CharField(label=_("title"), max_length=300)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    record_date = forms.DateField(
        label=_("record date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("reason for the change"),
        max_length=500,
        error_messages={"required": _("Say why the record is changed.")},
    )

    FIELDS = ("title", "description", "record_date")

    def changes(self, record) -> dict:
        """The fields whose value differs from the record's."""
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS
            if self.cleaned_data[name] != getattr(record, name)
        }


class HoldForm(PageForm):
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
        # In the nomenclature's order, by form number; with the university's name when the
        # quality office holds for more than one (the list mixed them, unsorted, unlabelled).
        series = series.select_related("form", "organisation").order_by(
            "organisation__short_name", "form__number", "title", "pk"
        )
        field = self.fields["series"]
        field.queryset = series
        if series.values("organisation").distinct().count() > 1:
            field.label_from_instance = lambda one: f"{one.organisation.short_name} · {one}"
