"""Benchmark the tokenizer against plain jieba on the sample report replicated to a corpus of ≥ --mb MiB.

Measured in one run, on the same texts:

- plain ``jieba.lcut`` over every report (characters per second);
- ``tokens.tokenize`` cold, one process (sentence splitting, lexicon, kinds, stopwords, cache writes);
  overhead = cold time / plain time (target ≤ 1.3);
- ``tokens.tokenize`` warm (every report read from the cache); speed-up = cold / warm (target ≥ 50);
- ``tokens.tokenize`` cold with ``--jobs`` processes; speed-up = 1-process cold / n-process cold.

Each copy of the sample gets a distinct first line, so no two reports share a cache entry. Both tokenizers are
initialised before timing. With ``--repeats N`` every timing is the best of N (other load on the machine only
ever slows a run down). Usage: ``python benchmarks/bench_tokens.py [--mb 10] [--jobs 2] [--repeats 1]``.
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


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in MiB (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="best of N for every timing (default 1)")
    parser.add_argument("--json", help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="lawgov-bench-"))
    os.environ["LAWGOV_CACHE_DIR"] = str(scratch / "cache")
    try:
        import jieba

        from lawgov_analysis import tokens

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
            start = time.perf_counter()
            table = tokens.tokenize(corpus, n_jobs=n_jobs, progress=False)
            return time.perf_counter() - start, table

        plain, cold, warm, parallel = [], [], [], []
        for r in range(args.repeats):
            plain.append(timed(lambda: [jieba.lcut(t) for t in texts]))
            fresh_cache(f"one-{r}")
            seconds, cold_table = run(1)
            cold.append(seconds)
            seconds, warm_table = run(1)
            warm.append(seconds)
            assert warm_table.equals(cold_table), "warm cache differs from the cold run"
            fresh_cache(f"par-{r}")
            parallel.append(run(args.jobs)[0])
        n_tokens = len(cold_table)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    p, c, w, par = min(plain), min(cold), min(warm), min(parallel)
    numbers = dict(reports=len(corpus), mib=round(size / 1024 / 1024, 2), chars=chars, tokens=n_tokens,
                   plain_s=round(p, 3), cold_s=round(c, 3), warm_s=round(w, 3), parallel_s=round(par, 3),
                   plain_chars_per_s=round(chars / p), cold_chars_per_s=round(chars / c),
                   cold_overhead=round(c / p, 3), warm_speedup=round(c / w, 1),
                   parallel_speedup=round(c / par, 2), jobs=args.jobs, repeats=args.repeats,
                   cpus=os.cpu_count())
    print(f"corpus: {numbers['reports']} reports, {numbers['mib']} MiB, {chars:,} characters, {n_tokens:,} tokens")
    print(f"plain jieba.lcut             {p:8.2f} s  {chars / p:>10,.0f} chars/s")
    print(f"tokenize cold, 1 process     {c:8.2f} s  {chars / c:>10,.0f} chars/s  "
          f"overhead {c / p:.2f}x plain jieba (target <= 1.3x)")
    print(f"tokenize warm cache          {w:8.2f} s  {chars / w:>10,.0f} chars/s  "
          f"{c / w:.0f}x faster than cold (target >= 50x)")
    print(f"tokenize cold, {args.jobs} processes   {par:8.2f} s  {chars / par:>10,.0f} chars/s  "
          f"speed-up {c / par:.2f}x over 1 process ({os.cpu_count()} cores)")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2), encoding="utf-8")
    return numbers


if __name__ == "__main__":
    main()
