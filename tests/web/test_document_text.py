"""A plan's document text is kept, and read by no page that does not show it: with a plan of a few
thousand items, reading it once per task row took gigabytes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.ledger.models import Plan, PlanText
from luoshi.supervision_web.models import SupervisionNotice
from tests.web.world import SAMPLE

pytestmark = pytest.mark.django_db


def test_the_imported_document_text_is_kept_apart_from_the_plan(world):
    assert SAMPLE.splitlines()[0] in PlanText.objects.get(plan=world.plan_a).text
    assert "source_text" not in {f.name for f in Plan._meta.get_fields()}


PAGES = {
    "office": ["/ledger/export.xlsx", "/ledger/", "/plans/", "/notices/", "/dashboard/", "TASK", "PLAN"],
    "reporter_a": ["/mine/", "/ledger/", "/notices/", "TASK"],
    "leader": ["/ledger/export.xlsx", "/notices/", "PLAN"],
}


@pytest.mark.parametrize("persona", PAGES)
def test_pages_listing_tasks_and_notices_never_read_the_document_text(world, client, persona):
    SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a,
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    user = {"office": world.office_a, "reporter_a": world.reporter_a, "leader": world.leader}[persona]
    client.force_login(user)
    for path in PAGES[persona]:
        path = path.replace("TASK", f"/tasks/{world.task_a.pk}/").replace("PLAN", f"/plans/{world.plan_a.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "source_text" not in sql and PlanText._meta.db_table not in sql, path
