"""The unit suggestion's model shared between processes: fitted once, kept in the shared cache
keyed by the training data, loaded by every other process (without scikit-learn), fitted again
when the data or the units change, and fitted once when pages ask at the same time."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.test import override_settings

from luoshi.ledger.models import Unit
from luoshi.proposals import services, suggesting
from luoshi.proposals.suggest import Suggester, _analyzer, document, words
from luoshi.proposals.suggest_eval import kinds, load
from tests.proposals.test_suggest_page import history

FIXTURE = Path(__file__).parent / "data" / "assignments.csv"
SHARED = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "suggest"}}
QUERY = ("关于在城东片区增设公交站点的建议", "群众出行不便。")


@pytest.fixture(autouse=True)
def shared_cache():
    """A real cache standing for the one processes share (the suite's own caches nothing)."""
    with override_settings(CACHES=SHARED):
        from django.core.cache import cache

        cache.clear()
        suggesting.forget()
        yield cache
        cache.clear()
    suggesting.forget()
    suggesting._warming = suggesting._warming_pid = None


def _suggest(people):
    p = people.register("20", title=QUERY[0], text=QUERY[1])
    units = list(Unit.objects.filter(city=people.city_a).order_by("name"))
    return p, units, [(u.name, s.score, s.reasons) for u, s in suggesting.for_proposal(p, units)]


@pytest.mark.django_db
def test_a_model_fitted_in_one_process_is_loaded_by_the_next_without_segmenting(people, day):
    history(people, day)
    p, units, first = _suggest(people)
    assert suggesting.stats == {"fitted": 1, "loaded": 0}
    # Another process: nothing in its memory.
    suggesting.forget()
    again = [(u.name, s.score, s.reasons) for u, s in suggesting.for_proposal(p, units)]
    assert again == first and first[0][0] == "市交通运输局"
    assert suggesting.stats == {"fitted": 0, "loaded": 1}
    assert suggesting._words == {}


@pytest.mark.django_db
def test_a_new_assignment_or_a_renamed_unit_fits_it_again(people, day):
    history(people, day)
    p, units, _first = _suggest(people)
    services.assign(
        people.register("16", title="关于新建公交首末站的建议"),
        people.office_a,
        dt.date(2024, 3, 29),
        [people.transport],
        [],
    )
    suggesting.forget()
    suggesting.for_proposal(p, units)
    assert suggesting.stats == {"fitted": 1, "loaded": 0}
    Unit.objects.filter(pk=people.police.pk).update(name="市公安局交通管理局")
    suggesting.forget()
    renamed = list(Unit.objects.filter(city=people.city_a).order_by("name"))
    suggesting.for_proposal(p, renamed)
    assert suggesting.stats == {"fitted": 1, "loaded": 0}


@pytest.mark.django_db
def test_something_else_under_the_key_is_fitted_over(people, day, shared_cache):
    history(people, day)
    p, units, first = _suggest(people)
    key = (tuple((u.pk, u.name) for u in units), suggesting._stamp())
    shared_cache.set(suggesting._cache_key(key), {"not": "a model"})
    suggesting.forget()
    assert [(u.name, s.score, s.reasons) for u, s in suggesting.for_proposal(p, units)] == first
    assert suggesting.stats == {"fitted": 1, "loaded": 0}


@pytest.mark.django_db
def test_the_warm_up_loads_what_another_process_fitted(people, day):
    history(people, day)
    _p, _units, _first = _suggest(people)
    suggesting.forget()
    assert suggesting.warm_up() == 5
    assert suggesting.stats == {"fitted": 0, "loaded": 1}


@pytest.mark.django_db(transaction=True)
def test_pages_asking_at_once_fit_one_model(people, day):
    from django.db import connection

    history(people, day)
    p = people.register("20", title=QUERY[0], text=QUERY[1])
    units = list(Unit.objects.filter(city=people.city_a).order_by("name"))
    got, start = [], threading.Barrier(4)

    def ask():
        try:
            start.wait()
            got.append(suggesting.for_proposal(p, units)[0][0].name)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["市交通运输局"] * 4
    assert suggesting.stats == {"fitted": 1, "loaded": 0}


@pytest.mark.django_db(transaction=True)
def test_the_first_request_through_the_wsgi_application_starts_the_warm_up_once(people, day, client):
    from luoshi.web import wsgi

    history(people, day)
    people.register("20", title=QUERY[0], text=QUERY[1])
    wsgi._warmed_in = None
    environ = client._base_environ(PATH_INFO="/accounts/login/", REQUEST_METHOD="GET")
    statuses = []
    b"".join(wsgi.application(dict(environ), lambda status, headers, *_: statuses.append(status)))
    thread = suggesting._warming
    assert thread is not None and suggesting._warming_pid == os.getpid()
    b"".join(wsgi.application(dict(environ), lambda status, headers, *_: statuses.append(status)))
    assert suggesting._warming is thread and statuses == ["200 OK", "200 OK"]
    thread.join()
    assert suggesting.stats == {"fitted": 1, "loaded": 0} and len(suggesting._words) == 5


def test_a_fitted_model_weighs_words_as_scikit_learn_does():
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = load(FIXTURE)
    model = Suggester(rows, kinds())
    docs = [document(r.title, r.text) for r in rows]
    reference = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    reference.fit(docs + [model._remit_text(u) for u in model.units])
    seg = [words(d) for d in docs] + [["公交", "公交", "站点", "没有的词"], []]
    ours, theirs = model.weigh(seg).toarray(), reference.transform(seg).toarray()
    assert ours.shape == theirs.shape and abs(ours - theirs).max() < 1e-12


def test_a_pickled_model_answers_in_a_process_that_never_imports_scikit_learn(tmp_path):
    rows = load(FIXTURE)
    model = Suggester(rows, kinds())
    titles = [r.title for r in rows[::7]]
    expected = [[[s.unit, s.score, s.reasons] for s in model.suggest(t)] for t in titles]
    (tmp_path / "model.pickle").write_bytes(pickle.dumps(model))
    (tmp_path / "titles.json").write_text(json.dumps(titles, ensure_ascii=False), encoding="utf-8")
    script = (
        "import json, pickle, sys\n"
        "model = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "titles = json.load(open(sys.argv[2], encoding='utf-8'))\n"
        "got = [[[s.unit, s.score, s.reasons] for s in model.suggest(t)] for t in titles]\n"
        "print(json.dumps({'got': got, 'sklearn': any(m.startswith('sklearn') for m in sys.modules)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "model.pickle"), str(tmp_path / "titles.json")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    answer = json.loads(out.stdout)
    assert answer["sklearn"] is False
    assert answer["got"] == expected and any(expected)
