"""Every workbook the web application writes stores what users typed as text, exactly as typed:
a title like =HYPERLINK(…) is never a formula, and no apostrophe is added to it."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Task, Unit
from luoshi.supervision_web import bulletins
from luoshi.supervision_web import services as supervision
from tests.supervision_web.conftest import ON, report, task
from tests.workbooks import FORMULA_TITLE, FORMULA_UNIT, formula_cells, text_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def formulas(world):
    """Task （二） of plan A titled like a formula, and led by a unit named like one."""
    target = world.task(world.plan_a, "（二）")
    Task.objects.filter(pk=target.pk).update(title=FORMULA_TITLE)
    Unit.objects.filter(pk=world.ndrc_a.pk).update(name=FORMULA_UNIT)
    return world


def _assert_text(data: bytes, *texts: str) -> None:
    assert formula_cells(data) == []
    for text in texts:
        found = text_cells(data, text)
        assert found, f"{text} is not in the workbook as written"
        assert {t for _v, t in found} == {"s"}
    assert not [c for c in text_cells(data, "'" + texts[0])]


def test_the_ledger_export_keeps_formula_like_text_as_text(formulas, client):
    client.force_login(formulas.office_a)
    response = client.get("/ledger/export.xlsx")
    assert response.status_code == 200
    _assert_text(response.content, FORMULA_TITLE, FORMULA_UNIT)


def test_the_unit_export_keeps_formula_like_text_as_text(formulas, client):
    client.force_login(formulas.office_a)
    response = client.get("/units/export.xlsx")
    _assert_text(response.content, FORMULA_UNIT)


def test_the_bulletin_workbook_keeps_formula_like_text_as_text(formulas, monkeypatch):
    # （二） is red on ON (its March report is missing), so its title and lead unit are on the
    # 红灯任务, 分牵头单位 and 未按时报送 sheets.
    monkeypatch.setattr(supervision, "today", lambda: ON)
    report(task(formulas.plan_a, "（一）"), "2024-03", "推进中", dt.date(2024, 4, 8), achieved=5)
    report(task(formulas.plan_a, "1."), "2024-03", "已完成", dt.date(2024, 4, 12))
    fig = bulletins.figures(formulas.plan_a, "2024-03")
    data = bulletins.render(fig, "xlsx")
    _assert_text(data, FORMULA_TITLE, FORMULA_UNIT)
