"""lawgov-analysis: tidy tables and figures from Chinese rule-of-law government annual reports.

The package is layered; each layer imports only the ones below it (an import-linter contract)::

    core/      government identity, levels, numerals, cue words, delimiters, resources, options, defaults
    text/      structure (sections, sentences), tokens (rjieba / jieba segmenters)
    io/        corpus, readers, manifests, metadata, gazetteers, fetch, exports, timeliness
    measures/  metrics (mentions, exclusions, indicators, evaluation), panel, audit
    analysis/  keywords, themes, topics, text reuse, term expansion, validation
    pipeline/  stages (declared as data), runner (processes, Dask), catalog (open_corpus, Store), aggregation
    present/   style, labels, plots/ (a module per figure family), save, display, summary
    report/    notebook execution, HTML export, provenance; the curated notebooks are package data

The public API is importable from the top level (``from lawgov_analysis import open_corpus, extract_metrics``);
:data:`__all__` lists it.

Importing the package has no side effects: nothing is printed, logging is not configured, jieba is not loaded
(modules are imported on first use).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lawgov-analysis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

#: Public function → the module that defines it (imported lazily on first attribute access).
EXPORTS = {
    "load_corpus": "io.corpus",
    "join_metadata": "core.tables",
    "build_store": "pipeline.runner",
    "open_corpus": "pipeline.catalog",
    "Store": "pipeline.catalog",
    "CorpusInputError": "pipeline.catalog",
    "fetch_reports": "io.fetch",
    "summarize_ingest": "io.corpus",
    "write_manifest": "io.corpus",
    "infer_metadata": "io.metadata",
    "gazetteer_version": "io.gazetteer",
    "sections": "text.structure",
    "sentences": "text.structure",
    "tokenize": "text.tokens",
    "extract_metrics": "measures.metrics",
    "indicator_labels": "measures.indicators",
    "explain_exclusions": "measures.metrics",
    "panel": "measures.panel",
    "changes": "measures.panel",
    "mention_roles": "measures.panel",
    "term_frequencies": "analysis.keywords",
    "theme_scores": "analysis.themes",
    "fit_topics": "analysis.topics",
    "select_k": "analysis.topics",
    "keyword_mask": "analysis.keywords",
    "use_style": "present.style",
    "style_context": "present.style",
    "government_key": "core.government",
    "plot_distribution": "present.plots",
    "plot_indicator_panel": "present.plots",
    "save_figure": "present.save",
    "show_table": "present.display",
    "format_table": "present.display",
    "build_report": "report.build",
    "corpus_design": "present.summary",
    "metadata_completeness": "present.summary",
    # what the curated notebooks use (they import from the top level only)
    "section_outline": "text.structure",
    "with_section_level": "text.structure",
    "publication_timeliness": "io.timeliness",
    "timeliness_summary": "io.timeliness",
    "cooccurrence": "analysis.keywords",
    "keyness": "analysis.keywords",
    "kwic": "analysis.keywords",
    "textrank_keywords": "analysis.keywords",
    "tfidf": "analysis.keywords",
    "topic_prevalence": "analysis.topics",
    "topic_section_agreement": "analysis.topics",
    "find_reuse": "analysis.reuse",
    "reuse_shares": "analysis.reuse",
    "plot_term_bars": "present.plots",
    "plot_wordcloud": "present.plots",
    "plot_theme_heatmap": "present.plots",
    "plot_theme_trend": "present.plots",
    "plot_metric_trend": "present.plots",
    "plot_topic_terms": "present.plots",
    "plot_cooccurrence_network": "present.plots",
    "plot_audit_findings": "present.plots",
    "government_labels": "present.labels",
    "describe_corpus": "present.summary",
    "describe_lengths": "present.summary",
    "describe_keywords": "present.summary",
    "describe_themes": "present.summary",
    "describe_metrics": "present.summary",
    "describe_topics": "present.summary",
    "describe_reuse": "present.summary",
    "provenance_table": "report.provenance",
    "load_themes": "analysis.themes",
    "theme_sentences": "analysis.themes",
    "theme_metrics": "analysis.themes",
    "coding_sample": "analysis.validation",
    # store-wide term and theme tables (notebooks 01-03): DuckDB over the part files, and the report sample
    "sample_docs": "pipeline.aggregate",
    "find_reuse_store": "pipeline.aggregate",
    "term_frequencies_store": "pipeline.aggregate",
    "theme_scores_store": "pipeline.aggregate",
    "term_totals_store": "pipeline.store_sql",
    "term_tables_store": "pipeline.store_sql",
    "theme_metrics_store": "pipeline.store_sql",
    "tfidf_frequencies": "analysis.keywords",
    "keyness_counts": "analysis.keywords",
    "describe_sample": "present.summary",
    # store-wide analyses read part by part (notebooks 06-08)
    "select_k_store": "pipeline.aggregate",
    "topic_tables_store": "pipeline.aggregate",
    "sample_rows": "pipeline.sampling",
    "sample_table": "pipeline.sampling",
}


def __getattr__(name: str):
    if name in EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(EXPORTS))


__all__ = ["__version__", *sorted(EXPORTS)]
