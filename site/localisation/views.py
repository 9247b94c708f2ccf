from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .profile import choose


@require_POST
def set_language(request):
    """Django's ``set_language`` (cookie, safe ``next``), and the person's profile (now, or
    when they sign in)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        choose(request, language)
    return response


def language_link(request, language: str, rest: str = ""):
    """``/ru/kaznrtu/docs/715-kp/``: a shareable link that opens the page in Russian.

    Chooses the language (cookie, and the profile of a signed-in person) and redirects to the
    page's one address, keeping the query string."""
    target = "/" + rest
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    choose(request, language)
    return response
