"""Log in and out; both leave a row in the AuditLog."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from luoshi.accounts import audit
from luoshi.accounts.audit_labels import detail_label, event_label
from luoshi.accounts.forms import LoginForm
from luoshi.accounts.models import AuditLog
from luoshi.accounts.rules import can


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429  # too many attempts: tools and proxies see it as such
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit.record("logout", request)
        return super().post(request, *args, **kwargs)


def require(request, action: str, obj=None) -> None:
    """Raise PermissionDenied (and record it) unless the rules allow ``action``."""
    if not can(request.user, action, obj):
        audit.record(
            "permission_denied",
            request,
            detail=f"{action} {type(obj).__name__ if obj else ''} {getattr(obj, 'pk', '')}",
        )
        raise PermissionDenied


@user_passes_test(lambda u: u.is_authenticated)
def audit_log(request):
    require(request, "audit.view")
    page = Paginator(AuditLog.objects.select_related("user"), 100).get_page(request.GET.get("page"))
    for e in page:
        e.event_label = event_label(e.event)
        e.detail_label = detail_label(e.event, e.detail)
    return render(request, "accounts/audit.html", {"page": page})
