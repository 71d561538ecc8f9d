"""Reading plan files into text: encodings, web pages, Word, Excel, PDF, and hostile input."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from luoshi.textplan import readers
from luoshi.textplan.errors import InternalError, ReadError
from luoshi.textplan.readers import decode_bytes, read_document
from luoshi.textplan.tables import chinese_number, table_lines

PLAN = (
    "关于印发推进都市圈建设工作方案的通知\n"
    "一、推进规划对接（牵头单位：市发展改革局）\n"
    "（一）编制都市圈规划。2024年6月底前完成。\n"
    "（二）加强交通基础设施互联互通，提升公共服务共建共享水平。\n"
    "二、保障措施\n"
)
PLAN_TRADITIONAL = (
    "關於印發推進都市圈建設工作方案的通知\n"
    "一、推進規劃對接（牽頭單位：市發展改革局）\n"
    "（一）編制都市圈規劃。2024年6月底前完成。\n"
    "（二）加強交通基礎設施互聯互通，提升公共服務共建共享水平。\n"
)

# The table-form plan of the brief and the prose it must read as.
TABLE_TITLE = "2024年工作任务分工方案"
TABLE_HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
TABLE_PROSE = [
    TABLE_TITLE,
    "一、规划对接",
    "1.编制都市圈规划，报市政府审定（牵头单位：市发展改革局；配合单位：市自然资源局；完成时限：2024年6月底前）",
    "2.推进跨市交通规划衔接（牵头单位：市交通运输局；配合单位：市发展改革局；完成时限：2024年12月底前）",
    "3.建立规划协调机制（牵头单位：市交通运输局；完成时限：长期坚持）",
    "二、提升公共服务",
    "1.推动医疗资源共享（牵头单位：市卫生健康委；完成时限：2024年底前）",
]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def read_lines(path: Path) -> list[str]:
    return read_document(path).splitlines()


def refused(path: Path) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert path.name in str(info.value)
    assert "\n" not in str(info.value)
    return info.value


# --- plain text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", PLAN),
        ("utf-8-sig", PLAN),
        ("gb18030", PLAN + "𠀀㐀鿋\n"),  # characters only GB18030 has
        ("gbk", PLAN),
        ("gb2312", PLAN),
        ("big5", PLAN_TRADITIONAL),
        ("cp950", PLAN_TRADITIONAL),
        ("utf-16", PLAN),
        ("utf-16-be", "\ufeff" + PLAN),
        ("utf-32", PLAN),
    ],
)
def test_text_encodings_decode_exactly(tmp_path: Path, encoding: str, text: str) -> None:
    path = write(tmp_path, f"plan-{encoding}.txt", text.encode(encoding))
    assert read_document(path) == text.removeprefix("\ufeff")


@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_short_text_still_detected(encoding: str) -> None:
    text = "一、推进规划对接" if encoding == "gbk" else "一、推進規劃對接"
    assert decode_bytes(text.encode(encoding)) == text


def test_bomless_utf16_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.txt", "Plan 一、推进规划对接\r\n二、保障措施\r\n".encode("utf-16-le"))
    assert read_document(path) == "Plan 一、推进规划对接\n二、保障措施\n"


def test_extension_is_only_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", PLAN.encode("gbk"))
    assert read_document(path) == PLAN


def test_stray_byte_in_utf8_does_not_turn_it_into_gb18030() -> None:
    data = PLAN.encode("utf-8") + b"\xff" + PLAN.encode("utf-8")
    assert decode_bytes(data) == PLAN + "\ufffd" + PLAN


def test_decode_bytes_refuses_binary() -> None:
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03" * 100)


# --- html -----------------------------------------------------------------------------------

ARTICLE = [
    "为加快推进都市圈建设，制定本方案。",
    "一、推进规划对接",
    "（一）编制都市圈规划。由市发展改革局牵头，2024年6月底前完成。",
    "（二）推进交通互联互通。加快城际铁路建设，新增公交线路10条。",
    "二、保障措施",
]


def government_page(charset: str = "utf-8", meta: str = '<meta charset="{charset}">') -> str:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in ARTICLE)
    return f"""<!DOCTYPE html>
<html><head>{meta.format(charset=charset)}
<title>关于印发都市圈建设工作方案的通知_政务公开_某市人民政府</title>
<script>var nav = "首页";</script><style>.nav {{ color: red }}</style></head>
<body>
<div class="header"><div class="logo">某市人民政府门户网站</div>
  <ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
  <li><a href="/hd">政民互动</a></li></ul></div>
<div class="breadcrumb">您当前的位置: <a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="main">
  <div class="article">
    <h1 class="title">关于印发都市圈建设工作方案的通知</h1>
    <div class="info">发布日期：2021-08-23　来源：市政府办公室　<span>【字号：大 中 小】</span></div>
    <div class="bdshare">分享到：<a>微信</a><a>微博</a></div>
    <div class="content" id="zoom">
      {paragraphs}
    </div>
    <div class="pager"><a href="/a1">上一篇：关于做好防汛工作的通知</a>
      <a href="/a2">下一篇：关于开展安全生产检查的通知</a></div>
    <div>【打印本页】【关闭窗口】</div>
  </div>
  <div class="sidebar"><h3>相关文章</h3><ul><li><a>关于某某工作的通知</a></li></ul></div>
</div>
<div class="footer">版权所有：某市人民政府办公室　网站标识码：1234567890　粤ICP备12345678号</div>
</body></html>"""


FURNITURE = [
    "首页",
    "政务公开",
    "政民互动",
    "您当前的位置",
    "分享到",
    "微信",
    "上一篇",
    "下一篇",
    "防汛",
    "版权所有",
]
FURNITURE += ["网站标识码", "相关文章", "字号", "打印", "关闭窗口", "var nav", "color"]


def test_html_keeps_article_and_drops_furniture(tmp_path: Path) -> None:
    path = write(tmp_path, "page.html", government_page())
    text = read_document(path)
    lines = text.splitlines()
    assert lines == ["关于印发都市圈建设工作方案的通知", "发布日期：2021-08-23 来源：市政府办公室", *ARTICLE]
    for word in FURNITURE:
        assert word not in text


@pytest.mark.parametrize(
    "meta",
    ['<meta charset="{charset}">', '<meta http-equiv="Content-Type" content="text/html; charset={charset}">'],
)
def test_html_declared_gb2312_with_gbk_characters(tmp_path: Path, meta: str) -> None:
    page = government_page("gb2312", meta).replace("市政府办公室", "市政府办公室（朱镕基路）")
    path = write(tmp_path, "page.htm", page.encode("gbk"))
    text = read_document(path)
    assert "来源：市政府办公室（朱镕基路）" in text
    assert text.splitlines()[2:] == ARTICLE


def test_html_without_meta_is_detected(tmp_path: Path) -> None:
    page = government_page(meta="")
    path = write(tmp_path, "page.txt", page.encode("gb18030"))
    assert read_document(path).splitlines()[2:] == ARTICLE


def test_html_br_separated_article(tmp_path: Path) -> None:
    body = "<br>\n".join(ARTICLE * 3)
    page = (
        '<html><head><meta charset="utf-8"><title>方案</title></head><body><table><tr>'
        '<td class="nav"><a>首页</a> <a>机构设置</a></td></tr><tr><td>'
        f'<div id="zoom">{body}</div></td></tr></table></body></html>'
    )
    path = write(tmp_path, "page.html", page)
    assert read_lines(path) == ["方案", *ARTICLE * 3]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # paragraphs as leaf divs next to a column of plain-text menu entries
            "<html><head><title>工作方案</title></head><body><div class='left'><div>热点专题</div>"
            "<div>政策解读</div></div><div class='right'><h1>某区推进都市圈建设工作方案</h1>"
            "<div class='xx'>发布时间：2024-01-02 10:00</div><div>一、总体要求</div>"
            "<div>坚持规划引领，推动区域协调发展，提升综合承载能力。</div><div>二、重点任务</div>"
            "<div>（一）推进规划对接。编制都市圈发展规划，加强与周边城市衔接。</div></div></body></html>",
            [
                "某区推进都市圈建设工作方案",
                "发布时间：2024-01-02 10:00",
                "一、总体要求",
                "坚持规划引领，推动区域协调发展，提升综合承载能力。",
                "二、重点任务",
                "（一）推进规划对接。编制都市圈发展规划，加强与周边城市衔接。",
            ],
        ),
        (  # paragraphs straight in <body> after an unmarked menu list
            "<html><body><ul><li><a>首页</a></li><li><a>新闻</a></li></ul><p>一、总体\n要求</p>"
            "<p>坚持规划引领，推动区域协调发展。</p><p>二、重点任务</p></body></html>",
            ["一、总体要求", "坚持规划引领，推动区域协调发展。", "二、重点任务"],
        ),
        (  # XHTML with an XML declaration
            '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
            "<div class='content'><p>一、总体要求</p><p>坚持规划引领。</p></div></body></html>",
            ["一、总体要求", "坚持规划引领。"],
        ),
    ],
)
def test_html_page_shapes(tmp_path: Path, page: str, expected: list[str]) -> None:
    assert read_lines(write(tmp_path, "page.html", page)) == expected


def test_html_task_table_becomes_prose(tmp_path: Path) -> None:
    rows = "".join(
        [
            "<tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>",
            '<tr><td colspan="5">一、规划对接</td></tr>',
            "<tr><td>1</td><td>编制都市圈规划，<br>报市政府审定</td><td>市发展改革局</td>"
            "<td>市自然资源局</td><td>2024年6月底前</td></tr>",
            '<tr><td>2</td><td>推进跨市交通规划衔接</td><td rowspan="2">市交通运输局</td>'
            "<td>市发展改革局</td><td>2024年12月底前</td></tr>",
            "<tr><td>3</td><td>建立规划协调机制</td><td></td><td>长期坚持</td></tr>",
            '<tr><td colspan="5">提升公共服务</td></tr>',
            "<tr><td>1</td><td>推动医疗资源共享</td><td>市卫生健康委</td><td></td><td>2024年底前</td></tr>",
        ]
    )
    page = f"<html><body><div class='content'><p>{TABLE_TITLE}</p><table>{rows}</table></div></body></html>"
    path = write(tmp_path, "ledger.html", page)
    assert read_lines(path) == TABLE_PROSE


# --- docx -----------------------------------------------------------------------------------


def prose_docx(lines: list[str]):
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return document


def table_docx():
    """The brief's table-form plan, with a merged section row and a vertically merged lead cell."""
    import docx

    document = docx.Document()
    document.add_paragraph(TABLE_TITLE)
    document.sections[0].header.paragraphs[0].text = "页眉：某市人民政府"
    document.sections[0].footer.paragraphs[0].text = "页脚：第1页"
    table = document.add_table(rows=7, cols=5)
    data = [
        TABLE_HEADER,
        None,
        ["1", "编制都市圈规划，", "市发展改革局", "市自然资源局", "2024年6月底前"],
        ["2", "推进跨市交通规划衔接", "市交通运输局", "市发展改革局", "2024年12月底前"],
        ["3", "建立规划协调机制", "", "", "长期坚持"],
        None,
        ["", "推动医疗资源共享", "市卫生健康委", "", "2024年底前"],
    ]
    for r, values in enumerate(data):
        for c, value in enumerate(values or []):
            table.cell(r, c).text = value
    table.cell(2, 1).add_paragraph("报市政府审定")
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、规划对接"
    table.cell(5, 0).merge(table.cell(5, 4)).text = "提升公共服务"
    table.cell(3, 2).merge(table.cell(4, 2)).text = "市交通运输局"
    return document


def save(document, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def test_docx_prose(tmp_path: Path) -> None:
    lines = PLAN.splitlines()
    document = prose_docx(lines[:2] + [""] + lines[2:])
    assert read_lines(save(document, tmp_path, "plan.docx")) == lines


def test_docx_table_reads_as_prose(tmp_path: Path) -> None:
    assert read_lines(save(table_docx(), tmp_path, "table.docx")) == TABLE_PROSE


def test_docx_table_and_prose_agree(tmp_path: Path) -> None:
    from_table = read_document(save(table_docx(), tmp_path, "table.docx"))
    from_prose = read_document(save(prose_docx(TABLE_PROSE), tmp_path, "prose.docx"))
    assert from_table == from_prose


def test_docx_paragraphs_and_tables_interleave(tmp_path: Path) -> None:
    document = table_docx()
    document.add_paragraph("三、保障措施")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "附件：任务清单"
    lines = read_lines(save(document, tmp_path, "mixed.docx"))
    assert lines == [*TABLE_PROSE, "三、保障措施", "附件：任务清单"]


def test_docx_word_auto_numbering(tmp_path: Path) -> None:
    """Numbers Word draws itself (一、 （一） 1.) appear in the text as a reader would see them."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    document = prose_docx([])
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvl_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    paragraphs = [(0, "推进规划对接"), (1, "编制规划"), (2, "开展调研"), (2, "形成初稿"), (1, "加强衔接")]
    paragraphs += [(0, "保障措施")]
    for ilvl, text in paragraphs:
        p = document.add_paragraph(text)._p
        p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>')
        )
    assert read_lines(save(document, tmp_path, "numbered.docx")) == [
        "一、推进规划对接",
        "（一）编制规划",
        "1.开展调研",
        "2.形成初稿",
        "（二）加强衔接",
        "二、保障措施",
    ]


# --- xlsx -----------------------------------------------------------------------------------


def ledger_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([TABLE_TITLE])
    sheet.merge_cells("A1:E1")
    sheet.append(TABLE_HEADER)
    sheet.append(["一、规划对接"])
    sheet.merge_cells("A3:E3")
    sheet.append([1, "编制都市圈规划，\n报市政府审定", "市发展改革局", "市自然资源局", "2024年6月底前"])
    sheet.append([2, "推进跨市交通规划衔接", "市交通运输局", "市发展改革局", "2024年12月底前"])
    sheet.append([3, "建立规划协调机制", None, None, "长期坚持"])
    sheet.merge_cells("C5:C6")
    sheet.append(["提升公共服务"])
    sheet.merge_cells("A7:E7")
    sheet.append([1.0, "推动医疗资源共享", "市卫生健康委", None, "2024年底前"])
    hidden = workbook.create_sheet("选项")
    hidden.append(["市发展改革局"])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_xlsx_ledger_reads_as_prose(tmp_path: Path) -> None:
    assert read_lines(ledger_xlsx(tmp_path / "ledger.xlsx")) == TABLE_PROSE


def test_xlsx_large_file_streams_without_merges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "SMALL_XLSX", 0)
    lines = read_lines(ledger_xlsx(tmp_path / "ledger.xlsx"))
    # Without merge information the lead of row 3 is unknown, everything else is the same.
    assert lines[:4] == TABLE_PROSE[:4]
    assert lines[4] == "3.建立规划协调机制（完成时限：长期坚持）"
    assert lines[5] == "二、提升公共服务"


def test_xlsx_dates_and_numbers(tmp_path: Path) -> None:
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "工作任务", "目标", "完成时间"])
    sheet.append([1, "新增停车位", 1500.0, datetime.datetime(2024, 6, 30)])
    sheet.append([2, "改造管网", 12.5, datetime.date(2024, 12, 31)])
    workbook.save(tmp_path / "dates.xlsx")
    assert read_lines(tmp_path / "dates.xlsx") == [
        "1.新增停车位（目标：1500；完成时限：2024-06-30）",
        "2.改造管网（目标：12.5；完成时限：2024-12-31）",
    ]


# --- tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # category column, quarter milestones, target, enumerated labels kept
            [
                ["领域", "序号", "重点任务", "牵头单位", "目标", "一季度", "第四季度"],
                ["交通", "（一）", "建设城际铁路", "市交通局", "新增线路2条", "开工", "通车"],
                ["交通", "3、", "优化公交线网", "市交通局", "", "", ""],
                ["教育", "", "新建学校", "市教育局", "", "", ""],
            ],
            [
                "一、交通",
                "（一）建设城际铁路（牵头单位：市交通局；目标：新增线路2条；一季度：开工；四季度：通车）",
                "3、优化公交线网（牵头单位：市交通局）",
                "二、教育",
                "1.新建学校（牵头单位：市教育局）",
            ],
        ),
        (  # two task columns: the first groups rows, but numbered on by 序号 it is no level of its
            # own; unknown columns are kept in a note of their own, apart from the units
            [
                ["序号", "重点任务", "具体措施", "责任单位", "备注"],
                ["1", "规划对接", "编制规划", "市发展改革局", "重点"],
                ["2", "规划对接", "衔接规划", "市自然资源局", ""],
            ],
            [
                "规划对接",
                "1.编制规划（责任单位：市发展改革局）（备注：重点）",
                "2.衔接规划（责任单位：市自然资源局）",
            ],
        ),
        (  # 序号 一 with a title and no owner is a section row; with an owner it is a task
            [
                ["序号", "工作内容", "牵头单位"],
                ["一", "规划对接", ""],
                ["1", "编制规划", "市发展改革局"],
                ["二", "公共服务", "市卫生健康委"],
            ],
            [
                "一、规划对接",
                "1.编制规划（牵头单位：市发展改革局）",
                "二、公共服务（牵头单位：市卫生健康委）",
            ],
        ),
        (  # two header rows, a repeated header on the next page, one cell across lead and support
            [
                ["序号", "工作任务", "牵头单位", "配合单位", "进度安排", "进度安排"],
                ["序号", "工作任务", "牵头单位", "配合单位", "上半年", "第四季度"],
                ["1", "编制规划", "市发展改革局", "市发展改革局", "启动", "完成"],
                ["序号", "工作任务", "牵头单位", "配合单位", "进度安排", "进度安排"],
                ["序号", "工作任务", "牵头单位", "配合单位", "上半年", "第四季度"],
                ["2", "衔接规划", "市自然资源局", "", "", "完成"],
            ],
            [
                "1.编制规划（牵头单位：市发展改革局；四季度：完成；上半年：启动）",
                "2.衔接规划（牵头单位：市自然资源局；四季度：完成）",
            ],
        ),
        (  # no task column: tab-separated rows, merged repeats said once
            [["姓名", "职务"], ["张三", "组长"], ["说明文字", "说明文字"]],
            ["姓名\t职务", "张三\t组长", "说明文字"],
        ),
        ([["工作任务", "完成时限"], ["编制规划", "6月底前"]], ["1.编制规划（完成时限：6月底前）"]),
        (  # a ledger's own columns (how the work stands) stay out of the task; a section keeps its status
            [
                ["序号", "方案", "任务", "牵头单位", "所属领域", "状态", "亮灯", "序时进度", "最新进展"],
                ["一、", "甲方案", "交通互联", "", "交通", "未启动", "", "", ""],
                ["（一）", "甲方案", "建设城际铁路", "市交通局", "交通", "推进中", "红灯", "35%", "开工"],
            ],
            ["一、交通互联", "（一）建设城际铁路（牵头单位：市交通局）"],
        ),
        (  # zero-padded numbers are a numbering of their own, kept as written
            [
                ["序号", "重点任务", "牵头单位"],
                ["01", "建设创新平台", "市科技局"],
                ["2", "引进人才", "市人社局"],
            ],
            ["01建设创新平台（牵头单位：市科技局）", "2.引进人才（牵头单位：市人社局）"],
        ),
        ([["任务"], ["编制规划"]], ["任务", "编制规划"]),  # one column: a framed box, not a task list
    ],
)
def test_table_lines(rows: list[list[str]], expected: list[str]) -> None:
    assert table_lines(rows) == expected


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (23, "二十三"), (105, "一百零五")]
)
def test_chinese_number(n: int, text: str) -> None:
    assert chinese_number(n) == text


# --- pdf ------------------------------------------------------------------------------------

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
PDF_PAGES = [
    ["一、推进规划对接", "（一）编制都市圈规划，2024年6月底前完成。"],
    ["（二）加强交通基础设施互联互通。", "二、提升公共服务"],
    ["（一）推动医疗资源共享。", "三、保障措施"],
]


def cjk_font() -> str:
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        for line in listed.splitlines():
            path = line.split(":")[0].strip()
            if path.endswith((".ttf", ".ttc", ".otf")):
                return path
    pytest.skip("no CJK font installed (Debian: fonts-wqy-zenhei)")


def make_pdf(pages: list[list[str]], running_header: bool = True) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    font = cjk_font()

    class Plan(fpdf.FPDF):
        def header(self) -> None:
            if running_header:
                self.set_font("cjk", size=9)
                self.cell(0, 8, "某市人民政府办公室文件", align="C")
                self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Plan()
    pdf.add_font("cjk", fname=font)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_text_without_page_furniture(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", make_pdf(PDF_PAGES))
    assert read_lines(path) == [line for page in PDF_PAGES for line in page]


def test_pdf_page_numbers_dropped_on_short_documents(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", make_pdf(PDF_PAGES[:1], running_header=False))
    assert read_lines(path) == PDF_PAGES[0]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a scan is an image; a filled box has no text either
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    assert "没有文字层" in refused(path).reason


def test_pdf_with_user_password(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret", encryption_method="RC4")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "secret plan")
    path = write(tmp_path, "locked.pdf", bytes(pdf.output()))
    assert "加密" in refused(path).reason


@pytest.mark.parametrize("method", ["RC4", "AES_128", "AES_256"])
def test_pdf_with_owner_password_only_is_read(tmp_path: Path, method: str) -> None:
    """Copy-protected government PDFs open with an empty user password."""
    fpdf = pytest.importorskip("fpdf")
    from fpdf.enums import EncryptionMethod

    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", encryption_method=EncryptionMethod[method])
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Plan for 2024")
    path = write(tmp_path, "restricted.pdf", bytes(pdf.output()))
    assert read_document(path) == "Plan for 2024"


# --- hostile and broken input ---------------------------------------------------------------


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    prose_docx(PLAN.splitlines()).save(buf)
    return buf.getvalue()


def zip_with_member(path: Path, size: int, name: str = "word/document.xml") -> Path:
    """A docx-looking zip with one member of `size` zero bytes, written without holding it in memory."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(name, "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b" \r\n\t\n\xe3\x80\x80\n", "文件为空"),
        ("blank16.txt", "\ufeff  \n".encode("utf-16-le"), "文件为空"),
        ("noise.txt", os.urandom(4096), "binary"),
        ("noise.docx", os.urandom(4096), "binary"),
        ("controls.txt", bytes(range(1, 32)) * 20, "binary"),
        ("truncated.docx", docx_bytes()[:500], "损坏"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>\n%%EOF garbage", "PDF"),
        ("other.zip", None, "zip"),
    ],
)
def test_broken_input_is_refused(tmp_path: Path, name: str, content: bytes | None, reason: str) -> None:
    if content is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("readme.txt", "hello")
        content = buf.getvalue()
    assert reason in refused(write(tmp_path, name, content)).reason


def test_docx_that_is_really_text(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "plan.docx", PLAN.encode("gbk"))) == PLAN


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    path = zip_with_member(tmp_path / "bomb.docx", 300 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "zip 炸弹" in refused(path).reason


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = zip_with_member(tmp_path / "bomb.xlsx", 20 * 1024 * 1024, name="xl/workbook.xml")
    assert "压缩比" in refused(path).reason


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LUOSHI_MAX_BYTES", raising=False)
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    path = write(tmp_path, "big.txt", PLAN * 10)
    assert "文件过大" in refused(path).reason
    assert read_document(write(tmp_path, "small.txt", "一、推进规划对接\n")) == "一、推进规划对接\n"


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "50")
    assert "文件过大" in refused(write(tmp_path, "big.txt", PLAN)).reason


def test_missing_path(tmp_path: Path) -> None:
    assert "不存在" in refused(tmp_path / "nowhere.docx").reason


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "plans.docx"
    folder.mkdir()
    assert "目录" in refused(folder).reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "plan.txt"
    os.mkfifo(pipe)
    assert "不是普通文件" in refused(pipe).reason


def test_library_failures_become_read_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(data: bytes) -> str:
        raise KeyError("word/document.xml")

    monkeypatch.setitem(readers.EXTRACTORS, "docx", boom)
    path = write(tmp_path, "plan.docx", docx_bytes())
    assert "Word" in refused(path).reason


def test_a_failure_in_our_own_code_is_an_internal_error_not_a_corrupt_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def defective(data: bytes) -> str:
        return "\n".join(table_lines(None))  # the table code fails on what it is handed

    monkeypatch.setitem(readers.EXTRACTORS, "docx", defective)
    path = write(tmp_path, "plan.docx", docx_bytes())
    with caplog.at_level(logging.ERROR, logger="luoshi.textplan.readers"):
        error = refused(path)
    assert isinstance(error, InternalError)
    assert "内部错误" in error.reason and "损坏" not in error.reason
    assert "Traceback" in caplog.text and "table_lines" in caplog.text
