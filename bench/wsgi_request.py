"""One GET through the WSGI application in this process, as waitress would make it: what the
profilers time without a server or a socket."""

from __future__ import annotations

import io
import sys


def environ(path: str, cookie: str) -> dict:
    """The WSGI environ of a plain GET, as waitress builds it."""
    script, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": script,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT_LANGUAGE": "zh-CN",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(app, path: str, cookie: str) -> int:
    """One request through the application; its status code."""
    status: list[str] = []
    body = app(environ(path, cookie), lambda s, _h, _e=None: status.append(s))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])
