from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalisationConfig(AppConfig):
    name = "sapa.localisation"
    label = "localisation"
    verbose_name = _("Interface languages")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .profile import keep_the_choice_made_before_signing_in

        user_logged_in.connect(
            keep_the_choice_made_before_signing_in, dispatch_uid="sapa-language-at-sign-in"
        )
