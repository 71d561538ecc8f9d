"""Import progress: start_import and commit_import say where they are, for their owner's page only."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from luoshi.ledger import import_progress, importing, services
from luoshi.ledger.models import Change, ImportSession, Plan, Task, TaskTarget, Unit
from tests.web.world import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("progress_cache")]

TOKEN = "3f2a9c1e-5b7d-4e8f-a0b1-c2d3e4f5a6b7"
NUMERALS = "一二三四五六七八九十"


@pytest.fixture
def progress_cache():
    # The test settings use the dummy cache, which would forget every stage at once.
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        yield


def plan_text(sections: int = 3, items: int = 50) -> str:
    """A plan of sections × (1 + items) items, every leaf with a lead unit and a target."""
    return "".join(
        f"{NUMERALS[s]}、第{s + 1}方面\n"
        + "".join(
            f"{i}.推进第{i}项工作，新增企业{i}家以上。（牵头单位：市交通运输局）\n"
            for i in range(1, items + 1)
        )
        for s in range(sections)
    )


@pytest.fixture
def stages(monkeypatch):
    """Every stage reported, in order, as (label, fraction)."""
    heard: list[tuple[str, float]] = []
    original = import_progress.Tracker.stage

    def stage(self, label, fraction):
        if self.key is not None:  # a tracker without a token is silent
            heard.append((str(label), fraction))
        original(self, label, fraction)

    monkeypatch.setattr(import_progress.Tracker, "stage", stage)
    return heard


@pytest.fixture
def progress_writes(progress_cache, monkeypatch):
    """The cache keys import_progress writes (it still writes them)."""
    keys: list[str] = []

    class Spy:
        def set(self, key, *args, **kwargs):
            keys.append(key)
            return caches["default"].set(key, *args, **kwargs)

        def get(self, key, *args, **kwargs):
            return caches["default"].get(key, *args, **kwargs)

    monkeypatch.setattr(import_progress, "cache", Spy())
    return keys


def progress_of(client, token: str = TOKEN):
    return client.get(f"/import/progress/{token}/")


# -- what start_import and commit_import report ---------------------------------------------


def test_start_import_reports_each_parse_stage_then_done(world, stages, login):
    importing.start_import(upload(), world.office_a, progress_token=TOKEN)
    labels = list(dict.fromkeys(label for label, _f in stages))
    assert labels == ["读取文件", "识别结构", "识别责任单位", "识别目标和时限", "保存预览"]
    fractions = [f for _label, f in stages]
    assert fractions == sorted(fractions) and fractions[-1] < 1
    response = progress_of(login(world.office_a))
    assert response.status_code == 200
    assert response.json() == {"state": "done", "stage": "完成", "fraction": 1.0}


def test_the_endpoint_shows_the_owner_the_stage_being_worked_on(world, monkeypatch, login):
    owner = login(world.office_a)
    seen = []
    original = import_progress.Tracker.stage

    def stage(self, label, fraction):
        original(self, label, fraction)
        if str(label) == "识别责任单位":
            seen.append(progress_of(owner).json())

    monkeypatch.setattr(import_progress.Tracker, "stage", stage)
    importing.start_import(upload(), world.office_a, progress_token=TOKEN)
    assert [(p["state"], p["stage"]) for p in seen] == [("running", "识别责任单位")]
    assert 0 < seen[0]["fraction"] < 1


def test_commit_reports_every_few_hundred_tasks_written(world, stages, login):
    session = importing.start_import(upload(plan_text(sections=5, items=90)), world.office_a)
    plan = importing.commit_import(session, world.office_a, city=world.city_a, progress_token=TOKEN)
    assert plan.tasks.count() == 455
    # Level by level: the 5 sections, then the 450 items in bulk inserts of 200.
    assert [label for label, _f in stages] == [
        "写入台账 0/455",
        "写入台账 205/455",
        "写入台账 405/455",
        "写入台账 455/455",
        "写入目标和责任单位",
    ]
    fractions = [f for _label, f in stages]
    assert fractions == sorted(fractions)
    assert progress_of(login(world.office_a)).json()["state"] == "done"


def test_the_pages_pass_their_token_through(world, login):
    client = login(world.office_a)
    response = client.post("/import/", {"file": upload(), "progress_token": TOKEN})
    assert response.status_code == 302
    assert progress_of(client).json()["state"] == "done"
    commit_token = "commit-" + TOKEN[:20]
    response = client.post(response["Location"], {"commit": "1", "progress_token": commit_token})
    assert response.status_code == 302 and response["Location"].startswith("/plans/")
    assert progress_of(client, commit_token).json() == {"state": "done", "stage": "完成", "fraction": 1.0}


def test_an_import_without_a_token_works_and_reports_nothing(world, login, progress_writes):
    client = login(world.office_a)
    response = client.post("/import/", {"file": upload()}, follow=True)
    assert response.status_code == 200 and response.context["session"]
    assert progress_writes == []


# -- who may read it ------------------------------------------------------------------------


def test_another_user_gets_nothing_for_the_same_token(world, login):
    importing.start_import(upload(), world.office_a, progress_token=TOKEN)
    for user in (world.office_b, world.admin):
        response = progress_of(login(user))
        assert response.status_code == 204
        assert response.content == b""


def test_it_requires_login_and_the_right_to_import(world, client, login):
    importing.start_import(upload(), world.office_a, progress_token=TOKEN)
    response = progress_of(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert progress_of(login(world.reporter_a)).status_code == 403
    assert progress_of(login(world.leader)).status_code == 403


def test_it_is_never_cached(world, login):
    importing.start_import(upload(), world.office_a, progress_token=TOKEN)
    response = progress_of(login(world.office_a))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/import/progress//",
        "/import/progress/short/",
        "/import/progress/" + "a" * 10_000 + "/",
        "/import/progress/" + "a" * 65 + "/",
        "/import/progress/../../etc/passwd/",
        "/import/progress/..%2F..%2Fetc%2Fpasswd/",
        "/import/progress/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/import/progress/abc_defgh/",
    ],
)
def test_it_rejects_malformed_tokens(world, login, path):
    assert login(world.office_a).get(path).status_code == 404


@pytest.mark.parametrize("token", ["", "x" * 10_000, "../../etc/passwd", "<script>", "abc def gh"])
def test_a_malformed_token_in_the_form_is_ignored(world, progress_writes, token):
    session = importing.start_import(upload(), world.office_a, progress_token=token)
    assert session.pk and progress_writes == []


# -- failures -------------------------------------------------------------------------------


def test_a_failed_upload_writes_nothing_and_says_why(world, login):
    client = login(world.office_a)
    sessions = ImportSession.objects.count()
    nothing = SimpleUploadedFile("notes.txt", "会议纪要，无具体任务。".encode(), content_type="text/plain")
    response = client.post("/import/", {"file": nothing, "progress_token": TOKEN})
    assert response.status_code == 400
    assert ImportSession.objects.count() == sessions
    assert progress_of(client).json() == {
        "state": "failed",
        "stage": "导入失败",
        "fraction": 1.0,
        "message": "文件中没有识别出任务条目",
    }


def test_a_commit_failing_midway_writes_nothing_and_says_it_failed(world, monkeypatch, login):
    session = importing.start_import(upload(plan_text()), world.office_a)
    before = (Plan.objects.count(), Task.objects.count(), Unit.objects.count(), Change.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TaskTarget.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        importing.commit_import(session, world.office_a, city=world.city_a, progress_token=TOKEN)
    after = (Plan.objects.count(), Task.objects.count(), Unit.objects.count(), Change.objects.count())
    assert after == before
    progress = progress_of(login(world.office_a)).json()
    assert progress["state"] == "failed"
    assert progress["message"] == "导入失败，未写入任何内容"
    assert "disk full" not in str(progress)  # internals stay in the log, not on the page


def test_a_refused_commit_says_why(world, login):
    session = importing.start_import(upload(), world.office_a)
    importing.commit_import(session, world.office_a, city=world.city_a)
    with pytest.raises(services.RuleError):
        importing.commit_import(session, world.office_a, progress_token=TOKEN)
    progress = progress_of(login(world.office_a)).json()
    assert (progress["state"], progress["message"]) == ("failed", "该导入已处理")


def test_stages_follow_the_language_of_the_request(world, login):
    client = login(world.office_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/import/"})
    client.post("/import/", {"file": upload(), "progress_token": TOKEN})
    assert progress_of(client).json()["stage"] == "Done"
    response = client.get("/import/")
    assert "Uploading {percent}: {sent} / {total}" in response.content.decode()
