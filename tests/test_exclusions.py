"""Exclusion rules: each named rule leaves out what the spec says, and says why (explain_exclusions)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis.measures.exclusions import (
    EXCLUSION_RULES,
    SCANNER_CHECKS,
    Candidate,
    TextScreen,
    exclusion_rules,
    first_exclusion,
    may_be_excluded,
)
from lawgov_analysis.measures.metrics import EXCLUSION_COLUMNS, explain_exclusions, extract_metrics

from .corpus_factory import corpus_spec


def _one(text: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": pd.Series(["doc"], dtype="str"), "text": pd.Series([text], dtype="str")})


# text, excluded surface, rule, reason
CASES = [
    ("第八批共3件", "八批", "ordinal", "ordinal"),
    ("十四届三次全会召开", "三次", "session", "ordinal"),
    ("提供7×24小时服务", "24小时", "code", "date or code"),
    ("登记代码003项", "003项", "leading_zero", "document number"),
    ("\n3 家单位参加", "3 家", "list_marker", "list marker"),
    ("综合考评排名前3位", "3位", "rank", "rank"),
    ("浏览次数：1234次", "1234次", "furniture", "page furniture"),
    ("印发《关于加强5项工作的意见》", "5项", "enclosed", "title or quotation"),
    ("深化“三项制度”改革", "三项", "enclosed", "title or quotation"),
    ("5000元以上的案件", "5000元以上", "threshold", "threshold"),
    ("处2000元以上10000元以下罚款", "2000元以上", "statute", "statutory bound"),
    ("提供24小时自助服务", "24小时", "time_slogan", "slogan"),
    ("每10万人拥有律师3名", "10万人", "per_or_scale", "rate or scale"),
    ("每年不少于2次", "2次", "rule_clause", "target"),
    ("走进千家万户", "千家", "lexical", "lexicalised word"),
    ("开展一批活动", "一批", "article", "article or ordinal"),
    ("服务万人以上。", "万人以上", "bare_power", "vague quantity"),
    ("走访数十家企业", "十家", "vague", "vague quantity"),
    ("增强四个意识", "四个", "named_set", "named concept"),
    ("实行三人一组", "三人", "numeral_compound", "named concept"),
    ("推行一乡两所。", "两所", "parallel", "slogan"),
    ("选出两名代表", "两名", "concept", "named concept"),
    ("建设三期项目", "三期", "phase", "phase"),
    ("受理5-3件", "5-3件", "range_order", "not a range"),
    ("受理3-五件", "3-五件", "range_mixed", "not a range"),
    ("投入99999999万亿元", "99999999万亿元", "too_large", "not a number"),
]


@pytest.mark.parametrize(("text", "surface", "rule", "reason"), CASES)
def test_rule_leaves_the_number_out_and_says_why(text, surface, rule, reason):
    got = explain_exclusions(_one(text))
    row = got[got["surface"] == surface]
    assert row[["rule", "reason"]].values.tolist() == [[rule, reason]]
    start = int(row["start"].iloc[0])
    assert text[start:int(row["end"].iloc[0])] == surface
    mentions = extract_metrics(_one(text))
    assert not ((mentions["start"] <= start) & (start < mentions["end"])).any()


def test_every_rule_has_a_case():
    assert {r.name for r in EXCLUSION_RULES} <= {c[2] for c in CASES}


def test_rule_table():
    table = exclusion_rules()
    assert list(table.columns) == ["rule", "reason", "description", "numerals"]
    assert table["rule"].is_unique and (table["reason"] != "").all() and (table["description"] != "").all()
    assert table["rule"].tolist() == [r.name for r in EXCLUSION_RULES] + [c[0] for c in SCANNER_CHECKS]
    assert set(table["numerals"]) == {"any", "chinese", "scanner"}


def test_numbers_without_a_unit_are_dates_or_unitless():
    got = explain_exclusions(_one("2021年，我区完成12项改革，电话0798-8221234。"))
    assert got[["surface", "rule", "reason"]].values.tolist() == [
        ["2021", "no_unit", "date"], ["0798", "no_unit", "no unit"], ["8221234", "no_unit", "no unit"]]


def test_a_counted_number_is_not_explained():
    assert explain_exclusions(_one("全区共受理案件4860件。")).empty


def test_explain_a_multi_report_corpus():
    corpus = pd.DataFrame(corpus_spec("panel", size=6))[["doc_id", "text"]]
    got = explain_exclusions(corpus)
    assert list(got.columns) == EXCLUSION_COLUMNS
    assert set(got["doc_id"]) == set(corpus["doc_id"])
    assert got.equals(got.sort_values(["doc_id", "start", "end"], kind="mergesort").reset_index(drop=True))
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    assert all(texts[d][s:e] == surf for d, s, e, surf in zip(got["doc_id"], got["start"], got["end"], got["surface"]))
    # the same report alone gives the same rows
    first = corpus.iloc[:1]
    alone = explain_exclusions(first)
    pd.testing.assert_frame_equal(alone, got[got["doc_id"] == first["doc_id"].iloc[0]].reset_index(drop=True))


def test_explain_needs_a_report_table():
    with pytest.raises(TypeError, match="load_corpus"):
        explain_exclusions("第八批")


# ------------------------------------------------------------------------------------- the per-text screen
SAMPLE_TEXT = (Path(__file__).resolve().parents[1] / "data" / "reports" / "changjiang-2021.txt").read_text(
    encoding="utf-8")
SCREEN_FIXTURES = [
    "印发《关于加强5项工作的意见》和“三项制度”，共3件",
    "“" + "字" * 21 + "5件”“" + "字" * 22 + "5件”",  # closed 24 characters after the opener, and 25
    "《未闭合的标题5件，后面还有3件",  # an opener without its closer
    "“甲《乙5件》丙”丁“戊‘己6件’”7件",  # nested pairs
    "」5件「6件」『7件』〈8件〉《" + "字" * 118 + "9件》",  # every pair, a title at the window's end
]


def _candidate(text: str, pos: int, num: str = "5", unit: str = "件", chinese: bool = False) -> Candidate:
    return Candidate(text, pos, pos + 1, num, 5.0, unit, None, None, None, False, chinese)


@pytest.mark.parametrize("text", [*SCREEN_FIXTURES, SAMPLE_TEXT])
def test_screen_enclosed_is_the_enclosed_rule_at_every_offset(text):
    enclosed = next(r for r in EXCLUSION_RULES if r.name == "enclosed")
    screen = TextScreen(text)
    got = [screen.enclosed(pos) for pos in range(len(text) + 1)]
    assert got == [enclosed.test(text, _candidate(text, pos)) for pos in range(len(text) + 1)]
    assert any(got) == ("未闭合" not in text)


def test_screen_enclosed_fixture_offsets():
    text = SCREEN_FIXTURES[1]
    screen = TextScreen(text)
    first, second = text.index("5"), text.index("5", text.index("5") + 1)
    assert screen.enclosed(first) and not screen.enclosed(second)


@pytest.mark.parametrize("num,unit,chinese", [("5", "件", False), ("05", "次", False), ("三", "项", True),
                                              ("24", "小时", False), ("十", "名", True)])
def test_first_exclusion_is_the_same_with_the_screen(num, unit, chinese):
    texts = [*SCREEN_FIXTURES, SAMPLE_TEXT[:6000]]
    fired = set()
    for text in texts:
        screen = TextScreen(text)
        for pos in range(len(text)):
            c = _candidate(text, pos, num, unit, chinese)
            rule = first_exclusion(text, c)
            assert first_exclusion(text, c, screen) is rule, (text[max(0, pos - 10):pos + 10], rule)
            if rule is not None:  # the quick screen never lets a candidate a rule leaves out through
                assert may_be_excluded(text, pos, pos + 1, num, unit, None, False, chinese, screen)
                assert may_be_excluded(text, pos, pos + 1, num, unit, None, False, chinese)
            fired.add(rule.name if rule else None)
    assert len(fired) >= 3  # several rules (or none) decide across the offsets
