"""Metric extraction done corpus-wide gives what it gives report by report: the learned component predicts for
every mention of a corpus in one batch, feature rows are built clause by clause, the model's columns come from a
per-value cache, and emptying the caches changes no result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from lawgov_analysis.measures import indicator_features as features
from lawgov_analysis.measures import indicator_model as im
from lawgov_analysis.measures.indicator_model import rules_only
from lawgov_analysis.measures.mentions import scan_mentions
from lawgov_analysis.measures.metrics import clear_caches, extract_metrics
from tests.corpus_factory import corpus_table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "data" / "reports" / "changjiang-2021.txt").read_text(encoding="utf-8")


def _corpus() -> pd.DataFrame:
    generated = corpus_table("bench", size=6)[["doc_id", "text"]]
    return pd.concat([pd.DataFrame({"doc_id": ["changjiang-2021"], "text": [SAMPLE]}), generated],
                     ignore_index=True)


def test_a_corpus_gives_the_rows_of_its_reports_one_by_one():
    corpus = _corpus()
    whole = extract_metrics(corpus)
    parts = [extract_metrics(corpus.iloc[[i]]) for i in range(len(corpus))]
    expected = pd.concat(parts, ignore_index=True).sort_values(["doc_id", "start", "end"], kind="mergesort")
    assert_frame_equal(whole, expected.reset_index(drop=True))
    assert len(whole) == 682 and set(whole["doc_id"]) == set(corpus["doc_id"])
    with rules_only():
        assert_frame_equal(extract_metrics(corpus.iloc[::-1]), extract_metrics(corpus))


def test_unsorted_and_repeated_doc_ids_are_sorted():
    corpus = _corpus().iloc[[3, 0, 2]].reset_index(drop=True)
    twice = pd.concat([corpus, corpus.iloc[[0]]], ignore_index=True)
    out = extract_metrics(twice)
    assert out["doc_id"].tolist() == sorted(out["doc_id"].tolist())
    first = corpus.loc[0, "doc_id"]
    assert (out["doc_id"] == first).sum() == 2 * (extract_metrics(corpus.iloc[[0]])["doc_id"] == first).sum()
    assert out.groupby("doc_id")["start"].apply(lambda s: s.is_monotonic_increasing).all()


def test_predict_reports_is_predict_mentions_report_by_report():
    reports = []
    for text in [SAMPLE, "全年共收到行政复议申请17件，审结15件。", "没有数字的一段话。"]:
        spans = [(m.start, m.end, m.unit) for m in scan_mentions(text)]
        reports.append((text, spans))
    batch = im.predict_reports(reports)
    assert [len(b) for b in batch] == [len(s) for _, s in reports]
    assert batch[2] == []
    for (text, spans), got in zip(reports[:2], batch):
        one = im.predict_mentions(text, spans)
        assert [(p.indicator_id, p.score) for p in got] == [(p.indicator_id, p.score) for p in one]
    assert im.predict_reports(reports, allowed=frozenset({"x.y"})) == [[], [], []]
    with rules_only():
        assert im.predict_reports(reports) == [[], [], []]


def test_feature_rows_do_not_depend_on_the_order_of_the_spans():
    spans = [(m.start, m.end, m.unit) for m in scan_mentions(SAMPLE)]
    forward = im.mention_features(SAMPLE, spans)
    backward = im.mention_features(SAMPLE, spans[::-1])
    assert_frame_equal(backward.iloc[::-1].reset_index(drop=True), forward)
    one_by_one = pd.concat([im.mention_features(SAMPLE, [s]) for s in spans[::7]], ignore_index=True)
    assert_frame_equal(one_by_one, forward.iloc[::7].reset_index(drop=True))


def test_model_scores_are_those_of_the_fitted_vectoriser():
    model = im.default_model()
    spans = [(m.start, m.end, m.unit) for m in scan_mentions(SAMPLE)]
    features = im.mention_features(SAMPLE, spans)
    model.clear_cache()
    got = model.decision_function(features)
    # the reference: the vectoriser's own TF-IDF (its analyser), L2-normalised per feature and weighted
    rows = list(features.itertuples(index=False, name=None))
    x = model.vectorizer_.transform(rows).tocoo()
    data = x.data.copy()
    field = model.fields_[x.col]
    norms = np.zeros((x.shape[0], field.max() + 1))
    np.add.at(norms, (x.row, field), data ** 2)
    data = data / np.sqrt(norms[x.row, field]) * model.weights_[x.col]
    from scipy.sparse import csr_matrix
    from scipy.special import log_softmax

    logits = csr_matrix((data, (x.row, x.col)), shape=x.shape) @ model.coef_.T + model.intercept_
    ref = log_softmax(logits, axis=1) * im.SCORE_SCALE + im.SCORE_SHIFT  # the score of an id (round 11)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12)
    assert np.array_equal(model.decision_function(features), got)  # the cached columns give the same scores


def test_emptying_the_caches_changes_no_result():
    corpus = _corpus()
    first = extract_metrics(corpus)
    clear_caches()
    assert_frame_equal(extract_metrics(corpus), first)
    assert_frame_equal(extract_metrics(corpus), first)


def test_heading_lines_found_at_line_starts_are_those_of_the_pattern():
    from lawgov_analysis.measures.charclass import model_offsets

    texts = [SAMPLE, *corpus_table("bench", size=4)["text"], "一、总则\n  （二）工作\n\u3000第三部分 其他\n(四)末尾\n十、\n"]
    big = "\n".join(texts)
    newlines = model_offsets(big)[2]
    assert features.heading_index(big, newlines) == features.heading_index(big)
    assert len(features.heading_index(big)[0]) > 20
