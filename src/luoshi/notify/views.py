"""消息渠道: an office's page of its units' channels, thin views over delivery and the rules."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import units_kept_by
from luoshi.accounts.views import require
from luoshi.notify import delivery
from luoshi.notify.forms import ChannelForm
from luoshi.notify.models import Channel, Message

LOG_ROWS = 50


@login_required
def channel_list(request):
    """The channels of the units the user keeps, with each one's last result, and the latest messages."""
    require(request, "channel.manage")
    kept = units_kept_by(request.user)
    channels = (
        Channel.objects.filter(unit__in=kept)
        .select_related("unit", "unit__city")
        .annotate(
            sent=Count("messages", filter=Q(messages__status=Message.Status.SENT)),
            failing=Count(
                "messages", filter=Q(messages__status__in=[Message.Status.FAILED, Message.Status.GAVE_UP])
            ),
        )
        .order_by("unit__city__name", "unit__name", "kind", "name", "id")
    )
    log = (
        Message.objects.filter(unit__in=kept)
        .select_related("channel", "unit")
        .order_by("-created", "-id")[:LOG_ROWS]
    )
    return render(request, "notify/channels.html", {"channels": channels, "log": log})


@login_required
def my_channels(request):
    """我的消息渠道: the signed-in user's own channels, which receive what is sent to their unit."""
    require(request, "channel.own")
    channels = Channel.objects.filter(owner=request.user).order_by("kind", "name", "id")
    log = (
        Message.objects.filter(channel__owner=request.user)
        .select_related("channel", "unit")
        .order_by("-created", "-id")[:LOG_ROWS]
    )
    return render(request, "notify/my_channels.html", {"channels": channels, "log": log})


@login_required
def my_channel_new(request):
    require(request, "channel.own")
    form = ChannelForm(request.POST if request.method == "POST" else None, personal=True)
    if request.method == "POST" and form.is_valid():
        channel = form.apply(Channel(owner=request.user, created_by=request.user))
        channel.save()
        audit.record("channel_added", request, detail=f"{channel.pk} user {request.user.pk} {channel.kind}")
        messages.success(request, _("已添加渠道“%(name)s”") % {"name": channel.name})
        return redirect("notify:edit", pk=channel.pk)
    return _page(request, form, None, 400 if form.is_bound else 200, personal=True)


def _page(
    request, form: ChannelForm, channel: Channel | None, status: int = 200, personal: bool = False
) -> HttpResponse:
    context = {"form": form, "channel": channel, "personal": personal}
    if channel is not None:
        context["stored"] = set(delivery.secrets_of(channel)) if channel.secrets else set()
        context["log"] = channel.messages.prefetch_related("attempt_rows").order_by("-created", "-id")[:20]
    return render(request, "notify/channel_edit.html", context, status=status)


@login_required
def channel_new(request):
    require(request, "channel.manage")
    units = units_kept_by(request.user)
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = ChannelForm(request.POST if request.method == "POST" else None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        require(request, "channel.manage", form.cleaned_data["unit"])
        channel = form.apply(Channel(created_by=request.user))
        channel.save()
        audit.record("channel_added", request, detail=f"{channel.pk} {channel.unit_id} {channel.kind}")
        messages.success(request, _("已添加渠道“%(name)s”") % {"name": channel.name})
        return redirect("notify:edit", pk=channel.pk)
    return _page(request, form, None, 400 if form.is_bound else 200)


@login_required
def channel_edit(request, pk: int):
    channel = get_object_or_404(Channel.objects.select_related("unit", "owner__profile"), pk=pk)
    require(request, "channel.manage", channel)
    personal = channel.personal
    units = None if personal else units_kept_by(request.user)
    if request.method != "POST":
        initial = {
            "unit": channel.unit_id,
            "kind": channel.kind,
            "name": channel.name,
            "enabled": channel.enabled,
            "address": channel.address,
            "provider": channel.provider,
        }
        form = ChannelForm(initial=initial, units=units, channel=channel, personal=personal)
        return _page(request, form, channel, personal=personal)
    form = ChannelForm(request.POST, units=units, channel=channel, personal=personal)
    if form.is_valid():
        if not personal:
            require(request, "channel.manage", form.cleaned_data["unit"])
        form.apply(channel)
        channel.updated = timezone.now()
        channel.save()
        whose = f"user {channel.owner_id}" if personal else channel.unit_id
        audit.record("channel_changed", request, detail=f"{channel.pk} {whose} {channel.kind}")
        messages.success(request, _("已保存"))
        return redirect("notify:edit", pk=channel.pk)
    channel.refresh_from_db()
    return _page(request, form, channel, 400, personal=personal)


@require_POST
@login_required
def channel_test(request, pk: int):
    """发送测试: a message sent now through this channel alone, logged like any other."""
    channel = get_object_or_404(Channel.objects.select_related("unit", "owner__profile__unit"), pk=pk)
    require(request, "channel.manage", channel)
    if channel.personal:
        profile = getattr(channel.owner, "profile", None)
        unit = profile.unit if profile else None
        whose = channel.owner.get_full_name() or channel.owner.get_username()
    else:
        unit, whose = channel.unit, channel.unit.name
    message = Message.objects.create(
        channel=channel,
        unit=unit,
        key=f"test:{uuid.uuid4().hex}",
        subject=_("【测试】落实台账消息渠道测试"),
        body=_("这是一条测试消息：%(unit)s的“%(name)s”渠道已能收到落实台账的提醒和督办。")
        % {"unit": whose, "name": channel.name},
    )
    token = delivery.claim(message.pk)
    result = (
        delivery.attempt(Message.objects.select_related("channel").get(pk=message.pk), token) if token else ""
    )
    if result == "sent":
        messages.success(request, _("测试消息已发送"))
    else:
        message.refresh_from_db()
        # A test is not retried: the office is looking at the result now.
        Message.objects.filter(pk=message.pk).update(status=Message.Status.GAVE_UP, next_attempt_at=None)
        messages.error(
            request, _("测试消息发送失败：%(error)s") % {"error": message.last_error or _("渠道已停用")}
        )
    return redirect("notify:edit", pk=channel.pk)
