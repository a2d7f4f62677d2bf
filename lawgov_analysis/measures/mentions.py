"""The metric scanner: every number + unit run of a report, its value, unit, hedge, change wording and phrase.

The rules follow ``docs/spec/metric-mentions.md``. One pass of one compiled regular expression over the text
reads every "hedge + number + multiplier + hedge + unit" (it is tried only where a numeral can start). Each run found is a *candidate*; the
exclusion rules (:mod:`lawgov_analysis.measures.exclusions`) look only at the characters around it. What is
left is a :class:`Mention`, annotated from its clause: the change wording before it (同比增长, 较上年减少) and
the phrase naming what is counted (the ``indicator`` column). Cue words come from ``resources/cues.toml``
(:mod:`lawgov_analysis.core.cues`), punctuation from :mod:`lawgov_analysis.core.delimiters`, numbers and units
from :mod:`lawgov_analysis.measures.units`.

Names
-----
scan_mentions(text, excluded=None)   the mentions of one text (a list of Mention, in text order)
Mention                              one mention: span, value, unit, qualifier, comparison, indicator phrase
mask_titles(text)                    《title》 → 《last character》, so a title's words do not pick the indicator
clear_caches()                       empty the per-process caches (for timing texts never seen)
"""

from __future__ import annotations

import functools
import math
import operator
import re
from dataclasses import dataclass

import numpy as np

from ..core.cues import load_cues
from ..core.delimiters import BRACKET_PAIRS, CLOSERS
from . import charclass
from .charclass import delimiter_arrays, first_char_lookahead
from .exclusions import CHINESE_WINDOW, Candidate, ChunkScreen, first_exclusion, hedge_before
from .units import (
    BRACKETABLE,
    CN_NUMERAL_CHARS,
    MULTIPLIERS,
    NUMBER,
    NUMBER_LED,
    NUMBER_SCAN,
    UNIT_ALT,
    clear_unit_cache,
    exact_mul,
    is_chinese,
    normalize_unit,
    number_value,
)

__all__ = ["Excluded", "Mention", "clear_caches", "mask_titles", "scan_mentions", "scan_reports"]

_CUES = load_cues()

#: The clause around a mention reaches at most this far back and on (characters).
CLAUSE_BACK, CLAUSE_ON = 80, 60

_MENTION_RE = re.compile(
    rf"""
    (?P<num>{NUMBER})
    (?:[ \u3000]?(?P<sep>[-－~～—–至到])[ \u3000]?(?P<num2>{NUMBER}))?
    (?P<q1>{_CUES.hedge_after})?
    (?P<mult>万亿|千万|百万|十万|亿|億|万|萬|千(?![米克瓦]))?
    (?P<q2>{_CUES.hedge_after})?
    [ \u3000\u00a0]?
    (?:[(（](?P<ub>{BRACKETABLE})[)）])?
    (?P<unit>{UNIT_ALT})
    (?:[(（](?P<ua>{BRACKETABLE})[)）])?
    (?P<q3>{_CUES.hedge_bound})?
    """,
    re.VERBOSE,
)
# the same pattern (same matches, left to right, as _MENTION_RE.finditer) with the digit runs of its numbers
# possessive (NUMBER_SCAN), its first number led by the characters a numeral starts with (NUMBER_LED: the regular
# expression engine skips every other position quickly) and its unit behind a look-ahead of the characters a unit
# starts with (a number followed by no unit, 2021年, fails at once)
_MENTION_SCAN_RE = re.compile(_MENTION_RE.pattern.replace(NUMBER, NUMBER_LED, 1).replace(NUMBER, NUMBER_SCAN)
                              .replace("(?P<unit>", first_char_lookahead(UNIT_ALT) + "(?P<unit>", 1), re.VERBOSE)
# the numbers of its named groups, read with one m.group call
_GROUPS = tuple(_MENTION_SCAN_RE.groupindex[g] for g in ("num", "sep", "num2", "q1", "mult", "q2", "ub", "unit", "ua",
                                                          "q3"))
# they are all its groups, in this order, so that m.groups() reads them (the scanner relies on it)
if _GROUPS != tuple(range(1, _MENTION_SCAN_RE.groups + 1)):
    raise ImportError("the mention pattern's groups must be num, sep, num2, q1, mult, q2, ub, unit, ua, q3, in order")
# 百分之九十五 → 95 %
_PERCENT_RE = re.compile(rf"百分之(?P<num>{NUMBER}|百)(?P<q3>{_CUES.hedge_bound})?")

# a time noun after the classifier, then 内: 2个工作日内, 3天内
_AFTER_TIME_IN_RE = re.compile(r"(?:工作日|个月|日|天|小时|周)?(?P<q>以内|内)(?![容部涵外地蒙控审设网勤务在心资])")
_AFTER_TIME_FIRST = frozenset("工个日天小周以内")
# the last characters of the hedges written before a number: hedge_before finds none unless one stands there
_HEDGE_LAST = frozenset(w[-1] for w in _CUES.words("hedge", "before"))  # the characters _AFTER_TIME_IN_RE can start with
# the last character of any change wording (a verb, 多/少, a rate noun, 了/出/为/达/到 after it): a clause that
# ends otherwise holds no comparison, and the comparison pattern is not tried on it
_COMPARISON_LAST = frozenset({w[-1] for key in ("up", "down", "more", "less", "up_rate", "down_rate")
                              for w in _CUES.words("change", key)} | set("了出为达到"))
# the scanner's values are numerals read from text (never negative), so a product can be remembered
_exact_mul = functools.lru_cache(maxsize=65536)(exact_mul)
# the normalised form of each unit as the pattern matched it (a few hundred at most)
_UNITS: dict[str, str] = {}

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
_SUFFIX_STOP_RE = re.compile(
    r"[0-9０-９]|共|的|完成|进行|参加|参与|入驻|组成|开展|实现|建设|获得|被(?!执行|告|申请|害|监护|审计|访)|提供|均|全部|予以|"
    r"受到|得到|接受|在|采取|纳入|入选|名单"
)
# a verb opening the words after a count, before the thing named (1,702项实现“全程网办”)
_SUFFIX_LEADS = ("的", "实现了?", "达到", "属于", "为", "是", "被", "纳入", "进入", "完成")
_SUFFIX_LEAD_RE = re.compile("^(?:" + "|".join(_SUFFIX_LEADS) + ")+")
_SUFFIX_LEAD_FIRST = frozenset(w[0] for w in _SUFFIX_LEADS)  # the characters its words start with
_VERBISH_WORDS = (
    "设置|遴选|出台|建立|成立|组建|举办|举行|开展|组织|发放|推送|召开|聘请|选聘|培育|评选|创建|打造|建成|新建|"
    "配备|投入|印发|制定|发布|明确|梳理|编制|形成|提出|落实|确定|选派|派出|招录|录用|培训|对|向|为|有|共|"
    "抽查|检查|推动|促进|带动|惠及|分解到|分解|涉及|审议通过|审议|命名|评出|下设|配合打掉|打掉|调整为|参考|参训|参学|帮助|指导|协助"
).split("|")
_VERBISH_TAIL_RE = re.compile("(?:" + "|".join(map(re.escape, _VERBISH_WORDS)) + ")$")



# the last characters of the verbs _VERBISH_TAIL_RE ends with
_VERBISH_LAST = frozenset(w[-1] for w in _VERBISH_WORDS)
# the last characters of a text whose rstrip(" 了") can end with one of those verbs
_VERBISH_TRY = _VERBISH_LAST | {" ", "了"}
# the last characters of the words _CHANGED_TO_RE matches (a whole text), and the ends of an open phrase
_CHANGED_TO_LAST = frozenset("为到至\n")
_OPEN_ENDS = ("的", "等", "和", "及", "与", "、")


def _verbish_tail(s: str) -> bool:
    """Whether ``s`` ends with a verb of making or handling (``_VERBISH_TAIL_RE``), tried only when its last
    character can end one."""
    return bool(s) and s[-1] in _VERBISH_LAST and _VERBISH_TAIL_RE.search(s) is not None


@dataclass(slots=True)
class Mention:
    """One metric mention of a text: ``start``/``end`` (span, hedge before the number included), ``value``,
    ``value_max`` (NaN unless a range), ``unit`` (normalised), ``qualifier`` (hedges joined by 、),
    ``comparison`` (the change wording, "" for a level), ``direction`` (up/down/""), ``indicator`` (the phrase
    naming what is counted), the clause (``clause_start``/``clause_end``, up to 、) and the wide clause
    (``wide_start``/``wide_end``, up to a comma), ``indicator_id`` (set by the classifier) and ``inherits``
    (the phrase is the previous mention's: 177件214人)."""

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


@dataclass(frozen=True)
class Excluded:
    """A candidate that is not a mention: its span, surface and the rule (name and reason) that left it out."""

    start: int
    end: int
    surface: str
    rule: str
    reason: str


def scan_mentions(text: str, excluded: list[Excluded] | None = None) -> list[Mention]:
    """Every metric mention in ``text`` (spans, values, units, hedges, comparison and phrase); no indicator id.

    When ``excluded`` is a list, every candidate left out is appended to it (rule and reason, see
    :mod:`lawgov_analysis.measures.exclusions`).
    """
    runs = _scan(text, 0, ChunkScreen(text), excluded)
    return _annotate(text, runs, _clauses(text, runs)) if runs else []


def scan_reports(texts: list[str]) -> list[list[Mention]]:
    """:func:`scan_mentions` of each of many texts (not empty), read as one: the exclusion screen and the clause
    boundaries are found once for the texts joined by line breaks (a line break ends a clause and a sentence, as
    the end of a text does, and the screen of joined texts lets through no candidate that a rule would rule out
    in its own text). The mentions are those :func:`scan_mentions` gives text by text."""
    big = "\n".join(texts)
    screen = ChunkScreen(big)
    bases, found, base = [], [], 0
    for text in texts:
        found.append(_scan(text, base, screen, None))
        bases.append(base)
        base += len(text) + 1
    every = [x for kept in found for x in kept]
    if every:
        offsets = np.repeat(np.asarray(bases, dtype=np.int64), [len(kept) for kept in found])
        cs, ce, ws, we, same = _clauses(big, every, offsets)
        lo = 0
        for i, (text, runs) in enumerate(zip(texts, found)):
            if runs:
                hi = lo + len(runs)
                found[i] = _annotate(text, runs, (cs[lo:hi], ce[lo:hi], ws[lo:hi], we[lo:hi], same[lo:hi]))
                lo = hi
    return found


_SPACES = (" ", "\u3000")
# the answer of the rules for Chinese numerals (when no general rule can fire) for the characters they read
_CN_BACK, _CN_ON = CHINESE_WINDOW
_CHINESE_RULED: dict[tuple[str, int, int], object] = {}
_UNSEEN = object()
# a run the scanner keeps, before annotation: (start, end, value, value_max, unit, qualifier), the first fields
# of its Mention (made once, with its clause and phrase, by _annotate)
Run = tuple[int, int, float, float, str, str]
_by_span = operator.itemgetter(0, 1)
_START, _END = operator.itemgetter(0), operator.itemgetter(1)


def _scan(text: str, base: int, screen: ChunkScreen, excluded: list[Excluded] | None) -> list[Run]:
    """The mentions of ``text`` before annotation (each a :data:`Run`), in text order without overlaps;
    ``text`` stands at offset ``base`` of the text ``screen`` was made of."""
    found: list[Run] = []
    append = found.append
    # the screen's quick conditions are tested here (ChunkScreen.may_fire is asked only when they leave it open)
    may_fire, flags, before, after, bounds, units = (screen.may_fire, screen.flags, screen.BEFORE, screen.AFTER,
                                                     screen.BOUNDS, screen.UNITS)
    jie, lexical = bool(screen.jie), bool(screen.lexical)
    # the matches come in text order without overlaps: only a hedge before the number, a time noun after the
    # unit or a 百分之 mention can move a span, and only then are the mentions sorted and their overlaps dropped
    moved = False
    for m in _MENTION_SCAN_RE.finditer(text):
        num, sep, num2, q1, mult, q2, ub, unit_raw, ua, q3 = m.groups()
        value = number_value(num)
        if value is None:
            continue  # not one number (a run of digits or numerals that is not a quantity)
        start, end = m.span()
        chinese = num[0] in CN_NUMERAL_CHARS  # is_chinese(num)
        after_num = start + len(num)
        spaced = text[after_num:after_num + 1] in _SPACES
        prev_char = text[start - 1] if start else ""
        next_char = text[end:end + 1]
        if flags[base + start] or spaced or q3 in bounds or next_char in after or prev_char in before \
                or (len(num) > 1 and num[0] in "0０"):
            general = True
        elif unit_raw in units or lexical or (jie and unit_raw == "次"):
            general = may_fire(text, base + start, start, end, num, unit_raw, q3, spaced)
        else:
            general = False
        if general or chinese:
            if general:
                rule = first_exclusion(text, Candidate(text, start, end, num, value, unit_raw, q1, q2, q3, spaced,
                                                       chinese), general=True, flagged=flags[base + start])
            else:  # the rules for Chinese numerals alone, which read only the characters of CHINESE_WINDOW
                lo = start - _CN_BACK if start > _CN_BACK else 0
                key = (text[lo:end + _CN_ON], start - lo, end - start)
                rule = _CHINESE_RULED.get(key, _UNSEEN)
                if rule is _UNSEEN:
                    if len(_CHINESE_RULED) > 65536:
                        _CHINESE_RULED.clear()
                    rule = _CHINESE_RULED[key] = first_exclusion(text, Candidate(
                        text, start, end, num, value, unit_raw, q1, q2, q3, spaced, chinese), general=False)
            if rule is not None:
                if excluded is not None:
                    excluded.append(Excluded(start, end, m.group(0), rule.name, rule.reason))
                continue
        value_max = math.nan
        if num2:
            v2 = number_value(num2)
            why = None
            if v2 is None:
                why = ("range_unreadable", "not a number")
            elif sep in "-－—–" and chinese != is_chinese(num2):
                why = ("range_mixed", "not a range")
            elif v2 <= value:
                why = ("range_order", "not a range")  # 5-3件 is not a range of counts
            if why is not None:
                if excluded is not None:
                    excluded.append(Excluded(start, end, m.group(0), *why))
                continue
            value_max = v2
        if mult:
            factor = MULTIPLIERS[mult]
            value = _exact_mul(value, factor)
            if value_max == value_max:  # not NaN
                value_max = _exact_mul(value_max, factor)
        if not value <= 1e15:  # too large (the values are finite and never negative)
            if excluded is not None:
                excluded.append(Excluded(start, end, m.group(0), "too_large", "not a number"))
            continue
        if ub or ua:
            unit = normalize_unit((ub or "") + unit_raw + (ua or ""))
        else:
            unit = _UNITS.get(unit_raw)
            if unit is None:
                unit = _UNITS[unit_raw] = normalize_unit(unit_raw)
        # hedge written before the number (近3000人, 约20场); it ends right before the number (hedge_before)
        pre = hedge_before(text, start) if prev_char in _HEDGE_LAST else None
        # 2个工作日内, 3天内
        t = _AFTER_TIME_IN_RE.match(text, end) if not q3 and next_char in _AFTER_TIME_FIRST else None
        if t is not None and not (t.group(0) in ("内", "以内") or unit in ("个", "天", "小时")):
            t = None
        if not (q1 or q2 or q3 or pre or t):
            append((start, end, value, value_max, unit, ""))
            continue
        qualifiers = [q for q in (q1, q2, q3) if q]
        if pre:
            qualifiers.insert(0, pre.group(0))
            start = pre.start()
            moved = True
        if t is not None:
            qualifiers.append(t.group("q"))
            end = t.end()
            moved = True
        append((start, end, value, value_max, unit,
                "、".join(dict.fromkeys(qualifiers)) if len(qualifiers) > 1 else qualifiers[0]))
    if "百分之" in text:
        for m in _PERCENT_RE.finditer(text):
            value = 100.0 if m.group("num") == "百" else number_value(m.group("num"))
            if value is None:
                continue
            found.append((m.start(), m.end(), value, math.nan, "%", m.group("q3") or ""))
            moved = True
    if not moved:
        return found
    found.sort(key=_by_span)
    # drop overlaps (keep the earlier, longer run)
    kept: list[Run] = []
    last_end = -1
    for x in found:
        start, end = x[0], x[1]
        if start < last_end:
            if excluded is not None:
                excluded.append(Excluded(start, end, text[start:end], "overlap", "overlap"))
            continue
        kept.append(x)
        last_end = end
    return kept


def clear_caches() -> None:
    """Empty the scanner's per-process caches (phrases, numbers, units): the results stay the same, only the
    time of the next texts changes (benchmarks time texts never seen before this way)."""
    _UNITS.clear()
    _CHINESE_RULED.clear()
    charclass.clear_cache()
    for cached in (_balanced_strip, _strip_phrase, _exact_mul, number_value):
        cached.cache_clear()
    clear_unit_cache()


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


_MARKS = frozenset(BRACKET_PAIRS) | frozenset(CLOSERS) | {" ", "\u3000", '"', "'"}


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
        if p and p[0] in BRACKET_PAIRS and BRACKET_PAIRS[p[0]] not in p[1:]:
            p = p[1:]
        if p and p[-1] in CLOSERS and CLOSERS[p[-1]] not in p[:-1]:
            p = p[:-1]
        if p and p[-1] in BRACKET_PAIRS:
            p = p[:-1]
        if p and p[0] in CLOSERS:
            p = p[1:]
        p = p.strip(" \u3000\"'")
        if p == before:
            break
    # a closer whose opener was cut off with the clause (各县（市、区）政府…): drop up to it
    for closer, opener in CLOSERS.items():
        k = p.find(closer)
        if k >= 0 and opener not in p[:k]:
            p = p[k + 1:]
    return p


@functools.lru_cache(maxsize=65536)
def _strip_phrase(phrase: str) -> str:
    p = _balanced_strip(phrase)
    # the words after the last 共/共计/累计 name the thing, unless nothing follows (业主共计61家)
    last = _last_match(_CUES.total, p)
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


def mask_titles(text: str) -> str:
    """``text`` with each 《title》 shortened to its last character (《中华人民共和国行政处罚法》 → 《法》): a title names
    the document studied or issued, not the thing counted, so its words must not pick the indicator."""
    if "《" not in text:
        return text
    return _TITLE_RE.sub(lambda t: "《" + t.group(0)[-2] + "》", text)


def _suffix_phrase(text: str, end: int, clause_end: int) -> str:
    tail = text[end:clause_end]
    if len(tail) < 2 or tail.startswith(("百分点", "工作日", "个月", "小时")):
        return ""  # the steps below only shorten a tail, and one shorter than 2 characters names nothing
    if tail[0] in _SUFFIX_LEAD_FIRST:
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


def _clauses(text: str, mentions: list[Run], bases: np.ndarray | None = None
             ) -> tuple[list, list, list, list, list]:
    """For each mention (in text order): the start and end of its clause (up to a delimiter or 、, at most
    :data:`CLAUSE_BACK` characters back and :data:`CLAUSE_ON` on), of its wide clause (up to a delimiter) and
    whether no sentence delimiter stands between the previous mention's end and its start (False for the
    first) — found for all mentions at once. With ``bases``, ``text`` is many texts joined by line breaks and
    each mention stands in the text that starts at its base (its offsets, and those returned, are that
    text's)."""
    narrow, wide, stops = delimiter_arrays(text)
    n = len(text)
    starts = np.array(list(map(_START, mentions)), dtype=np.int64)
    ends = np.array(list(map(_END, mentions)), dtype=np.int64)
    if bases is not None:
        starts += bases
        ends += bases
    out = []
    for offsets in (narrow, wide):
        if len(offsets):
            k = np.searchsorted(offsets, starts)
            j = np.searchsorted(offsets, ends)
            lo = np.maximum(np.where(k > 0, offsets[k - 1] + 1, 0), starts - CLAUSE_BACK)
            hi = np.minimum(np.where(j < len(offsets), offsets[np.minimum(j, len(offsets) - 1)], n),
                            ends + CLAUSE_ON)
        else:
            lo = np.maximum(starts - CLAUSE_BACK, 0)
            hi = np.minimum(ends + CLAUSE_ON, n)
        if bases is not None:
            lo -= bases
            hi -= bases
        out.append(lo.tolist())
        out.append(hi.tolist())
    same = np.zeros(len(mentions), dtype=bool)
    if len(mentions) > 1:
        if len(stops):
            k = np.searchsorted(stops, ends[:-1])
            same[1:] = (k == len(stops)) | (stops[np.minimum(k, len(stops) - 1)] >= starts[1:])
        else:
            same[1:] = True
    out.append(same.tolist())
    return out[0], out[1], out[2], out[3], out[4]


def _annotate(text: str, runs: list[Run], clauses: tuple[list, list, list, list, list]) -> list[Mention]:
    """The mentions of the runs :func:`_scan` kept, with their clauses (``clauses``: what :func:`_clauses`
    gives for them), ``comparison`` and ``indicator`` (the phrase naming what is counted) read from them; each
    Mention is made once, with all its fields."""
    mentions: list[Mention] = []
    prev: Mention | None = None
    comparison = _CUES.comparison.search
    for (start, end, value, value_max, unit, qualifier), cs, ce, ws, we, same_sentence in zip(runs, *clauses):
        # the clause: from after the previous delimiter (at most CLAUSE_BACK characters back) to the next one (at
        # most CLAUSE_ON on); the clause stops at 、 too, the wide clause only at a comma or stronger
        change = direction = ""
        if prev is not None:
            same_clause = prev.clause_start == cs
            left = prev.end if prev.end > cs else cs
        else:
            same_clause, left = False, cs
        # 检查中小学、幼儿园132所: a 、 inside a noun list is not the start of what is counted
        if left == cs and cs > ws and text[cs - 1] == "、" and (prev is None or prev.end <= ws) \
                and not _DIGIT_RE.search(text, ws, cs):
            left = ws
        before = text[left:start]
        # comparison: 同比增长12.5%, 较上年下降3个百分点
        cm = comparison(before) if before and before[-1] in _COMPARISON_LAST else None
        if cm and cm.group(0):
            word = cm.group(0)
            if _CUES.change_base.search(word) or unit in ("%", "‰", "倍") or text.startswith("百分点", end):
                change = word.rstrip("了为达到")
                direction = "down" if _CUES.down.search(change) else "up"
                before = before[:cm.start()]
        elif prev is not None and prev.comparison and (
                (same_clause and before.strip() in ("和", "、", "及", "与", "，"))
                or (prev.wide_start == ws and text[prev.end:start].strip() in ("、", "和", "及", "与"))):
            # 同比增长12%和8%; 同比分别下降3.6个、2.6个百分点: the second number is a change too
            change, direction = prev.comparison, prev.direction
        phrase = _strip_phrase(before)
        bare = before.strip(" \u3000")
        if prev is not None and same_sentence and (bare in _CONNECTORS or (bare[-1:] in _CHANGED_TO_LAST
                                                                            and _CHANGED_TO_RE.match(bare))):
            phrase = prev.indicator  # 97.3%和99.5%; 由41个调整为35个: the thing counted just before
        elif not phrase and same_clause and prev is not None and not bare:
            phrase = prev.indicator  # paired counts: 177件214人
        elif not phrase or bare.endswith(_OPEN_ENDS) or phrase in _PARTITION_WORDS \
                or (before[-1:] in _VERBISH_TRY and _verbish_tail(before.rstrip(" 了"))):
            suffix = _suffix_phrase(text, end, ce)
            if suffix:
                phrase = suffix
            elif not phrase:
                # 业主共计61家: the words before 共计; 开展培训12期次: the verb phrase itself
                phrase = _TAIL_STRIP_RE.sub("", _LEAD_STRIP_RE.sub("", before.strip())) or \
                    _TAIL_STRIP_RE.sub("", _SCOPE_STRIP_RE.sub("", before.strip()))
        inherits = not phrase and (same_clause or (same_sentence and change != ""))
        if inherits:
            phrase = prev.indicator  # 177件214人, 同比增长12.5%: the thing counted just before
        prev = Mention(start, end, value, value_max, unit, qualifier, change, direction,
                       phrase if len(phrase) <= _PHRASE_MAX else _shorten(phrase), cs, ce, ws, we,
                       inherits=inherits)
        mentions.append(prev)
    return mentions

