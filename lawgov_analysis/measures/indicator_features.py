"""Feature rows of the learned indicator component (:mod:`.indicator_model`): the texts around each mention
that the model reads, for many reports at once.

A mention's row holds, in :data:`FEATURE_COLUMNS` order, the words before the number in its clause, the clause
with the mention as ``§``, the few characters after it, the end of the previous clause, the opening of the
sentence, the lead sentence of the paragraph, the nearest heading line above it, who reports, whom the sentence is
about and the unit (:func:`lawgov_analysis.measures.indicator_model.mention_features` documents each). Digit runs
are masked as ``0``.

Names
-----
FEATURE_COLUMNS                  the names of a row's values, in order
feature_rows(text, spans)        the feature row of each span (start, end, unit) of one text
feature_rows_many(reports)       the same for many (text, spans) in one pass over the joined texts
heading_index(text, newlines)    the start offsets and (masked, shortened) texts of the heading lines of a text
audience(context)                whom a text names: ``officials``, ``public``, both or neither
mask(s)                          ``s`` with each digit run as ``0``
clear_cache()                    forget the masked forms kept per string
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from .charclass import bounds, code_points, meets_run, model_offsets
from .indicator_checks import report_kind  # who reports (the reporter feature)

__all__ = ["FEATURE_COLUMNS", "audience", "clear_cache", "feature_rows", "feature_rows_many", "heading_index",
           "mask"]

#: the names of the values of a feature row, in order
FEATURE_COLUMNS = ["left", "clause", "right", "before", "opening", "lead", "heading", "reporter", "audience", "unit"]

_DIGITS_RE = re.compile(r"[0-9０-９]+(?:[.,，][0-9０-９]+)*")
_LEFT_MAX = 24
_RIGHT_MAX = 6
_BEFORE_MAX = 16
_LEAD_MAX = 16
_OPENING_MAX = 12
_HEADING_MAX = 16
# a heading line: 一、… / （一）… / (一)… / 第一部分… at the start of a line
_HEADING_RE = re.compile(r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部章节])"
                         r"[^\n。]{0,40}", re.M)
# where a heading line's text is cut: at its first clause mark
_HEADING_CUT_RE = re.compile("[，,；;：:]")
# the characters a heading line can start with: the spaces before it and the first characters of its marks
_HEADING_FIRST = np.array(sorted(map(ord, " \t\u3000一二三四五六七八九十（(第")), dtype=np.uint32)
# whom the sentence of a mention (with its paragraph's lead and its heading) is about: officials and the
# government's own staff, the public, both or neither (docs/spec/indicators.md: a lecture or training is
# pufa.exams when its audience is officials, pufa.events when it is the public; staff trained for enforcement)
_AUDIENCE_RES = (("officials", re.compile("干部|党员|职工|公务员|工作人员|领导|班子|中心组|机关|民警|辅警|干警|执法人员|执法队员|"
                                          "检察官|法官|科级|处级|常务会|党组|党委|党工委")),
                 ("public", re.compile("群众|村民|居民|市民|学生|师生|青少年|中小学|学校|校园|企业|商户|经营者|家庭|妇女|"
                                       "老年|农民工|网民|公众|未成年人|游客")))
_MASKED_MAX = 100_000
# whether a string holds a digit (one scan in the engine: a set's isdisjoint makes a string of each character)
_HAS_DIGIT = re.compile("[0-9０-９]").search


def mask(s: str) -> str:
    """``s`` with each digit run masked as ``0``."""
    return s if _HAS_DIGIT(s) is None else _DIGITS_RE.sub("0", s)


# the masked form of each string with digits (kept: reports repeat their phrases and number formats)
_MASKED: dict[str, str] = {}


def _masked(s: str) -> str:
    """``s`` with each digit run masked as ``0`` (``s`` holds a digit), kept per string."""
    m = _MASKED.get(s)
    if m is None:
        if len(_MASKED) > _MASKED_MAX:
            _MASKED.clear()
        m = _MASKED[s] = _DIGITS_RE.sub("0", s)
    return m


def clear_cache() -> None:
    """Forget the masked forms kept per string (the rows stay the same)."""
    _MASKED.clear()


def heading_index(text: str, newlines: np.ndarray | None = None) -> tuple[list[int], list[str]]:
    """Start offsets and (masked, shortened) texts of the heading lines of ``text`` (``newlines``: the offsets of
    its line breaks, when known: the pattern is tried at the start of each line only, where it can match)."""
    starts, texts = [], []  # a heading line starts at 0 or after a line break, and never spans one
    if newlines is not None:  # tried only at the lines whose first character a heading line can start with
        lines = np.concatenate([[0], newlines + 1])
        lines = lines[lines < len(text)]
        lines = lines[np.isin(code_points(text)[lines], _HEADING_FIRST)].tolist()
    for m in (_HEADING_RE.finditer(text) if newlines is None else filter(None, map(
            _HEADING_RE.match, [text] * len(lines), lines))):
        h = m.group(0).strip()
        cut = _HEADING_CUT_RE.search(h, 0, _HEADING_MAX)  # up to its first clause mark, within _HEADING_MAX
        starts.append(m.start())
        texts.append(mask(h[:cut.start()] if cut else h[:_HEADING_MAX]))
    return starts, texts


# the audience of each pair (officials named, public named) as a number: 0 to 3
_AUDIENCES = ("", "officials", "public", "officials+public")
_OFFICIALS_SEARCH, _PUBLIC_SEARCH = (rx.search for _kind, rx in _AUDIENCE_RES)


def audience(context: str) -> str:
    """``officials``, ``public``, ``officials+public`` or ``""``: whom ``context`` names (see ``_AUDIENCE_RES``)."""
    return _AUDIENCES[(_OFFICIALS_SEARCH(context) is not None) + 2 * (_PUBLIC_SEARCH(context) is not None)]


def feature_rows(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, ...]]:
    """The feature tuple (in :data:`FEATURE_COLUMNS` order) of each span of ``text``."""
    return feature_rows_many([(text, list(spans))])


def feature_rows_many(reports: Sequence[tuple[str, Sequence[tuple[int, int, str]]]]) -> list[tuple[str, ...]]:
    """The feature tuples of the spans of many reports, in order: the texts are read as one, joined by line breaks
    (a line break ends a clause, a sentence and a line, as the end of a text does), so that the delimiters, digit
    runs and headings are found in one pass and each mention's clause, sentence and line in one search.

    The rows are built column by column: the offsets of every slice are found with numpy for all mentions at
    once, each column is one list of slices, and only the slices that meet a digit run are masked. What depends
    on the sentence alone (the lead of its paragraph, its heading, its audience) is found once per sentence."""
    texts = [t for t, _ in reports]
    big = "\n".join(texts)
    bases = np.cumsum([0] + [len(t) + 1 for t in texts])
    spans = list(chain.from_iterable(sp for _t, sp in reports))
    if not spans:
        return []
    counts = [len(sp) for _t, sp in reports]
    own = np.repeat(bases[:-1], counts)  # the offset of each mention's text
    span_starts, span_ends, units = zip(*spans)
    starts = np.array(span_starts, dtype=np.int64) + own
    ends = np.array(span_ends, dtype=np.int64) + own
    n = len(big)
    clause_stops, sentence_stops, newlines, run_starts, run_ends = model_offsets(big)
    h_starts, h_texts = heading_index(big, newlines)

    # for all mentions at once: the clause [lo, hi), the heading (of the same text), the sentence's start and end,
    # the paragraph's start, the previous clause's end and the sentence's opening (when the clause is not its first)
    _ks, los, his = bounds(clause_stops, starts, ends, n)
    hs = np.searchsorted(h_starts, starts, "right") - 1
    hs[(hs >= 0) & (np.asarray(h_starts + [0])[hs] < own)] = -1  # a heading of an earlier text
    es = np.searchsorted(sentence_stops, ends)
    lines = np.searchsorted(newlines, starts)
    t = np.searchsorted(sentence_stops, los)
    tops = np.where(t > 0, sentence_stops[np.maximum(t - 1, 0)] + 1, 0) if len(sentence_stops) else np.zeros_like(t)
    paras = np.where(lines > 0, newlines[np.maximum(lines - 1, 0)] + 1, 0) if len(newlines) else np.zeros_like(lines)
    sentence_ends = np.where(es < len(sentence_stops), sentence_stops[np.minimum(es, len(sentence_stops) - 1)], n) \
        if len(sentence_stops) else np.full_like(es, n)

    def column(lo: np.ndarray, hi: np.ndarray) -> list[str]:
        """The slices ``big[lo:hi]``, those that meet a digit run masked."""
        out = [big[a:b] for a, b in zip(lo.tolist(), hi.tolist())]
        for i in np.flatnonzero(meets_run(run_starts, run_ends, lo, hi, array=True)).tolist():
            out[i] = _masked(out[i])
        return out

    pres, posts = column(los, starts), column(ends, his)
    # up to _LEFT_MAX characters before the number and _RIGHT_MAX after the mention, within the clause: the words
    # before the number and after the mention where these are short (most are), else their ends read anew
    lefts, rights = list(pres), list(posts)
    long = np.flatnonzero(starts - los > _LEFT_MAX)
    for i, left in zip(long.tolist(), column(starts[long] - _LEFT_MAX, starts[long])):
        lefts[i] = left
    long = np.flatnonzero(his - ends > _RIGHT_MAX)
    for i, right in zip(long.tolist(), column(ends[long], ends[long] + _RIGHT_MAX)):
        rights[i] = right
    # the end of the previous clause of the same sentence (恶势力团伙案件3起，抓获嫌疑人16名) and the opening of the
    # sentence, when the mention's clause is not its first (组织干部职工…，覆盖500余人次)
    befores = column(np.maximum(tops, los - _BEFORE_MAX), np.maximum(tops, los - 1))
    # (read once for the mentions next to each other that share it: about half share their neighbour's)
    opening_hi = np.where(los - 1 > tops, np.minimum(tops + _OPENING_MAX, los - 1), tops)
    fresh = np.ones(len(tops), dtype=bool)
    fresh[1:] = (tops[1:] != tops[:-1]) | (opening_hi[1:] != opening_hi[:-1])
    at = np.flatnonzero(fresh)
    openings = column(tops[at], opening_hi[at])
    openings = [openings[k] for k in (np.cumsum(fresh) - 1).tolist()]
    clauses = [f"{pre}§{post}" for pre, post in zip(pres, posts)]

    # the lead sentence of the paragraph, when the mention is past it (决战决胜扫黑除恶“大会战”。…起诉47人): up to
    # the paragraph's first 。 when that lies before the mention
    periods = sentence_stops[code_points(big)[sentence_stops] == ord("。")] if len(sentence_stops) else sentence_stops
    p = np.searchsorted(periods, paras)
    lead_ends = np.where(p < len(periods), periods[np.minimum(p, len(periods) - 1)], n) if len(periods) else \
        np.full_like(paras, n)
    lead_ends[lead_ends >= starts] = -1
    # the lead, the heading and the audience depend on the sentence alone (a sentence lies in one line and one
    # text, and neither a line start nor a 。 lies inside it), so they are found once per sentence
    sentence_keys = tops * (len(sentence_stops) + 1) + es
    _keys, firsts, sentence_of = np.unique(sentence_keys, return_index=True, return_inverse=True)
    h_texts = h_texts + [""]  # h == -1: no heading
    leads, headings, audiences = [], [], []
    para_leads: dict[int, str] = {}
    for top, sentence_end, para, lead_end, h in zip(tops[firsts].tolist(), sentence_ends[firsts].tolist(),
                                                    paras[firsts].tolist(), lead_ends[firsts].tolist(),
                                                    hs[firsts].tolist()):
        lead = ""
        if lead_end >= 0:
            lead = para_leads.get(para)
            if lead is None:
                lead = para_leads[para] = mask(big[para:min(lead_end, para + _LEAD_MAX)].strip())
        heading = h_texts[h]
        leads.append(lead)
        headings.append(heading)
        audiences.append(audience(big[top:sentence_end] + lead + heading))
    of_sentence = sentence_of.ravel().tolist()
    reporters = np.repeat(np.array([report_kind(t) for t in texts], dtype=object), counts).tolist()
    return list(zip(lefts, clauses, rights, befores, openings, [leads[k] for k in of_sentence],
                    [headings[k] for k in of_sentence], reporters, [audiences[k] for k in of_sentence],
                    list(map(str, units))))
