"""The unit suggestion on the 交办 form, learnt from the organisation's own history.

The evidence is the latest ``RECENT`` proposals whose current assignment has a lead (主办) unit
among the units the proposal may be given to; the candidates are those units. A fitted model is
keyed by those units (id and name) and a stamp of the proposals and assignments (their highest
ids), so a new assignment or a renamed unit refits it on the next page. It is kept

1. in the process (``MODELS`` of them), and
2. in the shared cache (files under the instance, or Redis), pickled without scikit-learn, so
   every other process — another worker of the web server, a worker of the task queue, a
   ``luoshi manage`` command — loads it in milliseconds instead of segmenting every past
   proposal and fitting (seconds, and scikit-learn's import).

One process fits (or loads) one model at a time, so pages asking at once wait for one fit rather
than each doing it. Nothing is loaded before a suggestion is asked for, except by ``warm_up``,
which ``luoshi serve`` starts at once and any WSGI server's first request starts
(``luoshi.web.wsgi``), each in a background thread: commands that never suggest pay nothing.
The words of each past proposal are segmented once per process, so a refit only re-weighs them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from django.core.cache import cache
from django.db.models import F, Max, Q

from luoshi.ledger.models import Unit
from luoshi.proposals.models import AssignedUnit, Proposal
from luoshi.proposals.suggest import Past, Suggester, Suggestion, document, words

# One fitted model per set of assignable units (a city's, or all of them): a few at most.
MODELS = 8
# The most recent assignments are the evidence: they bound the first fit in a process (every
# past proposal segmented once, about a second for 2,000) and follow units as remits move.
RECENT = 2000

# A model kept in the shared cache outlives its stamp only until the next assignment; a week
# bounds what an idle installation keeps.
CACHE_SECONDS = 7 * 24 * 3600
# Part of the cache key: raise it when ``Suggester``'s pickled form changes.
FORMAT = 1

logger = logging.getLogger(__name__)
_lock = threading.Lock()
# Held while a model is fitted or loaded: a second page asking meanwhile waits and takes it.
_fit_lock = threading.Lock()
# The warm-up thread of this process and the process it was started in (``warm_up_in_background``).
_warming: threading.Thread | None = None
_warming_pid: int | None = None
_models: OrderedDict[tuple, Suggester] = OrderedDict()
# How this process got its models: fitted here, or loaded from the shared cache (bench, tests).
stats = {"fitted": 0, "loaded": 0}
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
    stats["fitted"] += 1
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


@lru_cache(maxsize=1)
def _code_version() -> str:
    """What else a model depends on: the remit table (its words and stop words), jieba's version
    (how words are cut) and luoshi's."""
    import jieba

    from luoshi import __version__
    from luoshi.proposals.suggest import _rules

    remits = repr(sorted(_rules().items())).encode("utf-8")
    return f"{FORMAT}:{__version__}:{jieba.__version__}:{hashlib.sha256(remits).hexdigest()[:16]}"


def _cache_key(key: tuple) -> str:
    digest = hashlib.sha256(repr((_code_version(), key)).encode("utf-8")).hexdigest()
    return f"proposals:suggester:{digest[:40]}"


def _load(key: tuple) -> Suggester | None:
    """The model another process fitted for this key, or None (never stored, evicted, or not
    readable by this code: then it is fitted again)."""
    try:
        model = cache.get(_cache_key(key))
    except Exception:  # noqa: BLE001 - a model pickled by other code, or a cache away: fit instead
        logger.warning("could not read the unit suggestion model from the cache", exc_info=True)
        return None
    if not isinstance(model, Suggester):
        return None
    stats["loaded"] += 1
    return model


def _store(key: tuple, model: Suggester) -> None:
    try:
        cache.set(_cache_key(key), model, CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - the next process fits it again, as before
        logger.warning("could not keep the unit suggestion model in the cache", exc_info=True)


def candidate_sets() -> list[list[Unit]]:
    """The sets of units the 交办 form offers, as it orders them: those of each city with proposals
    still to assign (with the units of no city), and all units for proposals of no city."""
    cities = set(Proposal.objects.filter(state="registered").values_list("city_id", flat=True).distinct())
    out = []
    for city in sorted(cities, key=lambda c: (c is None, c)):
        rows = Unit.objects.filter(Q(city_id=city) | Q(city__isnull=True)) if city else Unit.objects.all()
        units = list(rows.select_related("city").order_by("name"))
        if units:
            out.append(units)
    return out[:MODELS]


def warm_up() -> int:
    """Ready what the first 交办 page of a process needs, so it does not wait seconds: jieba's
    dictionary and, for each set of units the form offers, the model — loaded from the shared
    cache when another process fitted it, else fitted (and kept there). Nothing when no proposal
    was ever assigned. Returns how many past proposals the models learnt from."""
    led = AssignedUnit.objects.filter(
        role=AssignedUnit.Role.LEAD, assignment__proposal__assignment=F("assignment")
    )
    if not led.exists():
        return 0
    words("加载词典")  # jieba's dictionary: a query is segmented however the model was got
    return sum(len(suggester(units, wait=False).past) for units in candidate_sets())


def warm_up_in_background() -> threading.Thread:
    """``warm_up`` in a daemon thread, once per process (a second call returns the same thread);
    a suggestion asked meanwhile waits for it rather than load twice."""
    global _warming, _warming_pid
    with _lock:
        if _warming is not None and _warming_pid == os.getpid():
            return _warming
        thread = threading.Thread(target=_warm_quietly, name="luoshi-suggest-warm-up", daemon=True)
        _warming, _warming_pid = thread, os.getpid()
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


def _kept(key: tuple) -> Suggester | None:
    with _lock:
        model = _models.get(key)
        if model is not None:
            _models.move_to_end(key)
        return model


def suggester(units: Sequence[Unit], *, wait: bool = True) -> Suggester:
    """The model for these candidate units: this process's, else the shared cache's, else fitted
    here (and kept in both); one fit at a time per process."""
    warming = _warming
    if (
        wait
        and warming is not None
        and warming is not threading.current_thread()
        and _warming_pid == os.getpid()
    ):
        # It is loading the same dictionary and the same models: waiting is shorter.
        warming.join()
    key = (tuple((u.pk, u.name) for u in units), _stamp())
    model = _kept(key)
    if model is not None:
        return model
    with _fit_lock:
        # Whoever held the lock may have just fitted this very model.
        model = _kept(key)
        if model is not None:
            return model
        model = _load(key)
        if model is None:
            model = _fit(units)
            _store(key, model)
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


def forget(*, shared: bool = False) -> None:
    """Drop this process's models and segmentations (tests, and a process that wants memory
    back); the shared cache keeps its models unless ``shared`` (then this process's are dropped
    there too, so the next process fits them again: the benchmark's cold start)."""
    with _lock:
        if shared:
            for key in _models:
                cache.delete(_cache_key(key))
        _models.clear()
        _words.clear()
        stats.update(fitted=0, loaded=0)


def _after_fork() -> None:
    """A child of a forking server (gunicorn --preload) starts with its parent's locks as they
    were: one held by a thread that does not exist in the child would never be released."""
    global _lock, _fit_lock
    _lock, _fit_lock = threading.Lock(), threading.Lock()


os.register_at_fork(after_in_child=_after_fork)
