"""The import review's form: what the reviewer set per row, read from the POST, copied from a
section to the rows under it (应用到下级), and shown again on the page.

The review keeps nothing between requests: every choice travels in the form, so 应用到下级 and a
refused commit show the page again from the POST, and only 确认导入 writes (``commit_import``
checks every value again there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from luoshi.ledger.importing import Row
from luoshi.ledger.models import TaskRole, Unit
from luoshi.web.ids import parse_id

# The unknown-unit table's fields are numbered from 0; more names than this are not read.
MAX_UNKNOWN_UNITS = 500


@dataclass(slots=True)
class Choices:
    """The reviewer's choices by row index, as the form sent them (not yet checked)."""

    titles: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    # Rows whose unit pickers were on the form: (lead values, support values).
    units: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)
    deadlines: dict[int, str] = field(default_factory=dict)
    unit_map: dict[str, str] = field(default_factory=dict)


def _numbered(post: Mapping, prefix: str) -> dict[int, str]:
    """``PREFIXn`` fields by ``n``; malformed numbers are ignored."""
    n = len(prefix)
    return {int(k[n:]): post.get(k) for k in post if k.startswith(prefix) and k[n:].isdigit()}


def parse(post) -> Choices:
    """The review form's per-row fields: ``title_N``, ``role_N``, ``deadline_N``, and where the
    row's pickers were on the page (``units_N``) the values of ``lead_N`` and ``support_N``; the
    unknown-unit table's ``unitname_N`` → ``unitmap_N``."""
    units = {i: (post.getlist(f"lead_{i}"), post.getlist(f"support_{i}")) for i in _numbered(post, "units_")}
    unit_map = {
        post.get(f"unitname_{i}", ""): post.get(f"unitmap_{i}", "")
        for i in range(MAX_UNKNOWN_UNITS)
        if f"unitname_{i}" in post
    }
    return Choices(
        titles=_numbered(post, "title_"),
        roles=_numbered(post, "role_"),
        units=units,
        deadlines=_numbered(post, "deadline_"),
        unit_map=unit_map,
    )


def descendants(rows: list[Row], index: int) -> list[int]:
    """The indexes of every row under row ``index``, in document order."""
    under = {index}
    out = []
    for r in rows:  # depth first: a row's parent comes before it
        if r.parent in under:
            under.add(r.index)
            out.append(r.index)
    return out


def apply_down(choices: Choices, rows: list[Row], index: int) -> list[int]:
    """应用到下级: give every row under row ``index`` its lead and support units, and its deadline
    when it has one (an empty deadline does not wipe the rows' own). Returns the rows changed;
    a row that is not on the form, or has nothing under it, changes nothing."""
    if index not in {r.index for r in rows}:
        return []
    under = descendants(rows, index)
    lead, support = choices.units.get(index) or _picked(rows[index])
    deadline = choices.deadlines.get(index, _document_deadline(rows[index])).strip()
    for i in under:
        choices.units[i] = (list(lead), list(support))
        if deadline:
            choices.deadlines[i] = deadline
    return under


def _picked(row: Row) -> tuple[list[str], list[str]]:
    return [v for v, _t in row.picks.get("lead", [])], [v for v, _t in row.picks.get("support", [])]


def _document_deadline(row: Row) -> str:
    return (row.item.get("deadline") or {}).get("date") or ""


def show(rows: list[Row], choices: Choices) -> None:
    """Put the reviewer's choices back on the review's rows for the page shown again: titles,
    roles, deadlines as typed (the commit checks them), and the units picked, named as the
    pickers name them. Each row's item is copied first, so the session's preview is untouched."""
    texts = {value: text for r in rows for picks in r.picks.values() for value, text in picks}
    ids = {parse_id(v) for pair in choices.units.values() for v in (*pair[0], *pair[1]) if not v.startswith("n:")}
    units = Unit.objects.select_related("city").in_bulk([i for i in ids if i is not None])
    texts |= {str(pk): u.with_city for pk, u in units.items()}
    for r in rows:
        i = r.index
        r.item = dict(r.item)
        if i in choices.titles:
            r.item["title"] = choices.titles[i]
        if choices.roles.get(i) in TaskRole.values:
            r.item["role"] = choices.roles[i]
        if i in choices.deadlines:
            r.item["deadline"] = {"date": choices.deadlines[i]}
        if i in choices.units:
            lead, support = choices.units[i]
            # A value that names nothing known (forged) is not shown: the commit refused it.
            r.picks = {
                "lead": [(v, texts[v]) for v in lead if v in texts],
                "support": [(v, texts[v]) for v in support if v in texts],
            }


def mapped_units(unknown: list[str], choices: Choices | None) -> list[tuple[int, str, tuple[str, str] | None]]:
    """The unknown-unit table's rows: (field number, name, the unit chosen for it as (id, label),
    or None for 新建单位)."""
    chosen = {name: parse_id(v) for name, v in (choices.unit_map if choices else {}).items()}
    units = Unit.objects.select_related("city").in_bulk([pk for pk in chosen.values() if pk])
    out = []
    for i, name in enumerate(unknown):
        unit = units.get(chosen.get(name) or 0)
        out.append((i, name, (str(unit.pk), unit.with_city) if unit else None))
    return out
