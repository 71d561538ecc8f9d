"""Hostile and broken input on every form, upload and endpoint: a clear error and nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from luoshi.ledger.models import ImportSession, Plan, ProgressReport, Task
from luoshi.ledger.uploads import safe_display_name

pytestmark = pytest.mark.django_db


def zip_bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b"0" * (50 * 1024 * 1024) + b"</w:document>")
    return buf.getvalue()


def minimal_zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, "x")
    return buf.getvalue()


BAD_UPLOADS = {
    "empty": (b"", "文件为空"),
    "executable named .docx": (b"MZ\x90\x00" + b"\x00" * 200, "不支持的文件类型"),
    "zip bomb docx": (zip_bomb_docx(), "zip 炸弹"),
    "truncated docx": (b"PK\x03\x04\x14\x00broken", "zip"),
    "zip without a document": (minimal_zip("a.txt"), "不支持的文件类型"),
    "pdf without text": (b"%PDF-1.4\n%%EOF\n", "无法读取"),
    "text without items": ("只有一句话，没有任何条目。".encode(), "没有识别出任务"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_bad_plan_upload_is_refused_with_a_reason(world, client, case):
    data, message = BAD_UPLOADS[case]
    sessions = ImportSession.objects.count()
    client.force_login(world.office_a)
    response = client.post("/import/", {"file": SimpleUploadedFile("plan.docx", data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportSession.objects.count() == sessions


def test_missing_file_is_refused(world, client):
    client.force_login(world.office_a)
    response = client.post("/import/", {})
    assert response.status_code == 400 and "请选择文件" in response.content.decode()


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_oversized_upload_is_refused(world, client):
    client.force_login(world.office_a)
    response = client.post("/import/", {"file": SimpleUploadedFile("big.txt", "一、工作\n".encode() * 500)})
    assert response.status_code == 400 and "文件过大" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("a\x00b.txt", "ab.txt"),
        ("...", "file"),
        ("/abs/path/计划.docx", "计划.docx"),
        ("<script>.txt", "_script_.txt"),
    ],
)
def test_file_names_are_sanitised(name, expected):
    assert safe_display_name(name) == expected


def test_script_in_a_title_is_rendered_escaped(world, client):
    Task.objects.filter(pk=world.task_b.pk).update(title="<script>alert(1)</script>")
    body = client.get(f"/tasks/{world.task_b.pk}/").content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_script_in_an_uploaded_plan_is_escaped_on_the_review_page(world, client):
    client.force_login(world.office_a)
    text = "一、工作\n（一）<script>alert(1)</script>加强领导。（牵头单位：市<b>局</b>）\n"
    response = client.post("/import/", {"file": SimpleUploadedFile("x.txt", text.encode())}, follow=True)
    body = response.content.decode()
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("q", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE ledger_task; --"])
def test_sql_looking_search_is_just_text(world, client, q):
    client.force_login(world.admin)
    response = client.get("/ledger/", {"q": q})
    assert response.status_code == 200
    assert Task.objects.count() == 14


@pytest.mark.parametrize(
    "params",
    [
        {"city": "abc"},
        {"unit": "-1"},
        {"status": "nope"},
        {"sort": "password"},
        {"page": "999999"},
        {"page": "x"},
        {"q": "x" * 5000},
    ],
)
def test_malformed_ledger_filters_do_not_fail(world, client, params):
    client.force_login(world.admin)
    assert client.get("/ledger/", params).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"period": "2024-03", "status": "推进中", "narrative": ""},
        {"period": "2024-03", "status": "推进中", "narrative": "x", "target_%d": "abc"},
        {"period": "<script>", "status": "推进中", "narrative": "x"},
    ],
)
def test_bad_report_form_is_refused(world, client, data):
    target = world.task_a.targets.get()
    data = {k.replace("%d", str(target.pk)): v for k, v in data.items()}
    client.force_login(world.reporter_a)
    response = client.post(f"/tasks/{world.task_a.pk}/report/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "version": 1},
        {"title": "x", "version": "abc"},
        {"title": "x", "version": 1, "deadline": "2024-02-30"},
        {"title": "x", "version": 1, "domain": "黑客"},
    ],
)
def test_bad_task_edit_is_refused(world, client, data):
    client.force_login(world.office_a)
    response = client.post(f"/tasks/{world.task_a.pk}/edit/", {"domain": "交通", **data})
    assert response.status_code == 400
    task = Task.objects.get(pk=world.task_a.pk)
    assert (task.title, task.version) == ("加快轨道交通建设", 1)


def test_unknown_unit_mapping_to_a_missing_unit_is_refused(world, client):
    client.force_login(world.office_a)
    text = "一、工作\n（一）开展研究。（牵头单位：市新设局）\n"
    client.post("/import/", {"file": SimpleUploadedFile("x.txt", text.encode())})
    session = ImportSession.objects.latest("pk")
    response = client.post(
        f"/import/{session.pk}/", {"unitname_0": "市新设局", "unitmap_0": "999999", "commit": "1"}
    )
    assert response.status_code == 400
    assert Plan.objects.count() == 2
