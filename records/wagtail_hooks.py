"""Admin wiring of the records app: the nomenclature, keepers, grants and policy as
viewsets; the records pages themselves live at /records/ and are linked from the menu."""

from django.forms.models import modelform_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .admin_forms import ReasonedModelForm
from .models import KeeperAssignment, RecordSeries, RecordsPolicy, SeriesGrant
from .permissions import is_quality_office


class RecordSeriesViewSet(ModelViewSet):
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
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=ReasonedModelForm, fields=self.form_fields)


class KeeperAssignmentViewSet(ModelViewSet):
    model = KeeperAssignment
    icon = "user"
    menu_label = _("Record keepers")
    form_fields = ["user", "unit"]
    list_display = ["user", "unit"]
    copy_view_enabled = False


class SeriesGrantViewSet(ModelViewSet):
    model = SeriesGrant
    icon = "key"
    menu_label = _("Access grants")
    form_fields = ["user", "series"]
    list_display = ["user", "series", "granted_at"]
    copy_view_enabled = False


class RecordsPolicyViewSet(ModelViewSet):
    model = RecordsPolicy
    icon = "cog"
    menu_label = _("Identifier pattern")
    form_fields = ["organisation", "identifier_pattern"]
    list_display = ["organisation", "identifier_pattern"]
    copy_view_enabled = False


class RecordsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Quality records")
    menu_icon = "folder-inverse"
    menu_order = 250
    items = (RecordSeriesViewSet, KeeperAssignmentViewSet, SeriesGrantViewSet, RecordsPolicyViewSet)


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
