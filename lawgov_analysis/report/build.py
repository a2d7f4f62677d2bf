"""Build the HTML report: execute every notebook, export self-contained HTML, write an index with provenance.

``build_report`` first checks what it is given (:func:`~lawgov_analysis.pipeline.catalog.corpus_kind`: a
folder, file or manifest of reports, the table ``lawgov-analysis ingest --out`` writes, or a store; anything
else is a one-line :class:`~lawgov_analysis.pipeline.catalog.CorpusInputError`), opens the corpus as a store
once (:func:`~lawgov_analysis.pipeline.catalog.open_corpus`, or reuses the store it was given), then runs the numbered notebooks (``NN_description.ipynb``, kept as the source and paired with
jupytext percent scripts) of :func:`config.notebooks_dir` with papermill. Everything is written into a
temporary folder beside ``out_dir`` that replaces it only when every notebook ran, so a failure leaves the
previous report untouched. The kernel starts in that folder and gets the parameters ``corpus`` and ``store``
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
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path

from ..core.config import DEFAULT_CORPUS, DEFAULT_REPORTS, DEFAULT_SEED, notebooks_dir
from ..pipeline.catalog import CorpusInputError, corpus_kind, is_corpus_table, open_corpus, read_corpus_table
from .notebooks import NOTEBOOK_GLOB, find_notebooks

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

#: Resource files whose hashes the provenance block lists first (the others in ``resources/`` follow).
PROVENANCE_RESOURCES = ("lexicon.txt", "stopwords_general.txt", "stopwords_boilerplate.txt")

#: Largest page (bytes) the build accepts without a warning: a bigger page is slow to open and to send; the
#: build still writes it and logs a warning naming it (tables are bounded by present.display so that pages
#: stay under it).
PAGE_MAX_BYTES = 5_000_000

#: Environment given to the notebook kernel on top of the build's own environment.
KERNEL_ENV = {"PYTHONHASHSEED": "0"}

_LIBRARIES = ("jieba", "pandas", "numpy", "scikit-learn", "matplotlib", "wordcloud", "networkx", "papermill",
              "nbconvert")

# lines of stderr that carry wall-clock timings or depend on cache state rather than on the inputs: jieba's
# loader, tqdm progress bars, and tqdm.auto's warning (printed only when a cache miss starts a progress bar)
_VOLATILE_STDERR = re.compile(
    r"(Building prefix dict|Loading model from cache|Loading model cost|Prefix dict has been built|"
    r"Dumping model to file cache|\d+(?:\.\d+)?\s*(?:it/s|s/it)|\[\d+:\d\d<|TqdmWarning|"
    r"from \.autonotebook import tqdm)")
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")

# lab template without anything loaded from the network, with a reading view: code cells hidden until the
# "Show code" switch (a plain checkbox styled by CSS; no script) is ticked
_TEMPLATE_NAME = "lawgov_offline.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
#lawgov-show-code{position:fixed;top:.6rem;right:7.2rem;z-index:10}
.lawgov-show-code-label{position:fixed;top:.4rem;right:1rem;z-index:10;background:#fff;border:1px solid #ccc;
border-radius:4px;padding:.1rem .5rem;font:13px sans-serif;cursor:pointer}
#lawgov-show-code:not(:checked) ~ main .jp-CodeCell .jp-Cell-inputWrapper{display:none}
#lawgov-show-code:not(:checked) ~ main .jp-OutputPrompt{display:none}
.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{vertical-align:top}
.lawgov-table table.dataTable td:not(.dt-type-numeric),.lawgov-table table.dataTable th:not(.dt-type-numeric)
{text-align:left}
.lawgov-table table.dataTable td.dt-type-numeric,.lawgov-table table.dataTable th.dt-type-numeric{text-align:right}
.lawgov-table table.dataTable tfoot input{width:100%;box-sizing:border-box}
details.lawgov-table{margin:.5rem 0}details.lawgov-table>summary{cursor:pointer}
</style>
{% endblock extra_css %}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<input type="checkbox" id="lawgov-show-code" aria-label="Show code"{{ ' checked' if resources.lawgov_show_code }}>
<label for="lawgov-show-code" class="lawgov-show-code-label">Show code</label>
<main>
{%- endblock body_header -%}
"""


# ------------------------------------------------------------------------------------------------ kernel
def _kernel_manager_class():
    """An ``AsyncKernelManager`` whose kernel is ``sys.executable -m ipykernel_launcher`` with ``KERNEL_ENV``.

    Installed kernelspecs are ignored: a ``python3`` spec may name ``python`` (resolved on ``PATH``, which
    differs from this interpreter when the virtualenv is not activated) or another environment altogether.
    ``PYTHONPATH`` starts with the folder holding this package, so the kernel imports the same code.
    """
    import zmq
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec
    from traitlets import default

    # like ipykernel's own spec: lets jupyter_client provision CurveZMQ keys (encrypted local transport)
    meta = {"supported_encryption": ["curve"]} if zmq.has("curve") else {}
    # the kernel imports the same lawgov_analysis as this process, installed or not
    source_root = str(Path(__file__).resolve().parents[2])
    paths = [source_root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != source_root]
    env = {**KERNEL_ENV, "PYTHONPATH": os.pathsep.join(paths)}

    class CurrentInterpreterKernelManager(AsyncKernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self):
            return "auto" if meta else "disabled"

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts (SIGINT) before every shutdown request; an idle kernel then logs
            # "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel" into the build's output. A shutdown
            # request follows anyway, so the interrupt is skipped while shutting down.
            if getattr(self, "shutting_down", False):
                return
            await super()._async_interrupt_kernel()

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)", language="python", env=dict(env),
                    interrupt_mode="signal", metadata=dict(meta))
            return self._kernel_spec

    return CurrentInterpreterKernelManager


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


def execute_notebook(path: str | os.PathLike, *, corpus: str | os.PathLike, out_dir: str | os.PathLike,
                     seed: int = DEFAULT_SEED, cwd: str | os.PathLike | None = None,
                     timeout: int | None = 1800, store: str | os.PathLike | None = None,
                     parameters: dict | None = None):
    """Execute one notebook with papermill in a kernel of the current interpreter; return it, unsaved.

    Parameters ``corpus``, ``out_dir`` (the figures folder), ``seed``, when given ``store``, and any further
    ``parameters`` (e.g. ``{"theme": "saohei"}``) are injected after the cell tagged ``parameters``, as given (relative paths are relative to ``cwd``). The kernel starts in ``cwd`` (default:
    the current directory); the build process itself never changes directory.
    Raises ``papermill.PapermillExecutionError`` when a cell fails.
    """
    import papermill

    workdir = str(Path(cwd) if cwd is not None else Path.cwd())
    injected = {"corpus": str(corpus), "out_dir": str(out_dir), "seed": int(seed)}
    if store is not None:
        injected["store"] = str(store)
    injected.update(parameters or {})
    return papermill.execute_notebook(
        str(path), None,
        parameters=injected,
        kernel_name="python3", language="python", progress_bar=False, log_output=False,
        request_save_on_cell_execute=False, start_timeout=120, execution_timeout=timeout,
        kernel_manager_class=_kernel_manager_class(), record_timing=False,
        resources={"metadata": {"path": workdir}},  # nbclient starts the kernel there
    )


def strip_volatile(nb):
    """Remove what changes between identical runs: timestamps, durations, timing lines, object addresses.

    Gives papermill's injected cell the id ``injected-parameters`` (papermill's is random), joins adjacent
    chunks of one output stream (split by flush timing). Drops ``metadata.papermill`` (notebook and cells) and ``metadata.execution``; removes stderr lines with
    timings (jieba's loader, progress bars) and replaces ``at 0x7f…`` addresses in text outputs. In place;
    returns ``nb``.
    """
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        # papermill gives its injected cell a random id; nbformat may add random ids to old notebooks
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif not cell.get("id"):
            cell["id"] = f"cell-{i}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") != "code":
            continue
        # the kernel splits printed text into chunks by flush timing: join adjacent chunks of one stream first
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = merged[-1].get("text", "") + out.get("text", "")
            else:
                merged.append(out)
        kept = []
        for out in merged:
            if out.get("output_type") == "stream":
                text = out.get("text", "")
                if out.get("name") == "stderr":
                    text = "".join(line for line in text.splitlines(keepends=True)
                                   if not _VOLATILE_STDERR.search(line))
                text = _ADDRESS.sub("at 0x…", text)
                if not text:
                    continue
                out["text"] = text
            elif "data" in out and "text/plain" in out["data"]:
                plain = out["data"]["text/plain"]
                if isinstance(plain, list):
                    plain = "".join(plain)
                out["data"]["text/plain"] = _ADDRESS.sub("at 0x…", plain)
            kept.append(out)
        cell["outputs"] = kept
    return nb


def notebook_html(nb, *, title: str, show_code: bool = False) -> str:
    """Self-contained HTML of an executed notebook (JupyterLab look, images embedded, nothing from the web).

    The page opens in a reading view (code cells hidden, a "Show code" switch at the top right) unless
    ``show_code`` is true, in which case the switch starts ticked.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file=_TEMPLATE_NAME,
                            extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})], embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title},
                                                         "lawgov_show_code": bool(show_code)})
    return body


def notebook_title(nb, default: str) -> str:
    """Text of the first Markdown heading of ``nb``, else ``default``."""
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            for line in cell.get("source", "").splitlines():
                m = re.match(r"\s*#+\s+(.+)", line)
                if m:
                    return m.group(1).strip()
    return default


# -------------------------------------------------------------------------------------------- provenance
def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: What the report is built from: the commit recorded in the provenance is the last one touching these.
_INPUT_PATHS = ("lawgov_analysis", "notebooks", "data", "pyproject.toml")


def _git_commit(repo: Path) -> str | None:
    """The last commit that changed the report's inputs, with ``+dirty`` when they have uncommitted edits.

    Using the inputs' commit rather than ``HEAD`` keeps a committed ``reports/`` byte-stable: committing the
    rebuilt reports does not change what the next rebuild records.
    """
    if not (repo / ".git").exists():
        return None
    try:
        last = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%H", "--", *_INPUT_PATHS],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no", "--",
                                *_INPUT_PATHS], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    if not last:
        return None
    return last + ("+dirty" if dirty.strip() else "")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def resource_hashes() -> dict[str, str]:
    """sha256 (first 16 hex digits) of each file in ``lawgov_analysis/resources/``; ``absent`` for the
    lexicon and stopword files when they do not exist."""
    folder = resources.files("lawgov_analysis").joinpath("resources")
    out = {name: "absent" for name in PROVENANCE_RESOURCES}
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith((".", "__")):
                out[entry.name] = _sha256_bytes(entry.read_bytes())[:16]
    return out


def _table_fingerprint(df) -> dict[str, str]:
    from ..core.validate import check_columns

    check_columns(df, ["doc_id", "sha256"], what="corpus")
    # The metadata (from a manifest or inferred) is part of the corpus: the same texts with another year or
    # region give other results, so they give another hash.
    meta = [c for c in _FINGERPRINT_METADATA if c in df.columns]
    values = df[["doc_id", "sha256", *meta]].astype("string").fillna("")
    pairs = sorted("\t".join(row) for row in values.itertuples(index=False, name=None))
    digest = _sha256_bytes("".join(f"{line}\n" for line in pairs).encode("utf-8"))
    return {"corpus_hash": digest, "corpus_reports": str(len(pairs)),
            "corpus_hash_method": "sha256 of sorted doc_id + report sha256 + metadata "
                                  f"({', '.join(meta) or 'none'}) (load_corpus)"}


#: Report metadata hashed into the corpus fingerprint along with the texts.
_FINGERPRINT_METADATA = ("title", "author", "department", "region", "region_code", "province", "city", "level",
                         "year", "source")


def corpus_fingerprint(corpus) -> dict[str, str]:
    """Hash identifying the corpus: sha256 over the sorted ``doc_id`` and ``sha256`` of the loaded reports.

    ``corpus`` is the report table of ``load_corpus`` or a path to load. Falls back to hashing the files under
    the path (sorted relative path and file sha256) when it cannot be loaded.
    Returns ``{"corpus_hash", "corpus_reports", "corpus_hash_method"}``.
    """
    import pandas as pd

    if isinstance(corpus, pd.DataFrame):
        return _table_fingerprint(corpus)
    path = Path(corpus)
    try:
        if is_corpus_table(path):
            return _table_fingerprint(read_corpus_table(path))
        from ..io.corpus import load_corpus

        return _table_fingerprint(load_corpus(path))
    except Exception:  # noqa: BLE001 - provenance must not stop the build; fall back to the raw files
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else \
            ([path] if path.is_file() else [])
        lines = [f"{p.relative_to(path).as_posix() if path.is_dir() else p.name}\t"
                 f"{_sha256_bytes(p.read_bytes())}\n" for p in files]
        return {"corpus_hash": _sha256_bytes("".join(lines).encode("utf-8")), "corpus_reports": str(len(files)),
                "corpus_hash_method": "sha256 of sorted file path + file sha256 (files)"}


def provenance(corpus, seed: int = DEFAULT_SEED, notebooks: Sequence[Path] = ()) -> dict:
    """Everything that determines the report, without wall-clock time: versions, commit, hashes, seed.

    ``corpus`` is a corpus path or the loaded report table. Values are strings, except ``resources`` and
    ``notebooks`` (file name → first 16 hex digits of its sha256).
    """
    import pandas as pd

    from .. import __version__

    repo = Path(__file__).resolve().parents[2]
    info = {
        "package": f"lawgov-analysis {__version__}",
        "git_commit": _git_commit(repo) or "unavailable",
        "python": platform.python_version(),
        **{f"{lib}_version": _version(lib) for lib in _LIBRARIES},
        "seed": str(seed),
    }
    if not isinstance(corpus, pd.DataFrame):
        info["corpus"] = Path(corpus).as_posix()
    info.update(corpus_fingerprint(corpus))
    info["resources"] = resource_hashes()
    from ..io.gazetteer import gazetteer_version

    info["gazetteer"] = gazetteer_version()  # the region-code table behind region_code, province and city
    if notebooks:
        info["notebooks"] = {Path(p).name: _sha256_bytes(Path(p).read_bytes())[:16] for p in notebooks}
    try:
        from ..present.style import font_family, font_path

        info["font"] = f"{font_family()} ({font_path().name})"
    except Exception:  # noqa: BLE001 - a missing font is reported by the figures themselves
        info["font"] = "unavailable"
    return info


def provenance_table(corpus, seed: int = DEFAULT_SEED):
    """:func:`provenance` as a two-column table for a notebook's closing cell: ``field, value``.

    Nested entries are flattened (``resource lexicon.txt``). No wall-clock time, so the table is identical
    on every rebuild from the same code, resources, corpus and seed.
    """
    import pandas as pd

    rows = []
    for key, value in provenance(corpus, seed).items():
        if isinstance(value, dict):
            prefix = "resource" if key == "resources" else key
            rows.extend((f"{prefix} {k}", v) for k, v in value.items())
        else:
            rows.append((key, value))
    return pd.DataFrame(rows, columns=["field", "value"])


# ------------------------------------------------------------------------------------------------- index
_INDEX_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left;
vertical-align:top}code{font-size:.9em}figure{display:inline-block;margin:.5rem;width:18rem;vertical-align:top}
figure img{width:100%;border:1px solid #eee}figcaption{font-size:.85em}"""


def tables_html(tables: Sequence[Path]) -> str:
    """The index's list of the full tables written beside the pages (``tables/<name>.csv`` and ``.parquet``)."""
    if not tables:
        return ""
    esc = html.escape
    items = []
    for csv in tables:
        links = f'<a href="{esc("tables/" + csv.name, quote=True)}">CSV</a>'
        if csv.with_suffix(".parquet").exists():
            links += f' · <a href="{esc("tables/" + csv.stem + ".parquet", quote=True)}">Parquet</a>'
        items.append(f"<li><code>{esc(csv.stem)}</code> — {links}</li>")
    return ("<h2>Tables</h2>\n<p>Every table of the pages in full (CSV in UTF-8 with a byte-order mark, for "
            "Excel; Parquet for R and Python).</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n")


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
        csv = png.with_suffix(".csv")
        if csv.exists():
            links += f' · <a href="{esc("figures/" + csv.name, quote=True)}">data</a>'
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


def build_report(corpus: str | os.PathLike = DEFAULT_CORPUS, out_dir: str | os.PathLike = DEFAULT_REPORTS,
                 seed: int = DEFAULT_SEED, notebooks: Sequence[str | os.PathLike] | None = None, *,
                 timeout: int | None = 1800, show_code: bool = False, themes=None) -> Path:
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
        else:
            open_corpus(corpus, store=work / "_store", progress=False, **({"themes": themes} if themes else {}))
            store_param = "_store"
        entries = []
        pages = report_pages(paths, themes=themes)
        for i, (path, stem, page_title, extra) in enumerate(pages, 1):
            target = work / f"{stem}.html"
            wanted = _parameter_names(path)
            params = {"corpus": corpus_param, "store": store_param, "out_dir": "figures", "seed": int(seed)}
            params = {k: v for k, v in params.items() if k in wanted or k in ("corpus", "out_dir", "seed")}
            missing = sorted(set(extra) - wanted)
            if missing:
                raise ValueError(f"{path.name} has no parameter {', '.join(missing)} for page {stem}")
            try:
                nb = execute_notebook(path, cwd=work, timeout=timeout, parameters=extra, **params)
            except Exception as exc:
                logger.error("[%d/%d] FAILED %s (%s): %s", i, len(pages), stem, path.name, type(exc).__name__)
                raise
            nb = strip_volatile(nb)
            if page_title:
                _retitle(nb, page_title)
            title = notebook_title(nb, stem)
            target.write_text(notebook_html(nb, title=title, show_code=show_code), encoding="utf-8",
                              newline="\n")
            entries.append((target.name, title))
            logger.info("[%d/%d] executed %s -> %s", i, len(pages), path.name, out / target.name)
            size = target.stat().st_size
            if size > PAGE_MAX_BYTES:
                logger.warning("page %s is %.2f MB, over the %g MB a page should keep to (its figures or tables "
                               "are too large)", target.name, size / 1e6, PAGE_MAX_BYTES / 1e6)
        prov = provenance(corpus if kind != "store" else open_corpus(corpus).corpus, seed, paths)
        prov["corpus"] = corpus.as_posix()
        if isinstance(themes, (str, os.PathLike)):    # the user theme file the store was built with
            prov["themes_file"] = f"{Path(themes).name} sha256:{_sha256_bytes(Path(themes).read_bytes())[:16]}"
        figs = sorted((work / "figures").glob("*.png"))
        (work / "provenance.json").write_text(json.dumps(prov, ensure_ascii=False, indent=2, sort_keys=False)
                                              + "\n", encoding="utf-8", newline="\n")
        (work / "index.html").write_text(_index_html(entries, figs, prov,
                                                          sorted((work / "tables").glob("*.csv"))), encoding="utf-8", newline="\n")
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


__all__ = ["PAGE_MAX_BYTES", "build_report", "execute_notebook",
           "find_notebooks", "report_pages", "NOTEBOOK_PAGES", "strip_volatile", "notebook_html",
           "provenance", "provenance_table", "corpus_fingerprint", "resource_hashes", "tables_html"]
