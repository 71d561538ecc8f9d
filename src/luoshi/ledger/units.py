"""One record per unit however documents spell it: canonical spelling plus an alias table."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, UniqueConstraint, Value, When
from django.utils.translation import gettext as _

from luoshi.accounts import audit
from luoshi.ledger import history
from luoshi.ledger.models import City, Role, Task, TaskAssignment, Unit, UnitAlias
from luoshi.ledger.services import RuleError
from luoshi.textplan.controls import strip_controls
from luoshi.textplan.responsibility import canonical_unit


def resolve_unit(name: str, city: City | None = None) -> Unit | None:
    """The unit a document's ``name`` refers to, preferring one in ``city``; None when unknown."""
    name = name.strip()
    if not name:
        return None
    spellings = {name, canonical_unit(name)}
    found = (
        Unit.objects.filter(name__in=spellings)
        .filter(Q(city=city) | Q(city__isnull=True))
        .order_by("city_id")
    )
    unit = next(iter(sorted(found, key=lambda u: u.city_id != (city.id if city else None))), None)
    if unit:
        return unit
    alias = UnitAlias.objects.filter(name__in=spellings).select_related("unit").first()
    return alias.unit if alias else None


def city_of_document(meta: dict) -> City | None:
    """The register's city that issued a document, from its issuer, else its title or 文号.

    `惠州市人民政府办公室` names 惠州; a city stored as 惠州 or 惠州市 matches either way. The longest
    name wins, so a district (坪山区) is not taken for the city that contains its name.
    """
    cities = [(c, c.name.removesuffix("市") or c.name) for c in City.objects.all()]
    for field in ("issuer", "title", "doc_number"):
        text = str(meta.get(field) or "")
        found = [(len(stem), c) for c, stem in cities if stem and stem in text]
        if found:
            return max(found, key=lambda f: f[0])[1]
    return None


def create_unit(name: str, city: City | None = None) -> Unit:
    """A new unit under its canonical name, remembering the document's spelling as an alias."""
    canonical = canonical_unit(name.strip())
    unit, _ = Unit.objects.get_or_create(name=canonical, city=city)
    if name.strip() != canonical:
        UnitAlias.objects.get_or_create(name=name.strip(), defaults={"unit": unit})
    return unit


def add_alias(unit: Unit, name: str) -> None:
    """Remember that ``name`` means ``unit`` (the reviewer mapped an unknown name)."""
    name = name.strip()
    if name and name != unit.name:
        UnitAlias.objects.update_or_create(name=name, defaults={"unit": unit})


# -- the unit register (组织机构管理) -----------------------------------------------------------

NAME_MAX = 100  # Unit.name and UnitAlias.name


def label(unit: Unit) -> str:
    """The unit's name with its city, so namesakes in two cities can be told apart."""
    return unit.with_city


def clean_name(raw: str) -> str:
    """A unit name or alias as stored (runs of spaces and line breaks collapsed); RuleError when unusable."""
    name = " ".join(strip_controls(str(raw or "")).split())
    if not name:
        raise RuleError(_("请填写名称"))
    if len(name) > NAME_MAX:
        raise RuleError(_("名称过长（上限 %(n)d 字）") % {"n": NAME_MAX})
    return name


def search_units(q: str = "") -> list[Unit]:
    """Units whose name or one of whose aliases contains ``q``, by city then name, each with its
    task count as ``tasks``."""
    units = (
        Unit.objects.select_related("city", "parent__city")
        .prefetch_related("aliases")
        .order_by(F("city__name").asc(nulls_first=True), "name")
    )
    q = q.strip()
    if q:
        matching = Unit.objects.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).values("pk")
        units = units.filter(pk__in=matching)
    units = list(units)
    # Counted apart: grouping the joined unit, city and parent rows by every column took three
    # times as long as grouping the assignments by unit alone.
    assignments = TaskAssignment.objects.all() if not q else TaskAssignment.objects.filter(unit__in=units)
    counts = dict(
        assignments.values("unit_id").annotate(n=Count("task_id", distinct=True)).values_list("unit_id", "n")
    )
    for u in units:
        u.tasks = counts.get(u.pk, 0)
    return units


PICK_LIMIT = 30  # a type-ahead shows the first few; typing more narrows it


def pick_units(q: str, city: City | None, limit: int = PICK_LIMIT) -> list[dict[str, str]]:
    """Units for a type-ahead: those whose name or an alias contains ``q`` (all when it is empty),
    ``city``'s first, then units of no city, then the other cities', each by name. ``value`` is the
    unit's id; ``text`` its name with its city, so namesakes in two cities can be told apart."""
    units = Unit.objects.select_related("city")
    q = q.strip()
    if q:
        matching = Unit.objects.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).values("pk")
        units = units.filter(pk__in=matching)
    near = Case(
        When(city=city, then=Value(0)) if city is not None else When(pk__isnull=True, then=Value(0)),
        When(city__isnull=True, then=Value(1)),
        default=Value(2),
    )
    units = units.annotate(near=near).order_by("near", "city__name", "name", "pk")[:limit]
    return [{"value": str(u.pk), "text": label(u)} for u in units]


def _taken(name: str, city: City | None) -> RuleError:
    if city is None:
        return RuleError(_("已有不属于任何城市的单位“%(name)s”") % {"name": name})
    return RuleError(_("%(city)s已有单位“%(name)s”") % {"city": city.name, "name": name})


def _alias_taken(alias: UnitAlias) -> RuleError:
    return RuleError(
        _("“%(name)s”已是单位“%(unit)s”的别名") % {"name": alias.name, "unit": label(alias.unit)}
    )


def _check_name(name: str, city: City | None, unit: Unit | None) -> None:
    # The database's unique constraint does not cover units without a city (NULL never equals NULL).
    if Unit.objects.filter(name=name, city=city).exclude(pk=unit.pk if unit else None).exists():
        raise _taken(name, city)
    alias = UnitAlias.objects.filter(name=name).exclude(unit_id=unit.pk if unit else None).first()
    if alias:
        raise _alias_taken(alias)


def _is_ancestor(unit: Unit, of: Unit | None) -> bool:
    """True when ``unit`` is ``of`` or above it; the walk stops on a loop already in the data."""
    seen: set[int] = set()
    while of is not None and of.pk not in seen:
        if of.pk == unit.pk:
            return True
        seen.add(of.pk)
        of = of.parent
    return False


def add_unit(who, name: str, city: City | None = None, parent: Unit | None = None) -> Unit:
    """A new unit; refused when its city already has one by that name or the name is another unit's alias."""
    name = clean_name(name)
    try:
        with transaction.atomic():
            _check_name(name, city, None)
            unit = Unit.objects.create(name=name, city=city, parent=parent)
            history.record(who, unit, "created", "", label(unit))
    except IntegrityError:  # the same unit added at the same moment by someone else
        raise _taken(name, city) from None
    return unit


def edit_unit(unit: Unit, who, name: str, city: City | None = None, parent: Unit | None = None) -> Unit:
    """Rename or move a unit; a parent below the unit itself would make a loop and is refused."""
    name = clean_name(name)
    if parent is not None and _is_ancestor(unit, parent):
        raise RuleError(_("上级单位不能是本单位或其下级单位"))
    with transaction.atomic():
        _check_name(name, city, unit)
        before = {"name": unit.name, "city": unit.city, "parent": unit.parent}
        unit.name, unit.city, unit.parent = name, city, parent
        unit.save()
        for field, old in before.items():
            history.record(who, unit, field, old, getattr(unit, field))
        # Renamed to one of its own aliases: the alias now says nothing the name does not.
        if UnitAlias.objects.filter(unit=unit, name=name).delete()[0]:
            history.record(who, unit, "alias", name, "")
    return unit


def add_unit_alias(unit: Unit, who, name: str) -> UnitAlias:
    """Another spelling of ``unit``; refused when it is already a unit's name or another unit's alias."""
    name = clean_name(name)
    if name == unit.name:
        raise RuleError(_("别名与单位名称相同"))
    other = Unit.objects.filter(name=name).select_related("city").first()
    if other:
        raise RuleError(
            _("“%(name)s”已是单位“%(unit)s”的名称，不能作为别名；如两者是同一单位，请合并")
            % {"name": name, "unit": label(other)}
        )
    taken = UnitAlias.objects.filter(name=name).select_related("unit__city").first()
    if taken:
        raise _alias_taken(taken)
    try:
        with transaction.atomic():
            alias = UnitAlias.objects.create(unit=unit, name=name)
            history.record(who, unit, "alias", "", name)
    except IntegrityError:  # the same spelling added for another unit at the same moment
        raise _alias_taken(UnitAlias.objects.select_related("unit__city").get(name=name)) from None
    return alias


def remove_alias(alias: UnitAlias, who) -> None:
    """Forget one spelling; documents that use it will show it as an unknown unit again."""
    with transaction.atomic():
        alias.delete()
        history.record(who, alias.unit, "alias", alias.name, "")


def _unique_sets(model, field: str) -> list[tuple[str, ...]]:
    """The unique field sets of ``model`` that include ``field`` (unique_together and plain constraints)."""
    sets = [tuple(s) for s in model._meta.unique_together]
    sets += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields and c.condition is None
    ]
    return [s for s in sets if field in s]


def _repoint(keep: Unit, duplicate: Unit) -> int:
    """Point every row that names ``duplicate``, in any app, at ``keep``; how many rows moved.

    Reverse relations are read from the model (hidden ones too, such as many-to-many tables), so a
    new model that refers to units is merged without a change here. A row that would then repeat
    one ``keep`` already has (a unique constraint) is dropped instead.
    """
    moved = 0
    for rel in Unit._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.one_to_many):
            continue  # many-to-many relations are moved through their tables' own foreign keys
        model, name = rel.related_model, rel.field.name
        rows = model._base_manager.filter(**{name: duplicate})
        for fields in _unique_sets(model, name):
            others = [f for f in fields if f != name]
            kept = set(model._base_manager.filter(**{name: keep}).values_list(*others))
            clash = [pk for pk, *values in rows.values_list("pk", *others) if tuple(values) in kept]
            model._base_manager.filter(pk__in=clash).delete()
        # A queryset update, not save(): reports are append-only, and this changes no word of them.
        moved += rows.update(**{name: keep})
    return moved


def merge_units(keep: Unit, duplicate: Unit, who, request=None) -> int:
    """Fold ``duplicate`` into ``keep`` in one transaction; the number of rows that moved.

    1. the duplicate's assignments, reports, contributions, people, notices, aliases and child units
       name ``keep`` instead (a task keeps one row per role; a unit is not both lead and support);
    2. the duplicate's name becomes an alias of ``keep``, so documents spelling it so still resolve;
    3. the duplicate is deleted, and the merge written to the history of ``keep`` and of every task
       it touched, and to the audit log.
    """
    if keep.pk == duplicate.pk:
        raise RuleError(_("不能把单位合并到它自身"))
    with transaction.atomic():
        # Both rows locked: a second merge of the same pair waits, then finds the duplicate gone.
        locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
        if len(locked) != 2:
            raise RuleError(_("单位已不存在（可能已被合并）"))
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        if _is_ancestor(duplicate, keep):
            # Folding a unit into one below it would make a loop: the kept unit takes its place.
            keep.parent_id = duplicate.parent_id
            keep.save(update_fields=["parent"])
        tasks = list(Task.objects.filter(assignments__unit=duplicate).distinct().select_related("plan"))
        # Where both name a task in one role the duplicate's row goes; an explicit naming must survive
        # in the kept row, or re-computing inheritance would later drop the unit from the task.
        both = TaskAssignment.objects.filter(
            unit=keep,
            inherited=True,
            task__assignments__unit=duplicate,
            task__assignments__inherited=False,
            task__assignments__role=F("role"),
        )
        TaskAssignment.objects.filter(pk__in=list(both.values_list("pk", flat=True))).update(inherited=False)
        moved = _repoint(keep, duplicate)
        leads = TaskAssignment.objects.filter(unit=keep, role=Role.LEAD).values("task_id")
        TaskAssignment.objects.filter(unit=keep, role=Role.SUPPORT, task_id__in=leads).delete()
        if duplicate.name != keep.name:
            UnitAlias.objects.update_or_create(name=duplicate.name, defaults={"unit": keep})
        gone, pk = label(duplicate), duplicate.pk
        duplicate.delete()
        history.record(who, keep, "merged", gone, label(keep))
        for task in tasks:
            history.record(who, task, "units", gone, label(keep))
        audit.record(
            "unit_merge", request, user=who, detail=f"unit {pk} {gone} → unit {keep.pk} {label(keep)}"
        )
    return moved
