"""How far to trust a report's inferred metadata, and what a researcher should check first.

:func:`metadata_confidence` grades the three keys of every comparison (year, region, level) by where they came
from; :func:`check_reason` turns the grade and the notes into a short reason for the ``check`` column of
``lawgov-analysis manifest`` (empty when nothing needs checking).

Grades
------
``high``
    year, region and level are all filled, the region has its code, each came from the title, the opening,
    the manifest or the code table, and no inference or conflict was noted.
``medium``
    all three are filled, but at least one was inferred from the rest of the document (a heading, a cited
    document, the one place named twice), from the file name or the site's domain, or the place has no code
    (a town whose county is not named), or a conflict between sources was noted.
``low``
    year, region or level is empty, or the region is a name several places share (朝阳区) or one the code
    table does not know.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: Values of ``metadata_confidence``.
CONFIDENCE = ("high", "medium", "low")
#: Sources read from the report's own statement (or the researcher's manifest, or the code table).
_STATED = {"manifest", "title", "opening", "gazetteer"}
#: Notes saying the place name is shared or unknown: the name may be right, its place is not settled.
_UNSETTLED = ("ambiguous", "shared by", "not in the region table")


def _filled(value) -> bool:
    if value is None:
        return False
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return str(value).strip() != ""


def metadata_confidence(meta: Mapping) -> str:
    """``high``, ``medium`` or ``low`` for one report's metadata (a row of the corpus table or the dict of
    :func:`~lawgov_analysis.io.metadata.infer_metadata`); see the module docstring for the rule."""
    note = str(meta.get("metadata_note") or "")
    if not all(_filled(meta.get(k)) for k in ("year", "region", "level")):
        return "low"
    if any(word in note for word in _UNSETTLED):
        return "low"
    stated = all(str(meta.get(k) or "") in _STATED for k in ("year_source", "region_source", "level_source"))
    if stated and _filled(meta.get("region_code")) and not note:
        return "high"
    return "medium"


def check_reason(meta: Mapping) -> str:
    """Why a researcher should check this report's metadata first ("" when nothing calls for it): empty year,
    region or level, a place name several places share, or low confidence for another reason."""
    reasons = [f"{key} empty" for key in ("year", "region", "level") if not _filled(meta.get(key))]
    note = str(meta.get("metadata_note") or "")
    if _filled(meta.get("region")) and any(word in note for word in _UNSETTLED):
        kind = "not in the code table" if "not in the region table" in note else "shared by several places"
        reasons.append(f"{meta.get('region')}: {kind}, no region_code")
    confidence = meta.get("metadata_confidence") or metadata_confidence(meta)
    if confidence == "low" and not reasons:
        reasons.append("low confidence")
    return "; ".join(reasons)
