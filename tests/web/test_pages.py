"""The ledger pages: tree, table with filters, export, my tasks, dashboard, language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from luoshi.ledger import services
from luoshi.ledger.models import Task

pytestmark = pytest.mark.django_db


def test_plan_tree_rolls_up_progress_and_marks_inherited_units(world, client):
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="已完成", narrative="建成"
    )
    client.force_login(world.office_a)
    body = client.get(f"/plans/{world.plan_a.pk}/").content.decode()
    assert "1 / 4" in body  # four leaf tasks, one done
    assert "继承" in body


@pytest.mark.parametrize(
    ("params", "labels"),
    [
        ({"q": "园区"}, ["（三）", "1."]),
        ({"domain": "交通"}, ["一、", "（一）", "（二）"]),
        ({"status": "已完成"}, ["（一）"]),
    ],
)
def test_ledger_filters(world, client, params, labels):
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="已完成", narrative="建成"
    )
    client.force_login(world.office_a)
    page = client.get("/ledger/", params).context["page"]
    assert [t.label for t in page] == labels


def test_overdue_filter(world, client):
    Task.objects.filter(pk=world.task_a.pk).update(deadline=timezone.localdate().replace(year=2000))
    client.force_login(world.office_a)
    assert [t.id for t in client.get("/ledger/", {"overdue": "on"}).context["page"]] == [world.task_a.pk]


def test_unit_filter_and_city_filter(world, client):
    client.force_login(world.admin)
    page = client.get("/ledger/", {"unit": world.transport_a.pk}).context["page"]
    assert [t.id for t in page] == [world.task_a.pk]
    page = client.get("/ledger/", {"city": world.city_b.pk}).context["page"]
    assert {t.plan_id for t in page} == {world.plan_b.pk}
    response = client.get("/ledger/", {"unit": world.transport_a.pk})
    assert f'<option value="{world.transport_a.pk}" selected>' in response.content.decode()
    for nobody in ({"unit": 10**9}, {"city": 10**9}):
        assert list(client.get("/ledger/", nobody).context["page"]) == [], "an id no unit has matches nothing"


def test_export_has_the_ledger_layout_of_the_filtered_view(world, client):
    client.force_login(world.office_a)
    response = client.get("/ledger/export.xlsx", {"domain": "交通"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][:6] == ["序号", "方案", "任务", "牵头单位", "配合单位", "目标"]
    assert [ws.cell(r, 3).value for r in (3, 4, 5)] == [
        "推进交通互联",
        "加快轨道交通建设",
        "织密高速公路网络",
    ]
    assert ws.max_row == 5


def test_export_keeps_formula_like_titles_as_text_as_typed(world, client):
    Task.objects.filter(pk=world.task_a.pk).update(title='=HYPERLINK("http://x")')
    client.force_login(world.office_a)
    ws = load_workbook(io.BytesIO(client.get("/ledger/export.xlsx").content)).active
    assert (ws.cell(4, 3).value, ws.cell(4, 3).data_type) == ('=HYPERLINK("http://x")', "s")


def test_export_drops_control_characters(world, client):
    # Text pasted from other systems carries control characters, which openpyxl refuses outright.
    Task.objects.filter(pk=world.task_a.pk).update(title="加快\x01轨道\x1b交通建设")
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="推进中", narrative="开工\x08建设"
    )
    client.force_login(world.office_a)
    response = client.get("/ledger/export.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(4, 3).value == "加快轨道交通建设"
    latest = [c.value for c in ws[2]].index("最新进展") + 1
    assert ws.cell(4, latest).value == "2024-03：开工建设"


def test_my_tasks_lists_the_units_tasks_and_this_periods_state(world, client, office_day):
    office_day(dt.date(2024, 4, 15))  # March's reports were due on the 10th; April has not ended
    client.force_login(world.reporter_a)
    rows = client.get("/mine/").context["rows"]
    assert [(r["task"].pk, r["period"], r["report"]) for r in rows] == [(world.task_a.pk, "2024-03", None)]
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="推进中", narrative="开工"
    )
    assert client.get("/mine/").context["rows"][0]["report"].version == 1


def test_dashboard_counts_completion_by_plan_domain_city_and_unit(world, client):
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="已完成", narrative="建成"
    )
    client.force_login(world.leader)
    context = client.get("/dashboard/").context
    charts = context["charts"]
    assert set(charts) == {"plan", "domain", "city", "unit"}
    city_a = next(r for r in charts["city"] if r["name"] == "甲市")
    assert (city_a["done"], city_a["total"]) == (1, 4)
    assert context["summary"]["done"] == 1
    assert b"echarts.min.js" in client.get("/dashboard/").content


def test_report_through_the_page_with_an_attachment(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.reporter_a)
    target = world.task_a.targets.get()
    response = client.post(
        f"/tasks/{world.task_a.pk}/report/",
        {
            "period": "2024-03",
            "status": "推进中",
            "narrative": "开工",
            f"target_{target.pk}": "20",
            "attachments": [SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)],
        },
    )
    assert response.status_code == 302
    report = world.task_a.reports.get()
    assert report.values.get().value == 20 and report.attachments.get().name == "照片.png"
    download = client.get(f"/attachments/{report.attachments.get().pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_import_review_commit_through_the_pages(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.office_a)
    text = "某区2024年工作要点\n一、工作\n（一）开展研究。（牵头单位：市新设局）\n"
    review = client.post("/import/", {"file": SimpleUploadedFile("要点.txt", text.encode())}, follow=True)
    assert "未知单位" in review.content.decode()
    session = review.context["session"]
    done = client.post(
        f"/import/{session.pk}/",
        {
            "unitname_0": "市新设局",
            "unitmap_0": "new",
            "title_1": "开展专题研究",
            "city": world.city_a.pk,
            "commit": "1",
        },
        follow=True,
    )
    assert done.status_code == 200
    assert Task.objects.filter(title="开展专题研究", plan__city=world.city_a).exists()


def test_chinese_by_default_english_on_request(world, client):
    assert "登录" in client.get("/accounts/login/").content.decode()
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Log in" in english
    chinese_browser = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert 'lang="zh-hans"' in chinese_browser


def test_language_switch_sets_english(world, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/public/"})
    assert "Published plans" in client.get("/public/").content.decode()


def test_public_page_lists_only_published_plans(world, client):
    body = client.get("/public/").content.decode()
    assert f"/plans/{world.plan_b.pk}/" in body and f"/plans/{world.plan_a.pk}/" not in body
