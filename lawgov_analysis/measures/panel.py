"""The indicator panel: one comparable value per report, indicator and unit — with its evidence.

The metric table (:func:`lawgov_analysis.measures.metrics.metrics`) holds every number a report cites; a report
often cites several for the same indicator (受理4860件 and 结案4519件 are both ``court.cases``; a total and
its 其中 parts; a level and its 同比 change). :func:`panel` picks one *headline value* per report ×
``indicator_id`` × unit by a documented rule and keeps the span it came from, so every cell of the panel can be
checked against the text. :func:`changes` turns the year-over-year wording (同比增长8.6%, 较上年减少12件,
下降3个百分点) into rows with direction, size and the previous-year value they imply; the cross-report check
in :func:`lawgov_analysis.measures.audit.audit` compares that implied value with what the previous year's
report stated. :func:`mention_roles` shows how each mention was read (total, level, subtotal, change, target).

Functions
---------
mention_roles(metrics_table, corpus)      the metric table + role, home_section (why a mention is or is not
                                          a headline candidate)
panel(metrics_table, corpus, wide=False)  one row per report × indicator_id × unit (or reports × indicators)
changes(metrics_table, corpus)            one row per year-over-year change mention
"""

from __future__ import annotations

import bisect
import math
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from ..core.cues import load_cues
from ..core.government import government_key
from ..core.validate import check_columns

__all__ = ["CHANGE_COLUMNS", "META_COLUMNS", "META_DTYPES", "PANEL_COLUMNS", "ROLE_COLUMNS", "changes",
           "mention_roles", "panel", "panel_and_changes", "pick_headline", "previous_reports", "year_over_year_inputs"]

#: Report metadata carried onto panel and change rows, in order (after ``doc_id``).
META_COLUMNS = ["region", "region_code", "province", "city", "level", "year", "department", "published",
                "days_after_deadline"]

#: Types of :data:`META_COLUMNS`: ``year`` and ``days_after_deadline`` (publication timeliness, see
#: :mod:`lawgov_analysis.io.timeliness`) ``Int64``, ``published`` datetime, the rest strings.
META_DTYPES = {**{c: "string" for c in META_COLUMNS}, "year": "Int64", "published": "datetime64[ns]",
               "days_after_deadline": "Int64"}

#: Evidence columns: the chosen mention's phrase, span and place (``surface == text[start:end]``).
_EVIDENCE = ["indicator", "surface", "start", "end", "section_id", "sentence_id"]

#: Columns of the long panel, in order.
PANEL_COLUMNS = ["doc_id", *META_COLUMNS, "indicator_id", "label_zh", "unit", "value", "value_max", "qualifier",
                 "n_mentions", *_EVIDENCE, "rule"]

#: Columns of the change table, in order.
CHANGE_COLUMNS = ["doc_id", *META_COLUMNS, "indicator_id", "label_zh", "unit", "direction", "size", "size_unit",
                  "comparison_text", "qualifier", "current", "current_rule", "previous", *_EVIDENCE,
                  "current_indicator", "current_surface", "current_start", "current_end"]

#: Columns :func:`mention_roles` adds to the metric table.
ROLE_COLUMNS = ["role", "total_cue", "home_section"]

# --------------------------------------------------------------------------------------------------------
# Cues, read from the clause before a mention (the text since the last clause delimiter)
# --------------------------------------------------------------------------------------------------------

_CLAUSE_WINDOW = 60
_SENTENCE_WINDOW = 240

# the cue words (total, target, future, change up / down) are the lists of resources/cues.toml
_CUES = load_cues()


def _is_missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


# everything up to the last clause / sentence delimiter (a comma between digits is not one)
_UP_TO_CLAUSE_RE = re.compile(r".*(?:[，；;。！？!?：:\n]|(?<![0-9]),|,(?![0-9]))", re.S)
_UP_TO_SENTENCE_RE = re.compile(r".*[。！？!?；;\n]", re.S)


def _starts_after(pattern: re.Pattern, text: str, s: int, window: int) -> int:
    """Start of the clause or sentence holding ``s``: just after the last delimiter before ``s``, at most
    ``window`` characters back."""
    lo = max(0, s - window)
    m = pattern.match(text, lo, s)
    return m.end() if m else lo


# --------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------


_NEEDED = ["doc_id", "section_id", "sentence_id", "start", "end", "surface", "value", "value_max", "unit",
           "qualifier", "indicator", "indicator_id", "comparison", "comparison_text", "direction"]


def _sorted_order(doc_ids: pd.Series, starts: pd.Series, ends: pd.Series) -> np.ndarray | None:
    """Positions that sort the rows by ``doc_id, start, end`` (stable), or ``None`` when they already are."""
    d = doc_ids.to_numpy(dtype=object)
    st, en = starts.to_numpy(), ends.to_numpy()
    if len(d) < 2:
        return None
    same = d[1:] == d[:-1]
    ok = (d[1:] >= d[:-1]).all() and ((~same) | (st[1:] > st[:-1]) | ((st[1:] == st[:-1]) & (en[1:] >= en[:-1]))).all()
    if ok:
        return None
    return pd.DataFrame({"d": d, "s": st, "e": en}).sort_values(["d", "s", "e"], kind="mergesort").index.to_numpy()


def _prepare(metrics_table: pd.DataFrame, corpus: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str],
                                                                         np.ndarray | None]:
    """The columns the panel reads (normalised, sorted by ``doc_id, start, end``), the texts, and the order
    applied to ``metrics_table`` (``None``: already sorted)."""
    check_columns(metrics_table, ["doc_id", "start", "end", "surface", "value", "unit", "indicator_id"],
                  what="metrics")
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    df = metrics_table[[c for c in _NEEDED if c in metrics_table.columns]].copy()
    for col, default in (("comparison", ""), ("comparison_text", ""), ("direction", ""), ("qualifier", ""),
                         ("indicator", ""), ("section_id", ""), ("value_max", math.nan), ("sentence_id", pd.NA)):
        if col not in df.columns:
            df[col] = default
    for col in ("doc_id", "surface", "unit", "qualifier", "indicator", "indicator_id", "comparison", "section_id",
                "comparison_text", "direction"):
        df[col] = df[col].astype("string").fillna("").astype(str)
    # the change wording (``comparison`` is "change"; a table without the wording keeps the marker)
    wording = df["comparison_text"].where(df["comparison_text"] != "", df["comparison"])
    df["_cmp"] = wording.where(df["comparison"] != "", "")
    from .units import normalize_unit

    units = {u: normalize_unit(u) for u in df["unit"].unique()}
    df["unit"] = df["unit"].map(units).astype(str)
    df["sentence_id"] = df["sentence_id"].astype("Int64")
    order = _sorted_order(df["doc_id"], df["start"], df["end"])
    df = (df if order is None else df.iloc[order]).reset_index(drop=True)
    texts = {str(d): t if isinstance(t, str) else "" for d, t in zip(corpus["doc_id"], corpus["text"])}
    missing = sorted(set(df["doc_id"].unique()) - set(texts))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        warnings.warn(f"metrics rows for report(s) not in the corpus: {shown}; their cues cannot be read "
                      "(roles from the comparison column only, metadata left empty)", stacklevel=3)
    return df, texts, order


def _metadata(corpus: pd.DataFrame) -> pd.DataFrame:
    """``doc_id`` + :data:`META_COLUMNS` from the corpus; a column the corpus lacks is ``<NA>``."""
    meta = pd.DataFrame({"doc_id": corpus["doc_id"].astype(str)})
    for col in META_COLUMNS:
        if col in corpus.columns:
            meta[col] = corpus[col].to_numpy()
        else:
            meta[col] = pd.NA
    for col, dtype in META_DTYPES.items():
        if dtype == "Int64":
            meta[col] = pd.to_numeric(meta[col], errors="coerce").astype("Int64")
        elif dtype.startswith("datetime"):
            meta[col] = pd.to_datetime(meta[col], errors="coerce").astype(dtype)
        else:
            meta[col] = meta[col].astype("string")
    return meta.drop_duplicates("doc_id", keep="first").reset_index(drop=True)


def _labels(labels) -> dict[str, str]:
    if labels is None:
        from .indicators import indicator_labels

        labels = indicator_labels()
    if isinstance(labels, pd.DataFrame):
        check_columns(labels, ["indicator_id", "label_zh"], what="labels")
        return dict(zip(labels["indicator_id"].astype(str), labels["label_zh"].astype(str)))
    if isinstance(labels, Mapping):
        return {str(k): str(v) for k, v in labels.items()}
    raise TypeError(f"labels must be None, a DataFrame or a mapping, got {type(labels).__name__}")


# --------------------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------------------


def pick_headline(cands: list[int], cues: list[bool], sections: list[str], home: str) -> tuple[int, str]:
    """The headline among candidate mentions and the rule that chose it (see :func:`panel`, "Headline rule").

    ``cands`` are positions (text order) into ``cues`` (the mention has a total cue) and ``sections`` (its
    ``section_id``); ``home`` is the indicator's home section. Returns ``(position, rule)``, the rule one of
    ``only_mention``, ``total_cue``, ``first_in_home_section``, ``first_mention``.
    """
    if len(cands) == 1:
        return cands[0], "only_mention"
    totals = [k for k in cands if cues[k]]
    if totals:
        return next((k for k in totals if sections[k] == home), totals[0]), "total_cue"
    in_home = next((k for k in cands if sections[k] == home), None)
    if in_home is not None:
        return in_home, "first_in_home_section"
    return cands[0], "first_mention"


def _doc_roles(doc_id: str, text: str, starts, ends, units, ids, comparisons, sections) -> dict[str, list]:
    """Roles, cues, change wording, home sections and headlines of the mentions of one report (text order)."""
    n = len(starts)
    roles, cues, words = [""] * n, [False] * n, [""] * n
    rules, counts = [""] * n, [0] * n
    skipped: list[dict] = []
    last_total: dict[tuple[str, str], list[int]] = {}
    clause_match, sentence_match = _UP_TO_CLAUSE_RE.match, _UP_TO_SENTENCE_RE.match
    cue_search, target_search = _CUES.total_cue.search, _CUES.target.search
    sentence_cues = [m.start() for m in _CUES.sentence_cue.finditer(text)]
    for k in range(n):
        s = starts[k]
        lo = s - _CLAUSE_WINDOW if s > _CLAUSE_WINDOW else 0
        m = clause_match(text, lo, s)
        clause = text[m.end() if m else lo:s]
        word = comparisons[k]
        words[k] = word
        cue = cues[k] = cue_search(clause) is not None
        if word:
            roles[k] = "change"
            continue
        if target_search(clause):
            roles[k] = "target"
            continue
        role = "total" if cue else "level"
        j = bisect.bisect_left(sentence_cues, s)
        if j and sentence_cues[j - 1] >= s - _SENTENCE_WINDOW:
            lo = s - _SENTENCE_WINDOW if s > _SENTENCE_WINDOW else 0
            m = sentence_match(text, lo, s)
            ss = m.end() if m else lo
            if _CUES.future.search(text, ss, s):
                roles[k] = "target"
                continue
            q = text.rfind("其中", ss, s)
            if q >= 0:
                # a part after 其中: an earlier mention of the same id and unit before 其中 is its total — in
                # this sentence, or in the previous one when 其中 opens the sentence (…共受理100件。其中，刑事30件)
                lo = ss
                if not text[ss:q].strip(" \u3000，,：:"):
                    lo = _starts_after(_UP_TO_SENTENCE_RE, text, max(0, ss - 1), _SENTENCE_WINDOW)
                if any(lo <= starts[i] and ends[i] <= q for i in last_total.get((ids[k], units[k]), ())):
                    role = "subtotal"
        roles[k] = role
        if role != "subtotal":
            last_total.setdefault((ids[k], units[k]), []).append(k)
    # home section of each id: where the report mentions it most; ties → the section mentioned first
    per_id: dict[str, dict[str, list[int]]] = {}
    for k in range(n):
        hit = per_id.setdefault(ids[k], {}).setdefault(sections[k], [0, k])
        hit[0] += 1
    home = {i: min(secs.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0] for i, secs in per_id.items()}
    # the headline of each id × unit
    groups: dict[tuple[str, str], list[int]] = {}
    for k in range(n):
        if roles[k] != "change":
            groups.setdefault((ids[k], units[k]), []).append(k)
    for (iid, unit), members in groups.items():
        cands = [k for k in members if roles[k] in ("total", "level")]
        if not cands:
            skipped.append(dict(doc_id=doc_id, indicator_id=iid, unit=unit, n_mentions=len(members),
                                roles="、".join(sorted({roles[k] for k in members}))))
            continue
        best, rules[best] = pick_headline(cands, cues, sections, home[iid])
        counts[best] = len(members)
    return dict(role=roles, total_cue=cues, home_section=[home[i] for i in ids], _change=words, _rule=rules,
                _n=counts, skipped=skipped)


def _with_roles(df: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """``df`` (sorted by doc_id) plus ``role, total_cue, home_section`` and the headline columns ``_rule``
    (the rule's name on each headline row, else "") and ``_n`` (``n_mentions``); ``attrs["skipped"]`` lists
    the keys without a candidate."""
    out: dict[str, list] = {c: [] for c in ("role", "total_cue", "home_section", "_change", "_rule", "_n")}
    skipped: list[dict] = []
    names = ("start", "end", "unit", "indicator_id", "_cmp", "section_id")
    cols = {c: df[c].tolist() for c in names}
    doc_ids = df["doc_id"].tolist()
    lo = 0
    while lo < len(doc_ids):  # df is sorted by doc_id, so each report is one block
        doc_id = doc_ids[lo]
        hi = lo + 1
        while hi < len(doc_ids) and doc_ids[hi] == doc_id:
            hi += 1
        got = _doc_roles(doc_id, texts.get(doc_id, ""), *(cols[c][lo:hi] for c in names))
        for c in out:
            out[c].extend(got[c])
        skipped.extend(got["skipped"])
        lo = hi
    roled = df.assign(**out)
    roled.attrs["skipped"] = skipped
    return roled


def mention_roles(metrics_table: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """How each metric mention is read for the panel: its role and the home section of its indicator.

    Parameters
    ----------
    metrics_table : DataFrame
        The metric table (``doc_id, start, end, surface, value, unit, indicator_id``; ``comparison``,
        ``qualifier``, ``indicator``, ``section_id``, ``sentence_id`` are used when present).
    corpus : DataFrame
        The report table (``doc_id, text``): the words around each mention are read from the text.

    Returns
    -------
    DataFrame
        The metric table's rows and columns (sorted by ``doc_id, start, end``; ``unit`` normalised by
        :func:`lawgov_analysis.measures.metrics.normalize_unit`) plus:

        - ``role`` (str): ``change`` (a year-over-year change: the ``comparison`` column, a number followed
          by 百分点, or 比去年多/较上年少… before it), ``target`` (力争/争取/目标/计划/预计/有望/将 + a verb of
          achieving in the clause before it, or 下一步/明年/今后 earlier in its sentence), ``subtotal`` (after
          其中, with a mention of the same ``indicator_id`` and unit before the 其中 in the same sentence, or
          in the previous sentence when 其中 opens the sentence), ``total`` (a total cue 共/共计/全年/累计/
          总计/合计 in the clause before it; 公共, 中共, 共同 … are not cues) or ``level`` (any other number).
        - ``total_cue`` (bool): the clause before the mention holds a total cue (whatever the role).
        - ``home_section`` (str): the ``section_id`` where the report mentions this ``indicator_id`` most
          (ties: the section that mentions it first).

    Examples
    --------
    ``全区共受理案件4860件，其中刑事案件100件。下一步，将举办讲座30场。`` → 4860件 ``total``, 100件
    ``subtotal``, 30场 ``target``.
    """
    df, texts, order = _prepare(metrics_table, corpus)
    roled = _with_roles(df, texts)
    out = metrics_table if order is None else metrics_table.iloc[order]
    out = out.reset_index(drop=True).assign(unit=roled["unit"], **{c: roled[c] for c in ROLE_COLUMNS})
    out.attrs = {}
    return out


# --------------------------------------------------------------------------------------------------------
# Panel
# --------------------------------------------------------------------------------------------------------


_EMPTY: dict[tuple, pd.DataFrame] = {}


def _empty(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """A table without rows (built once per column set: a fresh copy each call)."""
    key = (tuple(columns), tuple(dtypes.get(c, "str") for c in columns))
    if key not in _EMPTY:
        _EMPTY[key] = pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, "str")) for c in columns})
    return _EMPTY[key].copy()


_PANEL_DTYPES = {**{c: "str" for c in PANEL_COLUMNS}, "year": "Int64", "value": "float64", "value_max": "float64",
                 "n_mentions": "int64", "start": "int64", "end": "int64", "sentence_id": "Int64",
                 **META_DTYPES}


def _headline_rows(roled: pd.DataFrame, include_other: bool) -> pd.DataFrame:
    mask = roled["_rule"].to_numpy() != ""
    if not include_other:
        mask &= roled["indicator_id"].to_numpy() != "other"
    return roled[mask]


def panel(metrics_table: pd.DataFrame, corpus: pd.DataFrame, *, wide: bool = False, include_other: bool = False,
          labels: pd.DataFrame | Mapping | None = None) -> pd.DataFrame:
    """One headline value per report × ``indicator_id`` × unit, with the report's metadata and the evidence.

    **Headline rule.** Changes (同比/较上年/增长/下降 …), targets (力争/目标/计划/预计/将 …) and 其中 subtotals
    are never headlines (see :func:`mention_roles` for how each is recognised). Among the remaining mentions of
    the report × indicator × unit:

    1. ``only_mention`` — there is one: it is the headline.
    2. ``total_cue`` — mentions with a total cue (共/共计/全年/累计/总计/合计) in their clause win; among several,
       the one in the indicator's home section (the section where the report mentions that id most; ties: the
       section mentioning it first), then the earliest.
    3. ``first_in_home_section`` — else the earliest mention in the home section;
    4. ``first_mention`` — else the earliest mention.

    The unit is part of the key, so a rate (``%``) and a count of the same id are separate rows, and units stay
    as :func:`lawgov_analysis.measures.metrics.normalize_unit` leaves them (件 and 起, 人 and 人次 are different
    rows). A report × indicator × unit whose mentions are all changes, targets or subtotals has no row; such
    keys are listed in ``result.attrs["without_headline"]`` (records with ``doc_id, indicator_id, unit,
    n_mentions, roles``) so that nothing disappears unseen.

    Parameters
    ----------
    metrics_table : DataFrame
        The metric table (:func:`lawgov_analysis.measures.metrics.metrics`).
    corpus : DataFrame
        The report table (``doc_id, text`` and metadata). Metadata columns the corpus lacks are ``<NA>``.
    wide : bool, keyword-only
        ``False``: the long table below. ``True``: one row per report of the corpus (reports without any
        value included), metadata columns first, then one ``value`` column per ``indicator_id|unit`` (e.g.
        ``court.cases|%``), sorted by id then unit — ready for ``to_csv`` / ``to_excel``.
    include_other : bool, keyword-only
        Keep mentions whose ``indicator_id`` is ``other`` (left out by default: they are not comparable).
    labels : DataFrame or mapping, keyword-only
        ``indicator_id → label_zh``; ``None`` uses :func:`lawgov_analysis.measures.metrics.indicator_labels`.
        An id without a label is labelled with the id itself.

    Returns
    -------
    DataFrame
        Long form, one row per report × indicator × unit, sorted by ``doc_id, indicator_id, unit``:

        - ``doc_id`` (str); ``region``, ``region_code``, ``province``, ``city``, ``level``, ``department``
          (string, ``<NA>`` when unknown), ``year`` (Int64): the report's metadata from the corpus;
          ``published`` (datetime, ``NaT`` when unknown) and ``days_after_deadline`` (Int64: days from the
          legal publication deadline, negative = early; :mod:`lawgov_analysis.io.timeliness`).
        - ``indicator_id`` (str), ``label_zh`` (str): the canonical id and its Chinese label.
        - ``unit`` (str): the normalised unit (``%`` for rates).
        - ``value`` (float), ``value_max`` (float, NaN unless a range), ``qualifier`` (str): the headline.
        - ``n_mentions`` (int): mentions of this id and unit in the report, changes excluded (levels, totals,
          subtotals and targets).
        - ``indicator`` (str), ``surface`` (str), ``start``, ``end`` (int), ``section_id`` (str),
          ``sentence_id`` (Int64): the evidence — ``surface == corpus.text[start:end]`` of the report.
        - ``rule`` (str): which step chose the headline (``only_mention``, ``total_cue``,
          ``first_in_home_section``, ``first_mention``).

    Examples
    --------
    On the sample, ``court.cases`` gives two rows: ``件`` → 4860 (``全年共受理各类诉讼案件4860件``,
    ``total_cue``; 结案4519件 is not the total) and ``%`` → 91.87 (结案率, ``only_mention``).
    """
    df, texts, _ = _prepare(metrics_table, corpus)
    meta = _metadata(corpus)
    long = _panel(_with_roles(df, texts), meta, _labels(labels), include_other)
    if not wide:
        return long
    return _widen(long, meta)


def _panel(roled: pd.DataFrame, meta: pd.DataFrame, names: dict[str, str], include_other: bool) -> pd.DataFrame:
    skipped = [r for r in roled.attrs["skipped"] if include_other or r["indicator_id"] != "other"]
    heads = _headline_rows(roled, include_other)
    if len(heads):
        long = heads[["doc_id", "indicator_id", "unit", "value", "value_max", "qualifier", *_EVIDENCE, "_rule",
                      "_n"]].rename(columns={"_rule": "rule", "_n": "n_mentions"})
        long["label_zh"] = [names.get(i, i) for i in long["indicator_id"]]
        long = long.merge(meta, on="doc_id", how="left")
        long = long[PANEL_COLUMNS].astype(_PANEL_DTYPES)
        long = long.sort_values(["doc_id", "indicator_id", "unit"], kind="mergesort").reset_index(drop=True)
    else:
        long = _empty(PANEL_COLUMNS, _PANEL_DTYPES)
    long.attrs["without_headline"] = skipped
    return long


def panel_and_changes(metrics_table: pd.DataFrame, corpus: pd.DataFrame, *, include_other: bool = False,
                      labels: pd.DataFrame | Mapping | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`panel` (long) and :func:`changes` of the same tables, reading the mentions' roles once.

    Returns
    -------
    tuple of DataFrame
        ``(panel(metrics_table, corpus, ...), changes(metrics_table, corpus, ...))``, the same tables (columns,
        types, rows and ``attrs``) as the two calls.
    """
    df, texts, _ = _prepare(metrics_table, corpus)
    meta, names = _metadata(corpus), _labels(labels)
    roled = _with_roles(df, texts)
    return (_panel(roled, meta, names, include_other),
            _changes(df, texts, meta, names, include_other, roled=roled))


def _widen(long: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    keys = sorted(set(zip(long["indicator_id"], long["unit"])))
    names = [f"{i}|{u}" for i, u in keys]
    cell = dict(zip(zip(long["doc_id"], long["indicator_id"], long["unit"]), long["value"]))
    out = meta.sort_values("doc_id", kind="mergesort").reset_index(drop=True)
    out = out.astype(META_DTYPES)
    values = {name: [cell.get((d, i, u), math.nan) for d in out["doc_id"]] for name, (i, u) in zip(names, keys)}
    out = pd.concat([out, pd.DataFrame(values, index=out.index, columns=names, dtype="float64")], axis=1)
    out.attrs["without_headline"] = long.attrs.get("without_headline", [])
    return out


# --------------------------------------------------------------------------------------------------------
# Year-over-year changes
# --------------------------------------------------------------------------------------------------------

_CHANGE_DTYPES = {**{c: "str" for c in CHANGE_COLUMNS}, "year": "Int64", "size": "float64", "current": "float64", "previous": "float64",
                  "start": "int64", "end": "int64", "sentence_id": "Int64", "current_start": "Int64",
                  "current_end": "Int64", **META_DTYPES}


def _direction(word: str, value: float) -> str:
    if value == 0:
        return "same"
    if _CUES.down.search(word):
        return "down"
    if _CUES.up.search(word):
        return "up"
    return "same" if "持平" in word else "up"


def _implied_previous(current: float, current_unit: str, size: float, size_unit: str) -> float:
    """The previous-year value a change implies, or NaN when the arithmetic is ambiguous."""
    if _is_missing(current) or math.isnan(current):
        return math.nan
    if size_unit == "个百分点":
        return current - size if current_unit == "%" else math.nan
    if size_unit == "%":
        if current_unit == "%" or size <= -100:
            return math.nan  # 合格率同比提高2%: points or a relative change? Left open.
        return float(Decimal(repr(current)) / (1 + Decimal(repr(size)) / 100))
    if size_unit in ("倍", "‰"):
        return math.nan  # 增长2倍 is read both as ×2 and ×3
    return current - size if size_unit == current_unit else math.nan


def _change_rows(roled: pd.DataFrame, pp: list[bool], headline: dict, include_other: bool) -> list[dict]:
    rows: list[dict] = []
    cols = {c: roled[c].tolist() for c in ("doc_id", "indicator_id", "unit", "value", "surface", "start", "end",
                                           "sentence_id", "role", "_change", "indicator", "direction")}
    for k in range(len(roled)):
        if cols["role"][k] != "change" or (not include_other and cols["indicator_id"][k] == "other"):
            continue
        doc, iid, unit = cols["doc_id"][k], cols["indicator_id"][k], cols["unit"][k]
        word, value = cols["_change"][k], float(cols["value"][k])
        size_unit = "个百分点" if pp[k] else unit
        direction = "same" if value == 0 else (cols["direction"][k] or _direction(word, value))
        size = -value if direction == "down" else value
        # the current value: the nearest earlier level of the same id in the sentence, else the headline
        cur = None
        sid = cols["sentence_id"][k]
        j = k - 1
        while j >= 0 and cols["doc_id"][j] == doc and not _is_missing(sid) \
                and not _is_missing(cols["sentence_id"][j]) and cols["sentence_id"][j] == sid:
            if cols["indicator_id"][j] == iid and cols["role"][j] != "change" and _fits(cols["unit"][j], size_unit):
                cur = {c: cols[c][j] for c in ("value", "unit", "surface", "start", "end", "indicator")}
                break
            j -= 1
        current_rule = "same_sentence" if cur is not None else ""
        if cur is None:
            cur = _headline_for(headline, doc, iid, size_unit)
            current_rule = "headline" if cur is not None else ""
        if cur is not None:
            current, cur_unit = float(cur["value"]), cur["unit"]
        else:
            current = math.nan
            cur_unit = "%" if size_unit == "个百分点" else ("" if size_unit in ("%", "倍", "‰") else size_unit)
        rows.append(dict(
            _row=k, unit=cur_unit, direction=direction, size=size, size_unit=size_unit, comparison_text=word,
            current=current, current_rule=current_rule,
            previous=_implied_previous(current, cur_unit, size, size_unit),
            current_indicator=cur["indicator"] if cur else "", current_surface=cur["surface"] if cur else "",
            current_start=cur["start"] if cur else pd.NA, current_end=cur["end"] if cur else pd.NA,
        ))
    return rows


def _fits(level_unit: str, size_unit: str) -> bool:
    """Can a level in ``level_unit`` be the current value of a change in ``size_unit``?"""
    if size_unit == "个百分点":
        return level_unit == "%"
    if size_unit in ("%", "倍", "‰"):
        return True
    return level_unit == size_unit


def _headline_for(headline: dict, doc: str, iid: str, size_unit: str) -> dict | None:
    """The headline a change without a level in its sentence refers to (``None`` when unknown or ambiguous)."""
    by_unit = headline.get((doc, iid), {})
    if size_unit == "个百分点":
        return by_unit.get("%")
    if size_unit in ("%", "倍", "‰"):
        counts = [v for u, v in by_unit.items() if u != "%"]
        return counts[0] if len(counts) == 1 else None
    return by_unit.get(size_unit)


def _headline_index(roled: pd.DataFrame, include_other: bool) -> dict:
    """``(doc_id, indicator_id) → {unit: headline evidence}``."""
    heads = _headline_rows(roled, include_other)
    out: dict = {}
    cols = [heads[c].tolist() for c in ("doc_id", "indicator_id", "unit", "value", "surface", "start", "end",
                                        "indicator")]
    for d, i, u, v, su, st, en, ind in zip(*cols):
        out.setdefault((d, i), {})[u] = dict(value=float(v), unit=u, surface=su, start=int(st), end=int(en),
                                             indicator=ind)
    return out


def _changes(df: pd.DataFrame, texts: dict[str, str], meta: pd.DataFrame, names: dict[str, str],
             include_other: bool, roled: pd.DataFrame | None = None) -> pd.DataFrame:
    if roled is None:
        roled = _with_roles(df, texts)
    wanted = roled["role"].to_numpy() == "change"
    if not include_other:
        wanted &= roled["indicator_id"].to_numpy() != "other"
    if not wanted.any():   # no change mention (most partitions of reports without 同比 wording)
        return _empty(CHANGE_COLUMNS, _CHANGE_DTYPES)
    pp = [r == "change" and texts.get(d, "").startswith("百分点", e)
          for r, d, e in zip(roled["role"].tolist(), roled["doc_id"].tolist(), roled["end"].tolist())]
    rows = _change_rows(roled, pp, _headline_index(roled, include_other), include_other)
    if not rows:
        return _empty(CHANGE_COLUMNS, _CHANGE_DTYPES)
    extra = pd.DataFrame(rows)
    base = roled.iloc[extra["_row"].to_numpy()][["doc_id", "indicator_id", "qualifier", *_EVIDENCE]]
    out = pd.concat([base.reset_index(drop=True), extra.drop(columns="_row")], axis=1)
    out["label_zh"] = [names.get(i, i) for i in out["indicator_id"]]
    out = out.merge(meta, on="doc_id", how="left")
    out = out[CHANGE_COLUMNS].astype(_CHANGE_DTYPES)
    return out.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)


def changes(metrics_table: pd.DataFrame, corpus: pd.DataFrame, *, include_other: bool = False,
            labels: pd.DataFrame | Mapping | None = None) -> pd.DataFrame:
    """Year-over-year changes (同比增长8.6%, 较上年减少12件, 下降3个百分点) tied to their indicator.

    A change mention is a metric row whose role is ``change`` (:func:`mention_roles`). Its *current value* is
    the nearest earlier mention of the same ``indicator_id`` in the same sentence that is not a change and has
    a fitting unit (``same_sentence``: 受理案件4860件，同比增长12.5% → 4860件), else the panel headline of the
    same report and indicator (``headline``; for a % growth only when the report has exactly one count row for
    that id). The implied previous-year value is

    - count change (较上年减少12件): ``current − size`` (same unit only),
    - percentage growth (同比增长8.6%) of a count or amount: ``current / (1 + size/100)``,
    - percentage points (下降3个百分点) of a rate: ``current − size``;

    and NaN when it is ambiguous: a % change of a rate (points or relative?), 倍 (×2 or ×3?), or no current.

    Parameters
    ----------
    metrics_table, corpus : DataFrame
        As for :func:`panel`.
    include_other : bool, keyword-only
        Keep changes whose ``indicator_id`` is ``other``.
    labels : DataFrame or mapping, keyword-only
        As for :func:`panel`.

    Returns
    -------
    DataFrame
        One row per change mention, sorted by ``doc_id, start``:

        - ``doc_id`` and the metadata columns of :func:`panel`; ``indicator_id``, ``label_zh``.
        - ``unit`` (str): the unit of the indicator's level (of the current value; ``%`` for a change in
          percentage points; empty when a % growth has no current value).
        - ``direction`` (str): ``up``, ``down`` or ``same`` (a change of 0).
        - ``size`` (float): the change with its sign (下降3 → -3).
        - ``size_unit`` (str): ``%``, ``个百分点``, ``倍`` or the count's unit (件, 人 …).
        - ``comparison_text`` (str): the wording (同比增长, 较上年减少, 比去年多); ``qualifier`` (str) its hedge.
        - ``current`` (float), ``current_rule`` (str: ``same_sentence``, ``headline`` or empty), ``previous``
          (float): the current value and the implied previous-year value (NaN when unknown).
        - ``indicator``, ``surface``, ``start``, ``end``, ``section_id``, ``sentence_id``: evidence of the
          change (``surface == text[start:end]``); ``current_indicator``, ``current_surface``,
          ``current_start``, ``current_end`` (Int64): evidence of the current value.
    """
    df, texts, _ = _prepare(metrics_table, corpus)
    return _changes(df, texts, _metadata(corpus), _labels(labels), include_other)


# --------------------------------------------------------------------------------------------------------
# What the cross-report check in audit() needs
# --------------------------------------------------------------------------------------------------------


def previous_reports(corpus: pd.DataFrame) -> dict[str, list[str]]:
    """``doc_id → doc_ids of the same government's reports for the year before`` (see audit's year_over_year).

    "The same government" is :func:`lawgov_analysis.core.government.government_key`. Looked up by key (linear in
    the number of reports), not by comparing every pair of years.
    """
    keys = government_key(corpus)
    by_key: dict[tuple, list[str]] = {}
    rows = []
    for d, y, k in zip(corpus["doc_id"], corpus["year"], keys):
        if _is_missing(y) or k is pd.NA:
            continue
        rows.append((d, int(y), k))
        by_key.setdefault((int(y), k), []).append(d)
    out: dict[str, list[str]] = {}
    for d, y, k in rows:
        prev = by_key.get((y - 1, k))
        if prev:
            out[d] = sorted(prev)
    return out


def year_over_year_inputs(metrics_table: pd.DataFrame, corpus: pd.DataFrame, *,
                          changes: pd.DataFrame | None = None
                          ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    """What the year-over-year audit reads: the change table (:func:`changes`, ``other`` left out), the
    metric table with roles (:func:`mention_roles` plus ``home_section``, sorted by ``doc_id, start, end``)
    and :func:`previous_reports`.

    ``changes`` is that change table when it is already at hand (a store's ``changes`` table): the roles are
    then read only for the reports the check compares (a report with a change that implies a previous value
    and whose government has a report for the year before, and those earlier reports); the other reports'
    rows are left out of the role table.
    """
    meta = _metadata(corpus)
    previous = previous_reports(meta)
    if changes is None:
        df, texts, _ = _prepare(metrics_table, corpus)
        roled = _with_roles(df, texts)
        return _changes(df, texts, meta, {}, False, roled=roled), roled, previous
    ch = changes[changes["previous"].notna() & changes["doc_id"].astype(str).isin(previous)]
    needed = set(ch["doc_id"].astype(str))
    needed |= {p for d in needed for p in previous[d]}
    docs = metrics_table["doc_id"].astype(str)
    texts = corpus[corpus["doc_id"].astype(str).isin(needed)]
    df, texts, _ = _prepare(metrics_table[docs.isin(needed).to_numpy()], texts)
    return changes, _with_roles(df, texts), previous
