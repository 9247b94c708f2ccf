"""Organisations (one Wagtail Site each) and their units."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from sapa.localisation.pages import shown_in


@register_setting(icon="site")
class Organisation(BaseSiteSetting):
    """The university behind a Site: what its documents print in their header block.

    A site setting, so each Wagtail Site has exactly one; documents point at it so that codes
    can be unique within an organisation. Rows that Wagtail creates lazily for a site without
    an organisation (the portal) have no code prefix and are ignored.
    """

    name_kk = models.CharField(_("full name (kk)"), max_length=300, blank=True)
    name_ru = models.CharField(_("full name (ru)"), max_length=300, blank=True)
    name_en = models.CharField(_("full name (en)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code_prefix = models.CharField(
        _("document-code prefix"),
        max_length=40,
        blank=True,
        help_text=_("Printed before every document and form code, e.g. ҚазҰТЗУ."),
    )
    ministry = models.CharField(_("ministry line"), max_length=300, blank=True)
    # The portal's readers of Russian and English read the ministry in their language (a
    # tester read it in Kazakh under a Russian page); documents print it as written.
    ministry_ru = models.CharField(_("ministry line in Russian"), max_length=300, blank=True)
    ministry_en = models.CharField(_("ministry line in English"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    form_collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection of form templates"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="form_organisation",
        help_text=_("Where the template files of the organisation's forms are kept."),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How often a document is reviewed, unless the document sets its own."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")],
            heading=_("Full name"),
        ),
        FieldPanel("short_name"),
        FieldPanel("code_prefix"),
        MultiFieldPanel(
            [FieldPanel("ministry"), FieldPanel("ministry_ru"), FieldPanel("ministry_en")],
            heading=_("Ministry line"),
            help_text=_(
                "Documents print it as written (in Kazakh); the site shows readers of Russian "
                "and English theirs, where given."
            ),
        ),
        FieldPanel("city"),
        FieldPanel("logo"),
        FieldPanel("review_interval_months"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def shown(self, field: str, language: str | None = None):
        """``{% shown organisation "ministry" %}``: the ministry line in the reader's language
        where given, else as written (Kazakh)."""
        return shown_in(self, field, "kk", language)

    def __str__(self) -> str:
        return self.short_name or self.name_kk or str(self.site)

    @classmethod
    def for_page(cls, page: Page) -> Organisation | None:
        """The organisation whose site root is the nearest ancestor of ``page``."""
        paths = [page.path[:i] for i in range(Page.steplen, len(page.path) + 1, Page.steplen)]
        return (
            cls.objects.filter(site__root_page__path__in=paths)
            .exclude(code_prefix="")
            .order_by("-site__root_page__depth")
            .first()
        )

    @classmethod
    def configured(cls):
        return cls.objects.exclude(code_prefix="").select_related("site")


class Unit(index.Indexed, models.Model):
    """A unit of an organisation (бөлімше): department, institute, chair, sector, office."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        INSTITUTE = "institute", _("institute")
        CHAIR = "chair", _("chair")
        SECTOR = "sector", _("sector / office")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("short_name")]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unit_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name
