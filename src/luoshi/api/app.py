"""The JSON API (django-ninja) under /api/, docs at /api/docs; the same rules as the pages."""

from __future__ import annotations

from ninja import NinjaAPI

from luoshi.api.auth import SessionAuth, TokenAuth
from luoshi.api.ledger import router as ledger_router

api = NinjaAPI(
    title="luoshi API",
    version="1",
    description="工作方案、任务与进展报送。Authenticate with `Authorization: Bearer <token>` "
    "(create one with `luoshi manage create_api_token USER`).",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/", ledger_router)
