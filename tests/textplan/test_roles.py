"""Roles of plan items (task / context / safeguard) from headings of real plans, one case per line:
the heading as written ⇥ where it stands (top: a top-level section; sub: deeper) ⇥ the role ⇥
# the document it came from. A heading that decides nothing is a task: the negative cases are real
task headings whose words come close to the cue words (加强…保障, 目标任务, 落实…).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.roles import _rules, assign, classify_heading

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"

CASES = """
我市对接深圳的基本情况	top	context	# eval/dev/004 惠州 海绵行动 提案办理工作方案
我市实施“海绵行动”的基本情况	top	context	# eval/dev/004 惠州 海绵行动 提案办理工作方案
防治现状及面临形势	top	context	# http://meilihk.com/html/informationnmgzb23msg6770119464.html 内蒙古 遏制与防治艾滋病“十三五”行动计划
“十三五”时期老龄事业发展面临的形势	top	context	# http://www.lnjyw.org/Pages/Notice/2019/12/26/b6c1233a-72a3-4fab-89a2-e868de457721.htm 连云港 老龄事业发展规划
起草背景	top	context	# https://www.dabu.gov.cn/hygq/zcjd/content/post_2290454.html 大埔县消防工作“十四五”规划解读
项目背景	sub	context	# https://www.xiaomilidoc.com/p-11194310.html 民生任务项目实施方案
总体要求	top	context	# https://gysyjglj.cngy.gov.cn/New/show/20240314102619834.html 广元 安全生产治本攻坚三年行动方案
总体要求	top	context	# https://0798ci.com/policy/20846.html 山西 贯彻落实促进中部地区崛起规划工作方案
深化预算管理制度改革的总体要求	top	context	# https://0798ci.com/law/8240.html 山东 深化预算管理制度改革的实施意见
指导思想	sub	context	# https://denstalk.com/html/xxgk01600201600200220180528004c029f-9ddf-4590-875a-1c5453c297eb.html 静安 打响“上海服务”品牌三年行动计划
指导思想	top	context	# http://laodongfa.com/stadata/bmgz/7504.html 山西 激发重点群体活力带动城乡居民增收的实施方案
基本原则	sub	context	# https://denstalk.com/html/xxgk01600201600200220180528004c029f-9ddf-4590-875a-1c5453c297eb.html 静安 打响“上海服务”品牌三年行动计划
基本原则	sub	context	# eval/dev/xd_01 国务院办公厅 加快发展体育竞赛表演产业的指导意见
工作原则	sub	context	# http://imasd-velecdom.com/prestashop/show.aspx?ES=41ht5.html 国务院 推动内蒙古高质量发展的意见
总体目标	top	context	# http://laodongfa.com/stadata/bmgz/7504.html 山西 激发重点群体活力带动城乡居民增收的实施方案
发展目标	sub	context	# eval/dev/xd_01 国务院办公厅 加快发展体育竞赛表演产业的指导意见
经济社会发展的主要预期目标	top	context	# eval/dev/dn_09 立山区政府2023年重点工作任务分解和责任分工方案
农村危房改造的工作目标	top	context	# https://www.xxpls.com/fanwen/gongzuofangan/14038.html 农村危房改造实施方案
工作目标	top	context	# https://duzhishi.com/fanwen/fanwendaquan/724/724089.html 社区“三资”管理实施方案
目标规划	top	context	# https://jz238.com/fangan/641e42c40bc77.html 创建国家卫生县城实施方案
实施步骤	top	context	# https://fanwen.qwyd.net/gongzuo/shishifangan/329197_5.html 全市“五城联创”工作实施方案
实施步骤	top	context	# https://duzhishi.com/fanwen/fanwendaquan/724/724089.html 社区“三资”管理实施方案
保障措施	top	safeguard	# https://meta.librarydata.cn/metainfo?metaID=112120020220005194 余姚 五水共治
保障措施	top	safeguard	# http://news.h0591.com/2015/0713/255819_6.htm 福清 产港城联动发展试点方案
保障措施	top	safeguard	# http://ask.fsou.com/html/text/lar/172282/17228204_2.html 农村民居地震安全工程
组织保障	top	safeguard	# eval/dev/004 惠州 海绵行动 提案办理工作方案
工作要求	top	safeguard	# eval/dev/004 惠州 海绵行动 提案办理工作方案
组织领导	top	safeguard	# https://duzhishi.com/fanwen/fanwendaquan/724/724089.html 社区“三资”管理实施方案
加强组织领导	top	safeguard	# https://meta.librarydata.cn/metainfo?metaID=112120020220005194 余姚 五水共治
强化组织领导	top	safeguard	# http://news.h0591.com/2015/0713/255819_6.htm 福清 产港城联动发展试点方案
加强组织领导，落实相关责任	top	safeguard	# http://ask.fsou.com/html/text/lar/172282/17228204_2.html 农村民居地震安全工程
提高认识，加强领导	top	safeguard	# https://fanwen.qwyd.net/gongzuo/shishifangan/329197_5.html 全市“五城联创”工作实施方案
落实各方责任	top	safeguard	# eval/dev/xc_02 国务院 促进就业工作的若干意见
加强督促检查	top	safeguard	# eval/dev/004 惠州 海绵行动 提案办理工作方案
严格督查考核	top	safeguard	# https://78911.com.cn/GuoJiaZhengCe/557225-11.html 广东 供给侧结构性改革行动计划
强化要素保障	top	safeguard	# https://meta.librarydata.cn/metainfo?metaID=112120020220005194 余姚 五水共治
加强政策保障，确保目标任务顺利完成	top	safeguard	# eval/dev/004 惠州 海绵行动 提案办理工作方案
营造良好氛围	top	safeguard	# http://news.h0591.com/2015/0713/255819_6.htm 福清 产港城联动发展试点方案
加强宣传教育	top	safeguard	# https://code.fabao365.com/law_188175_2.html 内蒙古 “一杯奶”生育关怀行动
加强督促检查	sub	task	# a deeper 加强… heads a unit's own work; under 工作要求 it inherits instead
加强组织领导	sub	task	# a deeper 加强… heads a unit's own work; under 保障措施 it inherits instead
重点任务与分工	top	task	# https://0798ci.com/policy/20846.html 山西 贯彻落实促进中部地区崛起规划工作方案
强化基础设施支撑，构建现代化、网络化、高品质的基础设施体系	sub	task	# https://0798ci.com/policy/20846.html 山西 贯彻落实促进中部地区崛起规划工作方案
主要任务指标及责任分工	top	task	# https://jz238.com/fangan/641e42c40bc77.html 创建国家卫生县城实施方案
工作任务	top	task	# https://duzhishi.com/fanwen/fanwendaquan/724/724089.html 社区“三资”管理实施方案
主要任务	top	task	# http://www.03kkk.com/shishifangan/640.html 全县重大政策宣传解读工作实施方案
目标任务	top	task	# eval/dev/dn_10 项目建设提速战役实施方案
强化协调配合，加强资金保障	top	task	# eval/dev/xd_01 国务院办公厅 加快发展体育竞赛表演产业的指导意见
加强规划对接，推动区域融合发展	sub	task	# eval/dev/004 惠州 海绵行动 提案办理工作方案
进一步推动规划全面对接	sub	task	# eval/dev/004 惠州 海绵行动 提案办理工作方案
完善一体化工作机制，多层次区域合作体系初步建立	sub	task	# eval/dev/004 惠州 海绵行动 提案办理工作方案
完善应急预案体系	sub	task	# https://ncp.pkulaw.com/epidemiclar/38be8d5449e27cd4d9743b715461238bbdfb.html 运城 应急体系建设规划责任分解
建立区域信用联动机制	sub	task	# eval/dev/003 2023年推进都市圈一体化建设工作要点
推进碳达峰碳中和	sub	task	# eval/dev/003 2023年推进都市圈一体化建设工作要点
加强市场体系建设	sub	task	# http://law.foodmate.net/show-219854.html 四川 现代流通体系建设实施方案
深化现代流通市场化改革	top	task	# http://law.foodmate.net/show-219854.html 四川 现代流通体系建设实施方案
"""


def _cases() -> list[tuple[str, bool, str, str]]:
    out = []
    for line in CASES.strip().splitlines():
        heading, where, role, source = line.split("\t")
        out.append((heading, where == "top", role, source.lstrip("# ").split(" ")[0]))
    return out


@pytest.mark.parametrize(("heading", "top", "role", "source"), _cases())
def test_heading_role(heading: str, top: bool, role: str, source: str) -> None:
    assert classify_heading(heading, top)[0] == role


def test_every_rule_is_seen_in_two_documents() -> None:
    """A rule that fires for one document only is fitted to it, not to how plans are written."""
    seen: dict[str, set[str]] = defaultdict(set)
    for heading, top, _role, source in _cases():
        _got, rule = classify_heading(heading, top)
        if rule:
            seen[rule].add(source)
    for rule in _rules():
        assert len(seen[rule.name]) >= 2, f"rule {rule.name} is seen in {sorted(seen[rule.name])}"


def test_children_inherit_and_an_owner_makes_a_task() -> None:
    # The shape of the 立山区 分工方案 (dn_09): a goals section whose items each name a lead.
    plan = parse_text(
        "一、总体要求\n（一）指导思想\n以习近平新时代中国特色社会主义思想为指导。\n"
        "二、经济社会发展的主要预期目标\n"
        "1.努力实现地区生产总值增长6.2%左右。\n牵头单位：区发改局\n"
        "2.其他主要经济指标不低于全市平均水平。\n"
        "三、重点任务\n（一）加强市场体系建设。推进高标准市场体系建设。（牵头单位：区商务局）\n"
        "四、保障措施\n（一）加强组织领导。各部门要切实加强组织领导。\n（二）强化督查考核。\n"
    )
    roles = {(it.label, it.title): (it.role, it.role_rule) for it in plan.walk()}
    assert roles[("一、", "总体要求")] == ("context", "guiding")
    assert roles[("（一）", "指导思想")] == ("context", "guiding")
    assert roles[("二、", "经济社会发展的主要预期目标")] == ("context", "goals")
    assert roles[("1.", "努力实现地区生产总值增长6.2%左右")] == ("task", "owner")
    assert roles[("2.", "其他主要经济指标不低于全市平均水平")] == ("context", "inherited")
    assert roles[("三、", "重点任务")] == ("task", "")
    assert roles[("（一）", "加强市场体系建设")] == ("task", "")
    assert roles[("四、", "保障措施")] == ("safeguard", "safeguards")
    assert roles[("（一）", "加强组织领导")] == ("safeguard", "inherited")
    assert roles[("（二）", "强化督查考核")] == ("safeguard", "inherited")


def test_role_is_in_the_plan_json() -> None:
    plan = parse_text("一、保障措施\n（一）加强组织领导。\n二、重点任务\n（一）开展研究。\n")
    d = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    assert [(it["role"], it.get("role_rule")) for it in d["items"]] == [
        ("safeguard", "safeguards"),
        ("task", None),
    ]
    assert d["items"][0]["children"][0]["role"] == "safeguard"


def test_assign_is_idempotent_and_total() -> None:
    plan = parse_text("一、工作要求\n（一）加强沟通协商。\n")
    assign(plan.items)
    assign(plan.items)
    assert [it.role for it in plan.walk()] == ["safeguard", "safeguard"]


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared dev set is not here")
def test_huizhou_plan_marks_background_and_safeguards() -> None:
    """The demo's 惠州 plan: its 基本情况 sections were lit red as tasks; its tasks stay tasks."""
    from luoshi.textplan import parse_file

    plan = parse_file(DEV / "004_47ceddd51ae8112b.txt")
    top = {it.label: it.role for it in plan.items}
    assert top == {
        "一、": "context",
        "二、": "context",
        "三、": "task",
        "四、": "task",
        "五、": "safeguard",
        "六、": "safeguard",
    }
    owned = [it for it in plan.walk() if it.lead]
    assert owned and all(it.role == "task" for it in owned)


@pytest.mark.parametrize("title", ["", "   ", "，，，", "一" * 5000, "保障措施" * 100])
def test_odd_headings_are_tasks_or_roles_without_error(title: str) -> None:
    role, _rule = classify_heading(title, True)
    assert role in ("task", "context", "safeguard")
