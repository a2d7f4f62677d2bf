"""Benchmark of text-reuse detection (analysis/reuse.find_reuse) at corpus scale.

Two corpora per size:

``template``
    ``tests/corpus_factory`` ``bench`` reports: every report is a shuffle of the sample report's paragraphs with
    perturbed numbers, so every sentence recurs in hundreds to thousands of reports — the worst case for
    candidate generation (a template sentence copied by everyone). Years 2019–2024 and levels 县/区/市 are
    assigned in turn; a third of the regions repeat, so governments have several years.
``planted``
    ``tests/corpus_factory`` ``planted`` corpus: unrelated random reports with about 1.5 planted, edited copies per
    report, for passage-level recall and precision at scale.

Timed: sentence splitting (done once by ``build`` and stored; shown for reference) and ``find_reuse`` from the
sentence table, with numbers masked (the default) and kept. Prints one table row per run.

``--store STORE`` instead times the build's ``reuse`` stage on a built store, read-only (the sentence table read
one partition at a time, as ``build`` does; nothing is written): wall seconds and the process's peak RSS, so
run one store per invocation (e.g. under ``/usr/bin/time -v``).

Usage: ``python benchmarks/bench_reuse.py 2000 10000 [--skip-unmasked]``;
``python benchmarks/bench_reuse.py --store /tmp/b100k/store``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgov_analysis.analysis.reuse import find_reuse, reuse_shares  # noqa: E402
from lawgov_analysis.text.structure import sentences  # noqa: E402
from tests.corpus_factory import bench_record, corpus_table, match_rates, planted_truth  # noqa: E402


def template_corpus(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rec = bench_record(i)
        doc_id, text = rec["doc_id"], rec["text"]
        rows.append(dict(doc_id=doc_id, text=text, chars=len(text), year=2019 + i % 6,
                         level=("县", "区", "市")[i % 3], region=f"地{i % max(1, n // 3)}"))
    return pd.DataFrame(rows)


def run(name: str, corpus: pd.DataFrame, truth: pd.DataFrame | None, mask: bool) -> dict:
    t = time.perf_counter()
    sents = sentences(corpus)
    t_sent = time.perf_counter() - t
    t = time.perf_counter()
    pairs = find_reuse(sents, corpus.drop(columns="text"), mask_numbers=mask)
    t_reuse = time.perf_counter() - t
    shares = reuse_shares(pairs, corpus)
    row = dict(corpus=name, reports=len(corpus), sentences=len(sents), mask_numbers=mask,
               sentences_s=round(t_sent, 1), find_reuse_s=round(t_reuse, 1), passages=len(pairs),
               mean_reused_share=round(float(shares["reused_share"].mean()), 3),
               peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2))
    if truth is not None:
        recall, precision = match_rates(pairs, truth)
        row.update(planted=len(truth), recall=round(recall, 4), precision=round(precision, 4))
    return row


def run_store(path: str) -> dict:
    """The ``reuse`` stage of a built store (nothing written): time, peak RSS, passages."""
    import os

    from lawgov_analysis.pipeline.catalog import Store
    from lawgov_analysis.pipeline.stages import reuse_stage

    store = Store(path)
    t = time.perf_counter()
    pairs = reuse_stage(store=store)
    return dict(store=path, reports=len(store.index), reuse_stage_s=round(time.perf_counter() - t, 1),
                passages=len(pairs), peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
                load_average=" ".join(f"{x:.1f}" for x in os.getloadavg()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*")
    parser.add_argument("--skip-unmasked", action="store_true")
    parser.add_argument("--store", help="time the reuse stage on this built store instead (read-only)")
    args = parser.parse_args(argv)
    if args.store:
        print(run_store(args.store), flush=True)
        return
    rows = []
    for n in args.sizes:
        corpus = template_corpus(n)
        rows.append(run("template", corpus, None, True))
        print(rows[-1], flush=True)
        if not args.skip_unmasked:
            rows.append(run("template", corpus, None, False))
            print(rows[-1], flush=True)
        corpus, truth = corpus_table("planted", size=n), planted_truth(size=n)
        rows.append(run("planted", corpus, truth, True))
        print(rows[-1], flush=True)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
