"""Government identity: which reports belong to one government (the series a trend line or a year-over-year
check may join across years). The one definition every layer uses: plots, panel, audit, summaries, reuse.

Two reports are the same government when

* both have a ``region_code`` and their ``(region_code, level, department)`` agree; or
* one or both lack a code and their names ``(province, city, region, level, department)`` agree — an uncoded
  report joins the coded government of the same name when exactly one code carries that name in the table.

Reports with neither a code nor a region name are not joined to any other report.
"""

from __future__ import annotations

import pandas as pd

from .levels import normalize_level
from .validate import check_columns

__all__ = ["government_key"]


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def government_key(table: pd.DataFrame) -> pd.Series:
    """Which government each row's report belongs to.

    Parameters
    ----------
    table : DataFrame
        Rows with report metadata: any of ``region_code``, ``province``, ``city``, ``region``, ``level``,
        ``department`` (missing columns count as empty).

    Returns
    -------
    pandas.Series
        Same index as ``table``, dtype ``string``, named ``government``: ``code:<region_code>|<level>|<department>``
        for coded reports (and uncoded reports whose name belongs to exactly one code in the table),
        ``name:<province>/<city>/<region>|<level>|<department>`` for the others, ``<NA>`` when the report has
        neither a code nor a region name.

    >>> t = pd.DataFrame({"region_code": ["360202", "", ""], "region": ["昌江区", "昌江区", ""],
    ...                   "city": ["景德镇市", "景德镇市", ""], "level": ["区", "区", "区"]})
    >>> government_key(t).tolist()
    ['code:360202|区|', 'code:360202|区|', <NA>]
    """
    check_columns(table, [], what="table")
    fields = ("region_code", "province", "city", "region", "level", "department")
    columns = {c: [_text(v) for v in table[c].tolist()] if c in table.columns else [""] * len(table)
               for c in fields}
    rows = []
    for i in range(len(table)):
        get = {c: columns[c][i] for c in fields}
        tail = f"|{normalize_level(get['level']) or get['level']}|{get['department']}"
        name = f"name:{get['province']}/{get['city']}/{get['region']}{tail}" if get["region"] else None
        code = f"code:{get['region_code']}{tail}" if get["region_code"] else None
        rows.append((code, name))
    codes_of_name: dict[str, set[str]] = {}
    for code, name in rows:
        if code and name:
            codes_of_name.setdefault(name, set()).add(code)
    keys = []
    for code, name in rows:
        if code:
            keys.append(code)
        elif name and len(codes_of_name.get(name, ())) == 1:
            keys.append(next(iter(codes_of_name[name])))
        else:
            keys.append(name)
    return pd.Series(keys, index=table.index, dtype="string", name="government")
