"""The portal home page and each organisation's home page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from sapa.documents.models import ControlledDocument, DocumentLibraryPage, Organisation
from sapa.localisation.pages import InLanguages


class HomePage(InLanguages, Page):
    """The portal: the root of the default site, listing the organisations it hosts."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InLanguages.languages_panel]
    subpage_types = ["home.OrganisationHomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("portal home page")
        verbose_name_plural = _("portal home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        homes = {home.pk: home for home in OrganisationHomePage.objects.child_of(self).live()}
        context["organisations"] = [
            (organisation, homes.get(organisation.site.root_page_id))
            for organisation in Organisation.configured().order_by("short_name")
            if organisation.site.root_page_id in homes
        ]
        return context


class OrganisationHomePage(InLanguages, Page):
    """The home page of one organisation: the root of its Wagtail Site."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InLanguages.languages_panel]
    subpage_types = ["documents.DocumentLibraryPage"]

    class Meta:
        verbose_name = _("organisation home page")
        verbose_name_plural = _("organisation home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisation"] = Organisation.for_page(self)
        context["libraries"] = list(DocumentLibraryPage.objects.child_of(self).live())
        context["recent_documents"] = list(
            ControlledDocument.objects.descendant_of(self)
            .live()
            .order_by("-last_published_at")[:10]
        )
        return context
