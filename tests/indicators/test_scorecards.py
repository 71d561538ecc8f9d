"""Scorecards from the database: drafted from the observations as known, worded by staff with every
change kept, refreshed, published as Word and PDF that say the figures the data says."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from luoshi.indicators import scorecards, services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.models import Indicator, Scorecard, ScorecardChange
from luoshi.indicators.services import Figure, IndicatorError


def moment(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


class Data:
    """Area figures of 2019 and 2020, and a revision of one recorded later."""

    def __init__(self, area) -> None:
        services.apply_catalogue(
            [
                IndicatorSpec("跨市公交线路", "条", "up", "交通", frequency="year", level="area"),
                IndicatorSpec("合作项目完成投资", "亿元", "up", "产业", frequency="year", level="area"),
            ]
        )
        self.buses = Indicator.objects.get(name="跨市公交线路")
        self.invest = Indicator.objects.get(name="合作项目完成投资")
        a = area.area
        services.record(
            [
                Figure(self.buses, a, "2019", 6),
                Figure(self.buses, a, "2020", 9),
                Figure(self.invest, a, "2019", 800),
                Figure(self.invest, a, "2020", 1088),
                Figure(area.pm25, a, "2019", 42.0),
                Figure(area.pm25, a, "2020", 38.7),
            ],
            at=moment("2021-03-01T10:00"),
        )
        # Revised later: a scorecard drafted on figures known before this keeps the old one.
        services.record([Figure(self.invest, a, "2020", 1100)], at=moment("2021-06-01T10:00"))


@pytest.fixture
def data(area) -> Data:
    return Data(area)


@pytest.fixture
def draft(area, data, people):
    return scorecards.draft(
        area.area, "2020", by=people.office, issuer="同城化办公室", on=moment("2021-04-14T09:00")
    )


def test_a_draft_holds_the_figures_as_known_then_by_area(draft, data):
    card = draft.card()
    assert draft.title == "成德眉资2020年同城化发展成绩单" and draft.state == "draft"
    assert [s.area for s in card.sections] == ["交通", "产业", "生态"]
    invest = card.sections[1].lines[0]
    assert (invest.value, invest.previous) == (1088, 800)  # not the June revision
    assert invest.growth == pytest.approx(36.0)
    assert card.sections[0].text == "跨市公交线路9条，比上年同期增长50%。"
    assert ScorecardChange.objects.get(scorecard=draft).action == "created"


def test_editing_the_wording_keeps_every_change(draft, data, people):
    n = scorecards.edit(
        draft,
        {
            "title": "七个关键词看懂成德眉资同城化",
            "keyword-0": "交通",
            "headline-0": "跨市公交增至9条",
            "text-0": "高效连通的现代交通圈加快构建。",
            f"target-{data.buses.pk}": "12",
        },
        by=people.office,
    )
    assert n == 4  # the keyword is unchanged
    draft.refresh_from_db()
    card = draft.card()
    assert draft.title == "七个关键词看懂成德眉资同城化"
    assert card.sections[0].headline == "跨市公交增至9条"
    assert card.sections[0].lines[0].share == pytest.approx(75.0)
    change = ScorecardChange.objects.get(scorecard=draft, action="edited")
    assert change.by == people.office
    assert change.fields["交通.headline"] == ["跨市公交线路9条", "跨市公交增至9条"]
    assert change.fields["跨市公交线路.target"] == [None, 12.0]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "   "}, "标题不能为空"),
        ({"title": "长" * 201}, "标题过长"),
        ({"text-0": "字" * 2001}, "正文过长"),
        ({"keyword-0": ""}, "关键词不能为空"),
        ({"target-%d": "十二"}, "不是数字"),
        ({"target-%d": "nan"}, "目标值无效"),
        ({"target-%d": "1e400"}, "目标值无效"),
    ],
)
def test_bad_wording_changes_nothing(draft, data, people, fields, message):
    fields = {k % data.buses.pk if "%d" in k else k: v for k, v in fields.items()}
    before = Scorecard.objects.get(pk=draft.pk).content
    with pytest.raises(IndicatorError, match=message):
        scorecards.edit(draft, {"headline-0": "改了", **fields}, by=people.office)
    assert Scorecard.objects.get(pk=draft.pk).content == before
    assert not ScorecardChange.objects.filter(action="edited").exists()


def test_hostile_text_is_kept_as_text_without_controls(draft, people):
    scorecards.edit(draft, {"headline-0": "<script>alert(1)</script>\x00\x0b交通"}, by=people.office)
    draft.refresh_from_db()
    assert draft.card().sections[0].headline == "<script>alert(1)</script>交通"
    docx = Document(io.BytesIO(scorecards.render(draft.card(), "docx")))
    assert "<script>alert(1)</script>交通" in [p.text for p in docx.paragraphs]


def test_refresh_takes_the_revision_and_keeps_the_wording(draft, people):
    scorecards.edit(draft, {"headline-1": "464个项目投资约1088亿"}, by=people.office)
    scorecards.refresh(draft, by=people.office, on=moment("2021-07-01T09:00"))
    draft.refresh_from_db()
    card = draft.card()
    assert card.sections[1].lines[0].value == 1100
    assert card.sections[1].headline == "464个项目投资约1088亿"
    refreshed = ScorecardChange.objects.get(scorecard=draft, action="refreshed")
    assert list(refreshed.fields.values()) == [[1088.0, 1100.0]]


def test_published_word_and_pdf_say_the_figures_of_the_data(draft, data, people):
    scorecards.edit(draft, {f"target-{data.invest.pk}": "1200"}, by=people.office)
    row = scorecards.publish(draft, by=people.office, on=dt.date(2021, 4, 15))
    assert row.state == "published" and row.published_by == people.office
    doc = Document(io.BytesIO(row.docx.read()))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:2] == ["成德眉资2020年同城化发展成绩单", "同城化办公室　2021年4月15日"]
    assert "关键词2　产业" in lines
    assert "合作项目完成投资1088亿元，比上年同期增长36%，完成目标的90.7%。" in lines
    table = doc.tables[1]
    assert [c.text for c in table.rows[1].cells] == [
        "合作项目完成投资",
        "2020年",
        "1088亿元",
        "800亿元",
        "+36.0%",
        "1200亿元",
        "90.7%",
    ]
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(row.pdf.read())).pages)
    pdf = pdf.replace("\x00", "").replace(" ", "").replace("\n", "")
    for said in (
        "成德眉资2020年同城化发展成绩单",
        "关键词3",
        "PM2.5平均浓度38.7",
        "1088亿元",
        "+36.0%",
        "90.7%",
    ):
        assert said in pdf


def test_a_published_scorecard_is_frozen(draft, people):
    scorecards.publish(draft, by=people.office)
    for change in (
        lambda: scorecards.edit(draft, {"title": "改"}, by=people.office),
        lambda: scorecards.refresh(draft, by=people.office),
        lambda: scorecards.publish(draft, by=people.office),
    ):
        with pytest.raises(IndicatorError, match="已发布"):
            change()
    assert ScorecardChange.objects.filter(scorecard=draft, action="published").count() == 1


@pytest.mark.parametrize(
    "period, title, message",
    [
        ("2020年", "", "格式不正确"),
        ("", "", "格式不正确"),
        ("2020-13", "", "格式不正确"),
        ("2030", "", "尚无指标数据"),
        ("2020", "长" * 201, "标题过长"),
    ],
)
def test_drafts_that_cannot_be_made(area, data, people, period, title, message):
    with pytest.raises(IndicatorError, match=message):
        scorecards.draft(area.area, period, title, by=people.office)
    assert not Scorecard.objects.exists()


def test_a_draft_takes_the_goals_of_the_plan_targets_linked_to_its_indicators(links):
    from luoshi.indicators import links as target_links

    services.record(
        [
            Figure(links.bus_indicator, links.area, "2026-Q3", 9),
            Figure(links.parking_indicator, links.city_entity, "2026-11", 4500),
            Figure(links.parking_indicator, links.other_entity, "2026-11", 100),
        ]
    )
    target_links.link_target(links.bus, links.bus_indicator, by=links.office)  # the area's, by default
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)  # 甲市's
    area = scorecards.draft(links.area, "2026", by=links.office).card()
    assert [(line.name, line.target, line.share) for line in area.lines()] == [("跨市公交线路", 12, 75)]
    city = scorecards.draft(links.city_entity, "2026", by=links.office).card()
    assert [(line.name, line.target) for line in city.lines()] == [("新增停车位", 6000)]
    other = scorecards.draft(links.other_entity, "2026", by=links.office).card()
    assert [(line.name, line.target) for line in other.lines()] == [("新增停车位", None)]
