"""A small Shenzhen–Zhongshan plan with a quarter of reports, shared by the bulletin tests."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from luoshi.supervision.facts import NoticeFacts, ReportFacts, TaskFacts

PLAN = "2024年深中一体化工作要点"

# id ⇥ label ⇥ title ⇥ domain ⇥ city ⇥ lead unit ⇥ start ⇥ deadline
TASKS = """
1	一、（一）1.	推进深中通道配套道路建设	交通互联	深圳	深圳市交通运输局	2024-01-01	2024-12-31
2	一、（一）2.	开通深中跨市公交线路	交通互联	中山	中山市交通运输局	2024-01-01	2024-12-31
3	二、（一）1.	共建深中产业合作园区	产业协作	深圳	深圳市工业和信息化局	2024-01-01	2024-12-31
4	二、（一）2.	引进深圳先进制造业项目	产业协作	中山	中山市工业和信息化局	2024-01-01	2024-12-31
5	三、（一）1.	推动优质教育资源共享	公共服务	深圳	深圳市教育局	2024-01-01	2024-12-31
6	三、（一）2.	建设跨城合作办学项目	公共服务	中山	中山市教育局	2024-01-01	2024-03-31
7	一、（二）1.	规划建设深中城际铁路	交通互联	深圳	深圳市交通运输局	2024-05-01	2025-12-31
8	二、（二）1.	编制产业协同发展规划	产业协作	深圳	深圳市工业和信息化局	2024-01-01	2024-06-30
"""

# id ⇥ task ⇥ period ⇥ submitted ⇥ status ⇥ percent
REPORTS = """
r1	1	2024-03	2024-04-08T10:00	推进中	35
r2	2	2024-03	2024-04-09T16:30	推进中	25
r3	3	2024-03	2024-04-03T09:00	已完成	100
r4	4	2024-03	2024-04-12T11:00	推进中	10
r5	5	2024-02	2024-03-08T09:00	推进中	15
r6	6	2024-03	2024-04-10T17:00	推进中	80
r8	8	2024-02	2024-03-05T09:00	已完成	100
r2a	2	2024-02	2024-03-06T09:00	推进中	14
r3a	3	2024-02	2024-03-06T09:00	推进中	60
r4a	4	2024-02	2024-03-07T09:00	推进中	12
r6a	6	2024-02	2024-03-07T09:00	推进中	50
"""


def _split(table: str) -> list[list[str]]:
    return [line.split("\t") for line in table.strip().splitlines()]


@pytest.fixture
def tasks() -> list[TaskFacts]:
    return [
        TaskFacts(
            id=i,
            label_path=label,
            title=title,
            plan_title=PLAN,
            domain=domain,
            city=city,
            lead_unit=unit,
            start=date.fromisoformat(start),
            deadline=date.fromisoformat(deadline),
        )
        for i, label, title, domain, city, unit, start, deadline in _split(TASKS)
    ]


@pytest.fixture
def reports(tasks: list[TaskFacts]) -> list[ReportFacts]:
    units = {t.id: t.lead_unit for t in tasks}
    return [
        ReportFacts(rid, task, period, units[task], datetime.fromisoformat(at), status, float(pct))
        for rid, task, period, at, status, pct in _split(REPORTS)
    ]


@pytest.fixture
def notices() -> list[NoticeFacts]:
    return [
        NoticeFacts("督办〔2024〕3号", "5", "received", date(2024, 3, 20), date(2024, 3, 27), "逾期未报送"),
        NoticeFacts("督办〔2024〕1号", "6", "closed", date(2024, 2, 20), date(2024, 2, 27)),
        NoticeFacts("督办〔2024〕12号", "4", "issued", date(2024, 4, 12), date(2024, 4, 19), "落后"),
    ]
