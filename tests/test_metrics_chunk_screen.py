"""The scanner reads a chunk of texts at once (issue 19): the exclusion screen of the joined texts lets through
every candidate a rule rules out, the chunk gives each text's mentions, the possessive number pattern gives the
same matches, and the structure tables give the same report structures in any row order."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.measures import mentions as mm
from lawgov_analysis.measures.charclass import code_points, word_starts
from lawgov_analysis.measures.exclusions import (
    CHINESE_WINDOW,
    EXCLUSION_RULES,
    Candidate,
    ChunkScreen,
    first_exclusion,
    may_be_excluded,
)
from lawgov_analysis.measures.indicator_training import read_blind_set
from lawgov_analysis.measures.metrics import _structures
from lawgov_analysis.measures.units import NUMBER, NUMBER_LED, NUMBER_SCAN
from lawgov_analysis.text.structure import sections, sentences
from tests.corpus_factory import corpus_table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "data" / "reports" / "changjiang-2021.txt").read_text(encoding="utf-8")
BLIND = read_blind_set(ROOT / "tests" / "data" / "indicators_blind.toml")[0]["text"].tolist()
# what the rules look at, written around numbers (each rule fires on one of these)
FIXTURES = [
    "第八批共3件，第 5名；十四届三次全会；PM2.5，12·4，7×24小时，1+2件，0798-8221234个",
    "1 人员名单\n3 件事项\n排名前3位，位列\n2名；浏览次数：1234次，点击量56次",
    "印发《关于加强5项工作的意见》和“三项制度”、“12件”，『7件』〈8件〉",
    "100人以上的企业，处2000元以上10000元以下罚款，不满5万元，24小时自助，15分钟法律服务圈",
    "每10万人，10时30分，满分100分，总分90分，每月至少开展一次，每年不少于2次，不超过15日",
    "十分重视，千家万户，三门峡市，一五一十分，一批，二次开发，召开会议一次。百万网民，数十家，上百人，成千",
    "四个意识，三项制度，九类犯罪嫌疑人，两所一庭，三支一扶，一案一卷，两个维护，二期工程，新建三个工作站",
]


def _candidates(text: str):
    for m in mm._MENTION_SCAN_RE.finditer(text):
        num, sep, num2, q1, mult, q2, ub, unit, ua, q3 = m.groups()
        value = mm.number_value(num)
        if value is None:
            continue
        start, end = m.span()
        spaced = text[start + len(num):start + len(num) + 1] in (" ", "\u3000")
        yield Candidate(text, start, end, num, value, unit, q1, q2, q3, spaced, num[0] in mm.CN_NUMERAL_CHARS)


@pytest.mark.parametrize("joined", [False, True])
def test_the_chunk_screen_lets_every_ruled_out_candidate_through(joined):
    texts = [*FIXTURES, SAMPLE, *BLIND[:40]]
    general = [r for r in EXCLUSION_RULES if r.name not in ("article", "bare_power", "vague", "named_set",
                                                            "numeral_compound", "parallel", "concept", "phase")]
    big = "\n".join(texts)
    screen = ChunkScreen(big) if joined else None
    base, fired = 0, set()
    for text in texts:
        own = screen if joined else ChunkScreen(text)
        at0 = base if joined else 0
        for c in _candidates(text):
            may = own.may_fire(text, at0 + c.start, c.start, c.end, c.num, c.unit, c.q3, c.space_after_num)
            for rule in general:
                if rule.test(text, c):
                    fired.add(rule.name)
                    assert may, (rule.name, text[max(0, c.start - 10):c.end + 10])
            # the same first rule as without the screen
            assert first_exclusion(text, c, general=may) is first_exclusion(text, c)
            if not c.chinese:  # never more open than the per-candidate screen says
                assert may <= may_be_excluded(text, c.start, c.end, c.num, c.unit, c.q3, c.space_after_num, False)
        base += len(text) + 1
    assert {"ordinal", "session", "code", "leading_zero", "list_marker", "rank", "furniture", "enclosed",
            "threshold", "statute", "time_slogan", "per_or_scale", "rule_clause", "lexical"} <= fired


def test_a_chunk_gives_the_mentions_of_each_text():
    texts = [*FIXTURES, SAMPLE, *BLIND, *corpus_table("bench", size=4)["text"]]
    chunk = mm.scan_reports(texts)
    for text, got in zip(texts, chunk):
        assert got == mm.scan_mentions(text)
    assert sum(map(len, chunk)) > 900


def test_possessive_and_led_numbers_give_the_same_matches():
    plain = re.compile(f"(?=[0-9０-９{mm.CN_NUMERAL_CHARS}])" + mm._MENTION_RE.pattern, re.VERBOSE)
    # the scan pattern: the first number led by its first character (NUMBER_LED), the second possessive
    # (NUMBER_SCAN), the unit behind a look-ahead of its first characters
    assert mm._MENTION_SCAN_RE.pattern.startswith(f"\n    (?P<num>{NUMBER_LED})")
    assert NUMBER not in mm._MENTION_SCAN_RE.pattern and NUMBER_SCAN in mm._MENTION_SCAN_RE.pattern
    odd = ("12,3456件 1234,567件 ５，２３６人 3.5.6万元 1.5万3千人 2021年5月 3-五件 5万4千6百年 00123人 12，345次 "
           "１２３４，５６７件 ９８７６５人 三十万元 一千二百余人 两千万元 十点五% 百分之九十 二〇二一年三件 五六七八件 "
           "１.５万元 1２3人 3千万元 4万元 五万人次 七八十人 1,234,567元 12,34件")
    for text in [odd, *FIXTURES, SAMPLE, *BLIND]:
        assert [(m.span(), m.groups()) for m in mm._MENTION_SCAN_RE.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)]


def test_word_starts_are_every_occurrence():
    text = "一五一十分，不少于不超过至少每年，三门峡三门县"
    words = ["十分", "一五一十", "不超过", "至少", "每", "三门峡", "三门县", "门"]
    expected = sorted({m.start() for w in words for m in re.finditer(f"(?={re.escape(w)})", text)})
    assert word_starts(code_points(text), words).tolist() == expected
    assert word_starts(code_points(""), words).tolist() == []


def test_structures_are_the_same_in_any_row_order():
    corpus = corpus_table("bench", size=5)[["doc_id", "text"]]
    secs = sections(corpus)
    sents = sentences(corpus, sections_table=secs)
    expected = _structures(corpus, secs, sents)
    rng = np.random.default_rng(0)
    shuffled = _structures(corpus, secs.iloc[rng.permutation(len(secs))],
                           sents.iloc[rng.permutation(len(sents))])
    assert shuffled == expected and len(expected) == 5
    one = expected[corpus["doc_id"][0]]
    assert one.starts == sorted(one.starts) and len(one.headings) == len(secs[secs["doc_id"] == corpus["doc_id"][0]])
    # a missing section id is kept as it is read
    sents2 = sents.assign(section_id=pd.Series([None] + sents["section_id"].tolist()[1:], dtype="str"))
    first = _structures(corpus, secs, sents2)[sents2["doc_id"][0]]
    assert pd.isna(first.section_ids[0]) and first.section_ids[1:] == expected[sents2["doc_id"][0]].section_ids[1:]


def test_the_rules_for_chinese_numerals_read_only_their_window():
    back, on = CHINESE_WINDOW
    checked = 0
    for text in [*FIXTURES, SAMPLE[:20000], *BLIND]:
        for c in _candidates(text):
            if not c.chinese:
                continue
            lo, hi = max(0, c.start - back), c.end + on
            for filler in ("每", "第", "新建"):  # what would change a rule's answer if it were read
                other = filler * lo + text[lo:hi] + filler * max(0, len(text) - hi)
                other = other[:lo] + text[lo:hi] + other[lo + len(text[lo:hi]):]
                moved = Candidate(other, c.start, c.end, c.num, c.value, c.unit, c.q1, c.q2, c.q3,
                                  c.space_after_num, True)
                assert first_exclusion(other, moved, general=False) is first_exclusion(text, c, general=False)
            checked += 1
    assert checked > 30
