"""Score ``indicator_id`` on real government report pages that nobody on the team wrote (issue 17).

The labels (``benchmarks/realpages/indicator_labels.csv``) are facts only: the page URL, the first 16 hex digits
of the SHA-256 of the saved page text, the character offsets of each metric mention in that text, its value,
unit and the indicator id a careful annotator gives it from ``docs/spec/indicators.md``, the page's split
(``dev`` for tuning choices, ``holdout`` scored once, ``holdout2`` a second held-out set labelled later,
``holdout3`` a third one labelled for the third round, ``holdout4`` a fourth one labelled for the fourth round,
``ind5`` a fifth one labelled for the fifth round) and its ``batch`` (1: the first 52 pages; 2: 20 pages added for
the second round, all ``holdout2``; 3: 21 pages added for the third round, all ``holdout3``; 9: 25 pages added for the
fourth round, all ``holdout4``, and the pages of metadata batch 9 labelled for the fifth round, all ``ind5``; 10: more
pages for the fifth round, all ``ind5``). The page
texts are never committed; they are read from
``--texts`` (``<sha16>.txt``, UTF-8). A page whose text is missing or whose hash does not match is reported and
skipped.

Each page is run through :func:`lawgov_analysis.measures.metrics.metrics` as one report. A predicted mention
matches a labelled one as in ``docs/spec/metric-mentions.md`` (same page, equal value, equal unit, overlapping
span). Reported: agreement of ``indicator_id`` over matched mentions, per-indicator precision and recall over
matched mentions, and the share of matched mentions the package leaves ``other`` (and the share the annotator
does).

Run::

    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split dev
    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split holdout --per-id
    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split holdout2 --per-id
    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split holdout3 --per-id
    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split holdout4 --per-id
    .venv/bin/python benchmarks/eval_indicators_real.py --texts /work/realpages/texts --split ind5 --per-id

``--rules-only`` scores the hand rules without the learned component (the first score of issue 17).
``--show`` lists the disagreements of a split already tuned on or spent (``dev``, ``holdout``, ``holdout2``,
``holdout3``, ``holdout4``; ``tune`` = the first four together); on ``ind5`` it lists ``--batch 9`` only (the
round-6 tuning batch) and refuses the rest, which stays unseen until its final score.
This is a benchmark, not a CI test.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
LABELS = HERE / "realpages" / "indicator_labels.csv"
TUNE_SPLITS = ["dev", "holdout", "holdout2", "holdout3"]  # spent: tuned on or looked at (holdout4 is spent too)
UNSEEN_SPLIT = "ind5"  # scored once before and once after the fifth round; --show refuses it
TUNE_BATCH = "9"  # round 6 tunes on ind5 batch 9; --show lists it, batch 10 stays held out
HELD_OUT = ("ind13",)  # batches 25-26 of the eleventh session: never trained on (ind11 and ind12 are spent)


def load_pages(labels: pd.DataFrame, texts: Path) -> tuple[pd.DataFrame, list[str]]:
    """The corpus (``doc_id`` = sha16, ``text``) of every labelled page whose text is present and intact, and
    one message per page skipped."""
    rows, problems = [], []
    for sha in sorted(labels["sha16"].unique()):
        path = texts / f"{sha}.txt"
        if not path.is_file():
            problems.append(f"{sha}: no text at {path}")
            continue
        text = path.read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] != sha:
            problems.append(f"{sha}: text at {path} does not match its hash")
            continue
        rows.append((sha, text))
    return pd.DataFrame(rows, columns=["doc_id", "text"]), problems


#: Splits every diagnostic script may read (tuned on or spent); ind5's batches are scored as their own splits.
SPENT = ["dev", "holdout", "holdout2", "holdout3", "holdout4", "ind5-b9", "ind5-b10"]
#: ``(split, batch, name)``: the batches of a split scored under a name of their own. ind5 batch 9 is the round-6
#: tuning batch; batch 10 was held out until round 6 was merged, scored once (0.736) and is spent since.
BATCHES = (("ind5", "9", "ind5-b9"), ("ind5", "10", "ind5-b10"))


def load_spent(texts: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The labels of the :data:`SPENT` splits (ind5's batches renamed by :data:`BATCHES`) whose page text is present,
    and the corpus of those pages; a page skipped is said on stderr. No other split is read."""
    labels = pd.read_csv(LABELS, dtype={"sha16": str, "unit": str, "indicator_id": str})
    for split, batch, name in BATCHES:
        rows = (labels["split"] == split) & (labels["batch"].astype(str) == batch)
        labels.loc[rows, "split"] = name
    labels = labels[labels["split"].isin(SPENT)]
    corpus, problems = load_pages(labels, texts)
    for p in problems:
        print("skipped", p, file=sys.stderr)
    return labels[labels["sha16"].isin(set(corpus["doc_id"]))], corpus


def match(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Each labelled mention with the first prediction of the same page that overlaps it with an equal value and
    unit (``pred_id``; NaN when none does)."""
    by_doc = {d: g for d, g in pred.groupby("doc_id")}
    out = []
    for r in gold.itertuples(index=False):
        hit = None
        cand = by_doc.get(r.sha16)
        if cand is not None:
            over = cand[(cand["start"] < r.end) & (cand["end"] > r.start) & (cand["unit"] == r.unit)
                        & ((cand["value"] - float(r.value)).abs() <= 1e-9 * max(1.0, abs(float(r.value))))]
            if len(over):
                hit = over.iloc[0]["indicator_id"]
        out.append(hit)
    table = gold.copy()
    table["pred_id"] = out
    return table


def per_id(found: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of every indicator id over matched mentions (one row per id, sorted)."""
    ids = sorted(set(found["indicator_id"]) | set(found["pred_id"]))
    rows = []
    for i in ids:
        tp = int(((found["pred_id"] == i) & (found["indicator_id"] == i)).sum())
        npred = int((found["pred_id"] == i).sum())
        ngold = int((found["indicator_id"] == i).sum())
        rows.append((i, ngold, npred, tp, tp / npred if npred else float("nan"), tp / ngold if ngold else float("nan")))
    return pd.DataFrame(rows, columns=["indicator_id", "gold", "predicted", "agree", "precision", "recall"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--split", choices=["dev", "holdout", "holdout2", "holdout3", "holdout4", "ind5", "ind6", "ind7", "ind8", "ind9", "ind10", "ind11", "ind12", "ind13", "tune", "all"],
                    default="dev",
                    help="dev (tune on it), holdout (scored once in the first round), holdout2 (batch 2, labelled "
                         "later; scored once before and once after the second round of changes), holdout3 (batch 3, the same "
                         "for the third round; spent since), holdout4 (the same for the fourth round; spent since), ind5 "
                         "(batches 9-10, the same for the fifth round), ind6 (batches 11-12, seventh session), ind7 (batches "
                         "13-14, eighth session; spent), ind8 (batches 15-16, ninth session; spent), ind9 (batches 17-18, ninth session; spent), ind10 (batches 19-20, ninth session; spent), ind11 (batches 21-22, tenth session; spent), ind12 (batches 23-24, tenth session; spent), ind13 (batches 25-26, eleventh session, held out), tune (the first four spent splits together)")
    ap.add_argument("--batch", default="all",
                    help="score one collection batch of the split only (e.g. --split ind5 --batch 10)")
    ap.add_argument("--rules-only", action="store_true", help="hand rules without the learned component")
    ap.add_argument("--per-id", action="store_true", help="print precision and recall per indicator id")
    ap.add_argument("--show", action="store_true", help="list disagreements (on ind5 only with --batch 9)")
    args = ap.parse_args(argv)

    labels = pd.read_csv(args.labels, dtype={"sha16": str, "unit": str, "indicator_id": str})
    if args.split == "tune":
        labels = labels[labels["split"].isin(TUNE_SPLITS)]
    elif args.split != "all":
        labels = labels[labels["split"] == args.split]
    if args.batch != "all":
        labels = labels[labels["batch"].astype(str) == args.batch]
    corpus, problems = load_pages(labels, args.texts)
    for p in problems:
        print("skipped", p, file=sys.stderr)
    labels = labels[labels["sha16"].isin(set(corpus["doc_id"]))]

    from lawgov_analysis.measures import indicator_model
    from lawgov_analysis.measures import metrics as metrics_mod
    # the extractor is being renamed (metrics -> extract_metrics) by the package split; accept either name
    extract = getattr(metrics_mod, "extract_metrics", None) or metrics_mod.metrics
    with indicator_model.rules_only() if args.rules_only else contextlib.nullcontext():
        pred = extract(corpus)

    table = match(pred, labels)
    found = table[table["pred_id"].notna()]
    agree = float((found["pred_id"] == found["indicator_id"]).mean()) if len(found) else float("nan")
    print(f"split={args.split} batch={args.batch} pages={corpus['doc_id'].nunique()} labelled={len(table)} matched={len(found)} "
          f"({len(found) / max(1, len(table)):.3f})")
    print(f"indicator agreement on matched mentions: {agree:.3f} ({int((found['pred_id'] == found['indicator_id']).sum())}"
          f"/{len(found)})")
    print(f"share left other: predicted {float((found['pred_id'] == 'other').mean()):.3f}, "
          f"annotator {float((found['indicator_id'] == 'other').mean()):.3f}")
    if args.per_id:
        with pd.option_context("display.max_rows", 200, "display.width", 140):
            print(per_id(found).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    if args.show:
        if args.split in HELD_OUT:
            print(f"--show never lists the held-out split {args.split}", file=sys.stderr)
            return 2
        if args.split == "all" or (args.split == UNSEEN_SPLIT and args.batch != TUNE_BATCH):
            print(f"--show lists {UNSEEN_SPLIT} disagreements of batch {TUNE_BATCH} only (batch 10 stays held out)",
                  file=sys.stderr)
            return 2
        texts = dict(zip(corpus["doc_id"], corpus["text"]))
        bad = found[found["pred_id"] != found["indicator_id"]]
        for r in bad.itertuples(index=False):
            t = texts[r.sha16]
            ctx = (t[max(0, r.start - 30):r.start] + "[" + t[r.start:r.end] + "]" + t[r.end:r.end + 4]).replace("\n", " ")
            print(f"{r.sha16} {r.start:5d} gold={r.indicator_id:32s} pred={r.pred_id:32s} {ctx}")
        print(Counter(zip(bad["indicator_id"], bad["pred_id"])).most_common(15))
    return 0


if __name__ == "__main__":
    sys.exit(main())
