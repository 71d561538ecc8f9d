"""Replies marked 主动公开 on the public site (no sign-in): searchable, 不予公开 ones never, and no
telephone number, e-mail address or identity number a reply carries; names stay."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.proposals import public, services

D = dt.date

# (what a reply says, what the public page shows)
REDACTED = [
    # 广水市住建局《对市政协九届三次会议第24014号提案的答复》(2024-10-16), its closing lines
    ("主管领导姓名   梅志斌    联系电话 0722-6232342", "主管领导姓名   梅志斌    联系电话 （已隐去）"),
    ("张忠武     联系电话  0722-6232342", "张忠武     联系电话  （已隐去）"),
    # the forms a contact line takes in reply letters
    ("联系人：王五，电话：13812345678。", "联系人：王五，电话：（已隐去）。"),
    ("手机 138 1234 5678", "手机 （已隐去）"),
    ("联系电话：+86-139-1234-5678", "联系电话：（已隐去）"),
    ("联系电话：(020)87654321转8021", "联系电话：（已隐去）"),
    ("联系电话：83456789", "联系电话：（已隐去）"),
    ("传真：0755-8345 6789", "传真：（已隐去）"),
    ("邮箱：zhangsan@gz.gov.cn", "邮箱：（已隐去）"),
    ("身份证号44010619900101123X", "身份证号（已隐去）"),
    # figures a reply states stay as written
    ("新增停车位6000个，投资约1088亿元", "新增停车位6000个，投资约1088亿元"),
    ("2024年12月31日前完成，政务服务热线12345", "2024年12月31日前完成，政务服务热线12345"),
    ("第125255号提案", "第125255号提案"),
]


@pytest.mark.parametrize("text, shown", REDACTED)
def test_personal_contact_data_is_put_out_of_sight(text, shown):
    assert public.redact(text) == shown


@pytest.fixture
def replied(people, db):
    """125255 replied 主动公开 with a contact line; 2 replied 不予公开; 3 not replied."""
    shown = services.reply(
        people.assigned("125255"),
        people.lead,
        people.ndrc,
        "B",
        "已列入明年计划，深中通道两岸产业园区将统一招商。\n联系人：王五，联系电话：13812345678",
        D(2024, 4, 1),
        contact="王五 13812345678",
        signer="赵六",
        public=True,
    )
    hidden = services.reply(
        people.assigned("2", title="关于保密事项的提案"),
        people.lead,
        people.ndrc,
        "A",
        "内部答复，不予公开",
        D(2024, 4, 2),
        public=False,
    )
    people.assigned("3", title="关于尚未答复事项的提案")
    return shown, hidden


def _page(client, query: str = "", **extra) -> str:
    """The page's results (below the search box, which shows the words searched)."""
    response = client.get("/proposals/public/", {"q": query, **extra} if query or extra else {})
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("</form>", page.index('id="public-search"')) :]


def test_a_visitor_reads_the_public_replies_only(client, replied):
    page = _page(client)
    assert "十二届五次第125255号" in page and "关于加快深中通道两岸产业协同发展的提案" in page
    assert "深中通道两岸产业园区将统一招商" in page and "市发展改革委" in page and "张三" in page
    assert (
        "内部答复" not in page and "关于保密事项的提案" not in page and "关于尚未答复事项的提案" not in page
    )


def test_no_telephone_number_reaches_the_page(client, replied):
    page = _page(client)
    assert "13812345678" not in page and "联系电话：（已隐去）" in page
    assert "王五 13812345678" not in page and "赵六" not in page  # the contact and signer fields


@pytest.mark.parametrize(
    "query, found",
    [
        ("深中通道", True),
        ("125255", True),
        ("统一招商", True),
        ("发展改革委 招商", True),
        ("张三", True),
        ("保密", False),  # a 不予公开 reply is not found by its words either
        ("内部答复", False),
        ("不存在的词", False),
        # A number the page hides finds nothing: searching must not tell which reply holds it.
        ("13812345678", False),
        ("统一招商 13812345678", False),
        ("zhangsan@gz.gov.cn", False),
    ],
)
def test_search(client, replied, query, found):
    page = _page(client, query)
    assert ("统一招商" in page) is found
    assert "13812345678" not in page and "内部答复" not in page


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "x" * 5000,
        "\x01深中",
        "%",
        "_",
        "'; DROP TABLE proposals_reply;--",
        "深" * 200,
    ],
)
def test_hostile_and_huge_searches_are_harmless(client, replied, query):
    response = client.get("/proposals/public/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_search_with_a_nul_is_refused(client, replied):
    assert client.get("/proposals/public/", {"q": "深\x00中"}).status_code == 400


@pytest.mark.parametrize("number", ["0", "-1", "abc", "99999", "9" * 40, "1.5"])
def test_any_page_number_gives_a_page(client, replied, number):
    assert "统一招商" in _page(client, page=number)


def test_the_public_page_links_to_them(client, replied):
    page = client.get("/public/").content.decode()
    assert 'href="/proposals/public/"' in page
    assert page.count("<title>") == 1 and "公开台账" in page.split("</title>")[0]
