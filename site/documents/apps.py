from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "sapa.documents"
    label = "documents"
    verbose_name = _("Controlled documents")

    def ready(self) -> None:
        from wagtail.signals import page_unpublished

        from . import notifications

        notifications.connect()  # before wagtail.admin connects its own (see the module)

        from . import form_collections

        form_collections.connect()  # each organisation's form templates in its collection

        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model

        from .models.forms import template_replaced

        post_save.connect(
            template_replaced, sender=get_document_model(), dispatch_uid="sapa-form-template-hash"
        )

        from .models import ControlledDocument
        from .signals import record_withdrawal

        for model in (ControlledDocument, *ControlledDocument.__subclasses__()):
            page_unpublished.connect(
                record_withdrawal, sender=model, dispatch_uid=f"withdraw-{model._meta.label}"
            )
