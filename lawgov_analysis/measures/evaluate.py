"""Scoring a metric table against gold mentions (``docs/spec/metric-mentions.md``, "Scoring").

evaluate_metrics(pred, gold, *, indicators=None, optional="ignore")   precision, recall, F1, indicator agreement
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from ..core.validate import check_columns, check_option
from .units import normalize_unit

__all__ = ["evaluate_metrics"]


def _values_equal(a: float, b: float) -> bool:
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) / max(abs(a), abs(b)) < 1e-9


def evaluate_metrics(pred: pd.DataFrame, gold: pd.DataFrame, *, indicators: pd.DataFrame | None = None,
                     optional: Literal["ignore", "count"] = "ignore") -> dict:
    """Score a metric table against a gold table (``docs/spec/metric-mentions.md``, "Scoring").

    A prediction matches a gold row when both have the same ``doc_id``, values equal within a relative
    difference of 1e-9, equal normalised units (:func:`normalize_unit`) and overlapping spans; matching is
    one-to-one. Gold rows with ``optional == 1`` neither reward nor penalise: a prediction overlapping one
    is neither a true nor a false positive (``optional="count"`` scores them as ordinary rows).

    Parameters
    ----------
    pred : DataFrame
        ``doc_id, start, end, value, unit`` (and ``indicator_id`` for the indicator agreement).
    gold : DataFrame
        ``doc_id, start, end, value, unit`` and optionally ``optional`` and ``indicator_id``.
    indicators : DataFrame, optional, keyword-only
        Gold indicator ids keyed by ``doc_id, start, end`` (``data/gold/seed_indicators.csv``); used when
        ``gold`` has no ``indicator_id`` column.
    optional : {"ignore", "count"}, keyword-only

    Returns
    -------
    dict
        ``precision, recall, f1`` (floats), ``tp, fp, fn`` (ints), ``gold`` (non-optional gold rows),
        ``predicted`` (predictions not ignored), ``indicator_agreement`` (share of matched rows whose
        ``indicator_id`` equals the gold id, or ``None`` without gold ids) and ``indicator_matched`` (how many
        matched rows had a gold id).
    """
    check_option("optional", optional, ["ignore", "count"])
    check_columns(pred, ["doc_id", "start", "end", "value", "unit"], what="predictions")
    check_columns(gold, ["doc_id", "start", "end", "value", "unit"], what="gold")
    gold = gold.copy()
    gold["doc_id"] = gold["doc_id"].astype(str)
    if "optional" in gold.columns and optional == "ignore":
        opt = pd.to_numeric(gold["optional"], errors="coerce").fillna(0).astype(int).astype(bool)
    else:
        opt = pd.Series(False, index=gold.index)
    gold_ids: dict[tuple[str, int, int], str] = {}
    if "indicator_id" in gold.columns:
        for d, s, e, i in zip(gold["doc_id"], gold["start"], gold["end"], gold["indicator_id"]):
            if isinstance(i, str) and i:
                gold_ids[(d, int(s), int(e))] = i
    elif indicators is not None:
        check_columns(indicators, ["doc_id", "start", "end", "indicator_id"], what="indicators")
        for d, s, e, i in zip(indicators["doc_id"].astype(str), indicators["start"], indicators["end"],
                              indicators["indicator_id"]):
            if isinstance(i, str) and i:
                gold_ids[(d, int(s), int(e))] = i
    pred_ids = pred["indicator_id"].tolist() if "indicator_id" in pred.columns else [None] * len(pred)
    preds = [(str(d), int(s), int(e), float(v), normalize_unit(u), pid)
             for d, s, e, v, u, pid in zip(pred["doc_id"], pred["start"], pred["end"], pred["value"],
                                           pred["unit"], pred_ids)]
    golds = [(str(d), int(s), int(e), float(v), normalize_unit(u), bool(o))
             for d, s, e, v, u, o in zip(gold["doc_id"], gold["start"], gold["end"], gold["value"], gold["unit"],
                                         opt)]
    by_doc: dict[str, list[int]] = {}
    for i, p in enumerate(preds):
        by_doc.setdefault(p[0], []).append(i)
    used: set[int] = set()
    tp = 0
    agree = 0
    matched_with_id = 0
    for g in sorted((g for g in golds if not g[5]), key=lambda g: (g[0], g[1], g[2])):
        best = None
        for i in by_doc.get(g[0], []):
            if i in used:
                continue
            p = preds[i]
            if p[1] < g[2] and g[1] < p[2] and p[4] == g[4] and _values_equal(p[3], g[3]):
                if best is None or abs(p[1] - g[1]) < abs(preds[best][1] - g[1]):
                    best = i
        if best is not None:
            used.add(best)
            tp += 1
            gid = gold_ids.get((g[0], g[1], g[2]))
            if gid is not None:
                matched_with_id += 1
                agree += int(preds[best][5] == gid)
    optional_spans = [(g[0], g[1], g[2]) for g in golds if g[5]]
    ignored = 0
    fp = 0
    for i, p in enumerate(preds):
        if i in used:
            continue
        if any(d == p[0] and s < p[2] and p[1] < e for d, s, e in optional_spans):
            ignored += 1
            continue
        fp += 1
    n_gold = sum(1 for g in golds if not g[5])
    fn = n_gold - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "gold": n_gold,
            "predicted": tp + fp, "indicator_agreement": (agree / matched_with_id) if matched_with_id else None,
            "indicator_matched": matched_with_id}
