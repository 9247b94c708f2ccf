"""The chooser of the account that agrees on a line of КЕЛІСІЛДІ.

A plain select listed every account of the university once per line: with 3,000 accounts
the edit page of ҚазҰТЗУ 715 ҚП (21 lines) was 3.5 MB and took 3.5–7 s on the server
(bench/admin --accounts 3000). The chooser shows the chosen account only; its modal lists the
accounts that can open the admin (only they can agree in the workflow), by name, searched by
name or login, a page at a time.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser


def account_label(user) -> str:
    name = user.get_full_name().strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def agreer_candidates():
    """Active accounts that may open the admin, where the agreement task is done."""
    access = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=access)
            | Q(user_permissions__in=access)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class AccountSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(username__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects


class AccountColumns:
    filter_form_class = AccountSearchForm

    @property
    def title_column(self):
        column = super().title_column
        column.accessor = account_label
        return column


class AccountChooseView(AccountColumns, ChooseView):
    pass


class AccountChooseResultsView(AccountColumns, ChooseResultsView):
    pass


class AccountChooser(BaseChooser):
    def get_display_title(self, instance):
        return account_label(instance)


class InterfaceTextsChooserMixin:
    """The texts of a chooser viewset ("Choose", "Edit", the modal's "Search" tab) in each
    reader's language: Wagtail's ``ChooserViewSet`` translates them once, when it is imported,
    so every reader got the default language's (Kazakh) words."""

    choose_one_text = _("Choose")
    choose_another_text = _("Choose another")
    edit_item_text = _("Edit")
    search_tab_label = _("Search")
    create_action_label = _("Create")


class AgreerChooserViewSet(InterfaceTextsChooserMixin, ChooserViewSet):
    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = _("Choose an account")
    choose_another_text = _("Choose another account")
    choose_view_class = AccountChooseView
    choose_results_view_class = AccountChooseResultsView
    base_widget_class = AccountChooser
    per_page = 20
    # Only the КЕЛІСІЛДІ line uses it; other forms keep their own widgets.
    register_widget = False

    def get_object_list(self):
        return agreer_candidates()


agreer_chooser_viewset = AgreerChooserViewSet("agreer_chooser", url_prefix="documents/agreers")
AgreerChooserWidget = agreer_chooser_viewset.widget_class
