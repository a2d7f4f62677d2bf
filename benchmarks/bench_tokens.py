"""Benchmark ``tokenize`` with each segmenter backend against plain ``jieba.lcut``, per core, on the same texts.

Measured in one process, on the same generated reports (``tests/corpus_factory`` kind ``bench``; distinct texts):

- plain ``jieba.lcut`` over every report — the baseline every Chinese text toolkit pays;
- plain ``rjieba.cut`` (jieba-rs, no lexicon, no post-processing) — the floor;
- ``tokenize(segmenter="rjieba")`` and ``tokenize(segmenter="jieba")`` cold, one process, no cache: sentence
  splitting, lexicon, protected titles and slogans, kinds, stopwords, the Arrow table and the pandas frame;
  ratio = tokenize CPU time / plain ``jieba.lcut`` CPU time (the issue's goal for rjieba: ≤ 0.3);
- the token stage of a store build, ``token_table(corpus, sentences, …)`` with each backend: the same tokens
  from sentences split beforehand (the build splits them once for every stage), so without
  ``structure.sentences``, which is timed on its own;
- ``tokenize`` warm (every report read from the cache) and cold with ``--jobs`` processes (wall time).

All segmenters are built before timing. Ratios use CPU time (``os.times``: user + system of this process and
its finished children), which other load on a shared machine barely moves; wall times are printed beside them
with the load average. With ``--repeats N`` every timing is the best of N (runs interleaved). Usage:
``python benchmarks/bench_tokens.py [--reports 400] [--jobs 2] [--repeats 3] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_corpus(n: int, seed: int = 0):

    from tests.corpus_factory import corpus_table

    return corpus_table("bench", size=n, seed=seed)[["doc_id", "text"]]


def timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process and of its finished children, result) of ``fn()``."""
    wall, before = time.perf_counter(), os.times()
    result = fn()
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))  # user + system, self + children
    return time.perf_counter() - wall, cpu, result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=400, help="generated reports (default 400, ~2 MB)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="best of N for every timing (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    scratch = Path(tempfile.mkdtemp(prefix="lawgov-bench-"))
    os.environ["LAWGOV_CACHE_DIR"] = str(scratch / "cache")
    try:
        import jieba
        import rjieba

        from lawgov_analysis.text import tokens
        from lawgov_analysis.text.segmenters import segmenter_version

        corpus = build_corpus(args.reports, args.seed)
        texts = corpus["text"].tolist()
        chars = sum(map(len, texts))
        size = sum(len(t.encode("utf-8")) for t in texts)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.lcut("初始化")  # build every segmenter before timing
        rjieba.cut("初始化")
        for backend in ("rjieba", "jieba"):
            tokens.tokenize(corpus.head(2), segmenter=backend, cache=False, progress=False)

        def fresh_cache(tag: str) -> None:
            folder = scratch / f"cache-{tag}"
            shutil.rmtree(folder, ignore_errors=True)
            os.environ["LAWGOV_CACHE_DIR"] = str(folder)

        runs: dict[str, list[tuple[float, float]]] = {}
        tables = {}

        def record(name: str, result: tuple) -> None:
            runs.setdefault(name, []).append(result[:2])

        from lawgov_analysis.text import structure

        entries, stopset = tokens.lexicon_entries(None), tokens.load_stopwords()
        for r in range(args.repeats):
            record("plain jieba.lcut", timed(lambda: [jieba.lcut(t) for t in texts]))
            record("plain rjieba.cut", timed(lambda: [rjieba.cut(t) for t in texts]))
            *seconds, sents = timed(lambda: structure.sentences(corpus))
            record("structure.sentences", seconds)
            for backend in ("rjieba", "jieba"):
                record(f"token stage {backend} (given sentences)", timed(lambda b=backend, st=sents: tokens.token_table(
                    corpus, st, lexicon=entries, stopwords=stopset, segmenter=b)))
            for backend in ("rjieba", "jieba"):
                *seconds, tables[backend] = timed(lambda b=backend: tokens.tokenize(
                    corpus, segmenter=b, cache=False, n_jobs=1, progress=False))
                record(f"tokenize {backend}", seconds)
            fresh_cache(f"warm-{r}")
            tokens.tokenize(corpus, n_jobs=1, progress=False)
            *seconds, warm = timed(lambda: tokens.tokenize(corpus, n_jobs=1, progress=False))
            record("tokenize rjieba, warm cache", seconds)
            assert warm.equals(tables["rjieba"]), "warm cache differs from the cold run"
            fresh_cache(f"par-{r}")
            record(f"tokenize rjieba, {args.jobs} processes", timed(lambda: tokens.tokenize(
                corpus, n_jobs=args.jobs, progress=False)))
        same = tables["rjieba"][["doc_id", "start", "end"]].equals(tables["jieba"][["doc_id", "start", "end"]])
        versions = f"{segmenter_version('rjieba')}, {segmenter_version('jieba')}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    best = {name: (min(x[0] for x in v), min(x[1] for x in v)) for name, v in runs.items()}
    base_wall, base_cpu = best["plain jieba.lcut"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus: {len(corpus)} generated reports, {size / 2**20:.2f} MiB, {chars:,} characters, "
          f"{len(tables['rjieba']):,} tokens; {versions}; rjieba tokens identical to jieba's: {same}")
    print(f"{'':<38}{'wall s':>8}{'CPU s':>8}{'chars/s (CPU)':>15}{'× jieba.lcut (CPU)':>20}")
    numbers: dict = dict(reports=len(corpus), mib=round(size / 2**20, 2), chars=chars,
                         tokens=len(tables["rjieba"]), identical_tokens=same, versions=versions,
                         jobs=args.jobs, repeats=args.repeats, cpus=os.cpu_count(),
                         load_average_start=round(load_start, 2), load_average=round(load, 2), timings={})
    for name, (wall, cpu) in best.items():
        ratio = cpu / base_cpu
        note = " (wall; processes)" if "processes" in name else ""
        print(f"{name:<38}{wall:>8.2f}{cpu:>8.2f}{chars / max(cpu, 1e-9):>15,.0f}{ratio:>19.3f}x{note}")
        numbers["timings"][name] = dict(wall_s=round(wall, 3), cpu_s=round(cpu, 3), ratio_cpu=round(ratio, 3),
                                        ratio_wall=round(wall / base_wall, 3))
    goal = numbers["timings"]["tokenize rjieba"]["ratio_cpu"]
    stage = numbers["timings"]["token stage rjieba (given sentences)"]["ratio_cpu"]
    print(f"tokenize(segmenter='rjieba') takes {goal:.3f}x the CPU time of plain jieba.lcut (goal <= 0.3x), "
          f"{stage:.3f}x given the sentences. Load average {load_start:.2f} at start, {load:.2f} at end "
          f"({os.cpu_count()} cores).")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2), encoding="utf-8")
    return numbers


if __name__ == "__main__":
    main()
