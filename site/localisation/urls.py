from django.urls import path, re_path

from . import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    re_path(r"^(?P<language>kk|ru|en)/(?P<rest>.*)$", views.language_link, name="language_link"),
]
