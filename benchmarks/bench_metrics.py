"""Speed of metric extraction against a bare digit scan over the same texts, in the same process.

The corpus is ``N`` generated reports (``tests/corpus_factory`` kind ``bench``, about 5,000 characters each;
default 500). The floor is ``re.findall(r"\\d+")`` over every text; each timed part is CPU seconds of this
process (``time.process_time``), run ``--repeat`` times (the floor, a few hundredths of a second, at least 15
times) with the fastest kept, so that other work on a shared machine disturbs the ratios less. Printed, each with its ratio to the floor:

- ``extract_metrics(corpus)``: the whole extraction from the report table (sections and sentences included);
  issue 19 asks for at most 25×;
- ``sections``, ``sentences`` (given the sections) — :mod:`lawgov_analysis.text.structure`;
- the metrics stage as the store build runs it: ``extract_metrics`` given the sections and sentences.

``--rules-only`` switches the learned indicator component off (``measures.indicator_model.rules_only``) for
every part, to time the extractor and the hand rules alone; without it the metrics stage is also timed with the
rules only, so both numbers are printed. Run with ``make bench`` (not part of the tests).

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

from lawgov_analysis.measures.indicator_model import rules_only  # noqa: E402
from lawgov_analysis.measures.metrics import extract_metrics  # noqa: E402
from lawgov_analysis.text.structure import sections, sentences  # noqa: E402
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

    t_floor, hits = _fastest(lambda: sum(len(digits.findall(t)) for t in texts), max(3 * args.repeat, 15))
    context = rules_only() if args.rules_only else contextlib.nullcontext()
    label = " (rules only)" if args.rules_only else ""
    with context:
        t_metrics, table = _fastest(lambda: extract_metrics(corpus), args.repeat)
        t_sections, secs = _fastest(lambda: sections(corpus), args.repeat)
        t_sentences, sents = _fastest(lambda: sentences(corpus, sections_table=secs), args.repeat)
        t_stage, _ = _fastest(lambda: extract_metrics(corpus, sections=secs, sentences=sents), args.repeat)
    parts = [(f"extract_metrics(corpus){label}", t_metrics, f"{len(table):,} mentions"),
             ("sections", t_sections, f"{len(secs):,} sections"),
             ("sentences (given sections)", t_sentences, f"{len(sents):,} sentences"),
             (f"metrics stage (given sections, sentences){label}", t_stage, "")]
    if not args.rules_only:
        with rules_only():
            t_rules, _ = _fastest(lambda: extract_metrics(corpus, sections=secs, sentences=sents), args.repeat)
        parts.append(("metrics stage (given sections, sentences) (rules only)", t_rules, ""))

    print(f"text: {total:,} characters in {args.n} generated reports")
    print(f"floor re.findall(r'\\d+'): {t_floor:.3f} CPU s ({hits:,} digit runs, {total / t_floor:,.0f} chars/s)")
    width = max(len(name) for name, _, _ in parts)
    for name, t, note in parts:
        print(f"{name:<{width}}  {t:7.3f} CPU s  {t / t_floor:6.1f}x the floor  {note}")
    print(f"ratio extract_metrics / floor: {t_metrics / t_floor:.1f}x")


if __name__ == "__main__":
    main()
