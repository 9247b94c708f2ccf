"""Admin wiring of the records app: the nomenclature, keepers, grants and policy as
viewsets; the records pages themselves live at /records/ and are linked from the menu."""

from django.forms.models import modelform_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from sapa.documents.admin_forms import FormClassPerRequestView, FormPerRequestMixin
from sapa.documents.admin_permissions import (
    OrganisationPermissionPolicy,
    OrganisationScopedViewSetMixin,
)

from .admin_forms import ReasonedModelForm, ScopedModelForm
from .models import (
    KeeperAssignment,
    OrganisationMembership,
    RecordSeries,
    RecordsPolicy,
    SeriesGrant,
)
from .permissions import is_auditor, is_quality_office, organisation_ids


@hooks.register("sapa_admin_organisation_ids")
def admin_organisation_ids(user):
    """The admin's organisation boundary is the records roles' one: memberships."""
    return organisation_ids(user)


@hooks.register("sapa_page_organisation_ids")
def page_organisation_ids(user):
    """The quality office and auditors reach the pages of their organisations only, whatever
    their groups' page permissions say; other accounts keep what their groups grant."""
    if is_quality_office(user) or is_auditor(user):
        return organisation_ids(user)
    return None


ORGANISATION_PATHS = {
    RecordSeries: "organisation",
    KeeperAssignment: "unit__organisation",
    SeriesGrant: "series__organisation",
    OrganisationMembership: "organisation",
    RecordsPolicy: "organisation",
}
for _model, _path in ORGANISATION_PATHS.items():
    register_permission_policy(
        _model, OrganisationPermissionPolicy(_model, organisation_path=_path), exact_class=True
    )


class ScopedCreateView(FormClassPerRequestView, generic.CreateView):
    pass


class ScopedEditView(FormClassPerRequestView, generic.EditView):
    pass


class ScopedViewSet(FormPerRequestMixin, OrganisationScopedViewSetMixin, ModelViewSet):
    """A records admin viewset whose every view (listing, edit, delete, history, usage) opens
    only the rows of the organisations the user's quality-office role covers, with a form
    whose choices stay inside them too; another organisation's row answers 404. Its form is
    built for each request, in the language of the person asking."""

    base_form = ScopedModelForm
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    copy_view_enabled = False
    inspect_view_enabled = False

    @property
    def organisation_path(self):
        return ORGANISATION_PATHS[self.model]

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
    icon = "user"
    menu_label = _("Record keepers")
    form_fields = ["user", "unit"]
    list_display = ["user", "unit"]


class SeriesGrantViewSet(ScopedViewSet):
    model = SeriesGrant
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
