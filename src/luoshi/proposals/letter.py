"""The reply letter (答复函) as Word, in the layout of a government letter (GB/T 9704, loosely).

发文机关 (the replying unit), 文号, the title 「关于市政协十二届五次会议第125255号提案答复的函」,
主送 (the member), 正文 (the reply, paragraph by paragraph), the result category, 落款 and date,
联系人, and 抄送 (the committee, the government office, the 会办 units). No Django: the web app
hands in the proposal and the reply as the core's values.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import datetime, time
from pathlib import Path

from docx import Document

from luoshi.proposals.handling import CATEGORIES, Proposal, Reply, number_digits
from luoshi.supervision import docx_style as ds
from luoshi.supervision.periods import chinese_date

# Which body the session belongs to: CPPCC proposals, NPC deputies' suggestions.
BODIES = {"proposal": "市政协", "suggestion": "市人大"}
ADDRESS = {"proposal": "委员", "suggestion": "代表"}


def letter_title(p: Proposal, body: str = "") -> str:
    """关于市政协十二届五次会议第125255号提案答复的函 (the session as written, once 会议)."""
    body = body or BODIES.get(p.kind, "")
    session = p.session if p.session.endswith("会议") else f"{p.session}会议"
    kind = "提案" if p.kind == "proposal" else "建议"
    return f"关于{body}{session}第{number_digits(p.number) or p.number}号{kind}答复的函"


def render(
    p: Proposal,
    r: Reply,
    *,
    doc_number: str = "",
    body: str = "",
    copy_to: Iterable[str] = (),
    feedback_url: str = "",
) -> bytes:
    """The letter as .docx bytes, with the member's feedback link when given; equal inputs give
    equal bytes (fixed timestamps)."""
    doc_number = doc_number or r.doc_number
    doc = Document()
    ds.page_setup(doc)
    ds.paragraph(doc, r.unit, ds.TITLE_FONT, ds.ER_HAO, align="center", indent=False)
    if doc_number:
        ds.paragraph(doc, doc_number, align="center", indent=False)
    ds.paragraph(doc, "", indent=False)
    ds.title(doc, letter_title(p, body))
    ds.paragraph(doc, "", indent=False)
    names = "、".join((p.proposer, *p.cosigners))
    ds.paragraph(doc, f"{names}{ADDRESS.get(p.kind, '')}：", indent=False)
    kind = "提案" if p.kind == "proposal" else "建议"
    ds.paragraph(doc, f"您提出的《{p.title}》（第{number_digits(p.number) or p.number}号）收悉。现答复如下：")
    for para in r.text.splitlines():
        if para.strip():
            ds.paragraph(doc, para.strip())
    ds.paragraph(
        doc, f"感谢您对我们工作的关心和支持。本{kind}办理结果为{r.category}类（{CATEGORIES[r.category]}）。"
    )
    ds.paragraph(doc, "", indent=False)
    ds.paragraph(doc, r.unit, align="right", indent=False)
    ds.paragraph(doc, chinese_date(r.on), align="right", indent=False)
    ds.paragraph(doc, "", indent=False)
    if r.signer:
        ds.paragraph(doc, f"签发人：{r.signer}", indent=False)
    if r.contact:
        ds.paragraph(doc, f"联系人：{r.contact}", indent=False)
    ds.paragraph(doc, "（此件主动公开）" if r.public else "（此件不予公开）", indent=False)
    if feedback_url:
        # The member rates through it without an account (one time; ``feedback_link``).
        ds.paragraph(doc, f"办理情况反馈：请访问 {feedback_url} 对本次办理进行评价。", indent=False)
    copies = [c for c in dict.fromkeys(copy_to) if c and c != r.unit]
    if copies:
        ds.paragraph(doc, f"抄送：{'、'.join(copies)}", size=ds.SI_HAO, indent=False)
    ds.page_number_footer(doc)
    with tempfile.TemporaryDirectory() as tmp:
        # `ds.save` fixes the timestamps on the way to a file.
        return ds.save(doc, Path(tmp) / "letter.docx", datetime.combine(r.on, time())).read_bytes()
