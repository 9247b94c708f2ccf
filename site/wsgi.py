import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapa.settings.dev")
# As in manage.py: no collection while Django loads, then what it loaded is left out of every
# later one (and, in a server that loads the site before forking its workers, stays shared
# between them).
gc.disable()
try:
    application = get_wsgi_application()
finally:
    gc.freeze()
    gc.enable()
