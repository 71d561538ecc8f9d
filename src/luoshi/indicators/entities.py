"""The entities indicators are measured for, kept in step with the ledger's cities, and the office's
changes to them: add, rename (the old name stays an alias, so old tables still match), aliases,
merge two entities keeping every observation, deactivate and reactivate. Every change is an
``EntityChange`` row with who and when.

The ledger's cities become entities by ``sync_from_ledger``: each city, each pair of cities (one
entity per pair, in either order) and the metropolitan area (the active area entity made first;
one is made when there is none, and that one has every active city as a member; an area staff
made keeps the members they chose). An entity staff deactivated
or merged away is never brought back by the sync.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from luoshi.indicators.core.tables import squeeze
from luoshi.indicators.models import Entity, EntityChange, Level, Observation
from luoshi.indicators.services import IndicatorError
from luoshi.ledger.models import City

NAME_MAX = 100
ALIASES_MAX = 50  # aliases of one entity; more is a pasted list, not synonyms
AREA_NAME = "都市圈"  # the area's name until staff rename it (成德眉资都市圈)
_SUFFIX = re.compile(r"(市|地区|自治州|州|区|县)$")


@dataclass(slots=True)
class SyncResult:
    """What a sync added: entity names, and the names it could not use (taken by another entity)."""

    created: list[str] = field(default_factory=list)
    members_added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def short_name(name: str) -> str:
    """成都市 → 成都: how tables and pair names write a city (kept whole when too short)."""
    short = _SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def clean_name(text: str | None, what: str = "名称") -> str:
    """A name as stored: NFC, spaces collapsed; IndicatorError for empty, too long or control text."""
    if not isinstance(text, str):
        raise IndicatorError(f"{what}不能为空")
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        raise IndicatorError(f"{what}不能为空")
    if len(text) > NAME_MAX:
        raise IndicatorError(f"{what}过长（最多{NAME_MAX}字）")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text):
        raise IndicatorError(f"{what}含有不可见或无效字符")
    return text


def clean_aliases(text: str | list[str] | None) -> list[str]:
    """Aliases from a textarea (one a line; 、，, also separate) or a list: cleaned, de-duplicated."""
    if text is None:
        return []
    parts = text if isinstance(text, list) else re.split(r"[\n\r、，,；;]+", text)
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        if not isinstance(part, str) or not part.strip():
            continue
        alias = clean_name(part, "别名")
        if squeeze(alias) not in seen:
            seen.add(squeeze(alias))
            out.append(alias)
    if len(out) > ALIASES_MAX:
        raise IndicatorError(f"别名过多（最多{ALIASES_MAX}个）")
    return out


def _taken(exclude: Entity | None = None) -> dict[str, str]:
    """Squeezed name or alias → the entity name that uses it, among active entities (and the names
    of every entity, which the database keeps unique)."""
    taken: dict[str, str] = {}
    rows = Entity.objects.values_list("pk", "name", "aliases", "active")
    for pk, name, aliases, active in rows:
        if exclude is not None and pk == exclude.pk:
            continue
        taken.setdefault(squeeze(name), name)
        if active:
            for alias in aliases.splitlines():
                if alias.strip():
                    taken.setdefault(squeeze(alias), name)
    return taken


def _check_free(names: list[str], taken: dict[str, str]) -> None:
    for n in names:
        if squeeze(n) in taken:
            raise IndicatorError(f"「{n}」已是统计对象「{taken[squeeze(n)]}」的名称或别名")


def _log(entity: Entity, action: str, fields: dict, by, at=None) -> None:
    EntityChange.objects.create(entity=entity, action=action, fields=fields, by=by, at=at or timezone.now())


# --- from the ledger --------------------------------------------------------------------------


def metropolitan_area() -> Entity | None:
    """The whole metropolitan area: the active area entity made first."""
    return Entity.objects.filter(kind=Level.AREA, active=True).order_by("pk").first()


def sync_from_ledger(by=None) -> SyncResult:
    """Make the entities the ledger's cities imply and are missing: each city, each pair, the area
    and its members. Idempotent, and safe when two requests sync at once (a lost race is skipped)."""
    result = SyncResult()
    cities = list(City.objects.order_by("pk"))
    if not cities:
        return result
    with transaction.atomic():
        entities = list(Entity.objects.all())
        city_entity = {e.city_id: e for e in entities if e.kind == Level.CITY}
        pairs = {frozenset((e.city_id, e.partner_id)) for e in entities if e.kind == Level.PAIR}
        taken = _taken()
        for city in cities:
            if city.pk in city_entity:
                continue
            short = short_name(city.name)
            aliases = [short] if short != city.name and squeeze(short) not in taken else []
            made = _make(result, taken, kind=Level.CITY, name=city.name, city=city, aliases=aliases, by=by)
            if made is not None:
                city_entity[city.pk] = made
        active = [c for c in cities if c.pk in city_entity and city_entity[c.pk].active]
        for a, b in combinations(active, 2):
            if frozenset((a.pk, b.pk)) in pairs:
                continue
            name = f"{short_name(a.name)}—{short_name(b.name)}"
            spellings = [
                f"{short_name(a.name)}-{short_name(b.name)}",
                short_name(a.name)[0] + short_name(b.name)[0],
            ]
            aliases = [s for s in spellings if squeeze(s) not in taken]
            if _make(result, taken, kind=Level.PAIR, name=name, city=a, partner=b, aliases=aliases, by=by):
                pairs.add(frozenset((a.pk, b.pk)))
        if len(active) >= 2:
            area = metropolitan_area()
            if area is None and not Entity.objects.filter(kind=Level.AREA).exists():
                area = _make(result, taken, kind=Level.AREA, name=AREA_NAME, by=by)
            # Only an area the sync made follows the ledger's cities; one staff made keeps the
            # members they chose (a national plan's 全国 is no member of 成德眉资).
            if area is not None and _made_by_sync(area):
                have = set(area.members.values_list("pk", flat=True))
                new = [c for c in active if c.pk not in have]
                if new:
                    area.members.add(*new)
                    result.members_added += [c.name for c in new]
                    _log(area, "members", {"added": [c.name for c in new], "source": "台账城市"}, by)
    return result


def _made_by_sync(entity: Entity) -> bool:
    return EntityChange.objects.filter(entity=entity, action="created", fields__source="台账城市").exists()


def _make(result: SyncResult, taken: dict[str, str], *, name: str, aliases=(), by=None, **fields):
    if squeeze(name) in taken:
        result.skipped.append(name)
        return None
    try:
        with transaction.atomic():
            entity = Entity.objects.create(name=name, aliases="\n".join(aliases), **fields)
    except IntegrityError:  # made by a concurrent sync, or the name was taken meanwhile
        result.skipped.append(name)
        return None
    for n in (name, *aliases):
        taken.setdefault(squeeze(n), name)
    _log(entity, "created", {"name": name, "aliases": list(aliases), "source": "台账城市"}, by)
    result.created.append(name)
    return entity


# --- the office's changes ---------------------------------------------------------------------


def create_entity(
    kind: str,
    name: str,
    by=None,
    *,
    city: City | None = None,
    partner: City | None = None,
    members: list[City] | None = None,
    aliases: str | list[str] | None = None,
) -> Entity:
    """Add an entity: a city (one per ledger city), a pair of two different cities (one per pair,
    either order) or an area of at least two cities."""
    if kind not in Level.values:
        raise IndicatorError("统计对象类型无效")
    name = clean_name(name)
    alias_list = clean_aliases(aliases)
    members = list(members or [])
    if kind == Level.CITY:
        if city is None:
            raise IndicatorError("请选择城市")
        if Entity.objects.filter(kind=Level.CITY, city=city).exists():
            raise IndicatorError(f"城市「{city.name}」已有统计对象")
        partner, members = None, []
    elif kind == Level.PAIR:
        if city is None or partner is None or city.pk == partner.pk:
            raise IndicatorError("城市对需要两个不同的城市")
        if Entity.objects.filter(
            kind=Level.PAIR, city__in=(city, partner), partner__in=(city, partner)
        ).exists():
            raise IndicatorError(f"「{city.name}」与「{partner.name}」已有城市对")
        members = []
    else:
        if len({c.pk for c in members}) < 2:
            raise IndicatorError("都市圈至少包含两个城市")
        city = partner = None
    with transaction.atomic():
        taken = _taken()
        _check_free([name, *alias_list], taken)
        try:
            with transaction.atomic():
                entity = Entity.objects.create(
                    kind=kind, name=name, city=city, partner=partner, aliases="\n".join(alias_list)
                )
        except IntegrityError:
            raise IndicatorError("该统计对象已存在") from None
        if members:
            entity.members.set(members)
        _log(
            entity, "created", {"name": name, "aliases": alias_list, "members": [c.name for c in members]}, by
        )
    return entity


def _locked(entity: Entity) -> Entity:
    return Entity.objects.select_for_update().get(pk=entity.pk)


def rename(entity: Entity, name: str, by=None) -> Entity:
    """Give an entity a new name; the old one becomes an alias, so tables using it still match."""
    name = clean_name(name)
    with transaction.atomic():
        entity = _locked(entity)
        if name == entity.name:
            return entity
        taken = _taken(exclude=entity)
        _check_free([name], taken)
        old = entity.name
        aliases = [a for a in entity.alias_list() if squeeze(a) != squeeze(name)]
        if squeeze(old) not in {squeeze(a) for a in aliases}:
            aliases.append(old)
        entity.name, entity.aliases = name, "\n".join(aliases)
        try:
            with transaction.atomic():
                entity.save(update_fields=["name", "aliases"])
        except IntegrityError:
            raise IndicatorError(f"名称「{name}」已被使用") from None
        _log(entity, "renamed", {"name": [old, name]}, by)
    return entity


def set_aliases(entity: Entity, aliases: str | list[str] | None, by=None) -> Entity:
    """Replace an entity's aliases (the synonyms table headers and documents are matched by)."""
    new = clean_aliases(aliases)
    with transaction.atomic():
        entity = _locked(entity)
        new = [a for a in new if squeeze(a) != squeeze(entity.name)]
        if new == entity.alias_list():
            return entity
        _check_free(new, _taken(exclude=entity))
        old = entity.alias_list()
        entity.aliases = "\n".join(new)
        entity.save(update_fields=["aliases"])
        _log(entity, "aliases", {"aliases": [old, new]}, by)
    return entity


def set_active(entity: Entity, active: bool, by=None) -> Entity:
    """Deactivate (figures kept, no longer matched or offered) or reactivate an entity."""
    with transaction.atomic():
        entity = _locked(entity)
        if entity.merged_into_id is not None:
            raise IndicatorError(f"「{entity.name}」已并入其他统计对象，不能重新启用")
        if entity.active == active:
            return entity
        if active:
            # Its aliases come back into use: they must still be free.
            _check_free(entity.alias_list(), _taken(exclude=entity))
        entity.active = active
        entity.save(update_fields=["active"])
        _log(entity, "reactivated" if active else "deactivated", {}, by)
    return entity


@dataclass(frozen=True, slots=True)
class MergeResult:
    kept: Entity
    moved: int  # observations now of the kept entity
    overlaps: int  # indicator-periods both had figures for: the later recorded is now the one known


def merge(keep: Entity, duplicate: Entity, by=None) -> MergeResult:
    """Merge ``duplicate`` into ``keep``: every observation, proposal, document and target link
    that names it names ``keep`` (in one transaction); its name and aliases become aliases of
    ``keep``; it stays, inactive, pointing at ``keep``, with the ids of the observations moved.
    Observations are not otherwise changed: their values and vintages are as recorded."""
    if keep.pk == duplicate.pk:
        raise IndicatorError("不能与自身合并")
    with transaction.atomic():
        keep, duplicate = _locked(keep), _locked(duplicate)
        if keep.kind != duplicate.kind:
            raise IndicatorError("只能合并同一类型的统计对象")
        if not keep.active or not duplicate.active:
            raise IndicatorError("只能合并启用中的统计对象")
        moved_ids = list(Observation.objects.filter(entity=duplicate).values_list("pk", flat=True))
        overlaps = (
            Observation.objects.filter(entity__in=(keep, duplicate))
            .values("indicator", "period")
            .annotate(n=Count("entity", distinct=True))
            .filter(n=2)
            .count()
        )
        # Every reference to the duplicate, found from the model's relations so a new model that
        # names entities is covered; its own history stays with it.
        for rel in Entity._meta.related_objects:
            if rel.many_to_many or rel.related_model is EntityChange:
                continue
            rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).update(
                **{rel.field.name: keep}
            )
        if keep.kind == Level.AREA:
            keep.members.add(*duplicate.members.all())
        aliases = keep.alias_list()
        known = {squeeze(a) for a in aliases} | {squeeze(keep.name)}
        for alias in (duplicate.name, *duplicate.alias_list()):
            if squeeze(alias) not in known:
                aliases.append(alias)
                known.add(squeeze(alias))
        keep.aliases = "\n".join(aliases)
        keep.save(update_fields=["aliases"])
        duplicate.active, duplicate.merged_into = False, keep
        duplicate.save(update_fields=["active", "merged_into"])
        now = timezone.now()
        _log(
            keep,
            "merged",
            {"from": duplicate.name, "observations": len(moved_ids), "overlaps": overlaps},
            by,
            now,
        )
        _log(duplicate, "merged_into", {"into": keep.name, "observation_ids": moved_ids}, by, now)
    return MergeResult(keep, len(moved_ids), overlaps)
