"""The demo's indicators: four cities of 成德眉资 with about forty indicators over five years, all
labelled sample data, and the scorecard of the 「七个关键词」 article rebuilt from the figures the
text engine proposes from it."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from docx import Document

from luoshi.indicators import crosscity
from luoshi.indicators.models import Indicator, Observation, ProposedFigure, Scorecard, ServiceItem
from luoshi.web import demo_indicators as di
from tests.web.world import make_user

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def built():
    from luoshi.accounts.models import Role

    office = make_user("office", Role.OFFICE)
    return di.build(office, EXAMPLES), office


def test_forty_indicators_of_every_level_and_frequency_labelled_sample_data(built):
    assert Indicator.objects.count() == 41
    assert set(Indicator.objects.values_list("level", flat=True)) == {"city", "pair", "area"}
    assert set(Indicator.objects.values_list("frequency", flat=True)) == {"month", "quarter", "year"}
    assert set(Indicator.objects.values_list("source", flat=True)) == {"示例数据"}
    generated = Observation.objects.exclude(source__startswith="文档：").exclude(source=crosscity.SOURCE)
    assert set(generated.values_list("source", flat=True)) == {"示例数据"}
    months = Observation.objects.filter(indicator__name="社会消费品零售总额", entity__name="成都市")
    assert sorted(months.values_list("period", flat=True))[:2] == ["2016-01", "2016-02"]
    assert months.count() == 60  # five years of months
    rates = Observation.objects.filter(indicator__name="空气质量优良天数比例").values_list("value", flat=True)
    assert max(rates) <= 100 and min(rates) > 0


def test_the_figures_are_the_same_every_run():
    s = di.CITY[1]
    times = np.array([t for _p, t in di._periods(s.frequency)])
    first = di._values(s, times, 1.0, np.random.default_rng(di.SEED))
    again = di._values(s, times, 1.0, np.random.default_rng(di.SEED))
    assert (first == again).all() and len(first) == 60


def test_the_articles_scorecard_is_rebuilt_from_its_proposed_figures(built):
    row, _office = built
    assert row.state == "published"
    card = row.card()
    assert [s.keyword for s in card.sections] == list(di.KEYWORDS)
    assert card.sections[1].headline == "市域铁路成资S3线开工"
    lines = {line.name: line for line in card.lines()}
    assert (lines["都市圈日开行动车"].value, lines["跨市公交线路"].value) == (107.5, 9)
    assert lines["合作项目完成投资"].value == 1088 and lines["动车日均客流量"].value == 3.8
    assert lines["跨市公交线路"].share == pytest.approx(75.0)
    # Every 2020 figure of the scorecard was read from the article, with its sentence.
    cited = Observation.objects.filter(pk__in=[line.observation_id for line in card.lines()])
    assert {o.source for o in cited} == {f"文档：{di.ARTICLE_NAME}"[:200]}
    assert cited.get(indicator__name="都市圈日开行动车").note.startswith("都市圈日开行动车达107.5对")
    assert di.proposals_left() == 0
    assert ProposedFigure.objects.filter(state="rejected", quoted="3倍").exists()
    paragraphs = [p.text for p in Document(io.BytesIO(row.docx.read())).paragraphs]
    assert "关键词2　交通" in paragraphs and "市域铁路成资S3线开工" in paragraphs


def test_running_again_adds_nothing(built):
    _row, office = built
    counts = Observation.objects.count(), Scorecard.objects.count(), Indicator.objects.count()
    assert di.build(office, EXAMPLES) is None
    assert (Observation.objects.count(), Scorecard.objects.count(), Indicator.objects.count()) == counts


def test_the_sample_service_list_feeds_its_indicator(built):
    items = ServiceItem.objects.all()
    assert items.count() == len(di.demo_crosscity.ITEMS) == 60
    assert {i.note for i in items} == {di.demo_crosscity.NOTE}  # labelled sample data
    assert ServiceItem.objects.get(name="异地就医备案").department == "市医疗保障局"
    counts = {
        (entity, period): value
        for entity, period, value in Observation.objects.as_known()
        .filter(indicator__name=crosscity.CITY_INDICATOR)
        .values_list("entity__name", "period", "value")
    }
    assert {e for e, _p in counts} == set(di.CITIES)  # the area's cities only, no row of zeros elsewhere
    # The counts grow over the five years, 成都 ahead, and match the list item by item.
    assert 0 < counts[("成都市", "2016-Q4")] < counts[("成都市", "2018-Q4")] < counts[("成都市", "2020-Q4")]
    assert counts[("资阳市", "2020-Q4")] <= counts[("成都市", "2020-Q4")]
    day = "2020-12-31"
    assert (
        counts[("德阳市", "2020-Q4")]
        == items.filter(cities__entity__name="德阳市", cities__since__lte=day).count()
    )
    area_2020 = Observation.objects.as_known().get(indicator__name=crosscity.AREA_INDICATOR, period="2020-Q4")
    assert area_2020.value == items.filter(cities__since__lte=day).distinct().count()
    assert di.demo_crosscity.items() == di.demo_crosscity.items()  # the same list every run
