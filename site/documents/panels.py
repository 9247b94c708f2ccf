"""Admin panels of controlled documents: those that show state rather than edit fields, and
the body's panel that says which language the document's text is in."""

from __future__ import annotations

from django.conf import settings
from wagtail.admin.panels import FieldPanel, Panel


class ScheduledPublicationPanel(Panel):
    """A warning on the edit page while an approved revision waits for its go-live time:
    what comes into force, when, and that ``manage.py publish_scheduled`` publishes it.

    Wagtail only says "live + scheduled"; the quality office needs to know that nothing
    happens on the date unless that command runs (from cron or a systemd timer)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "documents/admin/scheduled_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.scheduled = None
            if self.instance is not None and self.instance.pk:
                from .selectors import scheduled_publication

                self.scheduled = scheduled_publication(document=self.instance)

        def is_shown(self):
            return self.scheduled is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["scheduled"] = self.scheduled
            return context


class ContentFieldPanel(FieldPanel):
    """A field holding the document's own text (the body): its panel names the language that
    text is written in, so that the editor's summaries of collapsed blocks ("3 ТЕРМИНДЕР
    МЕН АНЫҚТАМАЛАР") are marked as content in that language, not read as interface
    (``static/documents/content_lang.js``)."""

    class BoundPanel(FieldPanel.BoundPanel):
        @property
        def attrs(self):
            attrs = dict(super().attrs)
            locale = getattr(self.instance, "locale", None)
            language = locale.language_code if locale is not None else settings.LANGUAGE_CODE
            attrs["data-content-lang"] = language
            return attrs
