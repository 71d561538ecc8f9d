"""Fixtures for the indicators tests: four cities of a metropolitan area, their entities, a pair
and the area itself, and a small catalogue."""

from __future__ import annotations

import pytest

from luoshi.indicators import services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.models import Entity, Indicator
from luoshi.ledger.models import City
from tests.web import conftest as web

login = web.login
office_day = web.office_day

CITIES = ("成都市", "德阳市", "眉山市", "资阳市")


class Area:
    """The cities, their entities by short name (成都…), the pair 成德, the area and three indicators."""

    def __init__(self) -> None:
        self.cities = {name: City.objects.create(name=name) for name in CITIES}
        self.entity = {name[:2]: services.city_entity(city) for name, city in self.cities.items()}
        self.entity["成都"].aliases = "成都\n蓉"
        self.entity["成都"].save()
        self.pair = Entity.objects.create(
            kind="pair", name="成德", city=self.cities["成都市"], partner=self.cities["德阳市"]
        )
        self.area = Entity.objects.create(kind="area", name="成德眉资")
        self.area.members.set(self.cities.values())
        services.apply_catalogue(
            [
                IndicatorSpec("地区生产总值", "亿元", "up", "产业", "GDP", "统计局", "year", "city"),
                IndicatorSpec("日开行动车", "对", "up", "交通", "", "铁路部门", "month", "pair"),
                IndicatorSpec(
                    "PM2.5平均浓度", "微克/立方米", "down", "生态", "", "生态环境局", "year", "area"
                ),
            ]
        )
        self.gdp = Indicator.objects.get(name="地区生产总值")
        self.trains = Indicator.objects.get(name="日开行动车")
        self.pm25 = Indicator.objects.get(name="PM2.5平均浓度")


@pytest.fixture
def area(db) -> Area:
    return Area()


class People:
    """Who may touch indicators, and who should not: the office reads, edits and records; leaders
    read; reporters, members, profile-less users and visitors see nothing."""

    def __init__(self) -> None:
        from luoshi.accounts.models import Role
        from tests.web.world import make_user

        self.admin = make_user("admin", None, superuser=True)
        self.office = make_user("office_a", Role.OFFICE)
        self.office_b = make_user("office_b", Role.OFFICE)
        self.leader = make_user("leader", Role.LEADER, all_cities=True)
        self.reporter = make_user("reporter", Role.REPORTER)
        self.member = make_user("member", Role.MEMBER)
        self.nobody = make_user("nobody", None)


@pytest.fixture
def people(db) -> People:
    return People()


@pytest.fixture
def links(db, office_day):
    from tests.indicators.links_world import DAY, LinkWorld

    office_day(DAY)
    return LinkWorld()
