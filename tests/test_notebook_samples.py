"""Pages 06-08 on a store larger than their limits: they sample, say so and how big, and write the sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis import build_store
from lawgov_analysis.core.config import notebooks_dir
from lawgov_analysis.report.execute import execute_notebook

from .corpus_factory import write_corpus


def _markdown(nb) -> str:
    return "\n".join(o["data"]["text/markdown"] for c in nb.cells if c.get("cell_type") == "code"
                     for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Run a page on a 12-report panel store (one report per part) with the given limits."""
    root = tmp_path_factory.mktemp("limits")
    store = build_store(write_corpus("panel", root / "corpus", size=12), root / "store", n_jobs=1, chunk_size=1)

    def page(stem: str, **limits):
        work = root / stem
        (work / "figures").mkdir(parents=True)
        nb = execute_notebook(Path(notebooks_dir()) / f"{stem}.ipynb", corpus="../store", store="../store",
                              out_dir="figures", cwd=work, parameters=limits)
        return nb, work / "tables", store

    return page


@pytest.mark.slow
def test_topics_page_fits_on_a_sample_and_covers_every_report(run):
    nb, tables, store = run("06_topics", max_docs=6)
    text = _markdown(nb)
    assert "on a sample of 6 of 12 reports stratified by year" in text
    assert "**Sample.** k and the topics were fitted on 6 of 12 reports" in text
    prevalence = pd.read_csv(tables / "06_prevalence_by_year.csv", encoding="utf-8-sig")
    units = prevalence.groupby("year")["units"].first()
    # every report's paragraphs are in the prevalence table, not only the sample's
    assert sorted(units.index) == sorted(store.corpus["year"].unique())
    assert prevalence.groupby("year")["prevalence"].sum().round(9).eq(1).all()


@pytest.mark.slow
def test_metrics_page_lists_a_sample_above_max_rows(run):
    nb, tables, store = run("07_metric_trends", max_rows=5, max_governments=1)
    text = _markdown(nb)
    n = len(store.table("metrics", columns=["doc_id"]))
    assert f"**Sample.** 5 of the {n:,} mentions, drawn at random (seed 0)" in text
    assert "governments: too many lines to read" in text
    assert len(pd.read_csv(tables / "07_mentions_sample.csv", encoding="utf-8-sig")) == 5
    assert len(pd.read_csv(tables / "07_panel_sample.csv", encoding="utf-8-sig")) == 5
    assert not (tables / "07_mentions.csv").exists()
    # coverage counts every mention, not the sample
    coverage = pd.read_csv(tables / "07_coverage.csv", encoding="utf-8-sig")
    metrics = store.table("metrics", columns=["doc_id", "indicator_id"], categories=False)
    assert coverage["mentions"].sum() == int((metrics["indicator_id"] != "other").sum())


@pytest.mark.slow
def test_reuse_page_reads_texts_of_the_passages_it_lists(run):
    nb, tables, store = run("08_text_reuse", max_passages=3)
    pairs = store.table("reuse", categories=False)
    assert len(pairs) > 3
    assert f"**Sample.** 3 of the {len(pairs):,} passages" in _markdown(nb)
    shown = pd.read_csv(tables / "08_reuse_pairs_sample.csv", encoding="utf-8-sig", dtype={"doc_id": str})
    every = pd.read_csv(tables / "08_reuse_pairs.csv", encoding="utf-8-sig")
    assert len(shown) == 3 and len(every) == len(pairs) and "text" not in every.columns
    texts = store.table("corpus", columns=["doc_id", "text"], categories=False).set_index("doc_id")["text"]
    for row in shown.itertuples():
        assert row.text == texts[row.doc_id][row.start:row.end]
