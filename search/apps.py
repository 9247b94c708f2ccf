from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Search indexes over documents, forms and records."""

    name = "search"
    label = "sapa_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from records.models import QualityRecord, RecordFile
        from sapa.documents.models import ChangeNotice, ControlledDocument, Edition, QmsForm

        from . import signals

        for model in (ControlledDocument, *ControlledDocument.__subclasses__()):
            for signal in (page_published, page_unpublished):
                signal.connect(
                    signals.document_changed,
                    sender=model,
                    dispatch_uid=f"search-{signal}-{model._meta.label}",
                )
        post_save.connect(signals.form_changed, sender=QmsForm, dispatch_uid="search-form")
        post_save.connect(
            signals.record_changed, sender=QualityRecord, dispatch_uid="search-record"
        )
        post_save.connect(
            signals.record_file_changed, sender=RecordFile, dispatch_uid="search-file"
        )
        post_save.connect(signals.edition_changed, sender=Edition, dispatch_uid="search-edition")
        # A change notice is issued once its publication has committed; its number is printed
        # on the register row, which is an entry of the document.
        post_save.connect(
            signals.edition_changed, sender=ChangeNotice, dispatch_uid="search-notice"
        )
        from .models import SynonymGroup

        for signal in (post_save, post_delete):
            signal.connect(
                signals.synonyms_changed, sender=SynonymGroup, dispatch_uid=f"search-syn-{signal}"
            )
