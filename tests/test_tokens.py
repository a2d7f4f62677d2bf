"""Tokens: lexicon protection, kinds, offsets, stopwords, resources, cache and isolation."""

from __future__ import annotations

import inspect
import logging
import re

import jieba
import pandas as pd
import pytest
import rjieba
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgov_analysis.core.resources import resource_text
from lawgov_analysis.text import segmenters as sg
from lawgov_analysis.text import structure
from lawgov_analysis.text import tokens as tok
from lawgov_analysis.text.tokens import TOKEN_COLUMNS, lexicon_audit, load_lexicon, load_stopwords, tokenize

SAMPLE_ID = "changjiang-2021"


@pytest.fixture(scope="module")
def sample_tokens(sample_corpus):
    return tokenize(sample_corpus)


def _doc(text: str, doc_id: str = "t") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [doc_id], "text": [text]})


# ------------------------------------------------------------------------------------------ the sample report
def test_columns_and_dtypes(sample_tokens):
    assert list(sample_tokens.columns) == TOKEN_COLUMNS
    assert sample_tokens["token_id"].tolist() == list(range(len(sample_tokens)))
    assert str(sample_tokens["start"].dtype) == "int64" and str(sample_tokens["is_stop"].dtype) == "bool"
    assert set(sample_tokens["kind"]) == set(tok.KINDS)


@pytest.mark.parametrize("term, count", [("放管服", 2), ("扫黑除恶", 2), ("谁执法谁普法", 1), ("法律明白人", 4),
                                         ("三项制度", 4), ("赣服通", 1), ("一次不跑", 1), ("枫桥经验", 1)])
def test_domain_terms_are_single_tokens(sample_tokens, sample_text, term, count):
    assert (sample_tokens["token"] == term).sum() == count
    # every other occurrence lies inside a longer lexicon term or a 《title》, never cut through
    for m in re.finditer(term, sample_text):
        covering = sample_tokens[(sample_tokens["start"] <= m.start()) & (sample_tokens["end"] >= m.end())]
        assert len(covering) == 1, sample_text[m.start() - 5:m.end() + 5]


def test_plain_jieba_splits_what_the_lexicon_protects(sample_corpus):
    plain = tokenize(sample_corpus, lexicon="none")
    assert (plain["token"] == "扫黑除恶").sum() == 0  # plain jieba: 扫黑 / 除恶
    assert (plain["token"] == "行政执法").sum() == 0


def test_offsets_slice_back(sample_tokens, sample_text):
    assert all(sample_text[s:e] == t for s, e, t in zip(sample_tokens["start"], sample_tokens["end"],
                                                         sample_tokens["token"]))
    assert (sample_tokens["start"].diff().dropna() > 0).all()


def test_kinds(sample_tokens):
    by_kind = {k: g["token"].tolist() for k, g in sample_tokens.groupby("kind")}
    assert by_kind["title"][:3] == ["区委全面依法治区委员会2021年工作要点", "法治昌江建设规划(2021-2025)",
                                    "昌江区法治社会建设实施方案"]
    # a title keeps its inner quotes and spaces; the brackets are punct tokens of their own
    assert "关于开展“践行习近平法治思想 提升人民群众法治获得感满意度”主题实践的实施方案" in by_kind["title"]
    assert by_kind["punct"].count("《") == by_kind["punct"].count("》") == 18
    # “一次不跑、只跑一次” is split at the enumeration mark; “自治、法治、德治” likewise
    assert {"一次不跑", "只跑一次", "关键少数", "自治", "德治", "让数据多跑路"} <= set(by_kind["slogan"])
    assert "践行习近平法治思想、提升人民群众法治获得感满意度" not in by_kind["slogan"]  # too long: words
    assert {"97.46%", "2021", "100%", "十九"} <= set(by_kind["number"])
    assert "一站式" in by_kind["slogan"] and "依法行政" in by_kind["word"]


def test_row_example(sample_tokens):
    row = sample_tokens[(sample_tokens["token"] == "放管服")].iloc[0]
    assert (row["section_id"], row["kind"], bool(row["is_stop"])) == ("一(二)2", "slogan", False)


def test_section_and_sentence_keys_match_structure(sample_corpus, sample_tokens):
    sents = structure.sentences(sample_corpus)
    merged = sample_tokens.merge(sents, on=["doc_id", "sentence_id"], suffixes=("", "_s"))
    assert len(merged) == len(sample_tokens)
    assert (merged["section_id"] == merged["section_id_s"]).all()
    assert ((merged["start"] >= merged["start_s"]) & (merged["end"] <= merged["end_s"])).all()


def test_sentences_input_gives_the_same_tokens(sample_corpus, sample_tokens):
    from_sentences = tokenize(structure.sentences(sample_corpus))
    pd.testing.assert_frame_equal(from_sentences, sample_tokens)


def test_stopwords_are_marked_not_removed(sample_tokens, sample_corpus):
    marked = set(sample_tokens.loc[sample_tokens["is_stop"], "token"])
    assert {"工作", "坚持", "推进", "加强", "开展", "的", "和"} <= marked
    assert not sample_tokens.loc[sample_tokens["token"].isin(["普法", "放管服", "人"]), "is_stop"].any()
    general = tokenize(sample_corpus, stopwords="general")
    assert len(general) == len(sample_tokens)
    assert not general.loc[general["token"] == "工作", "is_stop"].any()
    assert general.loc[general["token"] == "的", "is_stop"].all()
    nothing = tokenize(sample_corpus, stopwords="none")
    assert not nothing["is_stop"].any()
    custom = tokenize(sample_corpus, stopwords=["普法"])
    assert set(custom.loc[custom["is_stop"], "token"]) == {"普法"}


def test_stopword_options(tmp_path):
    assert load_stopwords("default") == load_stopwords("general") | load_stopwords("boilerplate")
    assert load_stopwords(None) == load_stopwords("default")
    assert load_stopwords("none") == frozenset()
    path = tmp_path / "stop.txt"
    path.write_text("# mine\n普法\n宣传\n", encoding="utf-8")
    assert load_stopwords(path) == {"普法", "宣传"}
    with pytest.raises(ValueError, match="stopwords must be one of default, general, boilerplate, none"):
        load_stopwords("bogus")


# ----------------------------------------------------------------------------------------------------- audit
def test_lexicon_audit_sample(sample_corpus, sample_tokens):
    audit = lexicon_audit(sample_corpus, tokens=sample_tokens)
    assert audit["term"].tolist() == load_lexicon()
    assert set(audit["status"]) == {"ok", "absent"}  # every term found is a whole token every time
    assert (audit["occurrences"] == audit[["whole", "in_longer", "in_protected", "split"]].sum(axis=1)).all()
    audit = audit.set_index("term")
    # 普法: 13 whole tokens, 3 inside protected tokens (“谁执法谁普法” twice as slogan/title, 《…普法责任制…》)
    assert audit.loc["普法", ["occurrences", "whole", "in_longer", "in_protected", "split"]].tolist() == [
        16, 13, 0, 3, 0]
    # 三项制度: once inside the longer lexicon term 行政执法三项制度
    assert audit.loc["三项制度", ["occurrences", "whole", "in_longer", "split"]].tolist() == [5, 4, 1, 0]
    assert audit.loc["法治政府", ["occurrences", "whole", "split"]].tolist() == [12, 12, 0]
    assert audit.loc["河长制", "status"] == "absent"


def test_lexicon_audit_reveals_plain_jieba(sample_corpus):
    audit = lexicon_audit(sample_corpus, lexicon="none").set_index("term")
    assert audit.loc["扫黑除恶", "split"] == 2
    assert audit.loc["行政执法", "split"] == 12
    assert (audit["status"] == "split").sum() > 50


# ------------------------------------------------------------------------------------------------- resources
@pytest.mark.parametrize("name", ["lexicon.txt", "stopwords_general.txt", "stopwords_boilerplate.txt"])
def test_resource_files(name):
    lines = resource_text(name).splitlines()
    assert lines[0].startswith("# ") and "Source:" in resource_text(name)
    entries = [line for line in lines if line and not line.startswith("#")]
    terms = [line.split()[0] for line in entries]
    assert terms == sorted(terms)
    assert len(terms) == len(set(terms))
    assert all(len(line.split()) <= 2 and line == line.strip() for line in entries)
    assert not tok.lexicon_problems(terms)  # Han/ASCII only: jieba can keep each one together


def test_lexicon_size_and_disjoint_lists():
    lexicon = set(load_lexicon())
    assert len(lexicon) >= 300
    general, boilerplate = load_stopwords("general"), load_stopwords("boilerplate")
    assert not general & boilerplate
    assert not lexicon & (general | boilerplate)
    assert {"坚持", "推进", "加强", "全面", "深入", "工作", "开展", "进一步"} <= boilerplate


def test_load_lexicon_extra(tmp_path):
    base = load_lexicon()
    assert load_lexicon(["好口碑调解室", "放管服"]) == sorted({*base, "好口碑调解室"})
    path = tmp_path / "mine.txt"
    path.write_text("# my terms\n名辉调解室 500\n", encoding="utf-8")
    assert "名辉调解室" in load_lexicon(path) and "名辉调解室" in load_lexicon(str(path))
    assert load_lexicon([path, "好口碑调解室"]) == sorted({*base, "名辉调解室", "好口碑调解室"})
    assert load_lexicon("none") == []
    with pytest.raises(ValueError, match="whitespace"):
        load_lexicon(["法治 政府"])
    with pytest.raises(FileNotFoundError):
        load_lexicon(str(tmp_path / "missing.txt"))


# ------------------------------------------------------------------------------------------------- isolation
def test_lexicons_do_not_leak():
    text = "名辉调解室正在筹建当中，持续扫黑除恶。"
    extra = tokenize(_doc(text), lexicon=["名辉调解室"], cache=False)
    default = tokenize(_doc(text), cache=False)
    plain = tokenize(_doc(text), lexicon="none", cache=False)
    assert "名辉调解室" in set(extra["token"]) and "扫黑除恶" in set(extra["token"])
    assert "名辉调解室" not in set(default["token"]) and "扫黑除恶" in set(default["token"])
    assert "扫黑除恶" not in set(plain["token"])
    assert "扫黑除恶" not in jieba.lcut(text) and "名辉调解室" not in jieba.lcut(text)
    assert "名辉调解室" not in jieba.dt.FREQ and "扫黑除恶" not in jieba.dt.FREQ  # jieba's global stays as shipped
    assert "扫黑除恶" not in rjieba.cut(text) and not rjieba.has_word("扫黑除恶")  # so does rjieba's


@pytest.mark.parametrize("segmenter", ["rjieba", "jieba"])
def test_tokenizer_initialises_quietly(monkeypatch, capfd, segmenter):
    logger = logging.getLogger("jieba")
    level = logger.level
    monkeypatch.setattr(sg, "_BASE_TOKENIZER", None)
    monkeypatch.setattr(sg, "_SEGMENTERS", {})
    tokens = tokenize(_doc("依法行政。"), lexicon=["安静初始化"], segmenter=segmenter, cache=False)
    assert tokens["token"].tolist() == ["依法行政", "。"]
    assert capfd.readouterr().err == ""
    assert logger.level == level


# ----------------------------------------------------------------------------------------------------- cache
def test_warm_cache_skips_segmentation(sample_corpus, monkeypatch, tmp_path):
    monkeypatch.setenv("LAWGOV_CACHE_DIR", str(tmp_path))
    calls = []
    real = tok._segment_doc
    monkeypatch.setattr(tok, "_segment_doc", lambda *a: calls.append(1) or real(*a))
    cold = tokenize(sample_corpus)
    assert calls == [1] and len(list((tmp_path / "tokens").glob("*.arrow"))) == 1

    def boom(*args, **kwargs):
        raise AssertionError("segmenter called on a warm cache")

    monkeypatch.setattr(tok, "_segment_doc", boom)
    monkeypatch.setattr(structure, "sentences", boom)
    warm = tokenize(sample_corpus)
    pd.testing.assert_frame_equal(warm, cold)
    # another lexicon or stopword list is another cache entry: it must segment
    with pytest.raises(AssertionError, match="segmenter called"):
        tokenize(sample_corpus, lexicon=["昌江模式"])
    with pytest.raises(AssertionError, match="segmenter called"):
        tokenize(sample_corpus, stopwords="general")
    # so is the other backend (same tokens on the sample, but never read from the other's files)
    with pytest.raises(AssertionError, match="segmenter called"):
        tokenize(sample_corpus, segmenter="jieba")


def test_cache_does_not_mix_lexicons(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWGOV_CACHE_DIR", str(tmp_path))
    corpus = _doc("名辉调解室正在筹建当中。")
    first = tokenize(corpus, lexicon=["名辉调解室"])
    second = tokenize(corpus)
    assert "名辉调解室" in set(first["token"]) and "名辉调解室" not in set(second["token"])
    assert tokenize(corpus, lexicon=["名辉调解室"]).equals(first)


def test_processes_give_the_same_table(fixture_corpus):
    one = tokenize(fixture_corpus, n_jobs=1, cache=False)
    two = tokenize(fixture_corpus, n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(one, two)
    assert one["doc_id"].unique().tolist() == sorted(fixture_corpus["doc_id"])


def test_empty_and_bad_input():
    empty = tokenize(_doc("   \n "), cache=False)
    assert empty.empty and list(empty.columns) == TOKEN_COLUMNS
    with pytest.raises(ValueError, match="missing column"):
        tokenize(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="doc_id must be unique, got duplicates: a"):
        tokenize(pd.DataFrame({"doc_id": ["a", "a"], "text": ["普法。", "执法。"]}), cache=False)


# -------------------------------------------------------------------------------------------------- property
_ALPHABET = "法治政府建设普法放管服依法行政一二三十0123456789.%，。、；：“”‘’《》()（）—·  \n\tAbc"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_tokens_cover_text_without_overlap(text):
    tokens = tokenize(_doc(text), cache=False, progress=False)
    owner: list[str | None] = [None] * len(text)
    for s, e, t, kind in zip(tokens["start"], tokens["end"], tokens["token"], tokens["kind"]):
        assert text[s:e] == t and t and t.strip() == t
        assert kind in tok.KINDS
        for i in range(s, e):
            assert owner[i] is None  # no overlap
            owner[i] = kind
    for ch, kind in zip(text, owner):
        if ch.isspace():
            assert kind in (None, "title")  # whitespace is never a token; a 《title》 may contain a space
        else:
            assert kind is not None  # every other character is in exactly one token
    assert tokens["start"].is_monotonic_increasing


def test_a_word_across_a_sentence_start_is_cut_there():
    sents = pd.DataFrame({"doc_id": ["s", "s"], "section_id": ["一", "一(一)"], "sentence_id": [0, 1],
                          "start": [0, 4], "end": [4, 7], "text": ["深化放管", "服改革"]})
    tokens = tokenize(sents, cache=False)
    assert list(zip(tokens["sentence_id"], tokens["section_id"], tokens["token"])) == [
        (0, "一", "深化"), (0, "一", "放管"), (1, "一(一)", "服"), (1, "一(一)", "改革")]


def test_fast_dag_matches_jieba(sample_text):
    """The private tokenizer's faster DAG search must give exactly jieba's own segmentation."""
    entries = tok.lexicon_entries(None)
    fast = tok._tokenizer(entries)
    base = sg.base_jieba_tokenizer()
    reference = jieba.Tokenizer()
    reference.FREQ, reference.total, reference.initialized = dict(base.FREQ), base.total, True
    for term in sorted(entries):
        old = reference.FREQ.get(term, 0)
        reference.add_word(term, max(tok.LEXICON_FREQ, old))
        reference.total -= old
    assert fast.lcut(sample_text) == reference.lcut(sample_text)
    assert fast.lcut(sample_text, HMM=False) == reference.lcut(sample_text, HMM=False)


# -------------------------------------------------------------------------------------------------- backends
def test_default_segmenter_is_rjieba(sample_corpus, sample_tokens):
    assert inspect.signature(tokenize).parameters["segmenter"].default == "rjieba" == sg.DEFAULT_SEGMENTER
    assert tok.SEGMENTERS == ("rjieba", "jieba")
    assert isinstance(sg.get_segmenter(tok.lexicon_entries(None)), sg.RjiebaSegmenter)
    pd.testing.assert_frame_equal(tokenize(sample_corpus, segmenter="rjieba", cache=False), sample_tokens)


@pytest.mark.parametrize("lexicon, n_tokens", [(None, 2984), ("none", 3141), (["名辉调解室", "法治昌江"], 2982)])
def test_backends_agree_on_the_sample(sample_corpus, lexicon, n_tokens):
    """rjieba's tokens equal jieba's on the sample, token for token (with and without lexicon)."""
    rj = tokenize(sample_corpus, segmenter="rjieba", lexicon=lexicon, cache=False)
    jb = tokenize(sample_corpus, segmenter="jieba", lexicon=lexicon, cache=False)
    pd.testing.assert_frame_equal(rj, jb)
    assert len(rj) == n_tokens


def test_number_ranges_split_like_jieba(sample_corpus, sample_text):
    # plain rjieba keeps 2021-2025 as one token; jieba and our rjieba backend cut it at the hyphen
    assert "2021-2025" in rjieba.cut(sample_text)
    entries = tok.lexicon_entries(None)
    words = sg.get_segmenter(entries, segmenter="rjieba").lcut(sample_text)
    assert words == sg.get_segmenter(entries, segmenter="jieba").lcut(sample_text)
    ranges = [words[i:i + 3] for i in range(len(words)) if words[i + 1:i + 2] == ["-"]]
    assert "2021-2025" not in words and ranges == [["2021", "-", "2025"], ["1000", "-", "1500"]]
    # in the tokens 2021-2025 is inside a 《…》 title; outside a title a range is number, punct, number
    text = "编制《规划》（2021-2025年），完成率97.46%。"
    tokens = tokenize(_doc(text), cache=False)
    assert list(zip(tokens["token"], tokens["kind"]))[4:10] == [("（", "punct"),
        ("2021", "number"), ("-", "punct"), ("2025", "number"), ("年", "word"), ("）", "punct")]
    assert all(text[s:e] == t for s, e, t in zip(tokens["start"], tokens["end"], tokens["token"]))


@pytest.mark.parametrize("text, expected", [
    ("2021-2025年", ["2021", "-", "2025", "年"]),
    ("第1.2.3条", ["第", "1.2", ".", "3", "条"]),
    ("COVID-19疫情", ["COVID", "-", "19", "疫情"]),
    ("+86-791-123", ["+", "86", "-", "791", "-", "123"]),
    ("a-b c_d e.f", ["a", "-", "b", " ", "c", "_", "d", " ", "e", ".", "f"]),
    ("c#-5-8法", ["c#", "-", "5", "-", "8", "法"]),            # a dictionary word inside a run stays whole
    ("C++与AT&T", ["C++", "与", "AT&T"]),
    ("完成率97.46%，共100%", ["完成率", "97.46%", "，", "共", "100%"]),
    ("共计１２３件，ＡＢＣ", ["共计", "１", "２", "３", "件", "，", "Ａ", "Ｂ", "Ｃ"]),   # full-width: one char each
    ("hello world 法治 GDP增长3.5个百分点", ["hello", " ", "world", " ", "法治", " ", "GDP", "增长", "3.5", "个",
                                        "百分点"]),
    ("_㐀一管》", ["_", "㐀", "一", "管", "》"]),                # CJK extension A ends jieba's block
    ("行\r\n政", ["行", "\r\n", "政"]),
])
def test_rjieba_cuts_like_jieba(text, expected):
    entries = tok.lexicon_entries("none")
    assert sg.get_segmenter(entries, segmenter="jieba").lcut(text) == expected
    assert sg.get_segmenter(entries, segmenter="rjieba").lcut(text) == expected


@pytest.mark.parametrize("run, hmm, expected", [
    ("2021-2025", True, ["2021", "-", "2025"]),
    ("97.46%", True, ["97.46%"]),
    ("97.46%", False, ["97", ".", "46", "%"]),
    ("1.2.3", True, ["1.2", ".", "3"]),
    ("--a", True, ["--", "a"]),
    ("A㐀b", True, ["A", "㐀", "b"]),
])
def test_jieba_nonhan_cut(run, hmm, expected):
    assert sg.jieba_nonhan_cut(run, hmm) == expected


_MIXED = "法治政府建设普法放管服依法行政年月日一二三十0123456789.%+-#&_，。、；：“”《》()（）—·  \n\r\tAbcXYZ㐀鿖０１"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_MIXED, max_size=40))
def test_rjieba_cuts_like_jieba_property(text):
    entries = tok.lexicon_entries(None)
    assert sg.get_segmenter(entries, segmenter="rjieba").lcut(text) == \
        sg.get_segmenter(entries, segmenter="jieba").lcut(text)


def test_backends_agree_on_generated_reports():
    from tests.corpus_factory import corpus_spec

    records = corpus_spec("cross_section", size=12, seed=3) + corpus_spec("panel", size=6, seed=3)
    corpus = pd.DataFrame({"doc_id": [f"{i:02d}-{r['doc_id']}" for i, r in enumerate(records)],
                           "text": [r["text"] for r in records]})
    rj = tokenize(corpus, segmenter="rjieba", cache=False, n_jobs=1)
    jb = tokenize(corpus, segmenter="jieba", cache=False, n_jobs=1)
    assert rj["doc_id"].nunique() == 18 and len(rj) > 20_000
    pd.testing.assert_frame_equal(rj, jb)


def test_segmenter_version_and_bad_option():
    assert sg.segmenter_version("jieba") == f"jieba {jieba.__version__}"
    from importlib.metadata import version

    assert sg.segmenter_version() == f"rjieba {version('rjieba')}" == sg.segmenter_version("rjieba")
    with pytest.raises(ValueError, match="segmenter must be one of rjieba, jieba, got 'pkuseg'"):
        tokenize(_doc("依法行政。"), segmenter="pkuseg")
    with pytest.raises(ValueError, match="segmenter must be one of rjieba, jieba, got 'pkuseg'"):
        sg.segmenter_version("pkuseg")


def test_processes_give_the_same_table_with_jieba(fixture_corpus):
    one = tokenize(fixture_corpus, segmenter="jieba", n_jobs=1, cache=False)
    two = tokenize(fixture_corpus, segmenter="jieba", n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, tokenize(fixture_corpus, n_jobs=2, cache=False))


def test_both_backends_divide_by_jiebas_total():
    """jieba sums every dictionary line, jieba-rs counts B超 (listed twice) once: the rjieba backend carries the
    difference, so exact ties between two routes (治 治治 vs 治治 治) fall the same way."""
    found, surplus = sg._jieba_dictionary(["B超", "放管服", "法治"])
    assert surplus == 3 and found == {"B超": 3, "法治": 529}
    entries = tok.lexicon_entries(None)
    text = "府Ab2治治治.一三#"
    assert sg.get_segmenter(entries, segmenter="jieba").lcut(text) == ["府", "Ab2", "治", "治治", ".", "一三", "#"]
    assert sg.get_segmenter(entries, segmenter="rjieba").lcut(text) == ["府", "Ab2", "治", "治治", ".", "一三", "#"]


def test_token_table_of_many_reports_equals_one_report_at_a_time(fixture_corpus, sample_corpus):
    """The store's token stage builds one Arrow table for a whole partition (word strings sliced from the
    texts' UTF-8 bytes, each distinct word classified once): the same rows as segmenting each report alone."""
    extra = pd.DataFrame({"doc_id": ["ascii", "blank", "titles"],
                          "text": ["Plan 2021: 5G, AT&T and c# 97.46% done.\nNext 3.5 items", "  \n ",
                                   "一、总体情况\n深化“放管服”改革，贯彻《中华人民共和国行政处罚法》。\n二、下一步\n"
                                   "𠀀扩展区字符与普法工作。"]})
    corpus = pd.concat([sample_corpus[["doc_id", "text"]], fixture_corpus[["doc_id", "text"]], extra],
                       ignore_index=True)
    sents = structure.sentences(corpus)
    entries = tok.lexicon_entries(None)
    table = tok.token_table(corpus, sents, lexicon=entries, stopwords=load_stopwords()).to_pandas()
    assert list(table.columns) == TOKEN_COLUMNS
    assert table["doc_id"].unique().tolist() == [d for d in corpus["doc_id"] if d != "blank"]
    one = pd.concat([tokenize(corpus.iloc[[i]], cache=False, progress=False) for i in range(len(corpus))],
                    ignore_index=True)
    for col in TOKEN_COLUMNS:
        assert table[col].astype(str).tolist() == one[col].astype(str).tolist(), col
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(table["doc_id"], table["start"], table["end"],
                                                          table["token"]))
    assert set(table.loc[table["doc_id"] == "titles", "kind"]) >= {"title", "slogan", "word", "punct"}
