from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sapa.documents.admin_reports import report_urls

urlpatterns = [
    path("", include("sapa.localisation.urls")),  # the language switcher and /ru/… links
    path("django-admin/", admin.site.urls),
    *report_urls(),  # Wagtail's site history, page types and workflow tasks reports
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("records/", include("records.urls")),
    path("search/", include("search.urls")),
    path("my/reading/", include("sapa.documents.familiarisation_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
