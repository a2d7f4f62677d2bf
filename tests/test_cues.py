"""Cue words (resources/cues.toml): one list of each kind, no duplicates, every entry can match, and the
patterns the extractor, panel and audit share read them as the merged rules say."""

from __future__ import annotations

import re
import tomllib

import pytest

from lawgov_analysis.core.cues import load_cues, word_pattern
from lawgov_analysis.core.delimiters import BRACKET_PAIRS, CLOSERS, QUOTE_PAIRS, TITLE_PAIRS
from lawgov_analysis.core.resources import resource_text

CUES = load_cues()
DATA = tomllib.loads(resource_text("cues.toml"))
LISTS = [(kind, key, words) for kind, table in DATA.items() for key, words in table.items()
         if isinstance(words, list)]


def test_header_says_what_and_where_from():
    head = resource_text("cues.toml").split("\n\n")[0]
    assert head.startswith("# Cue words") and "Where from:" in head


@pytest.mark.parametrize(("kind", "key", "words"), LISTS, ids=[f"{k}.{x}" for k, x, _ in LISTS])
def test_lists_are_sorted_without_duplicates(kind, key, words):
    assert words == sorted(set(words)) and all(w.strip() == w and w for w in words)


@pytest.mark.parametrize("kind", [k for k in DATA if "never_after" in DATA[k] or "never_before" in DATA[k]])
def test_context_exceptions_name_listed_words(kind):
    listed = set(DATA[kind]["words"] if "words" in DATA[kind] else DATA[kind]["before"])
    for key in ("never_after", "never_before"):
        for word, context in DATA[kind].get(key, {}).items():
            assert word in listed and context == sorted(set(context))


# where each list is read: (kind, key) → (pattern, how an entry is written in text)
READERS = {
    ("total", "words"): (CUES.total, "{}"), ("whole_period", "words"): (CUES.total_cue, "{}"),
    ("change", "base"): (CUES.comparison, "{}增长"), ("change", "up"): (CUES.up, "{}"),
    ("change", "down"): (CUES.down, "{}"), ("change", "more"): (CUES.comparison, "比去年{}"),
    ("change", "less"): (CUES.comparison, "较上年{}"), ("change", "up_rate"): (CUES.comparison, "{}"),
    ("change", "down_rate"): (CUES.comparison, "{}"), ("hedge", "before"): (CUES.hedge_before, "{}"),
    ("hedge", "after"): (re.compile(CUES.hedge_after), "{}"), ("hedge", "bound"): (re.compile(CUES.hedge_bound), "{}"),
    ("target", "words"): (CUES.target, "{}"), ("target", "will"): (CUES.target, "将{}"),
    ("target", "future"): (CUES.future, "{}"), ("rule", "words"): (CUES.rule, "{}"),
    ("rule", "every"): (CUES.rule, "每{}"),
    ("publication", "words"): (CUES.publication_date, "{}：2022-03-30"),
}


def test_every_list_has_a_reader():
    assert set(READERS) == {(kind, key) for kind, key, _ in LISTS}


@pytest.mark.parametrize(("kind", "key", "word"), [(k, x, w) for k, x, ws in LISTS for w in ws])
def test_every_entry_can_match(kind, key, word):
    pattern, written = READERS[(kind, key)]
    text = written.format(word)
    found = [m.group(0) for m in pattern.finditer(text)]
    assert text in found or word in found


@pytest.mark.parametrize(("text", "total", "total_cue"), [
    ("全区共受理", True, True), ("累计培训", True, True), ("总共办理", True, True), ("共有律师", True, True),
    ("全年受理", False, True),
    ("公共法律服务", False, False), ("中共党员", False, False), ("共同推进", False, False),
    ("中华人民共和国", False, False), ("共筑平安", False, False), ("共享数据", False, False),
])
def test_total_cues_merged(text, total, total_cue):
    # one list for the extractor (total) and the panel (total_cue = total + 全年): 共和 and 共筑 are not cues
    assert (CUES.total.search(text) is not None, CUES.total_cue.search(text) is not None) == (total, total_cue)


@pytest.mark.parametrize(("before", "wording"), [
    ("同比增长", "同比增长"), ("较上年减少", "较上年减少"), ("比2020年多", "比2020年多"), ("比去年多出", "比去年多出"),
    ("较上一年度下降了", "较上一年度下降了"), ("增幅为", "增幅为"), ("同比分别下降", "同比分别下降"), ("下滑", "下滑"),
    ("全区共", None), ("多", None),
])
def test_comparison_wording(before, wording):
    m = CUES.comparison.search(before)
    assert (m.group("cmp") if m else None) == wording


@pytest.mark.parametrize(("text", "hedge"), [("近", "近"), ("最近", None), ("节约", None), ("赶超", None), ("将近", "将近"),
                                             ("超过", "超过"), ("大约", "大约"), ("附近", None)])
def test_hedge_before(text, hedge):
    m = CUES.hedge_before.search(text)
    assert (m.group(0) if m else None) == hedge


def test_target_and_rule():
    assert CUES.target.search("力争完成") and CUES.target.search("将于2025年建成") and CUES.target.search("将新增")
    assert not CUES.target.search("目标管理") and not CUES.target.search("计划生育")
    assert CUES.rule.search("每年") and CUES.rule.search("确保不少于") and not CUES.rule.search("年内每年")


def test_word_pattern_orders_longest_first():
    assert re.fullmatch(word_pattern(["共", "共计"]), "共计")
    assert word_pattern(["目标"], never_before={"目标": ["管理", "任务"]}) == "(?:目标(?!任务|管理))"


def test_a_user_file_without_a_table_is_named(tmp_path):
    path = tmp_path / "cues.toml"
    path.write_text('[total]\nwords = ["共"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues\.toml: no \[whole_period\]"):
        load_cues(path)
    path.write_text("[total\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid cue word file"):
        load_cues(path)


def test_user_file_with_the_same_tables_loads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(resource_text("cues.toml").replace('words = ["全年"]', 'words = ["全年", "年度"]'), encoding="utf-8")
    mine = load_cues(path)
    assert mine.total_cue.search("年度受理") and not CUES.total_cue.search("年度受理")


def test_bracket_pairs_are_one_table():
    assert BRACKET_PAIRS == {**TITLE_PAIRS, **QUOTE_PAIRS, "（": "）", "(": ")", "【": "】", "[": "]"}
    assert {v: k for k, v in CLOSERS.items()} == BRACKET_PAIRS
    assert len(set(BRACKET_PAIRS) | set(CLOSERS)) == 2 * len(BRACKET_PAIRS)


@pytest.mark.parametrize(("text", "date"), [
    ("发布时间：2022-03-30 09:18", ("2022", "03", "30")), ("成文日期:2021年4月2日", ("2021", "4", "2")),
    ("发布于 2020.12.01", ("2020", "12", "01")), ("日期：2023年3月", ("2023", "3", None)),
])
def test_one_publication_date_line_for_metadata_and_fetch(text, date):
    m = CUES.publication_date.search(text)
    assert (m.group("year"), m.group("month"), m.group("day")) == date
