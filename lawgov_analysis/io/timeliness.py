"""Publication timeliness: when each report went online, against the legal deadline for publishing it.

The deadline is set by 《法治政府建设与责任落实督察工作规定》 (issued by the General Offices of the CPC Central
Committee and of the State Council, 厅字〔2019〕28号, May 2019), **第二十四条**: "每年4月1日之前，地方各级政府和县级
以上政府部门的法治政府建设年度报告，除涉及党和国家秘密的，应当通过报刊、网站等新闻媒体向社会公开，接受人民群众
监督。" The report on year *Y* is therefore due online before 1 April of *Y* + 1: its last day is **31 March of
Y + 1** (:data:`DEADLINE_MONTH`, :data:`DEADLINE_DAY`). Earlier, 《法治政府建设实施纲要（2015—2020年）》 asked for
reports "每年第一季度" — the same last day.

The publication date comes from the manifest's ``published`` column (``lawgov-analysis fetch`` writes the page's
发布时间/发布日期, else the date htmldate finds; a researcher may type it in). :func:`publication_timeliness`
adds the date, the deadline and the difference in days to the report table; :func:`timeliness_summary`
counts reports on time and late per year.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pandas as pd

log = logging.getLogger(__name__)

__all__ = ["DEADLINE_MONTH", "DEADLINE_DAY", "TIMELINESS_COLUMNS", "publication_deadline", "parse_published",
           "publication_timeliness", "timeliness_summary"]

#: Month and day of the last day to publish the report on year Y, in year Y + 1 (督察工作规定 第二十四条).
DEADLINE_MONTH, DEADLINE_DAY = 3, 31

#: Columns :func:`publication_timeliness` adds (``published`` replaced when present).
TIMELINESS_COLUMNS = ["published", "publication_deadline", "days_after_deadline"]

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def publication_deadline(year: int) -> dt.date:
    """The last day to publish the report on ``year``: 31 March of the next year.

    >>> publication_deadline(2021)
    datetime.date(2022, 3, 31)
    """
    return dt.date(int(year) + 1, DEADLINE_MONTH, DEADLINE_DAY)


def parse_published(value) -> dt.date | None:
    """A publication date from a manifest cell: ``2022-03-30``, ``2022/3/30``, ``2022年3月30日``, ``2022.03.30``,
    with or without a time after it, or a date/timestamp object. ``None`` when empty or not a date.

    >>> parse_published("2022年3月30日 10:05"), parse_published(""), parse_published("next spring")
    (datetime.date(2022, 3, 30), None, None)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.search(str(value))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def publication_timeliness(corpus: pd.DataFrame, *, published: str = "published") -> pd.DataFrame:
    """The report table with its publication date and the days between it and the legal deadline.

    Parameters
    ----------
    corpus : DataFrame
        The report table (``doc_id``, ``year``); its ``published`` column (strings as the manifest gives them,
        or dates) is read when present. Without one, every date is missing.
    published : str, keyword-only
        The column holding the publication date.

    Returns
    -------
    DataFrame
        The same rows and columns (a copy), with:

        - ``published`` (datetime64, ``NaT`` when unknown): the publication date, parsed by
          :func:`parse_published`. A non-empty cell that is not a date is logged (naming the report) and left
          ``NaT``; the report is kept.
        - ``publication_deadline`` (datetime64, ``NaT`` without a year): 31 March of ``year + 1``
          (:func:`publication_deadline`, 督察工作规定 第二十四条).
        - ``days_after_deadline`` (Int64): ``published − publication_deadline`` in days; negative = published
          that many days before the deadline, 0 = on the last day, positive = late; ``<NA>`` when either date is
          missing.

    >>> t = publication_timeliness(pd.DataFrame({"doc_id": ["a", "b"], "year": [2021, 2021],
    ...                                          "published": ["2022-03-20", "2022年4月2日"]}))
    >>> t["days_after_deadline"].tolist()
    [-11, 2]
    """
    out = corpus.copy()
    raw = out[published] if published in out.columns else pd.Series([None] * len(out), index=out.index)
    dates = []
    for doc_id, value in zip(out["doc_id"] if "doc_id" in out.columns else out.index, raw):
        date = parse_published(value)
        if date is None and value is not None and not pd.isna(value) and str(value).strip():
            log.warning("%s: published %r is not a date; left empty", doc_id, value)
        dates.append(date)
    years = pd.to_numeric(out["year"], errors="coerce") if "year" in out.columns else pd.Series(pd.NA, out.index)
    deadlines = [publication_deadline(y) if pd.notna(y) else None for y in years]
    out["published"] = pd.to_datetime(pd.Series(dates, index=out.index, dtype=object))
    out["publication_deadline"] = pd.to_datetime(pd.Series(deadlines, index=out.index, dtype=object))
    days = (out["published"] - out["publication_deadline"]).dt.days
    out["days_after_deadline"] = days.astype("Int64")
    return out


def timeliness_summary(timeliness: pd.DataFrame, *, by: str = "year") -> pd.DataFrame:
    """Reports published on time and late, per group.

    Parameters
    ----------
    timeliness : DataFrame
        :func:`publication_timeliness` of the report table.
    by : str, keyword-only
        Grouping column (``year``, ``level``, ``province`` …); missing values form the group ``(未填)``.

    Returns
    -------
    DataFrame
        One row per group, sorted by it: ``<by>``, ``reports`` (rows), ``dated`` (with a publication date and a
        year), ``on_time`` (``days_after_deadline <= 0``), ``late`` (``> 0``), ``share_on_time`` (on_time /
        dated, NaN when none is dated), ``median_days`` (median ``days_after_deadline``, NaN when none).
    """
    if by not in timeliness.columns:
        raise ValueError(f"by must be a column of the table, got {by!r}")
    key = timeliness[by].astype("string").fillna("(未填)").replace("", "(未填)")
    days = timeliness["days_after_deadline"].astype("Float64")
    rows = []
    for group in sorted(key.unique(), key=str):
        d = days[key == group].dropna()
        rows.append({by: group, "reports": int((key == group).sum()), "dated": len(d),
                     "on_time": int((d <= 0).sum()), "late": int((d > 0).sum()),
                     "share_on_time": float((d <= 0).mean()) if len(d) else float("nan"),
                     "median_days": float(d.median()) if len(d) else float("nan")})
    return pd.DataFrame(rows, columns=[by, "reports", "dated", "on_time", "late", "share_on_time", "median_days"])
