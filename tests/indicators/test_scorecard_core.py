"""The scorecard without Django: which figure of a period, change on the year and share of target
worked by hand, the wording, and the blocks the renderers write."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.bulletins.wording import Heading, Para, Table
from luoshi.indicators.core import scorecard as sc

TRAINS = sc.IndicatorRow(1, "日开行动车", "对", "up", "交通", "month")
PM25 = sc.IndicatorRow(2, "PM2.5平均浓度", "微克/立方米", "down", "生态", "year")
GOOD_AIR = sc.IndicatorRow(3, "空气质量优良天数比例", "%", "up", "生态", "quarter")
BUSES = sc.IndicatorRow(4, "跨市公交线路", "条", "up", "交通", "year")

FIGURES = {
    (1, "2024-10"): (110.0, 11),
    (1, "2024-11"): (120.0, 12),  # the latest month of 2024 with a figure
    (1, "2023-11"): (96.0, 2),
    (2, "2024"): (38.0, 21),
    (2, "2023"): (40.0, 20),
    (3, "2024-Q4"): (88.5, 31),
    (3, "2023-Q4"): (86.0, 30),
    (4, "2024"): (12.0, 41),  # no figure a year earlier
}


def card(period="2024", targets=None, **kw):
    return sc.build(
        "成德眉资2024年同城化成绩单",
        "成德眉资",
        period,
        date(2025, 1, 20),
        [TRAINS, PM25, GOOD_AIR, BUSES],
        FIGURES,
        targets=targets if targets is not None else {1: 150, 2: 35},
        issuer="同城化办公室",
        **kw,
    )


def test_the_latest_period_within_the_scorecards_is_compared_with_a_year_earlier():
    trains = next(line for line in card().lines() if line.indicator_id == 1)
    assert (trains.period, trains.value, trains.previous, trains.observation_id) == ("2024-11", 120, 96, 12)
    assert trains.change == 24
    assert trains.growth == pytest.approx(25.0)  # (120 − 96) / 96
    assert trains.share == pytest.approx(80.0)  # 120 / 150


def test_lower_is_better_share_is_target_over_value():
    pm = next(line for line in card().lines() if line.indicator_id == 2)
    assert pm.growth == pytest.approx(-5.0)  # (38 − 40) / 40
    assert pm.share == pytest.approx(35 / 38 * 100)


def test_areas_in_the_order_given_and_indicators_without_a_figure_left_out():
    c = card(areas=["生态", "交通"])
    assert [s.area for s in c.sections] == ["生态", "交通"]
    assert [line.name for line in c.sections[1].lines] == ["日开行动车", "跨市公交线路"]
    quarter = card(period="2024-Q4")
    # Yearly indicators are not figures of a quarter; the quarter shows the months and the quarter.
    assert [line.indicator_id for line in quarter.lines()] == [1, 3]


def test_wording_states_change_share_and_the_period_when_it_differs():
    c = card()
    traffic = c.sections[0]
    assert traffic.keyword == "交通"
    assert traffic.headline == "日开行动车120对"
    assert traffic.text == (
        "日开行动车120对（2024年11月），比上年同期增长25%，完成目标的80%；跨市公交线路12条。"
    )
    ecology = c.sections[1].text
    assert "PM2.5平均浓度38微克/立方米，比上年同期下降5%，完成目标的92.1%" in ecology
    assert "空气质量优良天数比例88.5%（2024年第四季度），比上年同期提高2.5个百分点" in ecology
    assert c.intro == "2024年，成德眉资同城化发展取得新进展。现从两个方面晒出成绩单。"


@pytest.mark.parametrize(
    "value, previous, unit, phrase, cell",
    [
        (100.0, 100.0, "对", "与上年同期持平", "+0.0%"),
        (5.0, 0.0, "个", "比上年同期增加5个", "—"),
        (0.0, 4.0, "个", "比上年同期下降100%", "-100.0%"),
        (70.0, 72.5, "%", "比上年同期下降2.5个百分点", "-2.5个百分点"),
        (9.0, None, "条", "", "—"),
    ],
)
def test_change_phrases(value, previous, unit, phrase, cell):
    line = sc.Line(1, "x", unit, "up", "2024", value, previous=previous)
    assert sc.change_phrase(line) == phrase
    assert sc.change_cell(line) == cell


def test_blocks_are_what_the_renderers_write():
    out = sc.blocks(card())
    assert out[0] == Para("2024年，成德眉资同城化发展取得新进展。现从两个方面晒出成绩单。")
    assert out[1] == Heading("关键词1　交通")
    assert out[2] == Heading("日开行动车120对", level=2)
    table = out[4]
    assert isinstance(table, Table) and table.header == sc.TABLE_HEADER
    assert table.rows[0] == ("日开行动车", "2024年11月", "120对", "96对", "+25.0%", "150对", "80%")
    assert table.rows[1] == ("跨市公交线路", "2024年", "12条", "—", "—", "—", "—")
    assert out[-2] == Heading("口径说明")


def test_round_trip_through_json_and_refresh_keeps_wording_and_targets():
    old = card()
    again = sc.Scorecard.from_json(old.to_json())
    assert again == old
    old.sections[0].headline = "市域铁路成资S3线开工"
    old.title = "七个关键词看懂同城化"
    newer = dict(FIGURES)
    newer[(1, "2024-12")] = (130.0, 13)
    fresh = sc.build("x", "成德眉资", "2024", date(2025, 2, 1), [TRAINS, PM25, GOOD_AIR, BUSES], newer)
    merged = sc.refresh(old, fresh)
    trains = next(merged.lines())
    assert (trains.period, trains.value, trains.target) == ("2024-12", 130, 150)
    assert merged.sections[0].headline == "市域铁路成资S3线开工"
    assert merged.title == "七个关键词看懂同城化"


def test_no_figures_no_sections_and_bad_periods_refused():
    empty = sc.build("t", "成德眉资", "2019", date(2020, 1, 1), [TRAINS], FIGURES)
    assert empty.sections == [] and "尚无" in empty.intro
    with pytest.raises(ValueError, match="格式不正确"):
        sc.build("t", "成德眉资", "2024年", date(2025, 1, 1), [TRAINS], FIGURES)


@pytest.mark.parametrize("value, text", [(107.5, "107.5"), (1088.0, "1088"), (0.345, "0.34"), (-0.001, "0")])
def test_numbers(value, text):
    assert sc.number(value) == text
