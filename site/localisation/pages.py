"""A page's title and introduction in the reader's language: the portal, an organisation's
home and its document register are written in Kazakh (their ``title`` and ``intro``), and may
also be given in Russian and English; a reader of those gets them, and the Kazakh where they
are not given (a tester read "Құжаттар тізілімі" under a Russian menu saying "Реестр
документов"). A document's own text is never translated: it is what was approved."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .dates import interface_language


@dataclass(frozen=True)
class Shown:
    """A text as shown, and the language it is written in (for its ``lang``)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


class InLanguages(models.Model):
    """``title_ru``, ``title_en``, ``intro_ru``, ``intro_en`` beside a page's own (Kazakh)
    ``title`` and ``intro``."""

    title_ru = models.CharField(_("title in Russian"), max_length=255, blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_ru = models.TextField(_("introduction in Russian"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)

    class Meta:
        abstract = True

    languages_panel = MultiFieldPanel(
        [
            FieldPanel("title_ru"),
            FieldPanel("intro_ru"),
            FieldPanel("title_en"),
            FieldPanel("intro_en"),
        ],
        heading=_("In Russian and English"),
        help_text=_("Shown to readers of those languages; the Kazakh where one is empty."),
    )

    def shown(self, field: str, language: str | None = None) -> Shown:
        """``field`` ("title" or "intro") in ``language`` (the interface's by default) when
        given, else as written, with the language it is in."""
        own = self.locale.language_code if getattr(self, "locale_id", None) else "kk"
        return shown_in(self, field, own, language)


def shown_in(obj, field: str, own: str = "kk", language: str | None = None) -> Shown:
    """``obj``'s ``field``, written in ``own``, in ``language`` (the interface's by default)
    where ``obj`` gives it (``<field>_ru``, ``<field>_en``), else as written."""
    language = interface_language(language)
    if language != own:
        given = getattr(obj, f"{field}_{language}", "") or ""
        if given.strip():
            return Shown(given, language)
    return Shown(getattr(obj, field, "") or "", own)
