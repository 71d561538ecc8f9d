"""Meta cases: the head of real pages → title, issuer, document number, date."""

from __future__ import annotations

from luoshi.textplan import parse_text

BODY = "\n一、总体要求\n（一）指导思想。\n"


def test_a_government_header_block_gives_every_field() -> None:
    head = (
        "索 引 号：\n000014349/2018-00212\n发文机关：\n国务院\n成文日期：\n2018年11月16日\n"
        "标　　题：\n国务院关于做好当前和今后一个时期促进就业工作的若干意见\n发文字号：\n国发〔2018〕39号\n"
        "发布日期：\n2018年12月05日\n"
    )
    m = parse_text(head + BODY).meta
    assert m.title == "国务院关于做好当前和今后一个时期促进就业工作的若干意见"
    assert m.issuer == "国务院"
    assert m.doc_number == "国发〔2018〕39号"
    assert m.date == "2018-11-16"


def test_a_scraped_notice_is_repaired_where_unambiguous() -> None:
    head = (
        "首页 >> 政务公开 >> 计划规划 >> 工作计划\n\n惠州市人民政府办公室关于印发海绵行动提案办理工作方案的通知\n"
        "发布时间:2017-06-02 11:15:00 来源:本网\n惠府办函〔2017100\n各县、区人民政府\n惠州市人民政府办公室\n\n201761\n"
    )
    m = parse_text(head + BODY).meta
    assert m.title == "惠州市人民政府办公室关于印发海绵行动提案办理工作方案的通知"
    assert m.issuer == "惠州市人民政府办公室"
    assert m.doc_number == "惠府办函〔2017〕100号"
    assert m.date == "2017-06-01"


def test_a_news_page_names_its_paper_and_date() -> None:
    head = "您所在的位置:康巴传媒网 >> 新闻 >> 党政要闻\n\n七个关键词看懂成德眉资同城化“棋局”\n\n成都商报    2021年04月15日\n"
    m = parse_text(head + BODY).meta
    assert m.title == "七个关键词看懂成德眉资同城化“棋局”"
    assert m.issuer == "成都商报"
    assert m.date == "2021-04-15"


def test_a_date_in_chinese_numerals_is_read() -> None:
    m = parse_text("某市工作方案\n某市人民政府\n二〇二三年五月\n" + BODY).meta
    assert m.date == "2023-05"
