"""Metadata from the whole document, for reports whose head does not say who and when.

Real reports often open with a general sentence ("根据…规定，现将我局…报告如下") and name their government
only further down: in a heading ("一、2022年度法治政府建设工作情况"), in a cited local document
(《岳阳县人民政府常务会会前学法制度》), in a slogan (建设法治古镛, 平安西兴), in "在市委、市政府坚强领导下" (the
tier of the government a department or town answers to) or in the town's own name used in the body (东庄镇发展
总体规划). Each function here reads one such source and says what it found; :func:`.metadata.infer_metadata`
uses them only for fields the head left empty, and only when the source points to exactly one candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.resources import read_lines
from .gazetteer import Place, load_gazetteer, resolve_chain
from .towns import TOWN_SUFFIXES, load_towns

_YEAR = r"(?:19[89]\d|20\d\d)"
_HAN = r"\u4e00-\u9fff"
# "一、2022年度法治政府建设工作情况", "一、2024年推进法治政府建设的主要举措", "（一）2023年工作开展情况"
_HEADING_YEAR = re.compile(rf"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*({_YEAR})\s*年"
                           rf"(?:度)?(?!\s*[—–\-~～至到])[^，。]{{0,30}}(?:情况|举措|成效|工作|总结|开展|总体)")
# "2024年以来，…", "2023年，清波街道…", "2021年在县委…" at the start of a sentence of the opening lines
_SENTENCE_YEAR = re.compile(rf"(?:^|[。；！])\s*(?:[^。；]{{0,160}}[，,]\s*)?({_YEAR})\s*年(?:度)?(?!\s*以来)"
                            rf"(?:\s*[，,、]|是|在|，?[{_HAN}]{{2,12}}(?:坚持|深入|认真|全面|紧紧|围绕|始终|法治))")
_SINCE_THIS_YEAR = re.compile(rf"^\s*({_YEAR})\s*年以来")
# 在市委、市政府…领导下 / 县委、县政府： / 在区委区政府的…下 — the tier of the government above the author
_TIER = re.compile(r"(?:在|^)(?:[^，。]{0,12}和)?(省|市|区|县|州|旗)委[、，,]?\s*(?:\1)?(?:人民)?政府")
_TIER_LEVEL = {"省": "省", "市": "市", "州": "市", "区": "区", "县": "县", "旗": "县"}


# The metadata table many government pages put above the text ("索 引 号：… 发布机构：… 标 题：…"); keys may be
# spaced out ("发 布 机 构") and several rows may share a line.
_KEYS = {"title": ("标题", "名称", "文件名称"), "publisher": ("发布机构", "发文机关", "发文机构", "发布单位"),
         "other": ("索引号", "主题分类", "分类", "发文字号", "文号", "成文日期", "发文日期", "发布日期", "有效性",
                   "时效", "主题词", "体裁分类", "内容概述", "生成日期")}


def _spaced(key: str) -> str:
    return r"\s*".join(key)


_ANY_KEY = "|".join(_spaced(k) for keys in _KEYS.values() for k in sorted(keys, key=len, reverse=True))
_ROW = re.compile(rf"(?:^|[\s\-•·|])(?:{_ANY_KEY})\s*[:：]")
_ROW_START = re.compile(rf"(?:{_ANY_KEY})\s*[:：]")
_CELL_KEY = re.compile(rf"\|\s*(?:{_ANY_KEY})\s*\|")
_TABLE_RULE = re.compile(r"[|\-:\s]+")


def is_metadata_row(line: str) -> bool:
    """True for a row of a page's metadata table (``索 引 号：…``, ``发布机构：…``, ``标 题：…``, or a table row
    with a key as one of its cells: ``| 关键词 | 发布机构 | X |``, and the table's ``|---|---|`` rule)."""
    line = line.strip()
    if line.startswith("|") and (_CELL_KEY.search(line) or _TABLE_RULE.fullmatch(line)):
        return True
    if ":" not in line and "：" not in line:   # every other row has a key and a colon (most lines of a head do not)
        return False
    line = line.lstrip("-•· |[")
    return bool(_ROW_START.match(line)) or len(_ROW.findall(line)) >= 2


def metadata_table(lines: list[str]) -> dict[str, str]:
    """``title`` and ``publisher`` from the metadata table of the head (``标 题：X``, ``发布机构：Y``, or a table's
    cells ``| 发布机构 | Y |``; a value may start the next line), empty when there is no table."""
    rows = [ln for ln in lines if is_metadata_row(ln)]
    if not rows:
        return {}
    flat = " ".join(lines)
    out = {}
    for field, keys in (("title", _KEYS["title"]), ("publisher", _KEYS["publisher"])):
        for key in keys:
            m = re.search(rf"(?<![{_HAN}])(?:\[\s*)?{_spaced(key)}\s*(?:\])?\s*(?:[:：]\s*\|?|\|)\s*([^\s:：|]{{2,80}})", flat)
            if m and not re.search(rf"(?:{_ANY_KEY})$", m.group(1)):
                out[field] = m.group(1).strip("-•·")
                break
    return out


def heading_year(lines: list[str]) -> int | None:
    """The year of the first numbered heading that names one (``一、2022年度…情况``)."""
    for line in lines:
        m = _HEADING_YEAR.match(line)
        if m:
            return int(m.group(1))
    return None


_PLAN_YEAR = re.compile(rf"《(?:[{_HAN}]{{0,12}}?)({_YEAR})\s*年度?(?![—–\-~～至到])[^》]{{0,30}}?(?:计划|要点|方案|清单)》")


def plan_year(lines: list[str]) -> int | None:
    """The year of the one annual plan the first section of the report cites (``乡党委坚持将学习…列入《2022年度
    党委理论学习中心组学习计划》``): the lines up to the second numbered heading (``二、``) cite annual plans of one year
    only and name no other year outside 《》; None when they cite none or several years, or name another
    (``2022年以来…《2021年…要点》``)."""
    years, others = set(), set()
    for k, line in enumerate(lines):
        if k and re.match(r"^[二三四五六七八九十]、", line):
            break
        years |= {int(m.group(1)) for m in _PLAN_YEAR.finditer(line)}
        others |= {int(y) for y in re.findall(rf"({_YEAR})\s*年", re.sub(r"《[^》]*》", "", line))}
    return years.pop() if len(years) == 1 and others <= years else None


# "。2022年我镇新制发…", "行政执法。2022年增福镇组织开展…": a sentence of the body that opens with its year and its subject
_BODY_YEAR = re.compile(rf"(?:^|[。；;：:])\s*({_YEAR})\s*年(?:度)?[，,]?\s*(?=我|全|[{_HAN}]{{2,8}}(?:镇|乡|街道|县|区|市|局))")
_ENCLOSED = re.compile(r"(?:报送|呈报|上报|报请|提交)[《〈]([^》〉]*?报告)[》〉]")


def enclosed_report_year(title: str) -> int | None:
    """The year of the report a covering letter encloses (``关于报送《浦东新区财政局2023年度法治政府建设情况报告》的
    报告`` → 2023), when the enclosed title names one year; None for other titles."""
    m = _ENCLOSED.search(title)
    years = set(re.findall(rf"({_YEAR})\s*年", _RANGE_IN_TITLE.sub("", m.group(1)))) if m else set()
    return int(years.pop()) if len(years) == 1 else None


_RANGE_IN_TITLE = re.compile(rf"{_YEAR}\s*(?:年)?\s*[—–\-~～至到]\s*{_YEAR}\s*年?")


def body_year(lines: list[str]) -> int | None:
    """The year that opens two or more sentences of the report's first section (``2022年我镇新制发规范性文件1件``,
    ``2022年增福镇组织开展…``), when no sentence of that section opens with another year; None otherwise."""
    found: list[int] = []
    for k, line in enumerate(lines):
        if k and re.match(r"^[二三四五六七八九十]、", line):
            break
        found += [int(m.group(1)) for m in _BODY_YEAR.finditer(line)]
    return found[0] if len(found) >= 2 and len(set(found)) == 1 else None


def sentence_year(lines: list[str]) -> int | None:
    """The year that opens a sentence of the first body lines (``2023年，清波街道…``; not ``2024年以来``, which
    says only since when, unless the same paragraph reports on 本年度/今年: ``2025年以来，…现将本年度…报告如下``)."""
    for line in lines:
        m = _SENTENCE_YEAR.search(line)
        if m:
            return int(m.group(1))
    for line in lines:
        m = _SINCE_THIS_YEAR.search(line)
        if m and re.search(r"本年度|今年", line[m.end():]):
            return int(m.group(1))
    return None


def superior_tier(lines: list[str]) -> str:
    """The tier (省/市/区/县) of the government whose 党委 and 政府 lead the author, "" when not said or mixed."""
    tiers = {_TIER_LEVEL[m.group(1)] for line in lines for m in _TIER.finditer(line)}
    return tiers.pop() if len(tiers) == 1 else ""


@dataclass
class Named:
    """A place named in the document: the place, how many times, and whether a cited document starts with it."""

    place: Place
    count: int
    cited: bool


def named_places(text: str, level: str) -> list[Named]:
    """Places of ``level`` named with their suffix anywhere in ``text`` (cited 《…》 titles included), each
    unambiguous by itself or by a province/prefecture also named; sorted by count, most first."""
    gaz = load_gazetteer()
    names = gaz.names_in(text)
    cited = {m.group(1) for m in re.finditer(rf"[《〈](?:中共)?(?:印发)?([{_HAN}]{{2,12}}?[省市区县州旗])", text)}
    # 〈杭州市上城区2024年…〉, 《2024年度象山县…》, “广州市小微企业…项目”: every name of the chain heading a cited title
    for m in re.finditer(rf"[《〈“](?:中共|关于|印发|{_YEAR}\s*年度?)*", text):
        i = m.end()
        while name := gaz.longest_name_at(text, i):
            cited.add(name)
            i += len(name)
    parents = [p for n in names for p in gaz.lookup(n) if p.level in ("省", "市") and len(n) >= 3]
    found: dict[str, Named] = {}
    for name in names:
        cands = [p for p in gaz.lookup(name) if p.level == level]
        if len(cands) > 1:
            cands = [c for c in cands if any(p.contains(c) and p.code != c.code for p in parents)]
        if len(cands) != 1 or len(name) < 3 and level != "省":
            continue
        place = cands[0]
        entry = found.setdefault(place.code, Named(place, 0, False))
        entry.count += 1
        entry.cited = entry.cited or any(c.startswith(name) or name.startswith(c) for c in cited)
    return sorted(found.values(), key=lambda n: (-n.count, n.place.code))


# Slogans that name a place by its short form: 建设法治高台, 法治象山建设, 平安西兴, 鱼复法治建设
_SLOGAN = re.compile(rf"(?:法治|平安)([{_HAN}]{{2,3}}?)(?=建设|为|的|[，,。、；”\s]|$)|([{_HAN}]{{2,3}})(?=法治建设)")
_SLOGAN_NOT = {"政府", "社会", "中国", "国家", "乡村", "建设", "文化", "思想", "宣传", "精神", "工作", "城市", "环境",
               "理念", "意识", "素养", "保障", "轨道", "方式", "思维", "道路", "体系", "队伍", "机关", "部门", "示范",
               "推进", "全面", "深入", "扎实", "持续", "加强", "基层", "领域", "系统", "单位", "校园", "医院", "新区"}
_TIER_SUFFIX = {"县": ("县",), "区": ("区",), "市": ("市",), "乡镇": ("镇", "乡"), "街道": ("街道",)}


def slogan_names(text: str) -> dict[str, int]:
    """Short place names used in slogans (建设法治高台 → 高台, 鱼复法治建设 → 鱼复), with their counts."""
    out: dict[str, int] = {}
    for m in _SLOGAN.finditer(text):
        # 谱写鱼复法治建设: the short name may be the last two of the three characters before 法治建设
        shorts = {m.group(1), m.group(1)[:2]} if m.group(1) else {m.group(2), m.group(2)[-2:]}
        for short in shorts - _SLOGAN_NOT:
            out[short] = out.get(short, 0) + 1
    return out


def slogan_place(text: str, level: str) -> tuple[Place | None, str]:
    """The one place of ``level`` (县/区/市) a slogan names by its short form (法治高台 → 高台县), when exactly one
    short name of the slogans is a place of that level and no other place of that level is named in full."""
    gaz = load_gazetteer()
    hits = {}
    for short in slogan_names(text):
        cands = [p for suffix in _TIER_SUFFIX.get(level, ()) for p in gaz.lookup(short + suffix) if p.level == level]
        if len(cands) == 1:
            hits[cands[0].code] = cands[0]
    if len(hits) != 1:
        return None, f"no {level} named by a slogan" if not hits else f"several {level} named by slogans"
    place = next(iter(hits.values()))
    others = [n for n in named_places(text, level) if n.place.code != place.code]
    if others:
        return None, f"a slogan names {place.name}, the text also {others[0].place.name}"
    return place, f"{place.name}: named by a slogan (法治{place.name[:-1]})"


def the_named_place(text: str, level: str) -> tuple[Place | None, str]:
    """The one place of ``level`` the document names, with the reason; None (and why) when none or several.

    A place counts when it is named twice or more, or once at the start of a cited document (《长治市交通运输局
    关于…》); a second place of the same level named as often makes it ambiguous.
    """
    named = [n for n in named_places(text, level) if n.count >= 2 or n.cited]
    if not named:
        return None, f"no {level} named in the text"
    if len(named) > 1 and named[1].count >= named[0].count:
        return None, f"several {level} named ({', '.join(n.place.name for n in named[:3])})"
    top = named[0]
    how = f"named {top.count} times" if top.count >= 2 else "named in a cited document"
    return top.place, f"{top.place.name}: the only {level} {how} in the text"


@lru_cache(maxsize=1)
def province_short_names() -> dict[str, Place]:
    """The short forms of the province-level units (江苏, 宁夏, 吉林) with their places."""
    gaz = load_gazetteer()
    out = {}
    for place in gaz.places.values():
        if place.level == "省" and not place.name.endswith("特别行政区"):
            short = re.sub(r"(?:(?:壮族|回族|维吾尔)?自治区|省|市)$", "", place.name)
            if len(short) >= 2:
                out[short] = place
    return out


def is_province_short_name(name: str) -> bool:
    """True for the short form of a province-level unit (江苏, 宁夏, 吉林)."""
    return name in province_short_names()


def the_province(text: str) -> tuple[Place | None, str]:
    """The province a provincial report (or a 省 department's) is about: the one province the text names (with
    its suffix, once or more), else the one whose short form (江苏, 宁夏) the text uses twice or more, when no
    other province is named at all."""
    place, why = the_named_place(text, "省")
    if place is not None:
        return place, why
    named = named_places(text, "省")
    if len(named) == 1:  # "湖南省法治人才库" once in a 省政府 report, no other province
        return named[0].place, f"{named[0].place.name}: the only province named in the text (once)"
    if named:
        return None, why
    counts = {short: text.count(short) for short in province_short_names()}
    used = {short: n for short, n in counts.items() if n}
    if len(used) == 1 and max(used.values()) >= 2:
        (short, n), = used.items()
        place = province_short_names()[short]
        return place, f"{place.name}: the only province named in the text ({short}, {n} times)"
    return None, why


def towns_named(text: str, level: str = "") -> dict[str, int]:
    """Town names of the town table used in ``text`` (longest at each place), with their counts; ``level``
    (乡镇 or 街道) keeps only those of that kind."""
    table = load_towns()
    suffixes = "|".join(sorted({re.escape(s) for s, _ in TOWN_SUFFIXES}, key=len, reverse=True))
    out: dict[str, int] = {}
    for m in re.finditer(suffixes, text):
        end = m.end()
        for length in range(min(10, end), 1, -1):
            name = text[end - length:end]
            if name in table.by_name:
                if not level or table.by_name[name][0].level == level:
                    out[name] = out.get(name, 0) + 1
                break
    return out


def the_named_town(text: str, level: str) -> tuple[str, str]:
    """The one town of ``level`` the text names (twice or more, and no other as often), with the reason; a town
    named once counts when no other town is named at all, it is not named as somewhere visited or learnt from,
    and it lies in a county or city the text names (下太镇委党校 in a report naming 清远市 and 英德市)."""
    every = towns_named(text)
    own = towns_named(text, level)
    table = load_towns()
    for short, count in slogan_names(text).items():  # 法治舒桥, 鱼复法治建设: the town by its short form
        full = [short + s for s in _TIER_SUFFIX.get(level, ()) if table.lookup(short + s)]
        if len(full) == 1:
            own[full[0]] = own.get(full[0], 0) + count
            every[full[0]] = every.get(full[0], 0) + count
    if level == "街道":  # 《黄石街2020年…工作要点》: a street's own document, by the short form Guangdong uses
        for short in re.findall(rf"《([{_HAN}]{{2,4}}?)街(?!道)", text):
            if table.lookup(short + "街道"):
                own[short + "街道"] = own.get(short + "街道", 0) + 1
                every[short + "街道"] = every.get(short + "街道", 0) + 1
    named = sorted(own.items(), key=lambda kv: -kv[1])
    once = [n for n, c in named if c == 1 and len(n) >= 3]
    named = [(n, c) for n, c in named if c >= 2 and len(n) >= 3]
    if not named and len(every) == 1 and once == list(every):
        name = once[0]
        visited = re.search(rf"(?:学习|参观|赴|到|前往|与|同|向)[{_HAN}]{{0,4}}{re.escape(name)}", text)
        gaz = load_gazetteer()
        places = [p for n in gaz.names_in(text) for p in gaz.lookup(n) if len(n) >= 3 and p.level != "省"]
        inside = [t for t in load_towns().lookup(name)
                  if any(p.code == t.county_code or (p.level == "市" and p.code[:4] == t.code[:4]) for p in places)]
        if not visited and len(inside) == 1:
            return name, f"{name}: the only town named in the text (once), in a place the text names"
        if not visited and not places and len(load_towns().lookup(name)) == 1 and len(name) >= 3:
            return name, f"{name}: the only town named in the text (once), a name no other town has"
        if not visited and re.search(rf"《{re.escape(name)}", text):  # 制定《大石镇…实施方案》: its own document
            return name, f"{name}: the only town named in the text (once), at the head of a cited document"
    if not named:
        return "", f"no {level} named twice in the text"
    if len(named) > 1 and named[1][1] >= named[0][1]:
        return "", f"several {level} named ({', '.join(n for n, _ in named[:3])})"
    return named[0][0], f"{named[0][0]}: the only {level} named {named[0][1]} times in the text"


_LEAD = r"(?:^|[，,。])\s*(?:" + _YEAR + r"\s*年(?:度)?(?:以来)?\s*[，,]?\s*)?"
_VERB = r"(?=坚持|深入|认真|全面|紧紧|围绕|始终|扎实|积极|切实|持续|着力|聚焦|严格|不断|以|在|按照|法治|领导班子)"
_OPEN_TOWN = re.compile(_LEAD + rf"([{_HAN}]{{2,6}}?(?:街道|镇|乡))" + _VERB)
_OPEN_DEPT = re.compile(r"(?:^|[。]|(?:要求|规定|精神|领导下|指导下)[，,])\s*(?:" + _YEAR + r"\s*年(?:度)?(?:以来)?\s*[，,]?\s*)?" + rf"((?:[省市区县])?[{_HAN}]{{2,10}}?(?:局|委员会|委|厅|办公室))" + _VERB)
_WE_DEPT = re.compile(r"(?:[，,]\s*|现将)我(?:局|委|厅|办)(?=[\u4e00-\u9fff《\d])(?!长|员)")
_GOV_ORGAN = re.compile(r"(?:^|[。；;]|[一二三四五六七八九十]是)\s*(省|市|区|县)(?:人民)?政府(?:第[^，。]{1,4}次)?(?:党组|常务会)")
_REPORT_SELF = re.compile(r"现将(?:我)?(省|市|区|县|镇|乡|街道)(?:人民)?政府")
# A town's or street's own party committee as the subject of a sentence (乡党委坚持…, 街道党工委…): its report.
_TOWN_COMMITTEE = {"乡党委": "乡镇", "镇党委": "乡镇", "街道党工委": "街道", "街道党委": "街道"}
_SELF_WORD = {"省": "省", "市": "市", "区": "区", "县": "县", "镇": "乡镇", "乡": "乡镇", "街道": "街道"}


def self_level(lines: list[str]) -> tuple[str, str]:
    """The author's level from the opening lines when the head gave none: a town of the town table that opens a
    sentence (``2023年，清波街道以…``), a department that does (``教育局坚持…``, with 县委、县政府 above it),
    or ``现将县人民政府2022年…报告如下``. Returns ``(level, reason)``; the reason of a town ends with its name."""
    table = load_towns()
    for line in lines:
        m = _OPEN_TOWN.search(line)
        if m and m.group(1) in table.by_name:
            name = m.group(1)
            return table.by_name[name][0].level, f"opening names the town {name}"
        d = _OPEN_DEPT.search(line)
        if d and d.group(1) in _TOWN_COMMITTEE:  # "乡党委坚持…": the town's own party committee, not a department
            return _TOWN_COMMITTEE[d.group(1)], f"the opening names the town's own {d.group(1)}"
        if d and not re.match(r"^(?:在|以|全|我|本|各)", d.group(1)) and not d.group(1).endswith("党委"):
            return "部门", f"the opening names the department {d.group(1)}"
        r = _REPORT_SELF.search(line)
        if r:
            return _SELF_WORD[r.group(1)], f"the report is of the {r.group(1)} government (现将…政府…)"
        if _WE_DEPT.search(line):
            return "部门", "the opening says 我局/我委 (a department)"
    department = re.search(r"我(?:局|委|厅|办)|[局委厅办]党组", "".join(lines))
    for line in [] if department else lines:
        # "市政府第36次党组会专题学习…", "县政府常务会议…" opening a sentence of a report with no department's voice
        g = _GOV_ORGAN.search(line)
        if g:
            return _SELF_WORD[g.group(1)], f"a sentence opens with the {g.group(1)} government's 党组/常务会议"
    return "", ""


def own_department(text: str, lines: list[str], region: str) -> str:
    """A department's name when the head said only 我局/我委: the department that opens a sentence of the first
    lines (``区人社局坚持…``), else one a cited document names after the region (《长治市交通运输局关于…》)."""
    for line in lines[:2]:
        d = _OPEN_DEPT.search(line)
        if d and not re.match(r"^(?:在|以|全|我|本|各)", d.group(1)):
            return d.group(1)
    if region:
        cited = {m.group(1) for m in re.finditer(
            rf"《{re.escape(region)}([{_HAN}]{{2,10}}?(?:局|委员会|厅))(?:关于|[{_HAN}]{{0,4}}年)", text)}
        if len(cited) == 1:
            return region + cited.pop()
    we = re.search(r"我(局|委|厅)(?![长员])", "\n".join(lines[:3]))
    if not we:
        return ""
    return tier_department(text, we.group(1)) or department_by_field(text, we.group(1))


_FIELD_FRAME = r"(?:(?<=法治){w}|{w}(?=领域|系统|事业|核心业务|业务|工作|部门|法治|机关|高质量发展|改革发展|行业))"


def department_by_field(text: str, suffix: str, *, source: str = "department_domains.txt") -> str:
    """A department named only by its field and its own 我局/我委/我厅 (``suffix``: 局, 委 or 厅): the one field of
    ``resources/department_domains.txt`` the text names as 法治X, X领域, X系统, X高质量发展 …, when no other
    field is named so; ``""`` otherwise. ``"人社局"`` for "我局…推进人社法治建设…", ``"交通运输厅"`` for
    "我厅…以推动交通运输高质量发展"."""
    if suffix not in ("局", "委", "厅"):
        return ""
    hits = {}
    for line in read_lines(source):
        words, _, name = line.partition("\t")
        pattern = "|".join(_FIELD_FRAME.format(w=re.escape(w)) for w in words.split("|"))
        count = len(re.findall(pattern, text))
        if count:
            hits[name.strip()] = count
    if len(hits) != 1:
        return ""
    (name, _count), = hits.items()
    return name + suffix


_SIGN_DATE = re.compile(rf"^{_YEAR}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日$")
_SIGNER = re.compile(rf"^(?:中共)?[{_HAN}]{{2,30}}(?:人民政府|办事处|局|厅|委员会|办公室)$")


def signature(lines: list[str]) -> str:
    """The signatory of the report: a government or department name on a line of its own followed by a date line
    (``湖州市交通运输局`` / ``2025年1月15日``); the last such pair of ``lines``, ``""`` when there is none."""
    found = ""
    for line, nxt in zip(lines, lines[1:]):
        if _SIGNER.match(line.strip()) and _SIGN_DATE.match(nxt.strip()):
            found = line.strip()
    return found


_REPORT_SENTENCE = re.compile(r"[^。！？\n]*(?:报告|汇报|总结|计划)如下")
# "…总结和2025年法治政府工作计划如下": the year of the plan announced with the report, not the report's
_PLAN_AHEAD = re.compile(rf"(?:和|及|以及)\s*({_YEAR})\s*年度?[^，,。和及、]{{0,16}}(?:计划|打算|思路|要点)")
_ASIDE = re.compile(rf"《[^》]*》|〔[^〕]*〕|[（(][^）)]*[）)]|{_YEAR}\s*年?\s*[—–\-~～至到]+\s*{_YEAR}\s*年?")


def report_year(lines: list[str]) -> int | None:
    """The year of a "…总结2025年度法治政府建设情况，现报告如下" sentence: the only year it names outside cited
    titles, document numbers, brackets and ranges, not counting a later year of a plan announced with the report
    ("现将2024年度…情况总结和2025年…计划如下"); None when it names none or several."""
    for line in lines:
        for m in _REPORT_SENTENCE.finditer(line):
            sentence = _ASIDE.sub("", m.group(0))
            years = set(re.findall(rf"(?<!\d)({_YEAR})\s*年", sentence))
            ahead = set(_PLAN_AHEAD.findall(sentence))
            if len(years - ahead) == 1 and all(int(a) > int(y) for a in ahead for y in years - ahead):
                years -= ahead  # "现将2024年度…情况总结和2025年…工作计划如下": 2024
            if len(years) == 1:
                return int(years.pop())
            if years:
                return None
    return None


def short_street(clause: str) -> str:
    """A street named by its short form as the subject of the opening (鹤龙街坚持… → 鹤龙街道), when the town
    table knows exactly that 街道; ``""`` otherwise."""
    m = re.match(rf"^([{_HAN}]{{2,4}}?)街(?!道){_VERB}", clause)
    if not m:
        return ""
    name = m.group(1) + "街道"
    return name if load_towns().lookup(name) else ""


# ---------------------------------------------------------------------------------------------------------
# A department's own name and government when the head says only 我局/我委 (issue 17, batch 6)

_ADDRESS_LINE = re.compile(rf"^(?:中共)?([{_HAN}]{{2,16}}?)委(?:员会)?[、，,\s]*(?:中共)?([{_HAN}]{{2,16}}?)(?:人民)?政府\s*[:：]$")
_WE_SUFFIX = re.compile(r"我(局|委|厅)(?![长员])")
_CITED_DEPT = re.compile(rf"《([{_HAN}]{{4,30}}?(?:局|委员会|厅))(?=关于|[{_HAN}]{{0,2}}{_YEAR}\s*年|{_YEAR})")
# Fields whose organs (公安机关) are one department named 厅 in a province and 局 below it, everywhere.
_FIXED_SUFFIX_FIELDS = ("公安",)
_SYSTEM_SUBJECT = re.compile(rf"^全([省市区县])([{_HAN}]{{2,10}}?)(?:系统|机关)")  # 全省司法行政系统, 全市公安机关
_SINCE_OPENING = re.compile(rf"^\s*({_YEAR})\s*年以来\s*[，,]")
_DOC_YEAR = re.compile(rf"[〔\[［]({_YEAR})[〕\]］]\s*\d+\s*号|(?:发布|发文|成文)(?:日期|时间)\s*[:：]\s*({_YEAR})")


def we_suffix(text: str) -> str:
    """局, 委 or 厅 when the text speaks as 我局/我委/我厅 (a department's report), else ``""``."""
    m = _WE_SUFFIX.search(text[:4000])
    return m.group(1) if m else ""


def _same_suffix(name: str, suffix: str) -> bool:
    return name.endswith("局") if suffix == "局" else name.endswith(("委", "委员会")) if suffix == "委" else \
        name.endswith("厅")


def addressed_government(lines: list[str]) -> tuple[Place | None, str]:
    """The government a department's report is addressed to, when an addressee line names it twice and alike
    (``乳山市委、乳山市人民政府：``, ``中共渠县县委、渠县人民政府：``): a department reports to its own government.
    Returns ``(place, reason)``; the place only when the code table knows exactly one of that name."""
    gaz = load_gazetteer()
    for line in lines[:8]:
        m = _ADDRESS_LINE.match(line.strip())
        if not m:
            continue
        committee, government = m.group(1), m.group(2)
        if committee != government and committee != government + government[-1]:  # 渠县县委 / 渠县人民政府
            continue
        places = gaz.lookup(government)
        if len(places) == 1:
            return places[0], f"{government}: the government the report is addressed to"
        return None, f"{government}: addressed to, but {len(places)} places have that name"
    return None, ""


def cited_department(text: str, suffix: str) -> tuple[str, Place | None, str]:
    """A department that cites one of its own documents by its full name (《江门市新会区统计局2022年…计划》,
    《邻水县林业局2024年度…方案》): the one department so cited, of the same kind as the text's 我局/我委/我厅,
    whose name starts with places of the code table. Returns ``(department, place, reason)``."""
    found = {name: place for name, (place, _) in _cited_departments(text).items() if _same_suffix(name, suffix)}
    if len(found) != 1:
        return "", None, (f"several departments cite their documents ({', '.join(found)})" if found else "")
    (name, place), = found.items()
    return name, place, f"{name}: the department whose own document the report cites"


def _cited_departments(text: str) -> dict[str, tuple[Place, str]]:
    """Departments cited by their full name at the head of a document title (《余杭区农业农村局2020年…》), each
    with its government (a place of the code table) and its own name after it (农业农村局)."""
    gaz = load_gazetteer()
    found: dict[str, tuple[Place, str]] = {}
    for m in _CITED_DEPT.finditer(text):
        name = m.group(1)
        names = [n for n in gaz.names_in(name) if name.startswith(n) or n in name[:12]]
        if not names:
            continue
        last = max(names, key=lambda n: name.index(n) + len(n))
        rest = name[name.index(last) + len(last):]
        if not 2 <= len(rest) <= 12 or re.search("[省市区县镇乡]$", rest[:-1]):
            continue
        res = resolve_chain([n for n in names if name.index(n) <= name.index(last)], context=text)
        if res.place is not None and res.place.name == last:
            found[name] = (res.place, rest)
    return found


def self_cited_department(text: str) -> tuple[str, Place | None, str]:
    """A report that names no government's voice (我县, 我区…) and whose subject is a department by its tier and
    name (``区农业农村局``) while it cites that department's own document in full (《余杭区农业农村局2020年法治工作
    要点》): that department's report. Returns ``(department, place, reason)`` when exactly one department fits."""
    if re.search(r"我(?:省|市|区|县|旗|镇|乡|街道)(?![委长])", text[:4000]):
        return "", None, ""
    fits = {}
    for name, (place, rest) in _cited_departments(text[:4000]).items():
        tiered = place.name[-1] + rest  # 区农业农村局
        if place.name[-1] in "市区县旗" and any(
                text[max(0, i - len(place.name) + 1):i + 1] != place.name for i in _finds(text[:4000], tiered)):
            fits[name] = place
    if len(fits) != 1:
        return "", None, ""
    (name, place), = fits.items()
    return name, place, f"{name}: the department the text names by its tier and whose own document it cites"


def _finds(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _field_names(source: str = "department_domains.txt") -> dict[str, str]:
    out = {}
    for line in read_lines(source):
        words, _, name = line.partition("\t")
        for w in [*words.split("|"), name.strip()]:
            out[w] = name.strip()
    return out


def tier_department(text: str, suffix: str) -> str:
    """The department a 我局/我委 report names with its tier somewhere in its first paragraphs (``区司法局党委书记、
    局长率先垂范``): the one tier + field + 局/委 of ``department_domains.txt`` named there (not inside a longer
    name such as 顺德区统计局), when no other is."""
    fields = _field_names()
    words = "|".join(sorted(map(re.escape, fields), key=len, reverse=True))
    kind = {"局": "局", "委": "(?:委员会|委)", "厅": "厅"}.get(suffix, "")
    if not kind:
        return ""
    found = {m.group(1) + fields[m.group(2)] + (m.group(3) if m.group(3) != "委员会" else "委")
             for m in re.finditer(rf"(?:^|(?<=[^{_HAN}])|(?<=[同与和及合由经向是对请]))([省市区县])({words})({kind})(?![长员])", text[:2500])}
    named = {f for f in found if not f.startswith("省") or suffix == "厅"}
    return named.pop() if len(named) == 1 else ""


def system_tier(clause: str) -> str:
    """省/市/区/县 when the clause opens with a field's 系统 or 机关 of that tier as its subject
    (``全省司法行政系统在省委…领导下``, ``全市公安机关以…``): the report is that field's department's, not the
    government's, even when it never says 我厅; ``""`` when the clause does not, or names no field of
    ``department_domains.txt`` (全县各系统, 全市各级行政机关)."""
    m = _SYSTEM_SUBJECT.match(clause)
    return m.group(1) if m and _field_names().get(m.group(2)) else ""


def system_department(clause: str, suffix: str) -> str:
    """``全市司法行政系统…`` opening a 我局 report: the department of that field and tier (``市司法局``); without
    我局/我厅 (``suffix`` empty) only for the police, whose organs are one department, a 厅 in a province and a 局
    below it (``全市公安机关…`` → 市公安局); ``全市司法行政系统…`` without 我局 claims no department."""
    m = _SYSTEM_SUBJECT.match(clause)
    if not m:
        return ""
    name = _field_names().get(m.group(2), "")
    if not suffix and name in _FIXED_SUFFIX_FIELDS:
        suffix = "厅" if m.group(1) == "省" else "局"
    if not suffix:
        return ""
    return m.group(1) + name + suffix if name else ""


def since_year(body: list[str], lines: list[str]) -> int | None:
    """The year of an opening ``2025年以来，…`` when the document's own number or date is of that year
    (``雷东府〔2025〕26号``) or of the next (``保政呈〔2025〕5号`` + ``2024年以来，我市…``: the annual report written
    early in the next year), or when the same sentence cites that year's plan (《2023年…工作要点》) — a report on
    that year, not a look back over several years."""
    m = _SINCE_OPENING.match(body[0]) if body else None
    if not m:
        return None
    year = int(m.group(1))
    if re.search(rf"《{year}\s*年[^》]{{0,30}}(?:工作要点|工作计划|工作安排)》", body[0]):
        return year  # "2023年以来，…贯彻落实《2023年法治路桥建设工作要点》": a report on that year's plan
    for line in lines[:12]:
        d = _DOC_YEAR.search(line)
        if d and int(d.group(1) or d.group(2)) in (year, year + 1):
            return year
    return None


def visited_municipality(text: str) -> Place | None:
    """The municipality of a 直辖市's own report that names itself only as the place 总书记 visited
    (``视察重庆重要讲话``, ``考察上海``): the one municipality so named, else None."""
    found = set(re.findall(r"(?:视察|考察)(北京|天津|上海|重庆)", text[:4000]))
    if len(found) != 1:
        return None
    places = load_gazetteer().lookup(found.pop() + "市")
    return places[0] if len(places) == 1 else None
