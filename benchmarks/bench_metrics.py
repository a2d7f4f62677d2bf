"""Speed of metric extraction against a bare digit scan over the same texts, in the same process.

The corpus is ``N`` generated reports (``tests/corpus_factory`` kind ``bench``, about 5,000 characters each; default 500).
The floor is ``re.findall(r"\\d+")`` over every text; the metric time is one :func:`extract_metrics` call on the
report table (sections and sentences included). Times are CPU seconds of this process (``time.process_time``),
each side run ``--repeat`` times (the floor at least 5) with the fastest kept, so that other work on a shared
machine disturbs the ratio less. The script prints both times and the ratio
(issue 19 asks for at most 25×). ``--rules-only`` switches the learned indicator component off, to time the
extractor and the hand rules alone. Run with ``make bench`` (not part of the tests).

Usage: ``python benchmarks/bench_metrics.py [N] [--repeat 3] [--rules-only]``.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lawgov_analysis.measures.metrics import extract_metrics  # noqa: E402
from tests.corpus_factory import corpus_table  # noqa: E402


def _fastest(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=500, help="generated reports (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the fastest is kept")
    parser.add_argument("--rules-only", action="store_true",
                        help="hand rules alone (measures.indicator_model.rules_only): the extractor without the "
                             "learned indicator component")
    args = parser.parse_args(argv)

    corpus = corpus_table("bench", size=args.n)[["doc_id", "text"]]
    texts = corpus["text"].tolist()
    total = sum(map(len, texts))
    digits = re.compile(r"\d+")

    t_floor, hits = _fastest(lambda: sum(len(digits.findall(t)) for t in texts), max(args.repeat, 5))
    context = contextlib.nullcontext()
    if args.rules_only:
        from lawgov_analysis.measures.indicator_model import rules_only

        context = rules_only()
    with context:
        t_metrics, table = _fastest(lambda: extract_metrics(corpus), args.repeat)

    print(f"text: {total:,} characters in {args.n} generated reports")
    print(f"floor   re.findall(r'\\d+'): {t_floor:.3f} CPU s ({hits:,} digit runs, {total / t_floor:,.0f} chars/s)")
    print(f"extract_metrics(){' (rules only)' if args.rules_only else ''}: {t_metrics:.3f} CPU s ({len(table):,} mentions, {total / t_metrics:,.0f} chars/s)")
    print(f"ratio extract_metrics / floor: {t_metrics / t_floor:.1f}x")


if __name__ == "__main__":
    main()
