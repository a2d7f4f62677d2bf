"""Validation kit: seeded stratified samples, sheets round-tripped, precision/recall intervals and κ by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from lawgov_analysis.analysis.themes import lexicon_terms, load_themes, theme_hits
from lawgov_analysis.analysis.validation import (
    RESULT_COLUMNS,
    SHEET_COLUMNS,
    coding_sample,
    cohen_kappa,
    methods_paragraph,
    read_coding,
    validate_coding,
    wilson_interval,
    write_coding,
)
from lawgov_analysis.measures.metrics import extract_metrics
from lawgov_analysis.text.structure import sentences
from lawgov_analysis.text.tokens import tokenize
from tests.corpus_factory import corpus_spec


@pytest.fixture(scope="module")
def tables():
    corpus = pd.DataFrame(corpus_spec("panel", size=12))
    tokens = tokenize(corpus, lexicon=lexicon_terms(load_themes()), progress=False)
    return dict(corpus=corpus, sentences=sentences(corpus), theme_hits=theme_hits(tokens),
                metrics=extract_metrics(corpus))


# ----------------------------------------------------------------------------------------------- statistics
def test_kappa_hand_computed_and_sklearn():
    a = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    b = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    # observed agreement 7/10; chance 0.6·0.5 + 0.4·0.5 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    rng = np.random.default_rng(1)
    for _ in range(20):
        x, y = rng.integers(0, 2, 37), rng.integers(0, 2, 37)
        assert cohen_kappa(x, y) == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)


def test_wilson_interval_hand_computed():
    # 8 of 10, z = 1.959964: centre (0.8 + z²/20) / (1 + z²/10), half-width z·√(0.016 + z²/400) / (1 + z²/10)
    z = 1.959963984540054
    centre = (0.8 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.8 * 0.2 / 10 + z * z / 400) / (1 + z * z / 10)
    lo, hi = wilson_interval(8, 10)
    assert (lo, hi) == pytest.approx((centre - half, centre + half), abs=1e-12)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0, abs=1e-12)


def _sheet(rows):
    return pd.DataFrame(rows, columns=["item", "what", "predicted", "weight", "correct"])


def test_validate_coding_hand_example():
    # found units: weights 1,1,2,2 coded 1,0,1,1 → precision (1+2+2)/6; not found: weights 10,10 coded 1,0
    coded = _sheet([(1, "theme:pufa", 1, 1.0, 1.0), (2, "theme:pufa", 1, 1.0, 0.0), (3, "theme:pufa", 1, 2.0, 1.0),
                    (4, "theme:pufa", 1, 2.0, 1.0), (5, "theme:pufa", 0, 10.0, 1.0),
                    (6, "theme:pufa", 0, 10.0, 0.0), (7, "theme:pufa", 0, 10.0, np.nan)])
    second = _sheet([(1, "theme:pufa", 1, 1.0, 1.0), (2, "theme:pufa", 1, 1.0, 1.0), (3, "theme:pufa", 1, 2.0, 1.0),
                     (4, "theme:pufa", 1, 2.0, 0.0), (5, "theme:pufa", 0, 10.0, 1.0),
                     (6, "theme:pufa", 0, 10.0, 0.0), (7, "theme:pufa", 0, 10.0, 1.0)])
    out = validate_coding(coded, second, reps=500)
    assert list(out.columns) == RESULT_COLUMNS
    r = out.set_index("measure")
    assert r.index.tolist() == ["precision", "recall", "kappa", "agreement", "coded"]
    assert r.loc["precision", "estimate"] == round(5 / 6, 4)
    n_eff = 36 / 10                                  # (Σw)² / Σw² = 6² / (1+1+4+4)
    lo, hi = wilson_interval(5 / 6 * n_eff, n_eff)
    assert (r.loc["precision", "ci_low"], r.loc["precision", "ci_high"]) == (round(lo, 4), round(hi, 4))
    assert r.loc["recall", "estimate"] == round(5 / (5 + 10), 4)   # TP weight 5, one miss of weight 10
    assert r.loc["recall", "ci_low"] <= r.loc["recall", "estimate"] <= r.loc["recall", "ci_high"]
    # κ over the 6 items both coded: coder 1 = 1,0,1,1,1,0; coder 2 = 1,1,1,0,1,0
    a, b = [1, 0, 1, 1, 1, 0], [1, 1, 1, 0, 1, 0]
    assert r.loc["kappa", "estimate"] == round(cohen_kappa_score(a, b), 4) == 0.25
    assert r.loc["agreement", "estimate"] == round(4 / 6, 4) and r.loc["agreement", "n"] == 6
    assert r.loc["coded", "estimate"] == round(6 / 7, 4)
    text = methods_paragraph(out, design="A random sample of 7 sentences, stratified by level and year (seed 0),")
    assert text.startswith("A random sample of 7 sentences, stratified by level and year (seed 0), was coded")
    assert "precision 0.83 (95% Wilson CI" in text and "Cohen's κ = 0.25" in text and "recall 0.33" in text


def test_precision_only_when_no_unfound_units_were_sampled():
    coded = _sheet([(i, "metrics", 1, 1.0, float(i % 5 != 0)) for i in range(1, 21)])
    r = validate_coding(coded).set_index("measure")
    assert "recall" not in r.index and r.loc["precision", "estimate"] == 0.8
    lo, hi = wilson_interval(16, 20)
    assert (r.loc["precision", "ci_low"], r.loc["precision", "ci_high"]) == (round(lo, 4), round(hi, 4))


# ----------------------------------------------------------------------------------------------- sampling
def test_theme_sample_is_seeded_stratified_and_has_kwic(tables):
    s = coding_sample("theme:普法", n=40, **tables)
    assert list(s.columns) == SHEET_COLUMNS + ["level", "year"]
    pd.testing.assert_frame_equal(s, coding_sample("theme:pufa", n=40, **tables))
    assert not s.equals(coding_sample("theme:pufa", n=40, seed=1, **tables))
    assert len(s) == 40 and (s["predicted"] == 1).sum() == 20 and s["item"].tolist() == list(range(1, 41))
    assert set(s["what"]) == {"theme:pufa"} and (s["correct"] == "").all() and (s["note"] == "").all()
    text = tables["corpus"].set_index("doc_id")["text"]
    found = s[s["predicted"] == 1]
    for row in found.itertuples():
        assert text[row.doc_id][row.start:row.end] == row.keyword
        assert text[row.doc_id][row.start - len(row.left):row.start].replace("\n", " ") == row.left
        assert row.keyword in row.sentence and "普法" in row.question
    assert (s.loc[s["predicted"] == 0, "keyword"] == "").all()
    # proportional allocation: weights are stratum size / drawn, and the weights add up to the stratum sizes
    hits = tables["theme_hits"]
    flagged = hits[hits["theme_id"] == "pufa"][["doc_id", "sentence_id"]].drop_duplicates()
    assert found["weight"].groupby(found["stratum"]).sum().round(6).sum() == pytest.approx(len(flagged))
    assert s["stratum"].str.fullmatch(r"level=[^|]+\|year=20\d\d").all()


def test_indicator_and_metrics_samples(tables):
    m = tables["metrics"]
    some = m["indicator_id"].astype(str).value_counts().index[0]
    s = coding_sample(f"indicator:{some}", n=15, **tables)
    assert (s["predicted"] == 1).all() and len(s) == min(15, (m["indicator_id"] == some).sum())
    text = tables["corpus"].set_index("doc_id")["text"]
    for row in s.itertuples():
        assert text[row.doc_id][row.start:row.end] == row.keyword
    a = coding_sample("metrics", n=25, stratify=("year",), **tables)
    assert len(a) == 25 and set(a["what"]) == {"metrics"}
    with pytest.raises(ValueError, match="no metric row has indicator_id"):
        coding_sample("indicator:nothing.here", **tables)
    with pytest.raises(ValueError, match="what must be one of theme:<id>, indicator:<id>, metrics"):
        coding_sample("topics", **tables)
    with pytest.raises(ValueError, match="theme must be a theme_id or label"):
        coding_sample("theme:营商环境", **tables)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_sheet_round_trip(tmp_path, tables, suffix):
    s = coding_sample("theme:pufa", n=12, **tables)
    path = write_coding(s, tmp_path / f"coding{suffix}")
    back = read_coding(path)
    assert back["correct"].isna().all()
    cols = [c for c in SHEET_COLUMNS if c not in ("correct", "note")]
    pd.testing.assert_frame_equal(back[cols].fillna(""), s[cols].fillna(""), check_dtype=False)
    coded = s.assign(correct=["1", "0", "是", "否", "yes", "", 1, 0, "1", "1", "0", "1"], note="看过")
    write_coding(coded, path)
    back = read_coding(path)
    assert back["correct"].tolist()[:5] == [1.0, 0.0, 1.0, 0.0, 1.0] and math.isnan(back["correct"].iloc[5])
    assert (back["note"] == "看过").all()
    write_coding(coded.assign(correct=["2"] + [""] * 11), path)
    with pytest.raises(ValueError, match=r"coding\.(xlsx|csv): item 1: correct must be 1 or 0"):
        read_coding(path)


def test_cli_sample_and_validate(tmp_path, tables, capsys):
    from lawgov_analysis.cli import main

    s = coding_sample("theme:pufa", n=10, **tables)
    write_coding(s.assign(correct=[1, 1, 0, 1, 1, 0, 1, 1, 1, 0]), tmp_path / "a.xlsx")
    write_coding(s.assign(correct=[1, 1, 0, 1, 0, 0, 1, 1, 1, 1]), tmp_path / "b.csv")
    assert main(["validate", str(tmp_path / "a.xlsx"), str(tmp_path / "b.csv"), "--out",
                 str(tmp_path / "v.csv")]) == 0
    out = pd.read_csv(tmp_path / "v.csv")
    assert out["measure"].tolist() == ["precision", "recall", "kappa", "agreement", "coded"]
    assert out.set_index("measure").loc["kappa", "estimate"] == round(
        cohen_kappa_score([1, 1, 0, 1, 1, 0, 1, 1, 1, 0], [1, 1, 0, 1, 0, 0, 1, 1, 1, 1]), 4)
    assert "Cohen's κ" in capsys.readouterr().out
    write_coding(s.assign(correct=["x"] + [""] * 9), tmp_path / "bad.csv")
    assert main(["validate", str(tmp_path / "bad.csv")]) == 2
    assert "item 1: correct must be 1 or 0" in capsys.readouterr().err
