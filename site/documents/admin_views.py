"""Admin views of the documents app: starting a new edition."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ControlledDocument, EditionStatus
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
