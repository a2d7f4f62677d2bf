"""Analyses read from a store part by part equal the in-memory functions on the whole tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from lawgov_analysis import build_store
from lawgov_analysis.analysis import themes as th
from lawgov_analysis.analysis.keywords import term_frequencies
from lawgov_analysis.analysis.topics import fit_topics, select_k, topic_prevalence
from lawgov_analysis.pipeline.aggregate import (
    fit_topics_store,
    iter_partitions,
    sample_docs,
    select_k_store,
    term_frequencies_store,
    theme_scores_store,
)

from .conftest import SAMPLE_FILE, write_fixture_corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Four reports (three fixtures and the real sample; two of 2021, two 县 and two 区), one per part."""
    folder = write_fixture_corpus(tmp_path_factory.mktemp("agg") / "reports", manifest=False)
    shutil.copy(SAMPLE_FILE, folder / Path(SAMPLE_FILE).name)
    return build_store(folder, tmp_path_factory.mktemp("agg") / "store", n_jobs=1, chunk_size=1)


@pytest.fixture(scope="module")
def whole(store):
    return {name: store.table(name, categories=False)
            for name in ("tokens", "corpus", "theme_hits", "sentences", "sections")}


def _scores(whole, store, by):
    return th.theme_scores(whole["theme_hits"], whole["sentences"], corpus=whole["corpus"], sections=whole["sections"],
              themes=store.themes, by=by)


def test_partitions_are_read_one_at_a_time(store):
    parts = list(iter_partitions(store, {"tokens": ["doc_id", "token"], "corpus": ["doc_id", "year"]}))
    assert len(store.parts("tokens")) == 4
    assert [p["corpus"]["doc_id"].tolist() for p in parts] == [
        ["anxian-2019"], ["anxian-2020"], ["beiqu-2021"], ["changjiang-2021"]]
    assert all(p["tokens"]["doc_id"].nunique() == 1 for p in parts)
    assert sum(len(p["tokens"]) for p in parts) == len(store.table("tokens", columns=["doc_id"]))
    chosen = list(iter_partitions(store, {"corpus": ["year"]}, docs=["beiqu-2021"]))
    batches = list(iter_partitions(store, {"corpus": ["year"]}, batch_docs=3))
    assert [b["corpus"]["doc_id"].tolist() for b in batches] == [
        ["anxian-2019", "anxian-2020", "beiqu-2021"], ["changjiang-2021"]]
    assert len(chosen) == 1 and chosen[0]["corpus"].to_dict("records") == [{"doc_id": "beiqu-2021", "year": 2021}]


@pytest.mark.parametrize("batch", [1, 2, 1000])
@pytest.mark.parametrize("by", ["doc_id", "sentence_id", "year", "level"])
def test_term_frequencies_equal_the_whole_table(store, whole, by, batch):
    got = term_frequencies_store(store, by=by, batch_docs=batch)
    want = term_frequencies(whole["tokens"], by=by, corpus=whole["corpus"])
    assert_frame_equal(got, want, check_dtype=False)
    if by == "year":          # 2021 sums two reports in two parts
        assert got.loc[got["year"] == 2021, "chars"].iloc[0] == int(
            (whole["tokens"]["end"] - whole["tokens"]["start"])[
                whole["tokens"]["doc_id"].isin(["beiqu-2021", "changjiang-2021"])].sum())


def test_term_frequencies_top_n(store, whole):
    got = term_frequencies_store(store, by="year", n=5, batch_docs=1)
    want = term_frequencies(whole["tokens"], by="year", corpus=whole["corpus"])
    assert_frame_equal(got, want[want["rank"] <= 5].reset_index(drop=True), check_dtype=False)
    per_doc = term_frequencies_store(store, n=3, batch_docs=1)
    assert per_doc.groupby("doc_id").size().tolist() == [3, 3, 3, 3]
    with pytest.raises(ValueError, match="by must be one of"):
        term_frequencies_store(store, by="nonesuch")


@pytest.mark.parametrize("batch", [1, 2, 1000])
@pytest.mark.parametrize("by", ["doc_id", "section_id", "section_l1", "year"])
def test_theme_scores_equal_the_whole_table(store, whole, by, batch):
    assert_frame_equal(theme_scores_store(store, by=by, batch_docs=batch), _scores(whole, store, by),
                       check_dtype=False)


@pytest.mark.parametrize("reports", [1, 3])
def test_theme_scores_by_report_in_ranges_of_reports(store, whole, reports, monkeypatch):
    """One DuckDB query per range of consecutive doc_ids (4 or 2 ranges here): the table of one query."""
    from lawgov_analysis.pipeline import store_sql

    monkeypatch.setattr(store_sql, "SQL_BATCH_REPORTS", reports)
    got = theme_scores_store(store, by="doc_id")
    assert_frame_equal(got, _scores(whole, store, "doc_id"), check_dtype=False)
    assert got["doc_id"].unique().tolist() == sorted(whole["corpus"]["doc_id"])


def test_theme_scores_by_a_column_over_several_reports(store, whole):
    """By level (two reports each): every column as the whole-table scores, and ``sentences_with_theme``
    counts distinct sentences of all the group's reports (a sentence id of each report counted once)."""
    got = theme_scores_store(store, by="level", batch_docs=1)
    want = _scores(whole, store, "level")
    assert_frame_equal(got, want, check_dtype=False)
    hits = whole["theme_hits"].merge(whole["corpus"][["doc_id", "level"]], on="doc_id")
    distinct = hits.drop_duplicates(["level", "theme_id", "doc_id", "sentence_id"]).groupby(
        ["level", "theme_id"]).size()
    for row in got.itertuples():
        assert row.sentences_with_theme == distinct.get((row.level, row.theme_id), 0)
        assert row.sentence_share == pytest.approx(row.sentences_with_theme / row.sentences)


@pytest.mark.parametrize(("unit", "method", "batch"), [("paragraph", "nmf", 1), ("sentence", "lda", 3),
                                                      ("paragraph", "nmf", 1000)])
def test_topics_from_the_store_equal_fit_topics(store, whole, unit, method, batch):
    got = fit_topics_store(store, k=4, unit=unit, method=method, seed=0, batch_docs=batch)
    want = fit_topics(whole["tokens"], k=4, unit=unit, method=method, seed=0, corpus=whole["corpus"])
    assert not got.sampled_ and got.sample_ == sorted(whole["corpus"]["doc_id"])
    assert np.array_equal(got.doc_topic_, want.doc_topic_)
    assert_frame_equal(got.top_terms(n=10), want.top_terms(n=10))
    assert_frame_equal(got.units_, want.units_.astype({"doc_id": str}))
    assert_frame_equal(topic_prevalence(got, whole["corpus"], by="year"),
                       topic_prevalence(want, whole["corpus"], by="year"))


def test_topics_on_a_sample_cover_every_report(store, whole):
    got = fit_topics_store(store, k=3, unit="paragraph", max_docs=2, strata="level", seed=0,
                           batch_docs=1)
    assert got.sampled_ and len(got.sample_) == 2
    # one report of each level
    levels = whole["corpus"].set_index("doc_id").loc[got.sample_, "level"]
    assert sorted(levels) == ["区", "县"]
    assert set(got.units_["doc_id"]) == set(whole["corpus"]["doc_id"])
    assert got.doc_topic_.shape == (len(got.units_), 3)
    assert np.allclose(got.doc_topic_.sum(axis=1), 1.0)
    on_sample = fit_topics(whole["tokens"][whole["tokens"]["doc_id"].isin(got.sample_)], k=3, unit="paragraph",
                           corpus=whole["corpus"], seed=0)
    assert_frame_equal(got.top_terms(n=10), on_sample.top_terms(n=10))


def test_sample_docs_is_stratified_and_seeded(store):
    assert sample_docs(store, 10) == ["anxian-2019", "anxian-2020", "beiqu-2021", "changjiang-2021"]
    by_year = sample_docs(store, 3, strata="year", seed=0)
    assert len(by_year) == 3 and {"anxian-2019", "anxian-2020"} <= set(by_year)
    assert sample_docs(store, 3, strata="year", seed=0) == by_year
    assert len(sample_docs(store, 1, strata=None, seed=5)) == 1
    with pytest.raises(ValueError, match="max_docs"):
        sample_docs(store, 0)


def test_select_k_from_the_store_equals_select_k(store, whole):
    got = select_k_store(store, ks=(3, 4), seeds=(0, 1), unit="paragraph", batch_docs=1)
    want = select_k(whole["tokens"], ks=(3, 4), seeds=(0, 1), unit="paragraph", corpus=whole["corpus"])
    assert_frame_equal(got[0], want[0])
    assert got[1:] == want[1:]
    sampled = select_k_store(store, ks=(3,), seeds=(0, 1), unit="paragraph", max_docs=2)
    assert sampled[2].endswith("on a sample of 2 of 4 reports stratified by year")
    assert isinstance(sampled[0], pd.DataFrame) and sampled[1] == 3


def test_topic_tables_of_a_full_model_are_the_in_memory_tables(store, whole):
    from lawgov_analysis.analysis.topics import topic_section_agreement
    from lawgov_analysis.pipeline.aggregate import topic_tables_store

    _, _, _, model = select_k_store(store, ks=(3,), seeds=(0, 1), unit="paragraph", return_model=True)
    assert not model.sampled_ and model.sample_ == sorted(whole["corpus"]["doc_id"])
    prevalence, agreement = topic_tables_store(store, model, by=("year", "level"), levels=(1, 2))
    for column in ("year", "level"):
        assert_frame_equal(prevalence[column], topic_prevalence(model, whole["corpus"], by=column))
    assert agreement["level"].tolist() == [1, 2]
    assert agreement["ami"].tolist() == [topic_section_agreement(model, whole["sections"], level=lv)
                                         for lv in (1, 2)]


@pytest.mark.parametrize("batch", [1, 1000])
def test_topic_tables_of_a_sampled_model_cover_every_report(store, whole, batch):
    from lawgov_analysis.analysis.topics import topic_section_agreement
    from lawgov_analysis.pipeline.aggregate import topic_tables_store

    _, _, rule, model = select_k_store(store, ks=(3,), seeds=(0, 1), unit="paragraph", max_docs=2,
                                       strata="level", return_model=True)
    assert model.sampled_ and len(model.sample_) == 2 and "on a sample of 2 of 4" in rule
    assert set(model.units_["doc_id"]) == set(model.sample_)
    prevalence, agreement = topic_tables_store(store, model, by=("year",), levels=(1,), batch_docs=batch)
    # the same tables as the in-memory functions on a model whose units are every unit of the store, each
    # given its shares by the sampled model part by part (fit_topics_store does that for its own fit)
    from lawgov_analysis.analysis.topics import unit_counts

    frames, shares = [], []
    for part in iter_partitions(store, {"tokens": None, "corpus": ["doc_id", "text"]}, batch_docs=batch):
        got, W = model.transform_counts(*unit_counts(part["tokens"], unit="paragraph", corpus=part["corpus"]))
        frames.append(got)
        shares.append(W)
    everything = select_k_store(store, ks=(3,), seeds=(0, 1), unit="paragraph", max_docs=2, strata="level",
                                return_model=True)[3]
    everything.units_ = pd.concat(frames, ignore_index=True)
    everything.doc_topic_ = np.vstack(shares)
    assert set(everything.units_["doc_id"]) == set(whole["corpus"]["doc_id"])
    want = topic_prevalence(everything, whole["corpus"], by="year")
    assert_frame_equal(prevalence["year"], want, check_exact=False, rtol=1e-12)
    assert prevalence["year"]["units"].sum() == len(everything.units_) * 3
    assert agreement["ami"].tolist() == pytest.approx(
        [topic_section_agreement(everything, whole["sections"], level=1)], abs=1e-12)


def test_topic_tables_need_units_inside_sections(store):
    from lawgov_analysis.pipeline.aggregate import topic_tables_store

    model = fit_topics_store(store, k=2, unit="doc", seed=0, min_df=1, max_df=1.0)
    with pytest.raises(ValueError, match="unit must be one of sentence, paragraph, section"):
        topic_tables_store(store, model)
    prevalence, agreement = topic_tables_store(store, model, by=("level",), levels=())
    assert prevalence["level"]["level"].tolist() == ["区", "区", "县", "县"] and agreement.empty


# --------------------------------------------------------------------- one DuckDB pass (pipeline.store_sql)
def test_term_tables_from_one_pass_equal_the_whole_table(store, whole):
    """Totals, each report's top terms plus the corpus's top terms, and terms by year, from one pass."""
    from lawgov_analysis.analysis.keywords import keyword_mask
    from lawgov_analysis.pipeline.store_sql import term_tables_store, term_totals_store

    tokens = whole["tokens"]
    glued = tokens[keyword_mask(tokens[["token"]]) & ~keyword_mask(tokens)]
    assert glued["token"].tolist() == ["月份"]      # “…3月份…” in the sample: glued to its number, not a term
    got = term_tables_store(store, by={"doc_id": 3, "year": None}, top=4)
    every = term_frequencies(tokens, by="doc_id")
    totals = (every.groupby("term").agg(count=("count", "sum"), reports=("doc_id", "nunique")).reset_index()
              .sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True))
    totals["rank"] = range(1, len(totals) + 1)
    assert_frame_equal(got["totals"], totals, check_dtype=False)
    assert_frame_equal(term_totals_store(store), got["totals"])
    top = set(totals["term"].head(4))
    want = every[(every["rank"] <= 3) | every["term"].isin(top)].reset_index(drop=True)
    assert_frame_equal(got["doc_id"], want, check_dtype=False)
    assert len(got["doc_id"]) > 12          # the top terms' rows beyond each report's top 3 are there
    assert_frame_equal(got["year"], term_frequencies(tokens, by="year", corpus=whole["corpus"]), check_dtype=False)
    with pytest.raises(ValueError, match="by must be one of"):
        term_tables_store(store, by={"nonesuch": None})
    with pytest.raises(ValueError, match="n must be a positive integer"):
        term_tables_store(store, by={"doc_id": 0})


def test_term_frequencies_store_keeps_chosen_terms(store, whole):
    every = term_frequencies(whole["tokens"], by="doc_id")
    got = term_frequencies_store(store, n=2, terms=["普法"])
    want = every[(every["rank"] <= 2) | (every["term"] == "普法")].reset_index(drop=True)
    assert_frame_equal(got, want, check_dtype=False)
    assert (got["term"] == "普法").sum() == int((every["term"] == "普法").sum()) > 0
    with pytest.raises(ValueError, match="terms is given only"):
        term_frequencies_store(store, by="sentence_id", n=2, terms=["普法"])


def test_theme_metrics_from_the_store_equal_the_whole_table(store):
    from lawgov_analysis.pipeline.store_sql import theme_metrics_store

    metrics = store.table("metrics", categories=False)
    for theme in store.themes["theme_id"]:
        want = th.theme_metrics(metrics, theme, themes=store.themes).reset_index(drop=True)
        assert_frame_equal(theme_metrics_store(store, theme).reset_index(drop=True), want)
        few = ["surface", "doc_id", "value", "indicator_id"]       # fewer columns, in the order asked
        assert_frame_equal(theme_metrics_store(store, theme, columns=few), theme_metrics_store(store, theme)[few])
    assert len(theme_metrics_store(store, "pufa")) > 0


def test_page_sentences_from_store_tables(store, whole):
    """The keyword summary from the store's totals equals the one from every report's frequencies; the sample
    sentence names its size, the corpus size, the strata and the seed, and is empty without a sample."""
    from lawgov_analysis.pipeline.store_sql import term_totals_store
    from lawgov_analysis.present.summary import describe_keywords, describe_sample

    corpus = whole["corpus"]
    freq = term_frequencies(whole["tokens"], by="doc_id")
    assert describe_keywords(term_totals_store(store), corpus) == describe_keywords(freq, corpus)
    assert "in 4 of 4 reports" in describe_keywords(freq, corpus)
    assert describe_sample(sample_docs(store, 10), corpus, what="co-occurrence") == ""
    text = describe_sample(sample_docs(store, 2, seed=3), corpus, what="co-occurrence and KWIC", seed=3)
    assert text == ("**Sample.** A seeded random sample of 2 of the 4 reports (50.0%, stratified by year, seed 3; "
                    "the `max_docs` parameter sets its size) is behind co-occurrence and KWIC; every other number "
                    "on this page covers every report.")
