"""Fit the bundled weights of the learned indicator component on the labelled mentions of real pages (issue 17).

The learned component's vectoriser is fitted on the bundled training table (``resources/indicator_training.csv``);
its multinomial logistic regression on that table **plus every labelled mention of ``realpages/indicator_labels.csv`` whose page text is
present** in ``--texts`` (the splits of ``eval_indicators_real.HELD_OUT`` excepted: a split held out for a first
score is never trained on). The coefficients are written to ``lawgov_analysis/resources/indicator_weights.npz``
(:mod:`lawgov_analysis.measures.indicator_weights`: numbers only, no text). Run it again whenever the bundled
training table or the labels change; ``tests/test_indicator_weights.py`` fails when the weights no longer fit the
bundled table.

``--loo`` instead measures what the method carries to pages it was not fitted on: for each collection batch, the
model fitted on the bundled table and the real mentions of every *other* batch (held-out splits never used), scored on
that batch, next to the bundled table alone. Nothing is written.

Run::

    .venv/bin/python benchmarks/fit_indicator_weights.py --texts /work/realpages/texts [--loo]

This is a benchmark script, not a CI test; it needs the page texts locally.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import eval_indicators_real as ev  # noqa: E402

from lawgov_analysis.core.resources import resource_text  # noqa: E402
from lawgov_analysis.measures import indicator_model as im  # noqa: E402
from lawgov_analysis.measures.indicator_weights import MODEL_KIND, WEIGHTS_FILE, save_weights, training_digest  # noqa: E402
from lawgov_analysis.measures.metrics import extract_metrics  # noqa: E402

OUT = HERE.parent / "lawgov_analysis" / "resources" / WEIGHTS_FILE


def real_mentions(texts: Path, exclude: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The labels usable for training (held-out splits and ``exclude`` left out; ``group`` = split-b<batch>), the
    corpus of their pages, and the training rows (:func:`mention_features` of each labelled mention, ``source`` =
    ``real:<group>``)."""
    labels = pd.read_csv(ev.LABELS, dtype={"sha16": str, "unit": str, "indicator_id": str, "batch": str})
    labels = labels[~labels["split"].isin([*ev.HELD_OUT, *exclude])].copy()
    labels["group"] = labels["split"] + "-b" + labels["batch"]
    corpus, problems = ev.load_pages(labels, texts)
    for p in problems:
        print("skipped", p, file=sys.stderr)
    labels = labels[labels["sha16"].isin(set(corpus["doc_id"]))]
    text = dict(zip(corpus["doc_id"], corpus["text"]))
    rows = []
    for sha, g in labels.groupby("sha16", sort=True):
        f = im.mention_features(text[sha], list(zip(g["start"], g["end"], g["unit"])))
        f.insert(0, "indicator_id", g["indicator_id"].to_numpy())
        f.insert(0, "source", "real:" + g["group"].to_numpy())
        rows.append(f)
    return labels, corpus, pd.concat(rows, ignore_index=True)


def fitted(bundled: pd.DataFrame, real: pd.DataFrame) -> im.IndicatorModel:
    """The model as shipped: the vectoriser of the bundled table, the model on the bundled table plus ``real``."""
    return im.IndicatorModel().fit(pd.concat([bundled, real], ignore_index=True), vocabulary=bundled)


def _agreement(model: im.IndicatorModel, pages: pd.DataFrame, labels: pd.DataFrame) -> tuple[int, int]:
    default = im.default_model
    im.default_model = lambda: model
    try:
        found = ev.match(extract_metrics(pages), labels)
    finally:
        im.default_model = default
    found = found[found["pred_id"].notna()]
    return int((found["pred_id"] == found["indicator_id"]).sum()), len(found)


def leave_one_batch_out(labels: pd.DataFrame, corpus: pd.DataFrame, real: pd.DataFrame,
                        bundled: pd.DataFrame) -> None:
    written = im.IndicatorModel().fit(bundled)
    print("batch            bundled table alone   + other batches' real mentions   (mentions matched)")
    total = [0, 0, 0]
    for group in sorted(labels["group"].unique()):
        gold = labels[labels["group"] == group]
        pages = corpus[corpus["doc_id"].isin(set(gold["sha16"]))]
        a, n = _agreement(written, pages, gold)
        b, _ = _agreement(fitted(bundled, real[real["source"] != "real:" + group]), pages, gold)
        total = [total[0] + a, total[1] + b, total[2] + n]
        print(f"{group:15s}  {a / n:.3f}                 {b / n:.3f}                            ({n})", flush=True)
    print(f"{'all':15s}  {total[0] / total[2]:.3f}                 {total[1] / total[2]:.3f}"
          f"                            ({total[2]})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    ap.add_argument("--loo", action="store_true", help="leave one batch out; write nothing")
    ap.add_argument("--exclude", nargs="*", default=[], metavar="SPLIT",
                    help="labelled splits left out of the training (and of --loo); recorded in the weights")
    args = ap.parse_args(argv)

    labels, corpus, real = real_mentions(args.texts, tuple(args.exclude))
    bundled = im.load_training_table()
    if args.loo:
        leave_one_batch_out(labels, corpus, real, bundled)
        return 0
    model = fitted(bundled, real)
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    meta = {"model": MODEL_KIND, "training_digest": training_digest(resource_text("indicator_training.csv")),
            "columns": len(model.weights_), "vocabulary_digest": model.vocabulary_digest(), "C": model.C, "bundled_mentions": len(bundled),
            "real_mentions": len(real), "real_pages": int(labels["sha16"].nunique()),
            "splits": {g: int(n) for g, n in labels.groupby("group").size().items()},
            "held_out_splits": sorted(ev.HELD_OUT), "excluded_splits": sorted(args.exclude),
            "fitted_by": f"benchmarks/fit_indicator_weights.py at {commit or 'unknown'}",
            "fitted_on": dt.date.today().isoformat()}
    save_weights(OUT, classes=model.classes_, coef=model.coef_, intercept=model.intercept_, meta=meta)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): {len(model.classes_)} ids × {meta['columns']} columns, "
          f"{meta['bundled_mentions']} bundled + {meta['real_mentions']} real mentions on {meta['real_pages']} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
