"""Why a number + unit is not a metric mention: the spec's exclusions as a table of named rules.

The scanner (:mod:`lawgov_analysis.measures.mentions`) finds every run of number, multiplier, hedge and unit
(a *candidate*) and asks :func:`first_exclusion` whether one of :data:`EXCLUSION_RULES` rules it out: an
ordinal (第八批), a session number (十四届三次全会), part of a code or date (PM2.5, 12·4), a phone number, a list
marker, a rank, page furniture (浏览次数), a number inside a 《title》 or a short “quotation”, a threshold
(12岁以上的), a statutory bound (2000元以上10000元以下罚款), a time slogan (24小时自助), a rate per head
(每10万人), a rule or target (每年不少于2次), a lexicalised word (十分, 千家万户) and, for Chinese numerals,
articles (一批), bare powers (百万网民), vague quantities (数十家), named sets (四个意识, 三项制度) and slogans
(一案一卷). Each rule has a name and the reason a reader is given; :data:`SCANNER_CHECKS` names the checks the
scanner makes itself (a range that is not one, a number too large, an overlap). Every rule looks only at the
characters around its candidate, within the named windows below.

``lawgov_analysis.measures.metrics.explain_exclusions(corpus)`` lists every excluded candidate with its rule and
reason; :func:`exclusion_rules` lists the rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.cues import load_cues
from ..core.delimiters import CLAUSE_DELIMS, PHRASE_DELIMS, QUOTE_PAIRS, TITLE_PAIRS
from ..core.numerals import CN_DIGITS
from .charclass import char_class, char_places, code_points, first_char_lookahead, word_starts
from .units import UNIT_WORDS

__all__ = ["CHINESE_WINDOW", "CONTEXT_WINDOW", "EXCLUSION_RULES", "FURNITURE_WINDOW", "LEXICAL_WINDOW",
           "NOUN_WINDOW", "QUOTE_WINDOW", "RESULT_VERB_WINDOW", "RULE_CLAUSE_WINDOW", "SCANNER_CHECKS",
           "TITLE_WINDOW", "Candidate", "ChunkScreen", "ExclusionRule", "TextScreen", "counted_result",
           "exclusion_rules", "first_exclusion", "hedge_before", "may_be_excluded"]

#: Characters read before and after a candidate by most rules (第 before it, 以上的 after it …).
CONTEXT_WINDOW = 8
#: How far back page furniture (浏览次数：) is looked for.
FURNITURE_WINDOW = 12
#: How far back the clause of a rule or target (每年…不少于) is read.
RULE_CLAUSE_WINDOW = 20
#: The longest short quotation a number can be inside (“12·4”, “三项制度”).
QUOTE_WINDOW = 24
#: The longest 《title》 a number can be inside (《规划(2021-2025)》).
TITLE_WINDOW = 120
#: Characters on each side of a candidate searched for a lexicalised word (十分, 千家万户).
LEXICAL_WINDOW = 3
#: How far back a verb of making or handling (新建, 出台了) is looked for before a Chinese-numeral count.
RESULT_VERB_WINDOW = 6
#: The largest numeral policy names use (十项行动); Chinese-numeral counts above it are quantities.
NAMED_SET_MAX = 10
#: How far the noun after a Chinese-numeral count is read (counted_result).
NOUN_WINDOW = 12
#: The characters before and after a candidate that the rules for Chinese numerals read, at most: a verb of
#: making within RESULT_VERB_WINDOW before it (a hedge or a parallel slogan reads fewer), the noun after it.
#: Two candidates with the same characters in these windows (and the same span within them) get the same
#: answer from those rules.
CHINESE_WINDOW = (RESULT_VERB_WINDOW, max(NOUN_WINDOW, CONTEXT_WINDOW))

_CUES = load_cues()
_HEDGE_LAST = frozenset(w[-1] for w in _CUES.words("hedge", "before"))

# a term number and the organ it belongs to, right before a session number: 十七届人大|三次会议
_SESSION_BEFORE_RE = re.compile(r"届(?:人大常委会|人大|政协|党委|纪委|委员会|常委会|全委会)?$")
# what follows a bound of a rule rather than a result: another bound or the penalty it bounds
_STATUTE_AFTER_RE = re.compile(r"[0-9０-９.零〇一二两三四五六七八九十百千万亿]+\S{0,3}?以下|罚款|罚金|不满|有期徒刑|拘留")
_RANK_BEFORE_RE = re.compile(r"(?:排名|位列|位居|名列|列|居|前|后)$")
# the words a page counter starts with (浏览次数：)
_FURNITURE_WORDS = ("浏览", "点击", "阅读", "访问")
_PAGE_FURNITURE_RE = re.compile(f"(?:{'|'.join(_FURNITURE_WORDS)})" + r"(?:次数|量|数|人数|人次|次)?[：:\s]*$")
_TIME_SLOGAN_RE = re.compile(r"(?:服务圈|生活圈|便民|法律服务|不打烊|值班|值守|在线|全天候|自助|响应|政务服务|营业)")
# lexicalised words and place names that begin with a numeral + unit character
_LEXICAL_WORDS = ("十分|万分|三番五次|千家万户|七台河|三门峡|三门县|九台|三台|五台|五家渠|三元区|三元里|六枝|四方台|"
                  "十户联防|百家|千方百计|万人空巷|两所一庭|三支一扶|一五一十").split("|")
_LEXICAL_RE = re.compile("|".join(_LEXICAL_WORDS))
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
_NOUN_AFTER_RE = re.compile(r"[^，,；;。！？!?：:\n、的“”‘’（）()《》]" + f"{{0,{NOUN_WINDOW}}}")
# verbs of making or handling right before a Chinese-numeral count: 新建三个, 出台了两个, 办理十二项
_RESULT_VERB_BEFORE_RE = re.compile(
    r"(?:新建|新增|新设|增设|建成|建立|创建|组建|成立|设立|设置|出台|印发|制发|办理|审查|审核|受理|收到|培育|命名|"
    r"打造|聘请|选聘|开设|开通|完成|建设|改造|整合)了?$"
)
# everything up to the last clause delimiter
_UP_TO_CLAUSE_RE = re.compile("[^" + re.escape(CLAUSE_DELIMS) + "]*$")
_AFTER_CLOSES = PHRASE_DELIMS + "）)"
_NAMED_SET_STOPS = PHRASE_DELIMS + "）)”’"
_OPENER_RE = re.compile("[" + re.escape("".join(TITLE_PAIRS) + "".join(QUOTE_PAIRS)) + "]")
# the characters every rule-clause word or 每 contains: a clause without any of them is not a rule
_RULE_CHAR_RE = re.compile("[" + re.escape("".join(sorted({ch for w in _CUES.words("rule") for ch in w} | {"每"})))
                           + "]")
_ENCLOSING = tuple((o, c, TITLE_WINDOW) for o, c in TITLE_PAIRS.items()) + \
    tuple((o, c, QUOTE_WINDOW) for o, c in QUOTE_PAIRS.items())
_PAIRS_BY_OPENER: dict[str, list[tuple[str, int]]] = {}
for _o, _c, _w in _ENCLOSING:
    _PAIRS_BY_OPENER.setdefault(_o, []).append((_c, _w))


class Candidate:
    """A number + unit run the scanner found, with the characters around it that the rules read.

    ``start``, ``end``: span of the run (``end`` after the unit and any bound); ``num``: the numeral as
    written; ``value``: its value before multipliers; ``unit``: the unit as written; ``q1``, ``q2``: 余/多
    before / after the multiplier; ``q3``: 以上/以下/左右/以内 after the unit; ``space_after_num``: the numeral
    is followed by a space (a list marker at a line start); ``chinese``: written in Chinese numerals;
    ``before``, ``after``: :data:`CONTEXT_WINDOW` characters on each side; ``prev``: the character before.
    """

    __slots__ = ("after", "before", "chinese", "end", "num", "prev", "q1", "q2", "q3", "space_after_num",
                 "start", "unit", "value")

    def __init__(self, text: str, start: int, end: int, num: str, value: float, unit: str, q1: str | None,
                 q2: str | None, q3: str | None, space_after_num: bool, chinese: bool):
        self.start, self.end, self.num, self.value, self.unit = start, end, num, value, unit
        self.q1, self.q2, self.q3, self.space_after_num, self.chinese = q1, q2, q3, space_after_num, chinese
        self.before = text[start - CONTEXT_WINDOW if start > CONTEXT_WINDOW else 0:start]
        self.prev = self.before[-1:]
        self.after = text[end:end + CONTEXT_WINDOW]


@dataclass(frozen=True)
class ExclusionRule:
    """One exclusion: ``name`` (the rule), ``reason`` (what the number is instead: "ordinal", "date or code",
    "target" …), ``description`` (with examples) and ``test(text, candidate) -> bool``."""

    name: str
    reason: str
    description: str
    test: Callable[[str, Candidate], bool]


def hedge_before(text: str, start: int) -> re.Match | None:
    """The hedge written right before a number (近3000人, 约20场), or ``None``; 近/约/超 inside an ordinary
    word (最近, 节约, 赶超) are not hedges (``resources/cues.toml``, ``[hedge]``)."""
    if start == 0 or text[start - 1] not in _HEDGE_LAST:
        return None  # a hedge ends right before the number, so its last character stands there
    return _CUES.hedge_before.search(text, max(0, start - 2), start)


def counted_result(text: str, start: int, end: int, value: float) -> bool:
    """A Chinese-numeral count of things done rather than the name of a set.

    Policy names use the numerals one to ten (四个意识, 八项规定, 十项行动), so a larger numeral counts
    (二十个部门, 十二项决策事项). A smaller one counts when a verb of making or handling stands right before
    it (新建三个工作站, 出台了两个规范性文件, 完成四个部门的三定方案) and the noun after it is not a concept
    (建立三项制度, 完成三个方面的任务 stay names or partitions).
    """
    noun = _NOUN_AFTER_RE.match(text, end).group(0)
    if _CONCEPT_AFTER_RE.match(noun) or _CONCEPT_END_RE.search(noun):
        return False
    if value > NAMED_SET_MAX:
        return True
    return bool(_RESULT_VERB_BEFORE_RE.search(text, max(0, start - RESULT_VERB_WINDOW), start))


# ------------------------------------------------------------------------------------------------ the rules
def _ordinal(text: str, c: Candidate) -> bool:
    return c.prev == "第" or c.before.endswith("第 ")


def _session(text: str, c: Candidate) -> bool:
    return c.unit == "次" and _SESSION_BEFORE_RE.search(c.before) is not None


def _code(text: str, c: Candidate) -> bool:
    p = c.prev
    if p and ((p.isascii() and (p.isdigit() or p in ".·/+*-_#@")) or p in "·•×＋／＊－"):
        return True
    if p and p in "—–" and c.start >= 2 and text[c.start - 2].isdigit():
        return True
    return c.after[:1] in ("×", "*", "＊")


def _leading_zero(text: str, c: Candidate) -> bool:
    num = c.num
    return not c.chinese and len(num) > 1 and num[0] in "0０" and num[1] not in ".．"


def _list_marker(text: str, c: Candidate) -> bool:
    if not c.space_after_num:
        return False
    line_start = text.rfind("\n", 0, c.start) + 1
    return text[line_start:c.start].strip() == ""


def _rank(text: str, c: Candidate) -> bool:
    return c.unit in ("名", "位") and _RANK_BEFORE_RE.search(c.before) is not None


def _furniture(text: str, c: Candidate) -> bool:
    return _PAGE_FURNITURE_RE.search(text, max(0, c.start - FURNITURE_WINDOW), c.start) is not None


def _inside_pair(text: str, pos: int, opener: str, closer: str, window: int) -> bool:
    """True when ``pos`` lies between an ``opener`` and its ``closer`` that are at most ``window`` apart."""
    o = text.rfind(opener, max(0, pos - window), pos)
    if o < 0 or text.rfind(closer, o, pos) >= 0:
        return False
    return text.find(closer, pos, o + window + 1) >= 0


def _enclosed(text: str, c: Candidate) -> bool:
    s = c.start
    if _OPENER_RE.search(text, s - TITLE_WINDOW if s > TITLE_WINDOW else 0, s) is None:
        return False
    return any(_inside_pair(text, s, o, close, window) for o, close, window in _ENCLOSING)


def _threshold(text: str, c: Candidate) -> bool:
    return c.q3 in ("以上", "以下") and c.after.startswith("的")


def _statute(text: str, c: Candidate) -> bool:
    return (c.q3 in ("以上", "以下") and _STATUTE_AFTER_RE.match(c.after) is not None) or c.before.endswith("不满") \
        or (c.q3 == "以下" and c.before.endswith("以上"))


def _time_slogan(text: str, c: Candidate) -> bool:
    return c.unit in ("小时", "分钟", "天") and _TIME_SLOGAN_RE.search(text, c.end, c.end + CONTEXT_WINDOW) is not None


def _per_or_scale(text: str, c: Candidate) -> bool:
    return c.prev == "每" or (c.unit == "分" and c.prev in "时点") or c.before.endswith(("满分", "总分"))


def _rule_clause(text: str, c: Candidate) -> bool:
    lo = c.start - RULE_CLAUSE_WINDOW if c.start > RULE_CLAUSE_WINDOW else 0
    if _RULE_CHAR_RE.search(text, lo, c.start) is None:
        return False
    clause = _UP_TO_CLAUSE_RE.search(text, lo, c.start).group(0)
    return _CUES.rule.search(clause) is not None


def _lexical(text: str, c: Candidate) -> bool:
    lo = max(0, c.start - LEXICAL_WINDOW)
    lex = _LEXICAL_RE.search(text, lo, c.end + LEXICAL_WINDOW)
    return lex is not None and lex.start() < c.end and lex.end() > c.start


def _article(text: str, c: Candidate) -> bool:
    # 一 and 二 alone are articles or ordinals (一批, 一次告知制, 二次开发; 两 counts), unless the count closes the
    # clause (召开专题会议一次。)
    num, after = c.num, c.after
    return num in ("一", "壹", "二") and not (num != "二" and (not after or after[0] in _AFTER_CLOSES))


def _bare_power(text: str, c: Candidate) -> bool:
    core = c.num.replace("点", "").replace("點", "")
    return all(ch in "百千万亿佰仟萬億" for ch in core) and not (c.q1 or c.q2 or hedge_before(text, c.start))


def _vague(text: str, c: Candidate) -> bool:
    # 数十家, 上百人, 成千 (成 only with a bare power: 成百, 成千 — 完成十二个 is a count)
    first = c.num[0]
    return (c.prev in "数几上好" and first in "十百千万") or (c.prev == "成" and first in "百千万")


def _named_set(text: str, c: Candidate) -> bool:
    # a named set (四个意识, 三项制度, 九类犯罪嫌疑人) unless the count closes the clause (整改三项。) or counts what
    # a verb of making or handling produced (新建三个工作站, 出台两个规范性文件)
    tail = c.after
    return c.value < 100 and c.unit in _NAMING_UNITS and bool(tail) and tail[0] not in _NAMED_SET_STOPS \
        and not tail.startswith(("以上", "以下", "左右")) and not counted_result(text, c.start, c.end, c.value)


def _numeral_compound(text: str, c: Candidate) -> bool:
    return c.value < 100 and c.after[:1] in CN_DIGITS  # 两所一庭, 三支一扶, 五个一


def _parallel(text: str, c: Candidate) -> bool:
    # the second half of a parallel slogan: 一案一卷, 一村一品, 四议两公开 (numeral, noun, numeral)
    s, prev = c.start, c.prev
    return len(c.num) == 1 and s >= 2 and text[s - 2] in CN_DIGITS and "\u4e00" <= prev <= "\u9fff" \
        and prev not in CN_DIGITS and prev not in UNIT_WORDS


def _concept(text: str, c: Candidate) -> bool:
    return c.value < 100 and _CONCEPT_AFTER_RE.match(c.after) is not None


def _phase(text: str, c: Candidate) -> bool:
    return c.value < 100 and c.unit == "期" and c.after.startswith(("工程", "项目"))  # 二期工程 is a phase


#: The rules every candidate is tried against, in order (the first that fires gives the reason).
_GENERAL = (
    ExclusionRule("ordinal", "ordinal", "第 before the number: 第八批, 第10名, 第三次会议", _ordinal),
    ExclusionRule("session", "ordinal", "a session within a term: 十四届三次全会, 十七届人大三次会议", _session),
    ExclusionRule("code", "date or code", "part of a code, date or formula: PM2.5, 12·4, COVID-19, 7×24小时, 1+N",
                  _code),
    ExclusionRule("leading_zero", "document number", "a leading zero: phone and area codes, serial numbers",
                  _leading_zero),
    ExclusionRule("list_marker", "list marker", "a number and a space at the start of a line: 1 人员…", _list_marker),
    ExclusionRule("rank", "rank", "a rank: 排名前3位, 位列第2名", _rank),
    ExclusionRule("furniture", "page furniture", "a page counter: 浏览次数：1234次", _furniture),
    ExclusionRule("enclosed", "title or quotation",
                  f"inside a 《title》 (≤ {TITLE_WINDOW} characters) or a short “quotation” (≤ {QUOTE_WINDOW})",
                  _enclosed),
    ExclusionRule("threshold", "threshold", "an age or threshold describing a group: 12岁以上的人群", _threshold),
    ExclusionRule("statute", "statutory bound", "a bound quoted from a rule: 处2000元以上10000元以下罚款, 不满5万元",
                  _statute),
    ExclusionRule("time_slogan", "slogan", "a service slogan: 24小时自助, 15分钟法律服务圈", _time_slogan),
    ExclusionRule("per_or_scale", "rate or scale", "a rate per head, a clock time or a scale: 每10万人, 10时30分, 满分100分",
                  _per_or_scale),
    ExclusionRule("rule_clause", "target", "a rule or target rather than a result: 每月至少开展一次, 每年不少于2次",
                  _rule_clause),
    ExclusionRule("lexical", "lexicalised word", "a word or place name that starts with a numeral: 十分, 千家万户, 三门峡",
                  _lexical),
)
# the general rules that can fire where ChunkScreen.flags is False (the others need a page-counter or rule word
# in the window before the candidate, or a title or quotation around it, which set the flag)
_GENERAL_UNFLAGGED = tuple(r for r in _GENERAL if r.test not in (_furniture, _enclosed, _rule_clause))
#: Rules tried only for Chinese numerals.
_CHINESE = (
    ExclusionRule("article", "article or ordinal", "一 or 二 alone: 一批, 一次告知制, 二次开发 (not 召开会议一次。)",
                  _article),
    ExclusionRule("bare_power", "vague quantity", "a bare power without a hedge: 百万网民, 万人 (not 百余人)", _bare_power),
    ExclusionRule("vague", "vague quantity", "数/几/上/好 + 十/百/千/万: 数十家, 上百人, 成千", _vague),
    ExclusionRule("named_set", "named concept", "a small numeral naming a set: 四个意识, 三项制度, 九类犯罪嫌疑人",
                  _named_set),
    ExclusionRule("numeral_compound", "named concept", "a numeral right after the unit: 两所一庭, 三支一扶, 五个一",
                  _numeral_compound),
    ExclusionRule("parallel", "slogan", "the second half of a parallel slogan: 一案一卷, 一村一品, 四议两公开",
                  _parallel),
    ExclusionRule("concept", "named concept", "a small numeral before a concept noun: 三项制度, 两个维护", _concept),
    ExclusionRule("phase", "phase", "a phase of a project: 二期工程", _phase),
)
#: Every context rule: the general rules, then those for Chinese numerals.
EXCLUSION_RULES: tuple[ExclusionRule, ...] = _GENERAL + _CHINESE

#: Checks the scanner makes itself after the context rules: ``(name, reason, description)``.
SCANNER_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("range_mixed", "not a range", "a dash between an Arabic and a Chinese numeral: 3-五件"),
    ("range_order", "not a range", "the second number of a range is not larger: 5-3件"),
    ("range_unreadable", "not a number", "the second number of a range has no value"),
    ("too_large", "not a number", "more than 10^15 after the multiplier"),
    ("overlap", "overlap", "inside an earlier, longer mention"),
)


# What the general rules need to see before they can fire, checked in one place so that the common candidate
# (none of them fires) costs a few comparisons instead of a call per rule. Each entry is a necessary condition
# of a rule above; when one holds, every rule is tried in order.
_SCREEN_PREV = frozenset("第 每0123456789.·/+*-_#@•×＋／＊－—–")  # ordinal, per_or_scale, code
_SCREEN_UNITS = frozenset({"名", "位", "小时", "分钟", "天", "分"})  # rank, time_slogan, per_or_scale
_SCREEN_BEFORE_END = ("不满", "满分", "总分")  # statute, per_or_scale
_FURNITURE_CHAR_RE = re.compile("[浏点阅访]")  # the first characters of _PAGE_FURNITURE_RE's words
# where a lexicalised word starts (tried only where one can start)
_LEXICAL_AT_RE = re.compile(first_char_lookahead(_LEXICAL_RE.pattern) + f"(?=(?:{_LEXICAL_RE.pattern}))")


class TextScreen:
    """What the exclusion screen needs to know about one whole text, found once: the offsets that lie inside a
    《title》 or “quotation” closed within its window (the spans where the ``enclosed`` rule can fire), the
    offsets a candidate may start at for the ``furniture`` or ``enclosed`` rule to possibly fire (a page-counter
    word's first character at most :data:`FURNITURE_WINDOW` back, or inside a title or quotation), and where
    lexicalised words start.

    ``enclosed(pos)`` is True exactly when ``pos`` is in one of them: a number at ``pos`` is between an opener
    at ``o`` and the first closer ``k`` after it with ``o < pos <= k <= o + window``.
    """

    __slots__ = ("_ends", "_furniture", "_lexical", "_starts")

    def __init__(self, text: str) -> None:
        spans: list[tuple[int, int]] = []
        for m in _OPENER_RE.finditer(text):
            o = m.start()
            for closer, window in _PAIRS_BY_OPENER[text[o]]:
                k = text.find(closer, o + 1, o + window + 1)
                if k >= 0:
                    spans.append((o + 1, k))
        spans.sort()
        self._starts, self._ends = _merged(spans)
        # where a page-counter word can start
        self._furniture = [m.start() for m in _FURNITURE_CHAR_RE.finditer(text)]
        # every offset where a lexicalised word starts (overlapping ones included)
        self._lexical = [m.start() for m in _LEXICAL_AT_RE.finditer(text)] if _LEXICAL_RE.search(text) else []

    def enclosed(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a 《title》 or “quotation” closed within its window."""
        k = bisect.bisect_right(self._starts, pos)
        return k > 0 and pos <= self._ends[k - 1]

    def near(self, pos: int) -> bool:
        """Whether a candidate starting at ``pos`` has a page-counter character within its window before it, or
        lies inside a title or quotation (False: neither of those rules can fire)."""
        k = bisect.bisect_right(self._starts, pos)
        if k > 0 and pos <= self._ends[k - 1]:
            return True
        furniture = self._furniture  # one in text[pos - FURNITURE_WINDOW:pos]
        k = bisect.bisect_left(furniture, pos - FURNITURE_WINDOW)
        return k < len(furniture) and furniture[k] < pos

    def lexical_near(self, start: int, end: int) -> bool:
        """Whether a lexicalised word starts within :data:`LEXICAL_WINDOW` characters of ``text[start:end]``
        (False: the ``lexical`` rule cannot fire)."""
        lex = self._lexical
        if not lex:
            return False
        k = bisect.bisect_left(lex, start - LEXICAL_WINDOW)
        return k < len(lex) and lex[k] < end + LEXICAL_WINDOW


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted closed spans ``[a, b]`` merged into disjoint ones (touching spans joined): their starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in spans:
        if ends and a <= ends[-1] + 1:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def may_be_excluded(text: str, start: int, end: int, num: str, unit: str, q3: str | None, space_after_num: bool,
                    chinese: bool, screen: TextScreen | None = None) -> bool:
    """False when no rule of :data:`EXCLUSION_RULES` can rule out the candidate ``text[start:end]`` (numeral
    ``num``, unit ``unit`` as written, bound ``q3``): a few comparisons, each implied by one of the rules, so
    the common candidate needs neither a :class:`Candidate` nor a call per rule. True means: try the rules
    (:func:`first_exclusion`). Chinese numerals are always tried."""
    if chinese:
        return True
    prev = text[start - 1] if start else ""
    if prev in _SCREEN_PREV or space_after_num or text[end:end + 1] in ("×", "*", "＊") \
            or q3 in ("以上", "以下") or unit in _SCREEN_UNITS \
            or (unit == "次" and text.find("届", start - CONTEXT_WINDOW if start > CONTEXT_WINDOW else 0, start) >= 0) \
            or text.endswith(_SCREEN_BEFORE_END, 0, start) or (len(num) > 1 and num[0] in "0０"):
        return True
    if screen is not None:
        if screen.near(start) or _RULE_CHAR_RE.search(text, start - RULE_CLAUSE_WINDOW if start > RULE_CLAUSE_WINDOW
                                                      else 0, start) is not None:
            return True
        if not screen.lexical_near(start, end):
            return False
    elif _FURNITURE_CHAR_RE.search(text, start - FURNITURE_WINDOW if start > FURNITURE_WINDOW else 0, start) \
            is not None \
            or _OPENER_RE.search(text, start - TITLE_WINDOW if start > TITLE_WINDOW else 0, start) is not None \
            or _RULE_CHAR_RE.search(text, start - RULE_CLAUSE_WINDOW if start > RULE_CLAUSE_WINDOW else 0,
                                    start) is not None:
        return True
    lex = _LEXICAL_RE.search(text, max(0, start - LEXICAL_WINDOW), end + LEXICAL_WINDOW)
    return lex is not None and lex.start() < end and lex.end() > start


# The same screen for a whole chunk of texts at once (ChunkScreen): the conditions that depend on the text
# before a candidate (a page-counter word or a rule word within the window, a title or quotation around it, 不满
# 满分 总分 right before it) are found for every offset from one pass over the places they start from; what
# depends on the candidate itself (the character before it, its unit, bound, the character after it) is asked
# per candidate, and more narrowly than above.
# a rule clause holds a rule word or 每 (_rule_clause reads the clause)
_RULE_STARTS = tuple(sorted({*_CUES.words("rule"), "每"}))
# every character the screen looks for: the first characters of its words, the openers and closers, 届
_SCREEN_CHARS = char_class("".join({w[0] for w in (*_FURNITURE_WORDS, *_RULE_STARTS, *_SCREEN_BEFORE_END,
                                                   *_LEXICAL_WORDS)} | set(_PAIRS_BY_OPENER)
                                   | {c for pairs in _PAIRS_BY_OPENER.values() for c, _w in pairs} | {"届"}))
# the last characters of _RANK_BEFORE_RE's words (it ends with $, which also matches before a final line break)
_RANK_LAST = frozenset("名列居前后")
_TIME_SLOGAN_UNITS = frozenset({"小时", "分钟", "天"})
_AFTER_CODE = frozenset("×*＊")
_BOUNDS = frozenset({"以上", "以下"})


class ChunkScreen:
    """:func:`may_be_excluded` for the candidates of one text, or of many texts joined by line breaks (a build's
    chunk), with what depends on the text before a candidate found once for the whole text: ``flags`` holds,
    for each offset, whether a candidate starting there may be ruled out for what stands before it (page
    furniture or a rule word within its window, a title or quotation around it, 不满 满分 总分 right before it);
    :meth:`may_fire` adds what depends on the candidate. Texts joined by line breaks may only see more than each
    text alone (a window that reaches into the text before), never less, so a screen of the joined texts lets
    no candidate of any of them through that a rule would rule out.
    """

    __slots__ = ("flags", "jie", "lexical")

    #: The candidate's own conditions :meth:`may_fire` tests first (a caller may test them itself, in this
    #: order of cost): the character before it in ``BEFORE``, the character after it in ``AFTER``, its bound in
    #: ``BOUNDS``; when none of these, nor ``flags[at]``, a space after the numeral or a leading zero holds,
    #: :meth:`may_fire` can only be True for a unit in ``UNITS``, the unit 次 (with ``jie``) or when ``lexical``
    #: is not empty.
    BEFORE, AFTER, BOUNDS, UNITS = _SCREEN_PREV, _AFTER_CODE, _BOUNDS, _SCREEN_UNITS

    def __init__(self, text: str) -> None:
        n = len(text)
        cps = code_points(text)
        places = char_places(text, _SCREEN_CHARS)  # where a character the screen looks for stands, and which
        at = places[0]
        furniture = word_starts(cps, _FURNITURE_WORDS, places=places)
        rule = word_starts(cps, _RULE_STARTS, places=places)
        opens = [furniture + 1, rule + 1]
        closes = [furniture + (1 + FURNITURE_WINDOW), rule + (1 + RULE_CLAUSE_WINDOW)]
        # inside a title or quotation closed within its window (TextScreen's spans): between an opener and the
        # first closer after it, when that closer is within the window
        for opener, pairs in _PAIRS_BY_OPENER.items():
            o = at[places[1] == ord(opener)]
            if not len(o):
                continue
            for closer, window in pairs:
                c = at[places[1] == ord(closer)]
                if not len(c):
                    continue
                k = np.searchsorted(c, o + 1)
                first = c[np.minimum(k, len(c) - 1)]
                ok = (k < len(c)) & (first <= o + window)
                opens.append(o[ok] + 1)
                closes.append(first[ok] + 1)
        flags = _covered(np.concatenate(opens), np.minimum(np.concatenate(closes), n + 1), n + 1)
        flags[word_starts(cps, _SCREEN_BEFORE_END, places=places) + 2] = True  # 不满 满分 总分 right before
        self.flags = flags.tobytes()
        self.jie = at[places[1] == ord("届")].tolist()
        self.lexical = word_starts(cps, _LEXICAL_WORDS, places=places).tolist()

    def may_fire(self, text: str, at: int, start: int, end: int, num: str, unit: str, q3: str | None,
                 space_after_num: bool) -> bool:
        """False when no rule of :data:`EXCLUSION_RULES` for every numeral (the general rules) can rule out the
        candidate ``text[start:end]`` (numeral ``num``, unit ``unit`` as written, bound ``q3``), which stands at
        offset ``at`` of the screened text (``start`` plus the offset of ``text`` in the chunk)."""
        if self.flags[at] or space_after_num or q3 in _BOUNDS or text[end:end + 1] in _AFTER_CODE \
                or (start and text[start - 1] in _SCREEN_PREV) or (len(num) > 1 and num[0] in "0０"):
            return True
        if unit in _SCREEN_UNITS:
            if unit in ("名", "位"):
                p = text[start - 1] if start else ""
                if p in _RANK_LAST or (p == "\n" and start > 1 and text[start - 2] in _RANK_LAST):
                    return True
            elif unit in _TIME_SLOGAN_UNITS:
                if _TIME_SLOGAN_RE.search(text, end, end + CONTEXT_WINDOW) is not None:
                    return True
            elif start and text[start - 1] in "时点":  # 分 (a clock time)
                return True
        elif unit == "次" and self.jie:  # 届 within the window before: a session number
            k = bisect.bisect_left(self.jie, at - CONTEXT_WINDOW)
            if k < len(self.jie) and self.jie[k] < at:
                return True
        lex = self.lexical
        if not lex:
            return False
        k = bisect.bisect_left(lex, at - LEXICAL_WINDOW)
        return k < len(lex) and lex[k] < at + (end - start) + LEXICAL_WINDOW


def _covered(opens: np.ndarray, closes: np.ndarray, n: int) -> np.ndarray:
    """A boolean array of length ``n``: True at the offsets inside some ``[opens[i], closes[i])`` (``closes`` at
    most ``n``) — the spans merged first, so the array is written run by run instead of counted offset by offset."""
    keep = closes > opens
    opens, closes = opens[keep], closes[keep]
    if not len(opens):
        return np.zeros(n, dtype=bool)
    order = np.argsort(opens, kind="stable")
    opens, reach = opens[order], np.maximum.accumulate(closes[order])
    first = np.flatnonzero(np.concatenate([[True], opens[1:] > reach[:-1]]))  # the first span of each merged one
    edges = np.empty(2 * len(first) + 2, dtype=np.int64)
    edges[0], edges[-1] = 0, n
    edges[1:-1:2] = opens[first]
    edges[2:-1:2] = reach[np.append(first[1:] - 1, len(opens) - 1)]
    inside = np.zeros(len(edges) - 1, dtype=bool)
    inside[1::2] = True
    return np.repeat(inside, np.diff(edges))


def _may_be_general(text: str, c: Candidate, screen: TextScreen | None) -> bool:
    """False when no rule of ``_GENERAL`` can fire for ``c``."""
    return may_be_excluded(text, c.start, c.end, c.num, c.unit, c.q3, c.space_after_num, False, screen)


def first_exclusion(text: str, c: Candidate, screen: TextScreen | None = None, *,
                    screened: bool = False, general: bool | None = None, flagged: bool = True
                    ) -> ExclusionRule | None:
    """The first rule of :data:`EXCLUSION_RULES` that rules ``c`` out, or ``None`` when it is a mention.

    ``screen`` (:class:`TextScreen` of the same ``text``, built once per text) makes the common case faster;
    the answer is the same with or without it. ``screened``: the caller found :func:`may_be_excluded` True for
    these Arabic numerals already (it is not asked again). ``general``: the caller screened the general rules
    itself (:meth:`ChunkScreen.may_fire`): False skips them. ``flagged``: False when the caller's
    :class:`ChunkScreen` flag is not set where ``c`` starts, so the rules that need what sets it (furniture,
    enclosed, rule_clause) are not tried.
    """
    if general is None:
        general = (screened and not c.chinese) or _may_be_general(text, c, screen)
    if general:
        for rule in _GENERAL if flagged else _GENERAL_UNFLAGGED:
            if rule.test is _enclosed and screen is not None:
                if screen.enclosed(c.start):  # the same answer, from the spans found once per text
                    return rule
            elif rule.test(text, c):
                return rule
    if c.chinese:
        for rule in _CHINESE:
            if rule.test(text, c):
                return rule
    return None


def exclusion_rules() -> pd.DataFrame:
    """The exclusion rules as a table.

    Returns
    -------
    DataFrame
        One row per rule, in the order they are tried: ``rule`` (str, the name), ``reason`` (str, what the
        number is instead), ``description`` (str, with examples), ``numerals`` (str: ``any`` or ``chinese``
        for the rules that look only at Chinese numerals; ``scanner`` for the scanner's own checks).
    """
    rows = [(r.name, r.reason, r.description, "any") for r in _GENERAL]
    rows += [(r.name, r.reason, r.description, "chinese") for r in _CHINESE]
    rows += [(name, reason, desc, "scanner") for name, reason, desc in SCANNER_CHECKS]
    return pd.DataFrame(rows, columns=["rule", "reason", "description", "numerals"]).astype("str")
