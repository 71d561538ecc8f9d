"""Replies marked 主动公开 on the public site: searchable, with no personal data beyond names.

A reply is written for the member and may carry the contact's telephone, an e-mail address or an
identity number; the public page shows its text with those put out of sight (``redact``) and never
shows the 联系人 field.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from luoshi.accounts.rules import public_replies
from luoshi.textplan.controls import strip_controls

HIDDEN = "（已隐去）"
MAX_QUERY = 100  # characters of a search; longer ones are cut
MAX_WORDS = 8

# What a reply may carry that is personal or a way to reach a person, as government letters write
# it. Names stay: the rule is "no personal data beyond names".
PATTERNS: tuple[re.Pattern[str], ...] = (
    # e-mail addresses
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # 18-digit identity numbers (身份证号)
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    # mobile numbers, with or without +86 and spaces or dashes between the groups
    re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"),
    # fixed lines with their area code: 0755-12345678, (020)87654321, 010 8765 4321, 转 extensions
    re.compile(r"(?<!\d)[(（]?0\d{2,3}[)）]?[-\s]?\d{3,4}[-\s]?\d{4}(?:\s?(?:-|转)\s?\d{1,5})?(?!\d)"),
    # a bare local number after its cue (kept with its colon): 联系电话：83456789, 传真 8345-6789
    re.compile(r"(?P<cue>(?:电话|手机|传真|联系方式)[:：\s]*)\d[\d\s-]{5,12}\d(?!\d)"),
)


def _hide(match: re.Match[str]) -> str:
    return (match.groupdict().get("cue") or "") + HIDDEN


def redact(text: str) -> str:
    """``text`` with e-mail addresses, identity numbers and telephone numbers replaced by （已隐去）."""
    for pattern in PATTERNS:
        text = pattern.sub(_hide, text)
    return text


def words_of(query: str) -> list[str]:
    """The words of a search box's text: controls dropped, at most MAX_WORDS of MAX_QUERY characters."""
    return strip_controls(query or "")[:MAX_QUERY].split()[:MAX_WORDS]


def search(query: str = "") -> QuerySet:
    """The public replies, newest first, each word of ``query`` found in the proposal's 案号, 案由,
    proposer or session, the reply's text or its unit's name; none for a word the page hides."""
    rows = public_replies().select_related("proposal", "unit")
    for word in words_of(query):
        if redact(word) != word:
            # The page hides telephone numbers and the like: searching for one finds nothing,
            # or the search would tell which reply holds it.
            return rows.none()
        rows = rows.filter(
            Q(proposal__title__icontains=word)
            | Q(proposal__number__icontains=word)
            | Q(proposal__proposer__icontains=word)
            | Q(proposal__session__icontains=word)
            | Q(text__icontains=word)
            | Q(unit__name__icontains=word)
        )
    return rows.order_by("-on", "-id")
