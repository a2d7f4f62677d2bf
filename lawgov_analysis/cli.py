"""The ``lawgov-analysis`` command: thin wrappers over the package functions.

Each subcommand loads a corpus (files, folders or a manifest CSV), calls one public function and prints or writes
its table. Nothing in the package imports this module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd


def _write_table(df: pd.DataFrame, out: str | None, *, show: int = 30) -> None:
    """Write ``df`` to ``out`` (``io.export.write_table``: .csv/.tsv with a BOM for Excel, .parquet, .dta, .xlsx;
    a codebook beside a wide panel) or print its first rows."""
    if out:
        from .io.export import write_table

        try:
            written = write_table(df, out)
        except ValueError as exc:
            print(f"lawgov-analysis: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        print(f"wrote {len(df)} rows to {written[0]}")
        for extra in written[1:]:
            print(f"wrote the codebook to {extra}")
    else:
        with pd.option_context("display.max_rows", show, "display.max_columns", 20, "display.width", 160,
                               "display.max_colwidth", 40, "display.unicode.east_asian_width", True):
            print(df.head(show).to_string(index=False))
        if len(df) > show:
            print(f"... {len(df) - show} more rows (use --out to write all {len(df)})")


def _open(paths: list[str], **options):
    """The catalog of ``PATH…`` (:func:`lawgov_analysis.open_corpus`): a store folder as built, anything else
    built once into a cached store. Skipped files are listed on stderr; no report at all ends the command."""
    from .pipeline.catalog import CorpusInputError, open_corpus

    try:
        store = open_corpus(paths[0] if len(paths) == 1 else paths, **options)
    except (CorpusInputError, FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"lawgov-analysis: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    ingest = store.ingest
    if "reason" in ingest.columns:
        bad = ingest[(ingest["status"] != "loaded") & ~ingest["reason"].astype(str).str.startswith("manifest")]
        for row in bad.itertuples():
            print(f"{row.status}: {row.path}: {row.reason}", file=sys.stderr)
    if store.index.empty:
        print("no report could be loaded from " + ", ".join(paths), file=sys.stderr)
        raise SystemExit(1)
    return store


def cmd_ingest(args: argparse.Namespace) -> int:
    from .io.corpus import load_corpus, summarize_ingest

    try:
        corpus, ingest = load_corpus(args.path, report=True)
    except (FileNotFoundError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    _write_table(ingest[["path", "status", "reason", "doc_id"]], None, show=len(ingest) or 1)
    if not corpus.empty:
        meta = corpus[["doc_id", "format", "title", "region", "region_code", "level", "year", "year_source",
                       "region_source", "chars"]]
        print()
        _write_table(meta, None, show=len(meta))
    print(summarize_ingest(ingest, corpus))
    if args.out and not corpus.empty:
        _write_table(corpus, args.out)
    return 0 if len(corpus) else 1


def cmd_manifest(args: argparse.Namespace) -> int:
    from .io.corpus import summarize_ingest, write_manifest

    try:
        target, manifest = write_manifest(args.path, args.out, overwrite=args.force)
    except (FileNotFoundError, FileExistsError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    show = manifest[["doc_id", "path", "region", "region_code", "level", "year", "region_source", "year_source"]]
    _write_table(show, None, show=len(show) or 1)
    ingest = pd.DataFrame({"path": manifest["path"], "status": "loaded", "reason": "", "doc_id": manifest["doc_id"]})
    print(summarize_ingest(ingest, manifest))
    print(f"wrote {len(manifest)} rows to {target}: check and correct it; load_corpus and every command then use it")
    return 0


def cmd_keywords(args: argparse.Namespace) -> int:
    from .analysis.keywords import top_terms

    store = _open(args.path)
    table = top_terms(store.table("tokens", categories=False), corpus=store.corpus, by=args.by, n=args.top)
    _write_table(table, args.out, show=max(args.top, 30))
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    _write_table(_open(args.path).table("metrics", categories=False), args.out)
    return 0


def cmd_evaluate_metrics(args: argparse.Namespace) -> int:
    from .measures.evaluate import evaluate_metrics

    store = _open(args.path)
    gold = pd.read_csv(args.gold, dtype={"doc_id": str})
    indicators_path = getattr(args, "indicators", None)
    indicators = pd.read_csv(indicators_path, dtype={"doc_id": str}) if indicators_path else None
    result = evaluate_metrics(store.table("metrics", categories=False), gold, indicators=indicators)
    for key in ("tp", "fp", "fn", "gold", "predicted"):
        if key in result:
            print(f"{key}={result[key]}")
    if result.get("indicator_agreement") is not None:
        print(f"indicator_agreement={result['indicator_agreement']:.4f} "
              f"({result['indicator_matched']} matched rows with a gold indicator_id)")
    print(f"precision={result['precision']:.4f} recall={result['recall']:.4f} f1={result['f1']:.4f}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    _write_table(_open(args.path).table("audit", categories=False), args.out)
    return 0


def cmd_panel(args: argparse.Namespace) -> int:
    from .measures.panel import panel

    store = _open(args.path)
    table = panel(store.table("metrics", categories=False), store.corpus, wide=args.wide,
                  include_other=args.include_other)
    for row in table.attrs.get("without_headline", []):
        print(f"no headline: {row['doc_id']} {row['indicator_id']} ({row['unit']}): only {row['roles']}",
              file=sys.stderr)
    _write_table(table, args.out)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from .analysis.themes import theme_scores
    from .pipeline.catalog import is_store

    if args.expand:
        return _expand_themes(args)
    if args.themes and len(args.path) == 1 and is_store(args.path[0]):
        print(f"lawgov-analysis themes: the store {args.path[0]} was built with its own theme dictionary; build "
              f"a store with yours (lawgov-analysis build PATH --themes {args.themes} --out STORE)", file=sys.stderr)
        return 2
    store = _open(args.path, **({"themes": args.themes} if args.themes else {}))
    by = args.by
    needs_sections = by.startswith("section_l")
    table = theme_scores(
        store.table("theme_hits", categories=False),
        store.table("sentences", columns=["doc_id", "section_id", "sentence_id", "start", "end"], categories=False),
        corpus=store.reports(),
        themes=store.themes, by=by, sections=store.table("sections", categories=False) if needs_sections else None)
    _write_table(table, args.out, show=60)
    return 0


def _expand_themes(args: argparse.Namespace) -> int:
    """``themes --expand SEEDS``: candidate terms for a new theme, with frequency and KWIC lines."""
    from .analysis.expand import expand_terms, theme_file_text

    store = _open(args.path, **({"themes": args.themes} if args.themes else {}))
    try:
        table = expand_terms(args.expand, store.table("tokens", categories=False), top=args.top, seed=args.seed)
    except ValueError as exc:
        print(f"lawgov-analysis themes: {exc}; a seed the lexicon lacks is split into words: build the store "
              f"with a theme file holding the seeds (--themes FILE)", file=sys.stderr)
        return 1
    missing = table.attrs.get("missing_seeds", [])
    if missing:
        print("seeds not in the corpus as one token: " + "、".join(missing), file=sys.stderr)
    _write_table(table, args.out, show=args.top)
    if args.theme_file:
        terms = table.attrs["seeds"] + table["term"].tolist()
        Path(args.theme_file).write_text(theme_file_text(args.theme_id, terms, source="expand_terms seeds: "
                                                         + "、".join(table.attrs["seeds"])), encoding="utf-8")
        print(f"wrote theme {args.theme_id} ({len(terms)} terms: seeds and all candidates) to {args.theme_file}: "
              "delete the candidates you reject, then pass it with --themes")
    return 0


def cmd_reuse(args: argparse.Namespace) -> int:
    from .analysis.reuse import reuse_shares
    from .pipeline.aggregate import find_reuse_store

    store = _open(args.path)
    names = store.columns("corpus")      # the report texts only when there is no chars column for the shares
    corpus = store.table("corpus", columns=[c for c in names if c != "text" or "chars" not in names],
                         categories=False)
    pairs = find_reuse_store(store, min_similarity=args.min_similarity)
    shares = reuse_shares(pairs, corpus)
    print(f"{len(pairs)} reused passages in {pairs['doc_id'].nunique()} of {len(shares)} reports; mean share of a "
          f"report reused from earlier or higher reports {shares['reused_share'].mean():.1%}")
    _write_table(pairs, args.out)
    if args.shares:
        _write_table(shares, args.shares)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from .analysis.validation import coding_sample, write_coding

    store = _open(args.path)
    what = args.what
    need = {"theme": ["sentences", "theme_hits"], "indicator": ["sentences", "metrics"],
            "metrics": ["sentences", "metrics"]}.get(what.partition(":")[0], [])
    tables = {name: store.table(name, categories=False) for name in need}
    try:
        sample = coding_sample(what, corpus=store.table("corpus", categories=False), themes=store.themes, n=args.n,
                               stratify=[c for c in args.stratify.split(",") if c], seed=args.seed, **tables)
    except ValueError as exc:
        print(f"lawgov-analysis sample: {exc}", file=sys.stderr)
        return 2
    write_coding(sample, args.out)
    print(f"wrote {len(sample)} units ({int(sample['predicted'].sum())} found by the instrument, "
          f"{int((sample['predicted'] == 0).sum())} not) in {sample['stratum'].nunique()} strata to {args.out}: "
          "fill the column correct with 1 or 0 (note is free), then run lawgov-analysis validate")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .analysis.validation import methods_paragraph, read_coding, validate_coding

    try:
        coded = read_coding(args.sheet)
        second = read_coding(args.second) if args.second else None
    except (FileNotFoundError, ValueError) as exc:
        print(f"lawgov-analysis validate: {exc}", file=sys.stderr)
        return 2
    results = validate_coding(coded, second, seed=args.seed)
    _write_table(results, args.out)
    strata = coded["stratum"].nunique() if "stratum" in coded.columns else 0
    print()
    print(methods_paragraph(results, design=f"A random sample of {len(coded)} units, stratified into {strata} "
                                            f"strata (seeded),"))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from .analysis.topics import fit_topics, select_k

    store = _open(args.path)
    corpus, tokens = store.corpus, store.table("tokens", categories=False)
    if args.k == "auto":
        table, k, rule = select_k(tokens, method=args.method, unit=args.unit, corpus=corpus)
        _write_table(table, None)
        print(f"recommended k={k} ({rule})")
    else:
        try:
            k = int(args.k)
        except ValueError:
            print(f"--k must be a positive integer or 'auto', got {args.k!r}", file=sys.stderr)
            return 2
    model = fit_topics(tokens, k=k, method=args.method, unit=args.unit, seed=args.seed, corpus=corpus)
    for topic, label in enumerate(model.labels()):
        print(f"topic {topic}: {label}")
    _write_table(model.top_terms(n=10), args.out, show=10 * k)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline.runner import build_store

    try:
        store = build_store(args.path if len(args.path) != 1 else args.path[0], args.out, n_jobs=args.jobs,
                            chunk_size=args.chunk_size, scheduler=args.scheduler, progress=None,
                            prune=args.prune, force=args.rebuild, segmenter=args.segmenter, themes=args.themes)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:   # no reports, bad input, a build running
        print(f"lawgov-analysis build: {exc}", file=sys.stderr)
        return 1
    print(store.summary())
    return 1 if len(store.index) == 0 else 0


def cmd_sql(args: argparse.Namespace) -> int:
    from .pipeline.catalog import Store, is_store

    if not is_store(args.store):
        print(f"lawgov-analysis sql: {args.store} is not a store folder (build one with lawgov-analysis build)",
              file=sys.stderr)
        return 2
    try:
        table = Store(args.store).sql(args.query)
    except Exception as exc:  # noqa: BLE001 - a bad query is one line for the user
        print(f"lawgov-analysis sql: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    _write_table(table, args.out)
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .report.notebooks import copy_notebooks

    try:
        written = copy_notebooks(args.dest, corpus=args.corpus, overwrite=args.force)
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"lawgov-analysis notebooks: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    print(f"open them with: jupyter lab {args.dest}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from .io.fetch import FetchSettings, fetch_reports, summarize_account

    if not args.sources and not args.listing:
        print("lawgov-analysis fetch: give SOURCES (a CSV of URLs or one URL) or --listing URL", file=sys.stderr)
        return 2
    try:
        settings = FetchSettings(delay=args.delay, timeout=args.timeout, retries=args.retries,
                                 max_bytes=int(args.max_mb * 2**20), cache=args.cache, refresh=args.refresh)
        account = fetch_reports(
            args.sources, args.out, listing=args.listing, pattern=args.pattern, max_pages=args.max_pages,
            settings=settings, retry_failed=args.retry_failed, attachments=not args.no_attachments,
            progress=not args.quiet)
    except (OSError, ValueError) as exc:
        print(f"lawgov-analysis fetch: {exc}", file=sys.stderr)
        return 2
    _write_table(account[["url", "outcome", "reason", "doc_id"]], None, show=len(account) or 1)
    print(summarize_account(account) + f"; {account.attrs.get('requests', 0)} request(s) made")
    print(f"reports and manifest.csv in {args.out} (account in fetch-account.csv)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import logging

    from .pipeline.catalog import CorpusInputError
    from .report.build import build_report

    log = logging.getLogger("lawgov_analysis")   # the package's progress lines, not the libraries' logs
    log.setLevel(logging.INFO)
    if not any(getattr(h, "name", "") == "lawgov-analysis" for h in log.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.set_name("lawgov-analysis")
        log.addHandler(handler)

    try:
        index = build_report(corpus=args.corpus, out_dir=Path(args.out), seed=args.seed,
                             show_code=args.show_code, themes=args.themes, jobs=args.jobs)
    except CorpusInputError as exc:
        print(f"lawgov-analysis report: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a failing notebook: one line here, nothing half-written
        if type(exc).__name__ != "PapermillExecutionError":
            raise
        print(f"lawgov-analysis report: a notebook failed ({exc.ename}: {exc.evalue}); "
              f"{args.out} was left as it was", file=sys.stderr)
        return 1
    print(f"wrote {index}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .core.config import DEFAULT_CORPUS, DEFAULT_REPORTS, DEFAULT_SEED

    parser = argparse.ArgumentParser(prog="lawgov-analysis", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="load a folder, file or manifest and account for every file")
    p.add_argument("path")
    p.add_argument("--out", help="write the report table (.parquet or .csv)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("manifest", help="write a pre-filled manifest (inferred metadata and its sources) to correct")
    p.add_argument("path")
    p.add_argument("--out", help="where to write it (default PATH/manifest.csv)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_manifest)

    p = sub.add_parser("keywords", help="most frequent content words per group")
    p.add_argument("path", nargs="+")
    p.add_argument("--by", default="doc_id", help="doc_id, section_id or a metadata column such as year")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--out")
    p.set_defaults(func=cmd_keywords)

    p = sub.add_parser("metrics", help="extract every cited number into the metric table")
    p.add_argument("path", nargs="+")
    p.add_argument("--out")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("evaluate-metrics", help="score metric extraction against a gold CSV")
    p.add_argument("path", nargs="+")
    p.add_argument("--gold", required=True)
    p.add_argument("--indicators", help="gold indicator ids keyed by doc_id,start,end (seed_indicators.csv)")
    p.set_defaults(func=cmd_evaluate_metrics)

    p = sub.add_parser("audit", help="check rates, totals and completion against the cited numbers")
    p.add_argument("path", nargs="+")
    p.add_argument("--out")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("panel", help="one headline value per report, indicator and unit, with its evidence")
    p.add_argument("path", nargs="+")
    p.add_argument("--wide", action="store_true", help="reports x indicator|unit columns (for Stata, R, Excel)")
    p.add_argument("--include-other", action="store_true", help="keep mentions whose indicator_id is other")
    p.add_argument("--out", help="write the table: .csv/.tsv (UTF-8 with BOM, opens in Excel), .parquet (R, Python), "
                                 ".dta (Stata 118, valid names, Chinese labels) or .xlsx; a wide panel gets "
                                 "<stem>_codebook.csv beside it")
    p.set_defaults(func=cmd_panel)

    p = sub.add_parser("themes", help="theme dictionary scores")
    p.add_argument("path", nargs="+", help="a store folder, or reports to build one from")
    p.add_argument("--by", default="doc_id", help="doc_id, section_id, sentence_id or a metadata column")
    p.add_argument("--themes", help="a theme file (themes.toml format) that adds themes to the bundled ones or "
                                    "overrides those with the same id (reports only: a store keeps its own)")
    p.add_argument("--out")
    p.add_argument("--expand", help="seed terms (营商环境,优化营商环境): propose candidate terms for a new theme")
    p.add_argument("--top", type=int, default=50, help="candidates proposed with --expand (default 50)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--theme-file", help="with --expand: also write a theme file (TOML) of seeds and candidates")
    p.add_argument("--theme-id", default="mine", help="id of the theme written by --theme-file")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("reuse", help="passages reused from earlier reports (own, other governments', higher level)")
    p.add_argument("path", nargs="+", help="a store folder, or reports to build one from")
    p.add_argument("--min-similarity", type=float, default=0.8, help="Jaccard of character shingles (default 0.8)")
    p.add_argument("--out", help="the reused passage pairs (.csv, .tsv or .parquet)")
    p.add_argument("--shares", help="also write the per-report shares (own, other, higher, main source)")
    p.set_defaults(func=cmd_reuse)

    p = sub.add_parser("sample", help="a seeded stratified sample to code by hand (precision, recall, kappa)")
    p.add_argument("path", nargs="+", help="a store folder, or reports to build one from")
    p.add_argument("--what", required=True, help="theme:<id or label> | indicator:<indicator_id> | metrics")
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--stratify", default="level,year", help="report columns whose combinations are the strata")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out", required=True, help="the coding sheet (.xlsx or .csv)")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("validate", help="precision, recall and Cohen's kappa from coded sheets")
    p.add_argument("sheet", help="the coded sheet (.xlsx or .csv)")
    p.add_argument("second", nargs="?", help="a second coder's sheet of the same sample (for kappa)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed")
    p.add_argument("--out", help="write the results table")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("topics", help="fit a topic model (k given or chosen by coherence and stability)")
    p.add_argument("path", nargs="+")
    p.add_argument("--k", required=True, help="number of topics, or 'auto'")
    p.add_argument("--method", choices=["nmf", "lda"], default="nmf")
    p.add_argument("--unit", choices=["sentence", "paragraph", "section", "doc"], default="paragraph")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("build", help="run every per-report stage once and write the Parquet corpus store")
    p.add_argument("path", nargs="+", help="report folders, files or manifest CSVs")
    p.add_argument("--out", required=True, help="store folder (created or updated: unchanged reports are skipped)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--chunk-size", type=int, default=None, help="reports per Parquet part (default: automatic)")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786) to run the chunks on a cluster")
    p.add_argument("--prune", action="store_true", help="drop reports of the store that are not given")
    p.add_argument("--rebuild", action="store_true", help="rebuild every report, even unchanged ones")
    p.add_argument("--segmenter", choices=["rjieba", "jieba"], default="rjieba",
                   help="segmenter backend (jieba reproduces results of earlier versions exactly)")
    p.add_argument("--themes", help="a theme file (themes.toml format) that adds or overrides themes")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("sql", help="query a store's tables with DuckDB SQL")
    p.add_argument("store", help="a store folder written by build")
    p.add_argument("query", help='e.g. "select unit, count(*) n from metrics group by unit order by n desc"')
    p.add_argument("--out")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("notebooks", help="copy the curated notebooks into a project folder, set to your corpus")
    p.add_argument("dest", help="folder to copy them into (created)")
    p.add_argument("--corpus", help="the corpus the notebooks read (folder, manifest, table or store)")
    p.add_argument("--force", action="store_true", help="replace notebooks already there")
    p.set_defaults(func=cmd_notebooks)

    p = sub.add_parser("fetch", help="download reports from government websites into a corpus folder")
    p.add_argument("sources", nargs="?", help="CSV of URLs (url column; region, level, year, department … kept) "
                                              "or a single URL")
    p.add_argument("--out", required=True, help="folder for the reports, manifest.csv and fetch-account.csv")
    p.add_argument("--listing", action="append", help="a site's column page: follow report links and pagination")
    p.add_argument("--pattern", default=None, help="regex a report's link text / title must match")
    p.add_argument("--max-pages", type=int, default=5, help="listing pages followed per --listing (default 5)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--retries", type=int, default=3, help="retries on 5xx and timeouts (default 3)")
    p.add_argument("--max-mb", type=float, default=20.0, help="largest response accepted, in MB (default 20)")
    p.add_argument("--cache", help="raw-response cache folder (default: the user cache folder)")
    p.add_argument("--refresh", action="store_true", help="redo URLs already done and bypass the cache")
    p.add_argument("--retry-failed", action="store_true", help="redo URLs that failed in an earlier run")
    p.add_argument("--no-attachments", action="store_true", help="do not follow attachment links")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("report", help="execute every notebook and export HTML, figures and an index")
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS),
                   help="folder of reports, manifest CSV, table from `ingest --out` or store from `build` "
                        f"(default {DEFAULT_CORPUS})")
    p.add_argument("--out", default=str(DEFAULT_REPORTS))
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--show-code", action="store_true", help="pages open with code shown (default: reading view)")
    p.add_argument("--jobs", type=int, default=1,
                   help="pages executed at the same time, each in its own kernel (same pages; memory grows with it)")
    p.add_argument("--themes", help="a theme file (themes.toml format) that adds or overrides themes on every page "
                                    "(reports only: a store keeps the dictionary it was built with)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
