"""Entities from the ledger's cities and the office's changes to them: every city, pair and the
area exist once however often the sync runs; a rename keeps the old name matching; aliases feed the
table import; a merge keeps every observation (and a stored index reproduces); a deactivated
entity is no longer matched and never comes back by itself."""

from __future__ import annotations

import pytest

from luoshi.indicators import entities, services
from luoshi.indicators.models import Entity, EntityChange, Observation
from luoshi.indicators.services import Figure, IndicatorError
from luoshi.ledger.models import City
from tests.indicators.tables import xlsx


def names(kind: str) -> set[str]:
    return set(Entity.objects.filter(kind=kind).values_list("name", flat=True))


@pytest.mark.django_db
def test_the_ledgers_cities_become_cities_pairs_and_the_area_once():
    for n in ("广州市", "佛山市", "肇庆市"):
        City.objects.create(name=n)
    first = entities.sync_from_ledger()
    assert names("city") == {"广州市", "佛山市", "肇庆市"}
    assert names("pair") == {"广州—佛山", "广州—肇庆", "佛山—肇庆"}
    area = Entity.objects.get(kind="area")
    assert area.name == "都市圈"
    assert set(area.members.values_list("name", flat=True)) == {"广州市", "佛山市", "肇庆市"}
    assert Entity.objects.get(name="广州市").alias_list() == ["广州"]
    assert set(Entity.objects.get(name="广州—佛山").alias_list()) == {"广州-佛山", "广佛"}
    assert len(first.created) == 7

    again = entities.sync_from_ledger()
    assert (again.created, again.members_added) == ([], [])
    assert Entity.objects.count() == 7

    City.objects.create(name="惠州市")
    later = entities.sync_from_ledger()
    assert sorted(later.created) == sorted(["惠州市", "广州—惠州", "佛山—惠州", "肇庆—惠州"])
    assert later.members_added == ["惠州市"]
    assert Entity.objects.filter(kind="area").count() == 1
    assert EntityChange.objects.filter(action="created").count() == 11


def test_a_pair_in_the_other_order_or_the_areas_name_taken_is_no_duplicate(area):
    before = Entity.objects.count()
    result = entities.sync_from_ledger()
    # Four cities: six pairs, of which 成德 (成都, 德阳) existed; the area 成德眉资 existed.
    assert Entity.objects.filter(kind="pair").count() == 6
    assert Entity.objects.filter(kind="area").count() == 1
    assert Entity.objects.count() == before + 5
    assert "成都—德阳" not in result.created
    # The area staff made keeps its members: a new ledger city does not join it by itself.
    City.objects.create(name="全国")
    entities.sync_from_ledger()
    assert area.area.members.count() == 4
    # 成德 is the pair's name already: the new pairs do not take it as an alias.
    assert all("成德" not in e.alias_list() for e in Entity.objects.filter(kind="pair"))


def test_a_deactivated_or_merged_entity_never_comes_back(area):
    entities.set_active(area.entity["资阳"], False)
    entities.sync_from_ledger()
    assert Entity.objects.filter(kind="city", city=area.cities["资阳市"]).count() == 1
    assert not Entity.objects.filter(kind="pair", name__contains="资阳").exists()
    # A city nobody wants in the area (全国 from a national plan) is deactivated once and stays so.
    City.objects.create(name="全国")
    entities.sync_from_ledger()
    entities.set_active(Entity.objects.get(name="全国"), False)
    entities.sync_from_ledger()
    assert Entity.objects.filter(name="全国", active=False).count() == 1


def test_a_name_taken_by_another_entity_is_skipped_and_said(area):
    Entity.objects.create(kind="area", name="重庆")
    City.objects.create(name="重庆")
    result = entities.sync_from_ledger()
    assert "重庆" in result.skipped
    assert not Entity.objects.filter(kind="city", name="重庆").exists()


# --- rename and aliases feed the table import ---------------------------------------------------


def table(city_header: str) -> bytes:
    """A GDP table of 资阳 (always known) and the city under test."""
    return xlsx([["地区生产总值（亿元）"], ["年份", "资阳市", city_header], ["2023年", 1.0, 100.0]])


def test_after_a_rename_tables_with_the_old_name_still_match(area):
    entities.rename(area.entity["成都"], "成都市（含天府新区）")
    entity = Entity.objects.get(pk=area.entity["成都"].pk)
    assert "成都市" in entity.alias_list()
    batch = services.start_table_import(table("成都市"), "t.xlsx", indicator=area.gdp)
    assert batch.problems == [] and batch.figures[1][1] == "成都市（含天府新区）"
    change = EntityChange.objects.get(entity=entity, action="renamed")
    assert change.fields == {"name": ["成都市", "成都市（含天府新区）"]}


def test_aliases_are_matched_by_the_import_and_kept_in_history(area, django_user_model):
    staff = django_user_model.objects.create_user("staff")
    batch = services.start_table_import(table("绵竹"), "t.xlsx", indicator=area.gdp)
    assert any("绵竹" in p[2] for p in batch.problems)  # unknown before
    entities.set_aliases(area.entity["德阳"], "德阳\n绵竹、旌城", by=staff)
    batch = services.start_table_import(table("绵竹"), "t.xlsx", indicator=area.gdp)
    assert batch.problems == [] and batch.figures[1][1] == "德阳市"
    change = EntityChange.objects.get(action="aliases")
    assert change.by == staff and change.fields["aliases"][1] == ["德阳", "绵竹", "旌城"]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        None,
        "成" * 101,
        "成都\x00市",
        "成都\u200b",
        "德阳市",  # another entity's name
        "蓉",  # another entity's alias
        "成德",  # the pair's name
    ],
)
def test_a_bad_new_name_changes_nothing(area, bad):
    target = area.entity["眉山"]
    with pytest.raises(IndicatorError):
        entities.rename(target, bad)
    target.refresh_from_db()
    assert (target.name, target.aliases) == ("眉山市", "")
    assert not EntityChange.objects.exists()


@pytest.mark.parametrize(
    "bad", ["德阳市", "蓉", "a\x07b", "x" * 101, "\n".join(f"别名{i}" for i in range(51))]
)
def test_a_bad_alias_list_changes_nothing(area, bad):
    target = area.entity["眉山"]
    with pytest.raises(IndicatorError):
        entities.set_aliases(target, bad)
    target.refresh_from_db()
    assert target.aliases == ""


# --- merge --------------------------------------------------------------------------------------


def test_a_merge_keeps_every_observation_and_the_index_reproduces(area, django_user_model):
    staff = django_user_model.objects.create_user("staff")
    dup_city = City.objects.create(name="成都")
    duplicate = Entity.objects.create(kind="city", name="成都（旧）", city=dup_city, aliases="天府")
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 20817.5), Figure(area.gdp, e["德阳"], "2022", 2816.9)]
    )
    services.record(
        [Figure(area.gdp, duplicate, "2021", 19916.9), Figure(area.gdp, duplicate, "2022", 20000.0)]
    )
    run = services.compute_index("GDP", [area.gdp], [duplicate, e["德阳"]], "2022")
    total = Observation.objects.count()

    result = entities.merge(e["成都"], duplicate, by=staff)
    assert (result.moved, result.overlaps) == (2, 1)
    assert Observation.objects.count() == total
    assert Observation.objects.filter(entity=duplicate).count() == 0
    known = dict(Observation.objects.as_known().filter(entity=e["成都"]).values_list("period", "value"))
    # 2022 had a figure under each name: the later recorded is the one known now.
    assert known == {"2021": 19916.9, "2022": 20000.0}
    duplicate.refresh_from_db()
    assert (duplicate.active, duplicate.merged_into_id) == (False, e["成都"].pk)
    kept = Entity.objects.get(pk=e["成都"].pk)
    assert {"成都（旧）", "天府"} <= set(kept.alias_list())
    moved = EntityChange.objects.get(entity=duplicate, action="merged_into")
    assert len(moved.fields["observation_ids"]) == 2 and moved.by == staff
    # The index stored before the merge recomputes as published.
    assert services.reproduce(run) == run.results
    # The table import now finds the duplicate's names under the kept entity.
    batch = services.start_table_import(table("天府"), "t.xlsx", indicator=area.gdp)
    assert batch.figures[1][1] == "成都市"


def test_a_merge_moves_proposals_and_areas_members(area):
    other = Entity.objects.create(kind="area", name="成德眉资同城化区")
    other.members.set([area.cities["成都市"], City.objects.create(name="乐山市")])
    entities.merge(area.area, other)
    assert set(area.area.members.values_list("name", flat=True)) == {
        "成都市",
        "德阳市",
        "眉山市",
        "资阳市",
        "乐山市",
    }


@pytest.mark.parametrize("case", ["self", "kinds", "inactive"])
def test_a_merge_that_cannot_be_done_changes_nothing(area, case):
    keep, dup = {
        "self": (area.entity["成都"], area.entity["成都"]),
        "kinds": (area.entity["成都"], area.pair),
        "inactive": (area.entity["成都"], entities.set_active(area.entity["德阳"], False)),
    }[case]
    services.record([Figure(area.trains, area.pair, "2024-03", 107.5)])
    with pytest.raises(IndicatorError):
        entities.merge(keep, dup)
    assert Observation.objects.get().entity == area.pair
    assert not EntityChange.objects.filter(action__startswith="merged").exists()


def test_a_deactivated_entity_keeps_its_figures_but_is_not_matched(area):
    services.record([Figure(area.gdp, area.entity["眉山"], "2022", 1638.1)])
    entities.set_active(area.entity["眉山"], False)
    batch = services.start_table_import(table("眉山市"), "t.xlsx", indicator=area.gdp)
    assert len(batch.figures) == 1 and "眉山市" in batch.problems[0][2]
    assert Observation.objects.filter(entity=area.entity["眉山"]).count() == 1
    entities.set_active(area.entity["眉山"], True)
    batch = services.start_table_import(table("眉山市"), "t.xlsx", indicator=area.gdp)
    assert batch.problems == []


# --- adding -------------------------------------------------------------------------------------


def test_adding_entities_and_refusals(area):
    lz = City.objects.create(name="泸州市")
    made = entities.create_entity("city", "泸州市", city=lz, aliases="泸州\n酒城")
    assert made.alias_list() == ["泸州", "酒城"]
    with pytest.raises(IndicatorError):
        entities.create_entity("city", "泸州（重复）", city=lz)
    with pytest.raises(IndicatorError):  # the pair in the other order
        entities.create_entity("pair", "德成", city=area.cities["德阳市"], partner=area.cities["成都市"])
    with pytest.raises(IndicatorError):
        entities.create_entity("pair", "成成", city=area.cities["成都市"], partner=area.cities["成都市"])
    with pytest.raises(IndicatorError):
        entities.create_entity("area", "单城", members=[lz])
    with pytest.raises(IndicatorError):
        entities.create_entity("planet", "火星")
    with pytest.raises(IndicatorError):
        entities.create_entity("area", "两城", members=[lz, area.cities["成都市"]], aliases="蓉")
    assert not Entity.objects.filter(
        name__in=["泸州（重复）", "德成", "成成", "单城", "火星", "两城"]
    ).exists()
