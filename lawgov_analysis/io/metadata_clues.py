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
- :func:`county_city`: the county-level city (县级市) whose 市-tier department reports, named twice or cited;
- :func:`media_province`: the province of a provincial report that names itself only through its own media
  (《甘肃日报》, 甘肃卫视);
- :func:`autonomous_prefecture`: the autonomous prefecture (自治州) of a report whose own tier word is 州
  (州民宗局, 在州委、州政府的领导下), named once in any form (湘西州法治建设);
- :func:`shared_name_place`: which of the places sharing a name (朝阳区, 龙华区) a report is, by the one
  candidate whose province or city the text names anywhere, cited documents included (《北京市…》, 对广东、深圳…);
- :func:`leading_government`: the county, district or city whose 党委 and 政府 lead the author, named in full
  (``我镇在云安区委、区政府的坚强领导下``).
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    numbered = {_ABBREVIATED[a] for a in _MUNICIPAL_NUMBER.findall(text)}
    cities = [n for n in gaz.names_in(text) if len(n) >= 3 and any(p.level == "市" for p in gaz.lookup(n))]
    if not named and len(numbered) == 1 and not cities:  # 津党发〔2016〕24号: a document of 天津 cited by number
        place = gaz.lookup(numbered.pop())[0]
        return place, f"{place.name}: the municipality whose document numbers (津党发〔…〕) the text cites"
    if len(named) != 1 or len(strong) != 1 or cities or numbered - named:
        return None, ""
    place = gaz.lookup(strong.pop())[0]
    return place, f"{place.name}: the municipality named in the text (cited, in the address or twice)"


# A document number of a municipality's party committee or government: 津党发〔2016〕24号, 沪府规〔2021〕3号, 京政办发〔…〕
_ABBREVIATED = {"京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市"}
_MUNICIPAL_NUMBER = re.compile(rf"(?<![{_HAN}])([京津沪渝])(?:党|政|府|委)[{_HAN}]{{0,3}}[〔\[［(（]{_YEAR}[〕\]］)）]")
# The same for a province (苏政发〔2021〕1号, 苏依法办〔2019〕5号, 川府发…, 粤府办…). 宁 (宁夏 and 南京) and 青 (青海 and
# 青岛) are left out: their numbers do not tell the province; a city's number in the same province (苏府: 苏州) does.
_PROVINCE_ABBREVIATED = {"冀": "河北省", "晋": "山西省", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省",
                         "浙": "浙江省", "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省",
                         "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省",
                         "川": "四川省", "黔": "贵州省", "滇": "云南省", "云": "云南省", "藏": "西藏自治区", "陕": "陕西省",
                         "甘": "甘肃省"}
_PROVINCE_NUMBER = re.compile(rf"(?<![{_HAN}])([{''.join(_PROVINCE_ABBREVIATED)}])(?:党|政|府|委|依法|法治)[{_HAN}]{{0,3}}"
                              rf"[〔\[［(（]{_YEAR}[〕\]］)）]")


def numbered_province(text: str, short_names: dict[str, Place]) -> tuple[Place | None, str]:
    """The province of a provincial report or department whose text names no province but cites document numbers
    of one (苏依法办〔2019〕5号 → 江苏省), when no province's short form (``short_names``: short form → place) other
    than that one occurs in the text."""
    numbered = {_PROVINCE_ABBREVIATED[a] for a in _PROVINCE_NUMBER.findall(text)}
    if len(numbered) != 1:
        return None, ""
    name = numbered.pop()
    used = {p.name for s, p in short_names.items() if s in text}
    if used - {name}:
        return None, ""
    place = load_gazetteer().lookup(name)[0]
    return place, f"{place.name}: the province whose document numbers the text cites"


def county_city(text: str) -> tuple[Place | None, str]:
    """The county-level city (县级市: 海安市, 宜兴市) whose 市-tier department reports (``在市委、市政府的领导下，
    农业农村局…``): the one county-level city named twice or at the head of a cited document, when the text names
    no prefecture-level city other than the one it lies in and no other county-level city as often."""
    gaz = load_gazetteer()
    names = [n for n in gaz.names_in(text) if len(n) >= 3]
    cited = {m.group(1) for m in re.finditer(rf"[《〈](?:关于|印发)?([{_HAN}]{{2,8}}?市)", text)}
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    found = []
    for n, c in counts.items():
        places = gaz.lookup(n)
        if n.endswith("市") and len(places) == 1 and places[0].level == "县" and (c >= 2 or n in cited):
            found.append(places[0])
    if len(found) != 1:
        return None, ""
    place = found[0]
    prefectures = {p.name for n in counts for p in gaz.lookup(n) if p.level in ("市", "省") and len(n) >= 3}
    if prefectures - {place.city, place.province}:
        return None, ""
    return place, f"{place.name}: the only county-level city named in the text (cited or twice)"


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


# A province's short form in a frame that speaks of the province itself: "关于东北、辽宁振兴发展的重要讲话",
# "为江苏高质量发展", "对江苏工作重要讲话".
_PROVINCE_FRAME = r"(?=全面振兴|振兴|高质量发展|发展|工作|建设|经济社会)"


def framed_province(text: str, short_names: dict[str, Place]) -> tuple[Place | None, str]:
    """The province of a provincial report (or a 省 department's) that names it once by its short form in a frame
    about the province itself (``关于东北、辽宁振兴发展的重要讲话``, ``为江苏高质量发展``) or a slogan (``法治湖南``), at a sentence or list
    position (after 、，为/助力/推动 …), not as somewhere visited or helped (赴/学习/对口/支援 …), when no other
    province's short form occurs and every place named with its suffix lies in that province."""
    used = {s for s in short_names if s in text}
    if len(used) != 1:
        return None, ""
    short = used.pop()
    pattern = rf"(?:(?<=法治)|(?<=平安)){re.escape(short)}|{_BEFORE_CITY}{re.escape(short)}{_PROVINCE_FRAME}"
    hits = [m for m in re.finditer(pattern, text)
            if not _ELSEWHERE.search(text[max(0, m.start() - 6):m.start()])
            and not re.search(r"(?:支援|援助|帮扶|协作|对口)[、，,]?$", text[max(0, m.start() - 5):m.start()])]
    if not hits:
        return None, ""
    place = short_names[short]
    gaz = load_gazetteer()
    for name in gaz.names_in(text):
        if len(name) >= 3 and not any(p.code[:2] == place.code[:2] for p in gaz.lookup(name)):
            return None, ""
    return place, f"{place.name}: the one province the text names, by its short form ({short}) in a frame about it"


_ZONE = re.compile(r"(?:经济技术开发区|高新技术产业开发区|经开区|高新区|开发区|工业园区|园区|新区|保税区|自贸区)$")


def zone_city(name: str) -> Place | None:
    """The prefecture-level city of a development zone the code table does not list, from the city's name at
    the head of the zone's (``武汉经开区`` → 武汉市, ``株洲高新区`` → 株洲市); None when the name does not start
    with exactly one city's name, in full or by its short form (``金桥经开区``)."""
    if not _ZONE.search(name):
        return None
    gaz = load_gazetteer()
    stem = name[: _ZONE.search(name).start()]
    found = {}
    for cut in range(2, min(len(stem), 6) + 1):
        head = stem[:cut]
        for full in (head, head + "市") if not head.endswith("市") else (head,):
            for place in gaz.lookup(full):
                if place.level == "市":
                    found[place.code] = place
    return next(iter(found.values())) if len(found) == 1 else None


def addressed_child(lines: list[str], text: str, level: str) -> tuple[Place | None, str]:
    """The county or district (``level``: 区 or 县) whose report is addressed to its city (``中共景德镇市委、
    景德镇市人民政府：`` above "2022年，我区…"): the one of the city's districts or counties the text names, in full
    or by its short form (魅力新昌江 → 昌江区), when it names no other of them."""
    from .metadata_document import addressed_government

    parent, _why = addressed_government(lines)
    if parent is None or parent.level != "市" or level not in ("区", "县"):
        return None, ""
    gaz = load_gazetteer()
    children = [p for p in gaz.places.values() if p.city == parent.name and p.level in ("区", "县")]
    named = []
    for child in children:
        short = re.sub(r"(?:自治县|区|县|市|旗)$", "", child.name)
        if child.name in text or len(short) >= 2 and short in text:
            named.append(child)
    if len(named) != 1 or named[0].level != level:
        return None, ""
    return named[0], (f"{named[0].name}: the one {level} of {parent.name} (to which the report is addressed) "
                      "the text names")


def province_elsewhere(text: str, meta: dict) -> str:
    """The one province-level unit the text names (with its suffix) when it is not the province of the place
    ``meta`` was resolved to and the text names neither that province nor its city, else ``""``: the table's
    place is then likely a namesake of a county the table lacks (a 重庆市 district of 2024 merged since)."""
    gaz = load_gazetteer()
    names = set(gaz.names_in(text))
    provinces = {p.name for n in names for p in gaz.lookup(n) if p.level == "省" and len(n) >= 3}
    if len(provinces) != 1 or meta["province"] in provinces or meta["city"] in names:
        return ""
    return provinces.pop()


# A city named by its short form where a city department names its own city: "助力广州打造…", "为大连振兴发展",
# "考察绍兴重要讲话", or opening a sentence ("汕头因…").
_BEFORE_CITY = r"(?:(?<=^)|(?<=[。，,；;、“\n])|(?<=助力)|(?<=为)|(?<=服务)|(?<=建设)|(?<=法治)|(?<=平安)|(?<=考察)|(?<=视察)|" \
               r"(?<=推动)|(?<=打造)|(?<=奋力)|(?<=全力)|(?<=推进))"
_NOT_CITY = re.compile(r"长治久安|大同小异|中山装|来宾")
_ELSEWHERE = re.compile(rf"(?:学习|借鉴|参观|赴|到|前往|与|同|向|对口)[{_HAN}]{{0,3}}$")


@lru_cache(maxsize=1)
def _city_short_forms() -> dict[str, Place]:
    """The short forms of prefecture-level cities (广州, 大连) that no other city and no province shares."""
    from .metadata_document import is_province_short_name

    gaz = load_gazetteer()
    found: dict[str, list[Place]] = {}
    for place in gaz.places.values():
        if place.level == "市" and place.name.endswith("市") and place.name not in _MUNICIPALITIES:
            short = place.name[:-1]
            if len(short) >= 2 and not is_province_short_name(short):
                found.setdefault(short, []).append(place)
    return {s: p[0] for s, p in found.items() if len(p) == 1}


def short_city(text: str) -> tuple[Place | None, str]:
    """The prefecture-level city a 市-tier department's report names only by its short form (助力广州打造…,
    为大连振兴发展, 考察绍兴…): the one city so named, at a sentence's start or after 为/助力/考察/建设/法治 …,
    not as somewhere visited or learnt from (学习杭州经验), when the text names no place with its suffix outside
    that city."""
    shorts = _city_short_forms()
    gaz = load_gazetteer()
    clean = _NOT_CITY.sub("", text)
    pattern = _BEFORE_CITY + "(" + "|".join(sorted(map(re.escape, shorts), key=len, reverse=True)) + ")"
    found = {}
    for m in re.finditer(pattern, clean):
        if len(gaz.longest_name_at(clean, m.start(1))) > len(m.group(1)):  # 广州市, 中山门…: a longer name
            continue
        if _ELSEWHERE.search(clean[max(0, m.start(1) - 6):m.start(1)]):
            continue
        found[m.group(1)] = shorts[m.group(1)]
    if len(found) != 1:
        return None, ""
    place = next(iter(found.values()))
    for name in gaz.names_in(text):
        if len(name) >= 3 and not any(p.code == place.code or p.city == place.name or p.code == place.code[:2] + "0000"
                                      for p in gaz.lookup(name)):
            return None, ""
    return place, f"{place.name}: the one city the text names, by its short form ({place.name[:-1]})"


# "在云安区委、区政府的坚强领导下", "在海安市委、市人民政府领导下": the government above the author, named in full.
_LEADING = re.compile(rf"(?:在|和|及|、)([{_HAN}]{{1,8}}?[区县市旗])委[、，,和]?\s*(?:[区县市旗])?(?:人民)?政府")


def leading_government(lines: list[str]) -> tuple[Place | None, str]:
    """The county, district or city whose 党委 and 政府 lead the author (``我镇在云安区委、区政府的坚强领导下``), when
    the opening lines name exactly one such government and the code table knows that name once."""
    gaz = load_gazetteer()
    names = {m.group(1) for line in lines for m in _LEADING.finditer(line)}
    places = [p for n in names for p in gaz.lookup(n) if p.level in ("区", "县", "市")]
    if len(names) != 1 or len(places) != 1:
        return None, ""
    return places[0], f"{places[0].name}: the government whose 党委 and 政府 lead the author"


# 州 as the tier word of the author's own government (州委、州政府, 州人民政府), not the end of 自治州 or of a name.
_PREFECTURE_TIER = re.compile(r"(?:^|[^\u4e00-\u9fff]|[在和、，,及与])州(?:委|人民政府|政府)")


def autonomous_prefecture(text: str) -> tuple[Place | None, str]:
    """The autonomous prefecture of a report whose own tier word is 州 (``在州委、州政府的领导下``, ``州民宗局``): the
    one 自治州 the text names, in full or by its short form (湘西州, 伊犁州), once or more, when every other place it
    names is that prefecture's province or lies inside it."""
    if not _PREFECTURE_TIER.search(text):
        return None, ""
    gaz = load_gazetteer()
    named = {n: gaz.lookup(n) for n in gaz.names_in(text) if len(n) >= 3}
    found = {p.code: p for places in named.values() for p in places
             if p.level == "市" and p.name.endswith("自治州") and len(places) == 1}
    if len(found) != 1:
        return None, ""
    place = next(iter(found.values()))
    for places in named.values():
        if not any(p.code == place.code or p.city == place.name or p.code == place.province_code for p in places):
            return None, ""
    return place, f"{place.name}: the one autonomous prefecture named in a report of a 州 (州委、州政府)"


def shared_name_place(name: str, text: str) -> tuple[Place | None, str]:
    """The one place of those sharing ``name`` (通州区: 北京市 or 南通市) whose province or prefecture the text names
    anywhere — with its suffix, cited documents included (《北京市法治政府建设…》), or by a short form no other
    place shares (对广东、深圳…) — when no other candidate's province or prefecture is named at all."""
    gaz = load_gazetteer()
    candidates = [p for p in gaz.lookup(name) if p.level in ("区", "县", "市")]
    if len(candidates) < 2:
        return None, ""
    k, words = the_one_named(candidates, text)
    if k is None:
        return None, ""
    place = candidates[k]
    return place, f"{place.name}: of the places named {name}, the one whose {words} the text names"


def the_one_named(places: list[Place], text: str) -> tuple[int | None, str]:
    """The index of the one place of ``places`` (each a county-level unit) whose province or prefecture the text
    names — with its suffix anywhere (cited documents included) or by a short form no other name in the text
    contains — and the words found; ``(None, "")`` when none or several are so named."""
    from .metadata_document import province_short_names

    gaz = load_gazetteer()
    province_short = {p.name: s for s, p in province_short_names().items()}
    city_short = {p.name: s for s, p in _city_short_forms().items()}
    named = set(gaz.names_in(text))

    def evidence(place: Place) -> list[str]:
        found = [n for n in (place.province, place.city) if n and n != place.name and n in named]
        for full, shorts in ((place.province, province_short), (place.city, city_short)):
            short = shorts.get(full, "")
            if short and short in text and not any(len(n) > len(short) and short in n and n not in (
                    place.province, place.city) for n in named):
                found.append(short)
        return list(dict.fromkeys(found))

    hits = [(k, evidence(p)) for k, p in enumerate(places)]
    with_evidence = [(k, e) for k, e in hits if e]
    if len(with_evidence) > 1:  # 龙岗区 and 龙门县 both in 广东 (named), only 深圳 (named) holds one: the prefecture
        in_city = [(k, e) for k, e in with_evidence if any(w in (places[k].city, city_short.get(places[k].city))
                                                            for w in e)]
        if len(in_city) == 1 and all(places[k].province == places[in_city[0][0]].province for k, _ in with_evidence):
            with_evidence = in_city
    if len(with_evidence) != 1:
        return None, ""
    k, words = with_evidence[0]
    return k, "/".join(words)


_SUBJECT = re.compile(rf"^([{_HAN}]{{2,3}}?)(?=坚持|深入|认真|全面|紧紧|围绕|始终|扎实|积极|切实|持续|着力|聚焦|严格|不断|"
                      rf"进一步|大力|以习近平|按照|统筹)")


def subject_province(clause: str, text: str, short_names: dict[str, Place]) -> Place | None:
    """The province whose short form is the subject of the opening (``2024年，广东坚持以…``), when the text speaks
    of its own tier (全省, 省委, 省政府; 全区, 自治区党委 for an autonomous region), the short form is no city's
    (吉林, 北京) and no other province is named in full."""
    m = _SUBJECT.match(clause)
    if not m or m.group(1) not in short_names:
        return None
    place = short_names[m.group(1)]
    gaz = load_gazetteer()
    if gaz.lookup(m.group(1) + "市"):
        return None
    own = r"全区|自治区党委|自治区(?:人民)?政府" if place.name.endswith("自治区") else r"全省|我省|省委|省(?:人民)?政府"
    if not re.search(own, text[:4000]):
        return None
    if any(p.level == "省" and p.code != place.code for n in gaz.names_in(text[:4000]) for p in gaz.lookup(n)):
        return None
    return place
