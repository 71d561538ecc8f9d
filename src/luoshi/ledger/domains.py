"""Guess a task's domain (交通, 产业, …) from keywords in its title; staff can change it."""

from __future__ import annotations

from luoshi.ledger.models import Domain

# Checked in order, first hit wins: 交通 comes before 生态 so 水运 is transport, not water.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        Domain.TRANSPORT,
        (
            "交通",
            "轨道",
            "铁路",
            "高铁",
            "地铁",
            "高速",
            "公路",
            "航空",
            "机场",
            "港口",
            "航道",
            "水运",
            "通道",
            "路网",
            "枢纽",
        ),
    ),
    (Domain.INNOVATION, ("科技", "科创", "创新", "研发", "成果转", "实验室", "人才")),
    (Domain.ECOLOGY, ("生态", "环境", "污染", "碳达峰", "碳中和", "绿色", "大气", "水环境", "治水", "节能")),
    (Domain.OPENING, ("开放", "自贸", "外贸", "口岸", "对外", "合作区", "合作平台", "对接", "招商")),
    (
        Domain.PUBLIC,
        (
            "教育",
            "医疗",
            "卫生",
            "文化",
            "旅游",
            "就业",
            "创业",
            "社保",
            "养老",
            "医保",
            "人力资源",
            "民生",
            "住房",
            "公共服务",
            "一卡通",
            "一码",
        ),
    ),
    (Domain.MARKET, ("市场", "信用", "监管", "要素", "营商", "金融")),
    (Domain.INDUSTRY, ("产业", "制造", "农业", "服务业", "企业", "经济", "工业", "物流", "消费")),
    (Domain.PLANNING, ("规划", "统筹", "课题", "顶层设计", "机制", "方案")),
)


def guess_domain(title: str) -> str:
    """The first domain whose keyword occurs in ``title``, else 其他."""
    for domain, words in RULES:
        if any(w in title for w in words):
            return str(domain)
    return str(Domain.OTHER)
