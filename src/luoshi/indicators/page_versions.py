"""Version stamps of what the indicator and scorecard pages show.

Their whole pages (``ledger.pagecache``) and their figure tables (the ``template_fragments``
cache) are stored under these stamps, so a recorded figure, a merged or renamed entity, an edited
indicator or a changed scorecard shows on the very next request, in every process, with file
caches or Redis alike: the stamps are read from the database, not from a cache.
"""

from __future__ import annotations

from django.db import connection

from luoshi.indicators.models import EntityChange, IndicatorChange, Observation, ScorecardChange


def figures_version() -> str:
    """Changes whenever a figure is recorded, an entity changes (a merge moves figures without
    recording any) or an indicator's definition changes. One query; each MAX reads one end of a
    primary key, whatever the number of observations."""
    tables = [
        connection.ops.quote_name(m._meta.db_table) for m in (Observation, EntityChange, IndicatorChange)
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT MAX(id) FROM {t})" for t in tables))
        return "-".join(str(n or 0) for n in cursor.fetchone())


def scorecard_version(pk: int) -> str:
    """Changes with every change to scorecard ``pk`` (each is a ``ScorecardChange`` row: wording,
    figures, publishing). The change's moment too: a test database gives ids again, never the
    same microsecond."""
    newest = ScorecardChange.objects.filter(scorecard_id=pk).order_by("-id").values_list("id", "at").first()
    return f"{newest[0]}-{newest[1].timestamp()}" if newest else "0"
