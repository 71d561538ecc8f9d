"""应用到下级 in the review: a section's lead and support units (and its deadline, when it has one)
copied to every row under it in one action, shown on the page for the reviewer to check before
确认导入, and nothing written until then; the per-row deadline field and its hostile input."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger import importing, review_form
from luoshi.ledger.models import ImportSession, Plan, Task, Unit
from tests.web.review_page import review_fields
from tests.web.world import upload

pytestmark = pytest.mark.django_db

# Rows of the sample plan: 一、 (0) over （一） (1) and （二） (2); 二、 (3) over （三） (4), which is
# over 1. (5) and 2. (6).
FIRST, RAIL, ROADS, SECOND, PARK, SITE, FAIR = range(7)


@pytest.fixture
def session(world) -> ImportSession:
    return importing.start_import(upload(), world.office_a)


@pytest.fixture
def rows(session) -> list[importing.Row]:
    return importing.review(session).rows


def test_descendants_are_every_row_under_a_section(rows):
    assert review_form.descendants(rows, FIRST) == [RAIL, ROADS]
    assert review_form.descendants(rows, SECOND) == [PARK, SITE, FAIR]
    assert review_form.descendants(rows, PARK) == [SITE, FAIR]
    assert review_form.descendants(rows, SITE) == []


def test_apply_down_copies_units_and_the_deadline_to_every_row_under(world, rows):
    choices = review_form.Choices(
        units={SECOND: ([str(world.ndrc_a.pk)], ["n:市商务局"]), SITE: (["n:市商务局"], [])},
        deadlines={SECOND: "2026-06-30", FAIR: "2026-03-31"},
    )
    assert review_form.apply_down(choices, rows, SECOND) == [PARK, SITE, FAIR]
    for i in (PARK, SITE, FAIR):
        assert choices.units[i] == ([str(world.ndrc_a.pk)], ["n:市商务局"])
        assert choices.deadlines[i] == "2026-06-30"
    assert RAIL not in choices.units and SECOND in choices.units  # the section itself and other rows untouched


def test_an_empty_section_deadline_leaves_the_rows_own(world, rows):
    choices = review_form.Choices(units={PARK: ([], [])}, deadlines={PARK: "", SITE: "2026-03-31"})
    review_form.apply_down(choices, rows, PARK)
    assert choices.deadlines == {PARK: "", SITE: "2026-03-31"}
    assert choices.units[SITE] == ([], []) and choices.units[FAIR] == ([], [])


def test_a_section_not_on_the_form_applies_what_the_document_gives_it(rows):
    choices = review_form.Choices()
    review_form.apply_down(choices, rows, PARK)
    assert choices.units[SITE] == (["n:市工业和信息化局", "n:市商务局"], [])


@pytest.mark.parametrize("index", [SITE, 999, -1])
def test_apply_down_on_a_row_with_nothing_under_it_changes_nothing(rows, index):
    choices = review_form.Choices()
    assert review_form.apply_down(choices, rows, index) == []
    assert choices == review_form.Choices()


def test_the_page_applies_a_section_and_the_commit_writes_it(world, session, login):
    client = login(world.office_a)
    url = f"/import/{session.pk}/"
    fields = review_fields(client.get(url).content.decode())
    assert fields[f"deadline_{RAIL}"] == ["2024-12-31"] and fields[f"deadline_{ROADS}"] == [""]
    fields["city"] = [str(world.city_a.pk)]
    fields[f"lead_{SECOND}"] = [str(world.ndrc_a.pk)]
    fields[f"support_{SECOND}"] = ["n:市交通运输局"]  # a unit the document names on another row
    fields[f"deadline_{SECOND}"] = ["2026-06-30"]
    fields[f"title_{FAIR}"] = ["举办招商推介活动"]  # typed before pressing: kept
    plans = Plan.objects.count()
    response = client.post(url, {**fields, "apply_down": str(SECOND)})
    assert response.status_code == 200 and Plan.objects.count() == plans
    body = response.content.decode()
    assert f'name="apply_down" value="{SECOND}" class="apply-down" formnovalidate' in body
    assert body.count("autofocus") == 1 and body.index("autofocus") > body.index(f'value="{SECOND}" class="apply-down"')
    shown = review_fields(body)
    for i in (PARK, SITE, FAIR):
        assert shown[f"lead_{i}"] == [str(world.ndrc_a.pk)] and shown[f"support_{i}"] == ["n:市交通运输局"]
        assert shown[f"deadline_{i}"] == ["2026-06-30"]
    assert shown[f"lead_{RAIL}"] == ["n:市交通运输局"] and shown[f"title_{FAIR}"] == ["举办招商推介活动"]
    assert f'<option value="{world.ndrc_a.pk}" selected>市发展改革局（甲市）</option>' in body

    response = client.post(url, {**shown, "commit": "1"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    plan = ImportSession.objects.get(pk=session.pk).plan
    for title in ("共建产业园区", "建设合作园区", "举办招商推介活动"):
        task = Task.objects.get(plan=plan, title=title)
        own = {a.role: a.unit for a in task.assignments.filter(inherited=False)}
        assert own == {"lead": world.ndrc_a, "support": world.transport_a}
        assert task.deadline == dt.date(2026, 6, 30) and task.deadline_text == ""
    rail = Task.objects.get(plan=plan, title="加快轨道交通建设")
    assert rail.deadline == dt.date(2024, 12, 31) and rail.deadline_text  # the document's wording kept


def test_the_first_row_applies_too(world, session, login):
    client = login(world.office_a)
    fields = review_fields(client.get(f"/import/{session.pk}/").content.decode())
    fields[f"lead_{FIRST}"] = [str(world.ndrc_a.pk)]
    response = client.post(f"/import/{session.pk}/", {**fields, "apply_down": str(FIRST)})
    assert response.status_code == 200
    shown = review_fields(response.content.decode())
    assert shown[f"lead_{RAIL}"] == shown[f"lead_{ROADS}"] == [str(world.ndrc_a.pk)]
    assert shown[f"lead_{PARK}"] == ["n:市工业和信息化局", "n:市商务局"]


def test_pressing_apply_down_on_a_leaf_says_so_and_writes_nothing(world, session, login):
    client = login(world.office_a)
    response = client.post(f"/import/{session.pk}/", {"apply_down": str(SITE)})
    assert response.status_code == 400 and "该行没有下级" in response.content.decode()
    for bad in ("abc", "", "-1", "9" * 30, "１", "0x1", " 1"):
        assert client.post(f"/import/{session.pk}/", {"apply_down": bad}).status_code == 400
    assert ImportSession.objects.get(pk=session.pk).state == "open"


def test_a_cleared_deadline_leaves_the_task_without_one(world, session, login):
    response = login(world.office_a).post(
        f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk, f"deadline_{RAIL}": ""}
    )
    assert response.status_code == 302
    task = Task.objects.get(plan=ImportSession.objects.get(pk=session.pk).plan, title="加快轨道交通建设")
    assert task.deadline is None


@pytest.mark.parametrize(
    "value",
    ["2024-13-01", "0202-01-01", "20255-01-01", "1900-01-01", "abc", "2024/06/30", "1" * 5000,
     "２０２４-０６-３０", "<script>alert(1)</script>", "2024-06-30T00:00"],
)
def test_a_bad_deadline_is_refused_and_shown_back(world, session, login, value):
    before = (Plan.objects.count(), Task.objects.count(), Unit.objects.count())
    response = login(world.office_a).post(
        f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk, f"deadline_{RAIL}": value}
    )
    assert response.status_code == 400
    assert "不是有效日期" in response.content.decode()
    assert (Plan.objects.count(), Task.objects.count(), Unit.objects.count()) == before
    assert ImportSession.objects.get(pk=session.pk).state == "open"
    assert "<script>alert" not in response.content.decode()
