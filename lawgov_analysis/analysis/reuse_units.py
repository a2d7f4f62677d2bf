"""The units :func:`lawgov_analysis.analysis.reuse.find_reuse` compares, read part by part into a compact table.

A unit is a sentence with at least ``min_chars`` characters after normalisation (:func:`normalise_text`). The
sentence table is read in parts (one store partition at a time, or slices of an in-memory table); each part is
normalised by Arrow, and only integers are kept per unit (report code, offsets, text id). The text itself is kept
once per distinct normalised sentence, so memory grows with the number of sentences as a few integers each, and
with the number of *distinct* texts as text.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.government import government_key
from ..core.levels import LEVELS, normalize_level
from ..core.validate import check_columns

__all__ = ["Units", "PartUnits", "collect_units", "part_units", "merge_part_units", "normalise_text", "report_meta",
           "UNKNOWN_LEVEL"]

log = logging.getLogger(__name__)

#: Code of an unknown level (the known ones are their index in ``LEVELS``).
UNKNOWN_LEVEL = len(LEVELS)


@functools.cache
def _re2_class(python_class: str) -> str:
    """An RE2 character class of the code points Python's ``re`` matches with ``python_class`` (``\\s``,
    ``\\d``): Arrow's RE2 reads both as ASCII only, Python as Unicode."""
    points = np.arange(0x110000, dtype=np.uint32)
    every = points[(points < 0xD800) | (points > 0xDFFF)].tobytes().decode("utf-32-le")   # no surrogates
    points = [ord(m.group()) for m in re.finditer(python_class, every)]
    ranges: list[list[int]] = []
    for c in points:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" if a != b else f"\\x{{{a:x}}}" for a, b in ranges) + "]"


def _normalise_arrow(arr, mask_numbers: bool):
    import pyarrow.compute as pc

    arr = pc.utf8_normalize(arr, form="NFKC")
    arr = pc.replace_substring_regex(arr, _re2_class(r"\s") + "+", "")
    arr = pc.replace_substring_regex(arr, "([我全本])([省市区县镇乡旗局委])", "\\1□")
    if mask_numbers:
        digit = _re2_class(r"\d")
        arr = pc.replace_substring_regex(arr, f"{digit}+(?:\\.{digit}+)?", "0")
    return arr


def normalise_text(text: pd.Series, mask_numbers: bool) -> pd.Series:
    """NFKC, whitespace removed, a report's words for itself (我市 …) one placeholder, numbers ``0``.

    The same as ``str.normalize("NFKC")`` then ``re.sub`` with ``\\s+``, ``(?<=[我全本])[省市区县镇乡旗局委]`` →
    ``□`` and ``\\d+(?:\\.\\d+)?`` → ``0`` (when ``mask_numbers``), run by Arrow (RE2) over the whole column: the
    Unicode classes of Python's ``\\s`` and ``\\d`` spelled out, and the look-behind as a kept group (the
    characters before and after are disjoint sets). Missing values become ``""``. Returns a ``string`` Series
    with the index and name of ``text``.
    """
    import pyarrow as pa

    arr = _normalise_arrow(pa.array(text.astype("string").fillna("").array), mask_numbers)
    return pd.Series(pd.array(arr, dtype="string"), index=text.index, name=text.name)


@dataclass
class Units:
    """The compared sentences of a corpus, one entry per unit in ``doc_id, start`` order (ties: input order).

    ``doc`` (code of the report in ``docs``), ``start``, ``end`` (offsets, the dtype of the input), ``text``
    (id of the normalised text in ``texts``, numbered by first occurrence); ``docs`` every report of the
    sentence table, sorted; ``texts`` the distinct normalised texts; ``short`` sentences left out.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    text: np.ndarray
    docs: pd.Index
    texts: list[str]
    short: int


def collect_units(parts: Iterable, *, min_chars: int, mask_numbers: bool) -> Units:
    """Read the sentence table part by part (``doc_id, start, end, text``) into :class:`Units`.

    The parts are pandas tables or Arrow tables (as read from a store's Parquet parts: no conversion to pandas).
    The result is the same however the table is cut into parts, as long as all sentences of a report with the
    same ``start`` come in one part (their input order breaks the tie, as a stable sort would). The same as
    :func:`merge_part_units` of each part's :func:`part_units` (which other processes can compute).
    """
    return merge_part_units(part_units(part, min_chars=min_chars, mask_numbers=mask_numbers) for part in parts)


@dataclass
class PartUnits:
    """One part's units before they are numbered for the corpus (:func:`part_units`): ``names`` the reports of
    the part (first occurrence order), ``doc`` (index in ``names``), ``start``, ``end`` and ``text`` (index in
    ``values``, the part's distinct normalised texts long enough to compare) per unit, ``short`` sentences left
    out."""

    names: list[str]
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    text: np.ndarray
    values: list[str]
    short: int


def part_units(part, *, min_chars: int, mask_numbers: bool) -> PartUnits:
    """The units of one part of the sentence table (a pandas or Arrow table ``doc_id, start, end, text``),
    each distinct text of the part normalised once (a template sentence recurs in many reports)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(part, pa.Table):
        missing = [c for c in ("doc_id", "start", "end", "text") if c not in part.column_names]
        if missing:
            raise ValueError(f"sentences is missing column(s) {', '.join(missing)}")
        if not part.num_rows:
            return PartUnits([], *(np.zeros(0, np.int64),) * 4, [], 0)
        doc = part.column("doc_id").combine_chunks()
        doc = pc.dictionary_encode(doc.cast(doc.type.value_type) if pa.types.is_dictionary(doc.type) else doc)
        d_codes = doc.indices.to_numpy(zero_copy_only=False)         # numbered by first occurrence
        d_names = doc.dictionary.to_pylist()
        starts = part.column("start").to_numpy()
        ends = part.column("end").to_numpy()
        arr = part.column("text").combine_chunks()
    else:
        check_columns(part, ["doc_id", "start", "end", "text"], what="sentences")
        if part.empty:
            return PartUnits([], *(np.zeros(0, np.int64),) * 4, [], 0)
        d_codes, d_names = pd.factorize(part["doc_id"].astype(str), sort=False)
        d_names = list(d_names)
        starts, ends = part["start"].to_numpy(), part["end"].to_numpy()
        arr = pa.array(part["text"], from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr.fill_null(""))
    row = encoded.indices.to_numpy(zero_copy_only=False)
    norm = _normalise_arrow(encoded.dictionary, mask_numbers)
    long = np.asarray(pc.greater_equal(pc.utf8_length(norm), min_chars).to_numpy(zero_copy_only=False),
                      dtype=bool)
    keep = long[row]
    which = np.nonzero(long)[0]
    local = np.full(len(norm), -1, dtype=np.int64)
    local[which] = np.arange(len(which))
    values = norm.take(pa.array(which)).to_pylist() if keep.any() else []
    return PartUnits(d_names, d_codes[keep], starts[keep], ends[keep], local[row[keep]], values,
                     int(len(keep) - keep.sum()))


def merge_part_units(parts: Iterable[PartUnits]) -> Units:
    """The :class:`Units` of a corpus from its parts' :class:`PartUnits`, in the order the parts are given."""
    text_ids: dict[str, int] = {}
    doc_ids: dict[str, int] = {}
    chunks: list[tuple[np.ndarray, ...]] = []
    short = 0
    for pu in parts:
        short += pu.short
        if not pu.names:
            continue
        d_map = np.array([doc_ids.setdefault(d, len(doc_ids)) for d in pu.names], dtype=np.int64)
        if not len(pu.doc):
            continue
        ids = np.array([text_ids.setdefault(v, len(text_ids)) for v in pu.values], dtype=np.int64)
        chunks.append((d_map[pu.doc].astype(np.int32), pu.start, pu.end, ids[pu.text].astype(np.int32)))
    texts = list(text_ids)          # insertion order: provisional id i is texts[i]
    names = np.array(list(doc_ids), dtype=object)
    rank = np.empty(len(names), dtype=np.int32)
    rank[np.argsort(names, kind="stable")] = np.arange(len(names), dtype=np.int32)
    docs = pd.Index(names[np.argsort(names, kind="stable")].tolist() if len(names) else [], dtype=object)
    if not chunks:
        empty = np.zeros(0, np.int64)
        return Units(empty.astype(np.int32), empty, empty, empty.astype(np.int32), docs, [], short)
    doc = rank[np.concatenate([c[0] for c in chunks])]
    start = np.concatenate([c[1] for c in chunks])
    order = np.lexsort((start, doc))           # stable: input order breaks ties
    end = np.concatenate([c[2] for c in chunks])[order]
    provisional = np.concatenate([c[3] for c in chunks])[order]
    text, firsts = pd.factorize(provisional, sort=False)
    del chunks
    return Units(doc[order], start[order], end, text.astype(np.int32), docs, [texts[i] for i in firsts], short)


def _level_codes(values) -> np.ndarray:
    return np.array([LEVELS.index(v) if v else UNKNOWN_LEVEL for v in map(normalize_level, values)], dtype=int)


def report_meta(corpus: pd.DataFrame, doc_ids: Iterable[str]) -> pd.DataFrame:
    """One row per report of ``corpus`` and of ``doc_ids`` (those not in ``corpus`` with unknown year and
    government, and a warning): ``doc_id``, ``year`` (``-1`` unknown), ``lev`` (level code), ``gov``
    (government code, :func:`lawgov_analysis.core.government.government_key`), ``level`` (as given)."""
    c = corpus.drop(columns=[x for x in ("text",) if x in corpus.columns]).copy()
    c["doc_id"] = c["doc_id"].astype(str)
    c = c.drop_duplicates("doc_id")
    missing = sorted(set(doc_ids) - set(c["doc_id"]))
    if missing:
        log.warning(
            "reuse: %d report(s) of the sentences are not in the corpus table (year and government unknown): %s",
            len(missing), ", ".join(missing[:5]))
        c = pd.concat([c, pd.DataFrame({"doc_id": missing})], ignore_index=True)
    year = pd.to_numeric(c["year"], errors="coerce") if "year" in c.columns else pd.Series(np.nan, index=c.index)
    key = government_key(c)
    gov_codes, _ = pd.factorize(key.fillna("<unknown:" + c["doc_id"] + ">").astype(str))
    return pd.DataFrame({"doc_id": c["doc_id"], "year": year.fillna(-1).astype(int).to_numpy(),
                         "lev": _level_codes(c["level"] if "level" in c.columns else [""] * len(c)),
                         "gov": gov_codes,
                         "level": (c["level"].astype("string").fillna("") if "level" in c.columns else "")})
