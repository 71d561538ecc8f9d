"""Error pages: the site's templates for people, JSON for the API (``/api/``), whose clients parse it."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _message(exception) -> str:
    # Only BadRequest is raised with a message meant for the user; other 400s (a disallowed host, a
    # broken upload) keep their details in the log.
    return str(exception) if type(exception) is BadRequest and exception.args else ""


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    message = _message(exception)
    if is_api(request):
        return JsonResponse({"detail": message or "Bad Request"}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "Forbidden"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("服务器内部错误")}, status=500)
    return defaults.server_error(request)
