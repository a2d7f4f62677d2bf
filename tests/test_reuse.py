"""Text reuse: planted copies are found with their spans and direction; shares are unions of spans."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.analysis.reuse import (
    PAIR_COLUMNS,
    SHARE_COLUMNS,
    find_reuse,
    reuse_shares,
    shingle_hashes,
)
from tests.corpus_factory import corpus_table, match_rates, planted_truth

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reports" / "changjiang-2021.txt"

A = "全面推进依法行政工作，严格落实重大行政决策程序规定，切实提高决策质量和效率。"
B = "深化行政执法体制改革，全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。"
C = "加强行政复议和行政应诉工作，全年办理行政复议案件12件，行政机关负责人出庭应诉率达到100%。"
X = "今年我们还组织了很多不同的活动，内容非常丰富多彩，得到了广大群众的一致好评和认可。"
Y = "另外一个完全不同的句子出现在这里，用来检验没有任何重复的文字不会被当作复用的段落。"


def _corpus(rows):
    out = pd.DataFrame(rows, columns=["doc_id", "text", "year", "level", "region", "region_code"])
    out["chars"] = out["text"].str.len()
    return out


def test_hand_example_offsets_direction_and_similarity():
    # the city's 2020 report is copied by a county in 2021 (numbers changed) and by the city itself in 2021
    city20 = "前言。" + A + B + C
    county21 = Y + A + B + C.replace("12", "30")
    city21 = X + A
    corpus = _corpus([("city-2020", city20, 2020, "市", "景德镇市", "360200"),
                      ("county-2021", county21, 2021, "县", "浮梁县", "360222"),
                      ("city-2021", city21, 2021, "市", "景德镇市", "360200")])
    pairs = find_reuse(corpus)
    assert list(pairs.columns) == PAIR_COLUMNS
    got = pairs[["doc_id", "start", "end", "source_doc_id", "source_start", "source_end", "relation",
                 "sentences", "similarity"]].values.tolist()
    assert got == [
        ["city-2021", len(X), len(X) + len(A), "city-2020", 3, 3 + len(A), "own", 1, 1.0],
        # A+B+C of the county: a higher level (the city, same tier rule), and the city's 2021 report has A too
        ["county-2021", len(Y), len(county21), "city-2020", 3, len(city20), "higher", 3, 1.0],
    ]
    # same text in a report of the same year and tier: peer, both directions
    twin = _corpus([("a", X + A + B, 2021, "县", "甲县", "360222"), ("b", Y + A + B, 2021, "县", "乙县", "360223")])
    peers = find_reuse(twin)
    assert peers[["doc_id", "source_doc_id", "relation", "start", "source_start"]].values.tolist() == [
        ["a", "b", "peer", len(X), len(Y)], ["b", "a", "peer", len(Y), len(X)]]


def test_same_year_tie_goes_to_the_higher_level_and_unknown_years_are_not_directed():
    corpus = _corpus([("county", X + A + B, 2021, "县", "浮梁县", "360222"),
                      ("city", Y + A + B, 2021, "市", "景德镇市", "360200")])
    pairs = find_reuse(corpus)
    assert pairs[["doc_id", "source_doc_id", "relation"]].values.tolist() == [["county", "city", "higher"]]
    no_year = corpus.assign(year=[None, None])
    pairs = find_reuse(no_year)
    assert set(pairs["relation"]) == {"peer"}          # no direction without years
    assert find_reuse(no_year, relations=("own", "other", "higher")).empty


def test_short_sentences_and_different_text_are_not_reuse():
    corpus = _corpus([("a", X + "现将有关情况报告如下。", 2020, "县", "甲县", "1"),
                      ("b", Y + "现将有关情况报告如下。", 2021, "县", "乙县", "2")])
    assert find_reuse(corpus).empty


def test_mask_numbers_option():
    corpus = _corpus([("a", C, 2020, "县", "甲县", "1"), ("b", C.replace("12", "3").replace("100", "97"), 2021,
                                                         "县", "乙县", "2")])
    assert find_reuse(corpus)["similarity"].tolist() == [1.0]
    unmasked = find_reuse(corpus, mask_numbers=False, min_similarity=0.5)
    assert len(unmasked) == 1 and 0.5 <= unmasked["similarity"].iloc[0] < 1.0
    assert find_reuse(corpus, mask_numbers=False).empty          # below 0.8 once the numbers count


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_copies_recall_and_precision(seed):
    corpus, truth = corpus_table("planted", size=150, seed=seed), planted_truth(size=150, seed=seed)
    pairs = find_reuse(corpus)
    recall, precision = match_rates(pairs, truth)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
    # the relation of each found copy is the planted one
    m = truth.merge(pairs, on=["doc_id", "source_doc_id"], suffixes=("", "_found"))
    assert (m["relation"] == m["relation_found"]).mean() >= 0.95
    assert set(truth["relation"]) >= {"higher", "other"}


def test_planted_corpus_from_sentences_table_is_the_same_and_deterministic():
    from lawgov_analysis.text.structure import sentences

    corpus = corpus_table("planted", size=40, seed=3)
    a = find_reuse(corpus)
    b = find_reuse(sentences(corpus), corpus)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, find_reuse(corpus))


def _edited_sample(rng: random.Random) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The sample with every fourth line rewritten and the others lightly edited; spans of the kept lines."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    out, spans, pos, src = [], [], 0, 0
    for i, line in enumerate(lines):
        if i % 4 == 1 and len(line) > 30:
            new = "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(len(line))) + "。"
        else:
            new = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), line).replace("我区", "我县").replace(
                "全区", "全县")
            if len(new) > 60 and rng.random() < 0.5:
                k = rng.randrange(10, len(new) - 10)
                new = new[:k] + "某" + new[k + 1:]
            if len(line) >= 40:
                spans.append((pos, pos + len(new), src, src + len(line)))
        out.append(new)
        pos += len(new) + 1
        src += len(line) + 1
    return "\n".join(out), spans


def test_sample_against_itself_with_edits():
    original = SAMPLE.read_text(encoding="utf-8")
    edited, spans = _edited_sample(random.Random(0))
    corpus = _corpus([("changjiang-2021", original, 2021, "区", "昌江区", "360202"),
                      ("fuliang-2022", edited, 2022, "县", "浮梁县", "360222")])
    pairs = find_reuse(corpus)
    assert set(pairs["doc_id"]) == {"fuliang-2022"} and set(pairs["relation"]) == {"other"}
    truth = pd.DataFrame([dict(doc_id="fuliang-2022", start=a, end=b, source_doc_id="changjiang-2021",
                               source_start=c, source_end=d) for a, b, c, d in spans])
    recall, precision = match_rates(pairs, truth)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
    shares = reuse_shares(pairs, corpus).set_index("doc_id")
    copied = sum(b - a for a, b, _, _ in spans) / len(edited)
    assert shares.loc["changjiang-2021", "reused_share"] == 0
    assert shares.loc["fuliang-2022", "main_source"] == "changjiang-2021"
    assert abs(shares.loc["fuliang-2022", "other_share"] - copied) < 0.08
    assert shares.loc["fuliang-2022", "own_share"] == 0 and shares.loc["fuliang-2022", "higher_share"] == 0


def test_reuse_shares_union_of_spans_by_relation():
    pairs = pd.DataFrame([
        dict(doc_id="t", start=0, end=50, source_doc_id="own", relation="own", year=2021, source_year=2020),
        dict(doc_id="t", start=40, end=80, source_doc_id="prov", relation="higher", year=2021, source_year=2021),
        dict(doc_id="t", start=90, end=100, source_doc_id="other", relation="other", year=2021,
             source_year=2019),
        dict(doc_id="t", start=0, end=10, source_doc_id="peer", relation="peer", year=2021, source_year=2021),
    ])
    corpus = pd.DataFrame({"doc_id": ["t", "u"], "chars": [200, 100]})
    shares = reuse_shares(pairs, corpus)
    assert list(shares.columns) == SHARE_COLUMNS
    t = shares.set_index("doc_id").loc["t"]
    assert t["reused_share"] == 0.45            # [0, 80) ∪ [90, 100) = 90 of 200
    assert t["main_source"] == "own" and t["main_source_share"] == 0.25
    assert (t["own_share"], t["own_source"]) == (0.25, "own")
    assert (t["other_share"], t["other_source"]) == (0.05, "other")   # the province's is the same year
    assert (t["higher_share"], t["higher_source"]) == (0.2, "prov")
    assert (t["peer_share"], t["peer_source"]) == (0.05, "peer")
    u = shares.set_index("doc_id").loc["u"]
    assert u["reused_share"] == 0 and u["main_source"] == ""


PEERS = [["s", "t", "peer"], ["t", "s", "peer"]]


@pytest.mark.parametrize("level_s,level_t,want", [
    ("省", "市", [["t", "s", "higher"]]), ("市", "县", [["t", "s", "higher"]]), ("市", "区", [["t", "s", "higher"]]),
    ("区", "乡镇", [["t", "s", "higher"]]), ("县", "区", PEERS), ("县", "县", PEERS), ("", "县", PEERS),
    # core.levels: a department is above nothing, and a government is above a department
    ("部门", "县", [["s", "t", "higher"]]), ("部门", "部门", PEERS)])
def test_same_year_relation_follows_core_levels(level_s, level_t, want):
    corpus = _corpus([("s", X + A + B, 2021, level_s, "甲地", "1"), ("t", Y + A + B, 2021, level_t, "乙地", "2")])
    assert find_reuse(corpus)[["doc_id", "source_doc_id", "relation"]].values.tolist() == want


def test_shingle_hashes():
    hashes, owner = shingle_hashes(["甲乙丙丁", "乙丙丁", "甲"], k=3)
    assert owner.tolist() == [0, 0, 1, 2]
    assert hashes[1] == hashes[2]                 # 乙丙丁 in both texts
    assert len(np.unique(hashes)) == 3


@pytest.mark.parametrize("kwargs,message", [({"min_similarity": 0}, "min_similarity"),
                                            ({"min_chars": 2}, "min_chars"),
                                            ({"relations": ("own", "cousin")}, "relations must be one of")])
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        find_reuse(_corpus([("a", A, 2020, "县", "甲", "1")]), **kwargs)


def test_reuse_shares_bad_basis():
    with pytest.raises(ValueError, match="basis must be one of chars, text"):
        reuse_shares(find_reuse(_corpus([("a", A, 2020, "县", "甲", "1")])), pd.DataFrame({"doc_id": ["a"]}),
                     basis="words")


def test_cli_reuse_from_report_files(tmp_path, monkeypatch, capsys):
    from lawgov_analysis.cli import main

    monkeypatch.setenv("LAWGOV_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("景德镇市2020年法治政府建设工作情况报告\n" + A + B + C + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("浮梁县2021年法治政府建设工作情况报告\n" + X + A + B + "\n", encoding="utf-8")
    assert main(["reuse", str(folder), "--out", str(tmp_path / "reuse.csv"), "--shares",
                 str(tmp_path / "shares.csv")]) == 0
    pairs = pd.read_csv(tmp_path / "reuse.csv")
    assert list(pairs.columns) == PAIR_COLUMNS
    assert pairs[["doc_id", "source_doc_id", "sentences"]].values.tolist() == [["b", "a", 2]]
    assert pd.read_csv(tmp_path / "shares.csv")["doc_id"].tolist() == ["a", "b"]
    assert "1 reused passages in 1 of 2 reports" in capsys.readouterr().out


def test_normalisation_matches_python_regex_on_unicode_spaces_and_digits():
    # Arrow's RE2 reads \s and \d as ASCII; the normalisation spells out Python's Unicode classes, and the
    # look-behind of 我市 as a kept group: the result equals the Python-regex normalisation it replaced
    from lawgov_analysis.analysis.reuse_units import normalise_text

    texts = pd.Series(["我市市 全本市\u3000 １２.５％ \u0661\u0662.\u0663 a\u2028b\u0085c 本全县  我县x 3.14.15 ..5 5.",
                       None, "", "\x1c\xa0我省\u1680全局3", "本委员会 我区区 ２０２１年", "\u0966\u0967\u0968 \t\n"],
                      name="text")
    for mask in (True, False):
        expected = texts.astype("string").fillna("").str.normalize("NFKC")
        expected = expected.map(lambda t: re.sub(r"\s+", "", t)).map(
            lambda t: re.sub(r"(?<=[我全本])[省市区县镇乡旗局委]", "□", t))
        if mask:
            expected = expected.map(lambda t: re.sub(r"\d+(?:\.\d+)?", "0", t))
        got = normalise_text(texts, mask)
        assert got.tolist() == expected.astype(str).tolist()
        assert got.name == "text" and str(got.dtype) == "string"
    assert normalise_text(texts, True).tolist()[:2] == ["我□市全本□0%0abc本全□我□x0.0..0.", ""]
