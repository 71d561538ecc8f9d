"""The feedback link printed on a reply letter: the member rates the handling without signing in.

The link carries the proposal and the round of handling it is for, signed with the site's key
(``django.core.signing``, so it cannot be forged or pointed at another proposal). It works while
that round awaits the member's rating: once rated (or reopened for 重新办理) it is spent, which
makes it a one-time link without storing it. A rating through it is late or on time by the same
rule as one signed in.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing

from luoshi.proposals.models import Proposal, State

SALT = "luoshi.proposals.feedback"
# Long enough for a late rating (kept and marked late), short enough not to live for ever.
MAX_AGE = dt.timedelta(days=400)
MAX_TOKEN = 200  # characters; a signed pair of ids is far shorter


class LinkError(ValueError):
    """A link that cannot be used, with a message for the page."""


def may_hold(user, proposal: Proposal, reply) -> bool:
    """Whether the letter ``user`` downloads carries the link: the member's own, and the copy of
    the unit that wrote the reply and sends it; the other readers' copies do not, since whoever
    holds the link can rate in the member's name."""
    from luoshi.accounts.rules import role_of

    role = role_of(user)
    if role == "member":
        return proposal.member_id == user.pk
    profile = getattr(user, "profile", None)
    return role == "reporter" and profile is not None and profile.unit_id == reply.unit_id


def token(proposal_id: int, round_: int) -> str:
    """The signed token for rating ``round_`` of the proposal."""
    return signing.dumps([int(proposal_id), int(round_)], salt=SALT)


def proposal_for(value: str) -> Proposal:
    """The proposal a token is for, if its round still awaits the rating; LinkError otherwise."""
    if not value or len(value) > MAX_TOKEN:
        raise LinkError("反馈链接无效，请核对答复函上的链接")
    try:
        pk, round_ = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        pk, round_ = int(pk), int(round_)
    except signing.SignatureExpired:
        raise LinkError("反馈链接已过期，请登录后评价，或与承办单位联系") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError("反馈链接无效，请核对答复函上的链接") from None
    p = Proposal.objects.filter(pk=pk).select_related("assignment").first()
    if p is None:
        raise LinkError("反馈链接无效，请核对答复函上的链接")
    if p.round != round_ or p.state != State.REPLIED:
        raise LinkError(f"{p}本轮办理已评价或尚未答复完毕，该反馈链接已不能使用")
    return p
