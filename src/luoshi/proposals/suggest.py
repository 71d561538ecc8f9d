"""No Django. Which units should 主办 a proposal: the three most likely, each with its reasons.

Two signals, both over the same TF-IDF space of jieba-segmented words (scikit-learn's
``TfidfVectorizer`` on jieba's search-mode words, stop words of every proposal removed):

1. similar past proposals — the ``k`` past proposals closest to this one (cosine) vote for the
   unit that led each with their similarity (similarity-weighted k-nearest-neighbour vote);
2. each unit's remit — its name and the remit of its kind of department (``rules/remits.json``,
   matched by name) against the proposal's words.

A unit's score is the sum of its neighbours' similarities plus twice its remit similarity; a unit
nobody has led yet can still be suggested on its remit. Every suggestion says why: the closest
past proposal it led (「相似提案：第12号《…》由该单位主办」) and the remit words the proposal
uses (「职责相符：公交、站点」).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# Words past this many characters of a proposal's text add little to what its 案由 (title) says
# and cost segmentation time when a model is fitted; the title always counts in full.
TEXT_CHARS = 100
NEIGHBOURS = 10
# Tuned by leave-one-out on the published assignments collected first (``suggest_eval``): 2 and 3
# did best there, and 0.5, the first guess, named the right kind of unit first in 69% of them
# against 84%. The rows collected afterwards, never looked at when choosing, agree (40% against 26%).
REMIT_WEIGHT = 2.0
# A neighbour this dissimilar is no evidence at all.
MIN_SIMILARITY = 0.05


@dataclass(frozen=True, slots=True)
class Past:
    """A past proposal and the unit that led (主办) it; ``key`` tells the proposal apart when it
    is itself being (re)assigned."""

    title: str
    unit: Hashable
    number: str = ""
    text: str = ""
    key: Hashable = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One unit suggested to lead a proposal, best first: the closest past proposal it led and the
    remit words the proposal uses are its reasons."""

    unit: Hashable
    score: float
    similar: Past | None = None
    remit_words: tuple[str, ...] = field(default=())
    led: int = 0  # past proposals this unit led: the only reason left when the text says nothing

    @property
    def reasons(self) -> list[str]:
        """The reasons as sentences (pages render them from the fields, translated)."""
        out = []
        if self.similar is not None:
            out.append(
                f"相似提案：{numbered(self.similar.number)}《{short(self.similar.title)}》由该单位主办"
            )
        if self.remit_words:
            out.append("职责相符：" + "、".join(self.remit_words))
        if not out and self.led:
            out.append(f"以往主办{self.led}件")
        return out


@lru_cache(maxsize=1)
def _rules() -> dict:
    ref = resources.files("luoshi.proposals") / "rules" / "remits.json"
    return json.loads(ref.read_text(encoding="utf-8"))


def remit_of(unit: str) -> tuple[str, str]:
    """The kind of department a unit's name says it is and that kind's remit ('' when unknown)."""
    for entry in _rules()["remits"]:
        if any(n in unit for n in entry["names"]):
            return entry["key"], entry["remit"]
    return "", ""


def kind_of(unit: str) -> str:
    """The kind of department (交通运输, 教育…) of a unit, or its own name when the table has none."""
    return remit_of(unit)[0] or unit


@lru_cache(maxsize=1)
def _segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # The remit words are the vocabulary that matters here: keep them whole (红绿灯, not 红绿+灯).
    for entry in _rules()["remits"]:
        for word in entry["remit"].split():
            tokenizer.add_word(word)
    return tokenizer


_WORDY = re.compile(r"[\w\u4e00-\u9fff]")


def words(text: str) -> list[str]:
    """The words of a text that can tell units apart: jieba's search mode without stop words,
    punctuation and single characters."""
    stop = _stopwords()
    # Search mode gives a compound and its parts (公交站点, 公交, 站点), so 公交线路 meets 公交站点.
    return [
        w
        for w in _segmenter().lcut_for_search(text)
        if len(w) > 1 and w not in stop and _WORDY.search(w) is not None
    ]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(_rules()["stopwords"])


def document(title: str, text: str = "") -> str:
    """What is compared of a proposal: its title and the start of its text."""
    return f"{title}\n{text[:TEXT_CHARS]}"


def _analyzer(doc: str | list[str]) -> list[str]:
    # Pre-segmented documents (lists) pass through, so callers can cache segmentation per proposal.
    return doc if isinstance(doc, list) else words(doc)


class Suggester:
    """Fitted once on an organisation's past proposals and units; ``suggest`` answers in
    milliseconds. ``units`` are the units that may be chosen: names, or a mapping of any key to
    the name (past proposals then name their unit by the key); past proposals led by other units
    still weigh the words but are never suggested.

    Fitting needs scikit-learn; a fitted model does not: it keeps the vocabulary and the idf
    weights and weighs a query itself, so a pickled model (``suggesting`` keeps one in the cache)
    answers in another process that never imports scikit-learn (seconds of start-up saved)."""

    def __init__(
        self,
        past: Sequence[Past],
        units: Iterable[str] | Mapping[Hashable, str],
        *,
        segmented: Sequence[list[str]] | None = None,
        k: int = NEIGHBOURS,
        remit_weight: float = REMIT_WEIGHT,
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.names: dict[Hashable, str] = dict(units) if isinstance(units, Mapping) else {u: u for u in units}
        self.units = list(self.names)
        self.past = list(past)
        self.k = k
        self.remit_weight = remit_weight
        docs: list = list(segmented) if segmented is not None else [document(p.title, p.text) for p in past]
        remits = [self._remit_text(u) for u in self.units]
        vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
        try:
            vectorizer.fit(docs + remits)
            fitted = True
        except ValueError:  # nothing to learn from: no documents, or not one usable word in them
            fitted = False
        self._fitted = fitted
        # What weighing a query needs, as plain data: the word of each column and its idf.
        self._vocabulary: dict[str, int] = dict(vectorizer.vocabulary_) if fitted else {}
        self._idf = vectorizer.idf_ if fitted else None
        self._past = vectorizer.transform(docs) if fitted and docs else None
        self._remits = vectorizer.transform(remits) if fitted and remits else None
        self._index = {u: i for i, u in enumerate(self.units)}
        self._led = _counts(p.unit for p in self.past if p.unit in self._index)
        total = sum(self._led.values()) or 1
        self._prior = {u: n / total for u, n in self._led.items()}

    def weigh(self, doc_words: Sequence[list[str]]):
        """The documents' TF-IDF rows, as the fitted ``TfidfVectorizer`` weighs them (1 + log of
        each known word's count, times its idf, each row scaled to unit length), with numpy and
        scipy only."""
        import numpy as np
        from scipy.sparse import csr_matrix

        indptr, indices, data = [0], [], []
        for doc in doc_words:
            counts: dict[int, int] = {}
            for w in doc:
                col = self._vocabulary.get(w)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            cols = sorted(counts)
            values = np.array([counts[c] for c in cols], dtype=float)
            values = (np.log(values) + 1.0) * self._idf[cols] if cols else values
            norm = float(np.sqrt((values * values).sum()))
            indices += cols
            data += list(values / norm) if norm else list(values)
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(doc_words), len(self._vocabulary)))

    def _remit_text(self, unit: Hashable) -> str:
        name = self.names[unit]
        return f"{name} {remit_of(name)[1]}"

    def suggest(self, title: str, text: str = "", top: int = 3, exclude: Hashable = None) -> list[Suggestion]:
        """The ``top`` units most likely to lead this proposal, best first, each with its reasons;
        the past proposal keyed ``exclude`` (this one, when it is re-assigned) is not evidence."""
        if not self.units or not self._fitted:
            return []
        query_words = words(document(title, text))
        if not query_words:
            return []
        q = self.weigh([query_words])
        votes: dict[Hashable, float] = {}
        best: dict[Hashable, tuple[float, Past]] = {}
        if self._past is not None and self.k > 0:
            sims = (self._past @ q.T).toarray().ravel()
            neighbours = [
                i
                for i in sims.argsort()[::-1][: self.k + 1]
                if exclude is None or self.past[i].key != exclude
            ][: self.k]
            for i in neighbours:
                s = float(sims[i])
                past = self.past[i]
                if s < MIN_SIMILARITY or past.unit not in self._index:
                    continue
                # Each neighbour votes with its similarity, so one faint likeness weighs little.
                votes[past.unit] = votes.get(past.unit, 0.0) + s
                if past.unit not in best or s > best[past.unit][0]:
                    best[past.unit] = (s, past)
        remit_sims = (self._remits @ q.T).toarray().ravel() if self._remits is not None else []
        scored = []
        for u, i in self._index.items():
            remit = float(remit_sims[i]) if len(remit_sims) else 0.0
            # The prior only orders units the text says nothing about, never outranks evidence.
            score = votes.get(u, 0.0) + self.remit_weight * remit + 1e-3 * self._prior.get(u, 0.0)
            scored.append((score, u))
        scored.sort(key=lambda t: (-t[0], self.names[t[1]]))
        out = []
        for score, u in scored[:top]:
            if score <= 0:
                break
            neighbour = best.get(u)
            similar = neighbour[1] if neighbour else None
            out.append(
                Suggestion(u, round(score, 4), similar, self._shared(u, query_words), self._led.get(u, 0))
            )
        return out

    def _shared(self, unit: Hashable, query_words: list[str]) -> tuple[str, ...]:
        remit_words = set(words(self._remit_text(unit)))
        return tuple([w for w in dict.fromkeys(query_words) if w in remit_words][:4])


def short(title: str, limit: int = 40) -> str:
    """A title cut to ``limit`` characters for a reason line."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def numbered(number: str) -> str:
    """第12号 for a bare number; a number written in full (…第40号) as it is."""
    if not number:
        return ""
    return number if "号" in number else f"第{number}号"


def _counts(units: Iterable[Hashable]) -> dict[Hashable, int]:
    counts: dict[Hashable, int] = {}
    for u in units:
        counts[u] = counts.get(u, 0) + 1
    return counts


def most_frequent(past: Sequence[Past], top: int = 3) -> list[str]:
    """The baseline: the units that led the most past proposals, most first."""
    counts = _counts(p.unit for p in past)
    return [u for u, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:top]]
