"""Leave one spent real split out: does what was learned elsewhere carry to real pages not used for it? (issue 17)

Two diagnostics on the spent indicator splits of ``benchmarks/realpages/indicator_labels.csv`` (``dev``,
``holdout``, ``holdout2``, ``holdout3``, ``holdout4``, and ``ind5`` batches 9 and 10 as ``ind5-b9`` and ``ind5-b10``;
round 7: the list of ``eval_indicators_real.SPENT``; a split not in it is never read):

1. the agreement of the package as it stands on each split, with and without the learned component;
2. for each split S, the learned component refitted on its bundled training table **plus the real labelled
   mentions of the other spent splits** (features computed in memory from the page texts; nothing is written,
   and the bundled table never holds page text), scored on S. This measures whether labelled real text, which the
   package cannot ship, would transfer to pages it was not fitted on.

Run::

    .venv/bin/python benchmarks/loo_indicators_real.py --texts /work/realpages/texts

This is a benchmark, not a CI test; it needs the page texts locally.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_indicators_real as ev  # noqa: E402

SPENT = ev.SPENT


def _agreement(pred: pd.DataFrame, labels: pd.DataFrame) -> tuple[float, int]:
    found = ev.match(pred, labels)
    found = found[found["pred_id"].notna()]
    return float((found["pred_id"] == found["indicator_id"]).mean()), len(found)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    args = ap.parse_args(argv)

    from lawgov_analysis.measures import indicator_model as im
    from lawgov_analysis.measures.metrics import extract_metrics

    labels, corpus = ev.load_spent(args.texts)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    pages = {s: corpus[corpus["doc_id"].isin(set(labels.loc[labels["split"] == s, "sha16"]))] for s in SPENT}

    print("split      package  rules only  model refitted with the other spent splits' real mentions")
    with im.rules_only():
        rules = {s: _agreement(extract_metrics(pages[s]), labels[labels["split"] == s]) for s in SPENT}
    package = {s: _agreement(extract_metrics(pages[s]), labels[labels["split"] == s]) for s in SPENT}

    rows = []
    for sha, g in labels.groupby("sha16"):
        f = im.mention_features(texts[sha], list(zip(g["start"], g["end"], g["unit"])))
        f.insert(0, "indicator_id", g["indicator_id"].to_numpy())
        f.insert(0, "source", "real:" + g["split"].to_numpy())
        rows.append(f)
    real = pd.concat(rows, ignore_index=True)
    bundled = im.load_training_table()
    default = im.default_model
    try:
        for s in SPENT:
            model = im.IndicatorModel().fit(pd.concat([bundled, real[real["source"] != "real:" + s]],
                                                      ignore_index=True))
            im.default_model = lambda model=model: model
            refit = _agreement(extract_metrics(pages[s]), labels[labels["split"] == s])
            print(f"{s:9s}  {package[s][0]:.3f}    {rules[s][0]:.3f}       {refit[0]:.3f}   ({package[s][1]} matched)")
    finally:
        im.default_model = default
    return 0


if __name__ == "__main__":
    sys.exit(main())
