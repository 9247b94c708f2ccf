"""Wagtail unpublishes pages without calling the page's own method (the admin runs
``UnpublishPageAction`` directly, expiry runs from ``publish_scheduled``); the
``page_unpublished`` signal is the one place every path passes, so the edition record
follows it here."""

from .services import edition_record_withdrawal


def record_withdrawal(sender, instance, **kwargs) -> None:
    edition_record_withdrawal(document=instance)
