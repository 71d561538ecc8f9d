from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from luoshi.ledger import search

    search.install(connections[using])


class LedgerConfig(AppConfig):
    name = "luoshi.ledger"
    label = "ledger"
    verbose_name = _("台账")

    def ready(self) -> None:
        # A later migration that alters the task table on SQLite drops the search triggers.
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="ledger-search-index")
        from luoshi.ledger import fragments, pagecache

        pagecache.connect()
        fragments.connect()
