"""One record per unit however documents spell it: canonical spelling plus an alias table."""

from __future__ import annotations

from django.db.models import Q

from luoshi.ledger.models import City, Unit, UnitAlias
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
