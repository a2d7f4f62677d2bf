"""Tokens: jieba's segmentation (run by rjieba or jieba) with the domain lexicon and stopwords, cached on disk.

Generic jieba splits the vocabulary of rule-of-law reports (放管服 → 放/管服, 赣服通 → 赣/服通) and its most
frequent words are boilerplate (工作, 坚持, 推进). This module segments reports with a *private* segmenter
(:mod:`lawgov_analysis.text.segmenters`: rjieba, the Rust port of jieba, by default; jieba itself with
``segmenter="jieba"``) that carries the bundled lexicon (``resources/lexicon.txt``) plus any terms the caller
adds, keeps whole 《document titles》 and short “slogans” as single tokens, marks stopwords from two switchable
lists (general function words and government boilerplate) and caches the token table on disk.

Lexicon protection
    Every lexicon term is added to the private segmenter with a frequency of ``LEXICON_FREQ`` (or the
    frequency written after it in a lexicon file), so it beats both its own split and any overlap with an
    ordinary word; among lexicon terms the longer one wins. :func:`lexicon_audit` checks, for any corpus, that
    every occurrence of every term is indeed one token.
Isolation
    jieba's global dictionary (``jieba.dt``) and rjieba's module-level instance are never touched. One
    segmenter per backend and lexicon (keyed by the lexicon's hash) is built per process; jieba's own log
    messages are silenced only while it initialises.
Cache
    One uncompressed Arrow file per report under ``config.cache_dir() / "tokens"`` (about 17 bytes per byte
    of UTF-8 text, read memory-mapped), keyed by the report's text (or its sentence rows), its ``doc_id``, the
    lexicon, the stopword list, the segmenter and its version (:func:`segmenter_version`) and the source of
    this module, :mod:`~lawgov_analysis.text.segmenters` and :mod:`~lawgov_analysis.text.structure`. A warm call
    reads the files and neither splits sentences nor segments. :func:`clear_cache` empties it.
Speed
    Each report is segmented in one pass and tokens are assigned to sentences by offset (a word that runs
    across a sentence start is cut there and its pieces segmented again). Corpora of several reports are
    segmented in worker processes (``n_jobs``) with a tqdm progress bar.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..core.resources import read_lines, text_hash
from ..core.validate import check_columns, check_option
from .segmenters import (
    DEFAULT_SEGMENTER,
    LEXICON_FREQ,
    SEGMENTERS,
    SegmenterName,
    check_segmenter,
    get_segmenter,
    lexicon_key,
    segmenter_version,
)

__all__ = ["TOKEN_COLUMNS", "KINDS", "LEXICON_FREQ", "SEGMENTERS", "DEFAULT_SEGMENTER", "STOPWORD_LISTS",
           "tokenize", "load_lexicon", "load_stopwords", "lexicon_audit", "lexicon_problems", "clear_cache",
           "segmenter_version", "get_segmenter", "lexicon_key", "check_segmenter", "lexicon_entries", "token_table"]

#: Columns of the token table, in order.
TOKEN_COLUMNS = ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind", "is_stop"]

#: Allowed values of the ``kind`` column.
KINDS = ("word", "title", "slogan", "number", "punct")

#: Named stopword lists and the resource files they combine.
STOPWORD_LISTS = {
    "default": ("stopwords_general.txt", "stopwords_boilerplate.txt"),
    "general": ("stopwords_general.txt",),
    "boilerplate": ("stopwords_boilerplate.txt",),
    "none": (),
}

StopwordName = Literal["default", "general", "boilerplate", "none"]
#: ``stopwords=``: a list name, a file (``Path``, or ``str`` with a path separator or ending in .txt), words.
StopwordSpec = StopwordName | str | Path | Iterable[str] | None
#: ``lexicon=``: None/"bundled", "none", a file (``str`` or ``Path``), or an iterable of terms and ``Path`` files.
LexiconSpec = str | Path | Iterable[str | Path] | None
_CACHE_FORMAT = "tokens-v1"

# 《title》: the whole name is one token (brackets are punct tokens); one line, no nested 《.
_TITLE = re.compile(r"《([^《》\n]{1,120})》")
# “slogan” / ‘…’ / 「…」 / 『…』; the quoted text is split on enumeration marks (“一次不跑、只跑一次”).
_QUOTE = re.compile(r"“([^“”\n]{1,60})”|‘([^‘’\n]{1,60})’|「([^「」\n]{1,60})」|『([^『』\n]{1,60})』")
_QUOTE_SPLIT = re.compile(r"[、，,；;/]")
_SLOGAN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]{2,10}")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MARKS = re.compile(r"[《“‘「『]")

_CODE_VERSION: str | None = None


# --------------------------------------------------------------------------------------------------- lexicon
def _parse_lexicon_lines(lines: Iterable[str], entries: dict[str, int | None], source: str) -> None:
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
            raise ValueError(f"lexicon line must be 'term' or 'term frequency', got {line!r} in {source}")
        entries[parts[0]] = max(1, int(parts[1])) if len(parts) == 2 else entries.get(parts[0])


def _add_lexicon_file(path: str | Path, entries: dict[str, int | None]) -> None:
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"lexicon file not found: {path}")
    _parse_lexicon_lines(read_lines(path), entries, str(path))


def lexicon_entries(lexicon: LexiconSpec = None) -> dict[str, int | None]:
    """Term → jieba frequency (None: use ``LEXICON_FREQ``) for a ``lexicon=`` argument, as :func:`tokenize`
    resolves it: None (bundled), ``"none"``, a path, a list of terms or paths."""
    entries: dict[str, int | None] = {}
    if isinstance(lexicon, str) and lexicon == "none":
        return entries
    _parse_lexicon_lines(read_lines("lexicon.txt"), entries, "lexicon.txt")
    if lexicon is None or (isinstance(lexicon, str) and lexicon == "bundled"):
        return entries
    if isinstance(lexicon, (str, Path)):  # one file
        _add_lexicon_file(lexicon, entries)
        return entries
    for i, item in enumerate(lexicon):  # terms (str) and files (Path)
        if isinstance(item, Path):
            _add_lexicon_file(item, entries)
        elif isinstance(item, str):
            term = item.strip()
            if not term:
                continue
            if any(ch.isspace() for ch in term):
                raise ValueError(f"lexicon terms cannot contain whitespace, got {item!r}")
            entries.setdefault(term, None)
        else:
            raise TypeError(f"lexicon items must be terms (str) or files (Path), got {type(item).__name__} "
                            f"at position {i}")
    return entries


def load_lexicon(extra: LexiconSpec = None) -> list[str]:
    """The lexicon terms a tokenizer protects: the bundled lexicon plus ``extra``.

    Parameters
    ----------
    extra
        None (bundled lexicon only); a path (``str`` or ``Path``) to a lexicon file (one term per line, an
        optional frequency after a space, ``#`` comments); an iterable of terms (``str``) and/or files
        (``Path``), e.g. the theme terms of :mod:`lawgov_analysis.analysis.themes`; or ``"none"`` (no lexicon at all).

    Returns
    -------
    list of str
        Sorted, unique terms. Example: ``"放管服" in load_lexicon()`` is True.
    """
    return sorted(lexicon_entries(extra))


_lexicon_key = lexicon_key


# ------------------------------------------------------------------------------------------------- stopwords
def load_stopwords(stopwords: StopwordSpec = None) -> frozenset[str]:
    """The stopword set for a ``stopwords=`` argument.

    Parameters
    ----------
    stopwords
        None or ``"default"`` (general + boilerplate), ``"general"`` (Chinese function words),
        ``"boilerplate"`` (government boilerplate such as 坚持, 推进, 加强), ``"none"``; a path (``str`` with a
        path separator or ending in ``.txt``, or ``Path``) to a file with one word per line; or an iterable of
        words.

    Returns
    -------
    frozenset of str
    """
    if stopwords is None:
        stopwords = "default"
    if isinstance(stopwords, str) and stopwords in STOPWORD_LISTS:
        words: set[str] = set()
        for name in STOPWORD_LISTS[stopwords]:
            words.update(read_lines(name))
        return frozenset(words)
    if isinstance(stopwords, Path) or (isinstance(stopwords, str) and (
            "/" in stopwords or "\\" in stopwords or stopwords.endswith(".txt"))):
        path = Path(stopwords).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"stopword file not found: {path}")
        return frozenset(w.split()[0] for w in read_lines(path))
    if isinstance(stopwords, str):
        check_option("stopwords", stopwords, [*STOPWORD_LISTS, "a path", "an iterable of words"])
    return frozenset(str(w).strip() for w in stopwords if str(w).strip())


# ------------------------------------------------------------------------------------------------ segmenter
def _tokenizer(entries: dict[str, int | None], key: str | None = None):
    """The private ``jieba.Tokenizer`` with jieba's dictionary plus ``entries`` (the jieba backend; also what
    jieba's part-of-speech tagger in :mod:`lawgov_analysis.analysis.keywords` needs)."""
    return get_segmenter(entries, segmenter="jieba", key=key)


# ----------------------------------------------------------------------------------------------- segmenting
def _protected_spans(s: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of title and slogan tokens inside sentence ``s``, sorted, not overlapping."""
    spans: list[tuple[int, int, str]] = []
    for m in _TITLE.finditer(s):
        a, b = m.span(1)
        inner = s[a:b]
        a += len(inner) - len(inner.lstrip())
        b -= len(inner) - len(inner.rstrip())
        if a < b:
            spans.append((m.start(), m.end(), "title", a, b))
    out: list[tuple[int, int, str]] = [(a, b, k) for _, _, k, a, b in spans]
    title_starts = [x[0] for x in spans]  # titles do not overlap: sorted by start and by end
    for m in _QUOTE.finditer(s):
        i = bisect_left(title_starts, m.end())  # titles starting before the quote ends
        if i and spans[i - 1][1] > m.start():  # the last of them ends after the quote starts: overlap
            continue
        g = m.lastindex
        pos = m.start(g)
        for part in _QUOTE_SPLIT.split(m.group(g)):
            if _SLOGAN.fullmatch(part) and _HAN.search(part):
                out.append((pos, pos + len(part), "slogan"))
            pos += len(part) + 1
    out.sort()
    return out


def _segment_doc(tokenizer, text: str, breaks) -> tuple[list[str], np.ndarray, dict[int, str]]:
    """Segment one report text in one pass.

    Returns its words in order (whitespace included, so lengths add up), their start offsets (int64 array),
    and ``{word index: "title" | "slogan"}`` for protected spans, each merged into one word. ``breaks`` are
    the sentence starts (ascending): a word that runs across one (jieba never does at punctuation or line
    ends, but a section may start right after a Han character) is cut there and its pieces are segmented again.
    """
    cut = tokenizer.lcut
    words = cut(text)
    lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    starts = np.cumsum(lens) - lens
    breaks = np.asarray(breaks, dtype=np.int64)
    inner = breaks[(breaks > 0) & (breaks < len(text))]
    if len(inner):
        idx = np.searchsorted(starts, inner, "right") - 1
        crossed = np.unique(idx[starts[idx] != inner]).tolist()
        if crossed:
            inner_list = inner.tolist()
            new_words: list[str] = []
            new_starts: list[int] = []
            prev = 0
            for i in crossed:
                new_words.extend(words[prev:i])
                new_starts.extend(starts[prev:i].tolist())
                a, e = int(starts[i]), int(starts[i]) + len(words[i])
                cuts = [a, *[b for b in inner_list if a < b < e], e]
                for x, y in zip(cuts, cuts[1:]):
                    for piece in cut(text[x:y]):
                        new_words.append(piece)
                        new_starts.append(x)
                        x += len(piece)
                prev = i + 1
            words = new_words + words[prev:]
            starts = np.concatenate([np.asarray(new_starts, dtype=np.int64), starts[prev:]])
    special: dict[int, str] = {}
    spans = _protected_spans(text) if _MARKS.search(text) else []
    if spans:
        n = len(words)
        edges = np.asarray([x for a, b, _ in spans for x in (a, b)], dtype=np.int64)
        pos = np.searchsorted(starts, edges).tolist()
        at = [p < n and starts[p] == x for p, x in zip(pos, edges.tolist())]
        merged = []
        prev = 0
        for k, (a, b, kind) in enumerate(spans):
            # a span is merged when both its ends are word starts (or the end of the text)
            if not (at[2 * k] or a == len(text)) or not (at[2 * k + 1] or b == len(text)):
                continue
            i0, i1 = max(pos[2 * k], prev), max(pos[2 * k + 1], prev)
            merged.append((i0, i1, a, b, kind))
            prev = i1
        if merged:
            # words i0 … i1-1 become one word text[a:b] at i0 (its start is a: spans do not overlap)
            keep = np.ones(n, dtype=bool)
            for i0, i1, _, _, _ in merged:
                keep[i0 + 1:i1] = False
            new_index = np.cumsum(keep) - 1
            words = list(compress(words, keep.tolist()))
            for i0, _, a, b, kind in merged:
                j = int(new_index[i0])
                words[j] = text[a:b]
                special[j] = kind
            starts = starts[keep]
            starts[new_index[[m[0] for m in merged]]] = [m[2] for m in merged]
    return words, starts, special


_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[%％‰]?|[零〇一二两三四五六七八九十百千万亿]+")
_PUNCT = re.compile(r"[^\w]+")
# word → index into _KIND_NAMES (0: whitespace, never a token), shared by all reports of a process
_KIND_MEMO: dict[str, int] = {}
_KIND_NAMES = ("space", *KINDS)
_KIND_CODE = {k: i for i, k in enumerate(_KIND_NAMES)}
_KIND_ARRAY = None  # the same names as a pyarrow array (built on first use)
_STOP_ARRAYS: dict[frozenset, object] = {}


def _word_kind(word: str) -> str:
    if word.isspace():
        return "space"
    if _NUMBER.fullmatch(word):
        return "number"
    if _PUNCT.fullmatch(word):
        return "punct"
    return "word"


def _kind_codes(words: list[str]) -> np.ndarray:
    """``_KIND_NAMES`` index of each word (classifying only words this process has not seen)."""
    with contextlib.suppress(KeyError):    # most reports hold no word this process has not seen
        return np.fromiter(map(_KIND_MEMO.__getitem__, words), dtype=np.int8, count=len(words))
    new = set(words).difference(_KIND_MEMO)
    if len(_KIND_MEMO) > 2_000_000:
        _KIND_MEMO.clear()
        new = set(words)
    _KIND_MEMO.update((w, _KIND_CODE[_word_kind(w)]) for w in new)
    return np.fromiter(map(_KIND_MEMO.__getitem__, words), dtype=np.int8, count=len(words))


def _stopword_array(stopwords: frozenset[str]):
    """``stopwords`` as a pyarrow array (the last few sets are kept: one is built per call of tokenize)."""
    import pyarrow as pa

    arr = _STOP_ARRAYS.get(stopwords)
    if arr is None:
        if len(_STOP_ARRAYS) >= 4:
            _STOP_ARRAYS.clear()
        arr = _STOP_ARRAYS[stopwords] = pa.array(sorted(stopwords), type=pa.large_string())
    return arr


def _doc_arrays(text: str, sent_starts: np.ndarray, tokenizer):
    """The words of one report: ``(words, start, sent, special)`` — every word in text order (the words tile
    the text), the start offset and the sentence position (-1: before the first sentence) of each (int64
    arrays), and ``{word position: "title" | "slogan"}`` (see :func:`_segment_doc`). ``sent_starts`` are the
    report's sentence starts (int64, text order)."""
    words, start, special = _segment_doc(tokenizer, text, sent_starts)
    return words, start, np.searchsorted(sent_starts, start, "right") - 1, special


def _docs_table(docs: list[tuple[str, str, list[tuple[str, int, int, int]]]], tokenizer,
                stopwords: frozenset[str]):
    """The token table of reports ``(doc_id, text, sentences)`` as one ``pyarrow.Table`` (columns
    :data:`TOKEN_COLUMNS`, in the order of ``docs`` then text order). ``sentences`` are ``(section_id,
    sentence_id, start, end)`` in text order."""
    bounds = np.cumsum([0, *[len(x[2]) for x in docs]])
    rows = [r for x in docs for r in x[2]]
    return _tokens_arrow([d for d, _, _ in docs], [t for _, t, _ in docs], bounds, [r[0] for r in rows],
                         np.asarray([r[1] for r in rows], dtype=np.int64),
                         np.asarray([r[2] for r in rows], dtype=np.int64),
                         np.asarray([r[3] for r in rows], dtype=np.int64), tokenizer, stopwords)


def _tokens_arrow(doc_ids: list[str], texts: list[str], bounds: np.ndarray, section_ids: list[str],
                  sentence_ids: np.ndarray, sent_starts: np.ndarray, sent_ends: np.ndarray, tokenizer,
                  stopwords: frozenset[str]):
    """The token table (see :func:`_docs_table`) of reports whose sentences are rows ``bounds[i]:bounds[i+1]``
    of ``section_ids, sentence_ids, sent_starts, sent_ends`` (text order within a report).

    Everything after the segmenting is done once for all the reports: the words tile each text, so the word
    strings are slices of the texts' UTF-8 bytes (one Arrow array, no conversion of each word); each distinct
    word is classified once (:func:`_kind_codes`); whitespace and characters outside every sentence are dropped
    (there are none outside the sentences of ``structure.sentences``).
    """
    global _KIND_ARRAY
    import pyarrow as pa
    import pyarrow.compute as pc

    if _KIND_ARRAY is None:
        _KIND_ARRAY = pa.array(_KIND_NAMES, type=pa.large_string())
    words_all: list[str] = []
    start_parts, end_parts, sent_parts, counts = [], [], [], []
    special: dict[int, str] = {}
    data: list[bytes] | None = []
    byte_starts: list[np.ndarray] = []
    base = 0
    for i, text in enumerate(texts):
        lo, hi = bounds[i], bounds[i + 1]
        words, start, sent, spec = _doc_arrays(text, sent_starts[lo:hi], tokenizer)
        special.update((k + len(words_all), v) for k, v in spec.items())
        words_all.extend(words)
        start_parts.append(start)
        end_parts.append(np.append(start[1:], np.int64(len(text))) if len(start) else start)
        sent_parts.append(np.where(sent >= 0, sent + lo, -1))
        counts.append(len(words))
        if data is not None:
            try:
                raw = text.encode("utf-8")
            except UnicodeEncodeError:      # a lone surrogate: Arrow converts the words (and refuses it)
                data = None
                continue
            if len(raw) == len(text):
                byte_starts.append(start + base)
            else:
                u = np.frombuffer(raw, dtype=np.uint8)
                byte_starts.append(np.flatnonzero((u & 0xC0) != 0x80)[start] + base)
            data.append(raw)
            base += len(raw)

    def cat(parts, dtype):
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    start, end, sent = cat(start_parts, np.int64), cat(end_parts, np.int64), cat(sent_parts, np.int64)
    if data is not None:
        offsets = np.append(cat(byte_starts, np.int64), np.int64(base))
        words_arr = pa.LargeStringArray.from_buffers(len(words_all), pa.py_buffer(offsets),
                                                     pa.py_buffer(b"".join(data)))
        encoded = words_arr.dictionary_encode()
        codes = _kind_codes(encoded.dictionary.to_pylist())[encoded.indices.to_numpy()] if len(words_all) \
            else np.zeros(0, dtype=np.int8)
    else:
        words_arr = pa.array(words_all, type=pa.large_string())
        codes = _kind_codes(words_all)
    for k, kind in special.items():
        codes[k] = _KIND_CODE[kind]
    keep = (codes != 0) & (sent >= 0) & (end <= np.append(sent_ends, np.int64(0))[sent])
    idx = np.flatnonzero(keep)
    n = len(idx)
    doc_of = np.repeat(np.arange(len(counts), dtype=np.int64), np.asarray(counts, dtype=np.int64))[idx]
    kept = np.bincount(doc_of, minlength=len(counts)).astype(np.int64)
    token_id = np.arange(n, dtype=np.int64) - np.repeat(np.cumsum(kept) - kept, kept)
    sent = sent[idx]
    token = words_arr.take(pa.array(idx)) if n else pa.array([], pa.large_string())
    is_stop = pc.is_in(token, value_set=_stopword_array(stopwords)) if n and stopwords \
        else pa.array(np.zeros(n, dtype=bool))
    return pa.table({
        "doc_id": pa.array(doc_ids, type=pa.large_string()).take(pa.array(doc_of))
        if n else pa.array([], pa.large_string()),
        "section_id": pa.array(section_ids + [""], type=pa.large_string()).take(pa.array(sent)),
        "sentence_id": pa.array(np.append(sentence_ids, np.int64(0))[sent]),
        "token_id": pa.array(token_id),
        "token": token,
        "start": pa.array(start[idx]),
        "end": pa.array(end[idx]),
        "kind": _KIND_ARRAY.take(pa.array(codes[idx])),
        "is_stop": is_stop,
    })


def _doc_table(doc_id: str, text: str, sentences: list[tuple[str, int, int, int]], tokenizer,
               stopwords: frozenset[str]):
    """The token table of one report as a ``pyarrow.Table`` (columns :data:`TOKEN_COLUMNS`; see
    :func:`_docs_table`)."""
    return _docs_table([(doc_id, text, sentences)], tokenizer, stopwords)


def _corpus_sentences(docs: list[tuple[str, str]]) -> dict[str, list[tuple[str, int, int, int]]]:
    """``doc_id → [(section_id, sentence_id, start, end)]`` for ``(doc_id, text)`` pairs, in one
    ``structure.sentences`` call (its per-call overhead is large next to one report)."""
    from ..text import structure

    out: dict[str, list] = {doc_id: [] for doc_id, _ in docs}
    sents = structure.sentences(pd.DataFrame({"doc_id": [d for d, _ in docs], "text": [t for _, t in docs]}))
    for row in zip(sents["doc_id"].tolist(), sents["section_id"].tolist(), sents["sentence_id"].tolist(),
                   sents["start"].tolist(), sents["end"].tolist()):
        out[row[0]].append(row[1:])
    return out


def _sentences_text(sents: list[tuple[str, int, int, str]]) -> tuple[str, list[tuple[str, int, int, int]]]:
    """Rebuild a report text from its sentence rows ``(section_id, sentence_id, start, text)``: each sentence at
    its offset, spaces between (the characters between sentences are whitespace)."""
    parts: list[str] = []
    meta = []
    pos = 0
    for section_id, sentence_id, start, text in sorted(sents, key=lambda x: (x[2], x[1])):
        if start < pos:
            raise ValueError(f"sentences overlap at offset {start} (sentence_id {sentence_id})")
        parts.append(" " * (start - pos))
        parts.append(text)
        pos = start + len(text)
        meta.append((section_id, sentence_id, start, pos))
    return "".join(parts), meta


# Per-process state of worker processes (set by _init_worker; in the parent _run_chunk gets it passed).
_WORKER: dict = {}


def _init_worker(state: dict) -> None:
    _WORKER.update(state)


def _run_chunk(chunk, state=None) -> list:
    """Tokenize reports (``chunk`` of ``(doc_id, mode, payload, cache_key)``), write their cache files and
    return their tables. ``payload`` is the report text (mode ``corpus``) or its sentence tuples."""

    state = state or _WORKER
    texts = [(doc_id, payload) for doc_id, mode, payload, _ in chunk if mode == "corpus"]
    split = _corpus_sentences(texts) if texts else {}
    tk = get_segmenter(state["entries"], segmenter=state["segmenter"], key=state["lex_key"])
    tables = []
    for doc_id, mode, payload, key in chunk:
        if mode == "corpus":
            text, sentences = payload, split[doc_id]
        else:
            text, sentences = _sentences_text(payload)
        table = _doc_table(doc_id, text, sentences, tk, state["stopwords"])
        if state["cache_dir"] is not None:
            _write_cache(Path(state["cache_dir"]), key, table)
        tables.append(table)
    return tables


def _write_cache(folder: Path, key: str, table) -> None:
    import pyarrow.feather as feather

    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        feather.write_feather(table, tmp, compression="uncompressed")
        os.replace(tmp, folder / f"{key}.arrow")
    except OSError:  # a read-only or full cache folder only costs speed
        with contextlib.suppress(OSError):
            tmp.unlink()


def _read_cache(folder: Path, key: str):
    import pyarrow.feather as feather

    path = folder / f"{key}.arrow"
    if not path.is_file():
        return None
    try:
        return feather.read_table(path, memory_map=True, use_threads=False)
    except Exception:  # a truncated or foreign file: segment again
        return None


def clear_cache() -> int:
    """Delete the token cache (``config.cache_dir()/tokens``); return the number of files removed."""
    from ..core.config import cache_dir

    folder = cache_dir() / "tokens"
    removed = 0
    for path in folder.glob("*.arrow") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _code_version() -> str:
    """Hash of the source of this module, ``segmenters`` and ``structure`` (a change to any invalidates the
    cache)."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        from ..text import segmenters, structure

        parts = [Path(m.__file__).read_text(encoding="utf-8") for m in (sys.modules[__name__], segmenters,
                                                                         structure)]
        _CODE_VERSION = text_hash("\n".join(parts))
    return _CODE_VERSION


def _empty_tokens() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="str") for c in TOKEN_COLUMNS})
    return out.astype({"sentence_id": "int64", "token_id": "int64", "start": "int64", "end": "int64",
                       "is_stop": "bool"})


def _resolve_jobs(n_jobs: int | None, n_docs: int, chars: int) -> int:
    cpus = os.cpu_count() or 1
    if n_jobs is None:
        return min(cpus, n_docs) if n_docs >= 4 and chars >= 200_000 else 1
    if n_jobs < 0:
        n_jobs = cpus + 1 + n_jobs
    return max(1, min(int(n_jobs), n_docs))


def tokenize(corpus_or_sentences: pd.DataFrame, *, segmenter: SegmenterName = DEFAULT_SEGMENTER,
             lexicon: LexiconSpec = None, stopwords: StopwordSpec = None, n_jobs: int | None = None,
             cache: bool = True, progress: bool | None = None) -> pd.DataFrame:
    """Segment reports into tokens with the domain lexicon, marking stopwords.

    Parameters
    ----------
    corpus_or_sentences
        Either the report table (``doc_id``, ``text``; the output of ``corpus.load_corpus``), which is split
        with ``structure.sentences``, or a sentence table (``doc_id``, ``section_id``, ``sentence_id``,
        ``start``, ``text``; the output of ``structure.sentences``) whose ``text`` is the sentence and whose
        ``start`` is its offset in the report. A table with a ``sentence_id`` column is taken as sentences.
        Both give the same tokens. Metadata columns (year, region …) are not copied: join them on ``doc_id``
        (the functions of :mod:`lawgov_analysis.analysis.keywords` take the corpus for that).
    segmenter
        ``"rjieba"`` (default): jieba-rs, many times faster, its tokens made to agree with jieba's (see
        :mod:`lawgov_analysis.text.segmenters`); ``"jieba"``: jieba itself, to reproduce earlier results
        exactly. Record :func:`segmenter_version` with stored tokens.
    lexicon
        None: the bundled lexicon. A path, an iterable of terms and/or ``Path`` files, or both: these are
        added to the bundled lexicon (see :func:`load_lexicon`). ``"none"``: the segmenter's own dictionary.
    stopwords
        None/``"default"`` (general + boilerplate), ``"general"``, ``"boilerplate"``, ``"none"``, a path or an
        iterable of words (see :func:`load_stopwords`). Stopwords are marked, never removed.
    n_jobs
        Processes for segmenting. None: one per core when at least 4 reports totalling 200,000 characters
        need segmenting, else 1. -1: all cores.
    cache
        Read and write the on-disk cache (``config.cache_dir()/tokens``, or ``$LAWGOV_CACHE_DIR/tokens``).
    progress
        Show a tqdm progress bar over reports (None: only on a terminal and for more than one report).

    Returns
    -------
    pandas.DataFrame
        One row per token, sorted by ``doc_id``, ``token_id``:

        - ``doc_id`` (str), ``section_id`` (str, innermost section of the token's sentence),
          ``sentence_id`` (int), ``token_id`` (int, 0.. in text order within a report);
        - ``token`` (str) ``== report_text[start:end]``; ``start``/``end`` (int, half-open offsets into the
          report text);
        - ``kind``: ``word``; ``title`` (the whole name inside 《…》, brackets are punct tokens);
          ``slogan`` (a quoted phrase of 2–10 Han/ASCII characters inside “…”, ‘…’, 「…」 or 『…』, split at
          、，; — “一次不跑、只跑一次” gives 一次不跑 and 只跑一次); ``number`` (Arabic digits with optional
          decimals and %, or Chinese numerals); ``punct`` (no letter or digit);
        - ``is_stop`` (bool): the token is in the stopword set.

        Whitespace is never a token; every other character of a sentence is in exactly one token.
        Example row: ``changjiang-2021, 一(二)2, 23, 577, 放管服, 1221, 1224, slogan, False``.
    """
    import pyarrow as pa

    from ..core.config import cache_dir

    df = corpus_or_sentences
    if not isinstance(df, pd.DataFrame):  # a path or a list of texts: say how to get a corpus table
        check_columns(df, ["doc_id", "text"], what="corpus")
    mode = "sentences" if "sentence_id" in df.columns else "corpus"
    if mode == "sentences":
        check_columns(df, ["doc_id", "section_id", "sentence_id", "start", "text"], what="sentences")
    else:
        check_columns(df, ["doc_id", "text"], what="corpus")
    check_option("segmenter", segmenter, SEGMENTERS)
    entries = lexicon_entries(lexicon)
    lex_key = _lexicon_key(entries)
    stopset = load_stopwords(stopwords)
    config_key = text_hash("|".join([_CACHE_FORMAT, _code_version(), segmenter_version(segmenter), lex_key,
                                     text_hash("\n".join(sorted(stopset))), mode]))
    folder = cache_dir() / "tokens" if cache else None

    jobs = []
    if mode == "corpus":
        for doc_id, text in zip(df["doc_id"], df["text"]):
            text = "" if pd.isna(text) else str(text)
            jobs.append((str(doc_id), mode, text, text_hash(f"{config_key}|{doc_id}|{text_hash(text)}"), len(text)))
    else:
        ordered = df.sort_values(["doc_id", "sentence_id"], kind="stable")
        for doc_id, g in ordered.groupby("doc_id", sort=True):
            sents = list(zip(g["section_id"].astype(str).tolist(), g["sentence_id"].astype("int64").tolist(),
                             g["start"].astype("int64").tolist(), g["text"].astype(str).tolist()))
            digest = text_hash(repr(sents))
            jobs.append((str(doc_id), mode, sents, text_hash(f"{config_key}|{doc_id}|{digest}"),
                         sum(len(s[3]) for s in sents)))
    unique_jobs = sorted(jobs, key=lambda j: j[0])
    dupes = sorted({a[0] for a, b in zip(unique_jobs, unique_jobs[1:]) if a[0] == b[0]})
    if dupes:
        raise ValueError(f"doc_id must be unique, got duplicates: {', '.join(dupes[:5])}")

    tables: dict[str, object] = {}
    missing = []
    for job in unique_jobs:
        table = _read_cache(folder, job[3]) if folder is not None else None
        if table is None:
            missing.append(job)
        else:
            tables[job[0]] = table

    if missing:
        state = dict(entries=entries, lex_key=lex_key, segmenter=segmenter, stopwords=stopset,
                     cache_dir=None if folder is None else str(folder))
        # build it (and jieba's log-probabilities, computed on the first cut) once here: forked workers inherit it
        get_segmenter(entries, segmenter=segmenter, key=lex_key).lcut("法治政府")
        workers = _resolve_jobs(n_jobs, len(missing), sum(j[4] for j in missing))
        from tqdm.auto import tqdm

        if progress is None:
            import sys

            progress = len(missing) > 1 and sys.stderr.isatty()
        bar = tqdm(total=len(missing), desc="tokenize", unit="report", leave=False, disable=not progress)
        # structure.sentences costs ~30 ms per call besides its work: few calls in one process, enough chunks
        # to balance several
        size = 128 if workers == 1 else max(1, min(64, -(-len(missing) // (4 * workers))))
        chunks = [[j[:4] for j in missing[i:i + size]] for i in range(0, len(missing), size)]
        try:
            if workers == 1:
                results = (_run_chunk(chunk, state) for chunk in chunks)
                for chunk, result in zip(chunks, results):
                    tables.update({job[0]: t for job, t in zip(chunk, result)})
                    bar.update(len(chunk))
            else:
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(state,)) as pool:
                    for chunk, result in zip(chunks, pool.map(_run_chunk, chunks)):
                        tables.update({job[0]: t for job, t in zip(chunk, result)})
                        bar.update(len(chunk))
        finally:
            bar.close()

    if not tables or all(t.num_rows == 0 for t in tables.values()):
        return _empty_tokens()
    combined = pa.concat_tables([tables[d] for d in sorted(tables)])
    return combined.to_pandas().reset_index(drop=True)


# ------------------------------------------------------------------------------------- for the store's stages
def token_table(corpus: pd.DataFrame, sentences: pd.DataFrame, *, lexicon: dict[str, int | None],
                lexicon_key: str | None = None, stopwords: frozenset[str] = frozenset(),
                segmenter: SegmenterName = DEFAULT_SEGMENTER):
    """Tokens of every report of ``corpus``, assigned to its ``sentences`` rows, as a ``pyarrow.Table``.

    The uncached core of :func:`tokenize` for a store build: ``lexicon`` is already resolved
    (:func:`lexicon_entries`), no disk cache is read or written and nothing runs in other processes.

    Returns
    -------
    pyarrow.Table
        Columns :data:`TOKEN_COLUMNS`, one row per token, in ``doc_id`` then text order.
    """
    import pyarrow as pa

    check_segmenter(segmenter)
    seg = get_segmenter(lexicon, segmenter=segmenter, key=lexicon_key)
    if not len(corpus):
        return pa.Table.from_pandas(_empty_tokens(), preserve_index=False)
    doc_ids = corpus["doc_id"].astype(str).tolist()
    texts = ["" if pd.isna(t) else str(t) for t in corpus["text"]]
    # each report's sentences, in the order of the corpus rows (then the sentence rows' order)
    pos = {d: i for i, d in enumerate(doc_ids)}
    if len(pos) < len(doc_ids):     # a doc_id twice: each of its rows gets its sentences
        by_doc: dict[str, list] = {}
        for row in zip(sentences["doc_id"].astype(str).tolist(), sentences["section_id"].tolist(),
                       sentences["sentence_id"].tolist(), sentences["start"].tolist(), sentences["end"].tolist()):
            by_doc.setdefault(row[0], []).append(row[1:])
        return _docs_table([(d, t, by_doc.get(d, [])) for d, t in zip(doc_ids, texts)], seg, stopwords)
    sent_doc = np.fromiter((pos.get(d, -1) for d in sentences["doc_id"].astype(str).tolist()), dtype=np.int64,
                           count=len(sentences))
    order = np.argsort(sent_doc, kind="stable")
    order = order[sent_doc[order] >= 0]
    bounds = np.searchsorted(sent_doc[order], np.arange(len(doc_ids) + 1), "left")
    section_ids = np.asarray(sentences["section_id"].astype(str).to_numpy(dtype=object))[order].tolist()
    return _tokens_arrow(doc_ids, texts, bounds, section_ids,
                         sentences["sentence_id"].to_numpy(dtype=np.int64)[order],
                         sentences["start"].to_numpy(dtype=np.int64)[order],
                         sentences["end"].to_numpy(dtype=np.int64)[order], seg, stopwords)


# the lexicon audit reads tokenize (and is re-exported here, where it was first defined)
from .lexicon_audit import lexicon_audit, lexicon_problems  # noqa: E402
