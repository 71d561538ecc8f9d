"""ASGI entry point for uvicorn, daphne or any ASGI server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.web.settings")
application = get_asgi_application()
