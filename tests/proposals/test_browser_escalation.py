"""In a real browser: the office issues a proposal's 督办单 on the 督办 page and escalates it
(提级督办) to the proposal's 领衔督办 leader; that leader finds it in 待办, nobody else does, and
it leaves the leader's 待办 for the office's once the unit replies."""

from __future__ import annotations

from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def _inbox(page, base: str, who: str) -> str:
    """The text of ``who``'s 待办 page (signed in afresh)."""
    page.context.clear_cookies()
    web.log_in(page, base, who)
    page.goto(f"{base}/inbox/")
    return page.locator("main").inner_text()


def test_the_office_escalates_a_notice_on_the_supervise_page_and_the_leader_has_it_in_inbox(
    live_server, page
):
    from luoshi.accounts.models import Role
    from luoshi.proposals.models import Proposal, ProposalEvent, ProposalNotice
    from tests.proposals.conftest import People
    from tests.web.world import make_user

    people = People()
    # 甲市 has two leaders: the proposal's 领衔督办 leader (王市长) and another one.
    chief = make_user("chief", Role.LEADER, cities=[people.city_a])
    chief.first_name = "王市长"
    chief.save()
    p = people.assigned()
    Proposal.objects.filter(pk=p.pk).update(key=True, leader="王市长")
    base = live_server.url

    web.log_in(page, base, "office_a")
    page.goto(f"{base}/proposals/supervise/")
    page.check(f"#drafts input[name=proposal][value='{p.pk}']")
    page.click("#drafts button[type=submit]")
    page.wait_for_selector("text=已下发督办单1份")
    notice = ProposalNotice.objects.get(proposal=p)
    row = page.locator("#issued tr", has_text=notice.number)
    # The 领衔督办 leader is offered first; a leader of another city is not offered at all.
    leaders = row.locator("select[name=leader]")
    assert leaders.input_value() == str(chief.pk)
    offered = leaders.locator("option").all_inner_texts()
    assert sorted(offered) == ["leader", "王市长"]
    row.locator("button:has-text('提级督办')").click()
    page.wait_for_selector(f"text={notice.number}已提级督办")
    assert page.url.endswith("/proposals/supervise/")
    row = page.locator("#issued tr", has_text=notice.number)
    assert "提级督办" in row.inner_text() and "督办领导：王市长" in row.inner_text()
    # Escalated once: the row offers no second escalation.
    assert row.locator("select[name=leader]").count() == 0
    notice.refresh_from_db()
    assert notice.state == "escalated" and notice.escalated_to == chief
    assert ProposalEvent.objects.filter(proposal=p, action="supervise_escalate").count() == 1

    # The leader it went to: in 待办 under 提请关注的督办单, counted in the header, linked to the
    # proposal's notices.
    page.context.clear_cookies()
    web.log_in(page, base, "chief")
    page.goto(f"{base}/inbox/")
    section = page.locator("#inbox-notice_escalated")
    assert "提请关注的督办单" in section.inner_text()
    assert f"{notice.number} {p.title}" in section.inner_text()
    assert page.locator("#inbox-link .badge").inner_text() == "1"
    section.locator(f"text={notice.number}").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/proposals/{p.pk}/#notices")
    assert "提级督办" in page.locator("#notices").inner_text()

    # Not the other leader of the city, nor 乙市's, nor the office that escalated it.
    for who in ("leader", "leader_b", "office_a"):
        text = _inbox(page, base, who)
        assert "提请关注的督办单" not in text and notice.number not in text, who
    # The unit still owes its reply: the notice stays in its 待办 to answer.
    text = _inbox(page, base, "lead")
    assert "待回复的督办单" in text and notice.number in text

    # The unit replies on the proposal's page: the notice leaves the leader's 待办 and waits for
    # the office to close it.
    page.goto(f"{base}/proposals/{p.pk}/")
    page.fill("#communicate-form textarea[name=summary]", "与张三委员面商办理思路")
    page.click("#communicate-form button[type=submit]")
    page.wait_for_selector("#communications >> text=与张三委员面商办理思路")
    page.check("#reply-form input[name=category][value=B]")
    page.fill("#reply-form textarea[name=text]", "已列入明年计划")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#replies >> text=已列入明年计划")
    assert notice.number not in _inbox(page, base, "chief")
    text = _inbox(page, base, "office_a")
    assert "已回复待办结的督办单" in text and notice.number in text
