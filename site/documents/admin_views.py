"""Admin views of the documents app: starting a new edition, importing files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importing.service import import_file
from .models import ControlledDocument, DocumentLibraryPage, EditionStatus, Organisation
from .services import edition_start_new


class NewEditionForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Edition as printed"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Leave empty for «№N басылым»."),
    )
    version = forms.CharField(
        label=gettext_lazy("Version"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Only for documents numbered by version, e.g. 3.0."),
    )


def new_edition(request, page_id: int):
    page = get_object_or_404(ControlledDocument, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    in_force = page.editions.filter(status=EditionStatus.IN_FORCE).first()
    form = NewEditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition_start_new(
                document=page,
                user=request.user,
                label=form.cleaned_data["label"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft of the new edition is ready: collect the agreements and approval."),
            )
            return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return TemplateResponse(
        request,
        "documents/admin/new_edition.html",
        {"page": page, "form": form, "in_force": in_force},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return (
            [single(item, initial) for item in data]
            if isinstance(data, list | tuple)
            else [single(data, initial)]
        )


class ImportForm(forms.Form):
    library = forms.ModelChoiceField(
        label=gettext_lazy("Document library"), queryset=DocumentLibraryPage.objects.none()
    )
    files = MultipleFileField(
        label=gettext_lazy("PDF or text files"),
        help_text=gettext_lazy("The files become drafts; nothing is published."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only read, write nothing"), required=False)

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


def import_documents(request):
    libraries = [
        library
        for library in DocumentLibraryPage.objects.all()
        if library.permissions_for_user(request.user).can_add_subpage()
    ]
    if not libraries:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        libraries=DocumentLibraryPage.objects.filter(pk__in=[lib.pk for lib in libraries]),
    )
    reports = []
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.for_page(form.cleaned_data["library"])
        with tempfile.TemporaryDirectory(prefix="sapa-upload-") as folder:
            for upload in form.cleaned_data["files"]:
                path = Path(folder) / Path(upload.name).name
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                reports.append(
                    import_file(
                        path,
                        user=request.user,
                        organisation=organisation.code_prefix,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                )
    return TemplateResponse(
        request, "documents/admin/import.html", {"form": form, "reports": reports}
    )
