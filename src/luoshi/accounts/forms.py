from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from luoshi.accounts import lockout


class LoginForm(AuthenticationForm):
    """Django's login form, telling a locked-out or throttled user so instead of 'wrong password'."""

    error_messages = {
        **AuthenticationForm.error_messages,
        lockout.LOCKED: _("登录失败次数过多，账户已锁定 15 分钟。"),
        lockout.THROTTLED: _("登录尝试过于频繁，请稍后再试。"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            refused = getattr(self.request, "login_refused", None)  # set by the LockoutBackend
            if refused in (lockout.LOCKED, lockout.THROTTLED):
                raise forms.ValidationError(self.error_messages[refused], code=refused) from None
            raise
