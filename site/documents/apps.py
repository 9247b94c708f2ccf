from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sapa.documents"
    label = "documents"
    verbose_name = "Бақыланатын құжаттар"

    def ready(self) -> None:
        from wagtail.signals import page_unpublished

        from .models import ControlledDocument
        from .signals import record_withdrawal

        for model in (ControlledDocument, *ControlledDocument.__subclasses__()):
            page_unpublished.connect(
                record_withdrawal, sender=model, dispatch_uid=f"withdraw-{model._meta.label}"
            )
