"""Arithmetic consistency of the numbers a report states: rates, totals and completion.

Reports often give a rate next to its numerator and denominator (受理4860件，结案4519件，结案率91.87%), a total
next to its parts (新增9187户，其中企业1020户，个体8167户) and cases received next to cases concluded
(收到依申请公开11件，已办结10件). :func:`audit` recomputes each of these from the metric table
(:func:`lawgov_analysis.measures.metrics.extract_metrics`) and reports one row per check. Across reports, when the corpus
holds the same government's reports for two consecutive years, the previous-year value a change implies
(受理案件4860件，同比增长8.6% → 4475) is compared with what the earlier report stated.

Passes are rows too (``severity == "ok"``), so a reader (and a test) can see what was checked, not only what
failed; pass ``passes=False`` to keep only the findings.
"""

from __future__ import annotations

import bisect
import math
import re

import pandas as pd

from ..core.cues import load_cues
from ..core.delimiters import CLAUSE_DELIMS, SENTENCE_DELIMS
from ..core.validate import check_columns, check_option
from .panel import pick_headline, year_over_year_inputs

__all__ = ["AUDIT_COLUMNS", "CHECKS", "audit", "year_over_year_checks"]

#: Columns of the audit table, in order.
AUDIT_COLUMNS = ["doc_id", "kind", "stated", "computed", "difference", "evidence", "severity"]
#: The checks :func:`audit` can run: three within a report, one across reports.
CHECKS = ("rate", "part_whole", "completion", "year_over_year")

_CUES = load_cues()
_RECEIVED_RE = re.compile(r"受理|收到|新收|收案|接到|接收|登记|立案|排查|办理|共有|收件")
_QIZHONG = re.compile("其中")
_CONCLUDED_RE = re.compile(r"办结|结案|审结|执结|办理完毕|已办|答复|回复|化解|调处|处理完毕|办复|结办")


def _approximate(qualifier: str) -> bool:
    """A hedge (resources/cues.toml ``[hedge]``: 约, 余, 以上 …) in a qualifier or a surface."""
    return bool(qualifier) and _CUES.hedged.search(qualifier) is not None


def _span(row) -> str:
    return f"{row.surface}[{row.start}:{row.end}]"


def _decimals(surface: str) -> int:
    m = re.search(r"[0-9０-９]+(?:[.．]([0-9０-９]+))?", surface)
    if not m:
        return 0
    return len(m.group(1) or "")


def _lcs(a: str, b: str) -> int:
    """Length of the longest common substring of two short strings."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _unit_family(unit: str) -> str:
    return unit[:-1] if len(unit) > 1 and unit.endswith("次") and unit not in ("人次", "户次") else unit


def _sentence_keys(sids: list, starts: list, text: str) -> list:
    """A sentence key per row: ``sentence_id`` when present, else the sentence boundaries in ``text``."""
    keys = []
    for sid, start in zip(sids, starts):
        if sid is not None and not (isinstance(sid, float) and math.isnan(sid)) and sid is not pd.NA:
            keys.append(("s", int(sid)))
        else:
            lo = max((text.rfind(d, 0, start) for d in SENTENCE_DELIMS), default=-1)
            keys.append(("t", lo))
    return keys


def _rate_checks(doc_id: str, sent: list) -> list[dict]:
    out = []
    for k, r in enumerate(sent):
        if r.unit != "%" or r.comparison or "率" not in r.indicator:
            continue
        stem = r.indicator[: r.indicator.rfind("率")]
        counts = [c for c in sent[:k] if c.unit != "%" and not c.comparison and c.value > 0
                  and not _approximate(c.qualifier)]
        if len(counts) < 2 or not stem:
            continue
        scored = [(_lcs(c.indicator, stem), i) for i, c in enumerate(counts)]
        best, i_num = max(scored, key=lambda t: (t[0], t[1]))
        if best < 2 and not (best == 1 and len(stem) == 1):
            continue
        num = counts[i_num]
        dens = [c for c in counts if c is not num and _unit_family(c.unit) == _unit_family(num.unit)
                and c.value >= num.value]
        if not dens:
            continue
        before = [c for c in dens if c.start < num.start]
        den = before[-1] if before else dens[0]
        computed = 100.0 * num.value / den.value
        if any(neg + stem[-2:] in num.indicator for neg in ("不", "未", "非")):
            computed = 100.0 - computed  # 不合格10批 vs 合格率: the complement
        tol = 10.0 ** (-_decimals(r.surface)) + 1e-9
        diff = r.value - computed
        ok = abs(diff) <= tol or (r.qualifier in ("以上",) and computed >= r.value - tol)
        out.append(dict(doc_id=doc_id, kind="rate_mismatch", stated=r.value, computed=round(computed, 4),
                        difference=round(diff, 4),
                        evidence=f"{_span(num)} / {_span(den)} vs {_span(r)}",
                        severity="ok" if ok else "error", _pos=r.start))
    return out


def _part_whole_checks(doc_id: str, sent: list, text: str, qizhong: list[int] | None = None) -> list[dict]:
    """``qizhong``: the positions of 其中 in ``text`` (found here when not given)."""
    out = []
    if not sent:
        return out
    if qizhong is None:
        qizhong = [m.start() for m in re.finditer("其中", text)]
    # a 其中 before every mention's end has no total: only those from the first end to the last end count
    first = min(r.end for r in sent)
    hi = max(r.end for r in sent)
    for q in qizhong[bisect.bisect_left(qizhong, first):bisect.bisect_right(qizhong, hi - 2)]:
        totals = [r for r in sent if r.end <= q and r.unit != "%" and not r.comparison]
        if not totals:
            continue
        total = totals[-1]
        parts = []
        for r in sent:
            if r.start < q:
                continue
            if r.unit != total.unit or r.comparison:
                break
            if parts and "其中" in text[parts[-1].end:r.start]:
                break
            parts.append(r)
        if len(parts) < 2:
            continue
        if _approximate(total.qualifier) or any(_approximate(p.qualifier) for p in parts):
            continue
        computed = sum(p.value for p in parts)
        diff = total.value - computed
        if abs(diff) <= 1e-9 * max(1.0, abs(total.value)):
            severity = "ok"
        elif computed > total.value:
            severity = "error"
        else:
            severity = "warning"  # the parts may not be exhaustive
        out.append(dict(doc_id=doc_id, kind="part_whole_mismatch", stated=total.value, computed=computed,
                        difference=diff, evidence=" + ".join(_span(p) for p in parts) + f" vs {_span(total)}",
                        severity=severity, _pos=total.start))
    return out


#: Everything up to the last clause delimiter (each of CLAUSE_DELIMS is one character).
_UP_TO_CLAUSE_RE = re.compile("(?s).*[" + re.escape(CLAUSE_DELIMS) + "]")


def _clause_prefix(text: str, row) -> str:
    """The clause text before a mention (its verb included: 收到…, 已办结) plus its indicator phrase."""
    lo = max(0, row.start - 40)
    m = _UP_TO_CLAUSE_RE.match(text, lo, row.start)   # the last delimiter in [lo, start) ends the match
    return text[m.end() if m else lo:row.start] + "｜" + row.indicator


def _completion_checks(doc_id: str, sent: list, text: str) -> list[dict]:
    out = []
    used: set[int] = set()
    counts = [r for r in sent if r.unit != "%" and not r.comparison]
    if not counts:
        return out
    # no received wording in any count's indicator nor anywhere in the text its clauses can span: nothing to do
    if not any(_RECEIVED_RE.search(r.indicator) for r in counts) and not _RECEIVED_RE.search(
            text, max(0, min(r.start for r in counts) - 40), max(r.start for r in counts)):
        return out
    # only counts (not %, not a change) are read as received or concluded
    prefixes = ["" if r.unit == "%" or r.comparison else _clause_prefix(text, r) for r in sent]
    concluded = [bool(p) and bool(_CONCLUDED_RE.search(p)) for p in prefixes]
    received = [bool(p) and bool(_RECEIVED_RE.search(p)) and not concluded[i] for i, p in enumerate(prefixes)]
    for i, rec in enumerate(sent):
        if rec.unit == "%" or rec.comparison or not received[i]:
            continue
        for j in range(i + 1, len(sent)):
            c = sent[j]
            if c.unit == "%" or c.comparison:
                continue
            if received[j]:
                break  # a new received count starts
            if c.unit == rec.unit and concluded[j] and j not in used:
                used.add(j)
                approx = _approximate(rec.qualifier) or _approximate(c.qualifier)
                diff = rec.value - c.value
                out.append(dict(doc_id=doc_id, kind="completion_gap", stated=rec.value, computed=c.value,
                                difference=diff, evidence=f"{_span(c)} of {_span(rec)}",
                                severity="ok" if diff == 0 and not approx else "info", _pos=c.start))
                break
    return out


def _precision(surface: str, value: float, unit: str) -> float:
    """Half a unit of the last stated digit of a rounded number (0 for a whole count, which is exact)."""
    d = _decimals(surface)
    if d == 0 and unit not in ("%", "个百分点", "‰"):
        return 0.0
    return 0.5 * 10.0 ** (-d)


def _implied_halfwidth(ch, cur_prec: float) -> float:
    """How far the implied previous value can move when the change and the current value were rounded."""
    h = _precision(ch.surface, ch.size, ch.size_unit)
    c, g = float(ch.current), float(ch.size)
    if ch.size_unit == "%":
        lo = (c - cur_prec) / (1 + (g + h) / 100)
        hi = (c + cur_prec) / (1 + (g - h) / 100) if g - h > -100 else math.inf
        return (hi - lo) / 2
    return h + cur_prec


def _year_over_year_rows(metrics_df: pd.DataFrame, corpus: pd.DataFrame, rel_tol: float,
                         changes: pd.DataFrame | None = None) -> list[dict]:
    if "indicator_id" not in metrics_df.columns or "year" not in corpus.columns:
        return []
    ch, roled, previous = year_over_year_inputs(metrics_df, corpus, changes=changes)
    ch = ch[ch["previous"].notna() & ch["doc_id"].isin(previous)]
    if ch.empty:
        return []
    wanted = {d for docs in previous.values() for d in docs}
    role_at = dict(zip(zip(roled["doc_id"].tolist(), roled["start"].tolist()), roled["role"].tolist()))
    levels = roled[roled["role"].isin(["total", "level", "subtotal"]) & roled["doc_id"].isin(wanted)]
    fields = ["doc_id", "indicator_id", "unit", "value", "surface", "start", "end", "qualifier", "indicator",
              "total_cue", "section_id", "home_section", "role"]
    levels = levels[fields].astype({c: object for c in fields if c not in ("value", "start", "end", "total_cue")})
    stated_by: dict[tuple, list] = {}
    for r in levels.itertuples(index=False):
        stated_by.setdefault((r.doc_id, r.indicator_id, r.unit), []).append(r)
    ch = ch.astype({c: object for c in ch.columns if str(ch[c].dtype) in ("str", "string")})
    out = []
    for c in ch.itertuples(index=False):
        for prev_doc in previous[c.doc_id]:
            stated = stated_by.get((prev_doc, c.indicator_id, c.unit), [])
            # the earlier report's mention with the same phrase (企业 for 企业); else, unless the current value is a
            # 其中 part, the earlier report's headline candidates (a part is never compared with a total)
            pool = [r for r in stated if r.indicator and r.indicator == c.current_indicator]
            if not pool and role_at.get((c.doc_id, c.current_start)) != "subtotal":
                pool = [r for r in stated if r.role != "subtotal"]
            if not pool:
                continue
            i, _rule = pick_headline(list(range(len(pool))), [r.total_cue for r in pool], [r.section_id for r in pool],
                             pool[0].home_section)
            b = pool[i]
            cur_prec = _precision(c.current_surface, c.current, c.unit)
            tol = max(rel_tol * abs(b.value), _implied_halfwidth(c, cur_prec) + _precision(b.surface, b.value,
                                                                                            b.unit)) + 1e-9
            diff = float(b.value) - float(c.previous)
            approx = _approximate(c.qualifier) or _approximate(b.qualifier) or _approximate(c.current_surface)
            severity = "ok" if abs(diff) <= tol else ("info" if approx else "warning")
            evidence = (f"{c.surface}[{c.start}:{c.end}] of {c.current_surface}[{c.current_start}:{c.current_end}] "
                        f"vs {prev_doc}: {b.surface}[{b.start}:{b.end}]")
            out.append(dict(doc_id=c.doc_id, kind="year_over_year", stated=float(b.value),
                            computed=round(float(c.previous), 4), difference=round(diff, 4), evidence=evidence,
                            severity=severity, _pos=c.start))
    return out


def audit(metrics: pd.DataFrame, corpus: pd.DataFrame, *, checks: tuple[str, ...] | list[str] = CHECKS,
          passes: bool = True, yoy_tolerance: float = 0.01) -> pd.DataFrame:
    """Check the stated rates, totals and completion counts against each other, and across years.

    Parameters
    ----------
    metrics : DataFrame
        The metric table (:func:`lawgov_analysis.measures.metrics.extract_metrics`): ``doc_id, start, end,
        surface, value, unit, qualifier, indicator, comparison`` (``sentence_id`` when present groups mentions
        by sentence).
    corpus : DataFrame
        The report table (``doc_id, text``; ``year`` and the government columns for ``year_over_year``): the
        text is read for 其中 and for sentence boundaries.
    checks : sequence of str, keyword-only
        Which checks to run, any of :data:`CHECKS`: ``rate``, ``part_whole``, ``completion`` (within each
        report) and ``year_over_year`` (across reports; needs the corpus's ``year``). A pipeline that runs one
        report at a time passes the first three and runs :func:`year_over_year_checks` over the whole corpus.
    passes : bool, keyword-only
        Keep the checks that pass (``severity == "ok"``); ``False`` keeps only findings.
    yoy_tolerance : float, keyword-only
        Relative tolerance of the ``year_over_year`` check (0.01: within 1 % of the earlier report's value);
        the rounding of the stated numbers is allowed for on top when it is larger.

    Returns
    -------
    DataFrame
        One row per check, sorted by ``doc_id`` and position of the stated number:

        - ``doc_id`` (str)
        - ``kind`` (str): ``rate_mismatch`` (a % whose indicator ends in 率, recomputed from the count whose
          indicator shares most characters with it (numerator) and the nearest earlier count of the same unit
          at least as large (denominator), in the same sentence; a 不合格/未… numerator is compared as the
          complement), ``part_whole_mismatch`` (a total and the
          parts of the same unit listed after 其中), ``completion_gap`` (a received count 受理/收到/办理 … and
          the concluded count 办结/结案/审结/执结 … that follows it), ``year_over_year`` (a change in report Y
          (同比增长8.6%, 较上年减少12件, 下降3个百分点; :func:`lawgov_analysis.measures.panel.changes`) implies a
          previous-year value; the corpus holds the same government's report for Y−1 (same ``region_code``,
          ``level`` and ``department``; when either report has no ``region_code``, same ``province``,
          ``city``, ``region``, ``level`` and ``department``), and that report states the same indicator and
          unit: the mention with the same indicator phrase as the current value, else the mention its panel
          headline rule picks — except for a current value that is a 其中 part, which is compared only with
          the same part).
        - ``stated`` (float): the stated rate, the stated total, the received count, or the value report Y−1
          stated (``year_over_year``).
        - ``computed`` (float): the recomputed rate (percent), the sum of the parts, the concluded count, or the
          previous-year value implied by report Y.
        - ``difference`` (float): ``stated - computed``.
        - ``evidence`` (str): the spans involved, ``surface[start:end]``, e.g.
          ``4519件[4617:4622] / 4860件[4609:4614] vs 91.87%[4626:4632]``.
        - ``severity`` (str): ``ok`` (consistent; a rate within one unit of its last stated decimal, so
          97.46 passes for 97.468), ``error`` (rate off by more, or parts exceed the total), ``warning``
          (parts fall short of the total: the listing may not be exhaustive), ``info`` (a completion gap:
          information, not an error). ``year_over_year``: ``ok`` within ``yoy_tolerance`` (or the rounding
          of the stated numbers), ``warning`` outside it (the two reports disagree: a revision, a changed scope
          or an error — read both spans), ``info`` outside it when a number involved is hedged (余, 约 …).
        The ``evidence`` of a ``year_over_year`` row names both reports: ``8.6%[19:23] of 120件[10:14] vs
        anxian-2020: 110件[10:14]`` (spans of report Y, then the earlier report's ``doc_id`` and span).
    """
    checks = tuple(checks)
    for name in checks:
        check_option("checks", name, CHECKS)
    check_columns(metrics, ["doc_id", "start", "end", "surface", "value", "unit", "qualifier", "indicator"],
                  what="metrics")
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    texts = dict(zip(corpus["doc_id"].astype(str), corpus["text"]))
    used = ["doc_id", "start", "end", "surface", "value", "unit", "qualifier", "indicator", "comparison",
            "sentence_id"]
    df = metrics[[c for c in used if c in metrics.columns]].copy()
    if "comparison" not in df.columns:
        df["comparison"] = ""
    # plain Python strings: the checks read the rows one by one
    for col in ("qualifier", "indicator", "comparison", "unit", "surface"):
        df[col] = df[col].astype("string").fillna("").astype(object)
    df["doc_id"] = df["doc_id"].astype(str).astype(object)
    rows: list[dict] = []
    within = [f for name, f in (("rate", _rate_checks), ("part_whole", _part_whole_checks),
                                ("completion", _completion_checks)) if name in checks]
    if within and len(df):
        df = df.sort_values(["doc_id", "start"], kind="mergesort")
        records = list(df.itertuples(index=False))      # one row type for the whole table
        doc_ids = df["doc_id"].tolist()
        starts = df["start"].tolist()
        sids = df["sentence_id"].tolist() if "sentence_id" in df.columns else [None] * len(df)
        lo = 0
        while lo < len(doc_ids):  # sorted by doc_id: each report is one block, in doc_id order
            doc_id = doc_ids[lo]
            hi = lo + 1
            while hi < len(doc_ids) and doc_ids[hi] == doc_id:
                hi += 1
            text = texts.get(doc_id, "")
            if not isinstance(text, str):
                text = ""
            groups: dict = {}
            for key, row in zip(_sentence_keys(sids[lo:hi], starts[lo:hi], text), records[lo:hi]):
                groups.setdefault(key, []).append(row)
            qizhong = [m.start() for m in _QIZHONG.finditer(text)]
            for sent in groups.values():
                for check in within:
                    if check is _rate_checks:
                        rows.extend(check(doc_id, sent))
                    elif check is _part_whole_checks:
                        rows.extend(check(doc_id, sent, text, qizhong))
                    else:
                        rows.extend(check(doc_id, sent, text))
            lo = hi
    if "year_over_year" in checks:
        rows.extend(_year_over_year_rows(metrics, corpus, yoy_tolerance))
    return _table(rows, passes)


def year_over_year_checks(metrics: pd.DataFrame, corpus: pd.DataFrame, *, tolerance: float = 0.01,
                          passes: bool = True, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cross-report ``year_over_year`` rows of :func:`audit` alone (each report against the same
    government's reports of the year before; see :func:`audit` for the columns and the rule).

    ``tolerance`` is :func:`audit`'s ``yoy_tolerance``. A corpus without a ``year`` column gives no rows.
    ``changes``: the change table of ``metrics`` (:func:`lawgov_analysis.measures.panel.changes`, e.g. a
    store's ``changes``) when already at hand; then only the reports the check compares are read again (same
    rows).
    """
    check_columns(metrics, ["doc_id", "start", "end", "surface", "value", "unit", "qualifier", "indicator"],
                  what="metrics")
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    return _table(_year_over_year_rows(metrics, corpus, tolerance, changes), passes)


def _table(rows: list[dict], passes: bool) -> pd.DataFrame:
    if not passes:
        rows = [r for r in rows if r["severity"] != "ok"]
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype="float64" if c in ("stated", "computed", "difference")
                                          else "str") for c in AUDIT_COLUMNS})
    out = pd.DataFrame(rows)
    out = out.sort_values(["doc_id", "_pos", "kind"], kind="mergesort").drop(columns="_pos").reset_index(drop=True)
    return out[AUDIT_COLUMNS].astype({"doc_id": "str", "kind": "str", "stated": "float64", "computed": "float64",
                                      "difference": "float64", "evidence": "str", "severity": "str"})
