import os

from django.core.wsgi import get_wsgi_application

from sapa.startup import load

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.dev")
application = load(get_wsgi_application)
