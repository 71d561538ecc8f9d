"""What a revised document does to a task's units, case by case (``ledger.revisions``)."""

from __future__ import annotations

import pytest

from luoshi.ledger.revisions import UnitRef, revise_units

NDRC, TRANSPORT, NEW = UnitRef("市发展改革局", 1), UnitRef("市交通运输局", 2), UnitRef("市自然资源局")


def _refs(spec: str) -> list[UnitRef]:
    return [{"N": NDRC, "T": TRANSPORT, "R": NEW}[c] for c in spec]


# (task has lead, support) → (revision names lead, support) → (holds lead, support), added, removed
CASES = [
    ("hand units, revision names none", ("N", "T"), ("", ""), ("N", "T"), "", ""),
    ("no units, revision names both", ("", ""), ("T", "N"), ("T", "N"), "+lT +sN", ""),
    ("revision names another lead, support kept", ("N", "T"), ("R", ""), ("R", "T"), "+lR", "-lN"),
    ("revision names the same units", ("N", "T"), ("N", "T"), ("N", "T"), "", ""),
    ("revision swaps the roles", ("N", "T"), ("T", "N"), ("T", "N"), "+lT +sN", "-lN -sT"),
    (
        "revision names only support, the kept lead is not doubled",
        ("N", ""),
        ("", "N"),
        ("", "N"),
        "+sN",
        "-lN",
    ),
    ("a kept support that the revision makes lead", ("N", "T"), ("T", ""), ("T", ""), "+lT", "-lN -sT"),
    ("a unit named twice counts once", ("", ""), ("NN", ""), ("N", ""), "+lN", ""),
]


def _changes(pairs) -> str:
    return " ".join(
        f"{sign}{role[0]}{'N' if ref == NDRC else 'T' if ref == TRANSPORT else 'R'}"
        for sign, role, ref in pairs
    )


@pytest.mark.parametrize(
    ("case", "has", "named", "holds", "added", "removed"), CASES, ids=[c[0] for c in CASES]
)
def test_revise_units(case, has, named, holds, added, removed):
    result = revise_units(
        {"lead": _refs(has[0]), "support": _refs(has[1])},
        {"lead": _refs(named[0]), "support": _refs(named[1])},
    )
    assert (result.units["lead"], result.units["support"]) == (_refs(holds[0]), _refs(holds[1]))
    assert _changes(("+", role, ref) for role, ref in result.added) == added
    assert _changes(("-", role, ref) for role, ref in result.removed) == removed
    assert result.changed == bool(added or removed)


def test_a_name_the_register_lacks_is_told_apart_by_name():
    result = revise_units({"lead": [NDRC]}, {"lead": [UnitRef("市自然资源局"), UnitRef("市自然资源局")]})
    assert result.units["lead"] == [NEW]
    assert result.removed == [("lead", NDRC)]
