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
