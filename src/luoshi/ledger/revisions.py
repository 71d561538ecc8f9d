"""What a revised document does to the units a task already has.

The office often assigns units by hand, most of all for plans that name none. A revision must not
wipe that work, so for each role the rule is:

- the revised item names units for the role: those units, and only those, hold the role;
- it names none: the task keeps the units it has for the role (whoever set them).

A unit that the revision moves from one role to the other leaves the role it had. The review page
shows every unit a commit would add, remove or keep this way, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LEAD, SUPPORT = "lead", "support"
ROLES = (LEAD, SUPPORT)


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit by register id, or by name alone when the register does not know it yet."""

    name: str
    pk: int | None = None

    @property
    def key(self) -> int | str:
        return self.pk if self.pk is not None else self.name


@dataclass(slots=True)
class UnitRevision:
    """The units a task will hold per role, and what changes to get there."""

    units: dict[str, list[UnitRef]]
    added: list[tuple[str, UnitRef]] = field(default_factory=list)
    removed: list[tuple[str, UnitRef]] = field(default_factory=list)
    kept: list[tuple[str, UnitRef]] = field(default_factory=list)  # held although the revision names none

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _unique(refs: Iterable[UnitRef]) -> list[UnitRef]:
    seen: dict[int | str, UnitRef] = {}
    for ref in refs:
        seen.setdefault(ref.key, ref)
    return list(seen.values())


def revise_units(
    current: Mapping[str, Iterable[UnitRef]], named: Mapping[str, Iterable[UnitRef]]
) -> UnitRevision:
    """The units per role after a revision that names ``named`` for a task that has ``current``."""
    now = {role: _unique(current.get(role, ())) for role in ROLES}
    said = {role: _unique(named.get(role, ())) for role in ROLES}
    after: dict[str, list[UnitRef]] = {}
    kept: list[tuple[str, UnitRef]] = []
    for role in ROLES:
        if said[role]:
            after[role] = said[role]
        else:
            after[role] = now[role]
            kept += [(role, ref) for ref in now[role]]
    lead_keys = {ref.key for ref in after[LEAD]}
    # A unit cannot lead and support one task: the role the revision names wins, else the lead.
    if said[SUPPORT] and not said[LEAD]:
        support_keys = {ref.key for ref in after[SUPPORT]}
        after[LEAD] = [ref for ref in after[LEAD] if ref.key not in support_keys]
        lead_keys = {ref.key for ref in after[LEAD]}
    after[SUPPORT] = [ref for ref in after[SUPPORT] if ref.key not in lead_keys]
    kept = [(role, ref) for role, ref in kept if ref.key in {r.key for r in after[role]}]
    added, removed = [], []
    for role in ROLES:
        before_keys = {ref.key for ref in now[role]}
        after_keys = {ref.key for ref in after[role]}
        added += [(role, ref) for ref in after[role] if ref.key not in before_keys]
        removed += [(role, ref) for ref in now[role] if ref.key not in after_keys]
    return UnitRevision(after, added, removed, kept)
