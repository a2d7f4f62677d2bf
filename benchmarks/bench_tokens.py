"""Benchmark the tokenizer against plain jieba on the sample report replicated to a corpus of ≥ --mb MiB.

Measured in one run, on the same texts:

- plain ``jieba.lcut`` over every report (characters per second);
- ``tokens.tokenize`` cold, one process (sentence splitting, lexicon, kinds, stopwords, cache writes);
  overhead = cold time / plain time (target ≤ 1.3);
- ``tokens.tokenize`` warm (every report read from the cache); speed-up = cold / warm (target ≥ 50);
- ``tokens.tokenize`` cold with ``--jobs`` processes; speed-up = 1-process cold / n-process cold.

Each copy of the sample gets a distinct first line, so no two reports share a cache entry. Both tokenizers are
initialised before timing. Single-process ratios use CPU time (``os.times``), which other load on a shared
machine barely moves; wall times are printed beside them, and the load average. With ``--repeats N`` every timing is the best
of N. Usage: ``python benchmarks/bench_tokens.py [--mb 10] [--jobs 2] [--repeats 1]``.
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


def build_corpus(mb: float):
    import pandas as pd

    sample = (ROOT / "data" / "reports" / "changjiang-2021.txt").read_text(encoding="utf-8")
    target = mb * 1024 * 1024
    texts, size = [], 0
    while size < target:
        text = f"副本{len(texts)}\n{sample}"
        texts.append(text)
        size += len(text.encode("utf-8"))
    ids = [f"copy-{i:05d}" for i in range(len(texts))]
    return pd.DataFrame({"doc_id": ids, "text": texts}), size


def timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process and of its finished children, result) of ``fn()``."""
    wall, before = time.perf_counter(), os.times()
    result = fn()
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))  # user + system, self + children
    return time.perf_counter() - wall, cpu, result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in MiB (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="best of N for every timing (default 1)")
    parser.add_argument("--json", help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    scratch = Path(tempfile.mkdtemp(prefix="lawgov-bench-"))
    os.environ["LAWGOV_CACHE_DIR"] = str(scratch / "cache")
    try:
        import jieba

        from lawgov_analysis.text import tokens

        corpus, size = build_corpus(args.mb)
        chars = int(corpus["text"].str.len().sum())
        texts = corpus["text"].tolist()
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.lcut("初始化")  # initialise both tokenizers before timing
        tokens.tokenize(corpus.head(1), cache=False, progress=False)

        def fresh_cache(tag: str) -> None:
            folder = scratch / f"cache-{tag}"
            shutil.rmtree(folder, ignore_errors=True)
            os.environ["LAWGOV_CACHE_DIR"] = str(folder)

        def run(n_jobs: int):
            return timed(lambda: tokens.tokenize(corpus, n_jobs=n_jobs, progress=False))

        plain, cold, warm, parallel = [], [], [], []
        for r in range(args.repeats):
            plain.append(timed(lambda: [jieba.lcut(t) for t in texts])[:2])
            fresh_cache(f"one-{r}")
            *seconds, cold_table = run(1)
            cold.append(seconds)
            *seconds, warm_table = run(1)
            warm.append(seconds)
            assert warm_table.equals(cold_table), "warm cache differs from the cold run"
            fresh_cache(f"par-{r}")
            parallel.append(run(args.jobs)[:2])
        n_tokens = len(cold_table)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    best = {name: (min(x[0] for x in runs), min(x[1] for x in runs))
            for name, runs in dict(plain=plain, cold=cold, warm=warm, parallel=parallel).items()}
    (p, p_cpu), (c, c_cpu), (w, w_cpu), (par, par_cpu) = (best[k] for k in ("plain", "cold", "warm", "parallel"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    numbers = dict(reports=len(corpus), mib=round(size / 1024 / 1024, 2), chars=chars, tokens=n_tokens,
                   plain_s=round(p, 3), cold_s=round(c, 3), warm_s=round(w, 3), parallel_s=round(par, 3),
                   plain_cpu_s=round(p_cpu, 3), cold_cpu_s=round(c_cpu, 3), warm_cpu_s=round(w_cpu, 3),
                   plain_chars_per_s=round(chars / p_cpu), cold_chars_per_s=round(chars / c_cpu),
                   cold_overhead=round(c_cpu / p_cpu, 3), cold_overhead_wall=round(c / p, 3),
                   warm_speedup=round(c_cpu / w_cpu, 1), warm_speedup_wall=round(c / w, 1),
                   parallel_speedup=round(c / par, 2), parallel_cpu_s=round(par_cpu, 3), jobs=args.jobs,
                   repeats=args.repeats, cpus=os.cpu_count(), load_average=round(load, 2),
                   load_average_start=round(load_start, 2))
    print(f"corpus: {numbers['reports']} reports, {numbers['mib']} MiB, {chars:,} characters, {n_tokens:,} tokens")
    print("                               wall s    CPU s  chars/s (CPU; wall for processes)")
    print(f"plain jieba.lcut             {p:8.2f} {p_cpu:8.2f} {chars / p_cpu:>12,.0f}")
    print(f"tokenize cold, 1 process     {c:8.2f} {c_cpu:8.2f} {chars / c_cpu:>12,.0f}   "
          f"overhead {c_cpu / p_cpu:.2f}x plain jieba (wall {c / p:.2f}x; target <= 1.3x)")
    print(f"tokenize warm cache          {w:8.2f} {w_cpu:8.2f} {chars / w_cpu:>12,.0f}   "
          f"{c_cpu / w_cpu:.0f}x faster than cold (wall {c / w:.0f}x; target >= 50x)")
    print(f"tokenize cold, {args.jobs} processes   {par:8.2f} {par_cpu:8.2f} {chars / par:>12,.0f}   "
          f"wall speed-up {c / par:.2f}x over 1 process ({os.cpu_count()} cores; CPU {par_cpu / c_cpu:.2f}x "
          f"of 1 process)")
    print(f"Ratios use CPU time (insensitive to other load on the machine); the speed-up of processes can only "
          f"be measured in wall time. Load average {load_start:.2f} at start, {load:.2f} at end.")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2), encoding="utf-8")
    return numbers


if __name__ == "__main__":
    main()
