"""The channel form: secrets are write-only (never rendered back; blank keeps the stored value)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.ledger import units as ledger_units
from luoshi.ledger.models import Unit
from luoshi.notify import core, delivery
from luoshi.notify.models import Channel

URL_KINDS = (core.WECOM, core.DINGTALK, core.FEISHU, core.SMS)
SECRET_MAX = 500


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return ledger_units.label(obj)


class ChannelForm(forms.Form):
    unit = UnitField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("所选单位不存在或不归你管理")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Channel.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=60)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    # Write-only: the webhook address carries the robot's key, so it is never shown back.
    url = forms.CharField(
        label=_("Webhook地址"),
        required=False,
        max_length=2000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "size": "80"}),
    )
    secret = forms.CharField(
        label=_("加签密钥或网关令牌"),
        required=False,
        max_length=SECRET_MAX,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的密钥"), required=False)
    address = forms.CharField(
        label=_("接收地址"),
        required=False,
        max_length=1000,
        help_text=_("电子邮件地址或手机号码，多个用逗号分隔"),
        widget=forms.TextInput(attrs={"class": "wide"}),
    )
    provider = forms.ChoiceField(label=_("短信服务商"), required=False)

    def __init__(
        self, *args, units=None, channel: Channel | None = None, personal: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.personal = personal
        if personal:
            # A person's channel follows its owner's unit: no unit to choose, none taken from a post.
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units.select_related("city").order_by("city__name", "name")
        self.fields["provider"].choices = [("", "—")] + [
            (p.name, p.label) for p in core.SMS_PROVIDERS.values()
        ]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        stored = delivery.secrets_of(self.channel) if self.channel and self.channel.secrets else {}
        if kind in URL_KINDS:
            url = data.get("url", "")
            if url:
                try:
                    core.check_url(url, delivery.policy())
                except core.UnsafeUrl as exc:
                    self.add_error("url", str(exc))
            elif not stored.get("url") or (self.channel and self.channel.kind != kind):
                self.add_error("url", _("请填写Webhook地址"))
        if kind in (core.EMAIL, core.SMS):
            try:
                core.check_addresses(kind, data.get("address", ""))
            except core.DeliveryError as exc:
                self.add_error("address", str(exc))
        if kind == core.SMS and data.get("provider") not in core.SMS_PROVIDERS:
            self.add_error("provider", _("请选择短信服务商"))
        return data

    def apply(self, channel: Channel) -> Channel:
        """Copy the cleaned values onto ``channel`` (secrets encrypted; blank keeps what is stored)."""
        data = self.cleaned_data
        kind = data["kind"]
        if not self.personal:
            channel.unit = data["unit"]
        channel.kind = kind
        channel.name = data["name"]
        channel.enabled = data["enabled"]
        channel.address = (
            ",".join(core.split_addresses(data["address"])) if kind in (core.EMAIL, core.SMS) else ""
        )
        channel.provider = data["provider"] if kind == core.SMS else ""
        if kind == core.EMAIL:
            channel.secrets, channel.host = "", ""
            return channel
        secret = "" if data["clear_secret"] else (data["secret"] or None)
        delivery.set_secrets(channel, url=data["url"] or None, secret=secret)
        return channel
