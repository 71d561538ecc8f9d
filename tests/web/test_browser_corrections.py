"""In a real browser: what the office and the units entered survives a revision, a task edit and
the correction of a returned report."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger import importing, services
from luoshi.ledger.models import ProgressReport, Role, Status, Task, TaskAssignment, Unit
from luoshi.ledger.periods import offered
from tests.web import test_browser
from tests.web.test_browser import CHROMIUM, log_in
from tests.web.test_reimport_units import PLAN, revised
from tests.web.test_report_correction import DAY, pdf_bytes
from tests.web.world import upload

page = test_browser.page  # the same chromium fixture

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_revision_keeps_the_units_the_office_assigned(live_server, page):
    from tests.web.world import World

    world = World()
    plan = importing.commit_import(
        importing.start_import(upload(PLAN, "yaodian.txt"), world.office_a), world.office_a, city=world.city_a
    )
    area = Task.objects.get(plan=plan, label="二、")
    services.set_assignments(area, world.office_a, [world.ndrc_a], [])
    base = live_server.url
    log_in(page, base, "office_a")
    page.goto(f"{base}/plans/{plan.pk}/reimport/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "yaodian-rev.txt", "mimeType": "text/plain", "buffer": revised().encode()}],
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    changes = page.locator("#unit-changes")
    assert "市交通运输局（牵头）" in changes.inner_text()
    assert "市发展改革局（配合）" in changes.inner_text()
    assert "新增 0，修改 1，未变 32，撤销 1" in page.content()
    page.click("button[name=commit]")
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/$"))
    page.goto(f"{base}/tasks/{Task.objects.get(plan=plan, label='5.').pk}/")
    assert "牵头单位：市发展改革局" in page.locator(".card").first.inner_text()
    four = Task.objects.get(plan=plan, label="4.")
    assert four.title == "优化轨道交通布局"
    assert [a.unit.name for a in TaskAssignment.objects.filter(task=four, role=Role.LEAD)] == ["市交通运输局"]


def test_changing_a_tasks_lead_keeps_its_inherited_support_units(live_server, page):
    from tests.web.world import World

    world = World()
    parent = world.task(world.plan_a, "（三）")
    support = [Unit.objects.create(name=f"市第{i}协作局", city=world.city_a) for i in range(1, 9)]
    commerce = Unit.objects.get(name="市商务局", city=world.city_a)
    services.set_assignments(parent, world.office_a, [commerce], support)
    child = world.task(world.plan_a, "1.")
    base = live_server.url
    log_in(page, base, "office_a")
    page.goto(f"{base}/tasks/{child.pk}/")
    selected = page.eval_on_selector("select[name=support]", "s => [...s.selectedOptions].map(o => o.text)")
    assert sorted(selected) == sorted(u.name for u in support)
    assert "市第1协作局" in page.locator("#inherited-units").inner_text()
    page.select_option("select[name=lead]", [str(world.ndrc_a.pk)])
    page.fill("input[name=deadline]", "2024-09-30")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("text=已保存")
    card = page.locator(".card").first.inner_text()
    assert "牵头单位：市发展改革局" in card
    assert all(u.name in card for u in support)
    timeline = page.locator(".timeline").inner_text()
    assert "市商务局（继承）" in timeline


def test_a_returned_report_is_corrected_from_its_first_version(live_server, page, office_day):
    from tests.web.world import World

    office_day(DAY)
    world = World()
    task = world.task_a
    [target] = task.targets.all()
    period = offered(task.plan, DAY)[1]
    v1 = services.submit_report(
        task,
        world.reporter_a,
        period=period,
        status=Status.IN_PROGRESS,
        narrative="完成路基施工12公里。",
        values={target.pk: 12},
        attachments=[SimpleUploadedFile("现场照片.pdf", pdf_bytes())],
    )
    services.return_report(v1, world.office_a, "请补充投资完成额")
    base = live_server.url
    log_in(page, base, "reporter_a")
    assert page.url.endswith("/inbox/")  # the returned report awaits the unit, with the reason
    assert "请补充投资完成额" in page.inner_text("main")
    page.goto(f"{base}/mine/")
    assert "请补充投资完成额" in page.locator("table").inner_text()
    page.click("a.returned")
    page.wait_for_selector("#returned-notice")
    assert page.input_value("textarea[name=narrative]") == "完成路基施工12公里。"
    assert page.input_value("select[name=status]") == "推进中"
    assert page.input_value(f"input[name=target_{target.pk}]") == "12"
    assert page.is_checked("input[name=keep_attachment]")
    page.fill("textarea[name=narrative]", "完成路基施工12公里，完成投资3.2亿元。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=进展已报送")
    v2 = ProgressReport.objects.get(task=task, version=2)
    assert v2.status == Status.IN_PROGRESS and [a.name for a in v2.attachments.all()] == ["现场照片.pdf"]
    assert [v.value for v in v2.values.all()] == [12]
    page.goto(f"{base}/mine/")
    assert "已退回" not in page.locator("table").inner_text()
