"""Numbers and units of metric mentions: the numeral patterns, the unit table and the value of a number.

The scanner (:mod:`lawgov_analysis.measures.mentions`) and the exclusion rules
(:mod:`lawgov_analysis.measures.exclusions`) share these; numeral arithmetic itself is
:mod:`lawgov_analysis.core.numerals`.

Names
-----
normalize_unit(unit)        the comparable form of a unit (人(次) → 人次, 万元 → 元, ％ → %)
unit_kind(unit)             rate, money, measure or count
clear_unit_cache()          empty normalize_unit's cache
number_value(text)          the value of one numeral run (Arabic, Chinese or mixed), or None
exact_mul(value, factor)    value × factor in decimal (1.1万 → 11000 exactly)
NUMBER, NUMBER_SCAN, NUMBER_LED, UNIT_ALT, BRACKETABLE, MULTIPLIERS   pattern strings the scanner is built from
UNIT_WORDS, MEASURE_UNITS, CN_NUMERAL_CHARS   sets of the words above
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal

import pandas as pd

from ..core.numerals import parse_arabic, parse_chinese, parse_mixed

__all__ = ["BRACKETABLE", "CN_NUMERAL_CHARS", "MEASURE_UNITS", "MULTIPLIERS", "NUMBER", "NUMBER_LED", "NUMBER_SCAN", "UNIT_ALT", "UNIT_WORDS",
           "clear_unit_cache", "exact_mul", "is_chinese", "normalize_unit", "number_value", "unit_kind"]

_MIXED_UNIT_CHARS = frozenset("亿億万萬千仟百佰十拾")


# Arabic: ASCII groups 5,236; full-width groups ５，２３６ or ５,２３６ (a full-width comma between ASCII digits is a
# clause break); plain and full-width digits with a decimal point
_AR = (r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[０-９]{1,3}(?:[,，][０-９]{3})+(?![０-９])|[0-9０-９]+)"
       r"(?:[.．][0-9０-９]+)?")
# Arabic digits mixed with Chinese units: 5万4千6百, 1亿2千万, 3万5千 (at least two digit + unit pairs)
_MIXED = (r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:千万|百万|十万|亿|億|万|萬|千|仟|百|佰)"
          r"(?:[0-9０-９]+(?:千万|百万|十万|万|萬|千|仟|百|佰|十|拾)(?![米克瓦]))+")
CN_NUMERAL_CHARS = "零〇一二两兩三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億"
_CN = rf"[{CN_NUMERAL_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?"
NUMBER = rf"(?:{_MIXED}|{_AR}|{_CN})"
#: The same numbers as :data:`NUMBER` with every run of Arabic digits possessive (it never gives digits back): for
#: patterns where nothing after a number can start with a digit (the mention pattern), this gives the same
#: matches with less backtracking over runs of digits that are no mention (2021年).
NUMBER_SCAN = ("(?:"
               r"[0-9０-９]++(?:[.．][0-9０-９]++)?(?:千万|百万|十万|亿|億|万|萬|千|仟|百|佰)"
               r"(?:[0-9０-９]++(?:千万|百万|十万|万|萬|千|仟|百|佰|十|拾)(?![米克瓦]))+"
               r"|(?:[0-9]{1,3}+(?:,[0-9]{3})++(?![0-9])|[０-９]{1,3}+(?:[,，][０-９]{3})++(?![０-９])|[0-9０-９]++)"
               r"(?:[.．][0-9０-９]++)?"
               f"|{_CN})")
#: :data:`NUMBER_SCAN` led by its first character: one character class, then each alternative behind a look-behind
#: of the characters it starts with (the same matches, tried in the same order). A pattern that opens with it gets
#: the regular-expression engine's quick scan for the characters a match can start with (a pattern that opens with
#: alternatives or a look-ahead is tried at every position).
NUMBER_LED = (f"[0-9０-９{CN_NUMERAL_CHARS}](?:"
              r"(?<=[0-9０-９])[0-9０-９]*+(?:[.．][0-9０-９]++)?(?:千万|百万|十万|亿|億|万|萬|千|仟|百|佰)"
              r"(?:[0-9０-９]++(?:千万|百万|十万|万|萬|千|仟|百|佰|十|拾)(?![米克瓦]))+"
              r"|(?:(?<=[0-9])[0-9]{0,2}+(?:,[0-9]{3})++(?![0-9])|(?<=[０-９])[０-９]{0,2}+(?:[,，][０-９]{3})++(?![０-９])"
              r"|(?<=[0-9０-９])[0-9０-９]*+)(?:[.．][0-9０-９]++)?"
              f"|(?<=[{CN_NUMERAL_CHARS}])[{CN_NUMERAL_CHARS}]*(?:[点點][零〇一二三四五六七八九]+)?)")

# Measure words and units. A negative lookahead keeps a unit character that starts an ordinary word after a
# number (3起诉, 5场所, 2处理) from being read as a unit. Longest alternatives first.
_UNIT_TABLE: dict[str, str] = {
    # compound measure words stay whole
    "人次": "", "条次": "", "张次": "", "篇次": "", "份次": "", "个次": "", "支次": "", "艘次": "", "户次": "", "件次": "", "家次": "", "场次": "", "批次": "", "剂次": "", "车次": "", "架次": "",
    "班次": "", "台次": "", "期次": "", "轮次": "", "项次": "", "趟次": "", "人/次": "", "课时": "", "学时": "", "小时": "", "分钟": "", "平方公里": "", "平方米": "",
    "立方米": "", "公里": "", "千米": "", "公顷": "", "千克": "", "公斤": "", "美元": "", "部门": "",
    "平方千米": "", "千瓦时": "", "千瓦": "", "所次": "", "辆次": "", "处次": "", "校次": "", "宗次": "", "吨次": "",
    # books, lessons and lamps: 1000余本, 12节, 120盏 (not 本级/本地, 节日/节约)
    "本": "(?!级|地|市|县|区|省|镇|乡|单位|部门|年|月|次|人|身|质|土|着|领|职|届|科|案|院|局|系统|通)",
    "节": "(?!日|约|能|点|目|省|假|奏|俭|水|电|庆|气)", "盏": "",
    "个": "(?!体)", "件": "", "人": "(?!民|员|大|社|才|口|均|身|格|权|文|事|选|类|群|工|物|力)",
    "名": "(?!单|称|义|誉|额|列|片|牌|录)", "位": "(?!于|置|数|列|居|次)", "次": "(?!日|年|月|序|级|数|要|生)",
    "场": "(?!所|景|地|馆|域|合|面|站)", "份": "(?!额|子)", "户": "(?!籍|口|外|型|主|政)",
    "家": "(?!庭|长|属|乡|园|风|具|电|用|规|底)", "项": "(?!目)", "批": "(?!复|准|示|评|发|捕|量|判|办)",
    "起": "(?!诉(?!讼)|草|点|到|来|步|始|用|止|床|码)", "元": "(?!旦|素|宵|首|化)",
    "类": "(?!似|别|型)", "期": "(?!间|限|刊|末|初|满|望|待|盼|中|货|许)", "处": "(?!理|罚|分|置|于|长|室|级|境|事)",
    "条": "(?!例|件|款|线|理|块|规)", "部": "(?!分|署|位|长|委|队|件|门|署|属)", "门": "(?!户|槛|口|诊|类|前|店)",
    "幅": "(?!度)", "亩": "", "轮": "(?!训|换|流|值|岗|车|椅|胎)", "卷": "(?!宗|烟)", "册": "(?!子|页)",
    "套": "(?!餐|路)", "台": "(?!账|阶|湾|州|资|头|风|上|下)", "辆": "", "所": "(?!有|在|属|以|谓|得|长)",
    "座": "(?!谈|位|右)", "支": "(?!持|付|出|部|援|撑|队(?!伍)|柱|配)", "篇": "", "宗": "(?!旨|教|族)",
    "笔": "(?!录|试|者)", "例": "(?!如|行|会|外)", "张": "(?!贴|家|挂|扬|力|网|图)", "株": "", "棵": "",
    "头": "(?!条|版|脑|部)", "只": "(?!有|是|能|要|需|跑)", "吨": "", "米": "(?!面|粮)",
    "天": "(?!然|气|下|地|津|网|平|空|府|门|眼|河|使)", "倍": "", "种": "(?!类|植|子|养|苗|地|田|草)",
    "款": "(?!项|式)", "集": "(?!中|体|团|聚|成|约|市|镇|装|资)", "首": "(?!次|位|席|都|批|先|要|府|长|届|创|违|台|例|问)",
    "单": "(?!位|独|一|项|元|个|人|身|纯|据|行|列|次)", "组": "(?!织|建|成|长|团|合|件|别|委|员|队)",
    "块": "(?!牌|状|钱)", "间": "(?!隔|接|断)", "栋": "", "幢": "", "艘": "", "架": "(?!构|子)", "堂": "",
    "则": "(?!是|要|在|为)", "封": "(?!闭|存|控|面|装)", "箱": "", "瓶": "", "袋": "", "盒": "",
    "%": "", "％": "", "‰": "", "㎡": "",
}
# 分 (points of a score) only as the last word of a clause: 得分95分。 not 十分重视, 3分局
_UNIT_SCORE = r"分(?=[\s，,。；;、）)：:！!？?]|以上|以下|左右|的|$)"
_alt = "|".join(re.escape(u) + la for u, la in sorted(_UNIT_TABLE.items(), key=lambda kv: -len(kv[0])))
UNIT_ALT = f"(?:{_alt}|{_UNIT_SCORE})"
#: Measure words that may stand in brackets next to the unit: 人(次), (场)次
BRACKETABLE = "次|场|人|件|户|家|个|名|份|批|项|起|位|套|台|处|条|本|篇|部|册|张|宗|卷|例|所|辆"
#: The measure words and units (keys of the unit table).
UNIT_WORDS = frozenset(_UNIT_TABLE)
#: Multipliers after a number and their factors: 34万, 1.2亿, 3千
MULTIPLIERS = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5, "亿": 10**8, "億": 10**8,
               "万": 10**4, "萬": 10**4, "千": 1000}
#: lengths, areas, weights and durations (spec: "land areas and similar")
MEASURE_UNITS = frozenset({"平方米", "平方公里", "平方千米", "立方米", "公里", "千米", "米", "公顷", "亩", "吨", "千克",
                           "公斤", "千瓦", "千瓦时", "小时", "分钟", "天", "课时", "学时", "分", "倍"})

#: metric units that begin with 千 (kilo-), which normalize_unit keeps whole
_KILO_UNITS = frozenset({"千米", "千克", "千瓦", "千瓦时"})


def normalize_unit(unit: object) -> str:
    """The comparable form of a unit: brackets joined (人(次) → 人次), full-width ％ → %, spaces removed.

    >>> normalize_unit("人(次)"), normalize_unit("(场)次"), normalize_unit("％"), normalize_unit("万元")
    ('人次', '场次', '%', '元')
    """
    if type(unit) is str:
        return _normalize(unit)
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit is pd.NA:
        return ""
    return _normalize(str(unit))


@functools.lru_cache(maxsize=4096)
def _normalize(u: str) -> str:
    u = u.strip()
    for ch in "()（）/ \u3000":
        u = u.replace(ch, "")
    u = u.replace("％", "%").replace("㎡", "平方米")
    # a multiplier written into the unit leaves it (万元 → 元), but 千 that is part of a metric unit stays (千米)
    if len(u) > 1 and (u[0] in "万亿" or (u[0] == "千" and u not in _KILO_UNITS)):
        u = u[1:]
    return u


def clear_unit_cache() -> None:
    """Empty the per-process cache of :func:`normalize_unit` (results do not change)."""
    _normalize.cache_clear()


_BARE_POWERS = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "佰": 100, "仟": 1000}


@functools.lru_cache(maxsize=65536)
def number_value(text: str) -> float | None:
    """Value of one Arabic or Chinese numeral run (no multiplier); ``None`` if it is not one number."""
    if not text:
        return None
    if text.isascii():
        # the common case, plain ASCII digits with at most one decimal point: float() rounds the decimal
        # correctly, as parse_arabic's Decimal does (5.0 → 5.0, 97.46 → 97.46)
        whole, dot, frac = text.partition(".")
        if whole.isdigit() and (not dot or frac.isdigit()):
            return float(text) if len(whole) + len(frac) <= 15 else None
    if text[0] in "0123456789０１２３４５６７８９":
        digits = sum(ch.isdigit() for ch in text)
        if digits > 15:
            return None
        v = parse_arabic(text)
        if v is None and any(ch in _MIXED_UNIT_CHARS for ch in text):
            v = parse_mixed(text)
    else:
        if len(text) > 20:
            return None
        v = parse_chinese(text, allow_digit_sequence=False)
        if v is None and text in _BARE_POWERS:
            v = _BARE_POWERS[text]
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def is_chinese(num: str) -> bool:
    """Whether a numeral run is written in Chinese numerals (三十, 两) rather than digits."""
    return num[0] in CN_NUMERAL_CHARS

def exact_mul(value: float, factor: int) -> float:
    """``value * factor`` computed in decimal, so that 1.1万 is exactly 11000."""
    return float(Decimal(repr(value)) * factor)


def unit_kind(unit: str) -> str:
    """``rate`` (% ‰), ``money`` (元), ``measure`` (areas, weights, lengths, durations) or ``count``."""
    if unit in ("%", "‰"):
        return "rate"
    if unit.endswith("元"):
        return "money"
    if unit in MEASURE_UNITS:
        return "measure"
    return "count"

