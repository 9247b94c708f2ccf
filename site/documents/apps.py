from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sapa.documents"
    label = "documents"
    verbose_name = "Бақыланатын құжаттар"
