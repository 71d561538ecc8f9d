"""A plan of 甲市 with two quantified targets (新增停车位6000个, 跨市公交达到12条), its people, and
indicators that measure them: what the target-link tests share."""

from __future__ import annotations

import datetime as dt

from luoshi.accounts.models import Role
from luoshi.indicators import services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.entities import sync_from_ledger
from luoshi.indicators.models import Entity, Indicator
from luoshi.ledger.models import City, Task, TaskTarget, Unit
from tests.web.world import import_plan, make_user

PLAN = """甲市2026年同城化工作方案
各牵头单位每月报送1次工作进展。
一、推进交通互联
（一）缓解停车难。2027年底前力争新增停车位6000个以上。（牵头单位：市交通运输局）
（二）加密跨市公交。2027年底前跨市公交达到12条。（牵头单位：市交通运输局）
（三）举办招商活动。（牵头单位：市商务局）
"""
DAY = dt.date(2026, 12, 15)  # the plan runs from 2026-01-01 to 2027-12-31: 序时进度 about 48%


class LinkWorld:
    def __init__(self) -> None:
        self.city = City.objects.create(name="甲市")
        self.other_city = City.objects.create(name="乙市")
        self.admin = make_user("admin", None, superuser=True)
        self.office = make_user("office_a", Role.OFFICE)
        self.office_b = make_user("office_b", Role.OFFICE)
        self.leader = make_user("leader", Role.LEADER, all_cities=True)
        self.plan = import_plan(self.office, self.city, text=PLAN)
        self.plan.year = 2026
        self.plan.date = dt.date(2026, 1, 1)
        self.plan.save()
        self.parking_task = Task.objects.get(plan=self.plan, label="（一）")
        self.bus_task = Task.objects.get(plan=self.plan, label="（二）")
        self.parking = TaskTarget.objects.get(task=self.parking_task)
        self.bus = TaskTarget.objects.get(task=self.bus_task)
        self.unit = Unit.objects.get(name="市交通运输局", city=self.city)
        self.reporter = make_user("reporter_a", Role.REPORTER, self.unit)
        self.member = make_user("member", Role.MEMBER)
        self.nobody = make_user("nobody", None)
        services.apply_catalogue(
            [
                IndicatorSpec("新增停车位", "个", "up", "交通", "", "交通运输局", "month", "city"),
                IndicatorSpec("跨市公交线路", "条", "up", "交通", "", "交通运输局", "quarter", "area"),
                IndicatorSpec("日开行动车", "对", "up", "交通", "", "铁路部门", "month", "pair"),
                IndicatorSpec("地区生产总值", "亿元", "up", "产业", "", "统计局", "year", "city"),
            ]
        )
        self.parking_indicator = Indicator.objects.get(name="新增停车位")
        self.bus_indicator = Indicator.objects.get(name="跨市公交线路")
        self.trains = Indicator.objects.get(name="日开行动车")
        self.gdp = Indicator.objects.get(name="地区生产总值")
        sync_from_ledger()
        self.city_entity = Entity.objects.get(kind="city", city=self.city)
        self.other_entity = Entity.objects.get(kind="city", city=self.other_city)
        self.area = Entity.objects.get(kind="area")
        self.pair = Entity.objects.get(kind="pair")
