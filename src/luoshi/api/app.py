"""The JSON API (django-ninja) under /api/, docs at /api/docs; the same rules as the pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from luoshi.api.auth import SessionAuth, TokenAuth
from luoshi.api.crosscity import router as crosscity_router
from luoshi.api.ledger import router as ledger_router
from luoshi.api.proposals import router as proposals_router


class LocalSwagger(Swagger):
    """Swagger UI from the site's own static files (web/static/vendor): an intranet reaches no CDN."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": self.settings, "api": api, "add_csrf": True}
        return render(request, "api_docs.html", context)


api = NinjaAPI(
    title="luoshi API",
    version="1",
    description="工作方案、任务与进展报送；提案建议的交办、沟通、答复与评价；跨城通办事项（只读）。Authenticate with `Authorization: Bearer <token>` "
    "(create one with `luoshi manage create_api_token USER`).",
    auth=[TokenAuth(), SessionAuth()],
    docs=LocalSwagger(settings={"layout": "BaseLayout", "deepLinking": True}),
    # The schema names every endpoint and field: for signed-in users only, like the data.
    docs_decorator=login_required,
    urls_namespace="api",
)
api.add_router("/", ledger_router)
api.add_router("/", proposals_router)
api.add_router("/", crosscity_router)
