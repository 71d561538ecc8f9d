"""The ledger table's filters, sorting and search, as a form over ``tasks_in_scope``."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.models import (
    Domain,
    Role,
    Status,
    Task,
    TaskAssignment,
)
from luoshi.ledger.search import search
from luoshi.web.ids import MAX_ID
from luoshi.web.lru import LRU
from luoshi.web.sqlrows import table

# Undated tasks go last whichever way the deadline sort runs (SQLite puts NULL first in ascending
# order, PostgreSQL in descending). Ascending NULLS LAST still reads straight off the
# (domain, status, deadline, plan, position) index on both databases.
SORTS = {
    "position": ("plan_id", "position"),
    "deadline": (F("deadline").asc(nulls_last=True), "plan_id", "position"),
    "-deadline": (F("deadline").desc(nulls_last=True), "plan_id", "position"),
    "status": ("status", "plan_id", "position"),
    "title": ("title",),
    "plan": ("plan__title", "position"),
}


class LedgerFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    # Ids, not model choices: a ModelChoiceField costs a query and a deep copy of its queryset on
    # every ledger page, and an id no unit has simply matches no task.
    city = forms.IntegerField(label=_("城市"), required=False, min_value=1, max_value=MAX_ID)
    unit = forms.IntegerField(label=_("单位"), required=False, min_value=1, max_value=MAX_ID)
    domain = forms.ChoiceField(label=_("领域"), choices=[("", "—")] + Domain.choices, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", "—")] + Status.choices, required=False)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    plan = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("position", _("方案顺序")),
            ("deadline", _("时限升序")),
            ("-deadline", _("时限降序")),
            ("status", _("状态")),
            ("title", _("标题")),
            ("plan", _("方案")),
        ],
    )


def apply_filter(tasks: QuerySet[Task], data: dict, today=None) -> tuple[QuerySet[Task], LedgerFilter]:
    """The tasks matching the query string ``data``; invalid values are ignored, never an error page."""
    form = LedgerFilter(data)
    form.is_valid()
    f = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    if "q" in f:
        tasks = search(tasks, f["q"])
    if "city" in f:
        tasks = tasks.filter(plan__city_id=f["city"])
    if "unit" in f:
        tasks = tasks.filter(assignments__unit_id=f["unit"], assignments__role=Role.LEAD)
    if "domain" in f:
        tasks = tasks.filter(domain=f["domain"])
    if "status" in f:
        tasks = tasks.filter(status=f["status"])
    if "plan" in f:
        tasks = tasks.filter(plan_id=f["plan"])
    if f.get("overdue"):
        tasks = tasks.filter(deadline__lt=today or timezone.localdate()).exclude(status=Status.DONE)
    tasks = tasks.order_by(*SORTS[f.get("sort", "position")])
    return tasks, form


MAX_PAGE = 10**9

# The last few hundred match counts: paging or re-sorting one filtered view asks for the same
# count again, and the key (see ``Page``) changes whenever the answer may.
_counts = LRU(512)


def clear_counts() -> None:
    """Forget every remembered count (tests start each database over, version numbers with it)."""
    _counts.clear()


class Page:
    """One page of the ledger without counting every matching row.

    Fetches ``size + 1`` rows to know whether a next page exists, and counts at most
    ``count_cap + 1`` rows (a bounded subquery), so a filter matching 100,000 tasks costs what a
    filter matching a thousand does. ``count`` is exact when ``count_capped`` is false. With a
    ``count_key`` (naming the user's scope, the filter and the ledger's version, never the page
    or the sort) the count is remembered for the next page of the same view. ``counted``, when
    given, is counted instead of ``tasks``: the same rows with fewer columns, which an index can
    answer alone.
    """

    def __init__(
        self,
        tasks: QuerySet[Task],
        number,
        size: int = 50,
        count_cap: int = 1000,
        count_key=None,
        counted: QuerySet | None = None,
    ):
        try:
            # Past MAX_PAGE the offset would overflow the database's integers; it is past the end anyway.
            number = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            number = 1
        rows = list(tasks[(number - 1) * size : number * size + 1])
        if not rows and number > 1:
            # Past the end (an old link): show the last page, as Paginator.get_page does.
            total = (tasks if counted is None else counted).count()
            number = max(1, -(-total // size))
            rows = list(tasks[(number - 1) * size : number * size + 1])
        self.number, self.size = number, size
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        if not self.has_next:
            self.count, self.count_capped = (number - 1) * size + len(self.object_list), False
        else:
            key = None if count_key is None else (count_key, count_cap)
            bounded = _counts.get(key) if key is not None else None
            if bounded is None:
                bounded = (tasks if counted is None else counted).order_by()[: count_cap + 1].count()
                if key is not None:
                    _counts.put(key, bounded)
            self.count_capped = bounded > count_cap
            self.count = min(bounded, count_cap)
        self.num_pages = None if self.count_capped else max(1, -(-self.count // size))

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def lead_units(task_ids: list[int]) -> list[tuple[int, int, bool]]:
    """``(task id, unit id, inherited)`` of the lead units of ``task_ids``, in each task's order;
    written out, as the ledger page runs it for every page of fifty rows (the names come from
    ``fragments.names_by_id``, which each process keeps)."""
    if not task_ids:
        return []
    if connection.vendor == "postgresql":
        # One array parameter: the same statement for any number of ids, so PostgreSQL prepares
        # it once instead of planning each length of IN list anew (planning cost more than running).
        ids, params = "= ANY(%s)", [Role.LEAD, list(task_ids)]
    else:
        ids, params = f"IN ({', '.join(['%s'] * len(task_ids))})", [Role.LEAD, *task_ids]
    sql = (
        f"SELECT a.task_id, a.unit_id, a.inherited FROM {table(TaskAssignment)} a "
        f"WHERE a.role = %s AND a.task_id {ids} ORDER BY a.task_id, a.position, a.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
