"""Two annotators and the package on the same real mentions (issue 17): is the gap the package's or the annotators'?

``realpages/indicator_labels_second.csv`` holds a second annotator's id for every mention of six splits (``ind8``:
369 mentions, ``ind9``: 322, ``ind10``: 248, ``ind11``: 249, ``ind12``: 266, ``ind13``: 259; each labelled from the spec by a reader who
saw neither the first labels nor the package's output); the spans are those of ``indicator_labels.csv``. Since the eleventh
session the package is fitted on batches 1-24, so its figures for batches 15-24 are in-sample; those of 25-26 are not. Printed per batch: how often the annotators agree, and how often the package agrees with
the first, the second, either, and on the mentions both annotators give the same id.

Run::

    .venv/bin/python benchmarks/annotator_agreement.py --texts /work/realpages/texts

A benchmark, not a CI test; it needs the page texts locally.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_indicators_real as ev  # noqa: E402

SECOND = HERE / "realpages" / "indicator_labels_second.csv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="folder of <sha16>.txt page texts")
    args = ap.parse_args(argv)

    from lawgov_analysis.measures.metrics import extract_metrics

    keys = ["sha16", "start", "end"]
    first = pd.read_csv(ev.LABELS, dtype={"sha16": str, "unit": str, "indicator_id": str, "batch": str})
    second = pd.read_csv(SECOND, dtype={"sha16": str, "indicator_id": str, "batch": str})
    both = first.merge(second[[*keys, "indicator_id"]].rename(columns={"indicator_id": "second"}), on=keys)
    corpus, problems = ev.load_pages(both, args.texts)
    for p in problems:
        print("skipped", p, file=sys.stderr)
    found = ev.match(extract_metrics(corpus), both[both["sha16"].isin(set(corpus["doc_id"]))])
    for batch in [*sorted(found["batch"].unique()), None]:
        d = found if batch is None else found[found["batch"] == batch]
        m = d[d["pred_id"].notna()]
        same = m[m["indicator_id"] == m["second"]]
        agree = (d["indicator_id"] == d["second"])
        print(f"batch {batch or 'all'}: annotators agree {agree.mean():.3f} ({agree.sum()}/{len(d)}); package "
              f"with the first {(m['pred_id'] == m['indicator_id']).mean():.3f}, the second "
              f"{(m['pred_id'] == m['second']).mean():.3f}, either "
              f"{((m['pred_id'] == m['indicator_id']) | (m['pred_id'] == m['second'])).mean():.3f}; on the {len(same)} "
              f"mentions both give the same id {(same['pred_id'] == same['indicator_id']).mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
