"""The realistic kinds: reports built from the real sample's paragraphs, with governments, years and web heads.

Every generated report is the bundled sample (``data/reports/changjiang-2021.txt``) taken apart into its
numbered parts, a seeded subset of them shuffled and renumbered (一、 → (一) → 1、), its region names replaced by
another government's and its numbers perturbed (percentages stay ≤ 100, years follow the report's year). So
every stage — structure, sentences, tokens, themes, metrics, audit — has real text to work on. The kinds
(``panel``, ``cross_section``, ``missing_metadata``, ``one``, ``empty``) are described in the package docstring.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILE = ROOT / "data" / "reports" / "changjiang-2021.txt"

KINDS = ("panel", "cross_section", "missing_metadata", "one", "empty")  # the kinds this module writes

#: Default number of reports per kind (``size`` overrides it for ``panel`` and ``cross_section``).
DEFAULT_SIZE = {"panel": 9, "cross_section": 12, "missing_metadata": 5, "one": 1, "empty": 0}

#: Columns of the manifest written for ``panel`` (and of ``corpus_spec``'s truth records).
MANIFEST_COLUMNS = ["doc_id", "path", "title", "author", "department", "region", "region_code", "parent_region",
                    "province", "city", "level", "year", "source"]


@dataclass(frozen=True)
class Government:
    """One issuing government or department; ``region_code`` is its GB/T 2260 code (9 digits below county)."""

    province: str
    city: str
    region: str
    level: str  # 省 市 区 县 镇 乡 街道 部门
    region_code: str
    department: str = ""
    pinyin: str = ""

    @property
    def author(self) -> str:
        if self.department:
            return self.region + self.department
        if self.level in ("镇", "乡"):
            return self.region + "人民政府"
        if self.level == "街道":
            return self.region + "办事处"
        return self.region + "人民政府"

    @property
    def unit_char(self) -> str:
        """How the report calls its own unit: 我区, 全县, 我局 …"""
        return "局" if self.department else {"省": "省", "市": "市", "区": "区", "县": "县", "镇": "镇",
                                              "乡": "乡", "街道": "街道"}[self.level]

    @property
    def short(self) -> str:
        """The name without its administrative suffix (昌江区 → 昌江), as reports write it in slogans."""
        return re.sub(r"(?:自治县|自治区|特别行政区|街道|省|市|区|县|镇|乡)$", "", self.region) or self.region


# Real names and codes (GB/T 2260); the reports written for them are synthetic.
GOVERNMENTS = [
    Government("江西省", "景德镇市", "昌江区", "区", "360202", pinyin="changjiang"),
    Government("江西省", "景德镇市", "浮梁县", "县", "360222", pinyin="fuliang"),
    Government("江西省", "", "江西省", "省", "360000", pinyin="jiangxi"),
    Government("福建省", "", "福建省", "省", "350000", pinyin="fujian"),
    Government("福建省", "厦门市", "思明区", "区", "350203", pinyin="siming"),
    Government("福建省", "厦门市", "思明区", "部门", "350203", department="司法局", pinyin="siming-sfj"),
    Government("天津市", "天津市", "静海区", "区", "120118", pinyin="jinghai"),
    Government("浙江省", "杭州市", "西湖区", "区", "330106", pinyin="xihu"),
    Government("浙江省", "杭州市", "北山街道", "街道", "330106001", pinyin="beishan"),
    Government("四川省", "成都市", "武侯区", "区", "510107", pinyin="wuhou"),
    Government("湖南省", "长沙市", "岳麓区", "区", "430104", pinyin="yuelu"),
    Government("广东省", "深圳市", "南山区", "区", "440305", pinyin="nanshan"),
    Government("山东省", "青岛市", "黄岛区", "区", "370211", pinyin="huangdao"),
    Government("江苏省", "苏州市", "吴江区", "区", "320509", pinyin="wujiang"),
    Government("河南省", "郑州市", "金水区", "区", "410105", pinyin="jinshui"),
    Government("江西省", "景德镇市", "瑶里镇", "镇", "360222102", pinyin="yaoli"),
    Government("海南省", "", "昌江黎族自治县", "县", "469026", pinyin="changjiang-hn"),
    Government("安徽省", "合肥市", "合肥市", "市", "340100", pinyin="hefei"),
    Government("安徽省", "合肥市", "合肥市", "部门", "340100", department="市场监督管理局", pinyin="hefei-scj"),
    Government("湖北省", "武汉市", "江岸区", "区", "420102", pinyin="jiangan"),
    Government("陕西省", "西安市", "雁塔区", "区", "610113", pinyin="yanta"),
    Government("云南省", "昆明市", "盘龙区", "区", "530103", pinyin="panlong"),
    Government("贵州省", "贵阳市", "云岩区", "区", "520103", pinyin="yunyan"),
    Government("河北省", "石家庄市", "正定县", "县", "130123", pinyin="zhengding"),
    Government("山西省", "太原市", "小店区", "区", "140105", pinyin="xiaodian"),
    Government("辽宁省", "沈阳市", "和平区", "区", "210102", pinyin="heping"),
    Government("吉林省", "长春市", "南关区", "区", "220102", pinyin="nanguan"),
    Government("黑龙江省", "哈尔滨市", "道里区", "区", "230102", pinyin="daoli"),
    Government("甘肃省", "兰州市", "城关区", "区", "620102", pinyin="chengguan"),
    Government("广西壮族自治区", "南宁市", "青秀区", "区", "450103", pinyin="qingxiu"),
    Government("重庆市", "重庆市", "渝中区", "区", "500103", pinyin="yuzhong"),
    Government("北京市", "北京市", "海淀区", "区", "110108", pinyin="haidian"),
    Government("上海市", "上海市", "浦东新区", "区", "310115", pinyin="pudong"),
    Government("江苏省", "南京市", "南京市", "市", "320100", pinyin="nanjing"),
    Government("浙江省", "宁波市", "象山县", "县", "330225", pinyin="xiangshan"),
    Government("四川省", "成都市", "成都市", "部门", "510100", department="司法局", pinyin="chengdu-sfj"),
    Government("广东省", "广州市", "天河区", "区", "440106", pinyin="tianhe"),
    Government("湖南省", "湘西土家族苗族自治州", "凤凰县", "县", "433123", pinyin="fenghuang"),
    Government("福建省", "南平市", "武夷山市", "县", "350782", pinyin="wuyishan"),
    Government("山东省", "济南市", "历下区", "区", "370102", pinyin="lixia"),
    Government("河南省", "洛阳市", "栾川县", "县", "410324", pinyin="luanchuan"),
    Government("江西省", "赣州市", "瑞金市", "县", "360781", pinyin="ruijin"),
    Government("安徽省", "黄山市", "黟县", "县", "341023", pinyin="yixian"),
    Government("湖北省", "宜昌市", "秭归县", "县", "420527", pinyin="zigui"),
    Government("贵州省", "黔东南苗族侗族自治州", "雷山县", "县", "522634", pinyin="leishan"),
    Government("云南省", "大理白族自治州", "大理市", "县", "532901", pinyin="dali"),
    Government("浙江省", "湖州市", "安吉县", "县", "330523", pinyin="anji"),
    Government("浙江省", "湖州市", "安吉县", "部门", "330523", department="生态环境局", pinyin="anji-sthj"),
    Government("江苏省", "无锡市", "梁溪区", "区", "320213", pinyin="liangxi"),
    Government("福建省", "福州市", "鼓楼区", "区", "350102", pinyin="gulou"),
]

#: Departments added to a region's government when ``size`` asks for more reports than the list has.
EXTRA_DEPARTMENTS = ("司法局", "公安局", "市场监督管理局", "生态环境局", "人力资源和社会保障局", "住房和城乡建设局",
                     "交通运输局", "自然资源局", "应急管理局", "税务局", "卫生健康委员会", "教育局")

_TOP = re.compile(r"^([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_ITEM = re.compile(r"^(\d+)、")
_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    return ("" if n < 20 else _CN[n // 10 - 1]) + "十" + (_CN[n % 10 - 1] if n % 10 else "")


@dataclass
class _Sample:
    preamble: str
    first_heading: str
    subsections: list[tuple[str, list[str]]]  # (heading text without number, [item texts without number])
    closing_heading: str
    closing: list[str]


def _parse_sample() -> _Sample:
    lines = [ln for ln in SAMPLE_FILE.read_text(encoding="utf-8").split("\n") if ln.strip()]
    preamble = lines[0]
    tops = [i for i, ln in enumerate(lines) if _TOP.match(ln)]
    first, second = tops[0], tops[1]
    subsections: list[tuple[str, list[str]]] = []
    for ln in lines[first + 1:second]:
        if _SUB.match(ln):
            subsections.append((_SUB.sub("", ln), []))
        elif _ITEM.match(ln):
            subsections[-1][1].append(_ITEM.sub("", ln))
    closing = [ln for ln in lines[second + 1:] if not ln.startswith("来源")]
    return _Sample(preamble, _TOP.sub("", lines[first]), subsections, _TOP.sub("", lines[second]), closing)


_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(%|％)?")


def _perturb(text: str, rng: random.Random, factor: float, year: int) -> str:
    """Scale every count by ``factor`` × noise; keep percentages ≤ 100; move the sample's years to ``year``."""

    def repl(m: re.Match) -> str:
        raw, pct = m.group(1), m.group(2) or ""
        after = text[m.end():m.end() + 1]
        if not pct and "." not in raw and 1990 <= int(raw) <= 2030:
            return str(int(raw) - 2021 + year) if int(raw) in (2020, 2021) else raw
        if after in ("月", "日") or (not pct and after in ("届", "次") and len(raw) == 1):
            return raw  # dates and ordinals stay
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        value = float(raw)
        if pct:
            new = min(100.0, value * rng.uniform(0.97, 1.03)) if value < 100 else 100.0
        else:
            new = max(1.0, value * factor * rng.uniform(0.85, 1.15))
        return (f"{new:.{decimals}f}" if decimals else str(int(round(new)))) + pct

    return _NUMBER.sub(repl, text)


def _localise(text: str, gov: Government) -> str:
    u = gov.unit_char
    for old, new in (("昌江区", gov.region), ("景德镇市", gov.city or gov.province), ("景德镇", gov.city or gov.province),
                     ("昌江", gov.short), ("我区", "我" + u), ("全区", "全" + u), ("区委", u + "委"),
                     ("区政府", u + "政府"), ("依法治区", "依法治" + u), ("区直", u + "直")):
        text = text.replace(old, new)
    return text


def _title(gov: Government, year: int, rng: random.Random) -> str:
    chain = ""
    if gov.level != "省" and gov.province != gov.city and (not gov.city or rng.random() < 0.4):
        chain = gov.province
    if gov.level in ("区", "县", "镇", "街道", "乡") and gov.city and gov.city != gov.region:
        chain += gov.city
    issuer = chain + gov.author
    form = rng.choice(["{issuer}关于{year}年法治政府建设工作情况的报告", "{issuer}{year}年度法治政府建设情况报告",
                       "{issuer}{year}年法治政府建设年度报告"])
    return form.format(issuer=issuer, year=year)


def _web_head(title: str, gov: Government, year: int, rng: random.Random, with_title: bool) -> list[str]:
    published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 17):02d}:" \
                f"{rng.randint(0, 59):02d}"
    lines = [rng.choice(["首页 > 政务公开 > 法治政府建设", "当前位置：首页 > 信息公开 > 法治政府建设年度报告",
                         "您当前所在位置：首页>政府信息公开>法定主动公开内容"])]
    if with_title:
        lines.append(title)
    lines.append(f"发布时间：{published}  来源：{gov.author}  浏览次数：{rng.randint(40, 9000)}")
    lines.append(rng.choice(["字号：[大 中 小]  打印本页  关闭窗口", "【字体：大 中 小】", "分享到：微信 微博 QQ空间"]))
    return lines


def _web_tail(gov: Government, rng: random.Random) -> list[str]:
    code = gov.region_code[:6]
    return [rng.choice(["【打印】【关闭】", "扫一扫在手机打开当前页", "相关附件："]),
            f"主办单位：{gov.region}人民政府办公室  网站标识码：{code}0001  ICP备{rng.randint(10000, 99999)}号",
            rng.choice(["gyz1", "ahjgbzw", "jggw-2"])]


def _report_text(sample: _Sample, gov: Government, year: int, rng: random.Random, *, factor: float,
                 opening_year: bool = True, keep: float = 0.7) -> str:
    """Body of one report: preamble, 一、 with shuffled (一)… of renumbered 1、…, 二、 with the closing parts."""
    subsections = [s for s in sample.subsections if rng.random() < 0.85] or sample.subsections[:2]
    if len(subsections) < 2:
        subsections = sample.subsections[:2]
    rng.shuffle(subsections)
    out = []
    preamble = sample.preamble
    if not opening_year:
        preamble = re.sub(r"^\d{4}年,", "今年以来,", preamble)
    out.append(preamble)
    out.append(f"一、{sample.first_heading}")
    for i, (heading, items) in enumerate(subsections, 1):
        out.append(f"({_cn(i)}){heading}")
        chosen = [t for t in items if rng.random() < keep] or [rng.choice(items)]
        rng.shuffle(chosen)
        out.extend(f"{j}、{t}" for j, t in enumerate(chosen, 1))
    out.append(f"二、{sample.closing_heading}")
    out.extend(sample.closing)
    text = "\n".join(out)
    text = _perturb(text, rng, factor, year)
    return _localise(text, gov)


#: The first governments of a cross-section: ten provinces and every level (省 市 区 县 镇 街道 部门).
_SPREAD = (0, 3, 5, 6, 8, 9, 15, 16, 17, 19, 23, 11)


def _governments(n: int) -> list[Government]:
    """``n`` distinct governments: the list above, then departments of its regions."""
    first = [GOVERNMENTS[i] for i in _SPREAD]
    govs = first + [g for g in GOVERNMENTS if g not in first]
    seen = {(g.region_code, g.department) for g in govs}
    for dept in EXTRA_DEPARTMENTS:
        if len(govs) >= n:
            break
        for g in GOVERNMENTS:
            if g.department or g.level in ("镇", "街道", "乡") or (g.region_code, dept) in seen:
                continue
            seen.add((g.region_code, dept))
            govs.append(Government(g.province, g.city, g.region, "部门", g.region_code, department=dept,
                                   pinyin=f"{g.pinyin}-{len(govs)}"))
            if len(govs) >= n:
                break
    if len(govs) < n:
        raise ValueError(f"at most {len(govs)} distinct governments; asked for {n}")
    return govs[:n]


def _record(gov: Government, year: int | None, doc_id: str, filename: str, text: str, title: str,
            source: str) -> dict:
    return dict(doc_id=doc_id, path=filename, title=title, author=gov.author, department=gov.department,
                region=gov.region, region_code=gov.region_code, parent_region=gov.city if gov.city != gov.region
                else (gov.province if gov.province != gov.region else ""), province=gov.province,
                city=gov.city, level="乡镇" if gov.level in ("镇", "乡") else gov.level, year=year, source=source,
                text=text)


def realistic_records(kind: str, n: int, seed: int) -> list[dict]:
    """The ``n`` reports of realistic corpus ``kind`` as records: ``MANIFEST_COLUMNS`` (the truth) plus ``text``.

    ``n`` is the number of reports for ``panel`` (rounded to whole governments × years) and
    ``cross_section``; the other kinds have a fixed size. Deterministic for a given ``kind, n, seed``.
    """
    rng = random.Random(f"{kind}-{n}-{seed}")
    sample = _parse_sample()
    records: list[dict] = []
    if kind == "empty" or n <= 0:
        return records
    if kind == "panel":
        years = [2019, 2020, 2021] if n < 12 else [2019, 2020, 2021, 2022]
        n_govs = max(1, -(-n // len(years)))
        chosen = [GOVERNMENTS[i] for i in (0, 6, 4, 1, 9, 7, 10, 11)[:n_govs]]
        if n_govs > 8:
            chosen = _governments(n_govs)
        for gov in chosen:
            base = rng.uniform(0.6, 1.6)
            for k, year in enumerate(years):
                title = _title(gov, year, rng)
                text = title + "\n" + _report_text(sample, gov, year, rng, factor=base * (1 + 0.15 * k))
                doc_id = f"{gov.pinyin}-{year}"
                records.append(_record(gov, year, doc_id, f"{doc_id}.txt", text, title, "generated panel"))
        return records
    if kind == "cross_section":
        govs = _governments(n)
        for i, gov in enumerate(govs):
            year = 2019 + (i * 7 + rng.randint(0, 5)) % 6
            title = _title(gov, year, rng)
            with_title = i % 4 != 3  # every fourth page lost its title when it was saved
            body = _report_text(sample, gov, year, rng, factor=rng.uniform(0.3, 3.0))
            lines = _web_head(title, gov, year, rng, with_title) + [body] + _web_tail(gov, rng)
            doc_id = f"{gov.pinyin}-{year}"
            records.append(_record(gov, year, doc_id, f"{doc_id}.txt", "\n".join(lines),
                                   title if with_title else "", "generated web page"))
        return records
    if kind == "missing_metadata":
        govs = [GOVERNMENTS[i] for i in (4, 7, 15, 5, 12)]
        # 0: title and year; 1: no title, year only in the opening; 2: no title, no year anywhere;
        # 3: title without a year, file name without a year; 4: title only (region, no level word in opening)
        for i, gov in enumerate(govs[:n]):
            year = 2020 + i % 3
            title = _title(gov, year, rng)
            if i == 0:
                text = title + "\n" + _report_text(sample, gov, year, rng, factor=1.0)
                records.append(_record(gov, year, f"{gov.pinyin}-{year}", f"{gov.pinyin}-{year}.txt", text, title,
                                       "generated"))
            elif i == 1:
                text = _report_text(sample, gov, year, rng, factor=1.2)
                records.append(_record(gov, year, f"report-{i}", f"report-{i}.txt", text, "", "generated"))
            elif i == 2:
                text = _report_text(sample, gov, year, rng, factor=0.8, opening_year=False)
                records.append(_record(gov, None, f"report-{i}", f"report-{i}.txt", text, "", "generated"))
            elif i == 3:
                title = f"{gov.author}法治政府建设工作情况报告"
                text = title + "\n" + _report_text(sample, gov, year, rng, factor=0.5, opening_year=False)
                records.append(_record(gov, None, f"{gov.pinyin}", f"{gov.pinyin}.txt", text, title,
                                       "generated"))
            else:
                text = _report_text(sample, gov, year, rng, factor=2.0).replace("我" + gov.unit_char, "我们")
                text = f"{year}年法治政府建设工作情况报告\n" + text
                records.append(_record(gov, year, f"report-{i}", f"report-{i}.txt", text, "", "generated"))
        return records
    gov = GOVERNMENTS[1]
    title = _title(gov, 2022, rng)
    text = title + "\n" + _report_text(sample, gov, 2022, rng, factor=1.3)
    return [_record(gov, 2022, f"{gov.pinyin}-2022", f"{gov.pinyin}-2022.txt", text, title, "generated")]
