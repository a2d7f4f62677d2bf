"""lawgov-analysis: tidy tables and figures from Chinese rule-of-law government annual reports.

The package is grouped by pipeline stage::

    io/        corpus (files, manifests), metadata, gazetteer, store (Parquet), fetch
    text/      structure (sections, sentences), tokens
    measures/  numerals, metrics, panel, audit
    analysis/  keywords, themes, topics
    present/   plotting, display, summary, report

The most used functions are importable from the top level (``from lawgov_analysis import load_corpus``), and the
module paths of earlier releases (``lawgov_analysis.corpus``, ``lawgov_analysis.metrics`` …) keep working as
aliases of the modules' new homes.

Importing the package has no side effects: nothing is printed, logging is not configured, jieba is not loaded
(modules are imported on first use).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lawgov-analysis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

#: Old flat module name → its module in the stage folders. ``import lawgov_analysis.corpus`` still works.
MODULES = {
    "corpus": "io.corpus",
    "structure": "text.structure",
    "tokens": "text.tokens",
    "numerals": "measures.numerals",
    "metrics": "measures.metrics",
    "audit": "measures.audit",
    "keywords": "analysis.keywords",
    "themes": "analysis.themes",
    "topics": "analysis.topics",
    "plotting": "present.plotting",
    "display": "present.display",
    "report": "present.report",
}

#: Public function → the module that defines it (imported lazily on first attribute access).
EXPORTS = {
    "load_corpus": "io.corpus",
    "build_store": "io.store",
    "load_store": "io.store",
    "fetch_reports": "io.fetch",
    "summarize_ingest": "io.corpus",
    "write_manifest": "io.corpus",
    "infer_metadata": "io.metadata",
    "gazetteer_version": "io.gazetteer",
    "sections": "text.structure",
    "sentences": "text.structure",
    "tokenize": "text.tokens",
    "extract_metrics": "measures.metrics",
    "indicator_labels": "measures.metrics",
    "panel": "measures.panel",
    "changes": "measures.panel",
    "mention_roles": "measures.panel",
    "term_frequencies": "analysis.keywords",
    "theme_scores": "analysis.themes",
    "fit_topics": "analysis.topics",
    "select_k": "analysis.topics",
    "keyword_mask": "analysis.keywords",
    "use_style": "present.plotting",
    "style_context": "present.plotting",
    "government_key": "present.plotting",
    "plot_distribution": "present.plotting",
    "plot_indicator_panel": "present.plotting",
    "save_figure": "present.plotting",
    "show_table": "present.display",
    "format_table": "present.display",
    "build_report": "present.report",
    "read_corpus_table": "present.report",
    "corpus_design": "present.summary",
    "metadata_completeness": "present.summary",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.real_spec = module.__spec__
        return module

    def exec_module(self, module):
        # The target module is already executed; the import system overwrote its ``__spec__`` with the alias's
        # spec, so give it back its own (pickling and multiprocessing look modules up by their real name).
        module.__spec__ = self.real_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolve ``lawgov_analysis.<old name>`` to the module's home in a stage folder."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != __name__ or name not in MODULES:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(f"{__name__}.{MODULES[name]}"))


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.append(_AliasFinder())


def __getattr__(name: str):
    if name in EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{EXPORTS[name]}"), name)
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(EXPORTS) | set(MODULES))


__all__ = ["__version__", *sorted(EXPORTS)]
