from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from luoshi.api.app import api

handler400 = "luoshi.web.errors.bad_request"
handler403 = "luoshi.web.errors.permission_denied"
handler404 = "luoshi.web.errors.page_not_found"
handler500 = "luoshi.web.errors.server_error"

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", RedirectView.as_view(url=static("luoshi/favicon.svg"), permanent=True)),
    path("", include("luoshi.ledger.urls")),
    path("", include("luoshi.supervision_web.urls")),
    path("units/", include("luoshi.ledger.urls_units")),
    path("inbox/", include("luoshi.inbox.urls")),
    path("channels/", include("luoshi.notify.urls")),
    path("indicators/", include("luoshi.indicators.urls")),
    path("proposals/", include("luoshi.proposals.urls")),
    path("import/progress/", include("luoshi.ledger.urls_import")),
    path("accounts/", include("luoshi.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
