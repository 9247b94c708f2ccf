"""Who signs in at the admin without being one of its users (a unit keeper, an auditor, staff)
is taken to their own pages on the site, told why: Wagtail answered them with its sign-in form
again and "You do not have permission to access the admin", and no way on."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from records.permissions import is_auditor, keeper_unit_ids


class NotAnAdminUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = reverse("wagtailadmin_home")
        self.logout = reverse("wagtailadmin_logout")

    def __call__(self, request):
        user = request.user
        if (
            request.method == "GET"
            and request.path.startswith(self.admin)
            and request.path != self.logout
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
            and request.headers.get("x-requested-with") != "XMLHttpRequest"
        ):
            return self._to_their_pages(request, user)
        return self.get_response(request)

    @staticmethod
    def _to_their_pages(request, user):
        records = is_auditor(user) or bool(keeper_unit_ids(user))
        # Wagtail's own refusal, queued on the way in, would greet them on the site too.
        list(messages.get_messages(request))
        if records:
            messages.info(
                request,
                gettext(
                    "The admin is where the quality office and the agreers work; your work "
                    "is here, in the records."
                ),
            )
            return redirect("records:list")
        messages.info(
            request,
            gettext(
                "The admin is where the quality office and the agreers work; the documents "
                "are read and searched here, on the site."
            ),
        )
        return redirect("/")
