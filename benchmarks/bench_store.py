"""Benchmark the corpus store end to end at several corpus sizes, next to plain-jieba and bare-scan baselines.

For each size N (``BENCH_SIZES``, default ``500,2000,10000,100000``) a fresh Python process:

1. writes N generated reports (``tests/corpus_factory`` kind ``bench``, seeded) to a scratch folder;
2. measures the baselines on the same texts: plain ``jieba.lcut`` over every text, spread over as many
   processes as the build uses (CPU seconds summed over them, and wall time), and a bare
   ``re.findall(r"\\d+")`` scan in one process (CPU seconds);
3. builds the store from the files (``lawgov-analysis build``, ``--jobs`` processes, default 2, in a fresh
   process): wall time, peak memory of its whole process tree (PSS summed over the processes, sampled every
   0.1 s; the benchmark's own process is never counted), and the CPU seconds of each per-report stage summed over the
   workers (structure, tokens, theme_hits, metrics, audit, panel, write);
4. rebuilds the unchanged store (warm: every report skipped);
5. analysis in fresh processes, each with its wall time per step and its peak RSS (``VmHWM``, see :func:`peak_rss`):
   *from the store by part* (:mod:`lawgov_analysis.pipeline.aggregate`): theme scores by report and by year,
   term frequencies by year and the top 30 terms of every report, panel and audit (with the year-over-year
   checks) read as tables, ``fit_topics_store`` (NMF, k=10, paragraphs; every report up to 10,000, a
   stratified sample of 10,000 above) and ``select_k_store`` (k = 4, 8; two seeds; a sample of 2,000
   reports); and, up to ``BENCH_WHOLE_MAX`` (default 10,000) reports, the same *on whole tables* as before
   (``theme_scores``, ``term_frequencies``, ``fit_topics`` on the whole token table; ``select_k`` up to
   ``BENCH_SELECT_K_MAX`` = 2000). Where both run, their results are compared (identical tables; the topic
   models' top terms and unit shares) and a topic model fitted on a 2,000-report sample is compared with the
   full one (top-10 term overlap of Hungarian-matched topics, AMI of the units' dominant topics);
6. ``lawgov-analysis report --corpus STORE`` up to ``BENCH_REPORT_MAX`` (default 2,000) reports: wall time and
   peak memory of its process tree (PSS, as the build's).

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
    """Peak memory of the processes this one starts meanwhile (never this process itself, which holds the
    baselines' texts), summed over their process tree and sampled in a thread. Each process counts its
    proportional set size (PSS): pages that forked workers share with their parent count once in all, not once
    per process, as a plain sum of RSS would."""

    def __init__(self, interval: float = 0.1):
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for p in self.proc.children(recursive=True):
            try:
                total += p.memory_full_info().pss
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


def _plain_jieba(texts: list[str]) -> float:
    """CPU seconds of plain ``jieba.lcut`` over ``texts`` in this process."""
    import jieba

    t = time.process_time()
    for text in texts:
        jieba.lcut(text)
    return time.process_time() - t


def _plain_rjieba(texts: list[str]) -> float:
    """CPU seconds of plain ``rjieba.cut`` over ``texts`` in this process."""
    import rjieba

    rjieba.cut("初始化")
    t = time.process_time()
    for text in texts:
        rjieba.cut(text)
    return time.process_time() - t


def one_size(n: int, jobs: int, scratch: Path) -> dict:
    import logging

    import jieba

    from lawgov_analysis import open_corpus
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
    t = time.perf_counter()
    with mp.get_context("fork").Pool(jobs) as pool:
        cpu = pool.map(_plain_rjieba, shares)
    out["baseline_rjieba_wall"] = time.perf_counter() - t
    out["baseline_rjieba"] = sum(cpu)
    digits = re.compile(r"\d+")
    t = time.process_time()
    for text in texts:
        digits.findall(text)
    out["baseline_scan"] = time.process_time() - t
    del texts

    store_dir = scratch / "store"
    # the build as a researcher runs it: the command line in a fresh process (its wall time includes starting Python)
    build = [sys.executable, "-m", "lawgov_analysis.cli", "build", str(folder), "--out", str(store_dir),
             "--jobs", str(jobs)]
    with PeakRSS() as rss:
        t = time.perf_counter()
        proc = subprocess.run(build, capture_output=True, text=True, check=False)
        out["build_wall"] = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"build failed: {proc.stderr[-3000:]}")
    out["build_peak_rss"] = rss.peak
    last = open_corpus(store_dir).meta["last_build"]
    out["stage_cpu"] = last["stage_cpu_seconds"]
    out["load_seconds"] = last["load_seconds"]
    out["corpus_level_seconds"] = last["corpus_level_seconds"]
    assert last["built"] == n and last["failed"] == 0, last

    t = time.perf_counter()
    subprocess.run(build, capture_output=True, text=True, check=True)
    out["warm_wall"] = time.perf_counter() - t
    # 0 unless the package's stage code changed meanwhile
    out["warm_built"] = open_corpus(store_dir).meta["last_build"]["built"]

    out["analysis"] = {}
    modes = ["store"] + (["whole"] if n <= int(os.environ.get("BENCH_WHOLE_MAX", "10000")) else [])
    for mode in modes:
        with PeakRSS() as rss:
            proc = subprocess.run([sys.executable, __file__, "--analysis", mode, "--store", str(store_dir),
                                   "--save", str(scratch / f"results-{mode}")],
                                  capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"analysis {mode} failed: {proc.stderr[-3000:]}")
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        got["tree_peak_rss"] = rss.peak
        out["analysis"][mode] = got
    out["compare"] = compare_results(scratch / "results-store", scratch / "results-whole")
    out["tokens"] = out["analysis"]["store"]["tokens"]
    if n <= int(os.environ.get("BENCH_REPORT_MAX", "2000")):
        with PeakRSS() as rss:
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "lawgov_analysis.cli", "report", "--corpus",
                                   str(store_dir), "--out", str(scratch / "report")],
                                  capture_output=True, text=True, check=False)
            out["report_wall"] = time.perf_counter() - t
        out["report_peak_rss"] = rss.peak
        out["report_ok"] = proc.returncode == 0
        if proc.returncode != 0:
            out["report_error"] = proc.stderr[-2000:]
    return out


def peak_rss() -> int:
    """This process's peak resident memory in bytes: ``VmHWM`` of ``/proc/self/status`` where there is one.

    Not ``getrusage(...).ru_maxrss``: on Linux a process started by ``subprocess`` (vfork, then exec) inherits in
    it the peak of the process that started it, so every analysis started from the benchmark at 100,000 reports
    read 8.5 GB, the benchmark's own peak, where the analysis itself peaked at 3.2 GB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def _timed(out: dict, name: str, func, *args, **kwargs):
    """``func(*args, **kwargs)``: its wall seconds in ``out[name]`` and this process's peak RSS after it (bytes,
    an int) in ``out[name + "_maxrss"]``, so a step that raises the peak can be told from the others."""
    t = time.perf_counter()
    value = func(*args, **kwargs)
    out[name] = time.perf_counter() - t
    out[name + "_maxrss"] = peak_rss()
    return value


def run_analysis(mode: str, store_dir: Path, save: Path) -> dict:
    """One analysis pass in this (fresh) process: ``store`` reads part by part, ``whole`` reads whole tables.

    Saves the result tables to ``save`` (Parquet) for :func:`compare_results`; returns seconds per step and
    the process's peak RSS in bytes.
    """

    import pandas as pd

    from lawgov_analysis import open_corpus

    save.mkdir(parents=True, exist_ok=True)
    store = open_corpus(store_dir)
    n = len(store.index)
    out: dict = {"mode": mode}
    topics_model = None
    if mode == "store":
        from lawgov_analysis.pipeline import aggregate as ag

        tables = {
            "scores_doc": _timed(out, "theme_scores_doc", ag.theme_scores_store, store, by="doc_id"),
            "scores_year": _timed(out, "theme_scores_year", ag.theme_scores_store, store, by="year"),
            "freq_year": _timed(out, "term_freq_year", ag.term_frequencies_store, store, by="year"),
            "top_doc": _timed(out, "top_terms_doc", ag.term_frequencies_store, store, by="doc_id", n=30),
        }
        _timed(out, "panel_audit", lambda: (store.table("panel"), store.table("audit")))
        topics_model = _timed(out, "fit_topics", ag.fit_topics_store, store, k=10, unit="paragraph", seed=0)
        out["topics_sampled"] = bool(topics_model.sampled_)
        _timed(out, "select_k", ag.select_k_store, store, ks=(4, 8), seeds=(0, 1), unit="paragraph")
        if n > 2000:
            small = _timed(out, "fit_topics_sample2000", ag.fit_topics_store, store, k=10, unit="paragraph",
                           seed=0, max_docs=2000)
            small.dominant_topics()[["doc_id", "start", "topic"]].to_parquet(save / "dominant_sample.parquet")
            small.top_terms(n=10).to_parquet(save / "top_terms_sample.parquet")
        out["tokens"] = int(store.sql("select count(*) n from tokens")["n"].iloc[0])
    else:
        from lawgov_analysis.analysis.keywords import term_frequencies
        from lawgov_analysis.analysis.themes import theme_scores
        from lawgov_analysis.analysis.topics import fit_topics, select_k

        def scores(by):
            corpus = store.table("corpus", columns=["doc_id", "year"], categories=False)
            sents = store.table("sentences", columns=["doc_id", "section_id", "sentence_id", "start", "end"])
            return theme_scores(store.theme_hits, sents, corpus=corpus, themes=store.themes, by=by)

        tables = {"scores_doc": _timed(out, "theme_scores_doc", scores, "doc_id"),
                  "scores_year": _timed(out, "theme_scores_year", scores, "year")}
        _timed(out, "panel_audit", lambda: (store.table("panel"), store.table("audit")))
        corpus = store.table("corpus", columns=["doc_id", "year", "text"])
        tokens = _timed(out, "read_tokens", store.table, "tokens", columns=[
            "doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind", "is_stop"])
        freq = _timed(out, "term_freq_year", term_frequencies, tokens, by="year", corpus=corpus)
        tables["freq_year"] = freq
        del freq
        top = _timed(out, "top_terms_doc", term_frequencies, tokens, by="doc_id")
        tables["top_doc"] = top[top["rank"] <= 30].reset_index(drop=True)
        del top
        topics_model = _timed(out, "fit_topics", fit_topics, tokens, k=10, unit="paragraph", corpus=corpus,
                              seed=0)
        if n <= int(os.environ.get("BENCH_SELECT_K_MAX", "2000")):
            _timed(out, "select_k", select_k, tokens, ks=(4, 8), seeds=(0, 1), unit="paragraph", corpus=corpus)
        out["tokens"] = len(tokens)
    for name, table in tables.items():
        table.astype({c: str for c in ("doc_id",) if c in table.columns}).to_parquet(save / f"{name}.parquet")
    topics_model.top_terms(n=10).to_parquet(save / "top_terms.parquet")
    dominant = topics_model.dominant_topics()[["doc_id", "start", "topic"]].astype({"doc_id": str})
    dominant.to_parquet(save / "dominant.parquet")
    pd.DataFrame(topics_model.doc_topic_).to_parquet(save / "doc_topic.parquet")
    out["peak_rss"] = peak_rss()
    return out


def _topic_match(a, b, units_a, units_b) -> dict:
    """Top-10 term overlap of Hungarian-matched topics and AMI of the units' dominant topics."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    from sklearn.metrics import adjusted_mutual_info_score

    ta = [set(g["term"]) for _, g in a.groupby("topic")]
    tb = [set(g["term"]) for _, g in b.groupby("topic")]
    overlap = np.array([[len(x & y) / 10 for y in tb] for x in ta])
    rows, cols = linear_sum_assignment(-overlap)
    joined = units_a.merge(units_b, on=["doc_id", "start"], suffixes=("_a", "_b"))
    return {"top10_overlap": float(overlap[rows, cols].mean()),
            "dominant_ami": float(adjusted_mutual_info_score(joined["topic_a"], joined["topic_b"])),
            "units_matched": len(joined)}


def compare_results(store_dir: Path, whole_dir: Path) -> dict:
    """Store-by-part results against whole-table results (when both ran), and a 2,000-report topic sample
    against the full topic model."""
    import numpy as np
    import pandas as pd

    out: dict = {}
    if whole_dir.is_dir():
        for name in ("scores_doc", "scores_year", "freq_year", "top_doc"):
            a = pd.read_parquet(store_dir / f"{name}.parquet")
            b = pd.read_parquet(whole_dir / f"{name}.parquet")
            same = list(a.columns)
            try:
                pd.testing.assert_frame_equal(a[same], b[same], check_dtype=False, check_categorical=False)
                out[name] = "identical"
            except AssertionError as err:
                out[name] = "differs: " + str(err).splitlines()[0][:200]
        ta = pd.read_parquet(store_dir / "top_terms.parquet")
        tb = pd.read_parquet(whole_dir / "top_terms.parquet")
        wa = pd.read_parquet(store_dir / "doc_topic.parquet").to_numpy()
        wb = pd.read_parquet(whole_dir / "doc_topic.parquet").to_numpy()
        out["topics_top_terms"] = "identical" if ta.equals(tb) else "differs"
        out["topics_doc_topic"] = ("identical" if wa.shape == wb.shape and np.array_equal(wa, wb)
                                   else f"differs (max |Δ| {np.abs(wa - wb).max() if wa.shape == wb.shape else 'shape'})")
    if (store_dir / "top_terms_sample.parquet").is_file():
        out["sample2000_vs_full"] = _topic_match(pd.read_parquet(store_dir / "top_terms_sample.parquet"),
                                                 pd.read_parquet(store_dir / "top_terms.parquet"),
                                                 pd.read_parquet(store_dir / "dominant_sample.parquet"),
                                                 pd.read_parquet(store_dir / "dominant.parquet"))
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
        ("baseline: plain rjieba.cut (CPU)", lambda r: r["baseline_rjieba"]),
        ("baseline: plain rjieba.cut (wall)", lambda r: r["baseline_rjieba_wall"]),
        ("baseline: bare \\d+ scan (1 proc)", lambda r: r["baseline_scan"]),
        ("build wall, files → store", lambda r: r["build_wall"]),
        ("  reading files (load_corpus)", lambda r: r["load_seconds"]),
        ("  sections + sentences (CPU, all workers)",
         lambda r: r["stage_cpu"].get("sections", 0) + r["stage_cpu"].get("sentences", 0)),
        ("  tokens (CPU, all workers)", lambda r: r["stage_cpu"].get("tokens", 0)),
        ("  theme_hits (CPU, all workers)", lambda r: r["stage_cpu"].get("theme_hits", 0)),
        ("  metrics (CPU, all workers)", lambda r: r["stage_cpu"].get("metrics", 0)),
        ("  audit (CPU, all workers)", lambda r: r["stage_cpu"].get("audit", 0)),
        ("  panel + changes (CPU, all workers)", lambda r: r["stage_cpu"].get("panel", 0)),
        ("  write parts (CPU, all workers)", lambda r: r["stage_cpu"].get("write", 0)),
        ("  corpus level: year-over-year audit + reuse (wall)", lambda r: r["corpus_level_seconds"]),
        ("warm rebuild (unchanged)", lambda r: r["warm_wall"]),
    ]
    steps = [("theme scores by report", "theme_scores_doc"), ("theme scores by year", "theme_scores_year"),
             ("term frequencies by year", "term_freq_year"), ("top 30 terms of every report", "top_terms_doc"),
             ("panel + audit tables", "panel_audit"), ("read tokens (whole table)", "read_tokens"),
             ("fit_topics (NMF, k=10, paragraphs)", "fit_topics"), ("select_k (k=4,8 × 2 seeds)", "select_k"),
             ("fit_topics on a 2,000-report sample", "fit_topics_sample2000")]
    for mode, title in (("store", "from the store by part"), ("whole", "whole tables (before)")):
        stages.append((f"analysis {title}: total", lambda r, m=mode: sum(
            v for k, v in r["analysis"][m].items() if isinstance(v, float) and k != "peak_rss")))
        stages += [(f"  {label}", lambda r, m=mode, k=key: r["analysis"][m][k]) for label, key in steps]
    stages.append(("report --corpus STORE (wall)", lambda r: r["report_wall"]))
    lines += [_row(name, results, get) for name, get in stages]
    lines.append("| peak memory, build (PSS, all processes) | " + " | ".join(
        f"{r['build_peak_rss'] / 2**30:.2f} GB" for r in results) + " | |")
    for mode, title in (("store", "from the store by part"), ("whole", "whole tables (before)")):
        lines.append(f"| peak RSS, analysis {title} (its process) | " + " | ".join(
            f"{r['analysis'][mode]['peak_rss'] / 2**30:.2f} GB" if mode in r["analysis"] else "—"
            for r in results) + " | |")
    lines.append("| peak memory, report (PSS, all processes) | " + " | ".join(
        f"{r['report_peak_rss'] / 2**30:.2f} GB" if "report_peak_rss" in r else "—" for r in results) + " | |")
    ratio = ["tokens CPU / plain jieba CPU: " + ", ".join(
        f"{r['stage_cpu'].get('tokens', 0) / max(r['baseline_jieba'], 1e-9):.2f}" for r in results),
             "plain rjieba CPU / plain jieba CPU: " + ", ".join(
        f"{r['baseline_rjieba'] / max(r['baseline_jieba'], 1e-9):.3f}" for r in results),
             "characters: " + ", ".join(f"{r['chars']:,}" for r in results),
             "tokens: " + ", ".join(f"{r['tokens']:,}" for r in results)]
    ratio += [f"{r['n']:,} reports, store vs whole / sample vs full: {json.dumps(r['compare'], ensure_ascii=False)}"
              for r in results]
    ratio += [f"{r['n']:,} reports: report failed: {r['report_error'][-300:]}" for r in results
              if r.get("report_ok") is False]
    return "\n".join(lines + [""] + ratio)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--analysis", choices=["store", "whole"], help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.analysis:
        print(json.dumps(run_analysis(args.analysis, Path(args.store), Path(args.save))))
        return []
    if args.one:
        scratch = Path(tempfile.mkdtemp(prefix="lawgov-bench-store-"))
        os.environ["LAWGOV_CACHE_DIR"] = str(scratch / "cache")
        try:
            print(json.dumps(one_size(args.one, args.jobs, scratch)))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return []
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "500,2000,10000,100000").split(",") if x.strip()]
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
        if args.json:  # after every size: a long run stopped at a larger size keeps the smaller ones
            Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
