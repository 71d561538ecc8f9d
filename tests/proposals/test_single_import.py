"""One proposal read from a .docx or .txt file into the registration form: the fields found, and
every kind of bad file refused with a reason and nothing registered."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from luoshi.proposals import single
from luoshi.proposals.models import Proposal

pytestmark = pytest.mark.django_db

TEXT = """政协深圳市第七届委员会第四次会议
提案
第125255号
案由：关于加快深中通道两岸产业协同发展的提案
提案人：张三
联名人：李四、王五
界别：民盟
理由：
深中通道通车后，两岸产业协同仍处于起步阶段。
建议：
一、编制两岸产业协同发展规划。
二、建立常态化联席会议机制。
"""


def docx_bytes(lines: list[str]) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_text_file_in_any_common_encoding_gives_the_fields(encoding):
    f = single.read(TEXT.encode(encoding))
    assert (f.title, f.proposer, f.cosigners, f.group, f.number) == (
        "关于加快深中通道两岸产业协同发展的提案",
        "张三",
        ["李四", "王五"],
        "民盟",
        "125255",
    )
    assert f.reason == "深中通道通车后，两岸产业协同仍处于起步阶段。"
    assert f.advice.splitlines() == ["一、编制两岸产业协同发展规划。", "二、建立常态化联席会议机制。"]
    assert f.missing == []


def test_a_word_file_with_headings_and_a_title_line():
    data = docx_bytes(
        [
            "关于建设跨城公交线路的建议",
            "领衔代表：王五",
            "代表团：南山代表团",
            "一、存在的问题",
            "跨城通勤时间长。",
            "二、对策建议",
            "开通跨城公交线路。",
        ]
    )
    f = single.read(data)
    assert (f.title, f.proposer, f.group) == ("关于建设跨城公交线路的建议", "王五", "南山代表团")
    assert (f.reason, f.advice) == ("跨城通勤时间长。", "开通跨城公交线路。")
    assert single.registration_text(f) == "案由：\n跨城通勤时间长。\n\n建议：\n开通跨城公交线路。"


def test_what_is_not_found_is_named():
    f = single.parse("关于改善营商环境的提案\n正文没有分节。")
    assert f.title == "关于改善营商环境的提案" and f.missing == ["提案人", "案由（理由）部分", "建议部分"]
    assert single.registration_text(f) == "关于改善营商环境的提案\n正文没有分节。"


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    return out.getvalue()


def not_word_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "你好")
    return out.getvalue()


BAD = [
    ("empty", b"", "文件为空"),
    ("blank", b" \n\t \n", "文件为空"),
    ("huge", b"a" * (single.MAX_BYTES + 1), "文件过大"),
    ("binary", os.urandom(4096), ""),
    ("zip bomb", zip_bomb(), "zip 炸弹"),
    ("damaged zip", b"PK\x03\x04" + b"\0" * 100, "损坏"),
    ("zip, not Word", not_word_zip(), "不是 Word 文档"),
    ("pdf", b"%PDF-1.4\n%..." + b"x" * 100, "只能读取 .docx 或 .txt"),
    ("old .doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "只能读取 .docx 或 .txt"),
]


@pytest.mark.parametrize("name,data,reason", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(single.ProposalFileError) as e:
        single.read(data)
    assert reason in str(e.value) and str(e.value)


def test_the_committee_reads_a_file_into_the_form_then_registers(people, login, day):
    client = login(people.committee)
    upload = SimpleUploadedFile("提案.docx", docx_bytes(TEXT.splitlines()))
    response = client.post("/proposals/new/read/", {"file": upload, "session": "十二届五次"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="found"' in page
    assert 'value="关于加快深中通道两岸产业协同发展的提案"' in page and 'value="张三"' in page
    assert (
        'value="李四、王五"' in page
        and 'value="十二届五次"' in page
        and "二、建立常态化联席会议机制。" in page
    )
    assert not Proposal.objects.exists()  # reading registers nothing


@pytest.mark.parametrize("name,data,reason", BAD, ids=[b[0] for b in BAD])
def test_a_bad_upload_changes_nothing(people, login, day, name, data, reason):
    response = login(people.committee).post(
        "/proposals/new/read/", {"file": SimpleUploadedFile("x.docx", data)}
    )
    assert response.status_code == 400
    assert "无法读取提案文件" in response.content.decode()
    assert not Proposal.objects.exists()


def test_no_file_is_refused(people, login):
    response = login(people.committee).post("/proposals/new/read/", {})
    assert response.status_code == 400 and "请选择提案文件" in response.content.decode()


@pytest.mark.parametrize("who", ["office_a", "lead", "member", "leader"])
def test_only_the_committee_and_admins_read_files(people, login, who):
    upload = SimpleUploadedFile("x.txt", TEXT.encode())
    assert login(getattr(people, who)).post("/proposals/new/read/", {"file": upload}).status_code == 403
