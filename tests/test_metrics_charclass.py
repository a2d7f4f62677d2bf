"""The table-lookup offsets of measures.charclass give what one regular-expression pass per delimiter set gives,
and the batched and cached paths of the extractor give what the report-by-report path gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.core.delimiters import PHRASE_DELIMS, SENTENCE_DELIMS
from lawgov_analysis.measures import indicator_features as features
from lawgov_analysis.measures import indicator_model as im
from lawgov_analysis.measures.charclass import (
    MODEL_CLAUSE_STOPS,
    MODEL_SENTENCE_STOPS,
    bounds,
    delimiter_offsets,
    first_char_lookahead,
    meets_run,
    model_offsets,
)
from lawgov_analysis.measures.mentions import scan_mentions
from lawgov_analysis.measures.metrics import clear_caches, extract_metrics
from tests.corpus_factory import corpus_table

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reports" / "changjiang-2021.txt"
_DIGITS_RE = re.compile(r"[0-9０-９]+(?:[.,，][0-9０-９]+)*")


def _by_regex(text: str) -> tuple[list[int], list[int], list[int]]:
    """Phrase, clause and sentence delimiter offsets as the scanner found them before (one pass per set)."""
    narrow = [m.start() for m in re.finditer("[" + re.escape(PHRASE_DELIMS) + "]", text)]
    drop = {m.start() + 1 for m in re.finditer("[０-９]，(?=[０-９])", text)}
    drop |= {i for i in range(1, len(text) - 1) if text[i] == "," and text[i - 1].isdigit() and text[i + 1].isdigit()}
    narrow = [i for i in narrow if i not in drop]
    return narrow, [i for i in narrow if text[i] != "、"], \
        [m.start() for m in re.finditer("[" + re.escape(SENTENCE_DELIMS) + "]", text)]


def _texts() -> list[str]:
    rng = random.Random(7)
    alphabet = "12３４,，.。、；;：:！？!?\n案件共计万余人次" + "٣"  # ٣ (Arabic-Indic three) is a digit to str.isdigit
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    return [SAMPLE.read_text(encoding="utf-8"), "𠀀3,5𠀀", "3,٣", "５，２３６件，共3,256人。", ""] + fuzz


def test_delimiter_offsets_are_those_of_one_regex_pass_per_set():
    for text in _texts():
        assert delimiter_offsets(text) == _by_regex(text), text


def test_model_offsets_are_the_stops_line_breaks_and_digit_runs():
    for text in _texts():
        clause, sentence, lines, run_starts, run_ends = (a.tolist() for a in model_offsets(text))
        assert clause == [i for i, ch in enumerate(text) if ch in MODEL_CLAUSE_STOPS]
        assert sentence == [i for i, ch in enumerate(text) if ch in MODEL_SENTENCE_STOPS]
        assert lines == [i for i, ch in enumerate(text) if ch == "\n"]
        assert run_starts == [m.start() for m in _DIGITS_RE.finditer(text)], text
        assert run_ends == [m.end() for m in _DIGITS_RE.finditer(text)], text


def test_bounds_and_meets_run_are_what_bisection_gives():
    offsets = np.array([3, 9, 10, 20])
    starts, ends = np.array([0, 4, 10, 11, 25]), np.array([2, 8, 10, 15, 26])
    k, lo, hi = bounds(offsets, starts, ends, 30)
    assert k.tolist() == [0, 1, 2, 3, 4] and lo.tolist() == [0, 4, 10, 11, 21] and hi.tolist() == [3, 9, 10, 20, 30]
    k, lo, hi = bounds(np.array([], dtype=np.int64), starts, ends, 30)
    assert k.tolist() == [0] * 5 and lo.tolist() == [0] * 5 and hi.tolist() == [30] * 5
    runs = (np.array([2, 12]), np.array([5, 14]))
    assert meets_run(*runs, np.array([0, 5, 4, 14, 11, 3]), np.array([2, 12, 5, 20, 11, 4])) == \
        [False, False, True, False, False, True]


def test_first_char_lookahead_keeps_the_matches_of_the_rule_terms():
    rx, _ids = im._term_index()
    assert rx.pattern.startswith("(?=[")  # the bundled terms all start with a known character
    plain = re.compile(rx.pattern[rx.pattern.index("])") + 2:])
    text = SAMPLE.read_text(encoding="utf-8")
    assert [(m.span(), m.lastgroup) for m in rx.finditer(text)] == \
        [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    assert first_char_lookahead("(?:审结|办结)案件|(?<!网民)学法") == "(?=[办学审])"
    for unknown in (".{0,3}案件", "(?:处罚)?", r"\d+件", "(?i)app", "[^案]件", "(?=案)件", "(?P<x>案)?(?P=x)件", "^案"):
        assert first_char_lookahead(unknown) == "", unknown


def test_feature_rows_of_a_batch_are_those_of_each_report():
    corpus = corpus_table("panel")[["doc_id", "text"]]
    reports = [(t, [(m.start, m.end, m.unit) for m in scan_mentions(t)]) for t in corpus["text"]]
    reports.insert(2, ("没有数字的报告。", []))
    reports.insert(3, ("", []))
    one_by_one = [row for text, spans in reports for row in features.feature_rows(text, spans)]
    assert features.feature_rows_many(reports) == one_by_one
    assert len(one_by_one) == sum(len(s) for _t, s in reports) > 100


@pytest.mark.parametrize("chunk", [1, 7])
def test_chunks_with_kept_caches_give_the_table_of_one_call(chunk):
    corpus = corpus_table("panel")[["doc_id", "text"]]
    clear_caches()
    whole = extract_metrics(corpus)
    parts = pd.concat([extract_metrics(corpus.iloc[i:i + chunk]) for i in range(0, len(corpus), chunk)],
                      ignore_index=True)
    pd.testing.assert_frame_equal(parts, whole)
