"""Pages 01-03 on a store larger than max_docs: counts and scores cover every report (read by DuckDB), the
per-token tables cover the seeded sample, and the page says so and how big."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis import build_store
from lawgov_analysis.analysis.keywords import keyness, term_frequencies
from lawgov_analysis.analysis.themes import theme_metrics, theme_scores
from lawgov_analysis.core.config import notebooks_dir
from lawgov_analysis.pipeline.aggregate import sample_docs
from lawgov_analysis.report.execute import execute_notebook

from .corpus_factory import write_corpus

SENTENCE = "**Sample.** A seeded random sample of 5 of the 12 reports (41.7%, stratified by year, seed 0;"


def _markdown(nb) -> str:
    return "\n".join(o["data"]["text/markdown"] for c in nb.cells if c.get("cell_type") == "code"
                     for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))


def _table(tables: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(tables / f"{name}.csv", encoding="utf-8-sig", dtype={"doc_id": str})


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Run a page with max_docs=5 on a 12-report panel store (one report per part)."""
    root = tmp_path_factory.mktemp("terms")
    store = build_store(write_corpus("panel", root / "corpus", size=12), root / "store", n_jobs=1, chunk_size=1)

    def page(stem: str, **parameters):
        work = root / f"{stem}{''.join(parameters.values())}"
        (work / "figures").mkdir(parents=True)
        nb = execute_notebook(Path(notebooks_dir()) / f"{stem}.ipynb", corpus="../store", store="../store",
                              out_dir="figures", cwd=work, parameters={"max_docs": 5, **parameters})
        return nb, work / "tables", store

    return page


@pytest.mark.slow
def test_overview_lists_the_sample_sections_and_every_report(run):
    nb, tables, store = run("01_corpus_overview")
    assert SENTENCE in _markdown(nb) and "is behind the section tree" in _markdown(nb)
    sample = set(sample_docs(store, 5, strata="year", seed=0))
    assert set(_table(tables, "01_sections")["doc_id"]) == sample
    reports = _table(tables, "01_reports")
    assert len(reports) == 12
    sections = store.table("sections", columns=["doc_id"], categories=False)["doc_id"].value_counts()
    assert (reports.set_index("doc_id")["sections"] == sections.reindex(reports["doc_id"])).all()


@pytest.mark.slow
def test_keywords_count_every_report_and_sample_the_rest(run):
    nb, tables, store = run("02_keywords")
    assert SENTENCE in _markdown(nb)
    sample = set(sample_docs(store, 5, strata="year", seed=0))
    tokens, corpus = store.table("tokens"), store.table("corpus", categories=False)
    every = term_frequencies(tokens, by="doc_id")
    top = _table(tables, "02_top_terms")
    want = every[every["rank"] <= 15].reset_index(drop=True).astype({"doc_id": str, "term": str})
    pd.testing.assert_frame_equal(top, want, check_dtype=False)
    year = max(corpus["year"])
    key = _table(tables, "02_keyness")
    pd.testing.assert_frame_equal(key, keyness(tokens, group=year, by="year", corpus=corpus).astype({"term": str}),
                                  check_dtype=False)
    assert set(_table(tables, "02_kwic_pufa")["doc_id"]) <= sample


@pytest.mark.slow
def test_theme_scores_every_report_and_lists_the_sample_sentences(run):
    nb, tables, store = run("03_theme", theme="pufa")
    assert SENTENCE in _markdown(nb)
    sample = set(sample_docs(store, 5, strata="year", seed=0))
    scores = theme_scores(store.theme_hits, store.sentences, corpus=store.corpus, themes=store.themes)
    mine = scores[scores["theme_id"] == "pufa"]
    per_report = _table(tables, "pufa_per_report").set_index("doc_id")
    assert len(per_report) == 12
    assert per_report["hits"].to_dict() == mine.set_index("doc_id")["hits"].to_dict()
    assert set(_table(tables, "pufa_sentences")["doc_id"]) <= sample
    assert set(_table(tables, "pufa_sections")["doc_id"]) == sample
    numbers = theme_metrics(store.table("metrics", categories=False), "pufa", themes=store.themes)
    assert len(_table(tables, "pufa_numbers")) == len(numbers) > 0
