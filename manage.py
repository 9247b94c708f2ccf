#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.dev")
    import django
    from django.core.management import execute_from_command_line

    from sapa.startup import load

    load(django.setup)
    from sapa.localisation.commands import activate_operator_language

    activate_operator_language()  # the site's language, or SAPA_LANGUAGE=ru|en
    execute_from_command_line(sys.argv)
