"""The 跨城通办 list: items added and edited with their history, the Excel list reviewed then applied
whole, and the counts fed into 跨城通办事项 (each city) and 都市圈跨城通办事项 (the area) as vintages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.indicators import crosscity
from luoshi.indicators.core import crosscity as core
from luoshi.indicators.entities import set_active
from luoshi.indicators.models import Indicator, Observation, ServiceCity, ServiceImport, ServiceItem
from luoshi.indicators.services import IndicatorError
from tests.indicators.tables import xlsx

D = dt.date


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def known(indicator_name: str, entity, period: str, on=None) -> float | None:
    return (
        Observation.objects.as_known(on)
        .filter(indicator__name=indicator_name, entity=entity, period=period)
        .values_list("value", flat=True)
        .first()
    )


@pytest.fixture
def social(area, people):
    """养老保险关系转移 handled in 成都 since 2024-02 and 德阳 since 2024-05, added on 2024-06-10."""
    crosscity.save_item(
        core.ItemSpec(
            "养老保险关系转移接续",
            "市人社局",
            "社会保障",
            "",
            (("成都市", D(2024, 2, 1)), ("德阳市", D(2024, 5, 1))),
        ),
        by=people.office,
        at=at(D(2024, 6, 10)),
    )
    return ServiceItem.objects.get(name="养老保险关系转移接续")


def test_an_item_is_stored_with_its_cities_and_a_history_line(social, people):
    assert (social.department, social.category) == ("市人社局", "社会保障")
    assert set(social.cities.values_list("entity__name", "since")) == {
        ("成都市", D(2024, 2, 1)),
        ("德阳市", D(2024, 5, 1)),
    }
    change = social.changes.get()
    assert (change.action, change.by) == ("created", people.office)
    assert set(change.fields["cities"].splitlines()) == {"成都市 2024-02-01", "德阳市 2024-05-01"}
    assert change.fields["name"] == "养老保险关系转移接续"


def test_the_counts_feed_the_city_and_area_indicators(social, area):
    city = Indicator.objects.get(name=crosscity.CITY_INDICATOR)
    whole = Indicator.objects.get(name=crosscity.AREA_INDICATOR)
    assert (city.unit, city.level, city.frequency) == ("项", "city", "quarter")
    assert (whole.unit, whole.level) == ("项", "area")
    # 2024-Q1: 成都 only; Q2 (counted on the day it was added, 2024-06-10): 成都 and 德阳.
    assert known("跨城通办事项", area.entity["成都"], "2024-Q1") == 1
    assert known("跨城通办事项", area.entity["德阳"], "2024-Q1") == 0
    assert known("跨城通办事项", area.entity["德阳"], "2024-Q2") == 1
    assert known("跨城通办事项", area.entity["眉山"], "2024-Q2") is None  # a city the list never named
    assert known("都市圈跨城通办事项", area.area, "2024-Q2") == 1
    # Nothing before the first opening, nothing after the day of the change.
    assert known("跨城通办事项", area.entity["成都"], "2023-Q4") is None
    assert known("跨城通办事项", area.entity["成都"], "2024-Q3") is None
    assert Observation.objects.filter(source=crosscity.SOURCE).first().note == "按清单统计"


def test_an_edit_keeps_the_old_values_and_adds_vintages(social, area, people):
    spec = core.ItemSpec(
        "养老保险关系转移接续",
        "市人力资源社会保障局",
        "社会保障",
        "",
        (("成都市", D(2024, 2, 1)), ("眉山市", None)),
    )
    result = crosscity.save_item(spec, by=people.office_b, item=social, at=at(D(2024, 8, 1)))
    assert (result.updated, result.created) == (1, 0)
    change = social.changes.first()
    assert change.action == "updated" and change.by == people.office_b
    assert change.fields["department"] == ["市人社局", "市人力资源社会保障局"]
    old, new = change.fields["cities"]
    assert "德阳市 2024-05-01" in old and "德阳市" not in new and "眉山市 2024-08-01" in new
    # 德阳 no longer handles it: its Q3 figure is 0, and its Q2 figure is revised away as a vintage;
    # the figure known on the day before the edit is still the old one.
    assert known("跨城通办事项", area.entity["德阳"], "2024-Q3") == 0
    assert known("跨城通办事项", area.entity["眉山"], "2024-Q3") == 1
    assert known("跨城通办事项", area.entity["德阳"], "2024-Q2") == 0
    assert known("跨城通办事项", area.entity["德阳"], "2024-Q2", on=D(2024, 7, 31)) == 1
    # An unchanged save changes and records nothing.
    again = crosscity.save_item(spec, by=people.office_b, item=social, at=at(D(2024, 8, 2)))
    assert (again.unchanged, again.recorded) == (1, 0)
    assert social.changes.count() == 2


def test_a_rename_is_kept_in_history(social, people):
    spec = crosscity.spec_of(social)
    crosscity.save_item(
        core.ItemSpec("企业职工养老保险关系转移", spec.department, spec.category, spec.note, spec.cities),
        by=people.office,
        item=social,
    )
    social.refresh_from_db()
    assert social.name == "企业职工养老保险关系转移"
    assert social.changes.first().fields == {"name": ["养老保险关系转移接续", "企业职工养老保险关系转移"]}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (core.ItemSpec("  "), "事项名称不能为空"),
        (core.ItemSpec("养老保险关系转移接续"), "已在清单中"),
        (core.ItemSpec("户口迁移", cities=(("广州市", None),)), "未登记或已停用的城市：广州市"),
        (
            core.ItemSpec("户口迁移", cities=(("眉山市", None),)),
            "未登记或已停用的城市：眉山市",
        ),  # deactivated
        (core.ItemSpec("户口迁移", department="局" * 101), "超过100字"),
        (core.ItemSpec("户口迁移", cities=(("成都市", D(1800, 1, 1)),)), "开通日期超出范围"),
    ],
)
def test_a_bad_item_changes_nothing(social, area, people, spec, message):
    set_active(area.entity["眉山"], False)
    before = (ServiceItem.objects.count(), ServiceCity.objects.count(), Observation.objects.count())
    with pytest.raises(IndicatorError, match=message):
        crosscity.save_item(spec, by=people.office)
    assert (ServiceItem.objects.count(), ServiceCity.objects.count(), Observation.objects.count()) == before


def test_an_edit_cannot_take_another_items_name(social, people):
    other = crosscity.save_item(core.ItemSpec("户口迁移"), by=people.office)
    assert other.created == 1
    item = ServiceItem.objects.get(name="户口迁移")
    with pytest.raises(IndicatorError, match="已在清单中"):
        crosscity.save_item(core.ItemSpec("养老保险关系转移接续"), by=people.office, item=item)


def test_an_empty_list_feeds_nothing(area):
    assert crosscity.feed() == 0
    assert not Observation.objects.exists()


def test_an_indicator_staff_gave_another_level_is_left_alone(area, people):
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.services import apply_catalogue

    apply_catalogue([IndicatorSpec(crosscity.CITY_INDICATOR, "项", level="area")])
    crosscity.save_item(core.ItemSpec("户口迁移", cities=(("成都市", D(2024, 1, 1)),)), by=people.office)
    assert not Observation.objects.filter(indicator__name=crosscity.CITY_INDICATOR).exists()
    assert Observation.objects.filter(indicator__name=crosscity.AREA_INDICATOR).exists()


# --- the Excel list -----------------------------------------------------------------------------


def test_export_then_import_changes_nothing(social, people):
    batch = crosscity.start_import(crosscity.export_items(), "list.xlsx", by=people.office)
    assert batch.problems == [] and len(batch.items) == 1
    result = crosscity.commit_import(batch, by=people.office)
    assert (result.created, result.updated, result.unchanged, result.recorded) == (0, 0, 1, 0)


def test_a_sync_brings_the_counts_up_to_the_current_period(social, area, people):
    today = timezone.localdate()
    current = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert known("跨城通办事项", area.entity["成都"], current) is None
    assert crosscity.feed(by=people.office) > 0
    assert known("跨城通办事项", area.entity["成都"], current) == 1
    assert known("都市圈跨城通办事项", area.area, current) == 1
    assert crosscity.feed(by=people.office) == 0  # nothing new: no new vintage


def test_an_upload_is_reviewed_then_applied_whole_once(social, area, people):
    rows = [
        ["事项名称", "主管部门", "类别", "备注", "成都", "德阳市", "眉山市"],
        ["养老保险关系转移接续", "市人社局", "社会保障", "", "2024-02-01", "", "是"],
        ["住房公积金异地转移", "公积金中心", "住房", "", "2023-07-01", "2023-07-01", ""],
    ]
    batch = crosscity.start_import(xlsx(rows), "list.xlsx", by=people.office)
    assert batch.state == "review" and batch.problems == []
    assert ServiceItem.objects.count() == 1  # nothing applied before the commit
    result = crosscity.commit_import(batch, by=people.office)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    batch.refresh_from_db()
    assert (batch.state, batch.committed_by, batch.created, batch.updated) == (
        "committed",
        people.office,
        1,
        1,
    )
    fund = ServiceItem.objects.get(name="住房公积金异地转移")
    assert sorted(fund.cities.values_list("entity__name", flat=True)) == sorted(["成都市", "德阳市"])
    # 眉山 marked 是 without a date: since the day of the import.
    assert social.cities.get(entity__name="眉山市").since == timezone.localdate()
    assert known("跨城通办事项", area.entity["成都"], "2023-Q3") == 1
    with pytest.raises(IndicatorError, match="已处理"):
        crosscity.commit_import(batch, by=people.office)


def test_an_upload_with_problems_is_never_applied(social, people):
    rows = [
        ["事项名称", "成都市", "德阳市"],
        ["住房公积金异地转移", "是", ""],
        ["户口迁移", "明年", ""],
    ]
    batch = crosscity.start_import(xlsx(rows), "bad.xlsx", by=people.office)
    assert batch.problems == [[3, "成都市", "无法识别「明年」，应填开通日期（如2021-03-01）、“是”或留空"]]
    assert batch.items == []
    with pytest.raises(IndicatorError, match="文件有问题"):
        crosscity.commit_import(batch, by=people.office)
    assert not ServiceItem.objects.filter(name="住房公积金异地转移").exists()
    crosscity.discard_import(batch, by=people.office)
    assert ServiceImport.objects.get(pk=batch.pk).state == "discarded"
    with pytest.raises(IndicatorError):
        crosscity.discard_import(batch, by=people.office)


def test_a_city_deactivated_between_review_and_commit_stops_the_whole_commit(social, area, people):
    rows = [["事项名称", "成都市", "眉山市"], ["住房公积金异地转移", "是", ""], ["户口迁移", "", "是"]]
    batch = crosscity.start_import(xlsx(rows), "list.xlsx", by=people.office)
    set_active(area.entity["眉山"], False)
    with pytest.raises(IndicatorError, match="眉山市"):
        crosscity.commit_import(batch, by=people.office)
    assert ServiceItem.objects.count() == 1
    assert ServiceImport.objects.get(pk=batch.pk).state == "review"
