from django.conf import settings
from django.utils import translation

from .profile import preferred_language


class ProfileLanguageMiddleware:
    """After authentication: a signed-in person reads the site in the language they chose,
    on any browser. Placed after ``AuthenticationMiddleware``; ``LocaleMiddleware`` before it
    has already chosen from the cookie and the browser for everyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Wagtail's preview of a page, asked from the admin: the admin's language.
        language = getattr(request, "preview_language", "")
        if not language and user is not None and user.is_authenticated:
            language = preferred_language(user)
        if language in dict(settings.LANGUAGES) and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
