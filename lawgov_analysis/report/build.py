"""Build the HTML report: execute every notebook, export self-contained HTML, write an index with provenance.

``build_report`` first checks what it is given (:func:`~lawgov_analysis.pipeline.catalog.corpus_kind`: a
folder, file or manifest of reports, the table ``lawgov-analysis ingest --out`` writes, or a store; anything
else is a one-line :class:`~lawgov_analysis.pipeline.catalog.CorpusInputError`), opens the corpus as a store
once (:func:`~lawgov_analysis.pipeline.catalog.open_corpus`, or reuses the store it was given), then runs the numbered notebooks (``NN_description.ipynb``, kept as the source and paired with
jupytext percent scripts) of :func:`config.notebooks_dir` with papermill. Everything is written into a
temporary folder beside ``out_dir`` that replaces it only when every notebook ran, so a failure leaves the
previous report untouched. With ``jobs=N`` (``lawgov-analysis report --jobs N``) up to N pages run at the same
time, each in its own process and kernel; pages are reported and indexed in notebook order, so the report is
byte-identical whatever N is. The kernel starts in that folder and gets the parameters ``corpus`` and ``store``
(paths relative to it, e.g. ``../data/reports``), ``out_dir`` (``"figures"``: the folder where notebooks call
``save_figure``) and ``seed``, so that no absolute path of the machine appears in the pages and two
builds into different folders give identical pages. Each executed notebook is exported with nbconvert to
``<out_dir>/<stem>.html`` in a reading view (code cells hidden behind a "Show code" switch, a CSS checkbox, no
script; ``show_code=True`` starts with code shown): images embedded as ``data:`` URIs, no script or style
loaded from the network (no require.js, MathJax or Mermaid from a CDN). Volatile metadata
(execution timestamps, papermill durations, timing lines of jieba and progress bars, object addresses) is
removed first, so that rebuilding from the same corpus, seed and code gives byte-identical HTML.

The kernel is always the interpreter running the build (``sys.executable``), whatever ``python`` is first on
``PATH`` or whichever ``python3`` kernelspec is installed, with ``PYTHONHASHSEED=0``. ``index.html`` links
the notebooks and figures and records provenance: package, Python and library versions, git commit,
resource-file hashes (lexicon, stopwords, themes …), a corpus hash and the seed — and no wall-clock time.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..core.config import DEFAULT_CORPUS, DEFAULT_REPORTS, DEFAULT_SEED, notebooks_dir
from ..pipeline.catalog import CorpusInputError, corpus_kind, open_corpus
from .execute import execute_notebook, notebook_html, notebook_title, strip_volatile
from .notebooks import NOTEBOOK_GLOB, find_notebooks
from .provenance import provenance

logger = logging.getLogger(__name__)

#: Notebooks that are built once per value of a parameter: source stem → pages, each
#: ``(page stem, page title, parameters)``. One theme notebook serves 普法, 扫黑除恶 and 放管服; add a theme of
#: ``themes.toml`` here to get its page. Notebooks not listed give one page named after themselves.
NOTEBOOK_PAGES = {
    "03_theme": [
        ("03_theme_pufa", "03 · 普法 (legal education)", {"theme": "pufa"}),
        ("04_theme_saohei", "04 · 扫黑除恶 (the organised-crime campaign)", {"theme": "saohei"}),
        ("05_theme_fangguanfu", "05 · 放管服 (streamlining, business environment, government services)",
         {"theme": "fangguanfu"}),
    ],
}

#: Peak memory (GB, all of the kernel's resident memory) of each notebook's page on a store of
#: :data:`PAGE_MEMORY_REPORTS` generated reports, measured page by page (docs/stages/scale.md, 2026-12-07):
#: the scheduling weights of ``build_report(jobs=N)``. A notebook not listed counts as
#: :data:`DEFAULT_PAGE_MEMORY_GB`.
PAGE_MEMORY_GB = {"01_corpus_overview": 0.8, "02_keywords": 1.6, "03_theme": 2.0, "06_topics": 1.55,
                  "07_metric_trends": 1.75, "08_text_reuse": 2.25}
#: Reports of the store :data:`PAGE_MEMORY_GB` was measured on.
PAGE_MEMORY_REPORTS = 100_000
#: Weight (GB) of a notebook without a measurement, at :data:`PAGE_MEMORY_REPORTS` reports.
DEFAULT_PAGE_MEMORY_GB = 1.0
#: Memory (GB) of a kernel that has read nothing yet (imports, an empty store): the part of a page's weight
#: that does not grow with the corpus.
BASE_PAGE_MEMORY_GB = 0.3
#: With ``jobs > 1``, pages run side by side only while the sum of their weights stays within this many GB
#: (the build's own processes come on top: at 100,000 reports 0.67 GB, the parent 0.23 and each worker
#: 0.22, so the whole report stays under 4 GB).
MEMORY_BUDGET_GB = 3.3

#: Largest page (bytes) the build accepts without a warning: a bigger page is slow to open and to send; the
#: build still writes it and logs a warning naming it (tables are bounded by present.display so that pages
#: stay under it).
PAGE_MAX_BYTES = 5_000_000

# --------------------------------------------------------------------------------------------- notebooks
def _relative_to(path: str | os.PathLike, start: Path) -> str:
    """``path`` relative to ``start`` (POSIX separators) so that the HTML does not show absolute paths."""
    target = Path(path).resolve()
    try:
        return Path(os.path.relpath(target, start.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def report_pages(paths: Sequence[str | os.PathLike], *, themes=None) -> list[tuple[Path, str, str | None, dict]]:
    """The pages a report builds from ``paths``: ``(notebook, page stem, page title or None, parameters)``.

    A notebook listed in :data:`NOTEBOOK_PAGES` gives one page per entry there (same notebook, other
    parameters); any other notebook gives one page with its own stem and title. With a user theme file
    (``themes``, as ``build_report(themes=…)``), each of its themes without a page of its own gets one from the
    theme notebook, after the bundled theme pages: ``03_theme_<id>``, titled with the theme's label.
    """
    extra = []
    if themes is not None:
        from ..analysis.themes import load_themes

        paged = {params.get("theme") for _, _, params in NOTEBOOK_PAGES.get("03_theme", [])}
        extra = [(f"03_theme_{re.sub(r'[^A-Za-z0-9_-]', '_', r.theme_id)}", f"03 · {r.label} (your theme)",
                  {"theme": r.theme_id}) for r in load_themes(themes).itertuples() if r.theme_id not in paged]
    pages = []
    for path in map(Path, paths):
        entries = NOTEBOOK_PAGES.get(path.stem, [(path.stem, None, {})])
        for stem, title, params in [*entries, *(extra if path.stem == "03_theme" else [])]:
            pages.append((path, stem, title, dict(params)))
    return pages


def _retitle(nb, title: str) -> None:
    """Replace the first Markdown heading of ``nb`` by ``title`` (a page built from a shared notebook)."""
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        lines = cell.get("source", "").splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"(\s*#+\s+).+", line)
            if m:
                lines[i] = m.group(1) + title
                cell["source"] = "\n".join(lines)
                return


# ------------------------------------------------------------------------------------------------- index
_INDEX_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left;
vertical-align:top}code{font-size:.9em}figure{display:inline-block;margin:.5rem;width:18rem;vertical-align:top}
figure img{width:100%;border:1px solid #eee}figcaption{font-size:.85em}"""


def tables_html(tables: Sequence[Path]) -> str:
    """The index's list of the full tables written beside the pages (``tables/<name>.csv`` and ``.parquet``;
    a table too large for a spreadsheet has only the Parquet file). ``tables``: the files of the folder."""
    esc = html.escape
    items = []
    for stem in sorted({t.stem for t in tables if t.suffix in (".csv", ".parquet")}):
        files = [(label, t) for label, suffix in (("CSV", ".csv"), ("Parquet", ".parquet"))
                 for t in tables if t.stem == stem and t.suffix == suffix]
        links = " · ".join(f'<a href="{esc("tables/" + t.name, quote=True)}">{label}</a>' for label, t in files)
        items.append(f"<li><code>{esc(stem)}</code> — {links}</li>")
    if not items:
        return ""
    return ("<h2>Tables</h2>\n<p>Every table of the pages in full (CSV in UTF-8 with a byte-order mark, for "
            "Excel; Parquet for R and Python; only Parquet for a table longer than a spreadsheet holds)."
            "</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n")


def _index_html(entries: list[tuple[str, str]], figures: list[Path], prov: dict,
                tables: Sequence[Path] = ()) -> str:
    esc = html.escape
    rows = []
    for key, value in prov.items():
        if isinstance(value, dict):
            inner = "<br>".join(f"<code>{esc(k)}</code>: <code>{esc(v)}</code>" for k, v in value.items())
            rows.append(f"<tr><th>{esc(key)}</th><td>{inner or '—'}</td></tr>")
        else:
            rows.append(f"<tr><th>{esc(key)}</th><td><code>{esc(str(value))}</code></td></tr>")
    items = "\n".join(f'<li><a href="{esc(href, quote=True)}">{esc(title)}</a> '
                      f'<small>({esc(href)})</small></li>' for href, title in entries)
    figs = []
    for png in figures:
        rel = f"figures/{png.name}"
        svg = png.with_suffix(".svg")
        links = f'<a href="{esc(rel, quote=True)}">PNG</a>'
        if svg.exists():
            links += f' · <a href="{esc("figures/" + svg.name, quote=True)}">SVG</a>'
        data = [d for d in (png.with_suffix(".csv"), png.with_suffix(".parquet")) if d.exists()]
        if data:
            links += f' · <a href="{esc("figures/" + data[0].name, quote=True)}">data</a>'
        figs.append(f'<figure><a href="{esc(rel, quote=True)}"><img src="{esc(rel, quote=True)}" '
                    f'alt="{esc(png.stem, quote=True)}" loading="lazy"></a>'
                    f'<figcaption>{esc(png.stem)} — {links}</figcaption></figure>')
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>法治政府建设年度报告分析 — lawgov-analysis</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n"
        "<h1>法治政府建设年度报告分析</h1>\n"
        "<p>Executed notebooks and paper figures built by <code>lawgov-analysis report</code>.</p>\n"
        f"<h2>Notebooks</h2>\n<ol>\n{items}\n</ol>\n"
        f"<h2>Figures</h2>\n<div>\n{chr(10).join(figs) or '<p>none</p>'}\n</div>\n"
        + tables_html(tables) +
        "<h2>Provenance</h2>\n<table class=\"provenance\">\n" + "\n".join(rows) + "\n</table>\n"
        "</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------------------------- build
def _parameter_names(path: Path) -> set[str]:
    """Names assigned in the cell tagged ``parameters`` (papermill injects only those it expects)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            return set(re.findall(r"^([A-Za-z_]\w*)\s*=", source, flags=re.MULTILINE))
    return set()


def page_memory(notebook: str | os.PathLike, n_reports: int) -> float:
    """The scheduling weight (GB) of a page of ``notebook`` on a store of ``n_reports`` reports.

    :data:`PAGE_MEMORY_GB` of the notebook's stem (every page of the theme notebook shares the weight of
    ``03_theme``), or :data:`DEFAULT_PAGE_MEMORY_GB`, scaled linearly between :data:`BASE_PAGE_MEMORY_GB` (no
    report) and the measured value (:data:`PAGE_MEMORY_REPORTS` reports), and beyond it.
    """
    peak = PAGE_MEMORY_GB.get(Path(notebook).stem, DEFAULT_PAGE_MEMORY_GB)
    return BASE_PAGE_MEMORY_GB + (peak - BASE_PAGE_MEMORY_GB) * max(0, int(n_reports)) / PAGE_MEMORY_REPORTS


def can_start(weight: float, running: Sequence[float], *, jobs: int, budget: float = MEMORY_BUDGET_GB) -> bool:
    """Whether a page of ``weight`` (GB, :func:`page_memory`) may start beside the pages of weights ``running``.

    The rule of ``build_report(jobs=N)``: at most ``jobs`` pages at once, and a page starts beside others only
    when the weights together stay within ``budget`` (:data:`MEMORY_BUDGET_GB`); with nothing running any
    page starts, so a page heavier than the budget runs alone.
    """
    if len(running) >= int(jobs):
        return False
    return not running or sum(running) + weight <= budget


def build_page(path: str | os.PathLike, stem: str, page_title: str | None, work: str | os.PathLike,
               params: dict, extra: dict, *, timeout: int | None = 1800, show_code: bool = False) -> tuple[str, str]:
    """Execute one page's notebook in ``work`` and write ``<work>/<stem>.html``; return ``(file name, title)``.

    ``params`` are the build's parameters (``corpus``, ``store``, ``out_dir``, ``seed``), ``extra`` the page's
    own (e.g. ``{"theme": "pufa"}``). The page depends only on these and the files it reads, never on other
    pages run before or beside it (each runs in a fresh kernel), so pages can be built in any order or at the
    same time.
    """
    work = Path(work)
    nb = strip_volatile(execute_notebook(path, cwd=work, timeout=timeout, parameters=extra, **params))
    if page_title:
        _retitle(nb, page_title)
    title = notebook_title(nb, stem)
    target = work / f"{stem}.html"
    target.write_text(notebook_html(nb, title=title, show_code=show_code), encoding="utf-8", newline="\n")
    return target.name, title


def build_report(corpus: str | os.PathLike = DEFAULT_CORPUS, out_dir: str | os.PathLike = DEFAULT_REPORTS,
                 seed: int = DEFAULT_SEED, notebooks: Sequence[str | os.PathLike] | None = None, *,
                 timeout: int | None = 1800, show_code: bool = False, themes=None, jobs: int = 1) -> Path:
    """Execute the notebooks, export each as self-contained HTML and write ``<out_dir>/index.html``.

    Parameters
    ----------
    corpus : path
        A folder of reports, a report file, a manifest CSV, a report table written by
        ``lawgov-analysis ingest --out`` (.parquet/.csv) or a store folder written by ``lawgov-analysis build``
        (reused as it is). Checked first (:func:`lawgov_analysis.pipeline.catalog.corpus_kind`): a missing, empty or unreadable
        corpus raises :class:`~lawgov_analysis.pipeline.catalog.CorpusInputError` before anything is written.
    out_dir : path
        Report folder: ``<stem>.html`` per notebook, ``index.html``, ``provenance.json`` and ``figures/``.
        Everything is built in a temporary sibling folder and moved into place only when every notebook ran,
        so a failed build leaves ``out_dir`` as it was.
    seed : int
        Passed to every notebook as ``seed``.
    notebooks : sequence of paths, optional
        Notebooks to run, in this order; default every ``NN_*.ipynb`` in :func:`config.notebooks_dir`.
    timeout : int or None
        Seconds allowed per cell.
    show_code : bool
        Pages open with code visible (default: reading view, code behind a "Show code" switch).
    themes : path or dict, optional
        A user theme file (``themes.toml`` format) whose themes are added to the bundled ones, or replace those
        with the same id (:func:`lawgov_analysis.analysis.themes.load_themes` ``extra=``), on every page: the
        store is built with them, each of its new themes gets a page of the theme notebook, and the provenance
        lists the file's hash. Not with a store as ``corpus`` (it keeps the dictionary it was built with).
    jobs : int
        Pages executed at the same time, each in its own process and kernel (1: one after another). The pages,
        figures, tables and index are byte-identical whatever ``jobs`` is (each page depends only on its
        notebook and parameters; the index lists pages in notebook order). Pages run side by side only while
        their weights (:func:`page_memory`: each notebook's peak memory measured at 100,000 reports, scaled to
        the store's size) sum to at most :data:`MEMORY_BUDGET_GB` (:func:`can_start`); the heaviest pages
        start first. A page heavier than the budget runs alone, so a large store's report stays under about
        4 GB whatever ``jobs`` is.

    Returns
    -------
    Path
        ``<out_dir>/index.html``.

    The notebooks get the parameters ``corpus`` and ``store`` (paths relative to the report folder, so no
    absolute path of this machine appears in the pages), ``out_dir`` (``"figures"``) and ``seed`` — each only
    when its ``parameters`` cell names it. The store is built once per report (:func:`lawgov_analysis.pipeline.catalog.open_corpus`) in the
    temporary folder and removed at the end, or reused when ``corpus`` is a store. Logs one line per executed
    notebook (INFO). A failing cell stops the build with ``papermill.PapermillExecutionError``.
    """
    import shutil

    paths = [Path(p) for p in notebooks] if notebooks is not None else find_notebooks()
    if not paths:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir()}")
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(f"notebook {p} does not exist")
    kind = corpus_kind(corpus)
    if kind == "store" and themes is not None:
        raise CorpusInputError(f"{corpus} is a store: it keeps the theme dictionary it was built with; build one "
                               f"with the themes (lawgov-analysis build PATH --themes {themes} --out STORE)")
    corpus = Path(corpus)
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    # built beside out_dir, so paths relative to it are the ones the final folder would give
    work = out.parent / f".{out.name}.building"
    if work.exists():
        shutil.rmtree(work)
    (work / "figures").mkdir(parents=True)
    try:
        corpus_param = _relative_to(corpus, work)
        if kind == "store":
            store_param = corpus_param
            n_reports = len(open_corpus(corpus).index)
        else:
            n_reports = len(open_corpus(corpus, store=work / "_store", progress=False,
                                        **({"themes": themes} if themes else {})).index)
            store_param = "_store"
        pages = report_pages(paths, themes=themes)
        tasks = []
        for path, stem, page_title, extra in pages:
            wanted = _parameter_names(path)
            params = {"corpus": corpus_param, "store": store_param, "out_dir": "figures", "seed": int(seed)}
            params = {k: v for k, v in params.items() if k in wanted or k in ("corpus", "out_dir", "seed")}
            missing = sorted(set(extra) - wanted)
            if missing:
                raise ValueError(f"{path.name} has no parameter {', '.join(missing)} for page {stem}")
            tasks.append((path, stem, page_title, work, params, extra))
        entries = [None] * len(tasks)

        def done(i: int, result: tuple[str, str]) -> None:
            entries[i] = result
            path = tasks[i][0]
            logger.info("[%d/%d] executed %s -> %s", i + 1, len(tasks), path.name, out / result[0])
            size = (work / result[0]).stat().st_size
            if size > PAGE_MAX_BYTES:
                logger.warning("page %s is %.2f MB, over the %g MB a page should keep to (its figures or tables "
                               "are too large)", result[0], size / 1e6, PAGE_MAX_BYTES / 1e6)

        def failed(i: int, exc: BaseException) -> None:
            logger.error("[%d/%d] FAILED %s (%s): %s", i + 1, len(tasks), tasks[i][1], tasks[i][0].name,
                         type(exc).__name__)

        if int(jobs) < 1:
            raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
        if int(jobs) == 1 or len(tasks) < 2:
            for i, task in enumerate(tasks):
                try:
                    result = build_page(*task, timeout=timeout, show_code=show_code)
                except Exception as exc:
                    failed(i, exc)
                    raise
                done(i, result)
        else:
            import multiprocessing
            from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

            # each page's weight (its peak memory at this store's size): pages run side by side only while their
            # weights fit MEMORY_BUDGET_GB; the heaviest start first, the others fill in beside them
            weights = [page_memory(task[0], n_reports) for task in tasks]
            waiting = sorted(range(len(tasks)), key=lambda i: (-weights[i], i))
            running, results, reported = {}, {}, 0
            # fresh interpreters (spawn): the build process holds threads and sockets a fork would copy
            with ProcessPoolExecutor(max_workers=min(int(jobs), len(tasks)),
                                     mp_context=multiprocessing.get_context("spawn")) as pool:
                try:
                    while waiting or running:
                        for i in list(waiting):
                            if can_start(weights[i], [weights[j] for j in running.values()], jobs=int(jobs)):
                                waiting.remove(i)
                                running[pool.submit(build_page, *tasks[i], timeout=timeout,
                                                    show_code=show_code)] = i
                        finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                        for future in finished:
                            i = running.pop(future)
                            try:
                                results[i] = future.result()
                            except Exception as exc:
                                failed(i, exc)
                                raise
                        while reported in results:          # reported in page order, as they finish
                            done(reported, results[reported])
                            reported += 1
                except BaseException:
                    for future in running:
                        future.cancel()
                    raise
        # a store: its report table without the texts (the fingerprint hashes doc_id, sha256 and metadata; the
        # texts would hold 2.6 GB in this process at 100,000 reports)
        prov = provenance(corpus if kind != "store" else open_corpus(corpus).reports(), seed, paths)
        prov["corpus"] = corpus.as_posix()
        if isinstance(themes, (str, os.PathLike)):    # the user theme file the store was built with
            prov["themes_file"] = f"{Path(themes).name} sha256:{hashlib.sha256(Path(themes).read_bytes()).hexdigest()[:16]}"
        figs = sorted((work / "figures").glob("*.png"))
        (work / "provenance.json").write_text(json.dumps(prov, ensure_ascii=False, indent=2, sort_keys=False)
                                              + "\n", encoding="utf-8", newline="\n")
        (work / "index.html").write_text(_index_html(entries, figs, prov,
                                                          sorted((work / "tables").glob("*.*"))), encoding="utf-8", newline="\n")
        if (work / "_store").exists():
            shutil.rmtree(work / "_store")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.previous"
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return out / "index.html"


__all__ = ["BASE_PAGE_MEMORY_GB", "DEFAULT_PAGE_MEMORY_GB", "MEMORY_BUDGET_GB", "PAGE_MAX_BYTES", "PAGE_MEMORY_GB",
           "PAGE_MEMORY_REPORTS", "NOTEBOOK_PAGES", "build_page", "build_report", "can_start", "page_memory",
           "report_pages", "tables_html"]
