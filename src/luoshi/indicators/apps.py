from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    label = "indicators"
    verbose_name = "指标"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from luoshi.indicators.ledger_feed import on_report
        from luoshi.ledger.services import report_values_added

        report_values_added.connect(on_report, dispatch_uid="indicators-ledger-feed")
