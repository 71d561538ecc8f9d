"""What the audit log's codes mean, in the interface's language.

Rows keep the codes they were written with (``permission_denied``, ``task.view Task 178``): they
are what an export or a log search matches on. The page shows these labels and keeps the code in a
tooltip; a code without a label (an event added later) is shown as recorded.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# With a context: 登录 the event is not 登录 the button.
EVENTS = {
    "login": pgettext_lazy("audit log: an event", "登录"),
    "login_failed": pgettext_lazy("audit log: an event", "登录失败"),
    "login_locked": pgettext_lazy("audit log: an event", "账户锁定"),
    "logout": pgettext_lazy("audit log: an event", "退出"),
    "permission_denied": pgettext_lazy("audit log: an event", "拒绝访问"),
    "import": pgettext_lazy("audit log: an event", "上传方案"),
    "import_commit": pgettext_lazy("audit log: an event", "确认导入"),
    "import_rejected": pgettext_lazy("audit log: an event", "拒绝导入"),
    "api_auth_failed": pgettext_lazy("audit log: an event", "接口认证失败"),
    "token_created": pgettext_lazy("audit log: an event", "创建接口令牌"),
    "unit_merge": pgettext_lazy("audit log: an event", "合并单位"),
    "password_changed": pgettext_lazy("audit log: an event", "设置密码"),
    "proposal": pgettext_lazy("audit log: an event", "提案办理"),
    "channel_added": pgettext_lazy("audit log: an event", "添加消息渠道"),
    "channel_changed": pgettext_lazy("audit log: an event", "修改消息渠道"),
    "scorecard_draft": pgettext_lazy("audit log: an event", "起草成绩单"),
    "scorecard_publish": pgettext_lazy("audit log: an event", "发布成绩单"),
}
# The actions of accounts.rules.ACTIONS, as a refusal names them.
ACTIONS = {
    "plan.view": _("查看工作方案"),
    "plan.edit": _("修改工作方案"),
    "plan.import": _("导入工作方案"),
    "task.view": _("查看任务"),
    "task.edit": _("修改任务"),
    "report.submit": _("报送进展"),
    "report.contribute": _("填报配合情况"),
    "report.return": _("退回报送"),
    "people.view": _("查看报送人和附件"),
    "ledger.view": _("查看台账"),
    "dashboard.view": _("查看总览"),
    "audit.view": _("查看审计日志"),
    "lights.view": _("查看亮灯"),
    "notice.view": _("查看督办单"),
    "notice.issue": _("下发督办单"),
    "notice.manage": _("办理督办单"),
    "notice.reply": _("回复督办单"),
    "bulletin.view": _("查看通报"),
    "bulletin.produce": _("生成通报"),
    "unit.view": _("查看组织机构"),
    "unit.manage": _("管理组织机构"),
    "channel.manage": _("管理消息渠道"),
    "scorecard.view": _("查看成绩单"),
    "scorecard.edit": _("编辑成绩单"),
    "proposal.list": _("查看提案建议列表"),
    "proposal.view": _("查看提案建议"),
    "proposal.register": _("登记提案建议"),
    "proposal.assign": _("交办提案建议"),
    "proposal.adjust": _("申请调整"),
    "proposal.communicate": _("记录沟通"),
    "proposal.opinion": _("提交会办意见"),
    "proposal.reply": _("答复提案建议"),
    "proposal.confirm": _("确认沟通记录"),
    "proposal.rate": _("评价办理结果"),
}
# The objects a refusal names by their class.
OBJECTS = {
    "Plan": pgettext_lazy("audit log: the object of an action", "方案"),
    "Task": pgettext_lazy("audit log: the object of an action", "任务"),
    "ProgressReport": pgettext_lazy("audit log: the object of an action", "报送"),
    "ReportAttachment": pgettext_lazy("audit log: the object of an action", "附件"),
    "SupervisionNotice": pgettext_lazy("audit log: the object of an action", "督办单"),
    "Bulletin": pgettext_lazy("audit log: the object of an action", "通报"),
    "Unit": pgettext_lazy("audit log: the object of an action", "单位"),
    "Proposal": pgettext_lazy("audit log: the object of an action", "提案建议"),
    "Channel": pgettext_lazy("audit log: the object of an action", "消息渠道"),
    "Scorecard": pgettext_lazy("audit log: the object of an action", "成绩单"),
}
# "task.view Task 178" from the pages, "api task.view 178" from the API (accounts.views.require,
# api.ledger): the action, then the object's class and id when there is one.
_REFUSAL = re.compile(
    r"^(?P<api>api )?(?P<action>[a-z_]+\.[a-z_]+)(?: (?P<model>[A-Za-z]*))?(?: (?P<pk>\S*))?\s*$"
)


def event_label(event: str) -> str:
    """The event's name, or the code when it has none."""
    return str(EVENTS.get(event, event))


def detail_label(event: str, detail: str) -> str:
    """A refusal's detail in words (查看任务（任务 178）); any other detail as recorded."""
    m = _REFUSAL.match(detail) if event == "permission_denied" else None
    if m is None or m["action"] not in ACTIONS:
        return detail
    text = str(ACTIONS[m["action"]])
    model, pk = m["model"] or "", m["pk"] or ""
    thing = " ".join(x for x in (str(OBJECTS.get(model, model)), pk) if x)
    if thing:
        text += _("（%s）") % thing
    return str(_("接口：%s") % text) if m["api"] else text
