from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_create_view, name="create"),
    path("export/", views.export_view, name="export"),
    path("access-log/", views.access_log, name="access_log"),
    path("retention/", views.retention_view, name="retention"),
    path("retention/propose/", views.disposition_propose_view, name="propose"),
    path("retention/<int:pk>/decide/", views.disposition_decide_view, name="decide"),
    path("holds/<int:pk>/release/", views.hold_release_view, name="hold_release"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/history/", views.record_history_view, name="history"),
    path("<int:pk>/edit/", views.record_edit_view, name="edit"),
    path("<int:pk>/files/add/", views.file_add_view, name="file_add"),
    path("<int:pk>/close/", views.record_close_view, name="close"),
    path("files/<int:pk>/download/", views.file_download, name="download"),
]
