"""ASGI entry point (not used by the default deployment, which is WSGI under gunicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csafe.settings")
application = get_asgi_application()
