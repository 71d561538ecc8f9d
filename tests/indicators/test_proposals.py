"""Figures proposed from a published scorecard: the 成德眉资 「七个关键词」 article (成都商报,
2021-04-15; the dev set's 001_…), its achieved figures proposed with sentence and span, the
matching indicator and unit, then accepted, corrected or rejected by staff."""

from __future__ import annotations

import pytest

from luoshi.indicators import services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.core.proposals import propose, sentence_at
from luoshi.indicators.core.tables import IndicatorInfo
from luoshi.indicators.models import Indicator, Observation, ProposedFigure
from luoshi.indicators.services import IndicatorError

SCORECARD = """七个关键词看懂成德眉资同城化“棋局”

关键词2

交通

107.5对动车 跨市公交9条

轨道交通骨架加快构建,市域铁路成资S3线开工,成德S11线、成眉S5线加快推进前期工作,成都外环铁路通过预可研审查。14个“断头路”打通项目开工建设,螺简路等5个项目建成通车。都市圈日开行动车达107.5对、为公交化运营前的3倍,日均客流量 达3.8万余人次、为公交化运营前的3.5倍,跨市公交增至9条、日均客流量达2.2万余人次。

关键词3

产业

464个项目 投资约1088亿

协同分工的产业生态圈加快打造。成德眉资加快“三区三带”产业带建设,合作推进464个项目,完成投资约1088亿元。
"""

CATALOGUE = {
    "日开行动车": IndicatorInfo("日开行动车", "对", "year", "area"),
    "跨市公交线路": IndicatorInfo("跨市公交线路", "条", "year", "area"),
    "合作项目完成投资": IndicatorInfo("合作项目完成投资", "亿元", "year", "area"),
}
ENTITIES = {"成德眉资": ["都市圈"], "成都市": ["成都"], "德阳市": []}


def by_quote(proposals):
    return {p.quoted: p for p in proposals}


def test_the_scorecards_achieved_figures_are_proposed_with_sentence_and_span():
    got = by_quote(propose(SCORECARD, CATALOGUE, ENTITIES, default_entity="成德眉资"))
    trains = got["107.5对"]
    assert SCORECARD[trains.start : trains.end] == "107.5对"
    assert trains.sentence.startswith("都市圈日开行动车达107.5对")
    assert (trains.indicator, trains.entity, trains.converted) == ("日开行动车", "成德眉资", 107.5)
    assert (got["9条"].indicator, got["9条"].converted) == ("跨市公交线路", 9)
    # 1088亿元 is read as 1.088e11 元 and converted to the catalogue's 亿元.
    assert (got["1088亿元"].indicator, got["1088亿元"].converted) == ("合作项目完成投资", pytest.approx(1088))


def test_figures_whose_unit_fits_no_indicator_are_proposed_without_one():
    got = by_quote(propose(SCORECARD, CATALOGUE, ENTITIES))
    assert got["3倍"].indicator is None and got["3倍"].converted is None
    assert got["3.8万余人次"].value == 38000 and got["3.8万余人次"].indicator is None


def test_a_city_named_in_the_sentence_is_the_figures_entity():
    text = SCORECARD.replace("都市圈日开行动车达107.5对", "成都日开行动车达107.5对")
    got = by_quote(propose(text, CATALOGUE, ENTITIES, default_entity="成德眉资"))
    assert got["107.5对"].entity == "成都市"
    assert got["1088亿元"].entity == "成德眉资"


@pytest.mark.parametrize("text", ["", "   \n", "没有任何数字的一段话。"])
def test_texts_without_figures_propose_nothing_or_are_refused(text):
    if text.strip():
        assert propose(text, CATALOGUE, ENTITIES) == []
    else:
        with pytest.raises(ValueError, match="没有文字"):
            propose(text, CATALOGUE, ENTITIES)


def test_sentence_boundaries():
    text = "第一句。第二句有107.5对；第三句"
    at = text.find("107.5对")
    assert sentence_at(text, at, at + 6) == "第二句有107.5对；"


@pytest.fixture
def scorecard(area, django_user_model):
    services.apply_catalogue(
        [
            IndicatorSpec("都市圈日开行动车", "对", "up", "交通", frequency="year", level="area"),
            IndicatorSpec("跨市公交线路", "条", "up", "交通", frequency="year", level="area"),
        ]
    )
    staff = django_user_model.objects.create_user("staff")
    doc = services.propose_from_document(SCORECARD, "七个关键词.txt", "2020", area.area, by=staff)
    return doc, staff


def test_accepting_records_the_figure_citing_the_document(scorecard, area):
    doc, staff = scorecard
    trains = doc.figures.get(quoted="107.5对")
    assert trains.indicator.name == "都市圈日开行动车"
    services.decide(trains, "accept", by=staff)
    trains.refresh_from_db()
    obs = trains.observation
    assert (trains.state, trains.decided_by, obs.value, obs.period, obs.entity) == (
        "accepted",
        staff,
        107.5,
        "2020",
        area.area,
    )
    assert obs.source == "文档：七个关键词.txt" and obs.note.startswith("都市圈日开行动车达107.5对")
    with pytest.raises(IndicatorError, match="已处理"):
        services.decide(trains, "reject", by=staff)


def test_correcting_records_what_staff_set(scorecard, area):
    doc, staff = scorecard
    buses = doc.figures.get(quoted="9条")
    services.decide(buses, "correct", by=staff, value=10, period="2021")
    buses.refresh_from_db()
    assert buses.state == "corrected" and (buses.observation.value, buses.observation.period) == (10, "2021")


def test_rejecting_records_nothing(scorecard):
    doc, staff = scorecard
    services.decide(doc.figures.get(quoted="3倍"), "reject", by=staff, reason="倍数不是指标")
    assert Observation.objects.count() == 0
    assert ProposedFigure.objects.get(quoted="3倍").reason == "倍数不是指标"


@pytest.mark.parametrize(
    "quoted, kwargs, message",
    [
        ("3倍", {"action": "accept"}, "请选择指标"),  # no indicator matched
        ("107.5对", {"action": "correct", "period": "2020-03"}, "与指标频度不符"),
        ("107.5对", {"action": "fly"}, "未知操作"),
    ],
)
def test_a_decision_that_cannot_be_recorded_changes_nothing(scorecard, quoted, kwargs, message):
    doc, staff = scorecard
    figure = doc.figures.get(quoted=quoted)
    with pytest.raises(IndicatorError, match=message):
        services.decide(figure, by=staff, **kwargs)
    figure.refresh_from_db()
    assert figure.state == "proposed" and Observation.objects.count() == 0


def test_an_indicator_of_the_wrong_level_is_refused(scorecard, area):
    doc, staff = scorecard
    figure = doc.figures.get(quoted="107.5对")
    with pytest.raises(IndicatorError, match="按都市圈统计"):
        services.decide(figure, "correct", by=staff, entity=area.entity["成都"])
    assert Indicator.objects.filter(name="都市圈日开行动车").exists()


def test_the_pages(scorecard, area, people, login):
    doc, _staff = scorecard
    office = login(people.office)
    response = office.post(
        "/indicators/documents/",
        {"text": SCORECARD, "period": "2020", "name": "成绩单", "entity": area.area.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "<mark>107.5对</mark>" in body and "采纳" in body
    mine = ProposedFigure.objects.filter(document__uploaded_by=people.office).get(quoted="9条")
    office.post(f"/indicators/proposals/{mine.pk}/decide/", {"action": "accept"})
    mine.refresh_from_db()
    assert mine.state == "accepted"
    # Another user's document: not even visible.
    theirs = doc.figures.get(quoted="107.5对")
    assert office.get(f"/indicators/documents/{doc.pk}/").status_code == 403
    assert office.post(f"/indicators/proposals/{theirs.pk}/decide/", {"action": "accept"}).status_code == 403
    assert login(people.leader).get("/indicators/documents/").status_code == 403


@pytest.mark.parametrize(
    "post, message",
    [
        ({"text": "", "period": "2020"}, "请选择文件"),
        ({"text": SCORECARD, "period": "去年"}, "格式不正确"),
        ({"text": "x" * 2_000_001, "period": "2020"}, "文档过长"),
    ],
)
def test_bad_documents_are_refused(area, people, login, post, message):
    body = login(people.office).post("/indicators/documents/", post, follow=True).content.decode()
    assert message in body
    assert ProposedFigure.objects.count() == 0
