"""The report's own structure: its numbered sections and its sentences, as offsets into ``text``.

Chinese government reports number their parts in a fixed hierarchy::

    一、全区法治政府建设推进情况              level 1   section_id "一"
    (一)坚持高位谋划，推动全区依法行政        level 2   section_id "一(一)"
    1、健全领导机构，提升依法行政工作能力。   level 3   section_id "一(一)1"
    ……一是压实领导主体责任。二是……          level 4   section_id "一(一)1一是" (inline items)

Text before the first heading is the preamble, section ``"0"`` at level 0. Offsets are Python string
indices into the report text, half-open ``[start, end)``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..core.delimiters import BRACKET_PAIRS, CLOSERS
from ..core.numerals import parse_chinese

SECTION_COLUMNS = ["doc_id", "section_id", "parent_id", "level", "marker", "heading", "start", "end"]
SENTENCE_COLUMNS = ["doc_id", "section_id", "sentence_id", "start", "end", "text"]

_CN_DIGITS = "一二三四五六七八九十"

# Line-start headings. Leading ASCII/full-width spaces are allowed; the marker must not be a decimal (1.5万).
_LINE_MARKERS = re.compile(
    rf"""^[ \t\u3000]*(?:
        (?P<l1>[{_CN_DIGITS}]{{1,3}})[ \t\u3000]*[、.．]
      | [(（][ \t\u3000]*(?P<l2>[{_CN_DIGITS}]{{1,3}})[ \t\u3000]*[)）]
      | (?P<l3>\d{{1,2}})[ \t\u3000]*(?:[、．]|\.(?!\d))
      | [(（](?P<l4>\d{{1,2}})[)）]
    )""",
    re.MULTILINE | re.VERBOSE,
)
# Inline items 一是/二是/…: at a line start or right after punctuation (possibly with spaces between), never
# inside a word (统一是…). The pattern finds the numeral and 是; _inline_anchored checks what stands before.
_INLINE_ITEM = re.compile(rf"(?P<num>[{_CN_DIGITS}]{{1,2}})是(?![的否为])")
_INLINE_AFTER = frozenset("。；;：:，,！？!?\n")
_SPACES = " \t\u3000"
_HEADING_END = re.compile(r"[。！？；;!?\n]")

_OPENERS = BRACKET_PAIRS  # titles, quotations and brackets (core.delimiters), shared with the metric extractor
_CLOSERS = CLOSERS
_TERMINATORS = set("。！？；!?;")
_SPECIAL = re.compile("[" + re.escape("".join(BRACKET_PAIRS) + "".join(CLOSERS) + "。！？；!?;\n") + "]")


def _inline_anchored(text: str, pos: int) -> bool:
    """Whether an inline item whose numeral starts at ``pos`` follows the text start, a line end or
    punctuation, with only spaces between."""
    q = pos
    while q > 0 and text[q - 1] in _SPACES:
        q -= 1
    return q == 0 or text[q - 1] in _INLINE_AFTER


def _line_starts(text: str) -> Iterator[int]:
    """Offsets where a line starts (0 and after every newline)."""
    yield 0
    i = text.find("\n")
    while i >= 0:
        yield i + 1
        i = text.find("\n", i + 1)


def _heading_after(text: str, pos: int, limit: int) -> str:
    m = _HEADING_END.search(text, pos, limit)
    return text[pos: m.start() if m else limit].strip()


def _doc_sections(text: str) -> list[tuple]:
    """Sections of one report as ``(section_id, parent_id, level, marker, heading, start, end)`` tuples in
    text order (see :func:`sections`)."""
    n = len(text)
    found: list[tuple[int, int, str, str, int]] = []  # start, level, marker, norm, heading_start
    marker_at = _LINE_MARKERS.match
    for line_start in _line_starts(text):
        m = marker_at(text, line_start)
        if m is None:
            continue
        whole = m.group(0)
        start = m.start() + len(whole) - len(whole.lstrip(" \t\u3000"))
        l1, l2, l3, l4 = m.group("l1", "l2", "l3", "l4")
        if l1:
            level, norm = 1, l1
        elif l2:
            level, norm = 2, f"({l2})"
        elif l3:
            level, norm = 3, str(int(l3))
        else:
            level, norm = 4, f"({int(l4)})"
        found.append((start, level, text[start:m.end()], norm, m.end()))

    # Inline items form runs 一是, 二是, … inside the line-level section that contains them.
    line_starts = sorted(f[0] for f in found)
    taken = set(line_starts)
    expected: dict[int, int] = {}  # enclosing line-section start -> next expected item number
    for m in _INLINE_ITEM.finditer(text):
        start = m.start("num")
        if start in taken or not _inline_anchored(text, start):
            continue
        num = parse_chinese(m.group("num")) or 0
        k = bisect.bisect_right(line_starts, start)
        owner = line_starts[k - 1] if k else -1
        if num == 1 or expected.get(owner) == num:
            expected[owner] = num + 1
            found.append((start, 4, m.group("num") + "是", m.group("num") + "是", m.end()))
    found.sort(key=lambda f: (f[0], f[1]))

    rows: list[list] = []  # section_id, parent_id, level, marker, heading, start, end
    first = found[0][0] if found else n
    if text[:first].strip():
        rows.append(["0", "", 0, "", "", 0, len(text[:first].rstrip())])
    stack: list[tuple[int, str]] = []  # (level, section_id) of the open sections
    used: set[str] = set()
    for start, level, marker, norm, head_start in found:
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        section_id = base = parent + norm
        k = 2
        while section_id in used:  # numbering restarted or repeated: keep ids unique and stable
            section_id, k = f"{base}~{k}", k + 1
        used.add(section_id)
        rows.append([section_id, parent, level, marker, _heading_after(text, head_start, n), start, n])
        stack.append((level, section_id))
    # A section ends where the next section of the same or a higher level starts: one backward sweep keeps,
    # for every level, the start of the nearest later section at that level or above.
    nearest = [n] * 5  # nearest[lv]: start of the next section whose level is <= lv
    for row in reversed(rows):
        level = row[2]
        if level == 0:
            continue
        end = nearest[level]
        row[6] = row[5] + len(text[row[5]:end].rstrip())
        for lv in range(level, 5):
            nearest[lv] = row[5]
    return rows


def _corpus_texts(corpus: pd.DataFrame) -> Iterator[tuple[str, str]]:
    from ..core.validate import check_columns

    check_columns(corpus, ["doc_id", "text"], what="corpus")
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        yield str(doc_id), "" if pd.isna(text) else str(text)


def sections(corpus: pd.DataFrame) -> pd.DataFrame:
    """The numbered section tree of every report.

    Parameters
    ----------
    corpus
        The report table from :func:`lawgov_analysis.io.corpus.load_corpus` (needs ``doc_id`` and ``text``).

    Returns
    -------
    pandas.DataFrame
        One row per section, sorted by ``doc_id`` then ``start``:

        ``doc_id``; ``section_id`` (path of normalised markers: ``"一"``, ``"一(三)"``, ``"一(三)6"``,
        ``"一(三)6一是"``; ``"0"`` is the preamble before the first heading, present when it is not blank);
        ``parent_id`` (``""`` at the top); ``level`` (0 preamble, 1 ``一、``, 2 ``(一)``/``（一）``,
        3 ``1、``/``1.``, 4 ``(1)`` and inline ``一是/二是`` items); ``marker`` (as written); ``heading``
        (text after the marker up to the first 。；！？ or line end); ``start``/``end`` (offsets into
        ``text``: from the marker to where the next section of the same or a higher level starts, trailing
        whitespace excluded).

    Examples
    --------
    >>> sections(corpus).query("level <= 2")[["section_id", "heading"]]       # doctest: +SKIP
      section_id                heading
    0          0
    1         一   全区法治政府建设推进情况
    2     一(一)   坚持高位谋划,推动全区依法行政
    """
    doc_ids: list[str] = []
    rows: list[list] = []
    for doc_id, text in _corpus_texts(corpus):
        doc_rows = _doc_sections(text)
        doc_ids.extend([doc_id] * len(doc_rows))
        rows.extend(doc_rows)
    if not rows:
        return pd.DataFrame([], columns=SECTION_COLUMNS).astype({"level": "int64", "start": "int64", "end": "int64"})
    data = {"doc_id": doc_ids}
    for name, values in zip(SECTION_COLUMNS[1:], zip(*rows)):
        data[name] = np.array(values, dtype="int64") if name in ("level", "start", "end") else list(values)
    out = pd.DataFrame(data, columns=SECTION_COLUMNS)
    return out.sort_values(["doc_id", "start", "level"], kind="stable").reset_index(drop=True)


def _sentence_spans(text: str, breaks: list[int]) -> list[tuple[int, int]]:
    """Split ``text`` into stripped, non-overlapping spans (see :func:`sentences`)."""
    cuts = set(breaks)
    stack: list[str] = []
    prev_terminator = False
    for m in _SPECIAL.finditer(text):
        ch, pos = m.group(), m.start()
        if ch == "\n":
            cuts.add(pos + 1)
            stack.clear()
            prev_terminator = False
            continue
        if ch in _OPENERS and not (ch in _CLOSERS and stack and stack[-1] == ch):
            stack.append(ch)
            prev_terminator = False
        elif ch in _CLOSERS:
            if stack and stack[-1] == _CLOSERS[ch]:
                stack.pop()
                # “……。” ends a sentence after its closing quote when the quote closes the last level
                if not stack and prev_terminator and pos > 0 and text[pos - 1] in _TERMINATORS:
                    cuts.add(pos + 1)
            prev_terminator = False
        elif ch in _TERMINATORS:
            prev_terminator = True
            if not stack:
                cuts.add(pos + 1)
    bounds = sorted(c for c in cuts if 0 < c < len(text))
    spans = []
    start = 0
    for end in [*bounds, len(text)]:
        piece = text[start:end].lstrip()
        if piece:
            first = end - len(piece)
            spans.append((first, first + len(piece.rstrip())))
        start = end
    return spans


def sentences(corpus: pd.DataFrame, *, sections_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split every report into sentences that know their innermost section.

    Sentences end at 。！？；!?; and at line ends, and a new sentence starts at every section heading or inline
    item; a terminator inside 《》, “”, ‘’, ()/（）, 【】 or [] does not end a sentence (brackets are
    balanced per line, so one stray bracket cannot swallow the rest of the report).

    Parameters
    ----------
    corpus
        The report table (``doc_id``, ``text``).
    sections_table
        The output of :func:`sections` for the same corpus, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, sorted by ``doc_id``, ``sentence_id``: ``doc_id``; ``section_id`` (innermost
        section containing the sentence); ``sentence_id`` (int, 0.. in text order within a report);
        ``start``/``end`` (offsets into the report text, whitespace at either end excluded); ``text``
        (``== report_text[start:end]``). Sentences never overlap and cover every non-blank character.
    """
    secs = sections(corpus) if sections_table is None else sections_table
    # each report's sections as (start, level, end, section_id) tuples, from the columns (no per-group frames)
    by_doc: dict[object, list[tuple[int, int, int, str]]] = {}
    for doc, *span in zip(secs["doc_id"].tolist(), secs["start"].tolist(), secs["level"].tolist(),
                          secs["end"].tolist(), secs["section_id"].tolist()):
        by_doc.setdefault(doc, []).append(tuple(span))
    doc_ids: list[str] = []
    section_ids: list[str] = []
    sentence_ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for doc_id, text in _corpus_texts(corpus):
        doc_secs = by_doc.get(doc_id)
        spans = _sentence_spans(text, [] if doc_secs is None else [sp[0] for sp in doc_secs])
        if not spans:
            continue
        doc_starts = [s for s, _ in spans]
        doc_ids.extend([doc_id] * len(spans))
        section_ids.extend(_innermost(doc_secs, doc_starts))
        sentence_ids.extend(range(len(spans)))
        starts.extend(doc_starts)
        ends.extend([e for _, e in spans])
        texts.extend([text[s:e] for s, e in spans])
    if not doc_ids:
        return pd.DataFrame([], columns=SENTENCE_COLUMNS).astype({"sentence_id": "int64", "start": "int64",
                                                                   "end": "int64"})
    return pd.DataFrame({"doc_id": doc_ids, "section_id": section_ids,
                         "sentence_id": np.array(sentence_ids, dtype="int64"),
                         "start": np.array(starts, dtype="int64"), "end": np.array(ends, dtype="int64"),
                         "text": texts}, columns=SENTENCE_COLUMNS)


def split_report(text: str) -> tuple[list[tuple], list[tuple[int, int, str]]]:
    """One report's sections and sentences as plain tuples, without building tables (for a caller that reads
    them report by report, such as the metric extractor).

    Returns
    -------
    tuple of two lists
        The sections, one tuple per section in text order: ``(section_id, parent_id, level, marker, heading,
        start, end)`` — the columns of :func:`sections` after ``doc_id``; and the sentences, one tuple per
        sentence in text order (its ``sentence_id`` is its index): ``(start, end, section_id)`` — as
        :func:`sentences` gives them.
    """
    rows = _doc_sections(text)
    spans = _sentence_spans(text, [r[5] for r in rows])
    owners = _innermost([(r[5], r[2], r[6], r[0]) for r in rows], [s for s, _ in spans])
    return [tuple(r) for r in rows], [(s, e, sec) for (s, e), sec in zip(spans, owners)]


def _innermost(doc_secs: list[tuple[int, int, int, str]] | None, positions: list[int]) -> list[str]:
    """For each offset (ascending), the id of the deepest section whose span contains it ("0" when none does);
    ``doc_secs`` holds the report's sections as ``(start, level, end, section_id)``.

    One sweep: sections are visited in start order and kept on a stack of open (nested) sections, so the
    top of the stack is the innermost section at the current offset.
    """
    if not doc_secs:
        return ["0"] * len(positions)
    spans = sorted(doc_secs)
    out: list[str] = []
    stack: list[tuple[int, int, str]] = []  # (end, level, section_id)
    i = 0
    for pos in positions:
        while i < len(spans) and spans[i][0] <= pos:
            start, level, end, sid = spans[i]
            while stack and stack[-1][1] >= level:
                stack.pop()
            stack.append((max(end, start + 1), level, sid))
            i += 1
        while stack and stack[-1][0] <= pos:
            stack.pop()
        out.append(stack[-1][2] if stack else "0")
    return out


def with_section_level(df: pd.DataFrame, sections_table: pd.DataFrame, *, level: int,
                       column: str | None = None) -> pd.DataFrame:
    """Add the ancestor of each row's section at ``level`` (roll sentences, tokens or hits up the tree).

    Parameters
    ----------
    df
        Any table with ``doc_id`` and ``section_id`` (sentences, tokens, metrics …).
    sections_table
        The output of :func:`sections` for the same corpus.
    level
        1 for 一/二, 2 for 一(一), 3 for 一(一)1, 4 for inline items.
    column
        Name of the new column, ``section_l{level}`` by default.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with one more column holding the ancestor's ``section_id`` at ``level`` — or the
        row's own section when that is shallower (the preamble stays ``"0"``).
    """
    from ..core.validate import check_columns

    check_columns(df, ["doc_id", "section_id"], what="table")
    column = column or f"section_l{level}"
    info = {(d, s): (p, lv) for d, s, p, lv in zip(sections_table["doc_id"], sections_table["section_id"],
                                                   sections_table["parent_id"], sections_table["level"])}

    def ancestor(doc_id: str, section_id: str) -> str:
        current = section_id
        while (doc_id, current) in info:
            parent, lv = info[(doc_id, current)]
            if lv <= level or not parent:
                return current
            current = parent
        return current

    cache: dict[tuple[str, str], str] = {}
    values = []
    for key in zip(df["doc_id"], df["section_id"]):
        if key not in cache:
            cache[key] = ancestor(*key)
        values.append(cache[key])
    out = df.copy()
    out[column] = values
    return out


def section_outline(sections_table: pd.DataFrame) -> pd.DataFrame:
    """The section tree as an indented outline, for reading.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, section_id, level, outline, chars`` — one row per section; ``outline`` is the marker and
        heading indented by level; ``chars`` is the section's length in characters.
    """
    out = sections_table[["doc_id", "section_id", "level"]].copy()
    out["outline"] = ["\u3000" * max(lv - 1, 0) + (m + h if m else "（前言）")
                      for lv, m, h in zip(sections_table["level"], sections_table["marker"],
                                          sections_table["heading"])]
    out["chars"] = (sections_table["end"] - sections_table["start"]).astype("int64")
    return out.reset_index(drop=True)
