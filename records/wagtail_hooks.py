"""Admin wiring of the records app: the nomenclature, keepers, grants and policy as
viewsets; the records pages themselves live at /records/ and are linked from the menu."""

from django.forms.models import modelform_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .admin_forms import ReasonedModelForm, ScopedModelForm
from .models import (
    KeeperAssignment,
    OrganisationMembership,
    RecordSeries,
    RecordsPolicy,
    SeriesGrant,
)
from .permissions import is_quality_office, managed_organisations


class ScopedViews:
    """Index, edit and delete views that list and open only the rows of the organisations
    the user's role covers (``organisation_path`` leads from the row to its organisation),
    with a form whose choices stay inside them too."""

    organisation_path = "organisation"

    def _scoped(self, queryset):
        organisations = managed_organisations(self.request.user)
        return queryset.filter(**{f"{self.organisation_path}__in": organisations})


class ScopedIndexView(ScopedViews, generic.IndexView):
    def get_base_queryset(self):
        return self._scoped(super().get_base_queryset())


class ScopedEditView(ScopedViews, generic.EditView):
    def get_queryset(self):
        return self._scoped(super().get_queryset())


class ScopedDeleteView(ScopedViews, generic.DeleteView):
    def get_queryset(self):
        return self._scoped(super().get_queryset())


class ScopedViewSet(ModelViewSet):
    """A records admin viewset whose rows, and form choices, stay inside the organisations
    the user's quality-office role covers."""

    organisation_path = "organisation"
    base_form = ScopedModelForm
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(organisation_path=self.organisation_path, **kwargs)

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=self.base_form, fields=self.form_fields)


class RecordSeriesViewSet(ScopedViewSet):
    model = RecordSeries
    icon = "list-ul"
    menu_label = _("Records nomenclature")
    form_fields = [
        "organisation",
        "form",
        "title",
        "responsible_unit",
        "responsible_position",
        "storage",
        "storage_place",
        "retention_rule",
        "retention_years",
        "disposition",
        "confidentiality",
    ]
    list_display = [
        "title",
        "form",
        "retention_rule",
        "retention_years",
        "disposition",
        "confidentiality",
    ]
    list_filter = ["organisation", "confidentiality", "retention_rule"]
    search_fields = ["title"]
    base_form = ReasonedModelForm


class KeeperAssignmentViewSet(ScopedViewSet):
    model = KeeperAssignment
    organisation_path = "unit__organisation"
    icon = "user"
    menu_label = _("Record keepers")
    form_fields = ["user", "unit"]
    list_display = ["user", "unit"]


class SeriesGrantViewSet(ScopedViewSet):
    model = SeriesGrant
    organisation_path = "series__organisation"
    icon = "key"
    menu_label = _("Access grants")
    form_fields = ["user", "series"]
    list_display = ["user", "series", "granted_at"]


class OrganisationMembershipViewSet(ScopedViewSet):
    model = OrganisationMembership
    icon = "group"
    menu_label = _("Organisation memberships")
    form_fields = ["user", "organisation"]
    list_display = ["user", "organisation"]


class RecordsPolicyViewSet(ScopedViewSet):
    model = RecordsPolicy
    icon = "cog"
    menu_label = _("Identifier pattern")
    form_fields = ["organisation", "identifier_pattern"]
    list_display = ["organisation", "identifier_pattern"]


class RecordsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Quality records")
    menu_icon = "folder-inverse"
    menu_order = 250
    items = (
        RecordSeriesViewSet,
        KeeperAssignmentViewSet,
        SeriesGrantViewSet,
        OrganisationMembershipViewSet,
        RecordsPolicyViewSet,
    )


@hooks.register("register_admin_viewset")
def register_records_viewsets():
    return RecordsViewSetGroup()


class QualityOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return is_quality_office(request.user)


@hooks.register("register_admin_menu_item")
def records_pages_menu_item():
    return QualityOfficeMenuItem(
        _("Records, holds, disposition, export"),
        reverse("records:list"),
        icon_name="folder-open-inverse",
        order=251,
    )
