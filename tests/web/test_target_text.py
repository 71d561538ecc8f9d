"""Targets and reported figures written as a plan writes them, one case per line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from luoshi.ledger.target_text import by_source, figure_text, target_text


@pytest.mark.parametrize(
    ("metric", "comparator", "value", "unit", "low", "high", "expected"),
    [
        ("各牵头责任单位组织至少", ">=", 1.0, "次", None, None, "各牵头责任单位组织至少1次"),
        ("引进工业项目不少于", ">=", 15.0, "个", None, None, "引进工业项目不少于15个"),
        ("投资创新基金超过", ">", 10000.0, "个", None, None, "投资创新基金超过1万个"),
        ("吸引参展企业近", "~", 200.0, "家", None, None, "吸引参展企业近200家"),
        ("完成投资约", "~", 1.2e9, "元", None, None, "完成投资约12亿元"),
        ("力争2024年新增停车位", ">=", 6000.0, "个", None, None, "力争2024年新增停车位≥6000个"),
        ("城镇调查失业率", "~", 6.0, "%", None, None, "城镇调查失业率约6%"),
        ("惠汕快速通道", "", 6.0, "条", None, None, "惠汕快速通道6条"),
        ("都市圈日开行动车达", "", 107.5, "对", None, None, "都市圈日开行动车达107.5对"),
        ("新建学校", "", None, "所", 2.0, 3.0, "新建学校2—3所"),
        ("新增企业", "", None, "家", 5.0, None, "新增企业≥5家"),
        ("改造京港澳高速G4", "", 3.0, "处", None, None, "改造京港澳高速G4 3处"),
        ("", ">=", 3.0, "个", None, None, "≥3个"),
    ],
)
def test_a_target_reads_as_written(metric, comparator, value, unit, low, high, expected):
    assert target_text(metric, comparator, value, unit, low, high) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(12.0, "条", "12条"), (107.5, "对", "107.5对"), (38000.0, "人次", "3.8万人次"), (None, "个", "")],
)
def test_a_figure_has_no_needless_decimal(value, unit, expected):
    assert figure_text(value, unit) == expected


def test_targets_of_one_clause_are_listed_together_with_the_clause_once():
    clause = "尽快打通34条快速通道（其中惠深10条、惠莞9条）"
    targets = [SimpleNamespace(text=t) for t in (clause, clause, clause, "新增停车位6000个", "")]
    runs = by_source(targets)
    assert [(len(run), source) for run, source in runs] == [(3, clause), (1, "新增停车位6000个"), (1, "")]
