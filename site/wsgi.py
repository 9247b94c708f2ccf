import os

from django.core.wsgi import get_wsgi_application

from sapa.startup import load
from search.semantic import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.dev")
application = load(get_wsgi_application)
# The meaning model (search.semantic) loads beside the first requests, not in the first search.
warm_up()
