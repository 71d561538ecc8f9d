"""The audit log page names events and refused actions in the interface's language; codes stay in a tooltip."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _cells(body: str) -> str:
    """The table body's visible text, tags (and so their title attributes) removed."""
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r"<[^>]+>", " ", rows)


@pytest.fixture
def refused(world, login):
    reporter = login(world.reporter_b)
    assert reporter.get("/import/").status_code == 403
    assert reporter.get(f"/tasks/{world.task_a.pk}/").status_code == 403
    return world


def test_refused_actions_read_in_chinese_with_their_codes_in_a_tooltip(refused, login):
    body = login(refused.admin).get("/accounts/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    shown = _cells(body)
    assert "拒绝访问" in shown
    assert "导入工作方案" in shown
    assert f"查看任务（任务 {refused.task_a.pk}）" in shown
    assert "plan.import" not in shown and "task.view" not in shown and "permission_denied" not in shown
    assert 'title="permission_denied"' in body
    assert f'title="task.view Task {refused.task_a.pk}"' in body


def test_the_english_interface_shows_english_labels(refused, login):
    body = login(refused.admin).get("/accounts/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = _cells(body)
    assert "Access refused" in shown
    assert f"View a task (Task {refused.task_a.pk})" in shown
    assert "拒绝访问" not in shown


def test_an_event_without_a_label_is_shown_as_recorded(world, login):
    from luoshi.accounts import audit

    audit.record("something_new", user=world.admin, detail="plan 3")
    shown = _cells(login(world.admin).get("/accounts/audit/").content.decode())
    assert "something_new" in shown and "plan 3" in shown
