"""The catalogue in the database: the template round-trips, an upload adds and updates by name,
records every change, and an upload with one bad row changes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from luoshi.indicators import services
from luoshi.indicators.core import catalogue
from luoshi.indicators.models import Indicator, IndicatorChange
from luoshi.indicators.services import IndicatorError


def edited(data: bytes, edit) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    edit(wb[catalogue.SHEET])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_export_then_import_changes_nothing(area):
    result = services.import_catalogue(services.export_catalogue())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert IndicatorChange.objects.filter(action="updated").count() == 0


def test_an_edited_template_updates_by_name_adds_new_rows_and_records_who_changed_what(
    area, django_user_model
):
    staff = django_user_model.objects.create_user("staff")

    def edit(ws):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "地区生产总值":
                row[1].value = "万元"
                row[6].value = "季度"
        ws.append(["跨市公交线路", "条", "越高越好", "交通", "", "交通运输局", "年度", "城市对"])

    result = services.import_catalogue(edited(services.export_catalogue(), edit), by=staff)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    area.gdp.refresh_from_db()
    assert (area.gdp.unit, area.gdp.frequency) == ("万元", "quarter")
    change = IndicatorChange.objects.get(indicator=area.gdp, action="updated")
    assert change.fields == {"unit": ["亿元", "万元"], "frequency": ["year", "quarter"]}
    assert change.by == staff
    assert Indicator.objects.get(name="跨市公交线路").level == "pair"


def test_one_bad_row_changes_nothing(area):
    def edit(ws):
        ws["B2"] = "改了"
        ws.append(["新指标", "个", "随便", "交通", "", "", "年度", "城市"])

    before = list(Indicator.objects.values_list("name", "unit"))
    with pytest.raises(IndicatorError, match="「方向」：无法识别「随便」"):
        services.import_catalogue(edited(services.export_catalogue(), edit))
    assert list(Indicator.objects.values_list("name", "unit")) == before
    assert IndicatorChange.objects.count() == 3  # the fixture's three creations only


@pytest.mark.parametrize("data", [b"", b"not an excel file", "指标名称\n".encode("utf-16")])
def test_bad_files_change_nothing(area, data):
    with pytest.raises(IndicatorError):
        services.import_catalogue(data)
    assert Indicator.objects.count() == 3


def test_specs_given_directly_are_checked_before_any_is_stored(area):
    bad = [catalogue.IndicatorSpec("好的"), catalogue.IndicatorSpec("坏的", direction="sideways")]
    with pytest.raises(IndicatorError, match="坏的"):
        services.apply_catalogue(bad)
    assert not Indicator.objects.filter(name="好的").exists()
    with pytest.raises(IndicatorError, match="重复"):
        services.apply_catalogue([catalogue.IndicatorSpec("同名"), catalogue.IndicatorSpec("同名")])
