"""Meta: title, issuer, document number and date, repairing what scraping lost where unambiguous."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from luoshi.textplan.model import Meta
from luoshi.textplan.numerals import cn_to_int
from luoshi.textplan.outline import is_flat
from luoshi.textplan.ruletables import load

_CN_DIGIT = "〇零一二三四五六七八九十"
_DATE_PATTERNS = [
    re.compile(r"((?:19|20)\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?"),
    # 二〇一八年 六月七日: a signature padded with spaces, as the Arabic form above allows
    re.compile(
        rf"([{_CN_DIGIT}]{{4}})\s*年\s*([{_CN_DIGIT}]{{1,3}})\s*月(?:\s*([{_CN_DIGIT}]{{1,3}})\s*日)?"
    ),
]
_DOC_NO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*((?:19|20)\d\d)\s*[〕\]］】)）]\s*(\d{1,4})\s*号"
)
# scraping sometimes drops the closing bracket and 号: 惠府办函〔2017100
_DOC_NO_BROKEN = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【]\s*((?:19|20)\d\d)(\d{1,4})(?![\d〕\]］】号])"
)
_HEAD = 6000  # header fields sit at the top of a page
_LOST_DATE = re.compile(r"^\s*((?:19|20)\d\d)(\d{2,4})\s*$")


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load("meta")


def _field(text: str, names: list[str]) -> str | None:
    """A labelled field of a government site's header: 标　　题：X (same line or the next)."""
    text = text[:_HEAD]
    for name in names:
        bare, labelled = _field_patterns(name)
        if bare is not None and name in text:
            # 发文机关中共安徽省交通运输厅党组: the value follows the label with nothing between
            m = bare.search(text)
            if m and not _next_field().match(m.group(1)):
                value = m.group(1)
                nxt = _next_field().search(value)
                value = (value[: nxt.start()] if nxt else value).strip()
                # 发文机构武汉市人民政府办公厅发文字号武政办〔2020〕1号: the next bare field follows straight on
                for other in _rules()["fields_without_colon"]:
                    at = value.find(other)
                    if at > 0:
                        value = value[:at].strip()
                if value:
                    return value
        if name[0] not in text:
            continue
        m = _first_labelled(labelled, text, name[0])
        if m and m.group(1).strip():
            value = m.group(1).strip().lstrip("|｜ \t　")
            if _ANOTHER_LABEL.match(value):
                continue  # 文 号: 文件分类: 综合政务 / 发布机构: | 生成日期: …: the field is empty
            # in a page whose lines were lost the next field follows straight on
            nxt = _next_field().search(value)
            if nxt:
                value = value[: nxt.start()].strip()
            value = value.rstrip("|｜ \t　")  # 发布机构: | 县政府办公室 | 组配分类: …: a cell of a table
            if value and value not in _rules()["no_value"]:
                return value
    return None


# a field left empty runs into the next field's label: 文 号: 文件分类: …, 发布机构: | 生成日期: …
_ANOTHER_LABEL = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff \t　]{1,7}[：:]")


def _first_labelled(pattern: re.Pattern[str], text: str, first: str) -> re.Match[str] | None:
    """The first match of a label pattern, tried only where the label's first character stands."""
    i = text.find(first)
    while i >= 0:
        m = pattern.match(text, i)
        if m:
            return m
        i = text.find(first, i + 1)
    return None


@lru_cache(maxsize=64)
def _field_patterns(name: str) -> tuple[re.Pattern[str] | None, re.Pattern[str]]:
    bare = None
    if name in _rules()["fields_without_colon"]:
        bare = re.compile(rf"^[ \t　]*{name}[ \t　]*(?![：:\s])([^\n]{{2,60}})$", re.M)
    spaced = r"[ \t　]*".join(name)
    labelled = re.compile(rf"(?<![^\s\u4e00-\u9fff]){spaced}[ \t　]*[：:][ \t　]*\n?[ \t　]*([^\n]+)")
    return bare, labelled


@lru_cache(maxsize=1)
def _next_field() -> re.Pattern[str]:
    r = _rules()
    names = (
        r["title_fields"] + r["issuer_fields"] + r["date_fields"] + r["doc_number_fields"] + r["other_fields"]
    )
    alts = "|".join(r"[ \t　]*".join(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{alts})[ \t　]*(?:[：:]|[ \t　](?=\S))")


def extract(text: str, body_start: int, has_items: bool = False) -> Meta:
    """Read the document's metadata from its head (and its signature at the end).

    ``has_items``: the outline found items; when the first opens the text there is no head, and a
    date in the first item's text (已于2014年5月30日通车) is not the document's."""
    head = text[:body_start] if body_start > 0 or has_items else text[:3000]
    if is_flat(text):
        # a page run onto one line: cut its head where its lines were
        head = "\n".join(
            part for ln in head.split("\n") for part in (_virtual_lines(ln) if len(ln) > 40 else [ln])
        )
    meta = Meta()
    issuers, meta.title = _title(text, head)
    sig = _signature(text)  # the issuer-and-date lines at the foot, read once for both fields
    meta.issuer = _issuer(text, head, meta.title, sig, issuers)
    meta.doc_number = _doc_number(text, head)
    meta.date = _date(text, head, sig)
    return meta


def reference_year(text: str, meta: Meta) -> int | None:
    """The year that 年底前 and 年内 refer to: the document's date, else its title, else its usual year."""
    if meta.date:
        return int(meta.date[:4])
    if meta.title:
        # 三年行动方案（2022—2024年）: a plan over several years starts in the first
        m = re.search(r"((?:19|20)\d\d)(?:年?\s*[—－\-–~～至到]\s*(?:19|20)\d\d)?年", meta.title)
        if m:
            return int(m.group(1))
    years = Counter(re.findall(r"((?:19|20)\d\d)年", text[:20000]))
    return int(years.most_common(1)[0][0]) if years else None


def _lines(head: str) -> list[str]:
    out: list[str] = []
    for ln in head.split("\n"):
        ln = ln.strip()
        if len(ln) > _LONG_LINE:
            out += _virtual_lines(ln)
        elif ln:
            out.append(ln)
    return out


_LONG_LINE = 150


@lru_cache(maxsize=1)
def _line_breaks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Where a page whose lines were lost had its lines: before header fields, document
    numbers, 【tags】 and media names, after a title's last word when a salutation,
    preamble, date, field or number follows, and at runs of spaces, bars and sentence ends."""
    r = _rules()
    media = r["media"].lstrip("^").replace("(?:原创\\s*)?", "").replace("(?:\\1)?", "")
    doc_no = r"[\u4e00-\u9fff]{1,8}\s*[〔\[［]\s*(?:19|20)\d\d"
    follows = rf"为|各|根据|按照|经|现将|一、|（一）|\(一\)|(?:19|20)\d\d[-年]|【|发布|时间|来源|•|\s|{doc_no}"
    after = re.compile(rf"(?:{r['title_words']})》?(?=(?:{follows}))|[。！？!?]|】|号(?=各|[\u4e00-\u9fff]{{2,30}}关于)")
    before = re.compile(rf"{_next_field().pattern}|【|{media}")
    split = re.compile(r"\s{2,}|\s*[|｜•·]\s*")
    return after, before, split


_CRUMB_BEFORE_TITLE = re.compile(r"^[\u4e00-\u9fff]{2,8}[ \t　]+(?=\S{6,})")


def _virtual_lines(line: str) -> list[str]:
    after, before, split = _line_breaks()
    cuts = {m.end() for m in after.finditer(line)} | {m.start() for m in before.finditer(line)}
    crumbs = tuple(_rules()["crumb_words"])
    out = []
    last = 0
    for cut in [*sorted(c for c in cuts if 0 < c < len(line)), len(line)]:
        chunk = line[last:cut]
        if ">" in chunk and "<" not in chunk:
            chunk = re.split(r"\s*>+\s*", chunk)[-1]  # 首页 >> 新闻 >> 浏览文章X: only the last crumb
            # … > 政策法规 中共岳阳市委办公室…的通知: the last crumb is a short section name
            chunk = _CRUMB_BEFORE_TITLE.sub("", chunk)
        for part in split.split(chunk):
            part = part.strip()
            while part.startswith(crumbs):  # 工作计划惠州市人民政府办公室关于…: a breadcrumb's last section
                part = part[len(next(c for c in crumbs if part.startswith(c))) :].strip()
            if part:
                out.append(part)
        last = cut
    return out


def _is_furniture(line: str) -> bool:
    r = _rules()
    if any(w in line for w in r["furniture"]):
        return True
    if _next_field().match(line) or any(line.startswith(f) for f in r["fields_without_colon"]):
        return True  # 发文机关中共…党组, 发布机构：… are header fields
    if line.count("_") >= 2 or line.count(">") >= 2 or line.count("|") >= 2:
        return True
    return bool(re.match(r"^[\d\s:：\-/.年月日]+$", line))


@lru_cache(maxsize=1)
def _title_tags() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{t})" for t in _rules()["title_tags"]))


_OWN_NUMBER = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号\s*"
    r"|\s*[(（]?[\u4e00-\u9fff]{1,12}\s*[〔\[［【]\s*(?:19|20)\d\d\s*[〕\]］】]\s*\d{1,4}\s*号[)）]?[\s|｜]*$"
)


def _clean_title(line: str) -> str:
    """A title without the site tags before it or its own document number beside it."""
    prev = None
    while prev != line:
        prev = line
        line = _title_tags().sub("", line, count=1).strip()
        line = _OWN_NUMBER.sub("", line).strip(" |｜")
        if line.startswith("《") and line.endswith("》") and line.count("《") == 1:
            line = line[1:-1]  # 京政办发〔2016〕26号《…的通知》 names itself in brackets
        for opener, closer in (("(", ")"), ("（", "）")):
            if line.endswith(closer) and line.count(closer) > line.count(opener):
                line = line[:-1].rstrip()  # (原标题:…回顾(二)): the bracket the field was written in
    return line


# 绛县人民政府办公室 关于印发…发展 实施方案的通知: in a document's title (not a headline's
# 提前全面谋划 推动…) a page's spaces between Chinese words are layout
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff》〉”）)])[ \t\u3000]+(?=[\u4e00-\u9fff《〈“（(])")


def _title(text: str, head: str) -> tuple[list[str], str | None]:
    """The title, and the issuers of a joint notice when they are printed before it (on its
    line or on the lines just above)."""
    t = _bare_title(text, head)
    if t is None:
        return [], None
    t = _clean_title(t)
    issuers, t = _joint_issuers(t)
    if not issuers:
        issuers, t = _issuers_above(head, t)
    if re.search(f"(?:{_rules()['title_words']})$", t):
        t = _CJK_GAP.sub("", t)
    return issuers, t or None


def _joint_issuers(title: str) -> tuple[list[str], str]:
    """成都市发展和改革委员会 中共成都市委社会工作部 … 关于印发…的通知: several bodies named before
    关于 sign the notice together; its title starts at 关于. One body before 关于 stays in the
    title, as a notice of one issuer is titled."""
    head, sep, rest = title.partition("关于")
    names = head.split()
    org = re.compile(_rules()["org_suffix"] + "$")
    if sep and len(names) >= 2 and all(len(n) <= 30 and org.search(n) for n in names):
        return names, sep + rest
    return [], title


def _issuers_above(head: str, title: str) -> tuple[list[str], str]:
    """The bodies printed just above a joint notice's title (关于…的通知), one per line or several
    on a line apart by spaces, and the title from 关于. The last body may stand in the title's
    line (发展改革委关于…) or on a line read as the title's first; with one body alone before
    关于 the title stays whole, as a notice of one issuer is titled."""
    org = re.compile(_rules()["org_suffix"] + "$")
    lines = _lines(head)
    if title.startswith("关于"):
        at, last = next((i for i, ln in enumerate(lines) if _clean_title(ln) == title), None), []
    else:
        body, sep, rest = title.partition("关于")
        if not sep or len(body) > 30 or not org.search(body):
            return [], title
        at = next(
            (
                i
                for i, ln in enumerate(lines)
                if ln.startswith(body + "关于") or (ln == body and lines[i + 1 : i + 2] and lines[i + 1].startswith("关于"))
            ),
            None,
        )
        last, title = [body], sep + rest
    names: list[str] = []
    for ln in reversed(lines[:at] if at is not None else []):
        parts = ln.split()
        if re.search(r"[，。：:；,;\d]", ln) or not all(len(p) <= 30 and org.search(p) for p in parts):
            break
        names[:0] = parts
    names += last
    if len(names) < 2:
        return [], (last[0] + title if last else title)
    return names, title


def _bare_title(text: str, head: str) -> str | None:
    r = _rules()
    t = _field(text, r["title_fields"])
    if t:
        return t
    lines = [_clean_title(ln) for ln in _lines(head) if not ln.endswith((":", "："))]  # 各县、区人民政府： greets
    lines = _joined_titles([ln for ln in lines if ln], re.compile(r["title_words"]))
    crumb = None
    for ln in lines:
        if ln.count(">") >= 2 and not crumb:
            crumb = re.split(r"\s*>+\s*", ln)[-1].strip()
    title_word = re.compile(r["title_words"])
    candidates = [ln for ln in lines if not _is_furniture(ln) and 6 <= len(ln) <= 100]
    if crumb and len(crumb) >= 6:
        for ln in lines:
            if ln.startswith(crumb) and ln != crumb:
                return crumb
    org = re.compile(r["org_suffix"] + "$")
    for ln in candidates[:6]:
        # 成都市规划和自然资源局 above a joint notice's title holds 规划 but names a body
        named_body = org.search(ln) and not re.search(f"(?:{r['title_words']})$", ln)
        if title_word.search(ln) and not re.search(r"[。；]", ln) and not named_body:
            return ln
    for ln in candidates[:3]:
        if not re.search(r"[。；]", ln):
            return ln
    return None


def _joined_titles(lines: list[str], title_word: re.Pattern[str]) -> list[str]:
    """A title broken over two lines (国务院关于落实《政府工作报告》 / 重点工作部门分工的意见; a short
    line and a shorter one that ends as titles end or closes a headline's quote) is one line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        ends_title = re.search(f"(?:{title_word.pattern})$", nxt)
        # 马关县快速按下 / 重大民生实事项目建设“启动键”: a headline's second line closes a quote
        headline = len(ln) <= 30 and 2 <= len(nxt) <= 20 and nxt.endswith(("”", "」")) and "“" in nxt
        if (
            (
                # 对市政协第十四届第四次会议 / 第2025D048号集体提案的答复: a reply names what it answers
                ("关于" in ln or ln.startswith("对")) and ends_title
                or _short_pair(ln, nxt) and (ends_title and len(nxt) <= 12 or headline)
            )
            and not re.search(f"(?:{title_word.pattern})$", ln)
            and not re.search(r"[。；，,:：]", ln + nxt)
            and nxt
            and len(ln) + len(nxt) <= 100
        ):
            out.append(ln + nxt)
            i += 2
            continue
        out.append(ln)
        i += 1
    return out


def _short_pair(ln: str, nxt: str) -> bool:
    """2020年人大建议、政协提案办理工作 / 完成情况说明: a short first line, a shorter second that
    holds no date, number or name of its own, broken where the page's width ran out."""
    r = _rules()
    return (
        len(ln) <= 30
        and not re.search(r"\d", nxt)
        and not _is_furniture(nxt)
        # 进展情况通报 ends as a newspaper's name (…报) does, but as a title
        and (not re.search(r["org_suffix"] + "$", nxt) or re.search(f"(?:{r['title_words']})$", nxt) is not None)
    )


def _issuer(
    text: str, head: str, title: str | None, sig: tuple[str, str] | None, joint: list[str]
) -> str | None:
    r = _rules()
    org = re.compile(r["org_suffix"] + "$")
    by_title = None
    if title:
        m = re.match(r"(.{2,30}?)\s*关于", title)
        if m and org.search(m.group(1)):
            by_title = m.group(1)
    v = _field(text, r["issuer_fields"])
    if v:
        if by_title and v.startswith(by_title):
            return by_title  # 发文单位:国务院办公厅国务院有关部门:为… where the lines ran together
        return v
    if joint:
        return "、".join(joint)
    if by_title:
        return by_title
    under = _org_under_title(head, title, org)
    if under:
        return under
    m = re.search(r"(?:信息)?来源[：:]\s*(?:本网\s*)?([^\s　|•·:：]+)", head)
    # 来源：岳阳市政府门户网 names the site that carries a notice its signature names the issuer of
    site = bool(m and sig and sig[0] and re.search(r"(?:门户网|网站|政府网|信息网)$", m.group(1)))
    if m and m.group(1) not in ("本网", "本站") and 3 <= len(m.group(1)) <= 20 and org.search(m.group(1)) and not site:
        return m.group(1)
    if sig and sig[0]:
        return sig[0]
    media = re.compile(r["media"])
    for ln in _lines(head)[:8]:
        mm = media.match(ln)
        if mm:
            return mm.group(1)
    return None


def _org_under_title(head: str, title: str | None, org: re.Pattern[str]) -> str | None:
    """The issuer named on the line under the title, as law databases print a rule (湖南省人民代表大会
    常务委员会制定地方性法规程序的规定 / 湖南省人大常委会): it outranks the site a 来源 names."""
    if not title:
        return None
    lines = [_clean_title(ln) for ln in _lines(head)]
    for i, ln in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        if (
            ln == title
            and len(nxt) <= 30
            and org.search(nxt)
            and not nxt.endswith(("网", "网站"))
            and not re.search(r"[，。：:；,;\d]", nxt)
        ):
            return nxt
    return None


def _signature(text: str) -> tuple[str, str] | None:
    """An issuer line directly followed by a date line, as at the foot of a notice."""
    org = re.compile(_rules()["org_suffix"] + "$")
    # a notice signs off near its top (before the plan it sends) or at its foot
    ends = text if len(text) <= 2 * _HEAD else text[:_HEAD] + "\n" + text[-_HEAD:]
    lines = [ln.strip() for ln in ends.split("\n")]
    lines = [ln for ln in lines if ln]
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if len(a) <= 30 and org.search(a) and not re.search(r"[，。：:；]", a):
            d = _parse_date(b, whole=True)
            if d:
                return a, d
    for ln in lines:
        # a bulletin's masthead names who issues it and the day on one line:
        # 新安县人民政府办公室2010年5月5日
        m = _ONE_LINE_SIGNATURE.match(ln)
        if m and org.search(m.group(1)):
            d = _parse_date(m.group(2), whole=True)
            if d:
                return m.group(1), d
    if is_flat(text):
        # a page run into one line signs off on it: … 岳阳市人民政府办公室 2017年1月10日 …
        for m in _FLAT_SIGNATURE.finditer(ends):
            if org.search(m.group(1)):
                d = _parse_date(m.group(2), whole=True)
                if d:
                    return m.group(1), d
    return None


_ONE_LINE_SIGNATURE = re.compile(r"([\u4e00-\u9fff]{4,30}?)[ \t　]*((?:19|20)\d\d年\d{1,2}月\d{1,2}日)$")
_FLAT_SIGNATURE = re.compile(
    r"(?:^|(?<=[ \t　]))([\u4e00-\u9fff]{2,30})[ \t　]+((?:19|20)\d\d年\d{1,2}月\d{1,2}日)(?=[ \t　]|$)"
)


def _doc_number(text: str, head: str) -> str | None:
    v = _field(text, _rules()["doc_number_fields"])
    if v:
        m = _DOC_NO.search(v)
        return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else v
    for pat in (_DOC_NO, _DOC_NO_BROKEN):
        for m in pat.finditer(head):
            if re.search(r"》\s*[（(]\s*$", head[max(0, m.start() - 4) : m.start()]):
                continue  # 《…意见》(国发〔2012〕39号) cites another document
            # 发文字号皖交发…, …人民政府文件鞍立政发…: the number's own prefix is a short name
            prefix = re.sub(r"^.*?(?:发文字号|文件编号|文号|字号)|^.*(?:文件|[通知意见方案函]\s*)(?=[^文件]{2,8}$)", "", m.group(1))
            return f"{prefix}〔{m.group(2)}〕{m.group(3)}号"
    return None


def _date(text: str, head: str, sig: tuple[str, str] | None) -> str | None:
    v = _field(text, _rules()["date_fields"])
    if v:
        d = _parse_date(v)
        if d:
            return d
    if sig:
        return sig[1]
    lines = _lines(head)
    # a date on a line of its own dates the page; one inside a sentence (于2017年1月23日前报送) is a deadline
    for ln in lines:
        d = _parse_date(ln, whole=True)
        if d:
            return d
    for ln in lines:
        d = _parse_date(ln)
        if d:
            return d
    return None


def _parse_date(s: str, whole: bool = False) -> str | None:
    """2021-08-23, 2021年04月15日, 二〇二三年五月, and 201761 (a date whose 年月日 were lost)."""
    s = s.strip()
    for pat in _DATE_PATTERNS:
        m = pat.fullmatch(s) if whole else pat.search(s)
        if m:
            y, mo, d = m.group(1), m.group(2), m.group(3)
            yi = int(y) if y.isdigit() else cn_to_int(y)
            mi = int(mo) if mo.isdigit() else cn_to_int(mo)
            di = (int(d) if d.isdigit() else cn_to_int(d)) if d else None
            if yi and mi and 1 <= mi <= 12 and (di is None or 1 <= di <= 31):
                return f"{yi:04d}-{mi:02d}" + (f"-{di:02d}" if di else "")
    m = _LOST_DATE.match(s)
    if m:
        y, rest = int(m.group(1)), m.group(2)
        splits = []
        for k in range(1, len(rest)):
            mo, d = int(rest[:k]), int(rest[k:])
            if rest[0] != "0" and rest[k] != "0" and 1 <= mo <= 12 and 1 <= d <= 31:
                splits.append((mo, d))
        if len(splits) == 1:
            mo, d = splits[0]
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
