"""Labels and orders that make report tables readable in figures and summaries.

A report is labelled ``region·year`` (:func:`report_labels`), reports are ordered by province, level, region
and year (:func:`report_order`), section ids in document order (:func:`section_sort_key`), levels top down
(:func:`lawgov_analysis.core.levels.level_rank`), and a government
(:func:`lawgov_analysis.core.government.government_key`) is named by a short label (:func:`government_labels`).
Groups beyond a figure's limit are called :data:`OTHER_LABEL`, rows without a grouping value
:data:`MISSING_LABEL`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..core.levels import level_rank
from ..core.validate import check_columns

#: Label of the group that collects the categories beyond a figure's limit.
OTHER_LABEL = "其他"

#: Label of rows whose grouping value is missing.
MISSING_LABEL = "(未填)"

#: Report columns a figure joins from the report table (``corpus``) when its table lacks them.
REPORT_COLUMNS = ("region", "region_code", "province", "parent_region", "city", "level", "year", "department")


def value_text(value) -> str:
    """A metadata value as text: years without ``.0``, missing as ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


_NUMERAL_RUN = re.compile(r"[零〇一二三四五六七八九十百千两]+|\d+")


def section_sort_key(section_id) -> tuple:
    """Sort key putting section ids in document order: ``一(二)`` before ``一(三)``, ``一(十)`` after ``一(九)``.

    Each run of Chinese or Arabic numerals in the id becomes its value (``"一(三)6"`` → ``(1, 3, 6)``), so the
    order follows the report's numbering, not Unicode (where 三 sorts before 二). Ids without numerals sort
    last, by their text.

    >>> sorted(["一(三)", "一(二)", "二", "一(十)", "0"], key=section_sort_key)
    ['0', '一(二)', '一(三)', '一(十)', '二']
    """
    from ..core.numerals import parse_chinese

    text = value_text(section_id)
    nums = []
    for m in _NUMERAL_RUN.finditer(text):
        run = m.group()
        value = int(run) if run.isdigit() else parse_chinese(run)
        nums.append(int(value) if value is not None else 10**9)
    return (0 if nums else 1, tuple(nums), text)


def _level_rank(level) -> tuple:
    return level_rank(value_text(level))


def report_labels(table: pd.DataFrame) -> pd.Series:
    """A readable label per report, ``region·year`` (``昌江区·2021``), indexed by ``doc_id``.

    Parameters
    ----------
    table : DataFrame
        The report table, or any table with ``doc_id`` and report columns (``region``, ``year``; optional
        ``department``). One label per distinct ``doc_id``.

    Returns
    -------
    pandas.Series
        ``doc_id`` → label: the non-empty parts of ``region``, ``department`` and ``year`` joined by ``·``;
        the ``doc_id`` when they are all empty; ``label (doc_id)`` when two reports would share a label.
    """
    check_columns(table, ["doc_id"], what="table")
    docs = table.drop_duplicates("doc_id").set_index("doc_id")
    parts = [c for c in ("region", "department", "year") if c in docs.columns]
    labels = {}
    for doc_id, row in docs.iterrows():
        text = "·".join(t for t in (value_text(row[c]) for c in parts) if t)
        labels[doc_id] = text or str(doc_id)
    out = pd.Series(labels, dtype="object", name="label")
    dup = out.duplicated(keep=False) & (out != pd.Series(out.index, index=out.index).astype(str))
    out[dup] = [f"{lab} ({doc})" for doc, lab in out[dup].items()]
    out.index.name = "doc_id"
    return out


def report_order(table: pd.DataFrame) -> list:
    """``doc_id`` values in a meaningful order: by province, level (top down), region, department, year."""
    check_columns(table, ["doc_id"], what="table")
    docs = table.drop_duplicates("doc_id")

    def key(row):
        return (value_text(row.get("province", "")), _level_rank(row.get("level", "")),
                value_text(row.get("region", "")), value_text(row.get("department", "")),
                value_text(row.get("year", "")), str(row["doc_id"]))

    return [r["doc_id"] for r in sorted(docs.to_dict("records"), key=key)]


def government_labels(df: pd.DataFrame, key: pd.Series) -> dict:
    """Government key → a short label (region, department and level), for a figure's legend.

    Parameters
    ----------
    df : DataFrame
        Report rows with ``region``, ``department`` and ``level`` (missing columns count as empty).
    key : Series
        The government key of each row of ``df`` (:func:`lawgov_analysis.core.government.government_key`);
        rows without a key are skipped.

    Returns
    -------
    dict
        key → label, e.g. ``安县 (县)``; two governments with one label get their province and city (or their
        region code) added: ``城关镇 (乡镇) · 甘肃省兰州市``.
    """
    out = {}
    for k, row in zip(key, df.to_dict("records")):
        if pd.isna(k) or k in out:
            continue
        parts = [value_text(row.get("region", "")), value_text(row.get("department", ""))]
        text = "".join(p for p in parts if p) or _key_place(k)
        level = value_text(row.get("level", ""))
        out[k] = f"{text} ({level})" if level and not text.endswith(level) else text
    # two governments with one label (one name in two provinces or cities): add the province and city or code
    labels = pd.Series(out, dtype="object")
    for k in labels[labels.duplicated(keep=False)].index:
        out[k] = f"{out[k]} · {_key_place(k)}"
    return out


def _key_place(key) -> str:
    """Where a government key points: the region code of a ``code:`` key, province and city of a ``name:`` key."""
    kind, _, rest = str(key).partition(":")
    head = rest.split("|")[0]
    return "".join(head.split("/")[:2]) if kind == "name" else head


def join_report_columns(table: pd.DataFrame, corpus: pd.DataFrame | None, *,
                        columns: Sequence[str] = REPORT_COLUMNS) -> pd.DataFrame:
    """``table`` with the report ``columns`` it lacks joined from ``corpus`` on ``doc_id``.

    Only columns present in ``corpus`` are joined; ``table`` is returned unchanged without a ``corpus`` or
    without a ``doc_id`` column. The rows of ``table`` are kept, in order.
    """
    if corpus is None or "doc_id" not in table.columns:
        return table
    check_columns(corpus, ["doc_id"], what="corpus")
    add = list(dict.fromkeys(c for c in columns if c not in table.columns and c in corpus.columns))
    if not add:
        return table
    meta = corpus.drop_duplicates("doc_id").set_index("doc_id")[add]
    return table.join(meta, on="doc_id")


def category_order(values: pd.Series, column: str) -> list:
    """Distinct values in a meaningful order: levels top down, sections in document order, numbers ascending."""
    vals = list(pd.unique(values))
    if column == "level":
        return sorted(vals, key=_level_rank)
    if column.startswith("section"):
        return sorted(vals, key=section_sort_key)
    try:
        return sorted(vals)
    except TypeError:
        return sorted(vals, key=str)


__all__ = [
    "OTHER_LABEL", "MISSING_LABEL", "REPORT_COLUMNS", "value_text", "section_sort_key", "report_labels",
    "report_order", "government_labels", "join_report_columns", "category_order",
]
