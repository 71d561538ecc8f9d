"""WSGI entry point for waitress, gunicorn or any WSGI server.

The first request a process serves starts the unit suggestion's warm-up in a background thread
(``proposals.suggesting.warm_up``): each worker of a forking server gets its own, started after the
fork, and neither start-up nor that request waits for it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.web.settings")
_django = get_wsgi_application()
# The process whose warm-up was started: a forked worker is another process and starts its own.
_warmed_in: int | None = None


def application(environ, start_response):
    """Django's WSGI application, warming the unit suggestion at a process's first request."""
    global _warmed_in
    if _warmed_in != os.getpid():
        _warmed_in = os.getpid()
        from luoshi.proposals import suggesting

        suggesting.warm_up_in_background()
    return _django(environ, start_response)
