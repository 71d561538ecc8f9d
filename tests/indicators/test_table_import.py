"""Importing a statistics table: upload → review (figures and problems kept, nothing recorded) →
commit, all or nothing, at most once; a table with problems only with its bad cells excluded."""

from __future__ import annotations

import pytest

from luoshi.indicators import services
from luoshi.indicators.models import ImportBatch, Observation
from luoshi.indicators.services import IndicatorError
from tests.indicators.tables import GDP_CITIES_ACROSS, LONG, csv, xlsx


def known() -> dict:
    return {
        (o.indicator.name, o.entity.name, o.period): o.value
        for o in Observation.objects.as_known().select_related("indicator", "entity")
    }


def test_a_clean_table_is_reviewed_then_committed(area, django_user_model):
    staff = django_user_model.objects.create_user("staff")
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx", by=staff)
    assert (batch.layout, batch.indicator, batch.problems, len(batch.figures)) == (
        "cities-across",
        area.gdp,
        [],
        8,
    )
    assert Observation.objects.count() == 0  # the review records nothing
    services.commit_table_import(batch, by=staff)
    batch.refresh_from_db()
    assert (batch.state, batch.recorded, batch.committed_by) == ("committed", 8, staff)
    assert known()[("地区生产总值", "成都市", "2023")] == pytest.approx(22074.7)
    row = Observation.objects.get(entity=area.entity["成都"], period="2023")
    assert (row.batch, row.recorded_by, row.source, row.note) == (
        batch,
        staff,
        "导入：gdp.xlsx",
        "第5行第B列",
    )


def test_a_batch_is_committed_only_once(area):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx")
    services.commit_table_import(batch)
    with pytest.raises(IndicatorError, match="已导入"):
        services.commit_table_import(batch)
    assert Observation.objects.count() == 8


def test_a_revised_table_adds_only_the_revised_figures_as_new_vintages(area):
    services.commit_table_import(services.start_table_import(xlsx(GDP_CITIES_ACROSS), "v1.xlsx"))
    revised = [row[:] for row in GDP_CITIES_ACROSS]
    revised[4][1] = 22074.8
    batch = services.commit_table_import(services.start_table_import(xlsx(revised), "v2.xlsx"))
    assert batch.recorded == 1
    assert Observation.objects.filter(entity=area.entity["成都"], period="2023").count() == 2
    assert known()[("地区生产总值", "成都市", "2023")] == 22074.8


def test_the_long_layout_checks_each_indicators_level(area):
    rows = [*LONG, ["日开行动车", "成都", "2024-04", 100, "对"], ["地区生产总值", "成德", "2023", 1, "亿元"]]
    batch = services.start_table_import(xlsx(rows), "long.xlsx")
    messages = [services.problem_text(p) for p in batch.problems]
    assert "第6行第D列：日开行动车按城市对统计，「成都市」是城市" in messages
    assert "第7行第D列：地区生产总值按城市统计，「成德」是城市对" in messages


def test_problems_block_the_commit_until_excluded(area):
    rows = [row[:] for row in GDP_CITIES_ACROSS]
    rows[3][2] = "待核"  # 德阳 2022
    rows[4].append("x")  # a value under no header: ignored
    batch = services.start_table_import(csv(rows, "gb18030"), "gdp.csv")
    assert [services.problem_text(p) for p in batch.problems] == [
        "第4行第C列：地区生产总值：「待核」不是数值"
    ]
    with pytest.raises(IndicatorError, match="还有1处问题"):
        services.commit_table_import(batch)
    assert Observation.objects.count() == 0
    batch = services.commit_table_import(batch, exclude=True)
    assert (batch.recorded, batch.excluded) == (7, 0)
    assert ("地区生产总值", "德阳市", "2022") not in known()


def test_excluding_drops_every_copy_of_a_duplicated_figure(area):
    rows = [["年份", "成都", "成都市", "德阳"], ["2023", 1, 2, 3]]
    batch = services.start_table_import(xlsx(rows), "dup.xlsx", indicator=area.gdp)
    batch = services.commit_table_import(batch, exclude=True)
    assert (batch.recorded, batch.excluded) == (1, 2)
    assert known() == {("地区生产总值", "德阳市", "2023"): 3}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "文件为空"),
        (b"PK\x03\x04" + b"\x00" * 100, "不是有效的 Excel"),
        (bytes(range(128, 256)) * 50, "无法识别文件编码"),
        (csv([["年份", "成都"], ["2023", "—"]]), "表格中没有数值"),
    ],
)
def test_a_file_that_cannot_be_read_can_never_be_committed(area, data, message):
    batch = services.start_table_import(data, "bad", indicator=area.gdp)
    assert message in services.problem_text(batch.problems[0])
    with pytest.raises(IndicatorError, match="文件无法导入"):
        services.commit_table_import(batch, exclude=True)
    assert Observation.objects.count() == 0


def test_a_discarded_batch_cannot_be_committed(area):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx")
    services.discard_table_import(batch)
    with pytest.raises(IndicatorError):
        services.commit_table_import(batch)
    with pytest.raises(IndicatorError):
        services.discard_table_import(batch)
    assert ImportBatch.objects.get().state == "discarded"


def test_a_failure_while_recording_leaves_no_figure_and_the_batch_under_review(area, monkeypatch):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_insert", broken)
    with pytest.raises(RuntimeError):
        services.commit_table_import(batch)
    batch.refresh_from_db()
    assert batch.state == "review" and Observation.objects.count() == 0
