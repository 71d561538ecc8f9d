from django.apps import AppConfig


class SupervisionWebConfig(AppConfig):
    name = "luoshi.supervision_web"
    label = "supervision_web"
    verbose_name = "督办与通报"
    default_auto_field = "django.db.models.BigAutoField"
