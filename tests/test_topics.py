"""Topic models: units, the estimator's tidy accessors, determinism, choosing k, agreement and trends."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.analysis.topics import (
    TopicModel,
    fit_topics,
    select_k,
    topic_prevalence,
    topic_section_agreement,
    unit_table,
)
from lawgov_analysis.text.structure import sections
from lawgov_analysis.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_tokens(sample_corpus):
    return tokenize(sample_corpus)


@pytest.fixture(scope="module")
def sample_sections(sample_corpus):
    return sections(sample_corpus)


@pytest.fixture(scope="module")
def fixture_tokens(fixture_corpus):
    return tokenize(fixture_corpus)


@pytest.fixture(scope="module")
def model(sample_tokens, sample_corpus):
    return fit_topics(sample_tokens, k=6, method="nmf", unit="paragraph", seed=0, corpus=sample_corpus)


# ------------------------------------------------------------------------------------------ units


def test_paragraph_units_are_lines(sample_tokens, sample_corpus, sample_text):
    units = unit_table(sample_tokens, unit="paragraph", corpus=sample_corpus)
    assert list(units.columns) == ["doc_id", "paragraph_id", "section_id", "start", "end", "n_tokens", "terms"]
    lines = sample_text.split("\n")
    assert units["paragraph_id"].tolist() == list(range(len(lines)))
    for row in units.itertuples():
        line_start = sum(len(line) + 1 for line in lines[:row.paragraph_id])
        assert line_start <= row.start < row.end <= line_start + len(lines[row.paragraph_id])
    heading = units[units["section_id"] == "一(三)6"].iloc[0]
    assert sample_text[heading["start"]:].startswith("6、扎实开展全民普法宣传")
    # content tokens only: no punctuation, numbers, stopwords or single characters
    terms = [t for ts in units["terms"] for t in ts]
    assert "普法" in terms and "，" not in terms and "," not in terms and "推进" not in terms
    assert min(len(t) for t in terms) == 2
    assert not any(t.isdigit() for t in terms)


@pytest.mark.parametrize("unit, keys, rows", [
    ("sentence", ["doc_id", "sentence_id"], 124),
    ("section", ["doc_id", "section_id"], 44),
    ("doc", ["doc_id"], 1),
])
def test_other_units(sample_tokens, unit, keys, rows):
    units = unit_table(sample_tokens, unit=unit)
    assert list(units.columns[:len(keys)]) == keys
    assert len(units) == rows
    assert units["n_tokens"].sum() == unit_table(sample_tokens, unit="doc")["n_tokens"].sum()


def test_paragraph_units_need_the_corpus(sample_tokens):
    with pytest.raises(ValueError, match="needs corpus="):
        unit_table(sample_tokens, unit="paragraph")
    with pytest.raises(ValueError, match="unit must be one of sentence, paragraph, section, doc"):
        unit_table(sample_tokens, unit="page")


# ------------------------------------------------------------------------------------------ the estimator


def test_topic_model_is_sklearn_like(model):
    assert isinstance(model, TopicModel)
    assert model.get_params()["k"] == 6 and model.get_params()["unit"] == "paragraph"
    assert TopicModel(4).fit is not None and not hasattr(TopicModel(4), "model_")
    assert type(model.model_).__name__ == "NMF"
    assert type(model.vectorizer_).__name__ == "TfidfVectorizer"
    assert model.doc_topic_.shape == (len(model.units_), 6)
    assert np.allclose(model.doc_topic_.sum(axis=1), 1)
    assert model.topic_term_.shape == (6, len(model.terms_))
    assert list(model.terms_) == sorted(model.terms_)


def test_top_terms_doc_topics_labels(model):
    top = model.top_terms(n=5)
    assert list(top.columns) == ["topic", "rank", "term", "weight"]
    assert len(top) == 30
    assert top["rank"].tolist() == [1, 2, 3, 4, 5] * 6
    for _, g in top.groupby("topic"):
        assert g["weight"].is_monotonic_decreasing
    dt = model.doc_topics()
    assert list(dt.columns) == ["doc_id", "paragraph_id", "topic", "weight"]
    assert len(dt) == 6 * len(model.units_)
    assert np.allclose(dt.groupby(["doc_id", "paragraph_id"])["weight"].sum(), 1)
    labels = model.labels()
    assert len(labels) == 6
    assert labels[0] == " / ".join(top[top["topic"] == 0]["term"].head(3))
    dominant = model.dominant_topics()
    assert list(dominant.columns) == ["doc_id", "paragraph_id", "section_id", "start", "end", "n_tokens", "topic",
                                      "weight"]


def test_a_topic_gathers_the_pufa_section(sample_tokens, sample_sections):
    from lawgov_analysis.text.structure import with_section_level

    m = fit_topics(sample_tokens, k=7, unit="sentence", seed=0)
    pufa = [topic for topic, label in enumerate(m.labels()) if "普法" in label]
    assert len(pufa) == 1
    units = with_section_level(m.dominant_topics(), sample_sections, level=3)
    in_section = units.loc[units["section_l3"] == "一(三)6", "topic"]
    assert len(in_section) == 15
    assert (in_section == pufa[0]).sum() >= 10


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_inputs_and_seed_give_identical_tables(sample_tokens, method):
    a = fit_topics(sample_tokens, k=5, method=method, unit="sentence", seed=0)
    b = fit_topics(sample_tokens, k=5, method=method, unit="sentence", seed=0)
    pd.testing.assert_frame_equal(a.top_terms(n=10), b.top_terms(n=10))
    pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics())
    assert a.labels() == b.labels()
    c = fit_topics(sample_tokens, k=5, method=method, unit="sentence", seed=7)
    assert not np.array_equal(a.doc_topic_, c.doc_topic_)


def test_fit_rejects_bad_options(sample_tokens):
    with pytest.raises(ValueError, match="method must be one of nmf, lda, got 'svd'"):
        fit_topics(sample_tokens, k=3, method="svd")
    with pytest.raises(ValueError, match="k must be a positive integer"):
        fit_topics(sample_tokens, k=0)
    with pytest.raises(ValueError, match="larger than"):
        fit_topics(sample_tokens, k=5, unit="doc", min_df=1, max_df=1.0)
    with pytest.raises(ValueError, match="no vocabulary left"):
        fit_topics(sample_tokens, k=1, unit="doc")
    with pytest.raises(RuntimeError, match="not fitted"):
        TopicModel(3).top_terms()


# ------------------------------------------------------------------------------------------ choosing k


def test_select_k_on_the_sample(sample_tokens, sample_corpus):
    table, k, rule = select_k(sample_tokens, ks=range(3, 13), corpus=sample_corpus, unit="paragraph")
    assert list(table.columns) == ["k", "coherence", "coherence_sd", "stability", "score", "recommended"]
    assert table["k"].tolist() == list(range(3, 13))
    assert table["coherence"].between(-1, 1).all() and table["stability"].between(0, 1 + 1e-9).all()
    assert np.allclose(table["score"], (1 + table["coherence"]) / 2 * table["stability"])
    assert table["recommended"].sum() == 1
    best = table.loc[table["recommended"]].iloc[0]
    assert best["k"] == k and best["score"] == table["score"].max()
    assert "coherence" in rule and "stability" in rule
    again, k2, _ = select_k(sample_tokens, ks=range(3, 13), corpus=sample_corpus, unit="paragraph")
    pd.testing.assert_frame_equal(table, again)
    assert k2 == k


def test_select_k_seed_sets_the_seeds_and_returns_the_chosen_fit(sample_tokens, sample_corpus):
    """``seed`` is the first of three consecutive seeds; ``return_model`` gives the fit of the chosen k made while
    choosing, identical to fitting it again with fit_topics (so a notebook fits the chosen k once)."""
    args = dict(ks=range(3, 8), corpus=sample_corpus, unit="paragraph")
    default, k0, _ = select_k(sample_tokens, **args)
    pd.testing.assert_frame_equal(default, select_k(sample_tokens, seeds=(0, 1, 2), **args)[0])
    table, k, _, model = select_k(sample_tokens, seed=5, return_model=True, **args)
    pd.testing.assert_frame_equal(table, select_k(sample_tokens, seeds=(5, 6, 7), **args)[0])
    assert not table.equals(default)  # other seeds, other coherence and stability values
    again = fit_topics(sample_tokens, k=k, unit="paragraph", seed=5, corpus=sample_corpus)
    assert model.k == k and model.seed == 5
    assert np.array_equal(model.doc_topic_, again.doc_topic_)
    pd.testing.assert_frame_equal(model.top_terms(n=10), again.top_terms(n=10))
    pd.testing.assert_frame_equal(model.units_, again.units_)
    with pytest.raises(ValueError, match="give seeds or seed, not both"):
        select_k(sample_tokens, seeds=(0, 1), seed=3, **args)


def test_select_k_stability_is_one_for_a_single_topic_structure(fixture_tokens):
    # three near-identical reports: any k-topic solution is found again from every seed
    table, k, _ = select_k(fixture_tokens, ks=[2, 3], unit="doc", min_df=1, max_df=1.0)
    assert table["k"].tolist() == [2, 3]
    assert k in (2, 3)
    with pytest.raises(ValueError, match="no k in"):
        select_k(fixture_tokens, ks=[10], unit="doc", min_df=1, max_df=1.0)


# ------------------------------------------------------------------------------------------ agreement, trends


def test_topic_section_agreement(model, sample_tokens, sample_sections):
    a1 = topic_section_agreement(model, sample_sections, level=1)
    a2 = topic_section_agreement(model, sample_sections, level=2)
    assert -1 <= a1 <= 1 and -1 <= a2 <= 1
    assert a2 > a1               # nearly all paragraphs are in part 一, so level 1 carries almost no signal
    assert a2 > 0.05
    with pytest.raises(ValueError, match="level must be one of 1, 2"):
        topic_section_agreement(model, sample_sections, level=3)
    doc_model = fit_topics(sample_tokens, k=1, unit="doc", min_df=1, max_df=1.0)
    with pytest.raises(ValueError, match="unit must be one of sentence, paragraph, section"):
        topic_section_agreement(doc_model, sample_sections)


def test_topic_prevalence_by_year(fixture_tokens, fixture_corpus):
    m = fit_topics(fixture_tokens, k=3, unit="sentence", seed=0)
    prev = topic_prevalence(m, fixture_corpus, by="year")
    assert list(prev.columns) == ["year", "topic", "label", "prevalence", "units", "tokens"]
    assert prev["year"].tolist() == [2019] * 3 + [2020] * 3 + [2021] * 3
    assert prev["topic"].tolist() == [0, 1, 2] * 3
    assert np.allclose(prev.groupby("year")["prevalence"].sum(), 1)
    assert prev["label"].tolist()[:3] == m.labels()
    per_doc = topic_prevalence(m, fixture_corpus, by="doc_id")
    assert per_doc["doc_id"].drop_duplicates().tolist() == ["anxian-2019", "anxian-2020", "beiqu-2021"]
    assert per_doc.groupby("doc_id")["tokens"].first().sum() == m.units_["n_tokens"].sum()
    by_region = topic_prevalence(m, fixture_corpus, by="region")
    assert by_region["region"].drop_duplicates().tolist() == ["北区", "安县"]
    assert by_region.groupby("region")["units"].first().to_dict() == \
        m.units_.assign(region=m.units_["doc_id"].map({"anxian-2019": "安县", "anxian-2020": "安县",
                                                        "beiqu-2021": "北区"})).groupby("region").size().to_dict()
    with pytest.raises(ValueError, match="by must be one of"):
        topic_prevalence(m, fixture_corpus, by="text")


# ------------------------------------------------------------------------------------------ CLI


def test_cli_topics(tmp_path, capsys):
    from lawgov_analysis.cli import main

    out = tmp_path / "topics.csv"
    assert main(["topics", str(ROOT / "data" / "reports"), "--k", "4", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["topic", "rank", "term", "weight"]
    assert table["topic"].drop_duplicates().tolist() == [0, 1, 2, 3]
    assert main(["topics", str(ROOT / "data" / "reports"), "--k", "auto", "--unit", "section"]) == 0
    printed = capsys.readouterr().out
    assert "recommended k=" in printed and "topic 0:" in printed
    assert main(["topics", str(ROOT / "data" / "reports"), "--k", "many"]) == 2


# ------------------------------------------------------------------------------------------ scale


@pytest.mark.parametrize("unit", ["sentence", "paragraph", "section"])
@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_sparse_design_equals_the_sklearn_vectorizer(sample_tokens, sample_corpus, unit, method):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    model = TopicModel(4, method=method, unit=unit)
    units, vectorizer, X = model._design(sample_tokens, sample_corpus)
    table = unit_table(sample_tokens, unit=unit, corpus=sample_corpus)
    table = table[table["n_tokens"] > 0].reset_index(drop=True)
    cls = TfidfVectorizer if method == "nmf" else CountVectorizer
    kw = dict(sublinear_tf=True) if method == "nmf" else {}
    ref = cls(analyzer=lambda x: x, min_df=2, max_df=0.5, **kw)
    R = ref.fit_transform(table["terms"])
    keep = np.asarray(R.getnnz(axis=1) > 0)
    assert list(vectorizer.get_feature_names_out()) == list(ref.get_feature_names_out())
    assert X.shape == R[keep].shape and abs(X - R[keep]).max() < 1e-12
    pd.testing.assert_frame_equal(units, table[keep].drop(columns="terms").reset_index(drop=True))
    # the returned vectorizer is fitted: it transforms unit term lists into the same matrix
    assert abs(vectorizer.transform(table[keep]["terms"]) - X).max() < 1e-12


def test_paragraph_ids_are_line_numbers_across_reports(fixture_tokens, fixture_corpus):
    from lawgov_analysis.analysis.topics import _paragraph_ids

    shuffled = fixture_tokens.sample(frac=1, random_state=0)
    got = _paragraph_ids(shuffled, fixture_corpus)
    texts = dict(zip(fixture_corpus["doc_id"], fixture_corpus["text"]))
    want = [texts[d][:s].count("\n") for d, s in zip(shuffled["doc_id"], shuffled["start"])]
    assert got.tolist() == want


def test_units_accept_categorical_keys(sample_tokens, sample_corpus):
    cat = sample_tokens.astype({"doc_id": "category", "section_id": "category", "token": "category",
                                "kind": "category"})
    a = unit_table(sample_tokens, unit="paragraph", corpus=sample_corpus)
    b = unit_table(cat, unit="paragraph", corpus=sample_corpus)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    fa = fit_topics(sample_tokens, k=4, unit="paragraph", corpus=sample_corpus).top_terms(n=5)
    fb = fit_topics(cat, k=4, unit="paragraph", corpus=sample_corpus).top_terms(n=5)
    pd.testing.assert_frame_equal(fa, fb)


def test_fragments_stay_out_of_unit_terms():
    # 十九届二中、三中、四中全会 segments into 二中/三中/四中; like keyword lists, topic vocabularies drop them
    text = "\n".join(f"认真学习贯彻党的十九届二中、三中、四中全会精神，推进普法宣传{i}次。" for i in range(4))
    corpus = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    terms = {t for row in unit_table(tokenize(corpus), unit="sentence")["terms"] for t in row}
    assert {"普法宣传", "精神"} & terms
    assert not {"二中", "三中", "四中"} & terms


# ------------------------------------------------------------------------------ counts by partition


@pytest.fixture(scope="module")
def four_reports(sample_corpus, fixture_corpus, sample_tokens, fixture_tokens):
    corpus = pd.concat([sample_corpus, fixture_corpus], ignore_index=True)
    tokens = pd.concat([sample_tokens.astype({"doc_id": str}), fixture_tokens.astype({"doc_id": str})],
                       ignore_index=True)
    return tokens, corpus


def test_unit_counts_count_the_content_tokens(four_reports):
    from lawgov_analysis.analysis.topics import unit_counts

    tokens, corpus = four_reports
    units, counts, vocab = unit_counts(tokens, unit="paragraph", corpus=corpus)
    table = unit_table(tokens, unit="paragraph", corpus=corpus)
    table = table[table["n_tokens"] > 0].reset_index(drop=True)
    assert counts.shape == (len(units), len(vocab))
    assert list(vocab) == sorted(vocab) and (np.asarray(counts.sum(axis=0)).ravel() > 0).all()
    assert np.asarray(counts.sum(axis=1)).ravel().tolist() == units["n_tokens"].tolist()
    merged = units.merge(table, on=["doc_id", "paragraph_id"])
    assert len(merged) == len(units) == len(table)
    first = merged.iloc[0]
    row = counts[int(np.flatnonzero((units["doc_id"] == first["doc_id"])
                                     & (units["paragraph_id"] == first["paragraph_id"]))[0])]
    assert {vocab[j]: int(v) for j, v in zip(row.indices, row.data)} == pd.Series(first["terms"]).value_counts().to_dict()


@pytest.mark.parametrize(("unit", "method"), [("paragraph", "nmf"), ("sentence", "lda")])
def test_counts_of_reports_stacked_fit_the_same_model(four_reports, unit, method):
    from lawgov_analysis.analysis.topics import stack_counts, unit_counts

    tokens, corpus = four_reports
    pieces = [unit_counts(g, unit=unit, corpus=corpus) for _, g in tokens.groupby("doc_id", sort=False)]
    got = TopicModel(4, unit=unit, method=method, seed=0).fit_counts(*stack_counts(pieces[::-1]))
    want = fit_topics(tokens, k=4, unit=unit, method=method, seed=0, corpus=corpus)
    assert np.array_equal(got.doc_topic_, want.doc_topic_)
    pd.testing.assert_frame_equal(got.top_terms(n=10), want.top_terms(n=10))
    pd.testing.assert_frame_equal(got.units_, want.units_)


def test_transform_counts_of_unseen_reports(sample_tokens, sample_corpus, fixture_tokens, fixture_corpus, model):
    from lawgov_analysis.analysis.topics import unit_counts

    units, counts, vocab = unit_counts(fixture_tokens, unit="paragraph", corpus=fixture_corpus)
    kept, shares = model.transform_counts(units, counts, vocab)
    assert shares.shape == (len(kept), 6) and np.allclose(shares.sum(axis=1), 1.0)
    known = set(model.terms_)
    has_known = [bool(known & set(t)) for t in unit_table(fixture_tokens, unit="paragraph",
                                                          corpus=fixture_corpus)["terms"]]
    assert len(kept) == sum(has_known) < len(units)
    # on its own training units the transform gives each unit the topic of the fit for most units
    own = unit_counts(sample_tokens, unit="paragraph", corpus=sample_corpus)
    again, W = model.transform_counts(*own)
    pd.testing.assert_frame_equal(again, model.units_)
    assert (W.argmax(axis=1) == model.doc_topic_.argmax(axis=1)).mean() >= 0.9
