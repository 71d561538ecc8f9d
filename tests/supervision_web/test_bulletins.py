"""Bulletins from the database: the same data gives the same file; bad requests get one clear reason."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from luoshi.ledger.models import Plan
from luoshi.supervision_web import bulletins
from luoshi.supervision_web.bulletins import BulletinError
from luoshi.supervision_web.models import Bulletin

pytestmark = pytest.mark.django_db

ON = dt.date(2024, 4, 11)  # the working day after the March reports were due


def test_the_figures_count_the_plans_leaf_tasks(reported):
    fig = bulletins.figures(reported.plan_a, "2024-03", ON)
    assert fig.total_tasks == 4 and fig.completed == 1
    # Made on 11 April, the bulletin cannot count 2.'s report of the 12th.
    assert fig.on == ON and fig.standing("未报送").count == 2
    assert fig.title == "《某市2024年同城化工作方案》2024年3月推进情况通报"


def test_the_same_data_gives_the_same_bytes(reported):
    one = bulletins.figures(reported.plan_a, "2024-03", ON)
    two = bulletins.figures(reported.plan_a, "2024-03", ON)
    for fmt in ("docx", "xlsx"):
        assert bulletins.render(one, fmt) == bulletins.render(two, fmt)


def test_producing_stores_the_figures_and_every_file(reported):
    row, files = bulletins.produce(reported.plan_a, "2024-03", ["docx", "xlsx"], reported.office_a, ON)
    row = Bulletin.objects.get(pk=row.pk)
    assert row.docx.read() == files["docx"] and row.figures["total_tasks"] == 4
    assert not row.pdf
    sheets = load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert sheets[0] == "总体情况"


def test_a_pdf_is_produced_when_a_chinese_font_is_installed(reported):
    from luoshi.bulletins.pdf_render import FontNotFound, find_cjk_font

    try:
        find_cjk_font()
    except FontNotFound:
        pytest.skip("no CJK font installed")
    _row, files = bulletins.produce(reported.plan_a, "2024-03", ["pdf"], on=ON)
    assert files["pdf"].startswith(b"%PDF")


def test_a_quarterly_bulletin_of_a_monthly_plan_reads_its_months(reported):
    fig = bulletins.figures(reported.plan_a, "2024-Q1", ON)
    assert fig.period_label == "2024年第一季度" and fig.total_tasks == 4


def test_a_half_year_bulletin_of_a_monthly_plan_reads_its_months(reported):
    fig = bulletins.figures(reported.plan_a, "2024-H1", dt.date(2024, 7, 11))
    assert (fig.period_label, fig.kind_label, fig.total_tasks) == ("2024年上半年", "半年", 4)
    workbook = load_workbook(io.BytesIO(bulletins.render(fig, "xlsx")))
    assert "半年" in [c.value for row in workbook["总体情况"].iter_rows() for c in row]


def test_a_half_yearly_plan_has_a_half_year_bulletin_and_no_monthly_one(world):
    from tests.supervision_web.conftest import report, task

    plan = world.plan_a
    plan.cadence = "half-year"
    plan.save()
    report(task(plan, "1."), "2024-H1", "已完成", dt.date(2024, 7, 3))
    fig = bulletins.figures(plan, "2024-H1", dt.date(2024, 7, 11))
    assert fig.completed == 1 and fig.due.isoformat() == "2024-07-10"
    with pytest.raises(BulletinError, match="本方案按半年报送，没有月度报送数据"):
        bulletins.figures(plan, "2024-06", dt.date(2024, 7, 11))


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024-13", "格式不正确"),
        ("March", "格式不正确"),
        ("2024-05", "2024年5月尚未开始"),
    ],
)
def test_a_bad_or_future_period_is_refused_with_a_reason(reported, period, message):
    with pytest.raises(BulletinError, match=message):
        bulletins.figures(reported.plan_a, period, ON)


def test_a_plan_without_tasks_is_refused(world):
    empty = Plan.objects.create(title="空方案", year=2024)
    with pytest.raises(BulletinError, match="《空方案》没有任务"):
        bulletins.figures(empty, "2024-03", ON)


def test_an_unknown_format_is_refused():
    with pytest.raises(BulletinError, match="可选 docx,pdf,xlsx"):
        bulletins.parse_formats("docx,odt")
