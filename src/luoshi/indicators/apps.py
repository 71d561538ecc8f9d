from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    label = "indicators"
    verbose_name = "指标"
    default_auto_field = "django.db.models.BigAutoField"
