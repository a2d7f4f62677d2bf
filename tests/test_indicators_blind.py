"""Indicator ids on a blind set: agreement of ``indicator_id`` with a careful annotator on unseen report styles.

The set (``tests/data/indicators_blind.toml``) was written and labelled from ``docs/spec/indicators.md`` before
the classifier was run on it. Its ``dev`` paragraphs were then used to improve the rules; a second batch
(``dev2``), written and labelled after that first round, checked that the changes carry over and was then used
too; the ``holdout`` paragraphs were never looked at item by item, so their agreement estimates how the rules
do on unseen text.

Run ``.venv/bin/pytest -q -p no:xdist tests/test_indicators_blind.py -s`` (or ``python -m
tests.test_indicators_blind``) to print agreement per split; ``python -m tests.test_indicators_blind --show``
lists the dev disagreements (never the holdout ones).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis.measures.indicator_training import read_blind_set
from lawgov_analysis.measures.indicators import indicator_labels
from lawgov_analysis.measures.metrics import extract_metrics

BLIND_FILE = Path(__file__).resolve().parent / "data" / "indicators_blind.toml"


def load_blind() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The paragraphs and labelled mentions of the blind set (:func:`indicator_training.read_blind_set`)."""
    return read_blind_set(BLIND_FILE)


def compare(corpus: pd.DataFrame, gold: pd.DataFrame, pred: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each gold mention with the prediction overlapping it (``pred_id``, ``pred_phrase``; NaN when missed)."""
    if pred is None:
        pred = extract_metrics(corpus[["doc_id", "text"]])
    by_doc = {d: g for d, g in pred.groupby("doc_id")}
    out = []
    for r in gold.itertuples(index=False):
        cand = by_doc.get(r.doc_id)
        hit = None
        if cand is not None:
            over = cand[(cand["start"] < r.end) & (cand["end"] > r.start)]
            if len(over):
                hit = over.iloc[0]
        out.append((*r, None if hit is None else hit["indicator_id"], None if hit is None else hit["indicator"]))
    return pd.DataFrame(out, columns=[*gold.columns, "pred_id", "pred_phrase"])


def scores(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per split and overall: mentions, share found, indicator agreement on found mentions, and, where a phrase
    is given, the share of predicted phrases equal to it (``phrase_exact``) and the share that contain it with
    at most :data:`PHRASE_SLACK` more characters, such as a stage verb (查处治安案件 for 治安案件; ``phrase_ok``)."""
    result = {}
    for name, part in [*((k, table[table["split"] == k]) for k in ("dev", "dev2", "dev3", "dev4", "dev5", "holdout")), ("all", table)]:
        found = part[part["pred_id"].notna()]
        phr = found[found["phrase"] != ""]
        result[name] = {
            "mentions": len(part),
            "found": len(found) / len(part) if len(part) else 0.0,
            "agreement": float((found["pred_id"] == found["indicator_id"]).mean()) if len(found) else 0.0,
            "phrase_exact": float((phr["pred_phrase"] == phr["phrase"]).mean()) if len(phr) else 0.0,
            "phrase_ok": float(sum(_phrase_ok(p, g) for p, g in zip(phr["pred_phrase"], phr["phrase"])) / len(phr))
            if len(phr) else 0.0,
        }
    return result


PHRASE_SLACK = 4


def _phrase_ok(pred: str, gold: str) -> bool:
    return isinstance(pred, str) and gold in pred and len(pred) <= len(gold) + PHRASE_SLACK


def report(s: dict[str, dict[str, float]]) -> str:
    return "\n".join(f"{k:8s} mentions={v['mentions']} found={v['found']:.3f} agreement={v['agreement']:.3f} "
                     f"phrase_exact={v['phrase_exact']:.3f} phrase_ok={v['phrase_ok']:.3f}" for k, v in s.items())


@pytest.fixture(scope="module")
def table():
    corpus, gold = load_blind()
    return compare(corpus, gold)


def test_blind_set_is_large_varied_and_uses_known_ids():
    corpus, gold = load_blind()
    assert len(gold) >= 300 and len(corpus) >= 40
    assert (gold["split"] == "holdout").sum() >= 100
    assert set(gold["indicator_id"]) <= set(indicator_labels()["indicator_id"])
    assert gold.groupby("doc_id").size().min() >= 4


def test_regression_blind_agreement(table):
    """Regression check, not evidence: the rules were written on the dev batches of this set (written by the
    team); the real-page scores in benchmarks/realpages are the evidence on unseen text."""
    s = scores(table)
    print("\n" + report(s))
    assert s["all"]["found"] >= 0.97
    # regression guards a little below the measured values (README): dev batches were used to write the
    # rules; the holdout was not, and its 0.853 is the honest estimate on unseen text
    for split in ("dev", "dev2", "dev3", "dev4", "dev5"):
        assert s[split]["agreement"] >= 0.90, report(s)
    assert s["holdout"]["agreement"] >= 0.83, report(s)
    assert s["all"]["phrase_ok"] >= 0.85, report(s)


if __name__ == "__main__":  # pragma: no cover - a report for humans
    t = compare(*load_blind())
    print(report(scores(t)))
    if "--show" in sys.argv:
        dev = t[t["split"] != "holdout"]
        bad = dev[(dev["pred_id"] != dev["indicator_id"]) | (dev["phrase"].ne("") & dev["pred_phrase"].ne(dev["phrase"]))]
        for r in bad.itertuples():
            flag = "ID " if r.pred_id != r.indicator_id else "   "
            print(f"{flag}{r.doc_id:36s} {r.surface:10s} gold={r.indicator_id:32s} pred={r.pred_id!s:32s} "
                  f"phrase={r.phrase!r} pred_phrase={r.pred_phrase!r}")
