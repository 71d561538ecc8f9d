"""Request checks that hold for every page and the API alike."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(request: HttpRequest) -> bool:
    """True when a query parameter, form field or JSON body holds a NUL character."""

    def in_lists(data) -> bool:
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())

    if in_lists(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        return in_lists(request.POST)
    if content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


class RefuseNulMiddleware:
    """Answer 400 to a request carrying NUL anywhere in its fields.

    No form has a use for it, PostgreSQL refuses it in text (a 500 wherever a field reaches a
    query), and SQLite would store it to break the Word and Excel files made from it later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if has_nul(request):
            raise BadRequest(_("请求中含有空字符（NUL），已拒绝"))
        return self.get_response(request)


GONE = 499  # nginx's "client closed request": nobody reads it, the log says what happened


class DropGoneClientsMiddleware:
    """Skip a request whose client hung up while it waited for a thread.

    Under a flood the queue holds requests of clients that gave up long ago; without this the
    server would still hash each one's password minutes later. Waitress puts a callable telling
    whether the connection is gone into the environ (it notices because it reads ahead on the
    connection, see ``channel_request_lookahead`` in commands/serve.py); other servers do not, and
    then every request is served.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        gone = request.META.get("waitress.client_disconnected")
        if gone is not None and gone():
            return HttpResponse(status=GONE)
        return self.get_response(request)


# Features no page of the site uses: a script injected into a page still cannot reach them.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every page, download and API answer that does not say
    otherwise, and a Permissions-Policy on all of them.

    Pages hold names, phone numbers and internal plans: no shared proxy or browser cache may keep
    them (a browser's back button would show them after logout). Static files are answered by
    WhiteNoise, above this in MIDDLEWARE, and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
