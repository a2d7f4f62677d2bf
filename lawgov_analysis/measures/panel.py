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

import math
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from .._validate import check_columns

__all__ = ["CHANGE_COLUMNS", "META_COLUMNS", "PANEL_COLUMNS", "ROLE_COLUMNS", "changes", "mention_roles", "panel"]

#: Report metadata carried onto panel and change rows, in order (after ``doc_id``).
META_COLUMNS = ["region", "region_code", "province", "city", "level", "year", "department"]

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

_CLAUSE_DELIMS = "，,；;。！？!?：:\n"
_SENTENCE_DELIMS = "。！？!?；;\n"
_CLAUSE_WINDOW = 60
_SENTENCE_WINDOW = 240

# 共/全年/累计/总计/合计 name a total; 共 inside 公共, 中共, 共同, 共享 … does not
_TOTAL_CUE_RE = re.compile(r"共计|总计|合计|累计|总共|全年|(?<![公中总])共(?![同享建治产青识赢性商振筑])")
# a target or plan rather than a result: 力争, 目标, 计划, 预计, 将 + a verb of achieving
_TARGET_RE = re.compile(
    r"力争|争取|目标(?!绩效|管理|责任|考核|任务)|计划(?!生育|单列)|预计|预期|有望|"
    r"将(?:于|在)?(?:20[0-9]{2}年|明年|年底|年内|达到|实现|完成|突破|超过|建成|新增|增加|提高|提升|举办|开展|组织|"
    r"继续|进一步|力争|有望|再)"
)
# a plan for the coming year, anywhere earlier in the sentence
_FUTURE_SENTENCE_RE = re.compile(r"下一步|下步|明年|今后|未来(?:[一二三四五]年)?")
# a change against the previous year that the metric table's ``comparison`` does not spell (比去年多50件)
_CHANGE_BEFORE_RE = re.compile(
    r"(?:同比|环比|(?:较|比)(?:上|去|前)一?年度?(?:同期)?|(?:较|比)同期)"
    r"(?:净)?(?:多|少|增长|增加|增|减少|减|上升|下降|提高|降低|提升|回落)了?出?$"
)
_PP_WORD_RE = re.compile(r"(?:同比|环比|(?:较|比)(?:上|去|前)一?年度?)?(?:增长|增加|上升|提高|提升|下降|减少|降低|回落|增|减|升|降)了?$")
_DOWN_RE = re.compile(r"下降|减少|降低|回落|下滑|降幅|减|降|少")
_UP_RE = re.compile(r"增长|增加|上升|提高|提升|增幅|涨幅|增速|上涨|增|升|涨|多")
_APPROX = ("余", "多", "近", "约", "超", "逾", "左右", "以上", "以下", "不足", "不到")


def _is_missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _last_delim(text: str, lo: int, hi: int, delims: str) -> int:
    """Offset just after the last delimiter in ``text[lo:hi]`` (``lo`` when there is none)."""
    cut = lo - 1
    for d in delims:
        j = text.rfind(d, lo, hi)
        if j > cut and not (d == "," and 0 < j < len(text) - 1 and text[j - 1].isdigit() and text[j + 1].isdigit()):
            cut = j
    return cut + 1


def _decimals(surface: str) -> int:
    m = re.search(r"[0-9０-９]+(?:[.．]([0-9０-９]+))?", surface or "")
    return len(m.group(1) or "") if m else 0


def _approximate(qualifier: str) -> bool:
    return bool(qualifier) and any(q in qualifier for q in _APPROX)


# --------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------


def _prepare(metrics_table: pd.DataFrame, corpus: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    check_columns(metrics_table, ["doc_id", "start", "end", "surface", "value", "unit", "indicator_id"],
                  what="metrics")
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    df = metrics_table.copy()
    for col, default in (("comparison", ""), ("qualifier", ""), ("indicator", ""), ("section_id", ""),
                         ("value_max", math.nan)):
        if col not in df.columns:
            df[col] = default
    if "sentence_id" not in df.columns:
        df["sentence_id"] = pd.NA
    for col in ("doc_id", "surface", "unit", "qualifier", "indicator", "indicator_id", "comparison", "section_id"):
        df[col] = df[col].astype("string").fillna("").astype(str)
    # the change wording: ``comparison_text`` in current metric tables (``comparison`` is then "change"),
    # ``comparison`` itself in tables written before that column existed
    if "comparison_text" in df.columns:
        wording = df["comparison_text"].astype("string").fillna("").astype(str)
        df["_cmp"] = wording.where((wording != "") | (df["comparison"] == ""), df["comparison"])
        df.loc[df["comparison"] == "", "_cmp"] = ""
    else:
        df["_cmp"] = df["comparison"]
    df["_dir"] = df["direction"].astype("string").fillna("").astype(str) if "direction" in df.columns else ""
    from .metrics import normalize_unit

    units = {u: normalize_unit(u) for u in df["unit"].unique()}
    df["unit"] = df["unit"].map(units)
    df["sentence_id"] = df["sentence_id"].astype("Int64")
    df = df.sort_values(["doc_id", "start", "end"], kind="mergesort").reset_index(drop=True)
    texts = {str(d): t if isinstance(t, str) else "" for d, t in zip(corpus["doc_id"], corpus["text"])}
    missing = sorted(set(df["doc_id"]) - set(texts))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        warnings.warn(f"metrics rows for report(s) not in the corpus: {shown}; their cues cannot be read "
                      "(roles from the comparison column only, metadata left empty)", stacklevel=3)
    return df, texts


def _metadata(corpus: pd.DataFrame) -> pd.DataFrame:
    """``doc_id`` + :data:`META_COLUMNS` from the corpus; a column the corpus lacks is ``<NA>``."""
    meta = pd.DataFrame({"doc_id": corpus["doc_id"].astype(str)})
    for col in META_COLUMNS:
        if col in corpus.columns:
            meta[col] = corpus[col].to_numpy()
        else:
            meta[col] = pd.NA
    meta["year"] = pd.to_numeric(meta["year"], errors="coerce").astype("Int64")
    for col in META_COLUMNS:
        if col != "year":
            meta[col] = meta[col].astype("string")
    return meta.drop_duplicates("doc_id", keep="first").reset_index(drop=True)


def _labels(labels) -> dict[str, str]:
    if labels is None:
        from .metrics import indicator_labels

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


def _change_word(text: str, start: int, end: int, comparison: str, clause: str) -> str:
    """The change wording of a mention ("" for a level)."""
    if comparison:
        return comparison
    if text.startswith("百分点", end):
        m = _PP_WORD_RE.search(clause)
        return m.group(0) if m else "百分点"
    m = _CHANGE_BEFORE_RE.search(clause)
    return m.group(0) if m else ""


def _doc_roles(text: str, starts, ends, units, ids, comparisons, sections) -> tuple[list, list, list, list]:
    """Role, total cue, change wording and home section of every mention of one report (in text order)."""
    n = len(starts)
    roles, cues, words = [""] * n, [False] * n, [""] * n
    last_total: dict[tuple[str, str], list[int]] = {}
    for k in range(n):
        s, e = starts[k], ends[k]
        cs = _last_delim(text, max(0, s - _CLAUSE_WINDOW), s, _CLAUSE_DELIMS)
        clause = text[cs:s]
        ss = _last_delim(text, max(0, s - _SENTENCE_WINDOW), s, _SENTENCE_DELIMS)
        word = _change_word(text, s, e, comparisons[k], clause)
        words[k] = word
        cues[k] = bool(_TOTAL_CUE_RE.search(clause))
        key = (ids[k], units[k])
        if word:
            roles[k] = "change"
        elif _TARGET_RE.search(clause) or _FUTURE_SENTENCE_RE.search(text, ss, s):
            roles[k] = "target"
        else:
            roles[k] = "total" if cues[k] else "level"
            q = text.rfind("其中", ss, s)
            if q >= 0:
                # a part after 其中: an earlier mention of the same id and unit before 其中 is its total — in this
                # sentence, or in the previous one when 其中 opens the sentence (…共受理100件。其中，刑事30件)
                lo = ss
                if not text[ss:q].strip(" \u3000，,：:"):
                    lo = _last_delim(text, max(0, ss - 1 - _SENTENCE_WINDOW), max(0, ss - 1), _SENTENCE_DELIMS)
                if any(lo <= starts[j] and ends[j] <= q for j in last_total.get(key, ())):
                    roles[k] = "subtotal"
            if roles[k] != "subtotal":
                last_total.setdefault(key, []).append(k)
    # home section of each id: where the report mentions it most; ties → the section mentioned first
    counts: dict[str, dict[str, list[int]]] = {}
    for k in range(n):
        hit = counts.setdefault(ids[k], {}).setdefault(sections[k], [0, k])
        hit[0] += 1
    home = {i: min(secs.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0] for i, secs in counts.items()}
    return roles, cues, words, [home[i] for i in ids]


def _with_roles(df: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    roles: list[str] = []
    cues: list[bool] = []
    words: list[str] = []
    homes: list[str] = []
    bounds = df.groupby("doc_id", sort=False).indices
    cols = {c: df[c].tolist() for c in ("start", "end", "unit", "indicator_id", "_cmp", "section_id")}
    for doc_id, idx in bounds.items():
        lo, hi = int(idx[0]), int(idx[-1]) + 1  # df is sorted by doc_id, so each report is one block
        r, c, w, h = _doc_roles(texts.get(doc_id, ""), *(cols[k][lo:hi] for k in
                                ("start", "end", "unit", "indicator_id", "_cmp", "section_id")))
        roles.extend(r)
        cues.extend(c)
        words.extend(w)
        homes.extend(h)
    out = df.copy()
    out["role"] = roles
    out["total_cue"] = cues
    out["home_section"] = homes
    out["_change"] = words
    return out


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
    df, texts = _prepare(metrics_table, corpus)
    return _with_roles(df, texts).drop(columns=["_change", "_cmp", "_dir"])


# --------------------------------------------------------------------------------------------------------
# Panel
# --------------------------------------------------------------------------------------------------------


def _choose(cands: list[tuple], home: str) -> tuple[tuple, str]:
    """The headline among candidate rows ``(start, section_id, total_cue, row_index)`` and the rule's name."""
    if len(cands) == 1:
        return cands[0], "only_mention"
    totals = [c for c in cands if c[2]]
    if totals:
        return min(totals, key=lambda c: (c[1] != home, c[0])), "total_cue"
    in_home = [c for c in cands if c[1] == home]
    if in_home:
        return min(in_home, key=lambda c: c[0]), "first_in_home_section"
    return min(cands, key=lambda c: c[0]), "first_mention"


def _empty(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, "str")) for c in columns})


_PANEL_DTYPES = {"year": "Int64", "value": "float64", "value_max": "float64", "n_mentions": "int64",
                 "start": "int64", "end": "int64", "sentence_id": "Int64",
                 **{c: "string" for c in META_COLUMNS if c != "year"}}


def _headlines(roled: pd.DataFrame, include_other: bool) -> tuple[list[dict], list[dict]]:
    """Headline rows and the keys that have no candidate (only changes, targets or subtotals)."""
    rows: list[dict] = []
    skipped: list[dict] = []
    keep = roled if include_other else roled[roled["indicator_id"] != "other"]
    keep = keep[keep["role"] != "change"]
    keep_pos = roled.index.get_indexer(keep.index)
    cols = {c: keep[c].tolist() for c in ("doc_id", "indicator_id", "unit", "start", "section_id", "total_cue",
                                          "role", "home_section")}
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, key in enumerate(zip(cols["doc_id"], cols["indicator_id"], cols["unit"])):
        groups.setdefault(key, []).append(i)
    for key in sorted(groups):
        members = groups[key]
        cands = [(cols["start"][i], cols["section_id"][i], cols["total_cue"][i], i) for i in members
                 if cols["role"][i] in ("total", "level")]
        if not cands:
            skipped.append(dict(doc_id=key[0], indicator_id=key[1], unit=key[2], n_mentions=len(members),
                                roles="、".join(sorted({cols["role"][i] for i in members}))))
            continue
        (_, _, _, i), rule = _choose(cands, cols["home_section"][members[0]])
        rows.append(dict(_row=int(keep_pos[i]), n_mentions=len(members), rule=rule))
    return rows, skipped


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
        The report table (``doc_id, text`` and metadata). Metadata columns the corpus lacks (corpora loaded by
        older versions have no ``region_code``, ``city`` or ``department``) are ``<NA>``.
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
          (string, ``<NA>`` when unknown), ``year`` (Int64): the report's metadata from the corpus.
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
    df, texts = _prepare(metrics_table, corpus)
    names = _labels(labels)
    meta = _metadata(corpus)
    roled = _with_roles(df, texts)
    chosen, skipped = _headlines(roled, include_other)
    if chosen:
        picks = pd.DataFrame(chosen)
        long = roled.iloc[picks["_row"].to_numpy()][["doc_id", "indicator_id", "unit", "value", "value_max",
                                                     "qualifier", *_EVIDENCE]].reset_index(drop=True)
        long["n_mentions"] = picks["n_mentions"].to_numpy()
        long["rule"] = picks["rule"].to_numpy()
        long["label_zh"] = [names.get(i, i) for i in long["indicator_id"]]
        long = long.merge(meta, on="doc_id", how="left")
        long = long[PANEL_COLUMNS].astype(_PANEL_DTYPES)
        long = long.sort_values(["doc_id", "indicator_id", "unit"], kind="mergesort").reset_index(drop=True)
    else:
        long = _empty(PANEL_COLUMNS, _PANEL_DTYPES)
    long.attrs["without_headline"] = skipped
    if not wide:
        return long
    return _widen(long, meta)


def _widen(long: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    keys = sorted(set(zip(long["indicator_id"], long["unit"])))
    names = [f"{i}|{u}" for i, u in keys]
    cell = dict(zip(zip(long["doc_id"], long["indicator_id"], long["unit"]), long["value"]))
    out = meta.sort_values("doc_id", kind="mergesort").reset_index(drop=True)
    out = out.astype({c: "string" for c in META_COLUMNS if c != "year"} | {"year": "Int64"})
    values = {name: [cell.get((d, i, u), math.nan) for d in out["doc_id"]] for name, (i, u) in zip(names, keys)}
    out = pd.concat([out, pd.DataFrame(values, index=out.index, columns=names, dtype="float64")], axis=1)
    out.attrs["without_headline"] = long.attrs.get("without_headline", [])
    return out


# --------------------------------------------------------------------------------------------------------
# Year-over-year changes
# --------------------------------------------------------------------------------------------------------

_CHANGE_DTYPES = {"year": "Int64", "size": "float64", "current": "float64", "previous": "float64",
                  "start": "int64", "end": "int64", "sentence_id": "Int64", "current_start": "Int64",
                  "current_end": "Int64", **{c: "string" for c in META_COLUMNS if c != "year"}}


def _direction(word: str, value: float) -> str:
    if value == 0:
        return "same"
    if _DOWN_RE.search(word):
        return "down"
    if _UP_RE.search(word):
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
                                           "sentence_id", "role", "_change", "indicator", "_dir")}
    for k in range(len(roled)):
        if cols["role"][k] != "change" or (not include_other and cols["indicator_id"][k] == "other"):
            continue
        doc, iid, unit = cols["doc_id"][k], cols["indicator_id"][k], cols["unit"][k]
        word, value = cols["_change"][k], float(cols["value"][k])
        size_unit = "个百分点" if pp[k] else unit
        direction = "same" if value == 0 else (cols["_dir"][k] or _direction(word, value))
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
    chosen, _ = _headlines(roled, include_other)
    pos = [c["_row"] for c in chosen]
    sub = {c: roled[c].to_numpy()[pos].tolist() for c in
           ("doc_id", "indicator_id", "unit", "value", "surface", "start", "end", "indicator")}
    out: dict = {}
    for k in range(len(pos)):
        out.setdefault((sub["doc_id"][k], sub["indicator_id"][k]), {})[sub["unit"][k]] = dict(
            value=float(sub["value"][k]), unit=sub["unit"][k], surface=sub["surface"][k], start=int(sub["start"][k]),
            end=int(sub["end"][k]), indicator=sub["indicator"][k])
    return out


def _changes(df: pd.DataFrame, texts: dict[str, str], meta: pd.DataFrame, names: dict[str, str],
             include_other: bool, roled: pd.DataFrame | None = None) -> pd.DataFrame:
    if roled is None:
        roled = _with_roles(df, texts)
    pp = [texts.get(d, "").startswith("百分点", e) for d, e in zip(roled["doc_id"], roled["end"])]
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
    df, texts = _prepare(metrics_table, corpus)
    return _changes(df, texts, _metadata(corpus), _labels(labels), include_other)


# --------------------------------------------------------------------------------------------------------
# What the cross-report check in audit() needs
# --------------------------------------------------------------------------------------------------------


def _government_keys(meta: pd.DataFrame) -> dict[str, tuple]:
    """``doc_id → (code key or None, name key or None)`` identifying the issuing government."""

    def s(x) -> str:
        return "" if _is_missing(x) else str(x).strip()

    out = {}
    for r in meta.itertuples(index=False):
        code = s(r.region_code)
        code_key = (code, s(r.level), s(r.department)) if code else None
        name_key = (s(r.province), s(r.city), s(r.region), s(r.level), s(r.department)) if s(r.region) else None
        out[r.doc_id] = (code_key, name_key)
    return out


def _previous_reports(meta: pd.DataFrame) -> dict[str, list[str]]:
    """``doc_id → doc_ids of the same government's reports for the year before`` (see audit's year_over_year)."""
    keys = _government_keys(meta)
    years = {d: (None if _is_missing(y) else int(y)) for d, y in zip(meta["doc_id"], meta["year"])}
    by_year: dict[int, list[str]] = {}
    for d, y in years.items():
        if y is not None:
            by_year.setdefault(y, []).append(d)
    out: dict[str, list[str]] = {}
    for d, y in years.items():
        if y is None:
            continue
        code, name = keys[d]
        prev = []
        for p in sorted(by_year.get(y - 1, [])):
            pcode, pname = keys[p]
            if code is not None and pcode is not None:
                same = code == pcode
            else:
                same = name is not None and name == pname
            if same:
                prev.append(p)
        if prev:
            out[d] = prev
    return out


def _year_over_year_inputs(metrics_table: pd.DataFrame, corpus: pd.DataFrame):
    """The change table, the mention table with roles and the previous-year reports of each report."""
    df, texts = _prepare(metrics_table, corpus)
    meta = _metadata(corpus)
    roled = _with_roles(df, texts)
    ch = _changes(df, texts, meta, {}, False, roled=roled)
    return ch, roled, _previous_reports(meta)
