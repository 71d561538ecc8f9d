from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from luoshi.accounts import audit
from luoshi.accounts.lockout import is_locked


class LoginForm(AuthenticationForm):
    """Django's login form, telling a locked-out user so instead of 'wrong password'."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("登录失败次数过多，账户已锁定 15 分钟。"),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        if username and is_locked(username):
            audit.record("login_locked", self.request, username=username)
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
