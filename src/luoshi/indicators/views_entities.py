"""The entity register (统计对象管理): thin views over ``luoshi.indicators.entities``. Office staff
and admins only (``indicator.manage``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.views import require
from luoshi.indicators import entities
from luoshi.indicators.models import Entity, Level
from luoshi.indicators.services import IndicatorError
from luoshi.ledger.models import City
from luoshi.web.ids import parse_id

ACTIONS = {
    "created": gettext_lazy("新增"),
    "renamed": gettext_lazy("更名"),
    "aliases": gettext_lazy("修改别名"),
    "members": gettext_lazy("增加城市"),
    "merged": gettext_lazy("合并"),
    "merged_into": gettext_lazy("并入"),
    "deactivated": gettext_lazy("停用"),
    "reactivated": gettext_lazy("重新启用"),
}
FIELD_MAX = 5000  # characters of one form field read; aliases beyond are a paste, not synonyms


def _field(request, name: str) -> str:
    value = request.POST.get(name, "")
    if len(value) > FIELD_MAX:
        raise IndicatorError(_("输入过长"))
    return value


def _city(raw) -> City | None:
    pk = parse_id(raw)
    return City.objects.filter(pk=pk).first() if pk else None


@login_required
def entity_list(request):
    """Every entity by type, the ledger's cities brought in first, and the form to add one."""
    require(request, "indicator.manage")
    synced = entities.sync_from_ledger(by=request.user)
    if synced.created:
        messages.info(
            request, _("已从台账城市新增统计对象：%(names)s") % {"names": "、".join(synced.created[:20])}
        )
    rows = Entity.objects.select_related("city", "partner", "merged_into").prefetch_related("members")
    return render(
        request,
        "indicators/entities.html",
        {
            "groups": [(label, [e for e in rows if e.kind == kind]) for kind, label in Level.choices],
            "kinds": Level.choices,
            "cities": City.objects.order_by("name"),
            "skipped": synced.skipped,
        },
    )


@login_required
@require_POST
def entity_new(request):
    """Add a city, pair or area entity."""
    require(request, "indicator.manage")
    try:
        entity = entities.create_entity(
            _field(request, "kind"),
            _field(request, "name"),
            by=request.user,
            city=_city(request.POST.get("city")),
            partner=_city(request.POST.get("partner")),
            members=[c for c in (_city(v) for v in request.POST.getlist("members")[:500]) if c],
            aliases=_field(request, "aliases"),
        )
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:entities")
    messages.success(request, _("已新增统计对象「%(name)s」") % {"name": entity.name})
    return redirect("indicators:entity", pk=entity.pk)


@login_required
def entity(request, pk: int):
    """One entity: rename, aliases, merge another into it, deactivate; and its history."""
    require(request, "indicator.manage")
    row = get_object_or_404(Entity.objects.select_related("city", "partner", "merged_into"), pk=pk)
    if request.method == "POST":
        return _change(request, row)
    return render(
        request,
        "indicators/entity.html",
        {
            "entity": row,
            "changes": [
                (c, ACTIONS.get(c.action, c.action), _summary(c.fields))
                for c in row.changes.select_related("by")[:100]
            ],
            "observations": row.observations.count(),
            "mergeable": Entity.objects.filter(kind=row.kind, active=True).exclude(pk=row.pk),
        },
    )


def _change(request, row: Entity):
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            entities.rename(row, _field(request, "name"), by=request.user)
            done = _("已更名")
        elif action == "aliases":
            entities.set_aliases(row, _field(request, "aliases"), by=request.user)
            done = _("别名已保存")
        elif action in ("deactivate", "reactivate"):
            entities.set_active(row, action == "reactivate", by=request.user)
            done = _("已停用") if action == "deactivate" else _("已重新启用")
        elif action == "merge":
            other = Entity.objects.filter(pk=parse_id(request.POST.get("duplicate")) or 0).first()
            if other is None:
                raise IndicatorError(_("请选择要并入的统计对象"))
            result = entities.merge(row, other, by=request.user)
            audit.record("entity_merge", request, detail=f"entity {other.pk} into {row.pk}")
            done = _(
                "已并入「%(name)s」：%(moved)d个观测值，%(overlaps)d个指标期别两者都有数据，以较晚记录的为准"
            ) % {
                "name": other.name,
                "moved": result.moved,
                "overlaps": result.overlaps,
            }
        else:
            raise IndicatorError(_("未知操作"))
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("indicators:entity", pk=row.pk)


def _summary(fields: dict) -> str:
    """A change's fields as one line: 名称：成都 → 成都市；别名：…"""
    labels = {
        "name": "名称",
        "aliases": "别名",
        "from": "来自",
        "into": "并入",
        "observations": "观测值",
        "overlaps": "重叠期别",
        "added": "城市",
        "members": "城市",
        "source": "来源",
    }
    parts = []
    for key, value in fields.items():
        if key == "observation_ids":
            continue
        if isinstance(value, list) and len(value) == 2 and key in ("name", "aliases"):
            old, new = ("、".join(v) if isinstance(v, list) else v for v in value)
            parts.append(f"{labels.get(key, key)}：{old or '—'} → {new or '—'}")
        else:
            shown = "、".join(map(str, value)) if isinstance(value, list) else value
            parts.append(f"{labels.get(key, key)}：{shown}")
    return "；".join(parts)


@login_required
@require_POST
def link_target(request, pk: int):
    """Confirm, change or remove the indicator that measures a plan target."""
    from luoshi.indicators.links import link_target as link
    from luoshi.indicators.models import Indicator
    from luoshi.ledger.models import TaskTarget

    target = get_object_or_404(TaskTarget.objects.select_related("task__plan"), pk=pk)
    require(request, "indicator.manage")
    require(request, "task.edit", target.task)
    raw = request.POST.get("indicator", "")
    indicator = Indicator.objects.filter(pk=parse_id(raw) or 0).first()
    entity = Entity.objects.filter(pk=parse_id(request.POST.get("entity")) or 0).first()
    try:
        if raw and indicator is None:
            raise IndicatorError(_("所选指标不存在"))
        if request.POST.get("entity") and entity is None:
            raise IndicatorError(_("所选统计对象不存在"))
        row = link(target, indicator, entity, by=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        if row is None:
            messages.info(request, _("关联未变"))
        elif indicator is None:
            messages.success(request, _("已取消关联"))
        else:
            messages.success(request, _("已关联监测指标「%(name)s」") % {"name": indicator.name})
    return redirect("ledger:task", pk=target.task_id)
