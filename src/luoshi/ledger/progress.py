"""Progress roll-ups for the plan tree and the dashboard's completion figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from luoshi.ledger.models import Role, Status, Task, TaskAssignment, TaskRole


@dataclass(slots=True)
class Node:
    task: Task
    children: list[Node]
    total: int = 0  # leaf tasks at or below this node
    done: int = 0
    late: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def tree(tasks: list[Task]) -> list[Node]:
    """The plan's tasks as a tree, each node counting the done and late leaves below it."""
    nodes = {t.id: Node(t, []) for t in tasks}
    roots: list[Node] = []
    for t in tasks:
        (nodes[t.parent_id].children if t.parent_id in nodes else roots).append(nodes[t.id])

    def count(n: Node) -> None:
        if not n.children:
            if n.task.role != TaskRole.TASK:
                return  # background and safeguard rows stay in the tree but count for nothing
            n.total, n.done, n.late = 1, int(n.task.status == Status.DONE), int(n.task.status == Status.LATE)
            return
        for c in n.children:
            count(c)
            n.total, n.done, n.late = n.total + c.total, n.done + c.done, n.late + c.late

    for r in roots:
        count(r)
    return roots


def flat(nodes: list[Node], depth: int = 0):
    """Depth-first (node, depth) pairs for rendering the tree as rows."""
    for n in nodes:
        yield n, depth
        yield from flat(n.children, depth + 1)


def leaves(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks among ``tasks`` that have no items under them.

    Asked as NOT IN the set of parents: PostgreSQL estimates the left-join form
    (``children__isnull=True``) at one row and then joins 100,000 tasks by nested loops.
    """
    return tasks.exclude(id__in=Task.objects.filter(parent__isnull=False).values("parent_id"))


def completion(tasks: QuerySet[Task], by: str, limit: int = 30) -> list[dict]:
    """Leaf tasks counted by ``by`` (plan, domain, city, unit): total, done, late and percent done."""
    leaf_tasks = leaves(tasks)
    counts = {
        "total": Count("id"),
        "done": Count("id", filter=Q(status=Status.DONE)),
        "late": Count("id", filter=Q(status=Status.LATE)),
    }
    if by == "unit":
        rows = (
            TaskAssignment.objects.filter(task__in=leaf_tasks, role=Role.LEAD)
            .values(name=F("unit__name"))
            .annotate(
                total=Count("task_id"),
                done=Count("task_id", filter=Q(task__status=Status.DONE)),
                late=Count("task_id", filter=Q(task__status=Status.LATE)),
            )
            .order_by("-total")[:limit]
        )
    else:
        key = {"plan": "plan__title", "domain": "domain", "city": "plan__city__name"}[by]
        rows = leaf_tasks.order_by().values(key).annotate(**counts).order_by("-total")[:limit]
        rows = [{"name": r[key] or "—", **{k: r[k] for k in counts}} for r in rows]
    out = []
    for r in rows:
        r = dict(r)
        r["percent"] = round(100 * r["done"] / r["total"]) if r["total"] else 0
        out.append(r)
    return out
