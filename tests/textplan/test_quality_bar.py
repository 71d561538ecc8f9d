"""The extraction quality bar, scored with the shared scorer on the shared dev documents.

Skipped where the evaluation set is not checked out beside the repository.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from luoshi.textplan import parse_file

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
BAR = {"nodes": 0.97, "assign": 0.95, "targets": 0.90}
KIND_ACCURACY = 0.95

pytestmark = pytest.mark.skipif(
    not (EVAL / "score.py").exists(), reason="no shared/eval beside the repository"
)


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    spec = importlib.util.spec_from_file_location("shared_score", EVAL / "score.py")
    score = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(score)
    out = tmp_path_factory.mktemp("pred")
    for doc in sorted((EVAL / "dev").glob("*.txt")) + sorted((EVAL / "dev").glob("*.html")):
        plan = parse_file(doc)
        (out / f"{doc.stem}.json").write_text(
            json.dumps(plan.to_dict(), ensure_ascii=False), encoding="utf-8"
        )
    tally = score.Tally()
    for gold_path in sorted((EVAL / "dev").glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        for k, v in score.score_doc(gold, pred, [], name).items():
            tally.add(k, *v) if len(v) == 3 else tally.add(k, v[0], v[1], v[1])
    return {k: tally.f1(k)[2] for k in BAR} | {
        "kind": tally.c["target_kind"][0] / max(1, tally.c["target_kind"][1])
    }


@pytest.mark.parametrize("figure", sorted(BAR))
def test_f1_meets_the_bar(summary: dict, figure: str) -> None:
    assert summary[figure] >= BAR[figure]


def test_target_kind_accuracy_meets_the_bar(summary: dict) -> None:
    assert summary["kind"] >= KIND_ACCURACY
