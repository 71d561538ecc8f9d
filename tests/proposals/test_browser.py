"""In a real browser: the office assigns, the unit replies, the member rates, each on the pages."""

from __future__ import annotations

from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_a_proposal_from_assignment_to_rating(live_server, page):
    from luoshi.proposals.models import Proposal
    from tests.proposals.conftest import People

    people = People()
    p = people.register()
    base = live_server.url

    web.log_in(page, base, "office_a")
    page.goto(f"{base}/proposals/")
    page.click("text=关于加快深中通道两岸产业协同发展的提案")
    page.select_option("#assign-form select[name=leads]", str(people.ndrc.pk))
    page.select_option("#assign-form select[name=supports]", str(people.transport.pk))
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已交办")
    assert page.locator("#state").inner_text() == "已交办"

    page.context.clear_cookies()
    web.log_in(page, base, "lead")
    page.goto(f"{base}/proposals/{p.pk}/")
    assert "尚未记录办前沟通" in page.locator("#reply-warnings").inner_text()
    page.fill("#communicate-form textarea[name=summary]", "与张三委员面商办理思路")
    page.click("#communicate-form button[type=submit]")
    page.wait_for_selector("#communications >> text=与张三委员面商办理思路")
    page.check("#reply-form input[name=category][value=B]")
    page.fill("#reply-form textarea[name=text]", "已列入明年计划")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#replies >> text=已列入明年计划")

    page.context.clear_cookies()
    web.log_in(page, base, "member")
    assert page.url.endswith("/proposals/")
    page.click("text=关于加快深中通道两岸产业协同发展的提案")
    page.click("#communications button:has-text('确认')")
    page.wait_for_selector("#communications >> text=委员已于")
    page.select_option("#rate-form select[name=attitude]", "满意")
    page.select_option("#rate-form select[name=result]", "基本满意")
    page.click("#rate-form button[type=submit]")
    page.wait_for_selector("#ratings >> text=办理结果：基本满意")
    p.refresh_from_db()
    assert Proposal.objects.get(pk=p.pk).state == "rated"
    assert [e.action for e in p.events.all()] == [
        "register",
        "assign",
        "communicate",
        "reply",
        "confirm",
        "rate",
    ]


def test_a_proposal_notice_from_the_units_inbox_to_the_offices_close(live_server, page):
    import datetime as dt

    from luoshi.proposals import supervising
    from luoshi.proposals.models import ProposalNotice
    from tests.proposals.conftest import People

    people = People()
    p = people.assigned()
    (notice,) = supervising.issue(people.office_a, [p.pk], p.reply_due + dt.timedelta(days=1))
    base = live_server.url

    web.log_in(page, base, "lead")
    page.goto(f"{base}/inbox/")
    page.click(f"text={notice.number}")
    assert page.url.endswith(f"/proposals/{p.pk}/#reply-form")
    page.fill("#communicate-form textarea[name=summary]", "与张三委员面商办理思路")
    page.click("#communicate-form button[type=submit]")
    page.wait_for_selector("#communications >> text=与张三委员面商办理思路")
    page.check("#reply-form input[name=category][value=B]")
    page.fill("#reply-form textarea[name=text]", "已列入明年计划")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#replies >> text=已列入明年计划")
    page.goto(f"{base}/inbox/")
    assert notice.number not in page.content()

    page.context.clear_cookies()
    web.log_in(page, base, "office_a")
    page.goto(f"{base}/inbox/")
    assert notice.number in page.content() and "已回复待办结的督办单" in page.content()
    page.goto(f"{base}/notices/?kind=proposal")
    row = page.locator("#proposal-notices tr", has_text=notice.number)
    row.locator("button:has-text('办结')").click()
    page.wait_for_selector(f"#proposal-notices tr:has-text('{notice.number}') >> text=已办结")
    assert page.url.endswith("/notices/?kind=proposal")
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"
    page.goto(f"{base}/inbox/")
    assert notice.number not in page.content()
