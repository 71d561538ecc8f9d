"""The import's progress, read by the upload and review pages while they wait (see import_progress)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from luoshi.accounts.views import require
from luoshi.ledger import import_progress


@never_cache
@login_required
@require_GET
def progress(request, token: str):
    """``{"state", "stage", "fraction"[, "message"]}`` of the user's own import with this token.

    A malformed token is a 404; a well-formed one with nothing under it for this user (not started
    yet, long gone, or someone else's) is a 204, which the page takes as "no news, ask again".
    """
    require(request, "plan.import")
    if import_progress.clean_token(token) is None:
        raise Http404
    value = import_progress.read(request.user, token)
    if value is None:
        return HttpResponse(status=204)
    return JsonResponse(value)
