"""A revised plan that drops a task withdraws it: its reports stay, the lists leave it out, its
page says 已撤销, and a later revision that lists it again brings it back."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.accounts.rules import can, tasks_in_scope
from luoshi.ledger import importing, services
from luoshi.ledger.models import Change, ImportSession, ProgressReport, Task, Unit
from luoshi.supervision_web import facts_from_db
from tests.web.test_api import api, token_for
from tests.web.world import SAMPLE, make_user, upload

pytestmark = pytest.mark.django_db

# The last item of its list, so the revision still numbers its items without a gap.
REVISED = SAMPLE.replace("2.举办招商活动。\n", "")


def reimport(world, text: str, **kwargs):
    session = importing.start_import(upload(text), world.office_a, target=world.plan_a)
    return importing.commit_import(session, world.office_a, **kwargs)


@pytest.fixture
def commerce(world):
    """A reporter of 市商务局, which leads （三） and so, by inheritance, its items 1. and 2."""
    return make_user("commerce", Role.REPORTER, Unit.objects.get(name="市商务局", city=world.city_a))


@pytest.fixture
def withdrawn(world, commerce) -> Task:
    """Item 2. of plan A, with two reports, dropped by a revision of its plan."""
    task = world.task(world.plan_a, "2.")
    for period, narrative in (("2024-03", "对接客商"), ("2024-04", "签约三家")):
        services.submit_report(task, commerce, period=period, status="推进中", narrative=narrative)
    reimport(world, REVISED)
    task.refresh_from_db()
    return task


def test_the_reports_stay(withdrawn):
    assert withdrawn.removed_at is not None
    narratives = ProgressReport.objects.filter(task=withdrawn).values_list("narrative", flat=True)
    assert sorted(narratives) == ["对接客商", "签约三家"]


def test_it_leaves_the_ledger_plan_tree_and_dashboard(world, withdrawn, client):
    client.force_login(world.office_a)
    page = client.get("/ledger/").context["page"]
    assert [t.label for t in page] == ["一、", "（一）", "（二）", "二、", "（三）", "1."]
    assert "0 / 3" in client.get(f"/plans/{world.plan_a.pk}/").content.decode()  # four leaves before
    dashboard = client.get("/dashboard/").context
    assert dashboard["summary"]["total"] == 3
    assert not [r for r in dashboard["recent"] if r.task_id == withdrawn.pk]


def test_it_leaves_the_api_lists(world, withdrawn, commerce, client):
    token = token_for(world.office_a)
    ids = {t["id"] for t in api(client, token, "get", "/api/tasks", data={"limit": 100}).json()["items"]}
    assert withdrawn.pk not in ids and len(ids) == 6
    assert api(client, token, "get", f"/api/plans/{world.plan_a.pk}").json()["tasks"] == 6
    detail = api(client, token, "get", f"/api/tasks/{withdrawn.pk}").json()
    assert detail["removed_at"] is not None
    labels = {t["label"] for t in api(client, token_for(commerce), "get", "/api/tasks").json()["items"]}
    assert labels == {"（三）", "1."}


def test_supervision_neither_lights_nor_reminds_it(world, withdrawn):
    facts = facts_from_db.load([world.plan_a])
    assert str(withdrawn.pk) not in {t.id for t in facts.tasks}
    assert str(withdrawn.pk) not in facts.lead_unit_ids


def test_it_leaves_my_tasks(world, withdrawn, commerce, client):
    client.force_login(commerce)
    assert [r["task"].label for r in client.get("/mine/").context["rows"]] == ["1."]


def test_its_page_still_opens_for_staff_and_says_withdrawn(world, withdrawn, client):
    client.force_login(world.office_a)
    body = client.get(f"/tasks/{withdrawn.pk}/").content.decode()
    assert "已撤销" in body and timezone.localdate(withdrawn.removed_at).isoformat() in body
    assert "对接客商" in body and "签约三家" in body
    assert "撤销任务" in body  # the timeline
    assert 'id="edit-form"' not in body


def test_nothing_more_is_reported_on_it_or_changed(world, withdrawn, commerce, client):
    assert not can(commerce, "report.submit", withdrawn)
    assert not can(world.office_a, "task.edit", withdrawn)
    client.force_login(commerce)
    response = client.post(
        f"/tasks/{withdrawn.pk}/report/", {"period": "2024-05", "status": "推进中", "narrative": "x"}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.filter(task=withdrawn).count() == 2


def test_the_review_says_which_tasks_go_and_that_their_reports_stay(world, client):
    session = importing.start_import(upload(REVISED), world.office_a, target=world.plan_a)
    assert [t.label for t in importing.review(session).removed] == ["2."]
    client.force_login(world.office_a)
    body = client.get(f"/import/{session.pk}/").content.decode()
    assert "将撤销" in body and "进展报送保留" in body and "举办招商活动" in body


def test_a_revision_listing_it_again_restores_it(world, withdrawn, client):
    session = importing.start_import(upload(SAMPLE), world.office_a, target=world.plan_a)
    review = importing.review(session)
    assert review.counts["restored"] == 1 and review.removed == []
    importing.commit_import(session, world.office_a)
    withdrawn.refresh_from_db()
    assert withdrawn.removed_at is None
    assert withdrawn.parent == world.task(world.plan_a, "（三）")
    assert Change.objects.filter(task=withdrawn, field="task_restored").exists()
    assert ProgressReport.objects.filter(task=withdrawn).count() == 2
    assert tasks_in_scope(world.office_a).filter(pk=withdrawn.pk).exists()
    assert Task.objects.filter(plan=world.plan_a).count() == 7  # the same row, not a new one


def test_a_heading_whose_items_all_go_becomes_a_leaf(world, client):
    reimport(world, SAMPLE.replace("1.建设合作园区。力争新增企业5家以上。\n2.举办招商活动。\n", ""))
    client.force_login(world.office_a)
    # （一）（二）（三）: the heading now stands for its own work, like any other leaf.
    assert client.get("/dashboard/").context["summary"]["total"] == 3
    facts = facts_from_db.load([world.plan_a])
    assert world.task(world.plan_a, "（三）").pk in {int(t.id) for t in facts.tasks}


def test_a_revision_failing_halfway_withdraws_nothing(world):
    before = (Task.objects.current().count(), Change.objects.count(), ProgressReport.objects.count())
    text = REVISED + "三、其他工作\n（四）加强宣传。（牵头单位：市新设局）\n"
    session = importing.start_import(upload(text), world.office_a, target=world.plan_a)
    # A unit chosen on the review page that has since gone: the commit fails after the withdrawal.
    with pytest.raises(services.RuleError):
        importing.commit_import(session, world.office_a, unit_map={"市新设局": 999999})
    after = (Task.objects.current().count(), Change.objects.count(), ProgressReport.objects.count())
    assert after == before
    task = world.task(world.plan_a, "2.")
    assert task.removed_at is None and task.parent is not None
    session.refresh_from_db()
    assert session.state == ImportSession.State.OPEN
