"""Cue words as compiled regular expressions, built from the one word list of each kind in ``cues.toml``.

The lists (total, whole period, change up/down, hedges, targets, rules) live in
``lawgov_analysis/resources/cues.toml``; this module only turns them into patterns. The grammar around the
words (较/比 + 上年/去年/2020年 + 同期, 将 + a verb, 每 + a period at the start of a clause) is code, the words
are data.

>>> c = load_cues()
>>> bool(c.total.search("全区共受理")), bool(c.total.search("公共法律服务"))
(True, False)
>>> c.comparison.search("同比增长").group("cmp"), c.down.search("较上年减少").group(0)
('同比增长', '减少')
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .resources import resource_text

__all__ = ["Cues", "load_cues", "word_pattern"]

# 较/比 + the earlier period: 较上年, 比去年, 较上一年度, 比2020年同期, 较同期
_AGAINST = r"(?:较|比)(?:(?:上|去|前)一?|同期|[0-9]{4})?年度?(?:同期)?|(?:较|比)同期"


def word_pattern(words: Iterable[str], never_after: Mapping[str, list[str]] | None = None,
                 never_before: Mapping[str, list[str]] | None = None) -> str:
    """A regular-expression alternation of ``words`` (longest first) with each word's context exceptions.

    >>> word_pattern(["共", "共计"], {"共": ["公", "中"]}, {"共": ["同"]})
    '(?:共计|(?<![公中])共(?![同]))'
    """
    never_after, never_before = never_after or {}, never_before or {}
    alts = []
    for w in sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)):
        pre, post = never_after.get(w, []), never_before.get(w, [])
        left = f"(?<![{''.join(map(re.escape, pre))}])" if pre else ""
        if post and all(len(p) == 1 for p in post):
            right = f"(?![{''.join(map(re.escape, post))}])"
        elif post:
            right = "(?!" + "|".join(map(re.escape, sorted(post, key=lambda p: (-len(p), p)))) + ")"
        else:
            right = ""
        alts.append(left + re.escape(w) + right)
    return "(?:" + "|".join(alts) + ")"


class Cues:
    """The cue word lists (``lists``: the parsed TOML) and the patterns built from them.

    Attributes (compiled patterns)
    ------------------------------
    total : a total word (共, 共计, 累计, 合计, 总计, 总共, 共有).
    total_cue : a total word or a whole-period word (全年): the panel's total cue.
    comparison : the change wording that ends right before a number (group ``cmp``): 同比增长, 较上年减少,
        增幅为, 比去年多 (a 多/少 only after a base).
    change_after_base : a change that names its base, ending right before a number: 比去年多, 较上年增长.
    change_word : an optional base and a verb of change, ending right before a number (…下降3个百分点).
    change_base : a word that makes a wording a comparison: 同比, 环比, 较, 比, 增幅 …
    up, down : a word of upward / downward change (增长, 多, 增幅 / 下降, 少, 降幅).
    hedge_before : a hedge ending right before a number (约, 近, 超过 …; 最近, 节约, 赶超 are not).
    hedge_after, hedge_bound : pattern *strings* (for building larger patterns): 余 or 多 after a number;
        以上/以下/左右/以内 after a unit.
    hedged : any hedge word anywhere (for reading a qualifier or a surface).
    target : a target or plan (力争, 目标, 预计, 将新增 …); ``future`` a plan for coming years (下一步, 明年).
    sentence_cue : 其中 or a future word (the words that need the sentence before a mention).
    rule : a rule or bound, not a result (至少, 不少于, 每年 … at the start of a clause).
    publication_word : pattern *string* of a publication-date label (发布时间, 发布日期, 成文日期 …).
    publication_date : a publication-date line ``label[:：] YYYY-MM-DD`` (also 年/月, . and /; the day
        optional): groups ``year``, ``month``, ``day``.
    """

    def __init__(self, lists: dict, source: str = "cues.toml") -> None:
        self.lists, self.source = lists, source
        c = lists
        t, ch, h, tg, ru = c["total"], c["change"], c["hedge"], c["target"], c["rule"]
        total = word_pattern(t["words"], t.get("never_after"), t.get("never_before"))
        period = word_pattern(c["whole_period"]["words"])
        updown = word_pattern([*ch["up"], *ch["down"]])
        moreless = word_pattern([*ch["more"], *ch["less"]])
        rate = word_pattern([*ch["up_rate"], *ch["down_rate"]])
        base = f"(?:{word_pattern(ch['base'])}|{_AGAINST})"
        hedge_before = word_pattern(h["before"], h.get("never_after"), h.get("never_before"))
        target = word_pattern(tg["words"], tg.get("never_after"), tg.get("never_before"))
        built = {
            "total": re.compile(total),
            "total_cue": re.compile(f"{total}|{period}"),
            "comparison": re.compile(
                rf"(?P<cmp>(?:{base})?(?:分别|共|累计|净)?{updown}了?|{rate}(?:为|达到?)?|"
                rf"(?:{base})净?{moreless}了?出?)$"),
            "change_after_base": re.compile(rf"(?:{base})净?(?:{updown}|{moreless})了?出?$"),
            "change_word": re.compile(rf"(?:{base})?{updown}了?$"),
            "change_base": re.compile("|".join([*ch["base"], "较", "比", *ch["up_rate"], *ch["down_rate"]])),
            "up": re.compile(word_pattern([*ch["up"], *ch["more"], *ch["up_rate"]])),
            "down": re.compile(word_pattern([*ch["down"], *ch["less"], *ch["down_rate"]])),
            "hedge_before": re.compile(hedge_before + "$"),
            "hedge_after": word_pattern(h["after"]),
            "hedge_bound": word_pattern(h["bound"]),
            "hedged": re.compile(word_pattern([*h["before"], *h["after"], *h["bound"]])),
            "target": re.compile(rf"{target}|将(?:于|在)?(?:20[0-9]{{2}}年|{word_pattern(tg['will'])})"),
            "future": re.compile(word_pattern(tg["future"])),
            "sentence_cue": re.compile(word_pattern(["其中", *tg["future"]])),
            "rule": re.compile(rf"^每{word_pattern(ru['every'])}|{word_pattern(ru['words'])}"),
            "publication_word": word_pattern(c["publication"]["words"]),
            "publication_date": re.compile(
                word_pattern(c["publication"]["words"]) + r"\s*[:：]?\s*(?P<year>(?:19|20)\d{2})\s*[-年./]\s*"
                r"(?P<month>\d{1,2})(?:\s*[-月./]\s*(?P<day>\d{1,2}))?"),
        }
        for name, pattern in built.items():
            setattr(self, name, pattern)

    def __repr__(self) -> str:
        return f"Cues(source={self.source!r})"

    def words(self, kind: str, key: str = "words") -> list[str]:
        """One word list, e.g. ``words("total")`` or ``words("change", "up")``."""
        return list(self.lists[kind][key])


_KINDS = {"total": ["words"], "whole_period": ["words"], "change": ["base", "up", "down", "more", "less", "up_rate",
                                                                   "down_rate"],
          "hedge": ["before", "after", "bound"], "target": ["words", "will", "future"], "rule": ["words", "every"],
          "publication": ["words"]}


def _check(data: dict, source: str) -> dict:
    for kind, keys in _KINDS.items():
        if kind not in data:
            raise ValueError(f"{source}: no [{kind}] table of cue words")
        for key in keys:
            words = data[kind].get(key)
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
                raise ValueError(f"{source}: [{kind}] {key} must be a non-empty list of words")
    return data


@functools.lru_cache(maxsize=1)
def _bundled() -> Cues:
    return Cues(_check(tomllib.loads(resource_text("cues.toml")), "cues.toml"))


def load_cues(source: str | Path | None = None) -> Cues:
    """The cue words: the bundled ``resources/cues.toml`` (``None``) or a user TOML file with the same tables.

    Raises ``ValueError`` naming the file when a table or list is missing or empty.
    """
    if source is None:
        return _bundled()
    path = Path(source)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not a valid cue word file ({exc})") from None
    return Cues(_check(data, str(path)), source=str(path))
