"""Benchmark the corpus store end to end at several corpus sizes, next to plain-jieba and bare-scan baselines.

For each size N (``BENCH_SIZES``, default ``500,2000,10000``) a fresh Python process:

1. writes N generated reports (``tests/corpus_factory`` kind ``bench``, seeded) to a scratch folder;
2. measures the baselines on the same texts: plain ``jieba.lcut`` over every text, spread over as many
   processes as the build uses (CPU seconds summed over them, and wall time), and a bare
   ``re.findall(r"\\d+")`` scan in one process (CPU seconds);
3. builds the store from the files (``build_store``, ``--jobs`` processes, default 2): wall time, peak RSS of
   the whole process tree (sampled every 0.1 s), and the CPU seconds of each per-report stage summed over the
   workers (structure, tokens, theme_hits, metrics, audit, panel, write);
4. rebuilds the unchanged store (warm: every report skipped);
5. theme scores by report from the stored hits (``theme_scores``), ``fit_topics`` (NMF, k=10, paragraphs)
   and ``select_k`` (k = 4, 8; two seeds; only up to ``BENCH_SELECT_K_MAX`` = 2000 reports) on the stored
   tokens.

The table printed has, per stage, the seconds at each size and the per-report milliseconds, and the growth
(per-report time at the largest size / at the smallest: 1.0 = linear). Usage:
``BENCH_SIZES=500,2000 python benchmarks/bench_store.py [--jobs 2] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))


class PeakRSS:
    """Peak resident memory of this process and all its children, sampled in a thread."""

    def __init__(self, interval: float = 0.1):
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # noqa: BLE001 - a child that just exited
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def _plain_jieba(texts: list[str]) -> float:
    """CPU seconds of plain ``jieba.lcut`` over ``texts`` in this process."""
    import jieba

    t = time.process_time()
    for text in texts:
        jieba.lcut(text)
    return time.process_time() - t


def one_size(n: int, jobs: int, scratch: Path) -> dict:
    import logging

    import jieba

    from lawgov_analysis.analysis.themes import theme_scores
    from lawgov_analysis.analysis.topics import fit_topics, select_k
    from lawgov_analysis.pipeline.runner import build_store
    from tests.corpus_factory import bench_record, write_corpus

    out: dict = {"n": n, "jobs": jobs}
    folder = write_corpus("bench", scratch / "reports", size=n)
    texts = [bench_record(i)["text"] for i in range(n)]
    out["chars"] = sum(map(len, texts))

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.lcut("初始化")
    # plain jieba on the same number of processes as the build, each on its share of the texts: CPU seconds
    # summed over the processes compare per core with the build's stage CPU (both cores busy in both)
    import multiprocessing as mp

    shares = [texts[i::jobs] for i in range(jobs)]
    t = time.perf_counter()
    with mp.get_context("fork").Pool(jobs) as pool:
        cpu = pool.map(_plain_jieba, shares)
    out["baseline_jieba_wall"] = time.perf_counter() - t
    out["baseline_jieba"] = sum(cpu)
    digits = re.compile(r"\d+")
    t = time.process_time()
    for text in texts:
        digits.findall(text)
    out["baseline_scan"] = time.process_time() - t
    del texts

    store_dir = scratch / "store"
    with PeakRSS() as rss:
        t = time.perf_counter()
        store = build_store(folder, store_dir, n_jobs=jobs, progress=False)
        out["build_wall"] = time.perf_counter() - t
    out["build_peak_rss"] = rss.peak
    last = store.meta["last_build"]
    out["stage_cpu"] = last["stage_cpu_seconds"]
    out["load_seconds"] = last["load_seconds"]
    out["corpus_level_seconds"] = last["corpus_level_seconds"]
    assert last["built"] == n and last["failed"] == 0, last

    t = time.perf_counter()
    warm = build_store(folder, store_dir, n_jobs=jobs, progress=False)
    out["warm_wall"] = time.perf_counter() - t
    out["warm_built"] = warm.meta["last_build"]["built"]   # 0 unless the package's stage code changed meanwhile

    with PeakRSS() as rss:
        t = time.perf_counter()
        corpus = store.table("corpus", columns=["doc_id", "year", "text"])
        sents = store.table("sentences", columns=["doc_id", "section_id", "sentence_id", "start", "end"])
        theme_scores(store.theme_hits, sents, corpus=corpus.drop(columns="text"), by="doc_id")
        out["theme_scores"] = time.perf_counter() - t
        del sents
        t = time.perf_counter()
        tokens = store.table("tokens", columns=["doc_id", "section_id", "sentence_id", "token_id", "token",
                                                 "start", "end", "kind", "is_stop"])
        out["read_tokens"] = time.perf_counter() - t
        t = time.perf_counter()
        fit_topics(tokens, k=10, unit="paragraph", corpus=corpus, seed=0)
        out["fit_topics"] = time.perf_counter() - t
        if n <= int(os.environ.get("BENCH_SELECT_K_MAX", "2000")):
            t = time.perf_counter()
            select_k(tokens, ks=(4, 8), seeds=(0, 1), unit="paragraph", corpus=corpus)
            out["select_k"] = time.perf_counter() - t
    out["analysis_peak_rss"] = rss.peak
    out["tokens"] = len(tokens)
    return out


def _row(name: str, results: list[dict], get) -> str:
    cells = []
    have = []
    for r in results:
        try:
            v = get(r)
        except KeyError:               # not measured at this size
            cells.append("—")
            continue
        have.append((r, v))
        cells.append(f"{v:8.1f} s {1000 * v / r['n']:6.2f} ms")
    growth = "—"
    if len(have) > 1:
        (r0, v0), (r1, v1) = have[0], have[-1]
        growth = f"{(v1 / r1['n']) / max(v0 / r0['n'], 1e-12):5.2f}"
    return f"| {name:<34} | " + " | ".join(cells) + f" | {growth} |"


def report(results: list[dict]) -> str:
    sizes = " | ".join(f"{r['n']:>6,} reports (s, per report)" for r in results)
    lines = [f"| {'stage':<34} | {sizes} | growth |",
             "|" + "---|" * (len(results) + 2)]
    stages = [
        ("baseline: plain jieba.lcut (CPU)", lambda r: r["baseline_jieba"]),
        ("baseline: plain jieba.lcut (wall)", lambda r: r["baseline_jieba_wall"]),
        ("baseline: bare \\d+ scan (1 proc)", lambda r: r["baseline_scan"]),
        ("build wall, files → store", lambda r: r["build_wall"]),
        ("  reading files (load_corpus)", lambda r: r["load_seconds"]),
        ("  structure (CPU, all workers)", lambda r: r["stage_cpu"].get("structure", 0)),
        ("  tokens (CPU, all workers)", lambda r: r["stage_cpu"].get("tokens", 0)),
        ("  theme_hits (CPU, all workers)", lambda r: r["stage_cpu"].get("theme_hits", 0)),
        ("  metrics (CPU, all workers)", lambda r: r["stage_cpu"].get("metrics", 0)),
        ("  audit (CPU, all workers)", lambda r: r["stage_cpu"].get("audit", 0)),
        ("  panel + changes (CPU, all workers)", lambda r: r["stage_cpu"].get("panel", 0)),
        ("  write parts (CPU, all workers)", lambda r: r["stage_cpu"].get("write", 0)),
        ("  corpus level: year-over-year audit", lambda r: r["corpus_level_seconds"]),
        ("warm rebuild (unchanged)", lambda r: r["warm_wall"]),
        ("theme scores from the store", lambda r: r["theme_scores"]),
        ("read tokens from the store", lambda r: r["read_tokens"]),
        ("fit_topics (NMF, k=10, paragraphs)", lambda r: r["fit_topics"]),
        ("select_k (k=4,8 × 2 seeds)", lambda r: r["select_k"]),
    ]
    lines += [_row(name, results, get) for name, get in stages]
    lines.append("| peak RSS, build (all processes) | " + " | ".join(
        f"{r['build_peak_rss'] / 2**30:.2f} GB" for r in results) + " | |")
    lines.append("| peak RSS, analysis from the store | " + " | ".join(
        f"{r['analysis_peak_rss'] / 2**30:.2f} GB" for r in results) + " | |")
    ratio = ["tokens CPU / plain jieba CPU: " + ", ".join(
        f"{r['stage_cpu'].get('tokens', 0) / max(r['baseline_jieba'], 1e-9):.2f}" for r in results),
             "theme scoring (hits + scores) / tokens: " + ", ".join(
        f"{(r['stage_cpu'].get('theme_hits', 0) + r['theme_scores']) / max(r['stage_cpu'].get('tokens', 0), 1e-9):.3f}"
        for r in results),
             "characters: " + ", ".join(f"{r['chars']:,}" for r in results),
             "tokens: " + ", ".join(f"{r['tokens']:,}" for r in results)]
    return "\n".join(lines + [""] + ratio)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        scratch = Path(tempfile.mkdtemp(prefix="lawgov-bench-store-"))
        os.environ["LAWGOV_CACHE_DIR"] = str(scratch / "cache")
        try:
            print(json.dumps(one_size(args.one, args.jobs, scratch)))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return []
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "500,2000,10000").split(",") if x.strip()]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_store: sizes {sizes}, {args.jobs} worker processes, {os.cpu_count()} cores, load {load:.2f}",
          flush=True)
    results = []
    for n in sizes:
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--jobs", str(args.jobs)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"bench_store: size {n} failed")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  {n:,} reports done in {time.perf_counter() - t:.0f} s", flush=True)
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
