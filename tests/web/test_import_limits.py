"""An uploaded plan is read within bounds: no part of a Word or Excel file inflates past its cap,
and the reading runs in a worker process that is stopped past its time or memory limit."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from luoshi.ledger import importing
from luoshi.ledger.models import ImportSession
from luoshi.ledger.uploads import MAX_PART, MAX_RATIO
from tests.web.world import upload

pytestmark = pytest.mark.django_db


def docx_inflating_to(size: int) -> bytes:
    """A .docx whose document.xml inflates to ``size`` bytes at a ratio well under MAX_RATIO."""
    block_count = size // 316
    body = b"".join(os.urandom(8).hex().encode() + b"a" * 300 for _ in range(block_count))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + body + b"</w:document>")
    return buf.getvalue()


def test_a_docx_part_inflating_past_its_cap_is_refused_even_at_a_modest_ratio(world, login):
    data = docx_inflating_to(MAX_PART + 8 * 1024 * 1024)
    assert len(data) * MAX_RATIO > MAX_PART + 8 * 1024 * 1024  # the ratio check alone lets it through
    before = ImportSession.objects.count()
    response = login(world.office_a).post("/import/", {"file": SimpleUploadedFile("plan.docx", data)})
    assert response.status_code == 400 and "解压后过大" in response.content.decode()
    assert ImportSession.objects.count() == before


NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
            "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]  # fmt: skip


def long_plan(items: int) -> str:
    """About ``items`` items: 20 sections (一、) of 10 groups (（一）) of numbered tasks."""
    lines = ["某市年度工作方案"]
    for a in range(1, 21):
        lines.append(f"{NUMERALS[a - 1]}、第{a}方面工作")
        for b in range(1, 11):
            lines.append(f"（{NUMERALS[b - 1]}）第{b}组")
            lines += [f"{k}.完成第{a}方面第{b}组第{k}项任务，新增项目{k}个以上。（牵头单位：市发展改革局）"
                      for k in range(1, items // 200 + 1)]
    return "\n".join(lines) + "\n"


@override_settings(IMPORT_PARSE_SECONDS=1)
def test_reading_that_runs_past_its_time_is_stopped_and_nothing_is_kept(world):
    before = ImportSession.objects.count()
    with pytest.raises(importing.ImportFailed, match="秒内未能读完"):
        importing.start_import(upload(long_plan(20_000), "long.txt"), world.office_a)
    assert ImportSession.objects.count() == before


@override_settings(IMPORT_PARSE_MEMORY_BYTES=128 * 1024 * 1024, MAX_UPLOAD_BYTES=50 * 1024 * 1024)
def test_reading_that_needs_more_memory_than_allowed_is_stopped(world):
    before = ImportSession.objects.count()
    with pytest.raises(importing.ImportFailed, match="内存超出限制|意外退出"):
        importing.start_import(upload(long_plan(40_000), "big.txt"), world.office_a)
    assert ImportSession.objects.count() == before


def test_a_plan_within_the_limits_is_read_whole(world):
    session = importing.start_import(upload(long_plan(2_000), "fine.txt"), world.office_a)
    assert len(importing.flatten(session.data["items"])) > 2000
