"""The administrative level vocabulary: one list, used by metadata, manifests, summaries, plots and reuse.

A report's ``level`` is one of :data:`LEVELS`, top down. Manifests and older tables may carry other spellings
(自治区, 直辖市, 州, 盟, 旗, 镇, 乡 …, or English words); :func:`normalize_level` maps them onto the list, and
:func:`level_rank` sorts any value top down with unknown values last.
"""

from __future__ import annotations

import pandas as pd

#: The levels a report's ``level`` column takes, from the top down.
LEVELS: tuple[str, ...] = ("省", "市", "区", "县", "乡镇", "街道", "部门")

#: Other spellings of a level → the level in :data:`LEVELS`.
LEVEL_ALIASES: dict[str, str] = {
    "自治区": "省", "直辖市": "省", "province": "省",
    "地级市": "市", "州": "市", "自治州": "市", "盟": "市", "地区": "市", "prefecture": "市", "city": "市",
    "市辖区": "区", "district": "区",
    "县级市": "县", "旗": "县", "自治县": "县", "自治旗": "县", "特区": "县", "林区": "县", "county": "县",
    "镇": "乡镇", "乡": "乡镇", "民族乡": "乡镇", "苏木": "乡镇", "township": "乡镇", "town": "乡镇",
    "街道办事处": "街道", "street": "街道", "subdistrict": "街道",
    "department": "部门",
}

#: Levels above another level's government: a report of a level in the value may be a source of text for it.
HIGHER_LEVELS: dict[str, frozenset[str]] = {
    level: frozenset(LEVELS[: LEVELS.index(level)]) - ({"区"} if level == "县" else set()) for level in LEVELS
}


def normalize_level(value) -> str:
    """A level cell as one of :data:`LEVELS`, or ``""`` when it is empty or not a level.

    >>> normalize_level("镇"), normalize_level("自治区"), normalize_level("县"), normalize_level("村")
    ('乡镇', '省', '县', '')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value).strip()
    if text in LEVELS:
        return text
    return LEVEL_ALIASES.get(text, LEVEL_ALIASES.get(text.lower(), ""))


def level_rank(value) -> tuple[int, str]:
    """Sort key putting levels top down (省, 市, 区, 县, 乡镇, 街道, 部门), unknown ones after, empty last.

    >>> sorted(["部门", "", "县", "省", "村"], key=level_rank)
    ['省', '县', '部门', '村', '']
    """
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    level = normalize_level(text)
    if level:
        return (LEVELS.index(level), text)
    return (len(LEVELS) + (1 if text == "" else 0), text)


def is_higher_level(level, than) -> bool:
    """True when a government of ``level`` stands above one of level ``than`` (市 above 县; 县 not above 区).

    A department (部门) is above nothing; anything is above a department of a lower government only through its
    own level, which a report table does not record, so departments are never a higher level here.
    """
    a, b = normalize_level(level), normalize_level(than)
    return bool(a and b) and a in HIGHER_LEVELS[b] and a != "部门"
