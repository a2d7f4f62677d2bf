"""Executing one notebook (papermill, in :mod:`~lawgov_analysis.report.kernel`'s kernel) and exporting it as
self-contained HTML (nbconvert, an offline template with a reading view)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.config import DEFAULT_SEED
from .kernel import kernel_manager_class

__all__ = ["execute_notebook", "strip_volatile", "notebook_html", "notebook_title"]

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
        kernel_manager_class=kernel_manager_class(), record_timing=False,
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
