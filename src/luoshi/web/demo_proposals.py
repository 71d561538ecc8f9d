"""Demo proposals: one session of 300 proposals across 60 units of 惠州 in every state, made through
the same services as the pages (so each has its real history), the key proposal whose handling
plan is the imported 「海绵行动」 plan, and a member account that follows ten of them.

The session is registered in one bulk step (as the committee's list is) and then walked step by
step; dates run back from the demo day so deadlines fall before, around and after it.
All titles are sample data made from common topics of city proposals.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import partial, reduce

from django.contrib.auth import get_user_model
from django.db import transaction

from luoshi.accounts.models import Profile, Role
from luoshi.ledger.models import City, Plan, Unit
from luoshi.ledger.units import create_unit
from luoshi.proposals import handling as h
from luoshi.proposals import services
from luoshi.proposals.models import Proposal

SESSION = "十三届三次"
KEY_SESSION = "十二届一次"
COUNT = 300
MEMBER = ("member", "Demo-Member-2024!", "政协委员")
COMMITTEE = ("committee", "Demo-Committee-2024!", "提案委")

# (主办 unit, category, topics): each topic becomes 「关于…的提案」.
TOPICS = [
    (
        "市教育局",
        "教育",
        ["增加公办学位供给", "加强中小学课后服务", "推进职业教育产教融合", "改善乡村学校办学条件"],
    ),
    ("市卫生健康局", "医疗卫生", ["完善基层医疗服务网络", "推进紧密型医联体建设", "加强老年健康服务"]),
    (
        "市交通运输局",
        "交通",
        ["优化公交线网", "推进深惠城际衔接", "完善农村客运服务", "缓解学校周边交通拥堵"],
    ),
    ("市住房城乡建设局", "城乡建设", ["推进老旧小区改造", "加快保障性租赁住房建设", "规范物业管理"]),
    ("市生态环境局", "生态环境", ["加强东江流域水质保护", "推进工业园区污染治理", "加强噪声污染防治"]),
    (
        "市发展改革局",
        "经济发展",
        ["全面对接深圳产业转移", "优化营商环境", "推进重大项目建设", "发展低空经济"],
    ),
    ("市工业和信息化局", "产业", ["支持中小企业数字化转型", "培育专精特新企业", "发展石化新材料产业集群"]),
    ("市科技局", "科技创新", ["建设高水平创新平台", "加强科技人才引进", "推进科技成果转化"]),
    ("市人力资源社会保障局", "社会保障", ["促进高校毕业生就业", "完善灵活就业人员社保", "加强技能人才培养"]),
    ("市民政局", "民生", ["发展社区嵌入式养老", "完善困难群众救助", "加强未成年人保护"]),
    ("市农业农村局", "乡村振兴", ["发展特色农业产业", "推进高标准农田建设", "加强农村人居环境整治"]),
    ("市文化广电旅游体育局", "文化旅游", ["发展全域旅游", "保护利用历史文化街区", "建设全民健身设施"]),
    ("市商务局", "商贸", ["促进夜间经济发展", "支持外贸企业开拓市场", "培育跨境电商"]),
    ("市市场监管局", "市场监管", ["加强食品安全监管", "规范预付式消费", "推进知识产权保护"]),
    ("市自然资源局", "规划", ["盘活低效用地", "优化国土空间规划", "加强耕地保护"]),
    ("市水利局", "水利", ["加强城市内涝治理", "推进中小河流治理", "保障农村供水安全"]),
    ("市公安局", "社会治理", ["整治电动自行车交通违法", "加强电信诈骗防范", "推进智慧安防小区建设"]),
    ("市城市管理和综合执法局", "城市管理", ["推进生活垃圾分类", "规范占道经营管理", "提升城市照明品质"]),
    ("市应急管理局", "安全生产", ["加强危化品安全监管", "提升基层应急能力"]),
    ("市政务服务数据管理局", "政务服务", ["推进跨城通办", "提升12345热线服务质量"]),
]
OTHER_UNITS = [
    "市财政局",
    "市司法局",
    "市审计局",
    "市国资委",
    "市统计局",
    "市医疗保障局",
    "市退役军人事务局",
    "市林业局",
    "市信访局",
    "市金融工作局",
    "市投资促进局",
    "市港口管理局",
    "市供销社",
    "市气象局",
    "市税务局",
    "市总工会",
    "团市委",
    "市妇联",
    "市科协",
    "市残联",
    "市住房公积金管理中心",
    "惠城区人民政府",
    "惠阳区人民政府",
    "惠东县人民政府",
    "博罗县人民政府",
    "龙门县人民政府",
    "大亚湾开发区管委会",
    "仲恺高新区管委会",
    "市邮政管理局",
    "惠州海关",
    "市消防救援支队",
    "市公安局交通警察支队",
    "市公路事务中心",
    "市城市投资集团",
    "市交通投资集团",
    "市水务集团",
    "惠州供电局",
    "市民族宗教局",
    "市侨务局",
    "市体育中心",
]
GROUPS = (
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "无党派",
    "经济界",
    "教育界",
    "医卫界",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _units(city: City) -> tuple[dict[str, Unit], list[Unit]]:
    leads = {name: create_unit(name, city) for name, _c, _t in TOPICS}
    others = [create_unit(name, city) for name in OTHER_UNITS]
    return leads, others


def _accounts(office) -> dict:
    User = get_user_model()
    out = {}
    for (username, password, _label), role in ((MEMBER, Role.MEMBER), (COMMITTEE, Role.COMMITTEE)):
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.first_name = "陈委员" if role == Role.MEMBER else ""
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role})
        out[username] = user
    return out


def build(office, today: dt.date, reporter=None) -> int:
    """Add the demo session (once); returns the proposals made. `reporter`: the demo's unit
    reporter, whose unit (市发展改革局) then leads its share of the session."""
    if Proposal.objects.filter(session=SESSION).exists():
        return 0
    rnd = random.Random(2024)
    city, _ = City.objects.get_or_create(name="惠州")
    leads, others = _units(city)
    users = _accounts(office)
    committee, member = users["committee"], users["member"]
    rows = []
    for i in range(COUNT):
        unit_name, category, topics = TOPICS[i % len(TOPICS)]
        topic = topics[(i // len(TOPICS)) % len(topics)]
        proposer = "陈委员" if i % 30 == 0 else rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        rows.append(
            {
                "number": f"{i + 1:04d}",
                "session": SESSION,
                "kind": "proposal",
                "title": f"关于{topic}的提案" if i < len(TOPICS) * 4 else f"关于进一步{topic}的提案",
                "proposer": proposer,
                "cosigners": [rnd.choice(SURNAMES) + rnd.choice(GIVEN) for _ in range(rnd.randrange(0, 3))],
                "group": rnd.choice(GROUPS),
                "category": category,
                "text": f"案由：\n{topic}是群众关心的问题，目前仍存在短板。\n\n建议：\n一、加强统筹；二、加大投入；三、完善机制。",
            }
        )
    registered_on = today - dt.timedelta(days=150)
    made = services.register_all(rows, committee, on=registered_on, city=city)
    for p in made:
        if p.proposer == "陈委员":
            Proposal.objects.filter(pk=p.pk).update(member=member)
    # One transaction for the walk: a commit per step would cost more than the steps themselves.
    with transaction.atomic():
        for i, p in enumerate(Proposal.objects.filter(session=SESSION).order_by("number_key")):
            _walk(p, i, rnd, leads[TOPICS[i % len(TOPICS)][0]], others, office, member, today)
        _key_proposal(city, leads, others, office, committee, today)
    return COUNT + 1


# Where each proposal stops, by its position in the session (a cycle of 20): every state appears.
STOPS = (
    "registered", "assigned", "assigned_late", "adjusting", "communicated", "communicated",
    "replied", "replied", "replied", "rated", "rated", "rated", "rated", "rated", "rated",
    "rehandling", "rerated", "assigned_late", "communicated", "rated",
)  # fmt: skip


def _walk(
    p: Proposal, i: int, rnd: random.Random, lead: Unit, others: list[Unit], office, member, today
) -> None:
    """Take one proposal through the steps up to its stop, each on a plausible past day."""
    stop = STOPS[i % len(STOPS)]
    if stop == "registered":
        return
    # Just assigned; assigned over three months ago and still unanswered (red); asking for 调整
    # within its window; or assigned two to four months ago and handled since.
    late_reply = i % 8 == 0 and stop in ("replied", "rated")  # a few replies come after the three months
    days = {"assigned": (3, 40), "assigned_late": (100, 130), "adjusting": (2, 6)}.get(stop, (60, 120))
    days = (112, 130) if late_reply else days
    assigned = today - dt.timedelta(days=rnd.randrange(*days))
    supports = rnd.sample(others, rnd.randrange(0, 3))
    p = services.assign(p, office, assigned, [lead], supports)
    reporter = None  # the units' steps are recorded without a personal account in the demo
    if stop in ("assigned", "assigned_late"):
        return
    if stop == "adjusting":
        reason = "该事项主要由其他部门负责，申请调整主办单位"
        services.request_adjustment(p, reporter, lead, reason, assigned + dt.timedelta(days=1))
        return
    talked = assigned + dt.timedelta(days=rnd.randrange(3, 15))
    # The units' steps of one stage run as one chain of core steps in one services.run: each step
    # is still checked and in the history, at one read of the proposal instead of one per step.
    steps = [
        partial(h.log_communication, unit=lead.name, stage="before", method=rnd.choice(h.METHODS[:4]),
                on=talked, summary="与提案人沟通办理思路，听取意见建议。"),
        *(partial(h.submit_opinion, unit=u.name, text="同意主办单位意见，将积极配合。", on=talked + dt.timedelta(days=5))
          for u in supports),
    ]  # fmt: skip
    replied = min(today - dt.timedelta(days=25), talked + dt.timedelta(days=rnd.randrange(20, 60)))
    if late_reply:
        replied = assigned + dt.timedelta(days=100)
    if stop != "communicated":
        steps.append(
            partial(h.reply, unit=lead.name, category="ABBBCA"[i % 6], on=replied, signer="局长",
                    text=f"关于《{p.title}》的答复：我单位高度重视，已采取措施推进。",
                    contact="办公室 0752-0000000", public=i % 3 == 0)
        )  # fmt: skip
    p = services.run(p, lambda f: reduce(lambda acc, step: step(acc), steps, f), None)
    if stop in ("communicated", "replied"):
        return
    rules = services.rules_for(p)
    rater = member if p.member_id else None  # the demo member rates their own; others unsigned
    result = {"rehandling": "不满意", "rerated": "不满意"}.get(stop, rnd.choice(("满意", "满意", "基本满意")))
    comment = "办理结果未达预期，请进一步研究。" if result == "不满意" else ""
    rated = replied + dt.timedelta(days=7)
    attitude = "满意" if result != "不满意" else "基本满意"
    p = services.run(p, lambda f: h.rate(f, attitude, result, rated, rules, comment=comment), rater)
    if stop == "rerated":
        again = replied + dt.timedelta(days=17)
        p = services.run(
            p,
            lambda f: h.reply(f, lead.name, "B", "经重新研究，已列入明年工作计划。", again, signer="局长"),
            None,
        )
        services.run(p, lambda f: h.rate(f, "满意", "基本满意", again + dt.timedelta(days=3), rules), rater)


def _key_proposal(city: City, leads: dict, others: list[Unit], office, committee, today) -> None:
    """The key proposal of 政协惠州市十二届一次会议 whose handling plan is the imported 海绵行动 plan."""
    plan = Plan.objects.filter(source_name__startswith="huizhou").first()
    p = services.register(
        committee,
        on=dt.date(2017, 3, 1),
        city=city,
        session=KEY_SESSION,
        number="第0001号",
        kind="proposal",
        title="全面对接深圳“东进战略”，推动落实“海绵行动”",
        proposer="民盟惠州市委员会",
        group="民盟",
        category="经济发展",
        text="案由：\n全面对接深圳“东进战略”，推动落实“海绵行动”。\n\n建议：\n制定办理工作方案，明确任务分工。",
        key=True,
        leader="市长",
    )
    Proposal.objects.filter(pk=p.pk).update(plan=plan)
    # The demo's leader account leads it, so a leader signing in has a proposal to open.
    leader = services.leader_accounts(city).filter(username="leader").first()
    if leader is not None:
        services.link_leader(p, office, leader, dt.date(2017, 3, 10))
    support = [u for u in others if u.name in ("惠城区人民政府", "惠阳区人民政府", "大亚湾开发区管委会")]
    services.assign(p, office, dt.date(2017, 3, 20), [leads["市发展改革局"]], support)
