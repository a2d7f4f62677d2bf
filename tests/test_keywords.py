"""Keyword statistics: frequencies, tf-idf, keyness, KWIC, co-occurrence, TextRank and the CLI."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from lawgov_analysis.analysis import keywords as kw
from lawgov_analysis.text import structure
from lawgov_analysis.text.tokens import TOKEN_COLUMNS, tokenize

BOILERPLATE = {"工作", "坚持", "推进", "加强", "开展"}


@pytest.fixture(scope="module")
def sample_tokens(sample_corpus):
    return tokenize(sample_corpus)


@pytest.fixture(scope="module")
def fixture_tokens(fixture_corpus):
    return tokenize(fixture_corpus)


def toy_tokens(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    """A hand-countable token table from ``(doc_id, sentence_id, token)`` rows (every token a content word)."""
    out, pos = [], {}
    for doc_id, sentence_id, token in rows:
        start = pos.get(doc_id, 0)
        pos[doc_id] = start + len(token)
        out.append(dict(doc_id=doc_id, section_id="一", sentence_id=sentence_id, token_id=0, token=token,
                        start=start, end=start + len(token), kind="word", is_stop=False))
    df = pd.DataFrame(out, columns=TOKEN_COLUMNS)
    df["token_id"] = df.groupby("doc_id").cumcount()
    return df


# ------------------------------------------------------------------------------------------------ fragments
def test_keyword_lists_have_no_single_characters_or_fragments(sample_tokens):
    """On the sample: 人/区/家/进, 余人次/万余份/余件, 二中/三中 (十九届二中、三中全会) are tokens but not keywords."""
    words = sample_tokens[sample_tokens["kind"] == "word"]
    assert {"人", "区", "家", "进", "余人次", "万余份", "余件", "二中", "三中"} <= set(words["token"])
    terms = set(kw.term_frequencies(sample_tokens)["term"])
    assert not {t for t in terms if len(t) == 1}
    assert not terms & {"余人次", "万余份", "余件", "万元", "人次", "二中", "三中", "四中", "五中"}
    assert {"法治", "普法", "十九大", "新收", "涉黑恶", "六中全会"} <= terms  # lexicon keeps these whole
    # switchable: everything is back with min_chars=1, drop_fragments=False
    loose = set(kw.term_frequencies(sample_tokens, min_chars=1, drop_fragments=False)["term"])
    assert {"人", "区", "余人次", "二中"} <= loose
    assert "人" in set(kw.top_terms(sample_tokens, n=10, min_chars=1)["term"])


@pytest.mark.parametrize("token, keep", [
    ("余人次", False), ("万余份", False), ("余件", False), ("千余名", False), ("万元", False), ("人次", False),
    ("二中", False), ("十一中", False), ("gyz1", False), ("ahjgbzw", False), ("人", False), ("区", False),
    ("APP", True), ("12345热线", True), ("千家万户", True), ("百姓", True), ("集中", True), ("多元解纷", True),
    ("普法", True), ("法律明白人", True),
])
def test_keyword_mask_patterns(token, keep):
    tokens = pd.DataFrame({"token": [token]})
    assert kw.keyword_mask(tokens).tolist() == [keep]


def test_scope_words_of_other_levels_are_boilerplate():
    """全镇/全局/全乡 (a town's, a bureau's “whole …”) are stopwords like 全区/全县/全市."""
    corpus = pd.DataFrame({"doc_id": ["z"], "text": ["全镇共调解纠纷12件，全局干部参加普法培训，全乡开展法治宣传。"]})
    tokens = tokenize(corpus, cache=False)
    terms = set(kw.term_frequencies(tokens)["term"])
    assert not terms & {"全镇", "全局", "全乡"} and {"普法", "干部"} <= terms


def test_token_glued_to_a_number_unit_is_a_fragment():
    """2020年静海区 → 2020 / 年静 / 海区: 年静 is not a keyword; 年轻 elsewhere is."""
    rows = [("d", "2020", 0, 4, "number"), ("d", "年静", 4, 6, "word"), ("d", "海区", 6, 8, "word"),
            ("d", "年轻", 9, 11, "word"), ("e", "年静", 0, 2, "word")]
    tokens = pd.DataFrame(rows, columns=["doc_id", "token", "start", "end", "kind"])
    assert kw.keyword_mask(tokens).tolist() == [True, False, True, True, True]
    assert kw.keyword_mask(tokens.iloc[::-1]).tolist() == [True, True, True, False, True]
    assert kw.keyword_mask(tokens, drop_fragments=False).all()
    with pytest.raises(ValueError, match="min_chars"):
        kw.keyword_mask(tokens, min_chars=0)


def test_fragment_resource_file():
    from lawgov_analysis.core.resources import resource_text

    text = resource_text(kw.FRAGMENTS_FILE)
    assert text.startswith("# ") and "Source:" in text
    patterns = kw.load_fragment_patterns()
    assert patterns == sorted(patterns) and len(patterns) == len(set(patterns))
    examples = ["人次", "gyz1", "三中", "万余份"]
    for pattern in patterns:  # every pattern can match
        assert any(re.fullmatch(pattern, e) for e in examples), pattern


def test_user_fragment_file(tmp_path):
    path = tmp_path / "frag.txt"
    path.write_text("# mine\n^普法$\n", encoding="utf-8")
    tokens = pd.DataFrame({"token": ["普法", "余人次"]})
    assert kw.keyword_mask(tokens, fragments=path).tolist() == [False, True]
    bad = tmp_path / "bad.txt"
    bad.write_text("(\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a regular expression"):
        kw.keyword_mask(tokens, fragments=bad)


# ------------------------------------------------------------------------------------------------ frequencies
def test_top_terms_are_not_boilerplate(sample_tokens, sample_corpus):
    top = kw.top_terms(sample_tokens, corpus=sample_corpus, n=20)
    assert len(top) == 20 and top["rank"].tolist() == list(range(1, 21))
    assert not set(top["term"]) & BOILERPLATE
    assert {"法治", "普法", "法治政府", "行政执法"} <= set(top["term"])
    # the boilerplate list is what keeps them out: with function words only, they are back on top
    general = tokenize(sample_corpus, stopwords="general")
    assert set(kw.top_terms(general, n=20)["term"]) >= {"工作", "坚持", "推进", "开展"}


def test_term_frequencies_by_year(fixture_tokens, fixture_corpus):
    freq = kw.term_frequencies(fixture_tokens, by="year", corpus=fixture_corpus)
    assert list(freq.columns) == ["year", "term", "count", "share", "chars", "per_10k", "rank"]
    assert freq["year"].tolist() == sorted(freq["year"].tolist())
    # 普法 four times a report: （三）扎实开展普法宣传, 普法宣传资料, 普法宣传活动, 普法宣传针对性 (“谁执法谁普法” is a slogan)
    pufa = freq[freq["term"] == "普法"].set_index("year")
    assert pufa["count"].tolist() == [4, 4, 4]
    chars = fixture_tokens.assign(n=fixture_tokens["end"] - fixture_tokens["start"]).groupby("doc_id")["n"].sum()
    assert pufa.loc[2019, "chars"] == chars["anxian-2019"]
    assert pufa.loc[2019, "per_10k"] == pytest.approx(4 / chars["anxian-2019"] * 10_000)
    assert freq.groupby("year")["share"].sum().round(12).tolist() == [1.0, 1.0, 1.0]
    by_region = kw.term_frequencies(fixture_tokens, by="region", corpus=fixture_corpus)
    assert by_region.set_index(["region", "term"]).loc[("安县", "普法"), "count"] == 8


def test_section_groups_keep_doc_id(fixture_tokens):
    top = kw.top_terms(fixture_tokens, by="section_id", n=1)
    assert list(top.columns[:2]) == ["doc_id", "section_id"]
    assert len(top) == top[["doc_id", "section_id"]].drop_duplicates().shape[0]


def test_bad_by(sample_tokens):
    with pytest.raises(ValueError, match="by must be one of doc_id, section_id, sentence_id, got 'year'"):
        kw.term_frequencies(sample_tokens, by="year")


def test_tfidf(fixture_tokens):
    out = kw.tfidf(fixture_tokens, by="doc_id")
    rows = out.set_index(["doc_id", "term"])
    assert rows.loc[("beiqu-2021", "北区"), "idf"] == pytest.approx(math.log(3))
    assert rows.loc[("anxian-2019", "安县"), "idf"] == pytest.approx(math.log(3 / 2))
    assert rows.loc[("anxian-2019", "普法"), "tf_idf"] == 0  # in every report
    assert out.groupby("doc_id").head(1)["term"].tolist() == ["安县", "安县", "北区"]


def test_tfidf_from_frequencies_equals_tfidf(fixture_tokens, fixture_corpus):
    for by in ("doc_id", "year"):
        freq = kw.term_frequencies(fixture_tokens, by=by, corpus=fixture_corpus)
        assert kw.tfidf_frequencies(freq, by=by).equals(kw.tfidf(fixture_tokens, by=by, corpus=fixture_corpus))
    with pytest.raises(ValueError, match="year"):
        kw.tfidf_frequencies(freq.drop(columns="year"), by="year")


# ---------------------------------------------------------------------------------------------------- keyness
def test_pufa_is_distinctive_of_section_1_3(sample_corpus, sample_tokens):
    rolled = structure.with_section_level(sample_tokens, structure.sections(sample_corpus), level=2)
    key = kw.keyness(rolled, group="一(三)", by="section_l2")
    top = key.head(5)
    assert "普法" in set(top["term"])
    row = key.set_index("term").loc["普法"]
    assert (row["count_target"], row["count_reference"], row["direction"]) == (12, 1, "target")
    assert row["p_value"] < 0.001
    assert key["z"].is_monotonic_decreasing


def test_keyness_matches_hand_computation():
    tokens = toy_tokens([("A", 0, "普法")] * 3 + [("A", 0, "宣传")] + [("B", 0, "普法")] + [("B", 0, "宣传")] * 3)
    row = kw.keyness(tokens, group="A").set_index("term").loc["普法"]
    # G²: a=3, b=1, expected 2 and 2
    assert row["g2"] == pytest.approx(2 * (3 * math.log(3 / 2) + 1 * math.log(1 / 2)))
    # prior alpha_w = 8 * 4/8 = 4, alpha0 = 8
    delta = math.log(7 / 5) - math.log(5 / 7)
    assert row["log_odds"] == pytest.approx(delta)
    assert row["z"] == pytest.approx(delta / math.sqrt(1 / 7 + 1 / 5))
    assert kw.keyness(tokens, group="A", reference="B").equals(kw.keyness(tokens, group="A"))
    with pytest.raises(ValueError, match="group must be one of A, B, got 'C'"):
        kw.keyness(tokens, group="C")


def test_keyness_from_counts_equals_keyness(sample_corpus, sample_tokens, fixture_tokens, fixture_corpus):
    """From the counts per group (what a store gives without its tokens): the same table as from tokens."""
    rolled = structure.with_section_level(sample_tokens, structure.sections(sample_corpus), level=2)
    freq = kw.term_frequencies(rolled, by="section_l2")
    pd.testing.assert_frame_equal(kw.keyness_counts(freq, group="一(三)", by="section_l2"),
                                  kw.keyness(rolled, group="一(三)", by="section_l2"), check_exact=True)
    pd.testing.assert_frame_equal(kw.keyness_counts(freq, group="一(三)", reference=["一(一)", "一(二)"],
                                                    by="section_l2", min_count=3),
                                  kw.keyness(rolled, group="一(三)", reference=["一(一)", "一(二)"],
                                             by="section_l2", min_count=3), check_exact=True)
    by_year = kw.term_frequencies(fixture_tokens, by="year", corpus=fixture_corpus)
    pd.testing.assert_frame_equal(kw.keyness_counts(by_year, group=2021, by="year"),
                                  kw.keyness(fixture_tokens, group=2021, by="year", corpus=fixture_corpus),
                                  check_exact=True)
    with pytest.raises(ValueError, match="group must be one of"):
        kw.keyness_counts(by_year, group=1999, by="year")


# ------------------------------------------------------------------------------------------------------- kwic
def test_kwic_windows_slice_back(sample_corpus, sample_text):
    hits = kw.kwic(sample_corpus, "法律明白人", window=12)
    assert len(hits) == 4
    for row in hits.itertuples():
        assert sample_text[row.start:row.end] == row.match == "法律明白人"
        assert sample_text[row.start - len(row.left):row.start] == row.left and len(row.left) == 12
        assert sample_text[row.end:row.end + len(row.right)] == row.right
    first = kw.kwic(sample_corpus, ["2021年", "2021"], window=5).iloc[0]
    assert (first["start"], first["left"], first["match"], first["right"]) == (0, "", "2021年", ",我区坚持")
    assert kw.kwic(sample_corpus, r"\d+\.\d+%", regex=True)["match"].tolist() == ["97.46%", "91.87%", "99.3%"]


# ----------------------------------------------------------------------------------------------- cooccurrence
def test_cooccurrence_toy():
    tokens = toy_tokens([("d", 0, "普法"), ("d", 0, "宣传"), ("d", 0, "法治"), ("d", 1, "普法"), ("d", 1, "宣传"),
                         ("d", 2, "法治")])
    out = kw.cooccurrence(tokens, min_count=1).set_index(["term_a", "term_b"])
    # each unordered pair once, term_a < term_b in code-point order (宣 U+5BA3 < 普 U+666E < 法 U+6CD5)
    assert out.loc[("宣传", "普法"), ["count", "count_a", "count_b", "units"]].tolist() == [2, 2, 2, 3]
    assert out.loc[("宣传", "普法"), "ochiai"] == pytest.approx(1.0)
    assert out.loc[("宣传", "普法"), "pmi"] == pytest.approx(math.log(2 * 3 / (2 * 2)))
    assert out.loc[("普法", "法治"), "ochiai"] == pytest.approx(0.5)
    assert len(kw.cooccurrence(tokens, min_count=2)) == 1  # 宣传–普法, once
    assert len(kw.cooccurrence(tokens, min_count=2, directed=True)) == 2  # both ways on request
    assert len(kw.cooccurrence(tokens, unit="doc", min_count=1)) == 3
    assert len(kw.cooccurrence(tokens, unit="doc", min_count=1, directed=True)) == 6


def test_cooccurrence_pairs_once_symmetric_and_deterministic(sample_tokens):
    out = kw.cooccurrence(sample_tokens, unit="sentence", min_count=2)
    again = kw.cooccurrence(sample_tokens.sample(frac=1, random_state=1), unit="sentence", min_count=2)
    pd.testing.assert_frame_equal(out, again)
    assert (out["term_a"] < out["term_b"]).all()
    pairs = set(zip(out["term_a"], out["term_b"]))
    assert not {(b, a) for a, b in pairs} & pairs  # no pair listed twice
    directed = kw.cooccurrence(sample_tokens, unit="sentence", min_count=2, directed=True)
    assert len(directed) == 2 * len(out)
    swapped = directed.rename(columns={"term_a": "term_b", "term_b": "term_a", "count_a": "count_b",
                                       "count_b": "count_a"})[directed.columns]
    key = ["term_a", "term_b"]
    pd.testing.assert_frame_equal(directed.sort_values(key).reset_index(drop=True),
                                  swapped.sort_values(key).reset_index(drop=True))
    top = out.iloc[0]
    assert (top["term_a"], top["term_b"], top["count"]) == ("宣传", "普法", 6)
    with pytest.raises(ValueError, match="unit must be one of sentence, section, doc, got 'page'"):
        kw.cooccurrence(sample_tokens, unit="page")


# --------------------------------------------------------------------------------------------------- textrank
def test_textrank_keywords(sample_corpus):
    out = kw.textrank_keywords(sample_corpus, n=10)
    assert list(out.columns) == ["doc_id", "term", "weight", "rank"]
    assert len(out) == 10 and out["weight"].iloc[0] == 1.0
    assert "普法" in set(out["term"]) and not set(out["term"]) & BOILERPLATE


# -------------------------------------------------------------------------------------------------------- cli
def test_cli_keywords(tmp_path, capsys):
    from lawgov_analysis.cli import main

    out = tmp_path / "kw.csv"
    assert main(["keywords", "data/reports", "--top", "5", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    # the command segments as `build` does (lexicon plus every theme term), so 普法宣传/普法教育 stay whole words
    assert table["term"].tolist() == ["法治", "宣传", "法治政府", "重大", "案件"]
    assert main(["keywords", "data/reports", "--by", "year", "--top", "3"]) == 0
    assert "2021" in capsys.readouterr().out
