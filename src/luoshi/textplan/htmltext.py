"""Article text of a web page saved from a government site, without the site's furniture."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import lxml.html
from lxml import etree

from luoshi.textplan.tables import table_lines

BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl"),
        *("dt", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul"),
    }
)
# Elements that hold text directly and pass it to the container they sit in.
CONTAINERS = frozenset(
    ("article", "blockquote", "body", "center", "div", "form", "main", "section", "td", "th")
)
DROP_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "select"),
    *("option", "button", "input", "textarea", "map", "video", "audio", "nav", "header", "footer", "aside"),
)
# Site furniture by id/class; generic words only count as whole tokens so that
# class="preview" or "context" survive.
FURNITURE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|share|position|sidebar|pager|pagination|copyright|"
    r"bread|location|weizhi|dqwz|fenxiang|bdshare|jiathis|toolbar|topbar|banner|related|xgwz|xglj|"
    r"(?:^|[-_\s])(?:prev|next|print|foot|side|search|login|links?|dh|gotop)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
TITLE_CLASS = re.compile(r"title|biaoti|(?:^|[-_\s])bt(?:$|[-_\s\d])", re.IGNORECASE)
# Whole lines that are site furniture whatever element they sit in.
FURNITURE_LINE = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)|(?:当前|所在)的?位置\s*[:：]|^首页\s*[>＞»]|^分享到|"
    r"版权所有|ICP备|网站标识码|公网安备|^扫一扫|^相关(?:链接|文章|阅读|稿件|附件下载)\s*$|"
    r"^[【\[]?(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|返回)[】\]]?$"
)
FURNITURE_BITS = re.compile(
    r"[【\[]?字号\s*[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?[】\]]?|"
    r"[【\[](?:打印本页|打印|关闭窗口|关闭|收藏|纠错)[】\]]|打印本页|关闭窗口|"
    r"(?:浏览|阅读|点击|访问)(?:次数|量|数)\s*[:：]\s*\d*"
)
DATE_LINE = re.compile(r"(?:日期|时间)\s*[:：]\s*\d{2,4}|来源\s*[:：]\s*\S|发布机构\s*[:：]\s*\S")
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_CHAR = re.compile("[\u3400-\u9fff]")
CJK_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")
SPACE = re.compile(r"\s+")
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
MAX_SPAN = 64
MAX_COLUMNS = 256
MAX_DATE_LINES = 3
MAX_META_LINE = 200


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first few kilobytes."""
    m = META_CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    # Sites that say gb2312 routinely use GBK characters; GB18030 decodes both.
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
        return "gb18030"
    if name in ("big5", "x-big5"):
        return "cp950"
    return name


def parse_html(text: str) -> etree._Element:
    """Parse page text into an lxml tree."""
    return lxml.html.document_fromstring(XML_DECL.sub("", text, count=1))


def clean_line(text: str) -> str:
    """Collapse whitespace the way a browser does, without spaces between Chinese characters."""
    return CJK_GAP.sub("", SPACE.sub(" ", text).strip())


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _marks(el: etree._Element) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


def _weight(text: str | None) -> int:
    if not text:
        return 0
    cjk = len(CJK_CHAR.findall(text))
    # Pages without Chinese still need a root; letters count less than characters.
    return cjk if cjk else sum(c.isalpha() for c in text) // 4


class _Writer:
    """Collect lines of text, starting a new line at each block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: str | None, pre: bool = False) -> None:
        if not s:
            return
        if not pre:
            self.buf.append(s)
            return
        first, *rest = s.split("\n")
        self.buf.append(first)
        for part in rest:
            self.flush()
            self.buf.append(part)

    def flush(self) -> None:
        line = clean_line("".join(self.buf))
        self.buf = []
        if line:
            self.lines.append(line)


def _write(el: etree._Element, out: _Writer, pre: bool = False) -> None:
    tag = _tag(el)
    if tag == "br":
        out.flush()
        return
    if tag == "table" and not el.xpath(".//table"):
        out.flush()
        out.lines.extend(table_lines(_table_grid(el)))
        return
    block = tag in BLOCKS
    pre = pre or tag == "pre"
    if block:
        out.flush()
    out.text(el.text, pre)
    for child in el:
        if isinstance(child.tag, str):
            _write(child, out, pre)
        out.text(child.tail, pre)
    if block:
        out.flush()


def element_lines(el: etree._Element) -> list[str]:
    """The lines an element shows, one per block."""
    out = _Writer()
    _write(el, out)
    out.flush()
    return out.lines


def _span(el: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(el.get(name, "1")), MAX_SPAN))
    except ValueError:
        return 1


def _table_grid(table: etree._Element) -> list[list[str]]:
    """Cell texts of an HTML table with row and column spans filled in."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        cells = iter(tr.xpath("./td|./th"))
        while True:
            col = len(row)
            if col in pending:
                left, text = pending[col]
                row.append(text)
                if left > 1:
                    pending[col] = (left - 1, text)
                else:
                    del pending[col]
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = "\n".join(element_lines(cell))
            if len(row) >= MAX_COLUMNS:
                break
            for _ in range(_span(cell, "colspan")):
                if (down := _span(cell, "rowspan")) > 1:
                    pending[len(row)] = (down - 1, text)
                row.append(text)
        grid.append(row)
    return grid


def _ancestors(el: etree._Element) -> Iterator[etree._Element]:
    p = el.getparent()
    while p is not None:
        yield p
        p = p.getparent()


def _inside(el: etree._Element, root: etree._Element) -> bool:
    return el is root or any(a is root for a in _ancestors(el))


def _page_title(doc: etree._Element) -> str:
    found = doc.find(".//title")
    if found is None:
        return ""
    text = clean_line(found.text_content())
    # "通知标题_政务公开_某市人民政府": the article title is the first segment.
    for part in re.split(r"[_|｜]|\s[-—–]\s|--", text):
        if len(CJK_CHAR.findall(part)) >= 4:
            return part.strip()
    return text


def _headline(body: etree._Element, page_title: str) -> etree._Element | None:
    """The element that shows the article title: an h1 or a title-classed block matching <title>."""
    best: tuple[tuple[bool, bool, int], etree._Element] | None = None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if _tag(el) not in ("h1", "h2") and not TITLE_CLASS.search(_marks(el)):
            continue
        text = clean_line(el.text_content())
        if not 4 <= len(text) <= 150 or not CJK_CHAR.search(text):
            continue
        if page_title and not (text in page_title or page_title in text):
            continue
        # An h1 first, then the text closest to <title>: a wrapper also holding the date is longer.
        rank = (_tag(el) == "h1", text == page_title, -len(text))
        if best is None or rank > best[0]:
            best = (rank, el)
    return best[1] if best else None


def _meta_candidates(body: etree._Element) -> list[etree._Element]:
    """Smallest blocks whose text reads like 发布日期：… 来源：…, in document order."""
    found: list[etree._Element] = []
    for el in body.iter():
        if _tag(el) not in BLOCKS or _tag(el) in ("body", "table", "tbody", "tr"):
            continue
        text = clean_line(el.text_content())
        if len(text) > MAX_META_LINE or not DATE_LINE.search(text):
            continue
        found = [f for f in found if f not in set(_ancestors(el))]
        found.append(el)
    return found


def _is_furniture(el: etree._Element, total: int) -> bool:
    marks = _marks(el)
    if not marks.strip() or not FURNITURE.search(marks):
        return False
    # A wrapper that happens to be called "header-wrap" but holds the article is not furniture.
    return _text_weight(el) * 2 < total


def _text_weight(el: etree._Element) -> int:
    """Weight of the text under an element, leaving out link text."""
    if _tag(el) == "a":
        return 0
    total = _weight(el.text)
    for child in el:
        if isinstance(child.tag, str):
            total += _text_weight(child)
        total += _weight(child.tail)
    return total


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    # Keep the tail: it belongs to the parent's flow, not to the removed element.
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def strip_furniture(body: etree._Element) -> None:
    """Remove scripts, navigation, headers, footers and share bars in place."""
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(el)
    for el in list(body.iter(*DROP_TAGS)):
        _remove(el)
    total = _text_weight(body)
    for el in list(body.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and _is_furniture(el, total):
            _remove(el)
    for el in list(body.iter("ul", "ol")):
        if el.getparent() is not None and _is_link_list(el):
            _remove(el)


def _is_link_list(el: etree._Element) -> bool:
    """A list of links (menus, 相关文章) with hardly any text of its own."""
    if len(el.findall("li")) < 2:
        return False
    all_text = _weight(el.text_content())
    return all_text > 0 and _text_weight(el) * 5 < all_text


def _block_weights(el: etree._Element, block: etree._Element, in_link: bool, acc: dict) -> None:
    tag = _tag(el)
    if tag in BLOCKS:
        block = el
    in_link = in_link or tag == "a"
    if not in_link:
        acc[block] += _weight(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _block_weights(child, block, in_link, acc)
        if not in_link:
            acc[block] += _weight(child.tail)


def _container(el: etree._Element | None) -> etree._Element | None:
    while el is not None and _tag(el) not in CONTAINERS:
        el = el.getparent()
    return el


def _holds_article_itself(block: etree._Element, weight: int) -> bool:
    # <div id="zoom">text<br>text<br>…</div>: a leaf block that is the whole article.
    return weight >= 200 and len(block.findall("br")) >= 2


def article_root(body: etree._Element) -> etree._Element:
    """The element with the most non-link Chinese text credited to it (paragraphs credit their container)."""
    weights: dict = defaultdict(int)
    _block_weights(body, body, False, weights)
    scores: dict = defaultdict(float)
    for block, weight in weights.items():
        if not weight:
            continue
        leaf = not any(_tag(d) in BLOCKS for d in block.iterdescendants())
        start = block.getparent() if leaf and not _holds_article_itself(block, weight) else block
        target = _container(start)
        if target is None:
            target = body
        scores[target] += weight
        if (up := _container(target.getparent())) is not None:
            scores[up] += weight / 2
    if not scores:
        return body
    return max(scores.items(), key=lambda kv: kv[1])[0]


def _meta_lines(
    candidates: list[etree._Element], root: etree._Element, after: etree._Element | None, order: dict
) -> list[str]:
    """Publication lines that sit above the article, after the headline when there is one."""
    before = [
        el
        for el in candidates
        if el in order and order[el] < order.get(root, -1) and not _inside(el, root) and not _inside(root, el)
    ]
    start = order.get(after, -1) if after is not None else -1
    chosen = [el for el in before if order[el] > start] or before[-1:]
    lines = [t for el in chosen for t in element_lines(el) if DATE_LINE.search(t)]
    return lines[-MAX_DATE_LINES:]


def _drop_furniture_lines(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        line = clean_line(FURNITURE_BITS.sub(" ", line))
        if line and not (len(line) < 80 and FURNITURE_LINE.search(line)):
            out.append(line)
    return out


def html_to_text(text: str) -> str:
    """Article text of a page: title, publication line, then the body, one block per line."""
    doc = parse_html(text)
    title_text = _page_title(doc)
    body = doc.find("body")
    if body is None:
        body = doc
    headline = _headline(body, title_text)
    headline_text = clean_line(headline.text_content()) if headline is not None else title_text
    meta = _meta_candidates(body)
    # Document order before cleaning: the headline and date line may sit in removed furniture.
    order = {el: i for i, el in enumerate(doc.iter())}
    strip_furniture(body)
    root = article_root(body)
    lines = element_lines(root)
    head: list[str] = []
    shown_in_root = headline is not None and _inside(headline, root)
    if headline_text and not shown_in_root and headline_text not in lines[:3]:
        head.append(headline_text)
    head.extend(t for t in _meta_lines(meta, root, headline, order) if t not in lines[:5])
    return "\n".join(_drop_furniture_lines(head + lines))
