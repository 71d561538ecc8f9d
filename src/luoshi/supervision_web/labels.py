"""Labels of the supervision engine (``luoshi.supervision``, which has no Django in it) for translation.

The pages show these values with ``{% translate value %}`` or ``gettext(value)``; marking them here
is what lets makemessages keep their English. tests/supervision_web/test_english.py checks that
every label the engine can produce is listed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

LABELS = (
    # notice states: notices.STATES
    gettext_noop("已下发"),
    gettext_noop("已签收"),
    gettext_noop("已回复"),
    gettext_noop("已办结"),
    gettext_noop("提级督办"),
    # lights: lights.COLOURS
    gettext_noop("红灯"),
    gettext_noop("黄灯"),
    gettext_noop("绿灯"),
    # standings: lights.STANDINGS
    gettext_noop("已完成"),
    gettext_noop("超进度"),
    gettext_noop("达进度"),
    gettext_noop("欠进度"),
    gettext_noop("未报送"),
    # reporting timeliness: lights.TIMELINESS
    gettext_noop("按时报送"),
    gettext_noop("逾期报送"),
    gettext_noop("未到截止日"),
    gettext_noop("无需报送"),
)

# The light rules (lights.rules_table) by name: the page shows these, the rule id in a tooltip.
RULE_NAMES = {
    "green.done": _("已完成"),
    "red.overdue": _("逾期未完成"),
    "red.missing": _("逾期未报送"),
    "red.far_behind": _("严重滞后"),
    "yellow.due_soon": _("临近完成期限"),
    "yellow.behind": _("进度落后"),
    "green.on_track": _("正常推进"),
}

# The bulletin's figures and how each is counted (bulletins.wording.DEFINITIONS): the bulletin page
# shows them with {% translate %}.
BASES = (
    gettext_noop("纳入监测任务"),
    gettext_noop("开始日期不晚于本期末的任务；尚未开始的任务不纳入。"),
    gettext_noop("进度分类"),
    gettext_noop("每项任务只计入一类：已完成；实际进度高于序时进度超过容差为超进度，低于超过容差为欠进度，其余为达进度；统计期应报未报的为未报送。序时进度按任务起止日期（或节点目标）线性计算至本期末或通报日（取早者）。"),
    gettext_noop("完成率"),
    gettext_noop("已完成任务数÷纳入监测任务数。"),
    gettext_noop("序时达标率"),
    gettext_noop("（已完成＋超进度＋达进度）任务数÷任务数；总体以纳入监测任务为分母，分组表以该组任务数为分母。"),
    gettext_noop("平均实际进度"),
    gettext_noop("有实际进度数据任务的实际进度算术平均，没有数据的任务不计入分母；实际进度依次取最近一期报送的进度百分比、量化指标完成值÷目标值的平均（每项最高100%）、报送状态（已完成=100%，未启动=0%）。分组表的“有进度任务数”即该组平均进度的样本数。"),
    gettext_noop("排名"),
    gettext_noop("按序时达标率从高到低，相同时按平均进度（无进度数据的排在后面）；得分相同的名次并列（1、1、3）。排名变化与上一期通报的名次比较，上期未出现的记“—”。"),
    gettext_noop("报送情况"),
    gettext_noop("统计期为通报日已到报送截止日的最近一期；应报送的任务为统计期内已开始且未在此前完成的任务；按首次报送时间判断是否逾期；单位按牵头单位统计，逾期天数取其各任务中最多的。"),
    gettext_noop("红灯任务"),
    gettext_noop("按亮灯规则逐项判定为红灯的任务：已过完成期限未完成、应报未报已过截止日或实际进度严重落后序时进度。"),
    gettext_noop("逾期未完成任务"),
    gettext_noop("通报日已过完成期限仍未完成的任务（均为红灯任务）。"),
    gettext_noop("本期完成的任务"),
    gettext_noop("首次报送“已完成”（或进度达100%）的期间为本期的任务；此前已完成的不重复计入。"),
    gettext_noop("未办结督办事项"),
    gettext_noop("通报日前已签发、尚未办结的督办单；回复期限早于通报日且未回复的为逾期未回复。"),
)
