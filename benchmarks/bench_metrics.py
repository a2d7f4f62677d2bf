"""Throughput of ``metrics()``: characters per second on the sample report replicated to >= 10 MB.

The floor is a bare ``re.finditer(r"\\d+")`` scan over the same text in the same run; the script prints both
rates and their ratio. Run with ``make bench`` (not part of the tests). Takes well under two minutes.
``python benchmarks/bench_metrics.py MB`` replicates to MB megabytes instead of 10 (a quick check).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pandas as pd

from lawgov_analysis.measures.metrics import metrics

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "reports" / "changjiang-2021.txt"
TARGET_CHARS = 10 * 1024 * 1024


def main() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    target = int(float(sys.argv[1]) * 1024 * 1024) if len(sys.argv) > 1 else TARGET_CHARS
    # one report per copy, as a real corpus is many reports of this size
    copies = -(-target // len(text))
    docs = [text] * copies
    corpus = pd.DataFrame({"doc_id": [f"bench-{i:05d}" for i in range(copies)], "text": docs})
    total = sum(len(d) for d in docs)

    t0 = time.perf_counter()
    floor_hits = sum(1 for d in docs for _ in re.finditer(r"\d+", d))
    t_floor = time.perf_counter() - t0

    t0 = time.perf_counter()
    table = metrics(corpus)
    t_metrics = time.perf_counter() - t0

    rate_floor = total / t_floor
    rate_metrics = total / t_metrics
    print(f"text: {total:,} characters in {copies} reports (copies of {SAMPLE.name})")
    print(f"floor   re.finditer(r'\\d+'): {rate_floor:,.0f} chars/s ({floor_hits:,} digit runs, {t_floor:.2f} s)")
    print(f"metrics():                   {rate_metrics:,.0f} chars/s ({len(table):,} mentions, {t_metrics:.2f} s)")
    print(f"ratio floor/metrics: {rate_floor / rate_metrics:.1f}x slower than the floor")


if __name__ == "__main__":
    main()
