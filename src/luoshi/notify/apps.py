from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "luoshi.notify"
    label = "notify"
    verbose_name = "消息渠道"
    default_auto_field = "django.db.models.BigAutoField"
