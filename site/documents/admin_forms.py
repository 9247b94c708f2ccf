"""The admin form of controlled documents: the edition rules shown where the editor works."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class ControlledDocumentForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if "action-publish" not in self.data or not self.instance.pk:
            return cleaned
        from .services import edition_publication_problem

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
        if problem:
            self.add_error(None, problem)
        return cleaned
