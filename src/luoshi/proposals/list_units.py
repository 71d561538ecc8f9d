"""The units of an imported list's 交办: the names the sheet writes, matched to the unit register.

A name matches a unit the proposals may be assigned to (those of the list's city and those
without a city; every unit for a list without a city) by its name, its canonical spelling
(市发改委 → 市发展改革委) or one of its aliases. A name matching no unit, or two units that the
name cannot tell apart, is a problem of the review: the list is then not registered at all, as for
any other problem, so no 交办 is silently left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from luoshi.ledger.models import City, Unit, UnitAlias
from luoshi.proposals import excel
from luoshi.textplan.responsibility import canonical_unit


@dataclass(frozen=True)
class RowUnits:
    """The 交办 of one row: its 主办 units (each unit of a 分办 when ``split``) and 会办 units."""

    leads: tuple[Unit, ...] = ()
    supports: tuple[Unit, ...] = ()
    split: bool = False

    def stored(self) -> dict:
        """The unit ids, as kept between the review and the commit."""
        return {
            "leads": [u.pk for u in self.leads],
            "supports": [u.pk for u in self.supports],
            "split": self.split,
        }


def assignable(city: City | None):
    """The units a proposal of ``city`` may be assigned to, as the 交办 form offers them."""
    return Unit.objects.filter(Q(city=city) | Q(city__isnull=True)) if city else Unit.objects.all()


class Register:
    """The assignable units by every spelling that names them, read once for a whole list."""

    def __init__(self, city: City | None) -> None:
        self.city_id = city.pk if city else None
        self.by_name: dict[str, set[Unit]] = defaultdict(set)
        units = list(assignable(city).select_related("city"))
        for u in units:
            self.by_name[u.name].add(u)
        ids = {u.pk: u for u in units}
        for name, unit_id in UnitAlias.objects.filter(unit_id__in=ids).values_list("name", "unit_id"):
            self.by_name[name].add(ids[unit_id])

    def find(self, name: str) -> tuple[Unit | None, str]:
        """The unit ``name`` names, or None and why not."""
        found = self.by_name.get(name, set()) | self.by_name.get(canonical_unit(name), set())
        if len(found) > 1:
            # A unit of the city wins over a namesake without a city, as resolving a document's does.
            own = {u for u in found if u.city_id == self.city_id and u.city_id is not None}
            found = own or found
        if len(found) == 1:
            return next(iter(found)), ""
        if not found:
            return None, f"单位“{name}”不在单位名录中（可在组织机构管理中添加该单位或别名后重新上传）"
        return None, f"单位“{name}”对应多个单位（{'、'.join(sorted(u.with_city for u in found))}），请写全称"


def map_units(read: excel.ListRead, city: City | None) -> list[RowUnits]:
    """The units of each of ``read.rows`` found in the register; every name not found, in any row,
    becomes a problem of ``read`` (on the row and column it was written in), as does a unit named
    twice in one row's 交办."""
    if not read.has_units:
        return [RowUnits() for _ in read.rows]
    register = Register(city)
    out: list[RowUnits] = []
    for names in read.units:
        found: dict[str, list[Unit]] = {}
        for role in excel.UNIT_FIELDS:
            found[role] = []
            for name in names[role]:
                if len(name) > excel.UNIT_NAME_MAX:
                    continue  # already a problem of the sheet: too long to be a unit's name
                unit, why = register.find(name)
                if unit is None:
                    read.problems.append(excel.Problem(names["row"], excel.LABELS[role], why))
                elif unit in found[role] or any(unit in found[r] for r in found if r != role):
                    read.problems.append(
                        excel.Problem(
                            names["row"],
                            excel.LABELS[role],
                            f"“{name}”与本行另一单位是同一单位（{unit.name}）",
                        )
                    )
                else:
                    found[role].append(unit)
        if not names["ok"]:
            continue
        split = bool(names["split"])
        out.append(
            RowUnits(tuple(found["split"] if split else found["leads"]), tuple(found["supports"]), split)
        )
    # In the sheet's order, whichever check found them.
    read.problems.sort(key=lambda p: p.row)
    return out
