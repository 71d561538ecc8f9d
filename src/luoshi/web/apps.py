from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "luoshi.web"
    label = "web"
    verbose_name = "luoshi web"

    def ready(self) -> None:
        from django.urls import register_converter

        from luoshi.web.ids import IdConverter

        # Before any URL module is read: they write their ids as <id:pk>.
        register_converter(IdConverter, "id")
