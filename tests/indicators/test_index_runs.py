"""A stored integration index keeps its method, weights and inputs, so it can be recomputed
exactly; later revisions of the figures do not change a published run."""

from __future__ import annotations

import pytest

from luoshi.indicators import services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.models import IndexRun, Indicator
from luoshi.indicators.services import Figure, IndicatorError
from tests.indicators.test_observations import at


@pytest.fixture
def figures(area):
    services.apply_catalogue(
        [IndicatorSpec("一般公共预算收入", "亿元", "up", "产业", frequency="year", level="city")]
    )
    income = Indicator.objects.get(name="一般公共预算收入")
    e = area.entity
    services.record(
        [
            Figure(area.gdp, e["成都"], "2023", 30.0),
            Figure(area.gdp, e["德阳"], "2023", 20.0),
            Figure(area.gdp, e["眉山"], "2023", 10.0),
            Figure(income, e["成都"], "2023", 1.0),
            Figure(income, e["德阳"], "2023", 3.0),
            Figure(income, e["眉山"], "2023", 5.0),
        ],
        at=at("2024-03-01"),
    )
    area.income = income
    return area


def cities(a):
    return [a.entity["成都"], a.entity["德阳"], a.entity["眉山"]]


def test_an_index_is_stored_with_its_inputs_and_reproduces(figures, django_user_model):
    staff = django_user_model.objects.create_user("staff")
    run = services.compute_index(
        "同城化指数",
        [figures.gdp, figures.income],
        cities(figures),
        "2023",
        weighting="given",
        weights={figures.gdp.pk: 3, figures.income.pk: 1},
        by=staff,
    )
    # GDP min–max: 100, 50, 0; income: 0, 50, 100. 0.75·GDP + 0.25·income: 75, 50, 25.
    assert run.results["scores"] == {"成都市": 75.0, "德阳市": 50.0, "眉山市": 25.0}
    assert run.results["ranks"] == {"成都市": 1, "德阳市": 2, "眉山市": 3}
    assert run.results["notes"] == ["权重之和为4，已按比例归一"]
    assert run.results["sub_indices"]["产业"]["成都市"] == 75.0
    assert len(run.inputs) == 6 and run.created_by == staff
    assert len(run.results["sensitivity"]) == 4
    assert services.reproduce(IndexRun.objects.get(pk=run.pk)) == run.results


def test_a_revision_after_the_run_does_not_change_what_it_reproduces(figures):
    run = services.compute_index(
        "指数", [figures.gdp, figures.income], cities(figures), "2023", on=at("2024-04-01")
    )
    services.record([Figure(figures.gdp, figures.entity["眉山"], "2023", 40.0)], at=at("2024-06-01"))
    assert services.reproduce(run) == run.results
    later = services.compute_index("指数", [figures.gdp, figures.income], cities(figures), "2023")
    assert later.results["ranks"]["眉山市"] == 1


def test_a_missing_input_is_named(figures):
    run = services.compute_index(
        "指数", [figures.gdp, figures.income], [*cities(figures), figures.entity["资阳"]], "2023"
    )
    assert "资阳市缺少地区生产总值、一般公共预算收入" in run.results["notes"][0]
    assert run.results["scores"]["资阳市"] is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"period": "2019"}, "没有所选指标的数据"),
        ({"method": "magic"}, "未知标准化方法"),
        ({"weighting": "given", "weights": {"x": 1}}, ""),
    ],
)
def test_refusals_store_nothing(figures, kwargs, message):
    args = {"period": "2023", **kwargs}
    if "weights" in args:
        args["weights"] = {figures.gdp.pk: -1, figures.income.pk: 1}
        message = "权重不能为负数"
    with pytest.raises(IndicatorError, match=message):
        services.compute_index("指数", [figures.gdp, figures.income], cities(figures), **args)
    assert IndexRun.objects.count() == 0


def test_a_run_is_never_changed(figures):
    run = services.compute_index("指数", [figures.gdp], cities(figures), "2023")
    run.name = "改名"
    with pytest.raises(ValueError, match="append-only"):
        run.save()
