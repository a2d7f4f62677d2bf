"""Text reuse between reports: which passages a report repeats from earlier reports, and from whom.

Governments reuse text: a county repeats its prefecture's report, a district its own last year's, a
department a template. :func:`find_reuse` finds near-duplicate sentences between reports and joins runs of them
into passages (both spans kept as character offsets, so every pair can be read in the two reports);
:func:`reuse_shares` turns the passages into one row per report: the share of its characters reused from
(a) its own earlier reports, (b) another government's earlier report, (c) a report of a higher level, each with
its main source named.

Method
------
1. Units are the sentences of :func:`lawgov_analysis.text.structure.sentences` with at least ``min_chars``
   characters after normalisation (NFKC, whitespace removed, every number replaced by ``0`` unless
   ``mask_numbers=False``: a sentence copied with this year's figures is still a copied sentence), and a
   report's words for itself (我市, 全县, 本区 …) made one placeholder (a county copying its city's sentence
   writes 我县 for 我市).
2. Each distinct normalised sentence is a set of character ``shingle``-grams. Its MinHash signature is
   computed with `datasketch <https://ekzhu.com/datasketch/>`_ (``MinHash.generator``), and the LSH banding
   (``b`` bands of ``r`` rows) is the one ``datasketch.MinHashLSH`` chooses for the threshold, so the
   probabilistic part is a maintained, documented implementation rather than hand-written code. datasketch is
   pure Python on numpy (no compiled extension, no service), which is why it was chosen over e.g. a
   Spark/Redis-backed index or ``text-dedup``.
3. Candidates: sentences sharing a band bucket are linked (each to its bucket predecessor and to the bucket's
   first member, never all pairs) when their signatures agree on at least ``min_similarity - 0.1`` of the
   permutations; the connected groups are near-duplicate families. Within a family, each sentence is offered
   at most one candidate source per relation (the latest earlier report of its own government, the latest
   earlier report of two other governments, the latest same-or-earlier report of each higher level, the first
   two reports of its own year), the source report represented by its first sentence of the family. These
   are looked up by binary search in a few sorted integer arrays built once for the corpus
   (:class:`~lawgov_analysis.analysis.reuse_match.CandidateIndex`; the rows sorted as-of joins find, ties to
   the largest ``doc_id``). Work and memory therefore grow linearly with the corpus even when a template
   sentence occurs in thousands of reports.
4. Verification: every candidate pair gets its exact similarity, the Jaccard index of the two sentences'
   shingle sets (64-bit shingle hashes); pairs below ``min_similarity`` are dropped. The best source per
   sentence and relation is kept (most similar; ties: the source document that covers most of the report's
   reused sentences, then the latest, then ``doc_id``), and consecutive sentences reused from one source
   document in the same order are joined into one passage (gaps up to ``max_gap`` characters, so a short
   sentence left out by ``min_chars`` does not split a copied paragraph).

Scale: every step after the families (candidates, verification, the best source, passages) concerns one
target report at a time, so it runs for blocks of about ``block_units`` sentences of whole reports, one block
after another, and the blocks' tables are concatenated: the same table as in one block, in bounded memory. Per
sentence only integers are kept (report code, offsets, text id; :mod:`~lawgov_analysis.analysis.reuse_units`);
text, shingles and signatures only per *distinct* normalised sentence. The sentence table can be given in
parts (the build's ``reuse`` stage reads the store one partition at a time), each normalised by Arrow. At
100,000 generated reports (10.7 million sentences, 7.4 million compared, 4.9 million passages) the build's
stage peaks at 1.9 GB (100 s on 2 shared cores), where holding every sentence and candidate pair at once did
not fit in 19.7 GB.

Direction: the source is the earlier report (``year``); in the same year a report of a higher level is the
source of a lower one. "Higher level" and "same government" are the package's one definition:
:func:`lawgov_analysis.core.levels.is_higher_level` (省 above 市 above 区 and 县, which are not above each other,
above 乡镇 and 街道; a 部门 is above nothing) and :func:`lawgov_analysis.core.government.government_key`
(region code or names, level and department); a report without a known region is its own government. Reports
of the same year of which neither is above the other that share passages are ``peer`` pairs: listed in both
directions, counted apart. Reports without a year are never a source or a target of a directed pair (only
``peer`` with other reports without a year).

>>> from lawgov_analysis.io.corpus import load_corpus                     # doctest: +SKIP
>>> pairs = find_reuse(load_corpus("data/reports"))                       # doctest: +SKIP
>>> shares = reuse_shares(pairs, corpus)                                  # doctest: +SKIP
"""


from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from typing import Literal

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.validate import check_columns, check_option
from .reuse_match import (
    RELATION_NAMES,
    CandidateIndex,
    families,
    jaccard,
    minhash_signatures,
    relation_codes,
    shingle_hashes,
    signatures,
)
from .reuse_units import Units, collect_units, report_meta

log = logging.getLogger(__name__)

__all__ = ["PAIR_COLUMNS", "SHARE_COLUMNS", "RELATIONS", "BLOCK_UNITS", "find_reuse", "reuse_shares",
           "shingle_hashes", "minhash_signatures"]

#: Columns of :func:`find_reuse`.
PAIR_COLUMNS = ["doc_id", "start", "end", "source_doc_id", "source_start", "source_end", "similarity",
                "relation", "chars", "sentences", "year", "source_year", "level", "source_level"]
#: Columns of :func:`reuse_shares`.
SHARE_COLUMNS = ["doc_id", "chars", "reused_share", "main_source", "main_source_share", "own_share",
                 "own_source", "other_share", "other_source", "higher_share", "higher_source", "peer_share",
                 "peer_source"]
#: Values of ``relation``: ``own`` (same government, earlier year), ``higher`` (a higher level, same or earlier
#: year), ``other`` (another government not of a higher level, earlier year), ``peer`` (another report of the
#: same year of which neither is of a higher level, or both without a year: no direction).
RELATIONS = ("own", "higher", "other", "peer")
#: Target sentences per block of :func:`find_reuse` (whole reports per block): candidates, verification and
#: passages are computed for one block of reports at a time.
BLOCK_UNITS = 250_000
#: Rows of an in-memory sentence table normalised at a time.
_PART_ROWS = 200_000


# ------------------------------------------------------------------------------------------------ public
def find_reuse(
    sentences_or_corpus: pd.DataFrame | Iterable[pd.DataFrame],
    corpus: pd.DataFrame | None = None,
    *,
    min_similarity: float = 0.8,
    min_chars: int = 20,
    shingle: int = 4,
    num_perm: int = 64,
    mask_numbers: bool = True,
    max_gap: int = 40,
    relations: tuple[str, ...] = RELATIONS,
    seed: int = DEFAULT_SEED,
    block_units: int = BLOCK_UNITS,
    progress: bool | None = False,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Passages of each report that repeat (near-verbatim) a passage of an earlier report.

    Parameters
    ----------
    sentences_or_corpus : DataFrame, iterable of DataFrames or Units
        The sentence table (``doc_id, sentence_id, start, end, text``, as in the store), the report table of
        ``load_corpus`` (``doc_id, text``; its sentences are computed), or the sentence table in parts
        (``doc_id, start, end, text``; e.g. one store partition at a time, as the build's ``reuse`` stage reads
        it: only integers per sentence and each distinct normalised text are kept, never the whole table). All
        sentences of a report must be in one part; the result does not depend on how the table is cut. Or the
        :class:`~lawgov_analysis.analysis.reuse_units.Units` already collected from such parts (with the same
        ``min_chars`` and ``mask_numbers``).
    corpus : DataFrame, optional
        The report table with the metadata (``doc_id``, ``year``, ``level``, ``region_code``/``region``,
        ``department`` …). Defaults to ``sentences_or_corpus`` when that is the report table; without it every
        report has an unknown year and government, and only ``peer`` pairs can be found.
    min_similarity : float
        Smallest Jaccard index of two sentences' character-shingle sets for them to count as the same text.
    min_chars : int
        Sentences shorter than this (after normalisation) are not compared (headings, "现将有关情况报告如下").
    shingle : int
        Characters per shingle.
    num_perm : int
        MinHash permutations (signature length).
    mask_numbers : bool
        Replace every number by ``0`` before comparing (a template filled with new figures is reuse).
    max_gap : int
        Largest gap (characters, in both reports) between two reused sentences joined into one passage.
    relations : tuple of str
        Which relations to report (a subset of :data:`RELATIONS`).
    seed : int
        Seed of the MinHash permutations.
    block_units : int
        Target sentences per block of reports: candidates, verification and passages are computed one block at
        a time, which bounds memory; the result is the same for any block size.
    progress : bool or None
        A progress bar over the blocks (``None``: only on a terminal).
    n_jobs : int
        Processes that verify the blocks side by side (forked from this one, which keeps the units and the
        index once; where processes cannot be forked, the blocks run here). The blocks are then cut to about
        a quarter of the units per process, at most ``block_units``; the result is the same for any value.

    Returns
    -------
    pandas.DataFrame
        One row per reused passage and source: a run of consecutive sentences of report ``doc_id`` whose
        near-duplicates are, in the same order, in report ``source_doc_id``. Sorted by ``doc_id, start,
        relation, source_doc_id``. A passage found in several earlier reports has one row per relation, with
        the best source of each relation.

        ``doc_id``, ``start``, ``end`` (character offsets of the passage in the report's text); ``source_doc_id``,
        ``source_start``, ``source_end`` (offsets of the passage it repeats in the source's text);
        ``similarity`` (exact Jaccard index of the sentences' shingle sets, averaged over the passage weighted by
        length, 0–1); ``relation`` (one of :data:`RELATIONS`); ``chars`` (``end - start``); ``sentences``
        (sentences in the passage); ``year``, ``source_year`` (``Int64``); ``level``, ``source_level``.

        ============  =====  ====  =============  ============  ==========  ==========  ========  ...
        doc_id        start  end   source_doc_id  source_start  source_end  similarity  relation
        ============  =====  ====  =============  ============  ==========  ==========  ========  ...
        fuliang-2022  412    655   jdz-2021       1030          1270        0.97        higher
        ============  =====  ====  =============  ============  ==========  ==========  ========  ...
    """
    if not 0 < min_similarity <= 1:
        raise ValueError(f"min_similarity must be in (0, 1], got {min_similarity!r}")
    if min_chars < shingle or shingle < 1:
        raise ValueError(f"min_chars must be at least shingle (≥ 1), got min_chars={min_chars}, shingle={shingle}")
    for rel in relations:
        check_option("relations", rel, RELATIONS)
    if block_units < 1:
        raise ValueError(f"block_units must be at least 1, got {block_units!r}")
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be at least 1, got {n_jobs!r}")
    if isinstance(sentences_or_corpus, Units):      # already collected (with these min_chars, mask_numbers)
        units = sentences_or_corpus
    else:
        parts, corpus = _parts(sentences_or_corpus, corpus)
        units = collect_units(parts, min_chars=min_chars, mask_numbers=mask_numbers)
    if corpus is None:
        log.warning("find_reuse without a corpus table: years and governments unknown, only peer pairs")
        corpus = pd.DataFrame({"doc_id": list(units.docs)})
    meta = report_meta(corpus, units.docs)
    log.info("reuse: %d sentences of %d reports compared (%d shorter than %d characters left out)",
             len(units.doc), len(np.unique(units.doc)), units.short, min_chars)
    if not len(units.doc):
        return _empty_pairs()
    sig = signatures(units.texts, k=shingle, num_perm=num_perm, seed=seed)
    fam = families(sig, threshold=max(0.3, min_similarity - 0.15), link=max(0.0, min_similarity - 0.1))
    del sig
    md = meta.set_index("doc_id").reindex(units.docs)
    year, lev, gov = (md[c].to_numpy().astype(np.int64) for c in ("year", "lev", "gov"))
    index = CandidateIndex(units.doc, fam[units.text], year, lev, gov)
    wanted = np.isin(RELATION_NAMES, list(relations))
    from tqdm.auto import tqdm

    jobs = n_jobs if n_jobs > 1 and "fork" in mp.get_all_start_methods() else 1
    if jobs > 1:
        block_units = max(1, min(block_units, -(-len(units.doc) // (4 * jobs))))
    bounds = _blocks(units.doc, block_units)
    spans = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    bar = tqdm(total=len(spans), desc="reuse", unit="block",
               disable=(not progress) if progress is not None else None)
    _BLOCK_STATE.update(units=units, index=index, meta=meta, year=year, lev=lev, gov=gov, wanted=wanted,
                        shingle=shingle, min_similarity=min_similarity, max_gap=max_gap)
    try:
        if jobs > 1 and len(spans) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(jobs, len(spans)), mp_context=mp.get_context("fork")) as pool:
                results = []
                for result in pool.map(_block, spans):
                    results.append(result)
                    bar.update(1)
        else:
            results = []
            for span in spans:
                results.append(_block(span))
                bar.update(1)
    finally:
        bar.close()
        _BLOCK_STATE.clear()
    found = [table for table, _ in results if table is not None]
    log.info("reuse: %d candidate pairs verified at Jaccard ≥ %.2f", sum(n for _, n in results), min_similarity)
    if not found:
        return _empty_pairs()
    return pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]


#: What :func:`_block` reads: set by :func:`find_reuse` before its blocks run (inherited by forked processes).
_BLOCK_STATE: dict = {}


def _block(span: tuple[int, int]) -> tuple[pd.DataFrame | None, int]:
    """The passages of the target units ``span`` (one block of whole reports) and the pairs verified."""
    st = _BLOCK_STATE
    units, year, lev, gov = st["units"], st["year"], st["lev"], st["gov"]
    u, s = st["index"].candidates(*span)
    doc, s_doc = units.doc[u], units.doc[s]
    other = doc != s_doc
    u, s, doc, s_doc = u[other], s[other], doc[other], s_doc[other]
    rel = relation_codes(year[doc], year[s_doc], lev[doc], lev[s_doc], gov[doc] == gov[s_doc])
    keep = rel >= 0
    keep[keep] = st["wanted"][rel[keep]]
    u, s, doc, s_doc, rel = u[keep], s[keep], doc[keep], s_doc[keep], rel[keep]
    similarity = jaccard(units.text[u], units.text[s], units.texts, k=st["shingle"])
    keep = similarity >= st["min_similarity"] - 1e-12
    if not keep.any():
        return None, 0
    pairs = {"unit": u[keep], "src": s[keep], "doc": doc[keep], "s_doc": s_doc[keep],
             "s_year": year[s_doc[keep]], "similarity": similarity[keep], "relation": rel[keep]}
    return _passages(pairs, units, st["meta"], st["max_gap"]), int(keep.sum())


def _blocks(doc: np.ndarray, block_units: int) -> np.ndarray:
    """Unit positions where blocks start, and the end: whole reports, a block ends at the first report that
    starts ``block_units`` or more units after the block's start."""
    starts = np.concatenate([[0], np.nonzero(doc[1:] != doc[:-1])[0] + 1])   # each report's first unit
    cuts = [0]
    while True:
        i = np.searchsorted(starts, cuts[-1] + block_units, side="left")
        if i >= len(starts):
            break
        cuts.append(int(starts[i]))
    return np.array([*cuts, len(doc)])


def _parts(data, corpus: pd.DataFrame | None) -> tuple[Iterable[pd.DataFrame], pd.DataFrame | None]:
    """The sentence table as parts, and the report table (``None``: unknown)."""
    if not isinstance(data, pd.DataFrame):
        if isinstance(data, (str, bytes, os.PathLike)) or not isinstance(data, Iterable):
            check_columns(data, ["doc_id"], what="corpus")          # raises: not a table
        if corpus is not None:
            check_columns(corpus, ["doc_id"], what="corpus")
        return data, corpus
    if "sentence_id" in data.columns:
        check_columns(data, ["doc_id", "start", "end", "text"], what="sentences")
        sents = data
    else:
        check_columns(data, ["doc_id", "text"], what="corpus")
        from ..text.structure import sentences

        sents = sentences(data)
        corpus = data if corpus is None else corpus
    if corpus is not None:
        check_columns(corpus, ["doc_id"], what="corpus")
    return _slices(sents), corpus


def _slices(sents: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """A sentence table in slices of whole reports (sorted by ``doc_id``, stable)."""
    sents = sents[["doc_id", "start", "end", "text"]]
    doc = sents["doc_id"].astype(str)
    order = np.argsort(doc.to_numpy(dtype=object), kind="stable")
    sents, doc = sents.iloc[order], doc.iloc[order].to_numpy(dtype=object)
    lo = 0
    while lo < len(sents):
        hi = min(lo + _PART_ROWS, len(sents))
        while hi < len(sents) and doc[hi] == doc[hi - 1]:
            hi += 1
        yield sents.iloc[lo:hi]
        lo = hi


def _passages(pairs: dict[str, np.ndarray], units: Units, meta: pd.DataFrame, max_gap: int) -> pd.DataFrame:
    """Best source per sentence and relation, then runs of sentences from one source joined into passages.

    ``pairs``: arrays ``unit, src, doc, s_doc, s_year, similarity, relation`` (codes of
    :data:`~lawgov_analysis.analysis.reuse_match.RELATION_NAMES`, which order as the names; report codes order
    as ``doc_id``), every pair of the reports whose passages are wanted. Every sort is stable.
    """
    unit, src, doc, s_doc, rel = (pairs[c] for c in ("unit", "src", "doc", "s_doc", "relation"))
    # cover: distinct sentences of the report each (relation, source report) verifies
    o = np.lexsort((unit, s_doc, rel, doc))
    new_group = np.concatenate([[True], (doc[o][1:] != doc[o][:-1]) | (rel[o][1:] != rel[o][:-1])
                                | (s_doc[o][1:] != s_doc[o][:-1])])
    new_unit = new_group | np.concatenate([[True], unit[o][1:] != unit[o][:-1]])
    group = np.cumsum(new_group) - 1
    cover = np.empty(len(o), dtype=np.int64)
    cover[o] = np.bincount(group, weights=new_unit, minlength=group[-1] + 1).astype(np.int64)[group]
    order = np.lexsort((s_doc, -pairs["s_year"], -cover, -pairs["similarity"], rel, unit))
    u, r = unit[order], rel[order]
    first = order[np.concatenate([[True], (u[1:] != u[:-1]) | (r[1:] != r[:-1])])]   # best per (unit, relation)
    b_unit, b_src, b_doc, b_sdoc, b_rel = unit[first], src[first], doc[first], s_doc[first], rel[first]
    b_sim = pairs["similarity"][first]
    start, end, s_start, s_end = units.start[b_unit], units.end[b_unit], units.start[b_src], units.end[b_src]
    o = np.lexsort((start, b_sdoc, b_rel, b_doc))
    b_doc, b_rel, b_sdoc, b_sim = b_doc[o], b_rel[o], b_sdoc[o], b_sim[o]
    start, end, s_start, s_end = start[o], end[o], s_start[o], s_end[o]
    same = (b_doc[1:] == b_doc[:-1]) & (b_rel[1:] == b_rel[:-1]) & (b_sdoc[1:] == b_sdoc[:-1])
    gap = start[1:] - end[:-1]
    s_gap = s_start[1:] - s_end[:-1]
    joined = same & (gap <= max_gap) & (s_gap >= 0) & (s_gap <= max_gap)
    passage = np.concatenate([[0], np.cumsum(~joined)])
    heads = np.concatenate([[0], np.nonzero(~joined)[0] + 1])             # first row of each passage
    length = end - start
    # the weighted sum as pandas sums it (compensated), so the rounded similarity is the one it always was
    weight = pd.Series(length * b_sim).groupby(passage, sort=False).sum().to_numpy()
    lens = np.add.reduceat(length.astype(np.int64), heads)
    d = np.asarray(units.docs, dtype=object)
    md = meta.set_index("doc_id")
    p_doc, p_rel, p_sdoc = b_doc[heads], b_rel[heads], b_sdoc[heads]
    out = pd.DataFrame({
        "doc_id": d[p_doc], "start": np.minimum.reduceat(start, heads), "end": np.maximum.reduceat(end, heads),
        "source_doc_id": d[p_sdoc], "source_start": np.minimum.reduceat(s_start, heads),
        "source_end": np.maximum.reduceat(s_end, heads),
        "similarity": np.round(weight / lens, 4),
        "relation": pd.Series(RELATION_NAMES[p_rel]).to_numpy()})
    out["chars"] = out["end"] - out["start"]
    out["sentences"] = np.diff(np.append(heads, len(start)))
    for col, key in (("year", "doc_id"), ("source_year", "source_doc_id")):
        out[col] = pd.array(md["year"].reindex(out[key]).to_numpy(), dtype="Int64")
        out.loc[out[col] < 0, col] = pd.NA
    out["level"] = md["level"].reindex(out["doc_id"]).to_numpy()
    out["source_level"] = md["level"].reindex(out["source_doc_id"]).to_numpy()
    # by doc_id, start, relation, source_doc_id (the codes order as the strings do)
    order = np.lexsort((p_sdoc, p_rel, out["start"].to_numpy(), p_doc))
    return out.iloc[order].reset_index(drop=True)[PAIR_COLUMNS]


def _empty_pairs() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="int64") for c in ("start", "end", "source_start", "source_end",
                                                                "chars", "sentences")})
    for c in ("doc_id", "source_doc_id", "relation", "level", "source_level"):
        out[c] = pd.Series(dtype="object")
    out["similarity"] = pd.Series(dtype="float64")
    out["year"] = pd.Series(dtype="Int64")
    out["source_year"] = pd.Series(dtype="Int64")
    return out[PAIR_COLUMNS]


def _union_chars(spans: pd.DataFrame) -> pd.Series:
    """Characters covered by the union of each report's ``[start, end)`` spans."""
    if spans.empty:
        return pd.Series(dtype="int64")
    s = spans.sort_values(["doc_id", "start"], kind="stable")
    reach = s.groupby("doc_id", sort=False)["end"].cummax()
    prev = reach.groupby(s["doc_id"], sort=False).shift().fillna(-1).to_numpy()
    start = np.maximum(s["start"].to_numpy(), prev)
    return pd.Series(np.maximum(s["end"].to_numpy() - start, 0), index=s.index).groupby(s["doc_id"]).sum()


def reuse_shares(pairs: pd.DataFrame, corpus: pd.DataFrame, *,
                 basis: Literal["chars", "text"] = "chars") -> pd.DataFrame:
    """Share of each report's characters reused, by where they come from.

    Parameters
    ----------
    pairs : DataFrame
        The table of :func:`find_reuse`.
    corpus : DataFrame
        The report table (``doc_id`` and ``chars`` or ``text``): every report gets a row, also those that reuse
        nothing.
    basis : {"chars", "text"}
        The denominator: the ``chars`` column (the report's length as loaded) or ``len(text)``.

    Returns
    -------
    pandas.DataFrame
        One row per report, sorted by ``doc_id``:

        ``doc_id``; ``chars`` (the denominator); ``reused_share`` (share of characters in a passage reused from
        an earlier or higher report: relations own, other, higher; 0–1); ``main_source`` (the report that
        contributes most of those characters; empty when none) and ``main_source_share``; ``own_share`` /
        ``own_source`` (a) from the same government's earlier reports; ``other_share`` / ``other_source`` (b)
        from another government's earlier report (of any level); ``higher_share`` / ``higher_source`` (c) from a
        report of a higher level, same year or earlier; ``peer_share`` / ``peer_source`` passages shared with a
        report of the same year and level (no direction). The shares overlap (a passage may be in the
        prefecture's report and in the county's own last report); each is a union of character spans.
    """
    check_option("basis", basis, ("chars", "text"))
    check_columns(pairs, ["doc_id", "start", "end", "source_doc_id", "relation", "year", "source_year"],
                  what="pairs")
    check_columns(corpus, ["doc_id", basis], what="corpus")
    docs = corpus["doc_id"].astype(str)
    length = corpus[basis].str.len() if basis == "text" else pd.to_numeric(corpus["chars"], errors="coerce")
    out = pd.DataFrame({"doc_id": docs.to_numpy(), "chars": length.fillna(0).astype(int).to_numpy()})
    out = out.drop_duplicates("doc_id").sort_values("doc_id").reset_index(drop=True)
    p = pairs.assign(doc_id=pairs["doc_id"].astype(str), source_doc_id=pairs["source_doc_id"].astype(str))
    earlier = (p["source_year"] < p["year"]).fillna(False).astype(bool)
    groups = {"reused": p["relation"].isin(["own", "other", "higher"]), "own": p["relation"] == "own",
              "other": p["relation"].isin(["other", "higher"]) & earlier,
              "higher": p["relation"] == "higher", "peer": p["relation"] == "peer"}
    denom = out.set_index("doc_id")["chars"].clip(lower=1)
    for name, mask in groups.items():
        sub = p[mask]
        share = (_union_chars(sub) / denom).reindex(out["doc_id"]).fillna(0.0).clip(upper=1.0)
        per_source = sub.assign(n=sub["end"] - sub["start"]).groupby(["doc_id", "source_doc_id"])["n"].sum()
        top = (per_source.reset_index().sort_values(["doc_id", "n", "source_doc_id"],
                                                   ascending=[True, False, True])
               .drop_duplicates("doc_id").set_index("doc_id"))
        col = "main_source" if name == "reused" else f"{name}_source"
        out[f"{name}_share"] = np.round(share.to_numpy(), 4)
        out[col] = top["source_doc_id"].reindex(out["doc_id"]).fillna("").to_numpy()
        if name == "reused":
            capped = (top["n"] / denom.reindex(top.index)).clip(upper=1.0)
            out["main_source_share"] = np.round(capped.reindex(out["doc_id"]).fillna(0.0).to_numpy(), 4)
    return out[SHARE_COLUMNS]
