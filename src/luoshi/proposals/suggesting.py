"""The unit suggestion on the 交办 form, learnt from the organisation's own history.

The evidence is the latest ``RECENT`` proposals whose current assignment has a lead (主办) unit
among the units the proposal may be given to; the candidates are those units. The fitted model is kept in the
process, keyed by those units (id and name) and a stamp of the proposals and assignments
(their highest ids), so a new assignment or a renamed unit refits it on the next page, and the
words of each past proposal are segmented once per process, so a refit only re-weighs them.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence

from django.db.models import F, Max

from luoshi.ledger.models import Unit
from luoshi.proposals.models import AssignedUnit, Proposal
from luoshi.proposals.suggest import Past, Suggester, Suggestion, document, words

# One fitted model per set of assignable units (a city's, or all of them): a few at most.
MODELS = 8
# The most recent assignments are the evidence: they bound the first fit in a process (every
# past proposal segmented once, about a second for 2,000) and follow units as remits move.
RECENT = 2000

logger = logging.getLogger(__name__)
_lock = threading.Lock()
# The warm-up thread of this process while it runs (``warm_up_in_background``).
_warming: threading.Thread | None = None
_models: OrderedDict[tuple, Suggester] = OrderedDict()
# proposal id → (the text segmented, its words); a proposal's title and text do not change once
# registered, but the check is cheap and keeps a corrected record honest.
_words: dict[int, tuple[str, list[str]]] = {}


def _stamp() -> tuple:
    """Changes whenever a proposal is registered or assigned (or re-assigned)."""
    return (
        Proposal.objects.aggregate(m=Max("id"))["m"],
        AssignedUnit.objects.aggregate(m=Max("id"))["m"],
    )


def _segmented(pk: int, doc: str) -> list[str]:
    cached = _words.get(pk)
    if cached is None or cached[0] != doc:
        cached = (doc, words(doc))
        _words[pk] = cached
    return cached[1]


def _fit(units: Sequence[Unit]) -> Suggester:
    ids = [u.pk for u in units]
    # Only each proposal's current assignment: a unit relieved of one after 调整 is no evidence
    # that it should lead the like.
    rows = (
        AssignedUnit.objects.filter(
            role=AssignedUnit.Role.LEAD, unit_id__in=ids, assignment__proposal__assignment=F("assignment")
        )
        .values_list(
            "unit_id",
            "assignment__proposal_id",
            "assignment__proposal__session",
            "assignment__proposal__number",
            "assignment__proposal__title",
            "assignment__proposal__text",
        )
        .order_by("-assignment__proposal_id")[:RECENT]
    )
    past, segmented = [], []
    for unit_id, pk, session, number, title, text in rows:
        past.append(Past(title, unit_id, f"{session}第{number}号", key=pk))
        segmented.append(_segmented(pk, document(title, text)))
    return Suggester(past, {u.pk: u.name for u in units}, segmented=segmented)


def warm_up() -> int:
    """Load jieba's dictionary and scikit-learn and segment the recent past proposals, so the first
    交办 page of a process does not wait 3-5 s for them; nothing when no proposal was ever assigned.
    Returns how many past proposals were segmented."""
    # The evidence of every set of units at once (``_fit`` takes its units' share of these).
    led = AssignedUnit.objects.filter(
        role=AssignedUnit.Role.LEAD, assignment__proposal__assignment=F("assignment")
    )
    rows = list(
        led.values_list(
            "assignment__proposal_id", "assignment__proposal__title", "assignment__proposal__text"
        ).order_by("-assignment__proposal_id")[:RECENT]
    )
    if not rows:
        return 0
    import sklearn.feature_extraction.text  # noqa: F401  (what the first fit would import)

    for pk, title, text in rows:
        _segmented(pk, document(title, text))
    return len(rows)


def warm_up_in_background() -> threading.Thread:
    """``warm_up`` in a daemon thread; a suggestion asked meanwhile waits for it rather than load twice."""
    global _warming
    thread = threading.Thread(target=_warm_quietly, name="luoshi-suggest-warm-up", daemon=True)
    _warming = thread
    thread.start()
    return thread


def _warm_quietly() -> None:
    from django.db import connection

    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a failed warm-up only leaves the first page slow, as before
        logger.exception("warming the unit suggestion failed")
    finally:
        # The thread's own connection: give it back rather than hold it for the process's life.
        connection.close()


def suggester(units: Sequence[Unit]) -> Suggester:
    """The model for these candidate units, fitted on demand and kept while nothing changed."""
    warming = _warming
    if warming is not None and warming is not threading.current_thread():
        # It is loading the same dictionary and segmenting the same proposals: waiting is shorter.
        warming.join()
    key = (tuple((u.pk, u.name) for u in units), _stamp())
    with _lock:
        model = _models.get(key)
        if model is not None:
            _models.move_to_end(key)
            return model
    model = _fit(units)
    with _lock:
        _models[key] = model
        while len(_models) > MODELS:
            _models.popitem(last=False)
    return model


def for_proposal(p: Proposal, units: Sequence[Unit], top: int = 3) -> list[tuple[Unit, Suggestion]]:
    """The ``top`` units to suggest as 主办 of ``p``, each with its suggestion (reasons)."""
    units = list(units)
    if not units:
        return []
    by_pk = {u.pk: u for u in units}
    got = suggester(units).suggest(p.title, p.text, top=top, exclude=p.pk)
    return [(by_pk[s.unit], s) for s in got]


def forget() -> None:
    """Drop every fitted model and segmentation (tests, and a process that wants memory back)."""
    with _lock:
        _models.clear()
        _words.clear()
