"""Further clues to who reports, for reports whose head and body name their government only indirectly.

Each function reads one kind of clue and returns a place or a name only when the clue points to exactly one:

- :func:`coded_place`: the 6-digit division code inside the page's own identifiers — the 18-character unified
  social credit code of a government body (GB 32100: characters 3-8 are the division where it is registered,
  ``11500226009341370B`` → 500226 荣昌区) or an index number that starts with a division code
  (``索 引 号：370402/2022-00029`` → 枣庄市市中区);
- :func:`reporter`: the body named in the report sentence itself (``现将宝城镇2025年度…情况报告如下``,
  ``现将市人社局2022年…报告予以公开``);
- :func:`municipality_named`: a 直辖市 named as the government of a 市-tier department (``市民政局`` with
  《天津市居民委员会工作条例》 cited, or ``地址：天津市和平区…`` in the contact line);
- :func:`media_province`: the province of a provincial report that names itself only through its own media
  (《甘肃日报》, 甘肃卫视).
"""

from __future__ import annotations

import re

from .gazetteer import Place, load_gazetteer

_HAN = r"\u4e00-\u9fff"
_YEAR = r"(?:19[89]\d|20\d\d)"
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

# A unified social credit code of a government body (登记管理部门 1 = 机构编制, 机构类别 1-9), standing alone.
# (The look-behind after the leading 1, which it includes, lets the search jump from one "1" to the next.)
_CREDIT_CODE = re.compile(r"1(?<![0-9A-Za-z]1)[1-9](\d{6})[0-9A-HJ-NPQRTUWXY]{9}[0-9A-HJ-NPQRTUWXY](?![0-9A-Za-z])")
_INDEX_CODE = re.compile(r"索\s*引?\s*号\s*[\]］]?\s*[:：]?\s*(\d{6})[/／-]")


def coded_place(lines: list[str]) -> tuple[Place | None, str]:
    """The division whose 6-digit code the page's own identifiers carry (a unified social credit code, or an
    index number starting with a division code), when they carry exactly one code of the code table."""
    gaz = load_gazetteer()
    text = "\n".join(lines[:24])
    codes = {m.group(1) for m in _CREDIT_CODE.finditer(text)} | {m.group(1) for m in _INDEX_CODE.finditer(text)}
    places = {c: gaz.places[c] for c in codes if c in gaz.places}
    if len(places) != 1:
        return None, "" if not places else f"the page's identifiers carry several division codes ({', '.join(places)})"
    (code, place), = places.items()
    return place, f"{place.name} {code}: the division code in the page's own identifiers"


# 现将宝城镇2025年度…报告如下 / 现将市人社局2022年…报告予以公开 / 现将东港区2023年…: the body that reports
_REPORTER = re.compile(rf"现将\s*([{_HAN}]{{2,20}}?(?:街道|镇|乡|县|区|市|旗|局|委员会|委|厅|办公室|办))"
                       rf"(?:人民政府|政府|办事处)?\s*(?:关于)?\s*{_YEAR}\s*年")


def reporter(lines: list[str]) -> str:
    """The government or department named in the report sentence (``现将宝城镇2025年度法治政府建设情况报告如下``),
    ``""`` when the sentence says 我局/本单位 or names nobody; only the first such sentence of ``lines`` counts."""
    for line in lines:
        m = _REPORTER.search(line)
        if m:
            name = m.group(1)
            return "" if re.match(r"^(?:我|本|全|各)", name) else name
    return ""


_ADDRESS = re.compile(rf"地\s*址\s*[:：]\s*([{_HAN}]{{2,30}})")


def municipality_named(text: str) -> tuple[Place | None, str]:
    """The 直辖市 whose 市-tier department reports (``市民政局``, ``市人社局``): the one municipality named with its
    suffix at the head of a cited document (《天津市居民委员会工作条例》), twice or more, or first in the contact
    address (``地址：天津市和平区建设路18号``), when no other municipality and no prefecture-level city is."""
    gaz = load_gazetteer()
    counts = {m: len(re.findall(m, text)) for m in _MUNICIPALITIES}
    cited = {m for m in _MUNICIPALITIES if re.search(rf"[《〈]{m}", text)}
    addressed = {m for a in _ADDRESS.findall(text) for m in _MUNICIPALITIES if a.startswith(m)}
    named = {m for m, n in counts.items() if n}
    strong = {m for m in named if counts[m] >= 2 or m in cited or m in addressed}
    cities = [n for n in gaz.names_in(text) if len(n) >= 3 and any(p.level == "市" for p in gaz.lookup(n))]
    if len(named) != 1 or len(strong) != 1 or cities:
        return None, ""
    place = gaz.lookup(strong.pop())[0]
    return place, f"{place.name}: the municipality named in the text (cited, in the address or twice)"


# A province's own newspaper or television: 《甘肃日报》, 甘肃卫视
_MEDIA = re.compile(rf"《([{_HAN}]{{2,3}})日报》|([{_HAN}]{{2,3}})卫视")


def media_province(text: str, short_names: dict[str, Place]) -> tuple[Place | None, str]:
    """The province of a provincial report named only through its own media (《甘肃日报》, 甘肃卫视): the one
    province (``short_names``: short form → place) whose media the text cites, when no other province's short
    form occurs anywhere in the text."""
    media = {s for m in _MEDIA.finditer(text) for s in m.groups() if s in short_names}
    used = {s for s in short_names if s in text}
    if len(media) != 1 or used != media:
        return None, ""
    place = short_names[media.pop()]
    return place, f"{place.name}: the province whose own media the report cites"
