from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "luoshi.inbox"
    verbose_name = "待办"
