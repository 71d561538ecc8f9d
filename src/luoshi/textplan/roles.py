"""What each item of a plan is for: a task to chase, context to read, or a safeguard.

Plans carry more than tasks. Background (基本情况), guiding ideas (指导思想, 总体要求), goals
without an owner and the schedule are ``context``; the closing 保障措施 (组织领导, 督查考核,
宣传引导 …) are ``safeguard``. Neither should be chased, lit or counted, but both stay in the
plan's tree. The heading words are data (``rules/roles.json``); this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from luoshi.textplan.model import Item
from luoshi.textplan.ruletables import load

TASK = "task"
CONTEXT = "context"
SAFEGUARD = "safeguard"
ROLES = (TASK, CONTEXT, SAFEGUARD)

# The first clause of a heading ends at the first of these; what follows is its elaboration
# (加强组织领导，落实相关责任).
_CLAUSE_END = re.compile(r"[，,；;。：:！!？?]")
# Spaces, quotes and brackets carry no meaning for a section's name.
_NOISE = re.compile(r"[\s\u3000“”‘’\"'《》〈〉「」『』()（）【】\[\]、·.．]")


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    role: str
    top_only: bool
    patterns: tuple[re.Pattern[str], ...]


@cache
def _rules() -> tuple[_Rule, ...]:
    table = load("roles")
    rules = []
    for r in table["rules"]:
        if r["role"] not in (CONTEXT, SAFEGUARD):
            raise ValueError(f"roles.json: rule {r['name']} has unknown role {r['role']!r}")
        rules.append(
            _Rule(
                name=r["name"],
                role=r["role"],
                top_only=r["depth"] == "top",
                patterns=tuple(re.compile(p) for p in r["patterns"]),
            )
        )
    return tuple(rules)


def heading_clause(title: str) -> str:
    """The part of a heading that names the section: its first clause, without punctuation."""
    first = _CLAUSE_END.split(title.strip(), maxsplit=1)[0]
    return _NOISE.sub("", first)


def classify_heading(title: str, top: bool) -> tuple[str, str]:
    """``(role, rule name)`` for a heading on its own; ``("task", "")`` when no rule matches.

    ``top`` says the heading is a top-level section: some headings (目标, 加强组织领导) name a
    non-task section only there, while deeper down the same words head a real task.
    """
    clause = heading_clause(title)
    if not clause or len(clause) > 30:
        return TASK, ""
    for rule in _rules():
        if rule.top_only and not top:
            continue
        if any(p.fullmatch(clause) for p in rule.patterns):
            return rule.role, rule.name
    return TASK, ""


def assign(items: list[Item]) -> None:
    """Set ``role`` and ``role_rule`` on every item of the tree, in place.

    1. A heading that a rule matches gives its item that rule's role.
    2. Otherwise an item takes its parent's role (the sub-items of 保障措施 are safeguards).
    3. An item whose own text names a lead unit is a task: the document gave it an owner.
    """

    def walk(it: Item, inherited: str, top: bool) -> None:
        role, rule = classify_heading(it.title, top)
        if role == TASK and inherited != TASK:
            role, rule = inherited, "inherited"
        if role != TASK and it.lead:
            role, rule = TASK, "owner"
        it.role, it.role_rule = role, rule
        for child in it.children:
            walk(child, role, False)

    for it in items:
        walk(it, TASK, True)
