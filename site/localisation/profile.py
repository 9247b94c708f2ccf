from wagtail.users.models import UserProfile


def remember_language(user, language: str) -> None:
    """Keeps the choice in Wagtail's profile: the admin reads the same field."""
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])


def preferred_language(user) -> str:
    profile = getattr(user, "wagtail_userprofile", None)
    return getattr(profile, "preferred_language", "") or ""


#: The session's note of a language chosen before signing in (the sign-in page's switcher).
CHOSEN_SIGNED_OUT = "sapa_language_chosen"


def choose(request, language: str) -> None:
    """The language ``request``'s person chose now: kept in their profile when they are
    signed in; else noted in the session, for the profile when they sign in
    (``keep_the_choice_made_before_signing_in``)."""
    if request.user.is_authenticated:
        remember_language(request.user, language)
    else:
        request.session[CHOSEN_SIGNED_OUT] = language


def keep_the_choice_made_before_signing_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: a language chosen on this browser before signing in wins over the
    one the profile kept (a tester chose Қазақша on the sign-in page and, signed in, read
    Russian, the language the account had been given)."""
    session = getattr(request, "session", None)
    language = session.pop(CHOSEN_SIGNED_OUT, None) if session is not None else None
    if language:
        remember_language(user, language)
