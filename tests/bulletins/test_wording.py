"""The bulletin's words, shared by the Word and PDF renderers."""

from __future__ import annotations

from datetime import date

from luoshi.bulletins.figures import compute
from luoshi.bulletins.wording import Heading, Para, Table, blocks, issuing_line


def test_sections_run_from_overall_to_notices(tasks, reports, notices) -> None:
    b = compute(tasks, reports, notices, "2024-03", on=date(2024, 4, 15), issuer="深中一体化办公室")
    headings = [x.text for x in blocks(b) if isinstance(x, Heading) and x.level == 1]
    assert headings == [
        "一、总体情况",
        "二、分领域推进情况",
        "三、分城市推进情况",
        "四、牵头单位推进情况",
        "五、报送情况",
        "六、需重点关注的任务",
        "七、本期完成的任务",
        "八、督办事项办理情况",
        "九、口径说明",
    ]
    assert issuing_line(b) == "深中一体化办公室　2024年4月15日"


def test_long_task_lists_point_to_the_appendix(tasks, reports, notices) -> None:
    b = compute(tasks, reports, notices, "2024-03", on=date(2024, 4, 15))
    body = blocks(b, max_rows=1)
    red_table = next(x for x in body if isinstance(x, Table) and x.header[0] == "序号")
    assert len(red_table.rows) == 1
    assert Para("以上列出前1项，其余1项详见Excel附表“红灯任务”。") in body


def test_a_bulletin_without_issuer_shows_the_date_alone(tasks, reports, notices) -> None:
    b = compute(tasks, reports, notices, "2024-03", on=date(2024, 4, 15))
    assert issuing_line(b) == "2024年4月15日"


def test_a_mid_period_bulletin_says_which_period_its_reporting_figures_are_for(
    tasks, reports, notices
) -> None:
    b = compute(tasks, reports, notices, "2024-04", on=date(2024, 4, 15))
    assert Para(
        "2024年4月进展应于2024年5月10日前报送，截至2024年4月15日尚未到报送截止日；"
        "以下为已到期的2024年3月进展（应于2024年4月10日前报送）的报送情况。"
    ) in blocks(b)


def test_a_bulletin_made_before_any_report_was_due_says_so(tasks) -> None:
    b = compute(tasks, [], [], "2024-01", on=date(2024, 1, 20))
    assert Para("2024年1月进展应于2024年2月18日前报送，截至2024年1月20日尚未到报送截止日。") in blocks(b)
