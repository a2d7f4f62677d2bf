"""Indicator ids of metric mentions: the rules of ``resources/indicators.toml`` and the classifier that applies them.

Each mention gets a canonical ``indicator_id`` (``docs/spec/indicators.md``): the first rule whose terms match,
tried level by level — the mention's phrase, its clause, its sentence, the section headings above it — with the
rule's unit, ``after``, ``require`` and ``unless`` conditions. A 其中 part named only by a generic case type
takes its total's id; a count that nothing names continues the previous count of its sentence. The learned
component (:mod:`lawgov_analysis.measures.indicator_model`) is consulted after the rules.

Names
-----
load_indicator_rules(source=None)    the rules (bundled TOML, a user TOML file, a dict or a list)
indicator_labels(source=None)        the Chinese label (label_zh) of every indicator id
IndicatorRule                        one rule
IndicatorClassifier(rules)           the rules compiled, with caches keyed by text
ReportStructure                      one report's sentences and section headings, as the classifier reads them
classify_mentions(text, mentions, classifier, structure)   set ``indicator_id`` on each mention
model_allowed(classifier)            the ids the learned component may give with these rules
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.delimiters import HARD_STOPS, SENTENCE_DELIMS
from ..core.resources import resource_text
from ..core.validate import check_option
from . import indicator_checks, indicator_model
from .charclass import quick_pattern
from .mentions import Mention, mask_titles
from .units import MEASURE_UNITS, normalize_unit, unit_kind

__all__ = ["IndicatorClassifier", "IndicatorRule", "ReportStructure", "classify_mentions", "indicator_labels",
           "load_indicator_rules", "model_allowed"]

# a part named only by its kind of case or its field: 刑事案件, 民商事案件, 行政类, 食品药品安全领域 (the thing counted
# is the total's)
_GENERIC_PART_RE = re.compile(
    r"^(?:(?:刑事|民事|行政|商事|民商事|其他|非诉|诉讼|非诉讼)(?:案件|类|类案件)?|[^，。；]{1,14}(?:领域|方面|类))$"
)
_HARD_STOP_RE = re.compile("[" + re.escape(HARD_STOPS) + "]")

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
        # (quick_pattern: behind a look-ahead of their first characters where the engine would try every position)
        self._terms = re.compile(quick_pattern("|".join(f"(?:{t})" for t in self.terms)))
        self._require = re.compile(quick_pattern("|".join(f"(?:{t})" for t in self.require))) if self.require else None
        self._unless = re.compile(quick_pattern("|".join(f"(?:{t})" for t in self.unless))) if self.unless else None
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


class IndicatorClassifier:
    """Assigns indicator ids with caches keyed by level text (reports repeat phrases)."""

    def __init__(self, rules: list[IndicatorRule]):
        self.rules = rules
        # per level, the (index, rule) pairs allowed at it, in file order
        self._level_rules = {level: [(i, r) for i, r in enumerate(rules) if level in r.levels] for level in _LEVELS}
        # (level, text) → [indices of the matching rules found so far, position of the next rule to test]:
        # rules are tested lazily, so a text whose first matching rule fits is not tested against the rest
        self._cache: dict[tuple[str, str], list] = {}
        self._req_cache: dict[str, dict[int, bool]] = {}
        # (level, text, unit) → what _fits gives: the rules whose terms and unit fit, as far as the first one
        # without conditions of its own
        self._fit_cache: dict[tuple[str, str, str], tuple[tuple[int, ...], int | None]] = {}

    def _entry(self, level: str, text: str) -> list:
        """The cache entry of ``text`` at ``level``: [indices of the matching rules found so far, position of the
        next rule to test]."""
        key = (level, text)
        entry = self._cache.get(key)
        if entry is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            entry = self._cache[key] = [[], 0]
        return entry

    def _next_hit(self, level: str, text: str, entry: list) -> bool:
        """Test the rules of ``level`` after the last one tested on ``text`` until one matches (its index appended
        to ``entry``'s hits: True) or none is left (False). Rules are tested lazily, so a text whose first matching
        rule fits is not tested against the rest."""
        rules = self._level_rules[level]
        j = entry[1]
        while j < len(rules):
            i, r = rules[j]
            j += 1
            if r._terms.search(text) and not (r._unless and r._unless.search(text)):
                entry[0].append(i)
                entry[1] = j
                return True
        entry[1] = j
        return False

    def _required(self, context: str) -> dict[int, bool]:
        """Whether each rule's ``require`` matches the sentence and headings ``context``, as far as asked: rule index
        → bool (the caller fills in the rules it asks about)."""
        hits = self._req_cache.get(context)
        if hits is None:
            if len(self._req_cache) > 50_000:
                self._req_cache.clear()
            hits = self._req_cache[context] = {}
        return hits

    def _unit_fits(self, i: int, unit: str) -> bool:
        """Whether rule ``i`` allows a mention of ``unit``."""
        r = self.rules[i]
        if r._units and unit not in r._units:
            return False
        # lengths, areas, weights and durations stay other (spec: "land areas and similar") unless a rule names
        # the unit
        if not r._units and unit in MEASURE_UNITS:
            return False
        return not (r._not_units and unit in r._not_units)

    def _fits(self, level: str, text: str, unit: str) -> tuple[tuple[int, ...], int | None]:
        """The rules of ``level`` whose terms match ``text`` (and no ``unless``) and whose units allow ``unit``, in
        file order, up to the first one with no condition on the context (``after``, ``same_as_previous``,
        ``require``): the conditional ones before it and its index (``None`` when there is none). Kept per
        ``(level, text, unit)``: mentions repeat their phrases and units."""
        key = (level, text, unit)
        fit = self._fit_cache.get(key)
        if fit is None:
            conditional: list[int] = []
            last = None
            entry = self._entry(level, text)
            hits, k = entry[0], 0
            while k < len(hits) or self._next_hit(level, text, entry):
                i = hits[k]
                k += 1
                if not self._unit_fits(i, unit):
                    continue
                r = self.rules[i]
                if r.after or r.same_as_previous or r._require is not None:
                    conditional.append(i)
                    continue
                last = i
                break
            if len(self._fit_cache) > 200_000:
                self._fit_cache.clear()
            fit = self._fit_cache[key] = (tuple(conditional), last)
        return fit

    def classify(self, unit: str, texts: tuple[str, str | None, str, str], context: str, prev_id: str | None,
                 inherit: str | None, clause: tuple[str, int, int] = ("", 0, 0)) -> str | None:
        """The id of the first rule that fits a mention of ``unit``, level by level (``texts``: the mention's text
        at each level of ``indicator, clause, sentence, heading``; ``context``: its sentence and headings);
        ``None`` when no rule fits (a rule whose id is ``other`` gives ``"other"``).

        A clause given as ``None`` in ``texts`` is ``clause`` (the report's text, the clause's start and end), cut
        and its titles masked only when the phrase has not settled the id (most mentions' phrases do)."""
        rules, fit_cache = self.rules, self._fit_cache
        required = None  # the require answers for context (self._required), read at the first rule that asks
        for level, text in zip(_LEVELS, texts):
            if inherit:
                # a subtotal after 其中 named only by a generic case type is a part of its total
                # (法律援助案件326件，其中刑事案件98件): the total's id wins over the part's own wording
                if level == "indicator" and inherit != "other" and _GENERIC_PART_RE.match(text):
                    return inherit
                if level == "clause":
                    return inherit
            if text is None:
                report, lo, hi = clause
                text = report[lo:hi]
                if "《" in text:
                    text = mask_titles(text)
            if not text:
                continue
            # (the cache of _fits read here first: most mentions find their phrase there)
            fit = fit_cache.get((level, text, unit))
            conditional, last = fit if fit is not None else self._fits(level, text, unit)
            for i in conditional:
                r = rules[i]
                if r.after and prev_id not in r.after:
                    continue
                if r.same_as_previous and (prev_id is None or prev_id == "other"):
                    continue
                if r._require is not None:
                    if required is None:
                        required = self._required(context)
                    hit = required.get(i)
                    if hit is None:
                        hit = required[i] = bool(r._require.search(context))
                    if not hit:
                        continue
                return prev_id if r.same_as_previous else r.id
            if last is not None:
                return rules[last].id
        return None


@dataclass
class ReportStructure:
    """One report's sentences (``starts``, ``ends``, ``section_ids``, ``sentence_ids``: parallel lists sorted by
    start) and its section headings (``headings``: section_id → heading, ``parents``: section_id → parent_id),
    from :mod:`lawgov_analysis.text.structure`. Empty lists: mentions are placed by the sentence delimiters."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)
    sentence_ids: list = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)


def _model_ids(classifier: IndicatorClassifier) -> frozenset[str] | None:
    """The ids the learned component may give with this classifier's rules: any (``None``) when they are or
    extend the bundled rules; else only the ids of the user's own rule set (the model must not add ids the user
    did not define)."""
    ids = classifier.__dict__.get("model_ids", False)
    if ids is False:
        ids = None if set(map(id, _bundled_rules())) <= set(map(id, classifier.rules)) else \
            frozenset(r.id for r in classifier.rules if not r.same_as_previous)
        classifier.model_ids = ids
    return ids


def model_allowed(classifier: IndicatorClassifier) -> frozenset[str] | None:
    """The ``allowed`` ids to give the learned component with this classifier's rules (see
    :func:`lawgov_analysis.measures.indicator_model.predict_reports`): ``None`` (any) for the bundled rules or an
    extension of them, else the ids of the user's own rule set."""
    return _model_ids(classifier)


def classify_mentions(text: str, mentions: list[Mention], classifier: IndicatorClassifier,
                      structure: ReportStructure, *, predictions: list | None = None
                      ) -> list[tuple[str, int | None]]:
    """Set ``indicator_id`` on each mention of one report (in text order); return each one's
    ``(section_id, sentence_id)`` (``("", None)`` outside every sentence of ``structure``).

    ``predictions``: the learned component's prediction for each mention when already made for many reports
    at once (:func:`lawgov_analysis.measures.indicator_model.predict_reports` with :func:`model_allowed`; an
    empty list for none); ``None`` asks the model here."""
    if not mentions:
        return []
    # learned indicator component (measures/indicator_model.py): one batch prediction per report, used below;
    # with a user's own rule set it may only name that set's ids
    learned = predictions if predictions is not None else \
        indicator_model.predict_mentions(text, [(m.start, m.end, m.unit) for m in mentions],
                                         allowed=_model_ids(classifier))
    learned = learned or [None] * len(mentions)  # in mention order (spans do not overlap)
    combine, check_indicator = indicator_model.combine, indicator_checks.check_indicator
    # who reports, read once per report; the spec checks are asked only about the ids they may change
    checked = indicator_checks.CHECKED_IDS
    kind = indicator_checks.report_kind(text)
    bisect_right, classify = bisect.bisect_right, classifier.classify
    own_rules = _model_ids(classifier) is not None
    s_start, s_end, s_sec, s_id = structure.starts, structure.ends, structure.section_ids, structure.sentence_ids
    headings, parents = structure.headings, structure.parents
    # the headings above each section, nearest first, joined by ｜ (section_id → chain); each section's chain is
    # its own heading before its parent's chain, so a report's sections are walked up once, not once each
    chain_cache: dict[str, str] = {}
    looped: dict[str, str] = {}  # the chains of sections whose parents run in a loop (followed once round)

    def chain(section_id: str) -> str:
        path, sid = [], section_id
        while sid and sid not in chain_cache and sid not in path:
            path.append(sid)
            sid = parents.get(sid, "")
        if sid and sid not in chain_cache:  # back to a section of the path: a loop
            hit = looped.get(section_id)
            if hit is None:
                hit = looped[section_id] = "｜".join(h for h in map(headings.get, path) if h)
            return hit
        above = chain_cache[sid] if sid else ""
        for sid in reversed(path):
            heading = headings.get(sid)
            if heading:
                above = heading + "｜" + above if above else heading
            chain_cache[sid] = above
        return above

    places: list[tuple[str, int | None]] = []
    sentence, heading, context, parts_named = "", "", "", False
    sent_lo = sent_hi = -1
    # a mention that starts before same_to (and not before sent_lo) is in the same sentence of structure as the
    # previous one (it ends there, or the next one starts there): it is placed without a search
    same_to = -1
    sec_id, place = None, ("", None)
    prev_id: str | None = None
    sentence_mentions: list[Mention] = []
    for m, predicted in zip(mentions, learned):
        start, unit = m.start, m.unit
        if not sent_lo <= start < same_to:
            k = bisect_right(s_start, start) - 1
            if k >= 0 and start < s_end[k]:
                lo, hi = s_start[k], s_end[k]
                same_to = s_start[k + 1] if k + 1 < len(s_start) and s_start[k + 1] < hi else hi
                place = (s_sec[k], s_id[k])
            else:
                lo = max(0, max(text.rfind(d, 0, start) for d in SENTENCE_DELIMS) + 1)
                hi = len(text)
                for d in SENTENCE_DELIMS:
                    j = text.find(d, m.end)
                    if 0 <= j < hi:
                        hi = j
                same_to = -1
                place = ("", None)
            new_sentence = lo != sent_lo or hi != sent_hi
            if new_sentence:
                # a clause after ； continues the same statement (受理…11,203件；审结10,987件): the stage id of the
                # previous mention still applies; a full stop or a line break starts afresh
                # (the gap from the previous sentence's end to this one's start, read here: once per sentence)
                gap = text[max(0, sent_hi - 1):lo] if sent_lo >= 0 else ""
                if ("；" not in gap and ";" not in gap) or _HARD_STOP_RE.search(gap):
                    prev_id = None
                sent_lo, sent_hi = lo, hi
                sentence_mentions = []
                sentence = text[lo:hi]
                parts_named = "其中" in sentence
            if new_sentence or place[0] != sec_id:
                sec_id = place[0]
                heading = chain_cache.get(sec_id) if sec_id else ""
                if heading is None:
                    heading = chain(sec_id)
                context = sentence + "｜" + heading
        # 其中: parts inherit the id of the total (the last earlier mention of the same unit before 其中)
        inherit = None
        q = text.rfind("其中", sent_lo, start) if parts_named else -1
        if q >= 0:
            for t in reversed(sentence_mentions):
                if t.end <= q and t.unit == unit:
                    inherit = t.indicator_id
                    break
        if m.inherits and sentence_mentions:
            m.indicator_id = sentence_mentions[-1].indicator_id
        else:
            phrase = m.indicator
            found = classify(unit, (mask_titles(phrase) if "《" in phrase else phrase, None, sentence, heading),
                             context, prev_id, inherit, (text, m.wide_start, m.wide_end))
            ruled = found is not None
            if found is None:
                # nothing names what is counted: a count right after a count of the same kind in the same
                # sentence continues its statement (检查…1,426家次，发现问题…处; 配备…人员…名) — the
                # spec's "units doing the work" and "outputs" take the activity's id
                last = sentence_mentions[-1] if sentence_mentions else None
                found = last.indicator_id if last is not None and unit_kind(last.unit) == "count" \
                    and unit_kind(unit) == "count" else "other"
            # learned indicator component: rules keep precision, the model adds recall (indicator_model.combine)
            # (a model that agrees with the rules, or has no prediction, leaves their id: combine is not asked)
            if predicted is not None and predicted[0] != found and (inherit is None or found != inherit):
                found = combine(found, ruled, predicted)  # a subtotal's inherited id stays as the rules say
            # spec checks the id alone cannot see (who reports; the object a document count needs), with the
            # bundled rules or an extension of them; a user's own rule set is left as its rules say
            m.indicator_id = found if own_rules or found not in checked else check_indicator(
                found, text=text, sentence=sentence, span=(start - sent_lo, m.end - sent_lo), unit=unit, kind=kind)
        if m.indicator_id != "other":
            prev_id = m.indicator_id
        sentence_mentions.append(m)
        places.append(place)
    return places
