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
