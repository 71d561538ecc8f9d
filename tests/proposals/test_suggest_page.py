"""The suggested 主办 units on the 交办 form: learnt from the office's own assignments, shown only
to whom may 交办, ticked to choose, refitted when a proposal is assigned."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from luoshi.ledger.models import Unit
from luoshi.proposals import services, suggesting
from luoshi.proposals.models import AssignedUnit, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_models():
    suggesting.forget()
    yield
    suggesting.forget()


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def suggested(page: str) -> list[str]:
    """The units suggested on a page, in order."""
    box = re.search(r'<fieldset id="unit-suggestions">(.*?)</fieldset>', page, re.S)
    return [n.split("（")[0] for n in re.findall(r"<b>([^<]+)</b>", box.group(1))] if box else []


def history(people, day):
    """甲市 has handled bus and road proposals through 市交通运输局, plans through 市发展改革委."""
    titles = [
        ("11", "关于优化城区公交线路的建议", people.transport),
        ("12", "关于增开农村客运班车的建议", people.transport),
        ("13", "关于加快农村公路提质改造的提案", people.transport),
        ("14", "关于编制都市圈发展规划的提案", people.ndrc),
        ("15", "关于推进重大项目投资建设的提案", people.ndrc),
    ]
    for number, title, unit in titles:
        p = people.register(number, title=title, text="")
        services.assign(p, people.office_a, dt.date(2024, 3, 29), [unit], [])


def test_the_office_sees_the_unit_that_led_similar_proposals_first(people, day, login):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="群众出行不便。")
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert suggested(page)[0] == "市交通运输局"
    assert "相似提案：十二届五次第11号《关于优化城区公交线路的建议》由该单位主办" in page
    assert "职责相符：" in page and "公交" in page


def test_ticking_a_suggestion_assigns_that_unit(people, day, login):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    c = login(people.office_a)
    page = body(c.get(f"/proposals/{p.pk}/"))
    pk = re.search(r'<input type="checkbox" name="leads" value="(\d+)">', page).group(1)
    assert int(pk) == people.transport.pk
    c.post(
        f"/proposals/{p.pk}/assign/", {"leads": [pk, pk], "supports": [str(people.police.pk)], "mode": "lead"}
    )
    p.refresh_from_db()
    lead = AssignedUnit.objects.get(assignment=p.assignment, role="lead")
    assert p.state == "assigned" and lead.unit == people.transport


@pytest.mark.parametrize("who", ["lead", "support", "member", "committee", "leader", "office_b", "lead_b"])
def test_nobody_but_the_office_that_may_assign_sees_it(people, day, login, who):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    response = login(getattr(people, who)).get(f"/proposals/{p.pk}/")
    assert response.status_code in (200, 403, 404)
    assert "unit-suggestions" not in response.content.decode()
    assert "相似提案" not in response.content.decode()


def test_it_offers_only_units_of_the_proposal_s_city(people, day, login):
    history(people, day)
    Unit.objects.create(name="市交通运输局", city=people.city_b)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    ids = {int(i) for i in re.findall(r'type="checkbox" name="leads" value="(\d+)"', page)}
    assert ids and ids <= {people.ndrc.pk, people.transport.pk, people.police.pk}


def test_it_is_gone_once_assigned(people, day, login):
    history(people, day)
    p = Proposal.objects.get(number="11")
    assert "unit-suggestions" not in body(login(people.office_a).get(f"/proposals/{p.pk}/"))


def test_a_new_assignment_is_learnt_at_once(people, day, login):
    history(people, day)
    c = login(people.office_a)
    p = people.register("20", title="关于整治学校周边交通秩序的建议", text="")
    before = body(c.get(f"/proposals/{p.pk}/"))
    done = people.register("21", title="关于整治学校周边交通秩序的提案", text="")
    services.assign(done, people.office_a, dt.date(2024, 4, 1), [people.police], [])
    after = body(c.get(f"/proposals/{p.pk}/"))
    similar = "相似提案：十二届五次第21号《关于整治学校周边交通秩序的提案》由该单位主办"
    assert similar not in before and similar in after
    assert suggested(after)[0] == "市公安局"


def test_hostile_markup_in_past_titles_is_shown_as_text(people, day, login):
    p = people.register(
        "30",
        title="<script>alert('x')</script>关于优化城区公交线路的建议",
        text="<img src=x onerror=alert(1)>",
    )
    services.assign(p, people.office_a, dt.date(2024, 3, 29), [people.transport], [])
    q = people.register("31", title="关于优化公交线路的建议", text="")
    page = body(login(people.office_a).get(f"/proposals/{q.pk}/"))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "title, text",
    [
        ("。。。", ""),
        ("关于的建议", "🚌🚌！？《》\t　"),
        ("关于公交的建议", "城区公交线路少。" * 12_500),
    ],
)
def test_odd_proposals_still_open(people, day, login, title, text):
    history(people, day)
    p = people.register("40", title=title, text=text)
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert 'id="assign-form"' in page


def test_with_no_history_the_remit_still_speaks(people, day, login):
    p = people.register("50", title="关于优化城区公交线路的建议", text="")
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert suggested(page)[:1] == ["市交通运输局"]
    assert "相似提案" not in page


def test_it_speaks_english_on_request(people, day, login):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    c = login(people.office_a)
    c.post("/i18n/setlang/", {"language": "en", "next": "/proposals/"})
    page = body(c.get(f"/proposals/{p.pk}/"))
    assert "Suggested lead units" in page and "was led by this unit" in page and "Fits its remit" in page


def test_on_a_re_assignment_the_proposal_is_not_its_own_evidence(people, day, login):
    history(people, day)
    p = people.register("60", title="关于在城东片区增设公交站点的建议", text="")
    services.assign(p, people.office_a, dt.date(2024, 3, 29), [people.police], [])
    services.request_adjustment(p, people.police_user, people.police, "不属于本单位职责", dt.date(2024, 4, 1))
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert 'id="assign-form"' in page and suggested(page)
    assert "第60号" not in page.split('id="unit-suggestions"')[1].split("</fieldset>")[0]
    assert suggested(page)[0] == "市交通运输局"
