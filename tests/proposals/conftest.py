"""Personas and proposals for the proposal tests.

甲市 has the government office (office_a), the committee's staff (committee), a member (张三, with
an account) and another member (李四); units 市发展改革委 (主办, ndrc), 市交通运输局 (会办, transport)
and 市公安局 (not assigned, police), each with a reporter. 乙市 has its own office and a unit
with the same name as 甲市's 主办, which must see nothing of 甲市's proposals.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import Role
from luoshi.ledger.models import City, Unit
from luoshi.proposals import services
from tests.web import conftest as web
from tests.web.world import make_user

login = web.login


class People:
    def __init__(self) -> None:
        self.city_a = City.objects.create(name="甲市")
        self.city_b = City.objects.create(name="乙市")
        self.ndrc = Unit.objects.create(name="市发展改革委", city=self.city_a)
        self.transport = Unit.objects.create(name="市交通运输局", city=self.city_a)
        self.police = Unit.objects.create(name="市公安局", city=self.city_a)
        self.ndrc_b = Unit.objects.create(name="市发展改革委", city=self.city_b)
        self.admin = make_user("admin", None, superuser=True)
        self.office_a = make_user("office_a", Role.OFFICE, cities=[self.city_a])
        self.office_b = make_user("office_b", Role.OFFICE, cities=[self.city_b])
        self.committee = make_user("committee", Role.COMMITTEE)
        self.member = make_user("member", Role.MEMBER)
        self.other_member = make_user("other_member", Role.MEMBER)
        self.lead = make_user("lead", Role.REPORTER, self.ndrc)
        self.support = make_user("support", Role.REPORTER, self.transport)
        self.police_user = make_user("police", Role.REPORTER, self.police)
        self.lead_b = make_user("lead_b", Role.REPORTER, self.ndrc_b)
        self.leader = make_user("leader", Role.LEADER, cities=[self.city_a])
        self.leader_b = make_user("leader_b", Role.LEADER, cities=[self.city_b])

    def register(self, number: str = "125255", **kw):
        args = dict(
            number=number,
            session="十二届五次",
            kind="proposal",
            title="关于加快深中通道两岸产业协同发展的提案",
            proposer="张三",
            cosigners=["李四"],
            group="民盟",
            text="案由……建议……",
            category="经济发展",
            on=dt.date(2024, 3, 1),
            city=self.city_a,
            member=self.member,
        )
        args.update(kw)
        return services.register(self.committee, **args)

    def assigned(self, number: str = "125255", on=dt.date(2024, 3, 29), **kw):
        p = self.register(number, **kw)
        return services.assign(p, self.office_a, on, [self.ndrc], [self.transport])


@pytest.fixture
def people(db) -> People:
    return People()


@pytest.fixture
def day(monkeypatch):
    """Set the office's day: ``day(date)``; 1 April 2024 until told otherwise."""
    from django.utils import timezone

    from luoshi.web import clock

    def _set(d: dt.date) -> None:
        moment = timezone.make_aware(dt.datetime.combine(d, dt.time(9)))
        monkeypatch.setattr(clock, "now", lambda: moment)

    _set(dt.date(2024, 4, 1))
    return _set


@pytest.fixture(autouse=True)
def _fresh_list_caches():
    """Each test's database starts over, and with it the version numbers the list's cached pages,
    counts and filter choices are kept under: one test never sees another's."""
    from luoshi.ledger import pagecache, queries
    from luoshi.proposals import listing

    for forget in (listing.clear_cache, queries.clear_counts, pagecache.forget_built):
        forget()
    yield
    for forget in (listing.clear_cache, queries.clear_counts, pagecache.forget_built):
        forget()
