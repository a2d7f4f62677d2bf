"""Complete a report's metadata from the whole document once the head has been read (see :mod:`.metadata`).

:func:`complete_from_document` fills only fields the head left empty, from the sources of
:mod:`.metadata_document` (headings, the opening lines, cited documents, slogans, the signature block), and gives a
town or street its 9-digit code (:func:`town_code`).
"""

from __future__ import annotations

import re

from . import metadata_clues as clues
from . import metadata_document as doc
from .gazetteer import (
    Place,
    domain_region,
    former_place,
    load_gazetteer,
    pinyin_places,
    pinyin_region,
    resolve_chain,
)
from .metadata_names import full_department_name
from .towns import resolve_town

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def fill_place(meta: dict, place: Place) -> None:
    """Fill ``region, region_code, province, city`` of ``meta`` from a place of the code table."""
    meta["region"], meta["region_code"] = place.name, place.code
    meta["province"] = place.province
    meta["city"] = place.city if place.level != "省" else ""


def complete_from_document(meta: dict, notes: list[str], text: str, body: list[str], *, level_hint: str,
                            site_url: str, domains, self_tier: str = "") -> None:
    """Fill what the head left empty from the whole document (see :mod:`.metadata_document`), then give a town
    or street its 9-digit code when its county is known or the name is unique."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if meta["year"] is None:
        year, how = doc.heading_year(lines[:60]), "heading"
        if year is None:
            year, how = doc.sentence_year(body[:4]), "opening"
        if year is None:
            year, how = doc.report_year(lines[:12]), "opening"
        if year is None:
            year, how = doc.since_year(body[:1], lines), "opening"
        if year is None:  # 列入《2022年度党委理论学习中心组学习计划》 in the first section: the year of its work
            year, how = doc.plan_year(lines[:30]), "plan"
        if year is None:  # "。2022年我镇新制发…" and "2022年增福镇组织开展…" in the first section
            year, how = doc.body_year(lines[:40]), "plan"
        if year is not None:
            meta["year"], meta["year_source"] = year, "document" if how in ("heading", "plan") else "opening"
            notes[:] = [n for n in notes if not n.startswith("no year")]
            where = {"heading": "first heading", "plan": "first section (annual plan or sentences)"}.get(how, "opening lines")
            notes.append(f"year {year} from the {where}")
    coded, coded_why = clues.coded_place(lines)
    other = ""
    if meta["region_code"] and meta["level"] in ("区", "县", "部门") and meta["province"]:
        other = clues.province_elsewhere(text, meta)
        if other:  # 江北区 (宁波市 in the table) in a report citing only 《重庆市…》: a namesake the table lacks
            meta["region_code"] = meta["province"] = meta["city"] = ""
            notes.append(f"{meta['region']}: the code table's one place of that name lies in another province "
                         f"than the one the text names ({other}); province, city and code left empty")
    former = former_place(meta["region"]) if meta["region"] and not meta["province"] else None
    if former is not None and meta["level"] in ("区", "县", "部门") and (
            other == former.province or not other and not load_gazetteer().lookup(meta["region"])):
        # 渝北区 (500112), no longer in the table; 江北区 of 重庆市 beside 宁波市's: the former unit's province and city
        meta["province"], meta["city"] = former.province, former.city
        notes.append(f"{former.name}: a former division ({former.code}, {former.province}) the code table no "
                     "longer lists; province and city from resources/former_divisions.csv, no region_code")
    if meta["region"] and not meta["region_code"] and not meta["province"] and meta["level"] in ("区", "县", "市", "部门"):
        shared, why = clues.shared_name_place(meta["region"], text)
        if shared is not None:  # 通州区 + 《北京市法治政府建设…》: the candidate whose province or city the text names
            fill_place(meta, shared)
            notes[:] = [n for n in notes if not n.startswith(f"{shared.name} is ambiguous")
                        and not n.startswith(f"{shared.name}: the name is shared")]
            notes.append(why)
    reporter_tier = reporter_named(meta, notes, body[:6]) if not meta["region"] else ""
    level = meta["level"] or level_hint
    if level == "部门" and not self_tier and doc.we_suffix(text) == "厅":
        self_tier = "省"  # 我厅: a 厅 is a provincial department (广东省司法厅)
    if not meta["region"] and coded is not None and (
            level in ("区", "县", "市", "省") and coded.level == level
            or level == "部门" and (not self_tier or coded.level == self_tier
                                  or {self_tier, coded.level} <= {"区", "县"})):
        fill_place(meta, coded)  # 11500226009341370B: the department's (or government's) own division
        meta["region_source"] = "document"
        notes.append(coded_why)
    if not level:
        level, how = doc.self_level(body[:4])
        dept, place, why = ("", None, "") if level else doc.self_cited_department(text)
        if place is not None:  # 区农业农村局 + 《余杭区农业农村局2020年法治工作要点》, no 我区: the department's report
            fill_place(meta, place)
            meta["department"], meta["region_source"] = dept[len(place.name):], "document"
            level, how = "部门", why
        if level:
            notes.append(how)
            if not meta["region"] and level in ("乡镇", "街道") and how.startswith("opening names"):
                meta["region"], meta["region_source"] = how.split()[-1], "opening"
            meta["level"], meta["level_source"] = level, "opening"
            if level == "部门" and not self_tier and doc.we_suffix(text) == "厅":
                self_tier = "省"  # 现将我厅…, found only now: a provincial department
    if not meta["region"] and level == "部门":
        department_place(meta, notes, text, lines)
    if not meta["region"] and level in ("乡镇", "街道"):
        name, why = doc.the_named_town(text, level)
        if name:
            meta["region"], meta["region_source"] = name, "document"
            meta["level"] = meta["level"] or level
            meta["level_source"] = meta["level_source"] or "opening"
        elif not meta["province"]:  # 我镇在云安区委、区政府的领导下: the town unnamed, its county named
            above, how = clues.leading_government(body[:4])
            if above is None:  # "中共渠县委员会、渠县人民政府：" + 我乡: the county the town reports to
                above, how = doc.addressed_government(lines)
                above = above if above is not None and above.level in ("区", "县", "市") else None
            if above is not None:
                meta["province"], meta["city"] = above.province, above.city
                notes.append(how + "; the town itself is not named")
        notes.append(why)
    elif not meta["region"] and (level == "省" or level == "部门" and self_tier == "省"):
        place, why = doc.the_province(text)
        if place is None:  # 《甘肃日报》学习专栏: the province of a report that names itself only through its media
            place, why = clues.media_province(text, doc.province_short_names())
        if place is None:  # 苏依法办〔2019〕5号 in a 我局 report of a 省 department
            place, why = clues.numbered_province(text, doc.province_short_names())
        if place is None:  # 省营商局 + 关于东北、辽宁振兴发展的重要讲话: the province named once, in a frame about it
            place, why = clues.framed_province(text, doc.province_short_names())
            why = why or "no 省 named in the text"
        if place is not None:
            fill_place(meta, place)
            meta["region_source"] = "document"
            meta["level"], meta["level_source"] = meta["level"] or "省", meta["level_source"] or "opening"
        notes.append(why)
    elif not meta["region"] and level in ("区", "县", "市", "部门"):
        tier = level if level != "部门" else (doc.superior_tier(lines[:40]) or self_tier or reporter_tier)
        if level == "部门" and not tier:
            # A department that names neither its tier nor the government above it: the one county, district
            # or city the text names (twice, or at the head of a cited document), when exactly one tier has one.
            found = {t: doc.the_named_place(text, t) for t in ("县", "区", "市")}
            hits = [t for t, (place, _) in found.items() if place is not None]
            tier = hits[0] if len(hits) == 1 else ""
            spelt = pinyin_places(site_url) if not hits else []
            if len(spelt) == 1:  # 我局 on www.luhe.gov.cn, no place named: the one 县/区/市 the domain spells
                tier = spelt[0].level
        if tier in ("区", "县", "市", "省"):
            place, why = doc.the_named_place(text, tier)
            if place is None and tier != "省":  # 建设法治高台: the place by its short form in a slogan
                place, why = doc.slogan_place(text, tier)
            if place is None and tier == "市" and level == "部门":  # 市民政局 + 《天津市居民委员会工作条例》
                place, why = clues.municipality_named(text)
                if place is None:  # 在市委、市政府的领导下，农业农村局… + 《海安市…》: a county-level city's department
                    place, why = clues.county_city(text)
                if place is None:  # 市政府办公厅…助力广州打造…: the city by its short form
                    place, why = clues.short_city(text)
                if place is None:  # 州民宗局 + 在州委、州政府的领导下 + 湘西州法治建设: the autonomous prefecture
                    place, why = clues.autonomous_prefecture(text)
                why = why or f"no {tier} named in the text"
            if place is None and level == "市":  # 我市 + 《如皋市…》 + 南通市: a county-level city, a 县 by its tier
                place, why_city = clues.county_city(text)
                if place is not None:
                    why = why_city
                    meta["level"], meta["level_source"] = place.level, "gazetteer"
            if place is None and level in ("区", "县"):  # 中共景德镇市委、景德镇市人民政府： + 我区 + 魅力新昌江
                place, why_child = clues.addressed_child(lines[:8], text, level)
                why = why_child or why
            if place is None and pinyin_region(site_url, tier) is not None:  # www.rongchang.gov.cn + 区委
                place = pinyin_region(site_url, tier)
                why = f"{place.name}: the {tier} whose name the site's domain spells"
            if place is not None:
                fill_place(meta, place)
                meta["region_source"] = "document"
                if not meta["level"]:
                    meta["level"], meta["level_source"] = level, "opening"
            notes.append(why)
    if meta["level"] == "市" and not meta["region"] and not re.search(r"省委|省政府|省人民政府|全省", text):
        # "全市各区、各部门…考察上海重要讲话": a municipality's own report is a provincial-level one
        place, why = doc.the_province(text)
        if place is None and re.search(r"全市各", text[:3000]):  # "全市各级行政机关…视察重庆重要讲话"
            place = doc.visited_municipality(text)
            why = f"{place.name}: the municipality visited (视察/考察) in a 全市 report" if place else why
        if place is not None and place.name in _MUNICIPALITIES:
            fill_place(meta, place)
            meta["city"], meta["region_source"] = place.name, "document"
            meta["level"], meta["level_source"] = "省", "document"
            notes.append(why + "; a municipality's report is provincial")
    if meta["region"] and not meta["region_code"] and not meta["city"] and not meta["province"]:
        city = clues.zone_city(meta["region"])
        if city is not None:  # 武汉经开区: a zone the code table does not list, in the city it is named after
            meta["province"], meta["city"] = city.province, city.name
            notes.append(f"{meta['region']}: a zone of {city.name}, the city its name starts with")
    if meta["level"] == "部门" and meta["region"] in _MUNICIPALITIES and not meta["city"]:
        meta["city"] = meta["region"]  # 天津市文化和旅游局: a municipality's department lies in that city
    if meta["level"] == "部门" and not meta["department"]:
        dept = doc.own_department(text, body[:4], meta["region"])
        if dept:
            meta["department"] = dept
            notes.append(f"department {dept} from the text")
    if meta["level"] == "部门" and meta["department"]:
        short = meta["department"]
        full, how = full_department_name(_untiered(short), text, meta["region"], province=meta["province"])
        if full != short:  # 市科技局 → 科学技术局; 市文广旅局 + 《资阳市文化广播电视和旅游局…》 → the cited name
            meta["department"] = full
            head = meta["author"][: -len(short)] if meta["author"].endswith(short) else None
            tier = short[: len(short) - len(_untiered(short))]  # 区 of 区退役军人事务局
            if head is not None and (head in ("", *"省市区县州") or head == meta["region"]):
                # 市科技局 → 市科学技术局; 资阳市文广旅局 → 资阳市文化广播电视和旅游局; 吴兴区区退役… → 吴兴区退役…
                meta["author"] = head + (tier if not head else "") + full
            elif not meta["author"] and tier and not meta["region"]:
                meta["author"] = tier + full  # 区财政局: the name as the text gives it
            if full.endswith("分局") and meta["region"] and meta["region"][:-1] in full and meta["city"]:
                meta["author"] = meta["city"] + full  # 深圳市 + 公安局龙华分局
            notes.append(how or f"department {full}: {short} without its tier")
    if meta["level"] in ("乡镇", "街道") and meta["region"] and not meta["region_code"]:
        town_code(meta, notes, text, site_url=site_url, domains=domains,
                  coded=coded if coded is not None and coded.level in ("区", "县") else None)
    if meta["region"] and meta["department"] and meta["author"] in (meta["department"], "", *(
            t + meta["department"] for t in "省市区县州")):  # "区教育局" → "上城区教育局" once the region is known
        meta["author"] = _with_region(meta["region"], meta["department"])
        meta["author_source"] = meta["author_source"] or meta["region_source"]
    if not meta["author"] and meta["region"]:
        meta["author"], meta["author_source"] = meta["region"], meta["region_source"]
        if meta["department"]:
            meta["author"] = _with_region(meta["region"], meta["department"])


def _untiered(department: str) -> str:
    """A department's name without the tier it was written with (区退役军人事务局 → 退役军人事务局), as the
    ``department`` column holds it; 市场监督管理局, 市政公用局, 市容环境卫生管理局 keep their first character."""
    if len(department) > 3 and department[0] in "省市区县" and department[:2] not in (
            "市场", "市政", "市容", "区域", "县域", "市级", "省级", "区级", "县级"):
        return department[1:]
    return department


def _with_region(region: str, department: str) -> str:
    """The department's name with its government in front, unless its name already starts with that government,
    in full or by its short form (龙华区 + 龙华公安分局 → 龙华公安分局)."""
    short = region[:-1] if len(region) >= 3 and region[-1] in "省市区县旗" else region
    return department if region in department or department.startswith(short) else region + department


def department_place(meta: dict, notes: list[str], text: str, lines: list[str]) -> None:
    """A 我局/我委 report's government from the line it is addressed to (``乳山市委、乳山市人民政府：``), else from
    the one department of its kind whose own document it cites (《江门市新会区统计局2022年…》), which then also
    names the department."""
    place, why = doc.addressed_government(lines)
    dept = ""
    if place is None and doc.we_suffix(text):
        dept, place, why = doc.cited_department(text, doc.we_suffix(text))
    if place is not None:
        fill_place(meta, place)
        meta["region_source"] = "document"
        if dept and (not meta["department"] or dept.endswith(meta["department"])):
            meta["department"] = dept
    if why:
        notes.append(why)


def town_code(meta: dict, notes: list[str], text: str, *, site_url: str, domains, coded: Place | None = None) -> None:
    """Give a town or street (``meta["region"]``) its 9-digit code when its county is known (named, or the
    county whose division code the page's identifiers carry: ``coded``) or its name unique."""
    gaz = load_gazetteer()
    parents = [p for n in gaz.names_in(text) for p in gaz.lookup(n) if len(n) >= 3 or p.level == "省"]
    own = [p for p in parents if meta["city"] and p.name == meta["city"]] + ([coded] if coded else [])
    res = resolve_town(meta["region"], parents=own, context=parents,
                       site=domain_region(site_url, domains=domains))
    notes[:] = [n for n in notes if "towns have no code" not in n and "no region_code" not in n]
    town, how = res.town, ("unique name" if res.how == "unique" else "by " + res.how)
    if town is None and res.candidates:
        # 宜城街道 in 宜兴市 or in 丹徒区, "在市委、市政府的领导下": a town led by a 市 lies in a city, not a 区/县
        tier = doc.superior_tier([ln.strip() for ln in text.split("\n") if ln.strip()][:40])
        counties = [t.county() for t in res.candidates]
        ends = {"市": ("市",), "区": ("区",), "县": ("县", "旗")}.get(tier, ())
        in_tier = [t for t, c in zip(res.candidates, counties) if c is not None and ends and c.name.endswith(ends)]
        if len(in_tier) == 1:
            town = in_tier[0]
            how = f"led by a {tier}委: the only one of {len(res.candidates)} of that name in a {tier}"
        elif counties and None not in counties and clues.the_one_named(counties, text)[0] is not None:
            k, words = clues.the_one_named(counties, text)  # 西兴街道 + 考察浙江: the one candidate in a province named
            town, how = res.candidates[k], f"the only one of {len(res.candidates)} of that name in {words}"
        elif counties and None not in counties:
            provinces, cities = {c.province for c in counties}, {c.city for c in counties}
            if len(provinces) == 1 and not meta["province"]:  # every town of that name lies in one province
                meta["province"] = provinces.pop()
            if len(cities) == 1 and not meta["city"]:
                meta["city"] = cities.pop()
    if town is None:
        notes.append(res.note)
        return
    county = town.county()
    meta["region_code"] = town.code
    if county is not None:
        meta["province"], meta["city"] = county.province, county.city
    notes.append(f"{meta['region']} {town.code} ({how})")


_TOWN_END = ("街道", "镇", "乡")


def reporter_named(meta: dict, notes: list[str], body: list[str]) -> str:
    """The government or department named in the report sentence (``现将宝城镇2025年度…报告如下``,
    ``现将市人社局2022年…报告予以公开``): a town or street by its name, a county, district or city when the code
    table knows exactly one of that name, a department (its tier dropped, as elsewhere) when none is known yet.
    Returns the tier a department so named states (``市`` of 市人社局), else ``""``."""
    name = clues.reporter(body)
    level = meta["level"]
    if not name:
        return ""
    tier = ""
    if name.endswith(_TOWN_END) and level in ("", "乡镇", "街道"):
        meta["region"], meta["region_source"] = name, "opening"
        meta["level"] = level or ("街道" if name.endswith("街道") else "乡镇")
        meta["level_source"] = meta["level_source"] or "opening"
    elif name.endswith(("县", "区", "市", "旗")) and level in ("", "县", "区", "市"):
        places = load_gazetteer().lookup(name)
        if not places:  # 现将北京市石景山区人民政府2023年…: a chain of names, resolved like an issuer's
            chain = load_gazetteer().names_in(name)
            res = resolve_chain(chain) if "".join(chain) == name and len(chain) > 1 else None
            places = [res.place] if res is not None and res.place is not None else []
        if len(places) != 1 or level and places[0].level != level:
            return ""
        fill_place(meta, places[0])
        meta["region_source"] = "opening"
        meta["level"], meta["level_source"] = places[0].level, meta["level_source"] or "opening"
    elif not name.endswith(("县", "区", "市", "旗", *_TOWN_END)) and level in ("", "部门") and not meta["department"]:
        tier = name[0] if name[0] in "省市区县" and len(name) > 3 else ""
        meta["department"] = name[len(tier):]
        meta["level"], meta["level_source"] = "部门", meta["level_source"] or "opening"
    else:
        return ""
    notes.append(f"{name}: named in the report sentence (现将…报告)")
    return tier
