"""Admin wiring of search: the index entries of a document, the equivalent terms."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from records.permissions import is_quality_office
from sapa.documents.admin_forms import FormPerRequestMixin
from sapa.documents.models import ControlledDocument

from .admin_views import index_entries
from .models import SynonymGroup


@hooks.register("register_admin_urls")
def search_admin_urls():
    return [path("search/index/<str:object_key>/", index_entries, name="search_index_entries")]


class IndexEntriesButton(PageMenuItem):
    label = _("Search index entries")
    icon_name = "search"
    priority = 80

    @property
    def url(self):
        return reverse("search_index_entries", args=(f"document:{self.page.pk}",))

    def is_shown(self, user):
        return is_quality_office(user)


@hooks.register("register_page_header_buttons")
def index_entries_button(page, user, view_name, next_url=None):
    if isinstance(page.specific, ControlledDocument):
        yield IndexEntriesButton(page=page, next_url=next_url)


class SynonymGroupViewSet(FormPerRequestMixin, SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Equivalent search terms")
    list_display = ["__str__", "note"]
    add_to_admin_menu = True
    menu_order = 260


register_snippet(SynonymGroupViewSet)
