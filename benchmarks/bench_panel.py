"""Cost of the indicator panel: ``panel()`` (and ``changes()``, the year-over-year audit) as a share of ``extract_metrics()``.

The corpus is generated from the bundled sample: its numbered paragraphs (1、…) shuffled, a seeded subset kept and
renumbered under 一、/(一) headings, every Arabic number perturbed (±30 %, same decimals, years kept) and one
year-over-year sentence (同比增长/较上年减少/个百分点) appended to some paragraphs, so that changes are exercised.
Reports are issued by ``n / 4`` governments (with region codes) over four consecutive years, so the
cross-report check has pairs to compare. Seeded: the same ``--n`` and ``--seed`` give the same corpus.

Usage: ``python benchmarks/bench_panel.py [--n 2000] [--seed 0] [--repeat 2]``. Goal: panel adds < 20 % to metrics time.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import pandas as pd

from lawgov_analysis.measures.audit import audit
from lawgov_analysis.measures.metrics import extract_metrics
from lawgov_analysis.measures.panel import changes, panel

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "reports" / "changjiang-2021.txt"
_ITEM = re.compile(r"^\d{1,2}、")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN = "一二三四五六七八九十"
_CHANGES = ("同比增长{p}%。", "较上年减少{n}件。", "同比提高{q}个百分点。", "比上年增加{n}件。", "同比下降{p}%。")


def _perturb(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s.startswith(("19", "20")):
            return s
        value = float(s) * rng.uniform(0.7, 1.3)
        return f"{value:.{len(s.split('.')[1])}f}" if "." in s else str(max(1, round(value)))

    return _NUMBER.sub(repl, text)


def generate(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` reports as a corpus table (``doc_id, text, region, region_code, level, year, department``)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    preamble = lines[0]
    items = [_ITEM.sub("", x) for x in lines if _ITEM.match(x)]
    rows = []
    for i in range(n):
        gov, year = divmod(i, 4)
        rng = random.Random(f"{seed}-{i}")
        chosen = [p for p in items if rng.random() < 0.7] or items[:2]
        rng.shuffle(chosen)
        out = [f"第{gov}区{2019 + year}年法治政府建设工作情况报告", preamble]
        for a in range(0, len(chosen), 6):
            out.append(f"{_CN[(a // 6) % 10]}、主要工作")
            for k, para in enumerate(chosen[a:a + 6], 1):
                para = _perturb(para, rng)
                if rng.random() < 0.4:
                    para = para.rstrip("。") + "，" + rng.choice(_CHANGES).format(
                        p=round(rng.uniform(1, 30), 1), n=rng.randint(1, 50), q=rng.randint(1, 5))
                out.append(f"{k}、{para}")
        rows.append(dict(doc_id=f"gen-{i:05d}", text="\n".join(out) + "\n", region=f"第{gov}区",
                         region_code=f"{360000 + gov:06d}", level="区", year=2019 + year, department=""))
    return pd.DataFrame(rows)


def _timed(f, *args, repeat: int = 1, **kwargs):
    """The result and the best wall time of ``repeat`` runs (the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs of extract_metrics() and panel()")
    args = parser.parse_args(argv)
    corpus = generate(args.n, args.seed)
    chars = int(corpus["text"].str.len().sum())
    table, t_metrics = _timed(extract_metrics, corpus, repeat=args.repeat)
    long, t_panel = _timed(panel, table, corpus, repeat=args.repeat)
    wide, t_wide = _timed(panel, table, corpus, wide=True)
    ch, t_changes = _timed(changes, table, corpus)
    findings, t_audit = _timed(audit, table, corpus)
    yoy = findings[findings["kind"] == "year_over_year"]
    print(f"corpus: {len(corpus):,} generated reports, {chars:,} characters, {len(table):,} metric mentions")
    print(f"extract_metrics():         {t_metrics:8.2f} s  (best of {args.repeat})")
    print(f"panel():           {t_panel:8.2f} s  ({len(long):,} rows)   adds {100 * t_panel / t_metrics:.1f} % "
          "to metrics time (goal < 20 %)")
    print(f"panel(wide=True):  {t_wide:8.2f} s  ({wide.shape[0]:,} x {wide.shape[1]:,})")
    print(f"changes():         {t_changes:8.2f} s  ({len(ch):,} rows, {int(ch['previous'].notna().sum()):,} "
          "with an implied previous value)")
    print(f"audit() incl. year_over_year: {t_audit:.2f} s  ({len(yoy):,} year_over_year checks, "
          f"{int((yoy['severity'] != 'ok').sum()):,} not ok)")


if __name__ == "__main__":
    main()
