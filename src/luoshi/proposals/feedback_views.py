"""The member's rating through the feedback link on the reply letter (no sign-in)."""

from __future__ import annotations

from django.shortcuts import render

from luoshi.proposals import feedback_link, services
from luoshi.proposals import handling as h
from luoshi.proposals.services import HandlingError
from luoshi.web import clock


def feedback(request, token: str):
    """GET: the proposal, this round's replies and the rating form; POST: the rating, once."""
    try:
        p = feedback_link.proposal_for(token)
    except feedback_link.LinkError as e:
        return render(request, "proposals/feedback.html", {"error": str(e)}, status=404)
    context = {
        "p": p,
        "replies": p.replies.filter(round=p.round).select_related("unit"),
        "opinions": h.OPINIONS,
        "kept": {},
        "feedback_due": h.feedback_due(services.facts(p), services.rules_for(p)),
    }
    if request.method == "POST":
        post = request.POST
        try:
            services.rate(
                p,
                None,
                post.get("attitude", ""),
                post.get("result", ""),
                clock.today(),
                post.get("comment", ""),
                request=request,
            )
        except HandlingError as e:
            context.update(error=str(e), kept=post)
            return render(request, "proposals/feedback.html", context, status=400)
        return render(request, "proposals/feedback.html", {"done": True, "p": p})
    return render(request, "proposals/feedback.html", context)
