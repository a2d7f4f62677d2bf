"""Metric mentions: every quantity a report states as a result, with value, unit, hedge and indicator.

The rules follow ``docs/spec/metric-mentions.md``: a *metric mention* is a number (Arabic or Chinese numerals,
with 万/亿 multipliers) attached to a measure word or unit (件 人 次 场 … 元 %) that counts or measures what
was done. Dates, ordinals, list markers, slogans and named concepts (三项制度, 四个意识, 九类犯罪嫌疑人), ages
and thresholds, document titles, vague quantities (一批, 一站式), award titles and ranks, and page furniture are
left out. Each mention gets a canonical ``indicator_id`` from the rules in
``lawgov_analysis/resources/indicators.toml`` (``docs/spec/indicators.md``).

The extraction is a single compiled regular expression for the "number + multiplier + hedge + unit" run,
followed by linguistic filters that look at the characters around the run (第 before it, a 《title》 or a short
“quotation” around it, a noun naming a concept after a small Chinese numeral, …). Numeral arithmetic lives in
:mod:`lawgov_analysis.core.numerals`.

Functions
---------
extract_metrics(text, doc_id="doc")   one report's text → metric table
metrics(corpus)                       the report table → metric table
load_indicator_rules(source=None)     the indicator rules (bundled TOML, a user TOML file or a dict)
indicator_labels(source=None)         the Chinese label (label_zh) of every indicator id
evaluate_metrics(pred, gold)          precision / recall / F1 against a gold file (spec "Scoring")
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd

from ..core.numerals import CN_DIGITS, parse_arabic, parse_chinese, parse_mixed
from ..core.resources import resource_text
from ..core.validate import check_columns, check_option

_MIXED_UNIT_CHARS = frozenset("亿億万萬千仟百佰十拾")

__all__ = [
    "METRIC_COLUMNS",
    "IndicatorRule",
    "evaluate_metrics",
    "extract_metrics",
    "indicator_labels",
    "load_indicator_rules",
    "metrics",
    "normalize_unit",
]

#: Columns of the metric table, in order.
METRIC_COLUMNS = ["doc_id", "section_id", "sentence_id", "start", "end", "surface", "value", "value_max", "unit",
                  "qualifier", "indicator", "indicator_id", "comparison", "direction", "comparison_text"]

# ----------------------------------------------------------------------------------------------------------
# The number + unit run
# ----------------------------------------------------------------------------------------------------------

# Arabic: ASCII groups 5,236; full-width groups ５，２３６ or ５,２３６ (a full-width comma between ASCII digits is a
# clause break); plain and full-width digits with a decimal point
_AR = (r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[０-９]{1,3}(?:[,，][０-９]{3})+(?![０-９])|[0-9０-９]+)"
       r"(?:[.．][0-9０-９]+)?")
# Arabic digits mixed with Chinese units: 5万4千6百, 1亿2千万, 3万5千 (at least two digit + unit pairs)
_MIXED = (r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:千万|百万|十万|亿|億|万|萬|千|仟|百|佰)"
          r"(?:[0-9０-９]+(?:千万|百万|十万|万|萬|千|仟|百|佰|十|拾)(?![米克瓦]))+")
_CN_CHARS = "零〇一二两兩三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億"
_CN = rf"[{_CN_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?"
_NUM = rf"(?:{_MIXED}|{_AR}|{_CN})"

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
_UNIT_ALT = "|".join(re.escape(u) + la for u, la in sorted(_UNIT_TABLE.items(), key=lambda kv: -len(kv[0])))
_UNIT_ALT = f"(?:{_UNIT_ALT}|{_UNIT_SCORE})"
_BRACKETABLE = "次|场|人|件|户|家|个|名|份|批|项|起|位|套|台|处|条|本|篇|部|册|张|宗|卷|例|所|辆"

_MENTION_RE = re.compile(
    rf"""
    (?P<num>{_NUM})
    (?:[ \u3000]?(?P<sep>[-－~～—–至到])[ \u3000]?(?P<num2>{_NUM}))?
    (?P<q1>余|多)?
    (?P<mult>万亿|千万|百万|十万|亿|億|万|萬|千(?![米克瓦]))?
    (?P<q2>余|多)?
    [ \u3000\u00a0]?
    (?:[(（](?P<ub>{_BRACKETABLE})[)）])?
    (?P<unit>{_UNIT_ALT})
    (?:[(（](?P<ua>{_BRACKETABLE})[)）])?
    (?P<q3>以上|以下|左右|以内)?
    """,
    re.VERBOSE,
)
# 百分之九十五 → 95 %
_PERCENT_RE = re.compile(rf"百分之(?P<num>{_NUM}|百)(?P<q3>以上|以下|左右|以内)?")

# a time noun after the classifier, then 内: 2个工作日内, 3天内
_AFTER_TIME_IN_RE = re.compile(r"(?:工作日|个月|日|天|小时|周)?(?P<q>以内|内)(?![容部涵外地蒙控审设网勤务在心资])")

_PRE_QUALIFIER_RE = re.compile(r"(?:将近|接近|大约|超过|不足|不到|近|约|超|逾)$")
_COMPARISON_RE = re.compile(
    r"(?P<cmp>(?:同比|环比|(?:较|比)(?:上|去|前|上一|同期)?(?:[0-9]{4})?年度?(?:同期)?|(?:较|比)同期)?"
    r"(?:分别|共|累计|净)?(?:增长|增加|上升|提高|提升|下降|减少|降低|回落|增|减|升|降)了?|(?:增幅|降幅|涨幅|增速)(?:为|达到?)?|"
    r"(?:同比|环比|(?:较|比)(?:上|去|前|上一)年度?(?:同期)?|(?:较|比)同期)(?:多|少)了?)$"
)
_DOWN_WORD_RE = re.compile(r"下降|减少|降低|回落|降幅|减|降|少")
_CHANGE_BASE_RE = re.compile(r"同比|环比|较|比|增幅|降幅|涨幅|增速")

# Small Chinese numeral + a classifier that names a set, followed by a noun: 四个意识, 三项制度, 九类犯罪嫌疑人.
_NAMING_UNITS = frozenset("个项类种条支张套")
_CONCEPT_AFTER_RE = re.compile(
    r"(?:制度|机制|意识|自信|维护|确立|原则|规定|禁令|要求|理念|工程|实事|大事|好事|行动计划|体系|清单|服务圈|生活圈|"
    r"不准|严禁|必须|同步|协同|联动|联防|联保|联创|联治|一体|合一|全面|战略|方针|方略|作风|文明|精神|主义|思想|纪律|"
    r"代表|保障|责任|工作法|法则|模式|格局|矩阵|示范|攻坚|目标|任务|方面|环节|层面|领域|维度|阶段|步骤)"
)
# a noun phrase whose head (its last word) names a concept: 推进机制, 管理制度
_CONCEPT_END_RE = re.compile(f"(?:{_CONCEPT_AFTER_RE.pattern})$")
# the noun phrase after a count, up to punctuation or 的 (推进机制, 市级法治示范社区)
_NOUN_AFTER_RE = re.compile(r"[^，,；;。！？!?：:\n、的“”‘’（）()《》]{0,12}")
# the largest numeral policy names use (十项行动); Chinese-numeral counts above it are quantities
_NAMED_SET_MAX = 10
# verbs of making or handling right before a Chinese-numeral count: 新建三个, 出台了两个, 办理十二项
_RESULT_VERB_BEFORE_RE = re.compile(
    r"(?:新建|新增|新设|增设|建成|建立|创建|组建|成立|设立|设置|出台|印发|制发|办理|审查|审核|受理|收到|培育|命名|"
    r"打造|聘请|选聘|开设|开通|完成|建设|改造|整合)了?$"
)
_TIME_SLOGAN_RE = re.compile(r"(?:服务圈|生活圈|便民|法律服务|不打烊|值班|值守|在线|全天候|自助|响应|政务服务|营业)")
# lexicalised words and place names that begin with a numeral + unit character
_LEXICAL_RE = re.compile(
    r"十分|万分|三番五次|千家万户|七台河|三门峡|三门县|九台|三台|五台|五家渠|三元区|三元里|六枝|四方台|"
    r"十户联防|百家|千方百计|万人空巷|两所一庭|三支一扶|一五一十"
)
_PAGE_FURNITURE_RE = re.compile(r"(?:浏览|点击|阅读|访问)(?:次数|量|数|人数|人次|次)?[：:\s]*$")
_RULE_CLAUSE_RE = re.compile(r"^(?:每[年月周季天日次]|每个)|至少|不少于|不低于|不超过|不多于|不得超过")
# a term number and the organ it belongs to, right before a session number: 十七届人大|三次会议
_SESSION_BEFORE_RE = re.compile(r"届(?:人大常委会|人大|政协|党委|纪委|委员会|常委会|全委会)?$")
# what follows a bound of a rule rather than a result: another bound or the penalty it bounds
_STATUTE_AFTER_RE = re.compile(r"[0-9０-９.零〇一二两三四五六七八九十百千万亿]+\S{0,3}?以下|罚款|罚金|不满|有期徒刑|拘留")
_RANK_BEFORE_RE = re.compile(r"(?:排名|位列|位居|名列|列|居|前|后)$")
_CLAUSE_DELIMS = "，,；;。！？!?：:\n、"
_WIDE_CLAUSE_DELIMS = "，,；;。！？!?：:\n"
_SENTENCE_DELIMS = "；;。！？!?\n"
# a part named only by its kind of case or its field: 刑事案件, 民商事案件, 行政类, 食品药品安全领域 (the thing counted
# is the total's)
_GENERIC_PART_RE = re.compile(
    r"^(?:(?:刑事|民事|行政|商事|民商事|其他|非诉|诉讼|非诉讼)(?:案件|类|类案件)?|[^，。；]{1,14}(?:领域|方面|类))$"
)
_HARD_STOP_RE = re.compile("[。！？!?\n]")
_CLAUSE_DELIM_RE = re.compile("[" + re.escape(_CLAUSE_DELIMS) + "]")
_WIDE_CLAUSE_DELIM_RE = re.compile("[" + re.escape(_WIDE_CLAUSE_DELIMS) + "]")
_OPEN_CLOSE = {"《": "》", "〈": "〉", "“": "”", "‘": "’", "「": "」", "『": "』"}

# indicator phrase: words stripped from the front (scope, time, adverbs, generic verbs) and from the end
_LEAD_STRIP_RE = re.compile(
    r"^(?:的|其中|另外|此外|同时|并且|并|及(?!时)|和(?!解)|与(?!会)|以及|又|按照|根据|依照|依据|全年|今年以来|今年|年内|截至目前|截至|截止|目前|至今|上下|"
    r"全区|全县|全市|全省|全镇|全乡|全州|全旗|我区|我县|我市|我省|我镇|本区|本县|本市|全年度|本年度|年度|"
    r"累计|共计|合计|总计|共(?![同享建])|总共|先后|已经|已|均|分别|各类|各项|各|对(?![外口])|向|为(?![民企])|在(?![线逃押])|通过|将|把|"
    r"受理(?!调解)|办理|完成|收到|开展|举办|举行|组织|发放|派发|推送|解答|出动|召开|实现|设置|建立|成立|建成|打造|"
    r"选聘|遴选|聘请|出台|制定|印发|投入|培育|培训|评选|创建|发布|参加|参与|进行|有效|深入|积极|成功(?=[^化解调率])|"
    r"依法|共同|集中|市本级|县本级|区本级|本级)+(?!率|数|人数|量)"
)
_SCOPE_STRIP_RE = re.compile(
    r"^(?:其中|另外|此外|同时|全年|今年以来|今年|截至目前|目前|全区|全县|全市|全省|全镇|我区|我县|我市|"
    r"累计|共计|合计|总计|共|已经|已|各类|各项|各|市本级|县本级|区本级|本级)+"
)
_TAIL_STRIP_RE = re.compile(
    r"(?:分别为|分别|约为|达到了|达到|(?<![行作认成因])为|达|是|有|计|共计|共|累计|总计|合计|的|了|等|在|至|到|占|约|近|超过|超|逾|均|"
    r"总数|数量|共有|实现|完成|举办|开展|设置|遴选|出台|建立|成立|组织|推送|发放|派发|举行|召开|突破|有望|预计|力争|争取|"
    r"将|可|已|由|扩充|增至|提高|提升|保持|稳定|降至|减至|下降|上升|增长|增加|减少)+$"
)
_LIST_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|[（(]?[一二三四五六七八九十0-9]{1,3}[)）]|[0-9]{1,2}[、.．])")
_QUOTES = " \u3000“”‘’\"'《》()（）[]【】"
_INNER_VERB_RE = re.compile(
    r"参加|参与|开展|举办|举行|完成|办理|受理|收到|发放|推送|设置|出台|接待|解答|梳理公布|梳理|公布|配备|聘请|新收|"
    r"排查|摸排|检查|抽查|查处|查办|发出|下发|制发|播出|张贴|归集|涉及|实施|作出|适用|走访|移交|提起|审议|研究|培养|接受|"
    r"发现|提出|印发|检出|评出|抓获|打掉|预警劝阻|接听|新设立|设立|承接"
)
# time words after a subject (县法院全年新收…): what follows names the thing
_SUBJECT_TIME_RE = re.compile(r"全年|今年以来|今年|年内")
_PHRASE_MAX = 24
_DIGIT_RE = re.compile(r"[0-9０-９]")
_CONNECTORS = frozenset({"和", "、", "及", "与", "或", "，", "以及"})
# the new level of what was just counted: 由41个调整为35个, 从…增至…
_CHANGED_TO_RE = re.compile(r"^(?:调整为|调整到|增至|增加到|增加至|减少到|减少至|减至|降至|降到|下降到|下降至|上升到|上升至|提高到|"
                            r"提高至|提升到|提升至|扩大到|扩大至|压减到|压减至|精简为|精简到|缩减为|缩减至|变为)$")
# a partition named before the count (6个方面32项重点任务): the count's own noun follows it
_PARTITION_WORDS = frozenset({"方面", "领域", "类别", "大类", "环节", "板块"})
# places a long phrase may be cut without cutting a word: before a title, after a title, a particle or a list
# mark (never inside a 《title》: 中华人民共和国 is one word)
_PHRASE_CUT_RE = re.compile(r"(?=《)|[》”」』）)、，]|的|(?<!共)和|及|与|等")
_TITLE_RE = re.compile(r"《[^《》]{1,60}》")
_TOTAL_WORD_RE = re.compile(r"共计|累计|合计|总计|共有|(?<![中公])共(?![和同享建青产治性识赢商])")
_SUFFIX_STOP_RE = re.compile(
    r"[0-9０-９]|共|的|完成|进行|参加|参与|入驻|组成|开展|实现|建设|获得|被(?!执行|告|申请|害|监护|审计|访)|提供|均|全部|予以|"
    r"受到|得到|接受|在|采取|纳入|入选|名单"
)
# a verb opening the words after a count, before the thing named (1,702项实现“全程网办”)
_SUFFIX_LEAD_RE = re.compile(r"^(?:的|实现了?|达到|属于|为|是|被|纳入|进入|完成)+")
_VERBISH_TAIL_RE = re.compile(
    r"(?:设置|遴选|出台|建立|成立|组建|举办|举行|开展|组织|发放|推送|召开|聘请|选聘|培育|评选|创建|打造|建成|新建|"
    r"配备|投入|印发|制定|发布|明确|梳理|编制|形成|提出|落实|确定|选派|派出|招录|录用|培训|对|向|为|有|共|"
    r"抽查|检查|推动|促进|带动|惠及|分解到|分解|涉及|审议通过|审议|命名|评出|下设|配合打掉|打掉|调整为|参考|参训|参学|帮助|指导|协助)$"
)


@dataclass
class _Mention:
    start: int
    end: int
    value: float
    value_max: float
    unit: str
    qualifier: str
    comparison: str = ""
    direction: str = ""
    indicator: str = ""
    clause_start: int = 0
    clause_end: int = 0
    wide_start: int = 0
    wide_end: int = 0
    indicator_id: str = "other"
    inherits: bool = False


#: metric units that begin with 千 (kilo-), which normalize_unit keeps whole
_KILO_UNITS = frozenset({"千米", "千克", "千瓦", "千瓦时"})


def normalize_unit(unit: object) -> str:
    """The comparable form of a unit: brackets joined (人(次) → 人次), full-width ％ → %, spaces removed.

    >>> normalize_unit("人(次)"), normalize_unit("(场)次"), normalize_unit("％"), normalize_unit("万元")
    ('人次', '场次', '%', '元')
    """
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit is pd.NA:
        return ""
    u = str(unit).strip()
    for ch in "()（）/ \u3000":
        u = u.replace(ch, "")
    u = u.replace("％", "%").replace("㎡", "平方米")
    # a multiplier written into the unit leaves it (万元 → 元), but 千 that is part of a metric unit stays (千米)
    if len(u) > 1 and (u[0] in "万亿" or (u[0] == "千" and u not in _KILO_UNITS)):
        u = u[1:]
    return u


_BARE_POWERS = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "佰": 100, "仟": 1000}


def _number_value(text: str) -> float | None:
    """Value of one Arabic or Chinese numeral run (no multiplier); ``None`` if it is not one number."""
    if not text:
        return None
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


def _is_chinese(num: str) -> bool:
    return num[0] in _CN_CHARS


def _inside_pair(text: str, pos: int, opener: str, closer: str, window: int) -> bool:
    """True when ``pos`` lies between an ``opener`` and its ``closer`` that are at most ``window`` apart."""
    lo = max(0, pos - window)
    o = text.rfind(opener, lo, pos)
    if o < 0:
        return False
    c = text.rfind(closer, o, pos)
    if c >= 0:
        return False
    close = text.find(closer, pos, o + window + 1)
    return close >= 0


def _delimiter_positions(text: str, pattern: re.Pattern) -> list[int]:
    """Offsets of clause delimiters in ``text`` (thousands separators such as 3,256 left out)."""
    n = len(text)
    out = []
    for m in pattern.finditer(text):
        i = m.start()
        ch = text[i]
        if ch == "," and _digit_comma(text, i):
            continue
        if ch == "，" and 0 < i < n - 1 and "０" <= text[i - 1] <= "９" and "０" <= text[i + 1] <= "９":
            continue
        out.append(i)
    return out


def _clause_bounds(positions: list[int], start: int, end: int, n: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: from after the previous delimiter (at most 80 characters back) to
    the next one (at most 60 characters on)."""
    k = bisect.bisect_left(positions, start)
    cs = positions[k - 1] + 1 if k > 0 else 0
    cs = max(cs, start - 80, 0)
    j = bisect.bisect_left(positions, end)
    ce = positions[j] if j < len(positions) else n
    ce = min(ce, end + 60, n)
    return cs, ce


def _digit_comma(text: str, i: int) -> bool:
    """A thousands separator (3,256 or full-width ５，２３６), not a clause break."""
    if not 0 < i < len(text) - 1:
        return False
    if text[i] == ",":
        return text[i - 1].isdigit() and text[i + 1].isdigit()
    return text[i] == "，" and "０" <= text[i - 1] <= "９" and "０" <= text[i + 1] <= "９"


def _is_excluded(text: str, m: re.Match, num: str, value: float, unit: str, end: int) -> bool:
    """The spec's exclusions, decided from the characters around the run."""
    s = m.start()
    before = text[max(0, s - 8):s]
    prev = before[-1:] if before else ""
    after = text[end:end + 8]
    chinese = _is_chinese(num)

    # ordinals and editions: 第八批, 第10名, 第三次会议
    if prev == "第" or before.endswith("第 "):
        return True
    # sessions numbered within a term: 十四届三次全会, 十七届人大三次会议 (an edition, not a count)
    if unit == "次" and _SESSION_BEFORE_RE.search(before):
        return True
    # part of a code, a date or a slogan: PM2.5, 12·4, COVID-19, 0798-8221234, 7×24小时, 1+N
    if prev and ((prev.isascii() and (prev.isdigit() or prev in ".·/+*-_#@")) or prev in "·•×＋／＊－"):
        return True
    if prev and prev in "—–" and s >= 2 and text[s - 2].isdigit():
        return True
    if after[:1] and after[:1] in "×*＊":
        return True
    # leading zero: phone and area codes, serial numbers
    if not chinese and len(num) > 1 and num[0] in "0０" and num[1] not in ".．":
        return True
    # list markers at the start of a line: "1 人员…"
    line_start = text.rfind("\n", 0, s) + 1
    if text[line_start:s].strip() == "" and m.group(0)[len(num):len(num) + 1] in (" ", "\u3000"):
        return True
    # ranks: 排名前3位, 位列第2名
    if unit in ("名", "位") and _RANK_BEFORE_RE.search(before):
        return True
    # page furniture: 浏览次数：1234次
    if _PAGE_FURNITURE_RE.search(text[max(0, s - 12):s]):
        return True
    # numbers inside a document title or a short quotation (“12·4”, “三项制度”, 《规划(2021-2025)》)
    near = text[max(0, s - 120):s]
    for opener, closer in _OPEN_CLOSE.items():
        window = 120 if opener in "《〈" else 24
        if opener in near and _inside_pair(text, s, opener, closer, window):
            return True
    # ages and thresholds describing a group: 12岁以上人群, 5000元以上的案件
    if m.group("q3") in ("以上", "以下") and after.startswith("的"):
        return True
    # statutory bounds quoted from a rule: 处2000元以上10000元以下罚款, 3000元以上不满5万元
    if (m.group("q3") in ("以上", "以下") and _STATUTE_AFTER_RE.match(after)) or before.endswith("不满") or \
            (m.group("q3") == "以下" and before.endswith("以上")):
        return True
    # time slogans: 24小时自助, 15分钟法律服务圈
    if unit in ("小时", "分钟", "天") and _TIME_SLOGAN_RE.search(text, end, end + 8):
        return True
    # rates per head (每10万人), clock times (10时30分), scales (满分100分)
    if prev == "每" or (unit == "分" and prev in "时点") or before.endswith(("满分", "总分")):
        return True
    # a rule or target rather than a result: 每月至少开展一次, 每年不少于2次
    clause = text[max(0, s - 20):s]
    cut = max(clause.rfind(d) for d in "，,；;。：:\n")
    if _RULE_CLAUSE_RE.search(clause[cut + 1:]):
        return True
    window = text[max(0, s - 3):end + 3]
    if _LEXICAL_RE.search(window):
        lex = _LEXICAL_RE.search(window)
        if lex and max(0, s - 3) + lex.start() < end and max(0, s - 3) + lex.end() > s:
            return True
    if chinese:
        core = num.replace("点", "").replace("點", "")
        # 一 and 二 alone are articles or ordinals (一批, 一次告知制, 二次开发; 两 counts), unless the count
        # closes the clause (召开专题会议一次。)
        if num in ("一", "壹", "二") and not (num != "二" and (not after or after[0] in _CLAUSE_DELIMS + "）)")):
            return True
        # bare powers are not counts (百万网民, 千家万户, 万人) unless hedged as an amount (百余人, 万余份,
        # 近百人, 逾千人)
        if all(ch in "百千万亿佰仟萬億" for ch in core) and not (
                m.group("q1") or m.group("q2") or _pre_qualifier(text, s)):
            return True
        # vague: 数十家, 上百人, 成千
        # (成 only with a bare power: 成百, 成千 — 完成十二个 is a count)
        if (prev in "数几上好" and core[0] in "十百千万") or (prev == "成" and core[0] in "百千万"):
            return True
        small = value < 100
        tail = after
        if small and unit in _NAMING_UNITS:
            # a named set (四个意识, 三项制度, 九类犯罪嫌疑人) unless the count closes the clause (整改三项。) or
            # counts what a verb of making or handling produced (新建三个工作站, 出台两个规范性文件)
            if (tail and tail[0] not in _CLAUSE_DELIMS + "）)”’" and not tail.startswith(("以上", "以下", "左右"))
                    and not _counted_result(text, s, end, value)):
                return True
        if small and tail[:1] in CN_DIGITS:
            return True  # 两所一庭, 三支一扶, 五个一
        # the second half of a parallel slogan: 一案一卷, 一村一品, 四议两公开 (numeral, noun, numeral)
        if len(num) == 1 and s >= 2 and text[s - 2] in CN_DIGITS and "\u4e00" <= prev <= "\u9fff" \
                and prev not in CN_DIGITS and prev not in _UNIT_TABLE:
            return True
        if small and _CONCEPT_AFTER_RE.match(tail):
            return True
        if small and unit == "期" and tail.startswith(("工程", "项目")):
            return True  # 二期工程 is a phase
    return False


def _pre_qualifier(text: str, start: int) -> re.Match | None:
    """The hedge written right before a number (近3000人, 约20场), or ``None``; 近/约/超 inside an ordinary
    word (最近, 节约, 赶超) are not hedges."""
    pre = _PRE_QUALIFIER_RE.search(text, max(0, start - 2), start)
    if pre is None:
        return None
    word, before = pre.group(0), text[max(0, pre.start() - 1):pre.start()]
    if (word == "近" and before in ("最", "附", "邻", "亲")) or (word == "超" and before in ("赶", "高")) or \
            (word == "约" and before in ("节", "制", "签", "预", "邀", "公", "条", "契", "履")):
        return None
    return pre


def _counted_result(text: str, start: int, end: int, value: float) -> bool:
    """A Chinese-numeral count of things done rather than the name of a set.

    Policy names use the numerals one to ten (四个意识, 八项规定, 十项行动), so a larger numeral counts
    (二十个部门, 十二项决策事项). A smaller one counts when a verb of making or handling stands right before
    it (新建三个工作站, 出台了两个规范性文件, 完成四个部门的三定方案) and the noun after it is not a concept
    (建立三项制度, 完成三个方面的任务 stay names or partitions).
    """
    noun = _NOUN_AFTER_RE.match(text, end).group(0)
    if _CONCEPT_AFTER_RE.match(noun) or _CONCEPT_END_RE.search(noun):
        return False
    if value > _NAMED_SET_MAX:
        return True
    return bool(_RESULT_VERB_BEFORE_RE.search(text, max(0, start - 6), start))


def _scan(text: str) -> list[_Mention]:
    """Every metric mention in ``text`` (spans, values, units, hedges, comparison); no indicator yet."""
    found: list[_Mention] = []
    for m in _MENTION_RE.finditer(text):
        num = m.group("num")
        value = _number_value(num)
        if value is None:
            continue
        unit_raw = m.group("unit")
        unit = normalize_unit((m.group("ub") or "") + unit_raw + (m.group("ua") or ""))
        end = m.end()
        if _is_excluded(text, m, num, value, unit_raw, end):
            continue
        value_max = math.nan
        if m.group("num2"):
            v2 = _number_value(m.group("num2"))
            if v2 is None:
                continue
            if m.group("sep") in "-－—–" and (_is_chinese(num) != _is_chinese(m.group("num2"))):
                continue
            if v2 > value:
                value_max = v2
            else:
                continue  # 5-3件 is not a range of counts
        mult = m.group("mult")
        if mult:
            factor = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5, "亿": 10**8, "億": 10**8,
                      "万": 10**4, "萬": 10**4, "千": 1000}[mult]
            value = _exact_mul(value, factor)
            if not math.isnan(value_max):
                value_max = _exact_mul(value_max, factor)
        if not math.isfinite(value) or value > 1e15:
            continue
        qualifiers = [q for q in (m.group("q1"), m.group("q2"), m.group("q3")) if q]
        start = m.start()
        # hedge written before the number (近3000人, 约20场)
        pre = _pre_qualifier(text, start)
        if pre:
            qualifiers.insert(0, pre.group(0))
            start = pre.start()
        # 2个工作日内, 3天内
        if not m.group("q3"):
            t = _AFTER_TIME_IN_RE.match(text, end)
            if t and (t.group(0) in ("内", "以内") or unit in ("个", "天", "小时")):
                qualifiers.append(t.group("q"))
                end = t.end()
        found.append(_Mention(start=start, end=end, value=value, value_max=value_max, unit=unit,
                              qualifier="、".join(dict.fromkeys(qualifiers))))
    for m in _PERCENT_RE.finditer(text):
        value = 100.0 if m.group("num") == "百" else _number_value(m.group("num"))
        if value is None:
            continue
        found.append(_Mention(start=m.start(), end=m.end(), value=value, value_max=math.nan, unit="%",
                              qualifier=m.group("q3") or ""))
    if not found:
        return found
    found.sort(key=lambda x: (x.start, x.end))
    # drop overlaps (keep the earlier, longer run)
    kept: list[_Mention] = []
    for x in found:
        if kept and x.start < kept[-1].end:
            continue
        kept.append(x)
    _annotate(text, kept)
    return kept


def _exact_mul(value: float, factor: int) -> float:
    """``value * factor`` computed in decimal, so that 1.1万 is exactly 11000."""
    return float(Decimal(repr(value)) * factor)


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


_MARKS = frozenset(_PAIRS) | frozenset(_CLOSERS) | {" ", "\u3000", '"', "'"}


@functools.lru_cache(maxsize=65536)
def _balanced_strip(p: str) -> str:
    """``p`` without spaces and quote or bracket marks at its ends, except marks whose partner is inside
    (“双公示”信息 and 示范村（社区） keep theirs); a leftover closer at the start is dropped with what precedes it
    (区）政府… → 政府…), an opener left open at the end is dropped with what follows it."""
    if _MARKS.isdisjoint(p):
        return p
    p = p.strip(" \u3000\"'")
    for _ in range(4):
        before = p
        if p and p[0] in _PAIRS and _PAIRS[p[0]] not in p[1:]:
            p = p[1:]
        if p and p[-1] in _CLOSERS and _CLOSERS[p[-1]] not in p[:-1]:
            p = p[:-1]
        if p and p[-1] in _PAIRS:
            p = p[:-1]
        if p and p[0] in _CLOSERS:
            p = p[1:]
        p = p.strip(" \u3000\"'")
        if p == before:
            break
    # a closer whose opener was cut off with the clause (各县（市、区）政府…): drop up to it
    for closer, opener in _CLOSERS.items():
        k = p.find(closer)
        if k >= 0 and opener not in p[:k]:
            p = p[k + 1:]
    return p


@functools.lru_cache(maxsize=65536)
def _strip_phrase(phrase: str) -> str:
    p = _balanced_strip(phrase)
    # the words after the last 共/共计/累计 name the thing, unless nothing follows (业主共计61家)
    last = _last_match(_TOTAL_WORD_RE, p)
    if last is not None and p[last.end():].strip(" 有达为了计"):
        p = p[last.end():]
    p = _balanced_strip(_LEAD_STRIP_RE.sub("", _LIST_MARKER_RE.sub("", p)))
    p = _LEAD_STRIP_RE.sub("", p)
    # 县法院全年新收各类案件: the subject and the time before the verb are not the thing counted
    last = _last_match(_SUBJECT_TIME_RE, p)
    if last is not None and last.start() > 0 and len(p) - last.end() >= 2:
        p = _LEAD_STRIP_RE.sub("", p[last.end():])
    # …领导干部参加法律知识考试: the object of the last generic verb names the thing
    p = _TAIL_STRIP_RE.sub("", p)
    last = _last_match(_INNER_VERB_RE, p)
    if last is not None and last.start() > 0 and len(p) - last.end() >= 2 and p[last.end()] not in "率数量":
        p = _SCOPE_STRIP_RE.sub("", p[last.end():]) or p[last.end():]
    # 执法部门的行政处罚和行政许可案卷: the head noun after the last 的 names the thing, when it is not a bare word
    k = p.rfind("的")
    if k > 0 and len(p) - k - 1 >= 4 and "《" not in p[k:]:
        p = p[k + 1:]
    return _balanced_strip(p)


def _shorten(phrase: str) -> str:
    """A phrase of at most :data:`_PHRASE_MAX` characters, cut only after a title, a particle or a list mark
    (never inside a word); a longer phrase with no such place is kept whole."""
    if len(phrase) <= _PHRASE_MAX:
        return phrase
    titles = [(t.start(), t.end()) for t in _TITLE_RE.finditer(phrase)]
    for m in _PHRASE_CUT_RE.finditer(phrase):
        cut = m.end()
        if any(a < cut < b for a, b in titles):
            continue
        if len(phrase) - cut <= _PHRASE_MAX:
            rest = phrase[cut:].strip(" \u3000、，")
            if len(rest) >= 2:
                return rest
            break
    return phrase


def _mask_titles(text: str) -> str:
    """``text`` with each 《title》 shortened to its last character (《中华人民共和国行政处罚法》 → 《法》): a title names
    the document studied or issued, not the thing counted, so its words must not pick the indicator."""
    if "《" not in text:
        return text
    return _TITLE_RE.sub(lambda t: "《" + t.group(0)[-2] + "》", text)


def _suffix_phrase(text: str, end: int, clause_end: int) -> str:
    tail = text[end:clause_end]
    if tail.startswith(("百分点", "工作日", "个月", "小时")):
        return ""
    tail = _SUFFIX_LEAD_RE.sub("", tail)
    stop = _SUFFIX_STOP_RE.search(tail)
    if stop:
        tail = tail[:stop.start()]
    tail = _balanced_strip(tail)
    if len(tail) < 2 or tail in _CONNECTORS:
        return ""  # 97.3%和99.5%: nothing named after the count
    if len(tail) > 16:
        # a long tail is cut at the last particle or list mark before 16 characters, never inside a word
        cuts = [m.start() for m in _PHRASE_CUT_RE.finditer(tail, 2, 17)]
        if cuts:
            tail = tail[:cuts[-1]]
    return tail


def _annotate(text: str, mentions: list[_Mention]) -> None:
    """Fill ``comparison`` and ``indicator`` (the phrase naming what is counted) from each mention's clause."""
    prev: _Mention | None = None
    narrow = _delimiter_positions(text, _CLAUSE_DELIM_RE)
    wide = _delimiter_positions(text, _WIDE_CLAUSE_DELIM_RE)
    n = len(text)
    for x in mentions:
        cs, ce = _clause_bounds(narrow, x.start, x.end, n)
        x.clause_start, x.clause_end = cs, ce
        x.wide_start, x.wide_end = _clause_bounds(wide, x.start, x.end, n)
        same_clause = prev is not None and prev.clause_start == cs
        same_sentence = prev is not None and not any(d in text[prev.end:x.start] for d in _SENTENCE_DELIMS)
        left = max(cs, prev.end) if prev is not None else cs
        # 检查中小学、幼儿园132所: a 、 inside a noun list is not the start of what is counted
        if left == cs and cs > x.wide_start and text[cs - 1] == "、" and (prev is None or prev.end <= x.wide_start) \
                and not _DIGIT_RE.search(text, x.wide_start, cs):
            left = x.wide_start
        before = text[left:x.start]
        # comparison: 同比增长12.5%, 较上年下降3个百分点
        cm = _COMPARISON_RE.search(before)
        if cm and cm.group(0):
            word = cm.group(0)
            if _CHANGE_BASE_RE.search(word) or x.unit in ("%", "‰", "倍") or text.startswith("百分点", x.end):
                x.comparison = word.rstrip("了为达到")
                x.direction = "down" if _DOWN_WORD_RE.search(x.comparison) else "up"
                before = before[:cm.start()]
        elif same_clause and prev.comparison and before.strip() in ("和", "、", "及", "与", "，"):
            x.comparison, x.direction = prev.comparison, prev.direction
        phrase = _strip_phrase(before)
        bare = before.strip(" \u3000")
        if prev is not None and same_sentence and (bare in _CONNECTORS or _CHANGED_TO_RE.match(bare)):
            phrase = prev.indicator  # 97.3%和99.5%; 由41个调整为35个: the thing counted just before
        elif not phrase and same_clause and prev is not None and not bare:
            phrase = prev.indicator  # paired counts: 177件214人
        elif not phrase or bare.endswith(("的", "等", "和", "及", "与", "、")) or phrase in _PARTITION_WORDS \
                or _VERBISH_TAIL_RE.search(before.rstrip(" 了")):
            suffix = _suffix_phrase(text, x.end, ce)
            if suffix:
                phrase = suffix
            elif not phrase:
                # 业主共计61家: the words before 共计; 开展培训12期次: the verb phrase itself
                phrase = _TAIL_STRIP_RE.sub("", _LEAD_STRIP_RE.sub("", before.strip())) or \
                    _TAIL_STRIP_RE.sub("", _SCOPE_STRIP_RE.sub("", before.strip()))
        if not phrase and (same_clause or (same_sentence and x.comparison)):
            phrase = prev.indicator  # 177件214人, 同比增长12.5%: the thing counted just before
            x.inherits = True
        x.indicator = _shorten(phrase)
        prev = x


# ----------------------------------------------------------------------------------------------------------
# Indicator rules
# ----------------------------------------------------------------------------------------------------------

_LEVELS = ("indicator", "clause", "sentence", "heading")


@dataclass
class IndicatorRule:
    """One rule of the indicator mapping (see the header of ``resources/indicators.toml``).

    ``terms`` are regular expressions searched in the text of each allowed level; ``require`` (any of) must
    match the sentence or the section headings; ``units`` restricts the metric's unit; ``after`` requires the
    previous mention of the same sentence to carry one of these ids; ``unless`` vetoes a match;
    ``same_as_previous`` gives the id of the previous mention of the same statement instead of ``id`` (a rate
    of what was just counted: 按期办结率, 完成率) and does not fire when there is none.
    """

    id: str
    terms: list[str]
    levels: list[str] = field(default_factory=lambda: ["indicator", "clause"])
    require: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    not_units: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)
    same_as_previous: bool = False

    def __post_init__(self) -> None:
        for level in self.levels:
            check_option("levels", level, _LEVELS)
        if not self.terms:
            raise ValueError(f"indicator rule {self.id!r} has no terms")
        self._terms = re.compile("|".join(f"(?:{t})" for t in self.terms))
        self._require = re.compile("|".join(f"(?:{t})" for t in self.require)) if self.require else None
        self._unless = re.compile("|".join(f"(?:{t})" for t in self.unless)) if self.unless else None
        self._units = {normalize_unit(u) for u in self.units}
        self._not_units = {normalize_unit(u) for u in self.not_units}


@functools.lru_cache(maxsize=1)
def _bundled_rules() -> tuple[IndicatorRule, ...]:
    return tuple(load_indicator_rules(tomllib.loads(resource_text("indicators.toml"))))


def _rule_source(source: str | Path | Mapping | list) -> dict:
    """The parsed form (a dict with ``rule`` and optionally ``labels`` and ``extend``) of a user rule source."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not a valid indicator rule file ({exc})") from None
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, list):
        return {"rule": source}
    raise TypeError(f"indicators must be None, a path, a mapping or a list, got {type(source).__name__}")


def load_indicator_rules(source: str | Path | Mapping | list | None = None) -> list[IndicatorRule]:
    """The indicator rules: the bundled ``indicators.toml``, a user TOML file, or a dict / list of dicts.

    Parameters
    ----------
    source : None, path, mapping or list
        ``None`` for the bundled rules; a path to a TOML file with ``[[rule]]`` tables; a mapping with a
        ``"rule"`` list (the parsed TOML); or a list of rule dicts. A list of :class:`IndicatorRule` is
        returned unchanged. Rules are tried in order; put specific rules first. A file or mapping with the
        top-level key ``extend = true`` is tried first and then falls back to the bundled rules (extend the
        mapping); without it the user's rules replace the bundled ones.

    Returns
    -------
    list of IndicatorRule
        One per ``[[rule]]`` table, in file order.
    """
    if source is None:
        return list(_bundled_rules())
    if isinstance(source, list) and source and all(isinstance(r, IndicatorRule) for r in source):
        return list(source)
    data = _rule_source(source)
    rules = data.get("rule", [])
    out = []
    for r in rules:
        r = dict(r)
        same = bool(r.pop("same_as_previous", False))
        out.append(IndicatorRule(id=r.pop("id", "(previous)" if same else ""), terms=list(r.pop("terms", [])),
                                 same_as_previous=same, **{k: list(v) for k, v in r.items()}))
    if data.get("extend", False):
        out.extend(_bundled_rules())  # the user's rules first, then the bundled ones
    return out


@functools.lru_cache(maxsize=1)
def _bundled_labels() -> dict[str, str]:
    return dict(tomllib.loads(resource_text("indicators.toml")).get("labels", {}))


def indicator_labels(source: str | Path | Mapping | list | None = None) -> pd.DataFrame:
    """The Chinese label (``label_zh``) of every indicator id, from the ``[labels]`` table of the rules.

    Parameters
    ----------
    source : None, path, mapping or list
        The same indicator rules :func:`load_indicator_rules` and ``metrics(indicators=...)`` take. ``None``
        gives the bundled ids and labels. A user file or mapping may carry its own ``[labels]`` table (id →
        label); its labels win for the ids it names. The ids listed are those of the rules in effect (the
        user's, plus the bundled ones when the source has ``extend = true``), the ids the user labels, and
        ``other``. An id without a user label keeps its bundled label; an id unknown to both (a user's new id
        without a label) is labelled with the id itself, so no row is left blank.

    Returns
    -------
    DataFrame
        ``indicator_id`` (str), ``label_zh`` (str); one row per id, sorted by ``indicator_id``.

    >>> indicator_labels().set_index("indicator_id").loc["review.cases", "label_zh"]
    '行政复议案件受理'
    """
    bundled = _bundled_labels()
    if source is None:
        user: dict[str, str] = {}
        ids = {r.id for r in _bundled_rules() if not r.same_as_previous} | set(bundled)
    else:
        data = {} if isinstance(source, list) else _rule_source(source)
        user = data.get("labels", {}) or {}
        if not isinstance(user, Mapping):
            raise ValueError(f"indicator labels must be a table of id = label, got {type(user).__name__}")
        ids = {r.id for r in load_indicator_rules(source) if not r.same_as_previous} | set(user)
    ids.add("other")
    rows = sorted((i, str(user.get(i) or bundled.get(i) or i)) for i in ids)
    return pd.DataFrame({"indicator_id": pd.Series([r[0] for r in rows], dtype="str"),
                         "label_zh": pd.Series([r[1] for r in rows], dtype="str")})


class _Classifier:
    """Assigns indicator ids with caches keyed by level text (reports repeat phrases)."""

    def __init__(self, rules: list[IndicatorRule]):
        self.rules = rules
        # per level, the (index, rule) pairs allowed at it, in file order
        self._level_rules = {level: [(i, r) for i, r in enumerate(rules) if level in r.levels] for level in _LEVELS}
        # (level, text) → [indices of the matching rules found so far, position of the next rule to test]:
        # rules are tested lazily, so a text whose first matching rule fits is not tested against the rest
        self._cache: dict[tuple[str, str], list] = {}
        self._req_cache: dict[str, dict[int, bool]] = {}

    def _matching(self, level: str, text: str):
        """Indices of the rules whose terms match ``text`` at ``level`` (and no ``unless``), in file order."""
        if not text:
            return
        key = (level, text)
        entry = self._cache.get(key)
        if entry is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            entry = self._cache[key] = [[], 0]
        hits = entry[0]
        rules = self._level_rules[level]
        k = 0
        while True:
            if k < len(hits):
                yield hits[k]
                k += 1
                continue
            j = entry[1]
            while j < len(rules):
                i, r = rules[j]
                j += 1
                if r._terms.search(text) and not (r._unless and r._unless.search(text)):
                    hits.append(i)
                    break
            entry[1] = j
            if k >= len(hits):
                return

    def _required(self, context: str, i: int) -> bool:
        """Whether rule ``i``'s ``require`` matches the sentence and headings ``context``."""
        hits = self._req_cache.get(context)
        if hits is None:
            if len(self._req_cache) > 50_000:
                self._req_cache.clear()
            hits = self._req_cache[context] = {}
        hit = hits.get(i)
        if hit is None:
            hit = hits[i] = bool(self.rules[i]._require.search(context))
        return hit

    def classify(self, m: _Mention, texts: dict[str, str], context: str, prev_id: str | None,
                 inherit: str | None) -> str | None:
        """The id of the first rule that fits, level by level; ``None`` when no rule fits (a rule whose id is
        ``other`` gives ``"other"``)."""
        for level in _LEVELS:
            # a subtotal after 其中 named only by a generic case type is a part of its total
            # (法律援助案件326件，其中刑事案件98件): the total's id wins over the part's own wording
            if level == "indicator" and inherit and inherit != "other" and _GENERIC_PART_RE.match(texts[level]):
                return inherit
            if level == "clause" and inherit:
                return inherit
            for i in self._matching(level, texts[level]):
                r = self.rules[i]
                if r._units and m.unit not in r._units:
                    continue
                # lengths, areas, weights and durations stay other (spec: "land areas and similar") unless
                # a rule names the unit
                if not r._units and m.unit in _MEASURE_UNITS:
                    continue
                if r._not_units and m.unit in r._not_units:
                    continue
                if r.after and prev_id not in r.after:
                    continue
                if r.same_as_previous and (prev_id is None or prev_id == "other"):
                    continue
                if r._require is not None and not self._required(context, i):
                    continue
                return prev_id if r.same_as_previous else r.id
        return None


# ----------------------------------------------------------------------------------------------------------
# Public functions
# ----------------------------------------------------------------------------------------------------------


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": pd.Series([], dtype="str"), "section_id": pd.Series([], dtype="str"),
        "sentence_id": pd.Series([], dtype="Int64"), "start": pd.Series([], dtype="int64"),
        "end": pd.Series([], dtype="int64"), "surface": pd.Series([], dtype="str"),
        "value": pd.Series([], dtype="float64"), "value_max": pd.Series([], dtype="float64"),
        "unit": pd.Series([], dtype="str"), "qualifier": pd.Series([], dtype="str"),
        "indicator": pd.Series([], dtype="str"), "indicator_id": pd.Series([], dtype="str"),
        "comparison": pd.Series([], dtype="str"), "direction": pd.Series([], dtype="str"),
        "comparison_text": pd.Series([], dtype="str"),
    })


def _unit_kind(unit: str) -> str:
    """``rate`` (% ‰), ``money`` (元), ``measure`` (areas, weights, lengths, durations) or ``count``."""
    if unit in ("%", "‰"):
        return "rate"
    if unit.endswith("元"):
        return "money"
    if unit in _MEASURE_UNITS:
        return "measure"
    return "count"


_MEASURE_UNITS = frozenset({"平方米", "平方公里", "平方千米", "立方米", "公里", "千米", "米", "公顷", "亩", "吨", "千克", "公斤",
                            "千瓦", "千瓦时", "小时", "分钟", "天", "课时", "学时", "分", "倍"})


def _structure_tables(corpus: pd.DataFrame):
    """Sections and sentences from :mod:`lawgov_analysis.text.structure`, or ``(None, None)`` if it is unavailable."""
    try:
        from ..text.structure import sections, sentences
    except ImportError:  # pragma: no cover - structure ships with the package
        return None, None
    secs = sections(corpus)
    try:
        sents = sentences(corpus, sections_table=secs)
    except TypeError:  # pragma: no cover - older signature
        sents = sentences(corpus)
    return secs, sents


def _semicolon_continuation(text: str, prev_end: int, start: int) -> bool:
    """True when the sentence starting at ``start`` follows the previous one (ending at ``prev_end``) across a
    semicolon, with no full stop or line break between them."""
    gap = text[max(0, prev_end - 1):start]
    return any(ch in gap for ch in "；;") and not _HARD_STOP_RE.search(gap)


def _doc_rows(doc_id: str, text: str, classifier: _Classifier, sents: pd.DataFrame | None,
              secs: pd.DataFrame | None) -> list[tuple]:
    mentions = _scan(text)
    if not mentions:
        return []
    # sentences: (start, end, section_id, sentence_id)
    if sents is not None and len(sents):
        s_start = sents["start"].tolist()
        s_end = sents["end"].tolist()
        s_sec = sents["section_id"].tolist()
        s_id = sents["sentence_id"].tolist()
    else:
        s_start, s_end, s_sec, s_id = [], [], [], []
    headings: dict[str, str] = {}
    parents: dict[str, str] = {}
    if secs is not None and len(secs):
        headings = dict(zip(secs["section_id"], secs["heading"].fillna("")))
        parents = dict(zip(secs["section_id"], secs["parent_id"].fillna("")))
    chain_cache: dict[str, str] = {}

    def chain(section_id: str) -> str:
        hit = chain_cache.get(section_id)
        if hit is None:
            parts, sid, seen = [], section_id, set()
            while sid and sid not in seen:
                seen.add(sid)
                parts.append(headings.get(sid, ""))
                sid = parents.get(sid, "")
            hit = "｜".join(p for p in parts if p)
            chain_cache[section_id] = hit
        return hit

    rows = []
    prev_sentence = None
    prev_id: str | None = None
    sentence_mentions: list[_Mention] = []
    for m in mentions:
        k = bisect.bisect_right(s_start, m.start) - 1
        if k >= 0 and m.start < s_end[k]:
            sec_id, sent_id = s_sec[k], s_id[k]
            sent_lo, sent_hi = s_start[k], s_end[k]
        else:
            sec_id, sent_id = "", None
            sent_lo = max(0, max(text.rfind(d, 0, m.start) for d in _SENTENCE_DELIMS) + 1)
            sent_hi = len(text)
            for d in _SENTENCE_DELIMS:
                j = text.find(d, m.end)
                if 0 <= j < sent_hi:
                    sent_hi = j
        sentence_key = (sent_lo, sent_hi)
        if sentence_key != prev_sentence:
            # a clause after ； continues the same statement (受理…11,203件；审结10,987件): the stage id of the
            # previous mention still applies; a full stop or a line break starts afresh
            if prev_sentence is None or not _semicolon_continuation(text, prev_sentence[1], sent_lo):
                prev_id = None
            prev_sentence = sentence_key
            sentence_mentions = []
        sentence = text[sent_lo:sent_hi]
        heading = chain(sec_id) if sec_id else ""
        # 其中: parts inherit the id of the total (the last earlier mention of the same unit before 其中)
        inherit = None
        q = text.rfind("其中", sent_lo, m.start)
        if q >= 0:
            for t in reversed(sentence_mentions):
                if t.end <= q and t.unit == m.unit:
                    inherit = t.indicator_id
                    break
        texts = {"indicator": _mask_titles(m.indicator), "clause": _mask_titles(text[m.wide_start:m.wide_end]),
                 "sentence": sentence, "heading": heading}
        if m.inherits and sentence_mentions:
            m.indicator_id = sentence_mentions[-1].indicator_id
        else:
            found = classifier.classify(m, texts, sentence + "｜" + heading, prev_id, inherit)
            if found is None:
                # nothing names what is counted: a count right after a count of the same kind in the same
                # sentence continues its statement (检查…1,426家次，发现问题…处; 配备…人员…名) — the
                # spec's "units doing the work" and "outputs" take the activity's id
                last = sentence_mentions[-1] if sentence_mentions else None
                found = last.indicator_id if last is not None and _unit_kind(last.unit) == "count" \
                    and _unit_kind(m.unit) == "count" else "other"
            m.indicator_id = found
        if m.indicator_id != "other":
            prev_id = m.indicator_id
        sentence_mentions.append(m)
        rows.append((doc_id, sec_id, sent_id, m.start, m.end, text[m.start:m.end], m.value, m.value_max, m.unit,
                     m.qualifier, m.indicator, m.indicator_id, "change" if m.comparison else "", m.direction,
                     m.comparison))
    return rows


def metrics(corpus: pd.DataFrame, *, indicators: str | Path | Mapping | list | None = None) -> pd.DataFrame:
    """Every metric mention in every report: the metric table.

    Parameters
    ----------
    corpus : DataFrame
        The report table (``load_corpus``); needs ``doc_id`` and ``text``.
    indicators : None, path, mapping or list, keyword-only
        Indicator rules (see :func:`load_indicator_rules`); ``None`` uses the bundled
        ``resources/indicators.toml``.

    Returns
    -------
    DataFrame
        One row per metric mention, sorted by ``doc_id, start``:

        - ``doc_id`` (str), ``section_id`` (str, from :func:`structure.sections`), ``sentence_id`` (Int64,
          from :func:`structure.sentences`): where the mention is.
        - ``start``, ``end`` (int): span in the report text; ``surface == text[start:end]`` is the run of
          hedge, number, multiplier and unit (``34万余剂次``, ``42人(次)``, ``100%以上``).
        - ``value`` (float): the number with 万/亿/千 applied (34万余 → 340000); for a range its lower end.
        - ``value_max`` (float): the upper end of a range (1000-1500人 → 1500), else NaN.
        - ``unit`` (str): the normalised measure word or ``%`` (人(次) → 人次, 万元 → 元, 2个工作日 → 个).
        - ``qualifier`` (str): hedges as written (余 多 近 约 超 以上 以下 内 左右); several are joined by
          ``、``; empty when exact.
        - ``indicator`` (str): the phrase naming what is counted, read from the clause (食品安全抽检,
          行政复议案件, 结案率).
        - ``indicator_id`` (str): canonical id from ``docs/spec/indicators.md``, ``other`` when no rule fits.
        - ``comparison`` (str): ``"change"`` when the number is a change against an earlier period rather than
          a level (同比增长8.6%, 较上年减少12件, 下降3个百分点, 比去年多50件), else ``""``. A change takes the
          ``indicator_id`` of the quantity that changed.
        - ``direction`` (str): ``"up"`` or ``"down"`` for a change (增长/增加/上升/提高/多 vs 下降/减少/降低/回落/少),
          ``""`` for a level; ``value`` stays the unsigned size as written.
        - ``comparison_text`` (str): the change wording as written (同比增长, 较上年下降, 增长), ``""`` for a level.
          rather than a level, else empty.

    Examples
    --------
    ``受理各类诉讼案件4860件，结案4519件，结案率91.87%`` gives three rows: 4860 件 (诉讼案件, court.cases),
    4519 件 (结案, court.cases) and 91.87 % (结案率, court.cases).
    """
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    classifier = _Classifier(load_indicator_rules(indicators))
    if corpus.empty:
        return _empty_table()
    secs, sents = _structure_tables(corpus)
    sent_groups = dict(tuple(sents.groupby("doc_id", sort=False))) if sents is not None and len(sents) else {}
    sec_groups = dict(tuple(secs.groupby("doc_id", sort=False))) if secs is not None and len(secs) else {}
    rows: list[tuple] = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        if not isinstance(text, str) or not text:
            continue
        doc_sents = sent_groups.get(doc_id)
        if doc_sents is not None:
            doc_sents = doc_sents.sort_values("start", kind="mergesort")
        rows.extend(_doc_rows(str(doc_id), text, classifier, doc_sents, sec_groups.get(doc_id)))
    if not rows:
        return _empty_table()
    df = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    df = df.astype({"doc_id": "str", "section_id": "str", "sentence_id": "Int64", "start": "int64", "end": "int64",
                    "surface": "str", "value": "float64", "value_max": "float64", "unit": "str",
                    "qualifier": "str", "indicator": "str", "indicator_id": "str", "comparison": "str",
                    "direction": "str", "comparison_text": "str"})
    return df.sort_values(["doc_id", "start", "end"], kind="mergesort").reset_index(drop=True)


def extract_metrics(text: str, doc_id: str = "doc", *,
                    indicators: str | Path | Mapping | list | None = None) -> pd.DataFrame:
    """The metric table of one text (see :func:`metrics` for the columns).

    ``section_id`` and ``sentence_id`` are computed by :mod:`lawgov_analysis.text.structure` on a one-row corpus
    built from ``text``, so they are the same as for the report loaded from a file.

    >>> extract_metrics("全区共完成食品安全抽检395批，合格率为97.46%。")[["surface", "value", "unit"]].values.tolist()
    [['395批', 395.0, '批'], ['97.46%', 97.46, '%']]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    corpus = pd.DataFrame({"doc_id": pd.Series([doc_id], dtype="str"), "text": pd.Series([text], dtype="str")})
    return metrics(corpus, indicators=indicators)


# ----------------------------------------------------------------------------------------------------------
# Scoring
# ----------------------------------------------------------------------------------------------------------


def _values_equal(a: float, b: float) -> bool:
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) / max(abs(a), abs(b)) < 1e-9


def evaluate_metrics(pred: pd.DataFrame, gold: pd.DataFrame, *, indicators: pd.DataFrame | None = None,
                     optional: Literal["ignore", "count"] = "ignore") -> dict:
    """Score a metric table against a gold table (``docs/spec/metric-mentions.md``, "Scoring").

    A prediction matches a gold row when both have the same ``doc_id``, values equal within a relative
    difference of 1e-9, equal normalised units (:func:`normalize_unit`) and overlapping spans; matching is
    one-to-one. Gold rows with ``optional == 1`` neither reward nor penalise: a prediction overlapping one
    is neither a true nor a false positive (``optional="count"`` scores them as ordinary rows).

    Parameters
    ----------
    pred : DataFrame
        ``doc_id, start, end, value, unit`` (and ``indicator_id`` for the indicator agreement).
    gold : DataFrame
        ``doc_id, start, end, value, unit`` and optionally ``optional`` and ``indicator_id``.
    indicators : DataFrame, optional, keyword-only
        Gold indicator ids keyed by ``doc_id, start, end`` (``data/gold/seed_indicators.csv``); used when
        ``gold`` has no ``indicator_id`` column.
    optional : {"ignore", "count"}, keyword-only

    Returns
    -------
    dict
        ``precision, recall, f1`` (floats), ``tp, fp, fn`` (ints), ``gold`` (non-optional gold rows),
        ``predicted`` (predictions not ignored), ``indicator_agreement`` (share of matched rows whose
        ``indicator_id`` equals the gold id, or ``None`` without gold ids) and ``indicator_matched`` (how many
        matched rows had a gold id).
    """
    check_option("optional", optional, ["ignore", "count"])
    check_columns(pred, ["doc_id", "start", "end", "value", "unit"], what="predictions")
    check_columns(gold, ["doc_id", "start", "end", "value", "unit"], what="gold")
    gold = gold.copy()
    gold["doc_id"] = gold["doc_id"].astype(str)
    if "optional" in gold.columns and optional == "ignore":
        opt = pd.to_numeric(gold["optional"], errors="coerce").fillna(0).astype(int).astype(bool)
    else:
        opt = pd.Series(False, index=gold.index)
    gold_ids: dict[tuple[str, int, int], str] = {}
    if "indicator_id" in gold.columns:
        for d, s, e, i in zip(gold["doc_id"], gold["start"], gold["end"], gold["indicator_id"]):
            if isinstance(i, str) and i:
                gold_ids[(d, int(s), int(e))] = i
    elif indicators is not None:
        check_columns(indicators, ["doc_id", "start", "end", "indicator_id"], what="indicators")
        for d, s, e, i in zip(indicators["doc_id"].astype(str), indicators["start"], indicators["end"],
                              indicators["indicator_id"]):
            if isinstance(i, str) and i:
                gold_ids[(d, int(s), int(e))] = i
    pred_ids = pred["indicator_id"].tolist() if "indicator_id" in pred.columns else [None] * len(pred)
    preds = [(str(d), int(s), int(e), float(v), normalize_unit(u), pid)
             for d, s, e, v, u, pid in zip(pred["doc_id"], pred["start"], pred["end"], pred["value"],
                                           pred["unit"], pred_ids)]
    golds = [(str(d), int(s), int(e), float(v), normalize_unit(u), bool(o))
             for d, s, e, v, u, o in zip(gold["doc_id"], gold["start"], gold["end"], gold["value"], gold["unit"],
                                         opt)]
    by_doc: dict[str, list[int]] = {}
    for i, p in enumerate(preds):
        by_doc.setdefault(p[0], []).append(i)
    used: set[int] = set()
    tp = 0
    agree = 0
    matched_with_id = 0
    for g in sorted((g for g in golds if not g[5]), key=lambda g: (g[0], g[1], g[2])):
        best = None
        for i in by_doc.get(g[0], []):
            if i in used:
                continue
            p = preds[i]
            if p[1] < g[2] and g[1] < p[2] and p[4] == g[4] and _values_equal(p[3], g[3]):
                if best is None or abs(p[1] - g[1]) < abs(preds[best][1] - g[1]):
                    best = i
        if best is not None:
            used.add(best)
            tp += 1
            gid = gold_ids.get((g[0], g[1], g[2]))
            if gid is not None:
                matched_with_id += 1
                agree += int(preds[best][5] == gid)
    optional_spans = [(g[0], g[1], g[2]) for g in golds if g[5]]
    ignored = 0
    fp = 0
    for i, p in enumerate(preds):
        if i in used:
            continue
        if any(d == p[0] and s < p[2] and p[1] < e for d, s, e in optional_spans):
            ignored += 1
            continue
        fp += 1
    n_gold = sum(1 for g in golds if not g[5])
    fn = n_gold - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "gold": n_gold,
            "predicted": tp + fp, "indicator_agreement": (agree / matched_with_id) if matched_with_id else None,
            "indicator_matched": matched_with_id}
