"""The admin form of controlled documents (the edition rules shown where the editor works),
and what keeps the admin's other forms in the language of the person using them."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form, whose password field has no label of its own: Django made
    one from the field's name, "Password", in English whatever the interface language
    (``WAGTAILADMIN_USER_LOGIN_FORM``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")


class FormPerRequestMixin:
    """For a Wagtail ``ModelViewSet`` or ``SnippetViewSet`` with panels: build the create and
    edit form class for each request, not once when the admin's URLs load.

    Wagtail passes the form class to these views when it builds its URLs, and a chooser widget
    formats its "Choose …" text when the class is built: a form class built once speaks the
    language of that moment (Kazakh, the default) to every later reader."""

    def _form_per_request(self, view_kwargs: dict, view_class, for_update: bool) -> dict:
        if view_kwargs.get("panel") is not None:
            view_kwargs["form_class"] = None  # the view builds it from the panel
        elif hasattr(view_class, "form_class_builder"):
            view_kwargs["form_class_builder"] = functools.partial(
                self.get_form_class, for_update=for_update
            )
        return view_kwargs

    def get_add_view_kwargs(self, **kwargs):
        view_kwargs = super().get_add_view_kwargs(**kwargs)
        return self._form_per_request(view_kwargs, self.add_view_class, False)

    def get_edit_view_kwargs(self, **kwargs):
        view_kwargs = super().get_edit_view_kwargs(**kwargs)
        return self._form_per_request(view_kwargs, self.edit_view_class, True)


class FormClassPerRequestView:
    """A create or edit view of a viewset without panels (``FormPerRequestMixin``): it asks
    the viewset for its form class on each request."""

    form_class_builder = None

    def get_form_class(self):
        if self.form_class_builder is not None:
            return self.form_class_builder()
        return super().get_form_class()


class ControlledDocumentForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the owning unit is one of the document's own organisation
        from .models import Organisation

        unit = self.fields.get("owning_unit")
        place = self.instance if self.instance.pk else self.parent_page
        organisation = self.instance.organisation or (
            Organisation.for_page(place) if place else None
        )
        if unit is not None and organisation is not None:
            unit.queryset = unit.queryset.filter(organisation=organisation)

    def clean(self):
        cleaned = super().clean()
        submitting = "action-submit" in self.data or "action-restart-workflow" in self.data
        if submitting:
            self._check_submission(cleaned)
        if "action-publish" not in self.data or not self.instance.pk:
            return cleaned
        from .services import change_alters_nothing_problem, edition_publication_problem

        number = cleaned.get("edition_number")
        key = str(number) if number else (cleaned.get("edition_version") or "").strip()
        rows = self.formsets.get("register_entries")
        change_numbers: list[str] = []
        if rows is not None and rows.is_valid():
            change_numbers = [
                form.cleaned_data.get("change_number", "")
                for form in rows.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        problem = edition_publication_problem(
            document=self.instance, key=key, edition_number=number, change_numbers=change_numbers
        )
        printed = self._printed(cleaned)
        if not problem and printed is not None:
            problem = change_alters_nothing_problem(
                document=self.instance, key=key, printed=printed
            )
        if problem:
            self.add_error(None, problem)
        return cleaned

    def has_changed(self) -> bool:
        """Whether saving makes a new revision: Wagtail asks before it saves, and before a
        workflow step taken in the editor (an agreement) saves what the editor holds.

        A child row only the draft holds (a register row or an agreement line added since the
        last publication) has no id yet, so the browser sends it back as a new row, changed
        however untouched: every save of such a draft, an agreer's agreement in the editor
        among them, made a revision in the name of whoever clicked. Such a row counts as
        changed only when its values differ from the draft's."""
        if self.changed_data:
            return True
        return any(self._rows_changed(name, rows) for name, rows in self.formsets.items())

    def _rows_changed(self, name: str, rows) -> bool:
        held = getattr(self.instance, name, None)  # the comments' formset has another name
        drafted = [row for row in held.all() if row.pk is None] if held is not None else []
        unsaved = [form for form in rows.forms if not form.instance.pk]
        if not drafted or len(unsaved) != len(drafted) or not rows.is_valid():
            return any(form.has_changed() for form in rows.forms)
        if any(form.has_changed() for form in rows.forms if form.instance.pk):
            return True
        for form, row in zip(unsaved, drafted, strict=True):
            values = form.cleaned_data
            if values.get("DELETE"):
                return True
            names = [f for f in form.fields if f not in {"id", "DELETE", "ORDER"}]
            if any(values.get(f) != getattr(row, f, None) for f in names):
                return True
        return False

    def _printed(self, cleaned) -> dict | None:
        """What the draft in the editor prints (``change_content.PRINTED_FIELDS``); None
        while one of those fields has an error of its own (it is read once corrected)."""
        from .change_content import PRINTED_FIELDS

        names = [name for name in PRINTED_FIELDS if name in self.fields]
        if any(name not in cleaned for name in names):
            return None
        return {name: cleaned[name] for name in names}

    def _check_submission(self, cleaned) -> None:
        """Refuse a submission to the workflow that its approval or agreement would refuse.

        Each refusal is said once, where it is to be put right: rows of the register or of
        the КЕЛІСІЛДІ list that have errors of their own are not read for the rules that
        need them (the banner said "Add the row" over a row the panel showed was there, its
        missing fields marked)."""
        from .services import workflow_submission_problems

        number = cleaned.get("edition_number")
        rows = self.formsets.get("register_entries")
        lines = self.formsets.get("agreed_by")
        if self.instance.pk:
            workflow = self.instance.get_workflow()
        else:
            workflow = self.parent_page.get_workflow() if self.parent_page else None
        problems = workflow_submission_problems(
            document=self.instance,
            workflow=workflow,
            key=str(number) if number else (cleaned.get("edition_version") or "").strip(),
            edition_number=number,
            change_numbers=_kept(rows, "change_number", "") if _readable(rows) else None,
            agreers=_kept(lines, "user", None) if _readable(lines) else None,
            printed=self._printed(cleaned),
        )
        unreadable = any(not formset.is_valid() for formset in self.formsets.values())
        if problems or unreadable or self._errors:
            # Wagtail's banner says the page could not be saved: say what did not happen,
            # and that nothing typed is lost. (It said the editor's own saving had kept the
            # draft, "Saved" at the top, while the top said "Saving…".)
            self.add_error(
                None,
                _(
                    "Not sent for agreement and approval: correct what follows (the tabs to "
                    "look at are marked), then submit again. What you typed is still in the "
                    "editor."
                ),
            )
        for problem in problems:
            self.add_error(None, problem)
            # Said at the top; the rows where it is put right say so too, which marks their
            # tab with the count of what to correct on it.
            rows = self.formsets.get(getattr(problem, "panel", ""))
            if rows is not None:
                rows.non_form_errors().append(problem.note or PANEL_NOTES[problem.panel])


#: What the rows of a refused submission say, beside the reason at the top of the page.
PANEL_NOTES = {
    "register_entries": gettext_lazy(
        "Add this change's row here: change number, section and clause, kind of change, "
        "date introduced, surname and name."
    ),
    "agreed_by": gettext_lazy("Correct this list as said at the top of the page."),
}


def _readable(formset) -> bool:
    """Whether the rows of ``formset`` can be read for a rule: none has errors of its own
    (those are shown with the row, in its panel)."""
    return formset is None or formset.is_valid()


def _kept(formset, field: str, default) -> list:
    """``field`` of every row of ``formset`` that is kept (not deleted)."""
    if formset is None or not formset.is_valid():
        return []
    return [
        form.cleaned_data.get(field, default)
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
