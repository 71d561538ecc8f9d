"""API endpoints for the 跨城通办 catalogue: list and filter the service items, read one.

Read-only, for whoever may read the catalogue on its pages (``crosscity.view``: office, leader,
admin); the catalogue has no published state, so it is never public. Changes go through the pages
(add, edit, the Excel list), which keep each change's history.

An item's status is read on a day (``on``, today by default): ``open`` when it can be handled in
at least one city by then, ``scheduled`` when every city it names opens later, ``none`` when it
names no city. Filtered by a city, the list holds the items handled there (at any date) and a
status is that city's: ``city=N&status=none`` lists the items not handled in city N.
"""

# No `from __future__ import annotations`: ninja reads the parameter annotations at import time.
import datetime as dt
from typing import Literal

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.api.ledger import Pages
from luoshi.indicators.models import Entity, Level, ServiceCity, ServiceItem
from luoshi.web import clock
from luoshi.web.ids import MAX_ID

router = Router(tags=["crosscity"])

Status = Literal["open", "scheduled", "none"]


class ServiceCityOut(Schema):
    """A city where the item can be handled, since when, and whether it is open on the day asked."""

    entity_id: int
    city: str = Field(..., alias="entity.name")
    since: dt.date
    status: Literal["open", "scheduled"]  # annotated by ``_items`` for the day asked


class ServiceItemOut(Schema):
    id: int
    name: str
    department: str
    category: str
    note: str
    status: Status
    cities: list[ServiceCityOut]

    @staticmethod
    def resolve_status(obj: ServiceItem) -> str:
        if not obj.named:
            return "none"
        return "open" if obj.opened else "scheduled"

    @staticmethod
    def resolve_cities(obj: ServiceItem) -> list[ServiceCity]:
        return list(obj.cities.all())


class ServiceItemDetailOut(ServiceItemOut):
    created_at: dt.datetime
    changed_at: dt.datetime | None  # the newest change kept (its creation is one)
    changes: int  # how many changes are kept (the pages show them)

    @staticmethod
    def resolve_changes(obj: ServiceItem) -> int:
        return obj.changes_count


class ServiceFilter(Schema):
    # An entity id of a city, as ``cities[].entity_id`` gives it.
    city: int | None = Field(None, ge=1, le=MAX_ID)
    # 类别 (the item's area: 社会保障, 住房…), matched whole.
    category: str | None = Field(None, max_length=50)
    status: Status | None = None
    on: dt.date | None = None
    q: str | None = Field(None, max_length=100)


def _day(on: dt.date | None) -> dt.date:
    return on if on is not None else clock.today()


def _require_view(request, what: str) -> None:
    if not can(request.auth, "crosscity.view"):
        audit.record("permission_denied", request, user=request.auth, detail=f"api crosscity.view {what}")
        raise HttpError(403, "permission denied")


def _items(on: dt.date):
    """Every item with its status on ``on`` (``named``: some city; ``opened``: some city by then) and
    its cities, each marked open or scheduled on that day; in the list's order."""
    rows = ServiceCity.objects.filter(item=OuterRef("pk"))
    status = Case(When(since__lte=on, then=Value("open")), default=Value("scheduled"))
    cities = ServiceCity.objects.select_related("entity").annotate(status=status).order_by("entity__name")
    return (
        ServiceItem.objects.annotate(named=Exists(rows), opened=Exists(rows.filter(since__lte=on)))
        .prefetch_related(Prefetch("cities", cities))
        .order_by("category", "name", "pk")
    )


def _by_status(items, status: str, on: dt.date, city: int | None):
    """Items of ``status`` on ``on``: in ``city`` when one is given, else in any city."""
    rows = ServiceCity.objects.filter(item=OuterRef("pk"))
    if city is not None:
        rows = rows.filter(entity_id=city)
    opened = Exists(rows.filter(since__lte=on))
    named = Exists(rows)
    if status == "open":
        return items.filter(opened)
    if status == "scheduled":
        return items.filter(named & ~opened)
    return items.filter(~named)


@router.get("/services", response=list[ServiceItemOut])
@paginate(Pages)
def list_services(request, filters: Query[ServiceFilter]):
    """The service items, by 类别 then name; filtered by city, category, status on a day, words."""
    _require_view(request, "list")
    asked = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    audit.record("api_read", request, user=request.auth, detail=f"services {asked}"[:2000])
    on = _day(filters.on)
    items = _items(on)
    if filters.city is not None:
        kind = Entity.objects.filter(pk=filters.city).values_list("kind", flat=True).first()
        if kind != Level.CITY:
            raise HttpError(400, f"city {filters.city}: no city entity has this id")
        if filters.status is None:
            items = items.filter(
                Exists(ServiceCity.objects.filter(item=OuterRef("pk"), entity_id=filters.city))
            )
    # An empty parameter (a form's blank field) is no filter.
    if filters.category:
        items = items.filter(category=filters.category)
    if filters.q:
        items = items.filter(Q(name__contains=filters.q) | Q(department__contains=filters.q))
    if filters.status is not None:
        items = _by_status(items, filters.status, on, filters.city)
    return items


@router.get("/services/{item_id}", response=ServiceItemDetailOut)
def get_service(request, item_id: int = Path(..., ge=1, le=MAX_ID), on: dt.date | None = None):
    """One service item: its cities, each since when and whether it is open on ``on`` (today)."""
    _require_view(request, str(item_id))
    item = get_object_or_404(
        _items(_day(on)).annotate(changed_at=Max("changes__at"), changes_count=Count("changes")), pk=item_id
    )
    audit.record("api_read", request, user=request.auth, detail=f"service {item.pk}")
    return item
