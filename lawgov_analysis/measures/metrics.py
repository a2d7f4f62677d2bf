"""The metric table: every quantity a report states as a result, with value, unit, hedge and indicator.

The rules follow ``docs/spec/metric-mentions.md``: a *metric mention* is a number (Arabic or Chinese numerals,
with 万/亿 multipliers) attached to a measure word or unit (件 人 次 场 … 元 %) that counts or measures what
was done. Dates, ordinals, list markers, slogans and named concepts (三项制度, 四个意识), ages and thresholds,
document titles, vague quantities (一批, 一站式), ranks and page furniture are left out — each by a named rule
(:mod:`lawgov_analysis.measures.exclusions`); :func:`explain_exclusions` shows which rule left out which number.
Each mention gets a canonical ``indicator_id`` (:mod:`lawgov_analysis.measures.indicators`).

The work is split by job: :mod:`~lawgov_analysis.measures.mentions` (the scanner), :mod:`.exclusions`,
:mod:`.indicators` and :mod:`.evaluate` (scoring against gold files).

Functions
---------
extract_metrics(corpus)      the report table → the metric table
explain_exclusions(corpus)   every number + unit run that is not a mention, with the rule and reason
clear_caches()               empty the per-process caches (for timing texts never seen)
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import operator
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..core.validate import check_columns
from .indicator_checks import clear_cache as checks_clear_cache
from .indicator_model import default_model, predict_reports
from .indicators import (
    IndicatorClassifier,
    ReportStructure,
    classify_mentions,
    load_indicator_rules,
    model_allowed,
)
from .mentions import Excluded, Mention, scan_mentions, scan_reports
from .mentions import clear_caches as scanner_clear_caches

__all__ = ["EXCLUSION_COLUMNS", "METRIC_COLUMNS", "clear_caches", "explain_exclusions", "extract_metrics"]

#: Columns of the metric table, in order.
METRIC_COLUMNS = ["doc_id", "section_id", "sentence_id", "start", "end", "surface", "value", "value_max", "unit",
                  "qualifier", "indicator", "indicator_id", "comparison", "direction", "comparison_text"]
_DTYPES = {"doc_id": "str", "section_id": "str", "sentence_id": "Int64", "start": "int64", "end": "int64",
           "surface": "str", "value": "float64", "value_max": "float64", "unit": "str", "qualifier": "str",
           "indicator": "str", "indicator_id": "str", "comparison": "str", "direction": "str",
           "comparison_text": "str"}
#: Columns of :func:`explain_exclusions`, in order.
EXCLUSION_COLUMNS = ["doc_id", "start", "end", "surface", "rule", "reason"]

# the fields of a Mention that become columns, each read by its own pass over the mentions (a third cheaper than
# one tuple per mention transposed)
_FIELDS = tuple(map(operator.attrgetter, ("start", "end", "value", "value_max", "unit", "qualifier", "indicator",
                                          "indicator_id", "comparison", "direction")))
_ARABIC_RUN_RE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_DATE_AFTER = ("年", "月", "日", "号", "时")


def clear_caches() -> None:
    """Empty the extractor's per-process caches: phrases, numbers and units of the scanner, who reports each text
    opening, the bundled indicator rules' matches and the learned indicator component's predictions (a fitted model
    stays fitted). Results do not change; benchmarks call it to time texts as if never seen (a build's workers keep
    their caches from one chunk to the next)."""
    scanner_clear_caches()
    checks_clear_cache()
    _bundled_classifier.cache_clear()
    if default_model.cache_info().currsize:
        default_model().clear_cache()


@functools.lru_cache(maxsize=1)
def _bundled_classifier() -> IndicatorClassifier:
    """The classifier of the bundled rules, kept by the process: its caches (which rules match a phrase, a clause,
    a sentence) carry over from one call to the next, as a build calls the extractor once per chunk."""
    return IndicatorClassifier(load_indicator_rules(None))


def _as_corpus(corpus: pd.DataFrame) -> pd.DataFrame:
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    return corpus


def _structures(corpus: pd.DataFrame, sections: pd.DataFrame | None,
                sentences: pd.DataFrame | None) -> dict[str, ReportStructure]:
    """Each report's sentences and headings, from the given tables or from :mod:`lawgov_analysis.text.structure`."""
    if sections is None and sentences is None:
        doc_ids = corpus["doc_id"].astype(str)
        if doc_ids.is_unique:  # report by report, without the tables (the same values as below)
            from ..text.structure import split_report

            out = {}
            for doc_id, text in zip(doc_ids.tolist(), corpus["text"].tolist()):
                if not isinstance(text, str) or not text:
                    continue
                secs, sents = split_report(text)
                out[doc_id] = ReportStructure([s[0] for s in sents], [s[1] for s in sents], [s[2] for s in sents],
                                              list(range(len(sents))), {r[0]: r[4] for r in secs},
                                              {r[0]: r[1] for r in secs})
            return out
    if sections is None or sentences is None:
        from ..text import structure

        if sections is None:
            sections = structure.sections(corpus)
        if sentences is None:
            sentences = structure.sentences(corpus, sections_table=sections)
    out: dict[str, ReportStructure] = {}
    if len(sentences):
        check_columns(sentences, ["doc_id", "section_id", "sentence_id", "start", "end"], what="sentences")
        sents = sentences[["doc_id", "section_id", "sentence_id", "start", "end"]]
        sents = sents.assign(doc_id=sents["doc_id"].astype(str))
        blocks = _blocks(sents["doc_id"], sents["start"].to_numpy())
        if blocks is None:  # not in blocks of reports, each by start: sorted first
            sents = sents.sort_values(["doc_id", "start"], kind="mergesort")
            blocks = _blocks(sents["doc_id"])
        cols = [sents["start"].tolist(), sents["end"].tolist(), _str_list(sents["section_id"]),
                sents["sentence_id"].tolist()]
        for doc_id, lo, hi in blocks:
            out[doc_id] = ReportStructure(cols[0][lo:hi], cols[1][lo:hi], cols[2][lo:hi], cols[3][lo:hi])
    if len(sections):
        check_columns(sections, ["doc_id", "section_id", "parent_id", "heading"], what="sections")
        secs = sections.assign(doc_id=sections["doc_id"].astype(str))
        blocks = _blocks(secs["doc_id"], np.zeros(len(secs)))
        if blocks is None:
            secs = secs.sort_values("doc_id", kind="mergesort")
            blocks = _blocks(secs["doc_id"])
        cols = [_str_list(secs["section_id"]), _str_list(secs["heading"].fillna("")),
                _str_list(secs["parent_id"].fillna(""))]
        for doc_id, lo, hi in blocks:
            st = out.setdefault(doc_id, ReportStructure())
            st.headings = dict(zip(cols[0][lo:hi], cols[1][lo:hi]))
            st.parents = dict(zip(cols[0][lo:hi], cols[2][lo:hi]))
    return out


def _str_list(values: pd.Series) -> list:
    """``values.tolist()`` for a column of few distinct strings: each distinct value is made once."""
    if values.dtype != _STR:
        return values.tolist()
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(uniques.tolist(), dtype=object)[codes].tolist()


def _blocks(keys: pd.Series, order: np.ndarray | None = None) -> list[tuple[str, int, int]] | None:
    """The key and ``[lo, hi)`` of each run of equal keys in a column of strings sorted by key. With ``order``,
    the column need not be sorted: ``None`` unless the rows of each key are together and in ``order`` (not
    decreasing) — what a stable sort by key and ``order`` would give them."""
    codes, uniques = pd.factorize(keys, sort=False)  # codes in order of first appearance: run i has code i
    step = np.diff(codes, prepend=-1)
    if order is not None and ((step < 0).any() or ((step == 0)[1:] & (np.diff(order) < 0)).any()):
        return None
    firsts = np.flatnonzero(step).tolist()
    return list(zip(uniques.tolist(), firsts, firsts[1:] + [len(codes)]))


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES[c]) for c in METRIC_COLUMNS})


def extract_metrics(corpus: pd.DataFrame, *, indicators: str | Path | Mapping | list | None = None,
                    sections: pd.DataFrame | None = None, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every metric mention in every report: the metric table.

    Parameters
    ----------
    corpus : DataFrame
        The report table (``load_corpus``; needs ``doc_id`` and ``text``). For one text:
        ``pd.DataFrame({"doc_id": ["doc"], "text": [text]})``.
    indicators : None, path, mapping or list, keyword-only
        Indicator rules (see :func:`lawgov_analysis.measures.indicators.load_indicator_rules`); ``None`` uses
        the bundled ``resources/indicators.toml``.
    sections, sentences : DataFrame, keyword-only
        The corpus's :func:`~lawgov_analysis.text.structure.sections` and
        :func:`~lawgov_analysis.text.structure.sentences` when already computed (a build passes them); ``None``
        computes them.

    Returns
    -------
    DataFrame
        One row per metric mention, sorted by ``doc_id, start``:

        - ``doc_id`` (str), ``section_id`` (str, from :func:`structure.sections`), ``sentence_id`` (Int64,
          from :func:`structure.sentences`): where the mention is.
        - ``start``, ``end`` (int): span in the report text; ``surface == text[start:end]`` is the run of
          hedge, number, multiplier and unit (``34万余剂次``, ``42人(次)``, ``100%以上``).
        - ``value`` (float): the number with 万/亿/千 applied (34万余 → 340000); for a range its lower end.
        - ``value_max`` (float): the upper end of a range (1000-1500人 → 1500), else NaN.
        - ``unit`` (str): the normalised measure word or ``%`` (人(次) → 人次, 万元 → 元, 2个工作日 → 个).
        - ``qualifier`` (str): hedges as written (余 多 近 约 超 以上 以下 内 左右); several are joined by
          ``、``; empty when exact.
        - ``indicator`` (str): the phrase naming what is counted, read from the clause (食品安全抽检,
          行政复议案件, 结案率).
        - ``indicator_id`` (str): canonical id from ``docs/spec/indicators.md``, ``other`` when no rule fits.
        - ``comparison`` (str): ``"change"`` when the number is a change against an earlier period rather than
          a level (同比增长8.6%, 较上年减少12件, 下降3个百分点, 比去年多50件), else ``""``. A change takes the
          ``indicator_id`` of the quantity that changed.
        - ``direction`` (str): ``"up"`` or ``"down"`` for a change (增长/增加/上升/提高/多 vs 下降/减少/降低/回落/少),
          ``""`` for a level; ``value`` stays the unsigned size as written.
        - ``comparison_text`` (str): the change wording as written (同比增长, 较上年下降, 增长), ``""`` for a level.

    Examples
    --------
    ``受理各类诉讼案件4860件，结案4519件，结案率91.87%`` gives three rows: 4860 件 (诉讼案件, court.cases),
    4519 件 (结案, court.cases) and 91.87 % (结案率, court.cases).

    >>> one = pd.DataFrame({"doc_id": ["doc"], "text": ["全区共完成食品安全抽检395批，合格率为97.46%。"]})
    >>> extract_metrics(one)[["surface", "value", "unit"]].values.tolist()
    [['395批', 395.0, '批'], ['97.46%', 97.46, '%']]
    """
    corpus = _as_corpus(corpus)
    classifier = _bundled_classifier() if indicators is None else IndicatorClassifier(load_indicator_rules(indicators))
    if corpus.empty:
        return _empty_table()
    with _gc_paused():
        return _metric_table(corpus, classifier, sections, sentences)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused within the block (its state restored after). The extractor makes
    tens of thousands of small objects (mentions, tuples, strings), which trigger full collections that walk every
    object of the process — a sixth of the stage's time on the benchmark; what it makes forms no reference
    cycles (a stage run leaves no garbage for the collector: checked with ``gc.collect()``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _metric_table(corpus: pd.DataFrame, classifier: IndicatorClassifier, sections: pd.DataFrame | None,
                  sentences: pd.DataFrame | None) -> pd.DataFrame:
    """:func:`extract_metrics` on a corpus that is not empty."""
    structures = _structures(corpus, sections, sentences)
    empty = ReportStructure()
    doc_ids = corpus["doc_id"].astype(str).tolist()
    docs_texts = [(doc_id, text) for doc_id, text in zip(doc_ids, corpus["text"].tolist())
                  if isinstance(text, str) and text]
    reports = [(doc_id, text, mentions) for (doc_id, text), mentions in
               zip(docs_texts, scan_reports([text for _doc_id, text in docs_texts]))]
    # the learned indicator component predicts for every mention of the corpus in one batch
    learned = predict_reports([(text, [(m.start, m.end, m.unit) for m in mentions])
                               for _doc_id, text, mentions in reports], allowed=model_allowed(classifier))
    # the table is built column by column from every mention of the corpus
    found: list[Mention] = []
    docs: list[str] = []
    surfaces: list[str] = []
    places: list[tuple[str, int | None]] = []
    for (doc_id, text, mentions), predictions in zip(reports, learned):
        if not mentions:
            continue
        places += classify_mentions(text, mentions, classifier, structures.get(doc_id, empty), predictions=predictions)
        found += mentions
        docs += [doc_id] * len(mentions)
        surfaces += [text[m.start:m.end] for m in mentions]
    if not found:
        return _empty_table()
    section_ids, sentence_ids = zip(*places)
    starts, ends, values, value_maxes, units, qualifiers, indicators, indicator_ids, comparisons, directions = (
        list(map(field, found)) for field in _FIELDS)
    columns = {"doc_id": docs, "section_id": section_ids, "sentence_id": sentence_ids, "start": starts, "end": ends,
               "surface": surfaces, "value": values, "value_max": value_maxes, "unit": units,
               "qualifier": qualifiers, "indicator": indicators, "indicator_id": indicator_ids,
               "comparison": ["change" if c else "" for c in comparisons], "direction": directions,
               "comparison_text": comparisons}
    df = pd.DataFrame({c: _column(columns[c], _DTYPES[c]) for c in METRIC_COLUMNS})
    if not _strictly_increasing(doc_ids):  # else the rows are in doc_id, start, end order already
        df = df.sort_values(["doc_id", "start", "end"], kind="mergesort")
    return df.reset_index(drop=True)


_STR = pd.array([], dtype="str").dtype
_NUMPY = {"int64": np.int64, "float64": np.float64}


def _column(values: list | tuple, dtype: str):
    """``pd.array(values, dtype=dtype)``, made straight from the values when they are all of that type (Python
    str for ``str``, numbers for ``int64`` and ``float64``): the same array at half the cost."""
    if dtype == "str" and _STR.storage == "pyarrow":
        try:
            return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()), dtype=_STR)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all str: let pandas convert them
            return pd.array(values, dtype=dtype)
    if dtype in _NUMPY:
        return np.array(values, dtype=_NUMPY[dtype])
    return pd.array(values, dtype=dtype)


def _strictly_increasing(keys: list) -> bool:
    return all(a < b for a, b in zip(keys, keys[1:]))


def explain_exclusions(corpus: pd.DataFrame) -> pd.DataFrame:
    """Why numbers were not counted: every candidate the extractor left out, with the rule and its reason.

    A *candidate* is a run of number and unit the scanner read (``第八批``, ``24小时``, ``三项``); the rules are
    listed by :func:`lawgov_analysis.measures.exclusions.exclusion_rules`. Arabic numbers that no unit follows
    (``2021年``, ``0798-8221234``) are listed too, with rule ``no_unit`` and reason ``date`` (followed by
    年/月/日/号/时) or ``no unit``.

    Parameters
    ----------
    corpus : DataFrame
        The report table (``doc_id``, ``text``).

    Returns
    -------
    DataFrame
        One row per excluded candidate, sorted by ``doc_id, start, end``: ``doc_id`` (str), ``start``, ``end``
        (int, the span; ``surface == text[start:end]``), ``surface`` (str), ``rule`` (str: the rule's name,
        e.g. ``ordinal``, ``named_set``, ``rule_clause``), ``reason`` (str: what the number is instead, e.g.
        ``ordinal``, ``named concept``, ``target``, ``date``).

    >>> one = pd.DataFrame({"doc_id": ["doc"], "text": ["2021年第八批共3件"]})
    >>> explain_exclusions(one)[["surface", "rule", "reason"]].values.tolist()
    [['2021', 'no_unit', 'date'], ['八批', 'ordinal', 'ordinal']]
    """
    corpus = _as_corpus(corpus)
    rows: list[tuple] = []
    for doc_id, text in zip(corpus["doc_id"].astype(str).tolist(), corpus["text"].tolist()):
        if not isinstance(text, str) or not text:
            continue
        excluded: list[Excluded] = []
        mentions = scan_mentions(text, excluded)
        spans = sorted([(m.start, m.end) for m in mentions] + [(e.start, e.end) for e in excluded])
        starts = [s for s, _ in spans]
        for e in excluded:
            rows.append((doc_id, e.start, e.end, e.surface, e.rule, e.reason))
        for r in _ARABIC_RUN_RE.finditer(text):
            s, e = r.span()
            k = bisect.bisect_right(starts, s)
            if (k and spans[k - 1][1] > s) or (k < len(spans) and spans[k][0] < e):
                continue  # part of a mention or of a candidate listed above
            reason = "date" if text.startswith(_DATE_AFTER, e) else "no unit"
            rows.append((doc_id, s, e, r.group(0), "no_unit", reason))
    out = pd.DataFrame(rows, columns=EXCLUSION_COLUMNS).astype(
        {"doc_id": "str", "start": "int64", "end": "int64", "surface": "str", "rule": "str", "reason": "str"})
    return out.sort_values(["doc_id", "start", "end"], kind="mergesort").reset_index(drop=True)
