"""Two people editing one task: the second save is refused and shows what they typed."""

from __future__ import annotations

import pytest

from luoshi.ledger import services
from luoshi.ledger.models import Task

pytestmark = pytest.mark.django_db


def test_second_save_with_a_stale_version_is_refused(world):
    services.update_task(world.task_a, world.office_a, 1, {"title": "甲的修改"})
    with pytest.raises(services.StaleEdit):
        services.update_task(world.task_a, world.admin, 1, {"title": "乙的修改"})
    assert Task.objects.get(pk=world.task_a.pk).title == "甲的修改"


def test_stale_edit_through_the_page_keeps_the_users_text(world, client):
    url = f"/tasks/{world.task_a.pk}/edit/"
    client.force_login(world.office_a)
    assert client.post(url, {"title": "甲的修改", "version": 1, "domain": "交通"}).status_code == 302
    client.force_login(world.admin)
    response = client.post(url, {"title": "乙的长篇修改", "version": 1, "domain": "交通"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "已被他人修改" in body
    assert 'value="乙的长篇修改"' in body  # nothing the second person typed is lost
    assert Task.objects.get(pk=world.task_a.pk).title == "甲的修改"
