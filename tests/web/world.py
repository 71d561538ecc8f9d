"""Personas and plans for the web tests.

Two cities, each with a plan managed by its own office; reporters of units in each; leaders of
everything and of one city; an admin; and anonymous visitors, who should see only published plans.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.accounts.models import Profile, Role
from luoshi.ledger import importing
from luoshi.ledger.models import City, Plan, Task, Unit

PASSWORD = "Correct-Horse-42"
SAMPLE = """某市2024年同城化工作方案
各牵头单位每月报送1次工作进展。
一、推进交通互联
（一）加快轨道交通建设。2024年底前建成城际铁路50公里。（牵头单位：市交通运输局；配合单位：市发展改革局）
（二）织密高速公路网络。新增高速公路2条以上。（牵头单位：市发展改革局）
二、推进产业协同
（三）共建产业园区。（牵头单位：市工业和信息化局、市商务局）
1.建设合作园区。力争新增企业5家以上。
2.举办招商活动。
"""

# A plan of the current kind: reported monthly by the 10th, its tasks due at the end of 2027, so that
# in December 2026 no task is late for its deadline and only reporting decides its light.
SAMPLE_2026 = """某市2026年同城化工作方案
各牵头单位每月报送1次工作进展。
一、推进交通互联
（一）加快轨道交通建设。2027年底前建成城际铁路50公里。（牵头单位：市交通运输局；配合单位：市发展改革局）
（二）织密高速公路网络。2027年底前新增高速公路2条以上。（牵头单位：市发展改革局）
二、推进产业协同
（三）共建产业园区。2027年底前建成合作园区1个。（牵头单位：市商务局）
"""


def upload(text: str = SAMPLE, name: str = "plan.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def import_plan(user, city: City | None = None, text: str = SAMPLE, **kwargs) -> Plan:
    """Upload and commit a plan the way the review page does, with every unknown unit created."""
    session = importing.start_import(upload(text), user)
    return importing.commit_import(session, user, city=city, **kwargs)


def make_user(
    username: str,
    role: str | None,
    unit: Unit | None = None,
    cities=(),
    superuser: bool = False,
    all_cities: bool = False,
):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    if role:
        profile = Profile.objects.create(user=user, role=role, unit=unit, all_cities=all_cities)
        profile.cities.set(cities)
    return user


class World:
    """Everyone and everything a permission test needs, built once per test."""

    def __init__(self) -> None:
        self.city_a = City.objects.create(name="甲市")
        self.city_b = City.objects.create(name="乙市")
        self.admin = make_user("admin", None, superuser=True)
        self.office_a = make_user("office_a", Role.OFFICE)
        self.office_b = make_user("office_b", Role.OFFICE)
        self.plan_a = import_plan(self.office_a, self.city_a)
        self.plan_b = import_plan(self.office_b, self.city_b)
        self.plan_b.published = True
        self.plan_b.save()
        self.task_a = self.task(self.plan_a, "（一）")
        self.task_b = self.task(self.plan_b, "（一）")
        self.transport_a = Unit.objects.get(name="市交通运输局", city=self.city_a)
        self.ndrc_a = Unit.objects.get(name="市发展改革局", city=self.city_a)
        self.transport_b = Unit.objects.get(name="市交通运输局", city=self.city_b)
        self.reporter_a = make_user("reporter_a", Role.REPORTER, self.transport_a)
        self.supporter_a = make_user("supporter_a", Role.REPORTER, self.ndrc_a)
        self.reporter_b = make_user("reporter_b", Role.REPORTER, self.transport_b)
        self.leader = make_user("leader", Role.LEADER, all_cities=True)
        self.leader_b = make_user("leader_b", Role.LEADER, cities=[self.city_b])

    @staticmethod
    def task(plan: Plan, label: str) -> Task:
        return Task.objects.get(plan=plan, label=label)
