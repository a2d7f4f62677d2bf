"""Delimiter offsets of a whole text from one table lookup (numpy), for the metric scanner and the learned
indicator component.

The text's code points are read into a numpy array once and looked up in a table of character classes (phrase,
clause and sentence delimiters of :mod:`lawgov_analysis.core.delimiters`, 、, full-width digits, the
indicator model's clause and sentence stops); each list of offsets is then one ``flatnonzero``. This gives the
same offsets as one regular-expression pass per delimiter set, at a fraction of the per-match cost.

Names
-----
delimiter_offsets(text)   phrase delimiters, clause delimiters and sentence delimiters (thousands separators out)
delimiter_arrays(text)    the same as numpy arrays
model_offsets(text)       the indicator model's clause stops, sentence stops, line breaks and digit runs
code_points(text), word_starts(cps, words)   a text's code points; where words start in them
char_class(chars), char_places(text, bit)    a class of one's own characters; where they stand in a text
clear_cache()             forget the last text read (its code points are kept for the next reader)
bounds(offsets, starts, ends, n)   each span's enclosing delimiters, for many spans at once
meets_run(starts, ends, a, b)      whether each [a, b) meets a digit run
first_char_lookahead(p)   a look-ahead of the characters every match of a pattern starts with (a faster scan)
quick_pattern(p)          ``p`` behind that look-ahead when the engine has no quick scan of its own for it
"""

from __future__ import annotations

import numpy as np

from ..core.delimiters import PHRASE_DELIMS, SENTENCE_DELIMS

__all__ = ["MODEL_CLAUSE_STOPS", "MODEL_SENTENCE_STOPS", "bounds", "char_class", "char_places", "clear_cache",
           "code_points", "delimiter_arrays", "delimiter_offsets", "first_char_lookahead", "meets_run", "model_offsets", "quick_pattern", "word_starts"]

#: The learned component's clause stops (:mod:`lawgov_analysis.measures.indicator_model`).
MODEL_CLAUSE_STOPS = "，,；;。：:！!？?\n"
#: The learned component's sentence stops.
MODEL_SENTENCE_STOPS = "。！!？?\n"

_PHRASE, _SENTENCE, _LIST_MARK, _FW_DIGIT, _FW_COMMA, _M_CLAUSE, _M_SENTENCE, _DIGIT = 1, 2, 4, 8, 16, 32, 64, 128
# classes from 256 up are given out by char_class (one per set of characters a reader asks for)
_CLASS = np.zeros(0x110000, dtype=np.uint16)
_NEXT_BIT = [256]
for _chars, _bit in ((PHRASE_DELIMS, _PHRASE), (SENTENCE_DELIMS, _SENTENCE), ("、", _LIST_MARK),
                     ("０１２３４５６７８９", _FW_DIGIT), ("，", _FW_COMMA), (MODEL_CLAUSE_STOPS, _M_CLAUSE),
                     (MODEL_SENTENCE_STOPS, _M_SENTENCE), ("0123456789０１２３４５６７８９", _DIGIT)):
    for _ch in _chars:
        _CLASS[ord(_ch)] |= _bit
# str.isdigit of every character of the Basic Multilingual Plane (the thousands-separator test is str.isdigit)
_BMP_DIGIT = np.array([chr(c).isdigit() for c in range(0x10000)], dtype=bool)


# the last text read, its code points, classes, and the offsets of its characters of any class with their classes:
# the scanner and the learned component read the same chunk of texts (joined the same way) one after the other
_LAST: list = [None, None, None, None, None]


def _code_points(text: str) -> np.ndarray:
    last = _LAST
    if last[0] is not text and last[0] != text:
        last[:] = [text, np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), None, None, None]
    return last[1]


def _classes(text: str) -> tuple[np.ndarray, np.ndarray]:
    cps = _code_points(text)
    if _LAST[2] is None:
        _LAST[2] = _CLASS[cps]
    return cps, _LAST[2]


def _sparse(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The code points and classes of ``text``, and the offsets of the characters of some class (a few in ten of
    a report's characters) with their classes: every offset list below is read from these few."""
    cps, cls = _classes(text)
    if _LAST[3] is None:
        at = np.flatnonzero(cls != 0)
        _LAST[3], _LAST[4] = at, cls[at]
    return cps, cls, _LAST[3], _LAST[4]


def clear_cache() -> None:
    """Forget the last text read (its code points and classes): results do not change."""
    _LAST[:] = [None, None, None, None, None]


def char_class(chars: str) -> int:
    """A class of its own for ``chars`` (its bit; asked once per set, when a module is imported): then
    :func:`char_places` gives where they stand in a text from the same pass as the delimiters."""
    bit = _NEXT_BIT[0]
    if bit > 0x8000:
        raise ValueError("char_class: no class left (16 at most)")
    _NEXT_BIT[0] = bit << 1
    for ch in set(chars):
        _CLASS[ord(ch)] |= bit
    clear_cache()
    return bit


def char_places(text: str, bit: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted offsets in ``text`` of the characters of class ``bit`` (:func:`char_class`) and their code
    points."""
    cps, _cls, at, classes = _sparse(text)
    at = at[(classes & bit) != 0]
    return at, cps[at]


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a numpy array (uint32, read only), one per character."""
    return _code_points(text)


def word_starts(cps: np.ndarray, words: list[str] | tuple[str, ...], *,
                places: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The sorted offsets where one of ``words`` starts in the text of code points ``cps`` (every occurrence,
    overlapping ones included: what a look-ahead of the words' alternation finds at every offset).

    ``places``: the offsets of (at least) every character the words start with and their code points, when
    already found (a search among fewer offsets than the whole text).

    Examples
    --------
    >>> word_starts(code_points("一五一十分"), ["十分", "一五一十", "五"]).tolist()
    [0, 1, 3]
    """
    n = len(cps)
    if places is None:
        firsts = np.array(sorted({ord(w[0]) for w in words}), dtype=np.uint32)
        at = np.flatnonzero(np.isin(cps, firsts))
        places = (at, cps[at])
    at, chars = places
    found, by_first = [], {}
    for w in words:
        by_first.setdefault(w[0], []).append(w)
    for first, ws in by_first.items():
        p0 = at[chars == ord(first)]
        for w in ws:
            p = p0[p0 <= n - len(w)]
            for i, ch in enumerate(w[1:], 1):
                p = p[cps[p + i] == ord(ch)]
            found.append(p)
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.intp)


def delimiter_offsets(text: str) -> tuple[list[int], list[int], list[int]]:
    """Offsets of phrase delimiters (``PHRASE_DELIMS``, 、 included), of clause delimiters (the same without 、)
    — thousands separators (``，`` between full-width digits, ``,`` between two characters for which
    ``str.isdigit`` holds) left out of both — and of sentence delimiters (``SENTENCE_DELIMS``) in ``text``.

    >>> delimiter_offsets("共3,256件、12人，完成。")
    ([7, 11, 14], [11, 14], [14])
    """
    narrow, wide, stops = delimiter_arrays(text)
    return narrow.tolist(), wide.tolist(), stops.tolist()


def delimiter_arrays(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`delimiter_offsets` as numpy arrays of int64."""
    cps, cls, at, classes = _sparse(text)
    phrase = (classes & _PHRASE) != 0
    narrow, kinds = at[phrase], classes[phrase]
    n = len(text)
    if n > 2:
        # a thousands separator is no delimiter: ， between full-width digits, "," between two digits
        inner = (narrow > 0) & (narrow < n - 1)
        fw = np.flatnonzero(((kinds & _FW_COMMA) != 0) & inner)
        drop = [fw[((cls[narrow[fw] - 1] & _FW_DIGIT) != 0) & ((cls[narrow[fw] + 1] & _FW_DIGIT) != 0)]]
        if "," in text:
            commas = np.flatnonzero((cps[narrow] == 44) & inner)
            drop.append(commas[_is_digit(cps[narrow[commas] - 1]) & _is_digit(cps[narrow[commas] + 1])])
        drop = np.concatenate(drop)
        if len(drop):
            narrow, kinds = np.delete(narrow, drop), np.delete(kinds, drop)
    wide = narrow[(kinds & _LIST_MARK) == 0] if "、" in text else narrow
    return narrow, wide, at[(classes & _SENTENCE) != 0]


def _is_digit(cps: np.ndarray) -> np.ndarray:
    """``str.isdigit`` of each code point (a table for the Basic Multilingual Plane, Python for the rest)."""
    out = _BMP_DIGIT[np.minimum(cps, 0xFFFF)] & (cps < 0x10000)
    for i in np.flatnonzero(cps >= 0x10000).tolist():
        out[i] = chr(cps[i]).isdigit()
    return out


def model_offsets(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the learned component's features read, for a whole text: offsets of :data:`MODEL_CLAUSE_STOPS`, of
    :data:`MODEL_SENTENCE_STOPS` and of line breaks, and the starts and ends of the digit runs (the matches of
    ``[0-9０-９]+(?:[.,，][0-9０-９]+)*``: digits, joined by one ``.`` ``,`` or ``，`` between two digits).

    Examples
    --------
    >>> [tuple(a.tolist()) for a in model_offsets("共3,256件，1.5万。\\n2人")]
    [(2, 7, 12, 13), (12, 13), (13,), (1, 8, 14), (6, 11, 15)]
    """
    cps, _cls, at, classes = _sparse(text)
    digits = at[(classes & _DIGIT) != 0]
    if len(digits):
        # digits next to each other are one run, and so are two digits with one . , or ， between them
        gap = np.diff(digits)
        joined = gap == 1
        two = np.flatnonzero(gap == 2)
        sep = cps[digits[two] + 1]
        joined[two] = (sep == 46) | (sep == 44) | (sep == 0xFF0C)
        breaks = np.flatnonzero(~joined)
        run_starts = np.concatenate([digits[:1], digits[breaks + 1]])
        run_ends = np.concatenate([digits[breaks] + 1, digits[-1:] + 1])
    else:
        run_starts = run_ends = np.zeros(0, dtype=np.intp)
    stops = at[(classes & (_M_CLAUSE | _M_SENTENCE)) != 0]
    kinds = classes[(classes & (_M_CLAUSE | _M_SENTENCE)) != 0]
    return (stops[(kinds & _M_CLAUSE) != 0], stops[(kinds & _M_SENTENCE) != 0], stops[cps[stops] == 10],
            run_starts, run_ends)


def bounds(offsets: np.ndarray, starts: np.ndarray, ends: np.ndarray, n: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each span ``[start, end)`` and sorted delimiter ``offsets``: the index of the first offset at or after
    ``start``, the position after the last offset before ``start`` (0 when none) and the first offset at or after
    ``end`` (``n`` when none) — what bisecting the offsets gives, for all spans at once."""
    k = np.searchsorted(offsets, starts)
    if not len(offsets):
        return k, np.zeros(len(starts), dtype=np.int64), np.full(len(ends), n, dtype=np.int64)
    j = np.searchsorted(offsets, ends)
    last = len(offsets) - 1
    return (k, np.where(k > 0, offsets[np.maximum(k - 1, 0)] + 1, 0),
            np.where(j <= last, offsets[np.minimum(j, last)], n))


def meets_run(run_starts: np.ndarray, run_ends: np.ndarray, a: np.ndarray, b: np.ndarray, *,
              array: bool = False) -> list[bool] | np.ndarray:
    """For each ``[a, b)``: whether it is not empty and meets one of the runs ``[run_starts, run_ends)`` (sorted,
    disjoint); a list, or with ``array`` a boolean array."""
    if not len(run_starts):
        return np.zeros(len(a), dtype=bool) if array else [False] * len(a)
    r = np.searchsorted(run_ends, a, "right")
    out = (b > a) & (r < len(run_starts)) & (run_starts[np.minimum(r, len(run_starts) - 1)] < b)
    return out if array else out.tolist()


def first_char_lookahead(pattern: str) -> str:
    """A look-ahead ``(?=[…])`` of the characters every match of ``pattern`` starts with, or ``""`` when that set
    is not known for sure (an empty match possible, ``.``, a class escape, a negated class, a look-ahead, an
    anchor, a flag, a back-reference …). Put before a pattern it gives the same matches (``finditer`` included)
    and lets the regular-expression engine skip every other position quickly.

    Read with the standard library's own parser of regular expressions (``re._parser``); any pattern it cannot
    read, or a Python without it, gets ``""``.

    >>> first_char_lookahead("(?:审结|办结)案件|(?<!网民)学法"), first_char_lookahead("(?:处罚)?案件"), first_char_lookahead(".*")
    ('(?=[办学审])', '(?=[处案])', '')
    """
    try:
        import re._constants as c  # the standard library's parser, read only here
        import re._parser as p
        parsed = p.parse(pattern)
    except Exception:  # no parser, or a pattern it cannot read: no look-ahead
        return ""
    if parsed.state.flags & ~(c.SRE_FLAG_UNICODE | c.SRE_FLAG_VERBOSE):
        return ""
    found, nullable = _first_chars(list(parsed), c)
    if found is None or nullable or not found:
        return ""
    return "(?=[" + "".join(sorted(("\\" + ch) if ch in "\\]^-[" else ch for ch in found)) + "])"


def quick_pattern(pattern: str) -> str:
    """``pattern``, or the same pattern behind :func:`first_char_lookahead` when the regular-expression engine
    has no quick scan of its own for it (the same matches).

    The standard engine skips quickly to where a match can start when the pattern opens with a literal, a
    character class, or alternatives that each open with a literal; a pattern that opens otherwise (a class in
    one alternative, a look-behind, a repeat) is tried at every position, and the look-ahead makes each failed
    position cheap. Put before a pattern the engine does scan quickly, the look-ahead would slow it down, so it is
    added only where it helps.

    >>> quick_pattern("审结|办结"), quick_pattern("(?<!网民)学法|[审办]结")
    ('审结|办结', '(?=[办学审])(?:(?<!网民)学法|[审办]结)')
    """
    try:  # the standard library's own test for its quick scan, read only here
        import re._compiler as c
        import re._parser as p
        parsed = p.parse(pattern)
        flags = parsed.state.flags
        if c._get_literal_prefix(parsed, flags)[0] or c._get_charset_prefix(parsed, flags):
            return pattern
    except Exception:  # no such test, or a pattern it cannot read: as it is
        return pattern
    ahead = first_char_lookahead(pattern)
    return f"{ahead}(?:{pattern})" if ahead else pattern


def _first_chars(items: list, c) -> tuple[set[str] | None, bool]:
    """The characters a match of the parsed sequence ``items`` can start with and whether it can be empty;
    ``(None, …)`` when not known."""
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
            return out, False
        if op is c.IN:
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] < 256:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                else:
                    return None, False
            return out, False
        if op is c.ASSERT_NOT or op is c.ASSERT:
            if av[0] == -1:  # a look-behind reads no character of the match
                continue
            return None, False
        if op is c.SUBPATTERN:
            if av[1] or av[2]:  # flags set or cleared inside
                return None, False
            s, empty = _first_chars(list(av[3]), c)
        elif op is c.BRANCH:
            s, empty = set(), False
            for alt in av[1]:
                a, e = _first_chars(list(alt), c)
                if a is None:
                    return None, False
                s |= a
                empty = empty or e
        elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
            s, empty = _first_chars(list(av[2]), c)
            empty = empty or av[0] == 0
        else:
            return None, False
        if s is None:
            return None, False
        out |= s
        if not empty:
            return out, False
    return out, True
