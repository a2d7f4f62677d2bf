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
   earlier report of two other governments, the latest same-or-earlier report of each higher level, a
   same-year report of its level), found with sorted as-of joins. Work and memory therefore grow linearly
   with the corpus even when a template sentence occurs in thousands of reports.
4. Verification: every candidate pair gets its exact similarity, the Jaccard index of the two sentences'
   shingle sets (64-bit shingle hashes); pairs below ``min_similarity`` are dropped. The best source per
   sentence and relation is kept (most similar; ties: the source document that covers most of the report's
   reused sentences, then the latest, then ``doc_id``), and consecutive sentences reused from one source
   document in the same order are joined into one passage (gaps up to ``max_gap`` characters, so a short
   sentence left out by ``min_chars`` does not split a copied paragraph).

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

import functools
import logging
import re
from typing import Literal

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.government import government_key
from ..core.levels import LEVELS, is_higher_level, normalize_level
from ..core.validate import check_columns, check_option

log = logging.getLogger(__name__)

__all__ = ["PAIR_COLUMNS", "SHARE_COLUMNS", "RELATIONS", "find_reuse", "reuse_shares",
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

_MASK = r"\d+(?:\.\d+)?"
#: A report's words for itself (我市, 全县, 本区 …): the level character becomes one placeholder.
_SELF = r"(?<=[我全本])[省市区县镇乡旗局委]"
_P = np.uint64(0x100000001B3)


# ------------------------------------------------------------------------------------------------ levels
#: Codes of the levels (index in ``LEVELS``; ``len(LEVELS)`` unknown) and which code is above which.
_UNKNOWN_LEVEL = len(LEVELS)
_ABOVE = np.array([[is_higher_level(a, b) for b in (*LEVELS, "")] for a in (*LEVELS, "")], dtype=bool)


def _level_codes(values) -> np.ndarray:
    return np.array([LEVELS.index(v) if v else _UNKNOWN_LEVEL for v in map(normalize_level, values)], dtype=int)


# ------------------------------------------------------------------------------------------------ hashing
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


def _normalise(text: pd.Series, mask_numbers: bool) -> pd.Series:
    """NFKC, whitespace removed, a report's words for itself (我市 …) one placeholder, numbers ``0``.

    The same as ``str.normalize("NFKC")`` then ``re.sub`` with ``\\s+``, :data:`_SELF` and :data:`_MASK`, run by
    Arrow (RE2) over the whole column: the Unicode classes of Python's ``\\s`` and ``\\d`` spelled out, and
    the look-behind of :data:`_SELF` as a kept group (the characters before and after are disjoint sets).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.astype("string").fillna("").array)
    arr = pc.utf8_normalize(arr, form="NFKC")
    arr = pc.replace_substring_regex(arr, _re2_class(r"\s") + "+", "")
    arr = pc.replace_substring_regex(arr, "([我全本])([省市区县镇乡旗局委])", "\\1□")
    if mask_numbers:
        digit = _re2_class(r"\d")
        arr = pc.replace_substring_regex(arr, f"{digit}+(?:\\.{digit}+)?", "0")
    return pd.Series(pd.array(arr, dtype="string"), index=text.index, name=text.name)


def shingle_hashes(texts: list[str], *, k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the character ``k``-grams of each text, computed over the whole list at once.

    Returns ``(hashes, owner)``: one entry per k-gram position (duplicates within a text kept), ``owner`` the
    index of its text. A text shorter than ``k`` has one shingle, the whole text.
    """
    if not texts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    pad = np.maximum(k - lengths, 0)            # short texts padded with code point 0 to one k-gram
    padded = [t + "\0" * int(p) if p else t for t, p in zip(texts, pad)]
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = lengths + pad
    total = len(codes)
    h = np.zeros(total - k + 1, dtype=np.uint64)
    for j in range(k):
        h = h * _P + codes[j: total - k + 1 + j]
    # splitmix64 finaliser: spread the polynomial hash over all 64 bits
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    per_text = lengths - k + 1
    owner = np.repeat(np.arange(len(texts)), per_text)
    positions = np.arange(len(owner)) - np.repeat(np.cumsum(per_text) - per_text, per_text) + np.repeat(starts,
                                                                                                      per_text)
    return h[positions], owner


def minhash_signatures(hashes: np.ndarray, owner: np.ndarray, *, n: int, num_perm: int = 64,
                       seed: int = DEFAULT_SEED) -> np.ndarray:
    """MinHash signatures (``n × num_perm``, uint32) of ``n`` shingle sets with ``datasketch.MinHash``.

    The shingles' 64-bit hashes are folded to 32 bits and fed to ``MinHash.generator`` as integers.
    """
    from datasketch import MinHash

    folded = ((hashes >> np.uint64(32)) ^ (hashes & np.uint64(0xFFFFFFFF))).astype(np.uint32)
    bounds = np.searchsorted(owner, np.arange(n + 1))
    sets = (folded[bounds[i]:bounds[i + 1]] for i in range(n))
    out = np.empty((n, num_perm), dtype=np.uint32)
    for i, m in enumerate(MinHash.generator(sets, num_perm=num_perm, seed=seed + 1, hashfunc=int)):
        out[i] = m.hashvalues
    return out


def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


# ------------------------------------------------------------------------------------------------ families
def _families(sig: np.ndarray, *, threshold: float, link: float) -> np.ndarray:
    """Family id of each distinct text: connected groups of LSH-bucket neighbours with similar signatures."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n, num_perm = sig.shape
    if n < 2:
        return np.arange(n)
    b, r = _lsh_params(threshold, num_perm)
    pairs = []
    ids = np.arange(n)
    for band in range(b):
        cols = sig[:, band * r:(band + 1) * r].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for c in range(cols.shape[1]):
            key = (key ^ cols[:, c]) * _P
        order = np.argsort(key, kind="stable")
        ks = key[order]
        same = ks[1:] == ks[:-1]
        if not same.any():
            continue
        first = np.maximum.accumulate(np.where(np.concatenate([[True], ~same]), np.arange(n), 0))
        idx = np.nonzero(same)[0] + 1
        pairs.append(np.stack([ids[order[idx - 1]], ids[order[idx]]], axis=1))
        star = idx[first[idx] != idx - 1]
        pairs.append(np.stack([ids[order[first[star]]], ids[order[star]]], axis=1))
    if not pairs:
        return np.arange(n)
    p = np.unique(np.sort(np.concatenate(pairs), axis=1), axis=0)
    agree = np.empty(len(p))
    for s in range(0, len(p), 200_000):
        q = p[s:s + 200_000]
        agree[s:s + 200_000] = (sig[q[:, 0]] == sig[q[:, 1]]).mean(axis=1)
    p = p[agree >= link]
    graph = coo_matrix((np.ones(len(p)), (p[:, 0], p[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


# ------------------------------------------------------------------------------------------------ candidates
def _asof(left: pd.DataFrame, right: pd.DataFrame, *, by: list[str], exact: bool, tag: str) -> pd.DataFrame:
    """For each left row, the right row of the same ``by`` with the latest ``year`` before (or at) its year."""
    if left.empty or right.empty:
        return pd.DataFrame(columns=["unit", "src", "tag"])
    lhs = left[["unit", "year", *by]].sort_values("year", kind="stable")
    rhs = right[["unit", "year", *by]].rename(columns={"unit": "src", "year": "syear"}).sort_values(
        "syear", kind="stable")
    m = pd.merge_asof(lhs, rhs, left_on="year", right_on="syear", by=by, allow_exact_matches=exact)
    m = m.dropna(subset=["src"])
    return pd.DataFrame({"unit": m["unit"].to_numpy(), "src": m["src"].astype(np.int64).to_numpy(), "tag": tag})


def _two_per(df: pd.DataFrame, keys: list[str], distinct: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first row of each ``keys`` group, and the first row with another ``distinct`` value than it."""
    first = df.drop_duplicates(keys)
    lead = df[keys].merge(first[[*keys, distinct]].rename(columns={distinct: "_lead"}), on=keys, how="left")
    second = df[df[distinct].to_numpy() != lead["_lead"].to_numpy()].drop_duplicates(keys)
    return first, second


def _candidates(units: pd.DataFrame) -> pd.DataFrame:
    """Candidate ``(unit, src)`` pairs within families: a bounded number per unit and relation."""
    units = units[units.groupby("fam")["doc"].transform("nunique") > 1]
    if units.empty:
        return pd.DataFrame(columns=["unit", "src"])
    reps = units.drop_duplicates(["fam", "doc"])          # one sentence per family and document as source
    known = units[units["year"] >= 0]
    kreps = reps[reps["year"] >= 0].sort_values(["fam", "year", "doc"], kind="stable")
    found = [_asof(known, kreps, by=["fam", "gov"], exact=False, tag="own")]
    first, second = _two_per(kreps, ["fam", "year"], "gov")
    found += [_asof(known, first, by=["fam"], exact=False, tag="other"),
              _asof(known, second, by=["fam"], exact=False, tag="other")]
    for lev in range(len(LEVELS)):
        below = known[_ABOVE[lev, known["lev"].to_numpy()]]
        found.append(_asof(below, kreps[kreps["lev"] == lev], by=["fam"], exact=True, tag="higher"))
    # peers: same year (or both unknown), two reports per family and year offered to each sentence
    first, second = _two_per(reps.sort_values(["fam", "year", "doc"], kind="stable"), ["fam", "year"], "doc")
    for rep in (first, second):
        m = units[["unit", "fam", "year"]].merge(rep[["unit", "fam", "year"]].rename(columns={"unit": "src"}),
                                                 on=["fam", "year"])
        found.append(m[["unit", "src"]].assign(tag="peer"))
    out = pd.concat(found, ignore_index=True)[["unit", "src"]].astype(np.int64)
    return out[out["unit"] != out["src"]].drop_duplicates()


def _jaccard(pairs: np.ndarray, sets: list[np.ndarray]) -> np.ndarray:
    out = np.ones(len(pairs))
    cache: dict[tuple[int, int], float] = {}
    for i, (a, b) in enumerate(pairs):
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        value = cache.get(key)
        if value is None:
            inter = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
            value = inter / (len(sets[a]) + len(sets[b]) - inter)
            cache[key] = value
        out[i] = value
    return out


def _relation(df: pd.DataFrame) -> pd.Series:
    same_gov = df["gov"].to_numpy() == df["s_gov"].to_numpy()
    y, sy, t, st = (df[c].to_numpy() for c in ("year", "s_year", "lev", "s_lev"))
    known = (y >= 0) & (sy >= 0)
    above, below = _ABOVE[st, t], _ABOVE[t, st]
    rel = np.select(
        [same_gov & known & (sy < y),
         ~same_gov & known & above & (sy <= y),
         ~same_gov & known & (sy < y),
         ((sy == y) & ~above & ~below) | ((y < 0) & (sy < 0))],
        ["own", "higher", "other", "peer"], default="")
    return pd.Series(rel, index=df.index)


# ------------------------------------------------------------------------------------------------ public
def find_reuse(
    sentences_or_corpus: pd.DataFrame,
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
) -> pd.DataFrame:
    """Passages of each report that repeat (near-verbatim) a passage of an earlier report.

    Parameters
    ----------
    sentences_or_corpus : DataFrame
        The sentence table (``doc_id, sentence_id, start, end, text``, as in the store) or the report table of
        ``load_corpus`` (``doc_id, text``; its sentences are computed).
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
    sents, corpus = _sentences(sentences_or_corpus, corpus)
    meta = _report_meta(corpus, sents["doc_id"])
    norm = _normalise(sents["text"], mask_numbers)
    keep = (norm.str.len() >= min_chars).to_numpy()
    units = sents.loc[keep, ["doc_id", "start", "end"]].reset_index(drop=True)
    norm = norm[keep].reset_index(drop=True)
    log.info("reuse: %d sentences of %d reports compared (%d shorter than %d characters left out)",
             len(units), units["doc_id"].nunique(), int((~keep).sum()), min_chars)
    if units.empty:
        return _empty_pairs()
    text_id, distinct = pd.factorize(norm, sort=False)
    hashes, owner = shingle_hashes(list(distinct), k=shingle)
    sig = minhash_signatures(hashes, owner, n=len(distinct), num_perm=num_perm, seed=seed)
    fam = _families(sig, threshold=max(0.3, min_similarity - 0.15), link=max(0.0, min_similarity - 0.1))
    # unique shingle set of every text, for the exact similarity
    order = np.lexsort((hashes, owner))
    h, o = hashes[order], owner[order]
    first = np.concatenate([[True], (h[1:] != h[:-1]) | (o[1:] != o[:-1])])
    h, o = h[first], o[first]
    bounds = np.searchsorted(o, np.arange(len(distinct) + 1))
    sets = [h[bounds[i]:bounds[i + 1]] for i in range(len(distinct))]

    doc_codes, docs = pd.factorize(units["doc_id"].astype(str), sort=True)
    md = meta.set_index("doc_id").reindex(docs)
    table = pd.DataFrame({"unit": np.arange(len(units)), "doc": doc_codes, "text": text_id,
                          "fam": fam[text_id], "year": md["year"].to_numpy()[doc_codes],
                          "lev": md["lev"].to_numpy()[doc_codes], "gov": md["gov"].to_numpy()[doc_codes]})
    cand = _candidates(table)
    if cand.empty:
        return _empty_pairs()
    u, s = cand["unit"].to_numpy(), cand["src"].to_numpy()
    pairs = pd.DataFrame({"unit": u, "src": s, "doc": table["doc"].to_numpy()[u],
                          "s_doc": table["doc"].to_numpy()[s]})
    pairs = pairs[pairs["doc"] != pairs["s_doc"]]
    for col in ("year", "lev", "gov"):
        pairs[col] = table[col].to_numpy()[pairs["unit"].to_numpy()]
        pairs["s_" + col] = table[col].to_numpy()[pairs["src"].to_numpy()]
    pairs["relation"] = _relation(pairs)
    pairs = pairs[pairs["relation"].isin(relations)]
    tid = table["text"].to_numpy()
    pairs["similarity"] = _jaccard(np.stack([tid[pairs["unit"].to_numpy()], tid[pairs["src"].to_numpy()]], 1),
                                   sets)
    pairs = pairs[pairs["similarity"] >= min_similarity - 1e-12]
    log.info("reuse: %d candidate pairs verified at Jaccard ≥ %.2f", len(pairs), min_similarity)
    if pairs.empty:
        return _empty_pairs()
    return _passages(pairs, units, docs, meta, max_gap)


def _sentences(data: pd.DataFrame, corpus: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not isinstance(data, pd.DataFrame):
        check_columns(data, ["doc_id"], what="corpus")
    if "sentence_id" in data.columns:
        check_columns(data, ["doc_id", "start", "end", "text"], what="sentences")
        sents = data
        if corpus is None:
            log.warning("find_reuse without a corpus table: years and governments unknown, only peer pairs")
            corpus = pd.DataFrame({"doc_id": data["doc_id"].astype(str).unique()})
    else:
        check_columns(data, ["doc_id", "text"], what="corpus")
        from ..text.structure import sentences

        sents = sentences(data)
        corpus = data if corpus is None else corpus
    check_columns(corpus, ["doc_id"], what="corpus")
    sents = sents.assign(doc_id=sents["doc_id"].astype(str)).sort_values(["doc_id", "start"], kind="stable")
    return sents.reset_index(drop=True), corpus


def _report_meta(corpus: pd.DataFrame, doc_ids: pd.Series) -> pd.DataFrame:
    c = corpus.drop(columns=[x for x in ("text",) if x in corpus.columns]).copy()
    c["doc_id"] = c["doc_id"].astype(str)
    c = c.drop_duplicates("doc_id")
    missing = sorted(set(doc_ids.unique()) - set(c["doc_id"]))
    if missing:
        log.warning("reuse: %d report(s) of the sentences are not in the corpus table (year and government "
                    "unknown): %s", len(missing), ", ".join(missing[:5]))
        c = pd.concat([c, pd.DataFrame({"doc_id": missing})], ignore_index=True)
    year = pd.to_numeric(c["year"], errors="coerce") if "year" in c.columns else pd.Series(np.nan, index=c.index)
    key = government_key(c)
    gov_codes, _ = pd.factorize(key.fillna("<unknown:" + c["doc_id"] + ">").astype(str))
    return pd.DataFrame({"doc_id": c["doc_id"], "year": year.fillna(-1).astype(int).to_numpy(),
                         "lev": _level_codes(c["level"] if "level" in c.columns else [""] * len(c)),
                         "gov": gov_codes,
                         "level": (c["level"].astype("string").fillna("") if "level" in c.columns else "")})


def _passages(pairs: pd.DataFrame, units: pd.DataFrame, docs: pd.Index, meta: pd.DataFrame,
              max_gap: int) -> pd.DataFrame:
    """Best source per sentence and relation, then runs of sentences from one source joined into passages."""
    # integer keys sort as the strings do: relations by their sorted names, documents by doc_id (``docs`` is
    # sorted, so a document's code orders as its doc_id); every sort is stable, so the order is the same
    codes, found = pd.factorize(pairs["relation"], sort=False)
    names = np.asarray(found, dtype=object).astype(str)
    rank = np.argsort(np.argsort(names, kind="stable"), kind="stable")
    names, rel = np.sort(names, kind="stable"), rank[codes]
    pairs = pd.DataFrame({c: pairs[c].to_numpy() for c in ("unit", "src", "doc", "s_doc", "s_year", "similarity")})
    pairs["relation"] = rel
    pairs["cover"] = pairs.groupby(["doc", "relation", "s_doc"])["unit"].transform("nunique")
    order = np.lexsort((pairs["s_doc"].to_numpy(), -pairs["s_year"].to_numpy(), -pairs["cover"].to_numpy(),
                        -pairs["similarity"].to_numpy(), rel, pairs["unit"].to_numpy()))
    pairs = pairs.iloc[order]
    u, r = pairs["unit"].to_numpy(), pairs["relation"].to_numpy()
    first = np.concatenate([[True], (u[1:] != u[:-1]) | (r[1:] != r[:-1])])   # best per (unit, relation)
    best = pairs[first].copy()
    starts, ends = units["start"].to_numpy(), units["end"].to_numpy()
    best["start"], best["end"] = starts[best["unit"]], ends[best["unit"]]
    best["s_start"], best["s_end"] = starts[best["src"]], ends[best["src"]]
    best = best.iloc[np.lexsort((best["start"].to_numpy(), best["s_doc"].to_numpy(), best["relation"].to_numpy(),
                                 best["doc"].to_numpy()))]
    same = ((best["doc"].to_numpy()[1:] == best["doc"].to_numpy()[:-1])
            & (best["relation"].to_numpy()[1:] == best["relation"].to_numpy()[:-1])
            & (best["s_doc"].to_numpy()[1:] == best["s_doc"].to_numpy()[:-1]))
    gap = best["start"].to_numpy()[1:] - best["end"].to_numpy()[:-1]
    s_gap = best["s_start"].to_numpy()[1:] - best["s_end"].to_numpy()[:-1]
    joined = same & (gap <= max_gap) & (s_gap >= 0) & (s_gap <= max_gap)
    best["passage"] = np.concatenate([[0], np.cumsum(~joined)])
    best["weight"] = (best["end"] - best["start"]) * best["similarity"]
    agg = best.groupby("passage", sort=False).agg(
        doc=("doc", "first"), relation=("relation", "first"), s_doc=("s_doc", "first"), start=("start", "min"),
        end=("end", "max"), source_start=("s_start", "min"), source_end=("s_end", "max"),
        weight=("weight", "sum"), length=("end", "size"))
    lens = best.assign(n=best["end"] - best["start"]).groupby("passage", sort=False)["n"].sum()
    d = np.asarray(docs)
    md = meta.set_index("doc_id")
    out = pd.DataFrame({
        "doc_id": d[agg["doc"].to_numpy()], "start": agg["start"].to_numpy(), "end": agg["end"].to_numpy(),
        "source_doc_id": d[agg["s_doc"].to_numpy()], "source_start": agg["source_start"].to_numpy(),
        "source_end": agg["source_end"].to_numpy(),
        "similarity": np.round(agg["weight"].to_numpy() / lens.to_numpy(), 4),
        "relation": pd.Series(names[agg["relation"].to_numpy()]).to_numpy()})
    out["chars"] = out["end"] - out["start"]
    out["sentences"] = agg["length"].to_numpy()
    for col, key in (("year", "doc_id"), ("source_year", "source_doc_id")):
        out[col] = pd.array(md["year"].reindex(out[key]).to_numpy(), dtype="Int64")
        out.loc[out[col] < 0, col] = pd.NA
    out["level"] = md["level"].reindex(out["doc_id"]).to_numpy()
    out["source_level"] = md["level"].reindex(out["source_doc_id"]).to_numpy()
    # by doc_id, start, relation, source_doc_id (the codes order as the strings do)
    order = np.lexsort((agg["s_doc"].to_numpy(), agg["relation"].to_numpy(), out["start"].to_numpy(),
                        agg["doc"].to_numpy()))
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
