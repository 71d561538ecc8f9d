from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    label = "accounts"
    verbose_name = _("账户与审计")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from luoshi.accounts.middleware import note_login_time

        user_logged_in.connect(note_login_time, dispatch_uid="luoshi.accounts.login_at")
