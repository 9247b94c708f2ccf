"""/my/reading/: documents to read, the confirmation and the familiarisation sheets."""

from django.urls import path

from . import familiarisation_views as views

app_name = "familiarisation"

urlpatterns = [
    path("", views.my_reading, name="mine"),
    path("documents/<int:document_id>/confirm/", views.confirm_reading, name="confirm"),
    path("sheets/<int:pk>/", views.sheet_view, name="sheet"),
    path("sheets/<int:pk>/csv/", views.sheet_csv, name="sheet_csv"),
    path("sheets/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
]
