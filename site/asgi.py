import os

from django.core.asgi import get_asgi_application

from sapa.startup import load

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.dev")
application = load(get_asgi_application)
