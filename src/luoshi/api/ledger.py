"""API endpoints: plans, tasks (with the ledger's filters), reports of a task."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.accounts import audit
from luoshi.accounts.rules import can, plans_in_scope, tasks_in_scope
from luoshi.ledger import services
from luoshi.ledger.models import Plan, ProgressReport, Role, Task
from luoshi.ledger.queries import apply_filter
from luoshi.web.ids import MAX_ID

router = Router()


class PlanOut(Schema):
    id: int
    title: str
    issuer: str
    doc_number: str
    date: dt.date | None
    year: int | None
    city: str | None = Field(None, alias="city.name")
    cadence: str
    published: bool


class TargetOut(Schema):
    id: int
    metric: str
    unit: str
    comparator: str
    value: float | None
    low: float | None
    high: float | None


class TaskOut(Schema):
    id: int
    plan_id: int
    parent_id: int | None
    label: str
    title: str
    deadline: dt.date | None
    domain: str
    status: str
    version: int
    lead: list[str]
    support: list[str]

    @staticmethod
    def resolve_lead(obj: Task) -> list[str]:
        return [a.unit.name for a in obj.assignments.all() if a.role == Role.LEAD]

    @staticmethod
    def resolve_support(obj: Task) -> list[str]:
        return [a.unit.name for a in obj.assignments.all() if a.role == Role.SUPPORT]


class TaskDetailOut(TaskOut):
    text: str
    targets: list[TargetOut]
    removed_at: dt.datetime | None  # set when a re-import withdrew the task; lists leave it out

    @staticmethod
    def resolve_targets(obj: Task):
        return list(obj.targets.all())


class PlanDetailOut(PlanOut):
    tasks: int

    @staticmethod
    def resolve_tasks(obj: Plan) -> int:
        return obj.tasks.chased().count()


class ReportOut(Schema):
    id: int
    task_id: int
    unit: str = Field(..., alias="unit.name")
    period: str
    version: int
    status: str
    narrative: str
    submitted_at: dt.datetime


class ReportIn(Schema):
    period: str = Field(..., max_length=8)
    status: str = Field(..., max_length=8)
    narrative: str = Field(..., max_length=20000)
    values: dict[int, float] = {}


class TaskFilter(Schema):
    plan: int | None = Field(None, ge=1, le=MAX_ID)
    city: int | None = Field(None, ge=1, le=MAX_ID)
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    domain: str | None = None
    status: str | None = None
    overdue: bool = False
    q: str | None = Field(None, max_length=100)


class Pages(LimitOffsetPagination):
    """limit/offset with an upper bound on both: past it the database's integers overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10**12)


def _require(request, action: str, obj) -> None:
    if not can(request.auth, action, obj):
        audit.record(
            "permission_denied", request, user=request.auth, detail=f"api {action} {getattr(obj, 'pk', '')}"
        )
        raise HttpError(403, "permission denied")


@router.get("/plans", response=list[PlanOut], tags=["plans"])
@paginate(Pages)
def list_plans(request):
    audit.record("api_read", request, user=request.auth, detail="plans")
    return plans_in_scope(request.auth).select_related("city")


@router.get("/plans/{plan_id}", response=PlanDetailOut, tags=["plans"])
def get_plan(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("city"), pk=plan_id)
    _require(request, "plan.view", plan)
    return plan


@router.get("/tasks", response=list[TaskOut], tags=["tasks"])
@paginate(Pages)
def list_tasks(request, filters: Query[TaskFilter]):
    data = {k: v for k, v in filters.dict().items() if v not in (None, False)}
    audit.record("api_read", request, user=request.auth, detail=f"tasks {data}"[:2000])
    tasks, _form = apply_filter(tasks_in_scope(request.auth), data)
    return tasks.prefetch_related("assignments__unit")


@router.get("/tasks/{task_id}", response=TaskDetailOut, tags=["tasks"])
def get_task(request, task_id: int):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    _require(request, "task.view", task)
    return task


@router.get("/tasks/{task_id}/reports", response=list[ReportOut], tags=["reports"])
def list_reports(request, task_id: int):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    _require(request, "task.view", task)
    audit.record("api_read", request, user=request.auth, detail=f"task {task.pk} reports")
    return ProgressReport.objects.filter(task=task).select_related("unit")


@router.post("/tasks/{task_id}/reports", response={201: ReportOut}, tags=["reports"])
def create_report(request, task_id: int, body: ReportIn):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    _require(request, "report.submit", task)
    try:
        report = services.submit_report(
            task,
            request.auth,
            period=body.period,
            status=body.status,
            narrative=body.narrative,
            values=body.values,
        )
    except services.RuleError as e:
        raise HttpError(400, str(e)) from None
    audit.record(
        "report_submit", request, user=request.auth, detail=f"task {task.pk} report {report.pk} (api)"
    )
    return Status(201, report)
