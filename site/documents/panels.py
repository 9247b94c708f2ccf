"""Admin panels of controlled documents that show state rather than edit fields."""

from __future__ import annotations

from wagtail.admin.panels import Panel


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
