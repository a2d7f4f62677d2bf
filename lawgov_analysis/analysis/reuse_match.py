"""Matching for :func:`lawgov_analysis.analysis.reuse.find_reuse`: shingles and MinHash of the distinct texts,
near-duplicate families, candidate sources per unit, relations and the exact similarity.

Everything a target unit's candidates depend on (the family's representative sentence in each report, the
reports' years, levels and governments) is indexed once for the whole corpus (:class:`CandidateIndex`, a few
sorted integer arrays); the candidates of any block of target units are then looked up with binary searches,
so blocks of reports can be processed one after another with the same result as all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.config import DEFAULT_SEED
from ..core.levels import LEVELS, is_higher_level

__all__ = ["shingle_hashes", "minhash_signatures", "signatures", "families", "CandidateIndex",
           "relation_codes", "jaccard", "ABOVE", "RELATION_NAMES"]

_P = np.uint64(0x100000001B3)
#: ``ABOVE[a, b]``: level code ``a`` is above level code ``b`` (codes: index in ``LEVELS``, then unknown).
ABOVE = np.array([[is_higher_level(a, b) for b in (*LEVELS, "")] for a in (*LEVELS, "")], dtype=bool)
#: The relations in the order of their codes (sorted by name, so codes order as the names do).
RELATION_NAMES = np.array(sorted(("own", "higher", "other", "peer")), dtype=object)



def _unique(x: np.ndarray, *, first: bool = False, inverse: bool = False):
    """``np.unique`` of a 1-d array by one stable sort (numpy's hash-based unique is slow on large int64
    arrays): the sorted distinct values, with the position of each one's first occurrence and/or each entry's
    index in them."""
    if not first and not inverse:
        xs = np.sort(x)
        return xs[np.concatenate([[True], xs[1:] != xs[:-1]])] if len(xs) else xs
    order = np.argsort(x, kind="stable")
    xs = x[order]
    start = np.concatenate([[True], xs[1:] != xs[:-1]]) if len(xs) else np.zeros(0, bool)
    out = [xs[start]]
    if first:
        out.append(order[start])
    if inverse:
        inv = np.empty(len(x), dtype=np.int64)
        inv[order] = np.cumsum(start) - 1
        out.append(inv)
    return tuple(out)


# ------------------------------------------------------------------------------------------------ hashing
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


def signatures(texts: list[str], *, k: int, num_perm: int, seed: int, batch: int = 20_000) -> np.ndarray:
    """:func:`minhash_signatures` of every text's shingles, computed ``batch`` texts at a time (each text's
    signature depends on its own shingles only, so the result is the same as in one pass)."""
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    for lo in range(0, len(texts), batch):
        part = texts[lo:lo + batch]
        hashes, owner = shingle_hashes(part, k=k)
        out[lo:lo + len(part)] = minhash_signatures(hashes, owner, n=len(part), num_perm=num_perm, seed=seed)
    return out


def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


# ------------------------------------------------------------------------------------------------ families
def families(sig: np.ndarray, *, threshold: float, link: float) -> np.ndarray:
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
@dataclass
class _Table:
    """Sources sorted by ``key``; a query finds the last source whose key is below a bound."""

    key: np.ndarray
    src: np.ndarray

    def last_below(self, bound: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each query, the last source with ``key < bound`` if its key is ``≥ base`` (the same group)."""
        pos = np.searchsorted(self.key, bound, side="left") - 1
        ok = pos >= 0
        ok[ok] = self.key[pos[ok]] >= base[ok]
        return np.nonzero(ok)[0], self.src[pos[ok]]


class CandidateIndex:
    """The candidate sources of every unit, looked up block by block.

    Within a family (of near-duplicate texts) that occurs in more than one report, a unit is offered at most:
    the latest earlier report of its own government (``own``); the latest earlier report of two governments
    (the first two governments, by ``doc_id``, of each year: ``other``); for each level above the unit's, the
    latest same-or-earlier report of that level (``higher``); the first two reports of its own year (``peer``).
    "Latest" ties are broken by the largest ``doc_id``; a source report is represented by its first unit of the
    family. These are the rows ``pandas.merge_asof`` (backward, last match) finds on the same tables, written as
    binary searches over keys ``group × reports + rank of (year, doc)`` so any block of units can be asked.

    Parameters: per unit ``doc`` and ``fam``; per report ``year`` (``-1`` unknown), ``lev``, ``gov``.
    """

    def __init__(self, doc: np.ndarray, fam: np.ndarray, year: np.ndarray, lev: np.ndarray, gov: np.ndarray):
        n_docs = len(year)
        # per unit and per representative: int32 (codes below 2**31); composite keys: int64
        self.doc, self.fam = doc.astype(np.int32, copy=False), fam.astype(np.int32, copy=False)
        self.year, self.lev, self.gov = year, lev, gov
        self.D = np.int64(max(n_docs, 1))
        yd_order = np.lexsort((np.arange(n_docs), year))           # reports by (year, doc)
        self.yd = np.empty(n_docs, dtype=np.int64)
        self.yd[yd_order] = np.arange(n_docs)
        self.sorted_years = np.sort(year)
        # one representative unit per (family, report): its first unit
        keys, first = _unique(self.fam.astype(np.int64) * self.D + self.doc, first=True)   # by (fam, doc)
        r_fam, r_doc = (keys // self.D).astype(np.int32), (keys % self.D).astype(np.int32)
        del keys
        docs_per_fam = np.bincount(r_fam, minlength=int(self.fam.max()) + 1 if len(self.fam) else 0)
        self.shared = docs_per_fam > 1                               # families in more than one report
        keep = self.shared[r_fam]
        r_unit, r_fam, r_doc = first[keep].astype(np.int32), r_fam[keep], r_doc[keep]
        del first, keep
        r_year = year[r_doc].astype(np.int32)
        known = r_year >= 0
        k_unit, k_fam, k_doc = r_unit[known], r_fam[known], r_doc[known]
        k_year, k_gov, k_lev = r_year[known], gov[k_doc], lev[k_doc]
        # own: by (family, government)
        self.G = np.int64(int(gov.max()) + 1 if len(gov) else 1)
        self.fg_keys, fg_code = _unique(k_fam.astype(np.int64) * self.G + k_gov, inverse=True)
        self.own = self._table(fg_code * self.D + self.yd[k_doc], k_unit)
        del fg_code
        # other: the first report of each (family, year), and the first of another government
        order = np.lexsort((k_doc, k_year, k_fam))
        f, y, g, u, d = k_fam[order], k_year[order], k_gov[order], k_unit[order], k_doc[order]
        del order
        self.other = [self._table(f[i].astype(np.int64) * self.D + self.yd[d[i]], u[i])
                      for i in self._two_per(f, y, g)]
        del f, y, g, u, d
        # higher: per level, every report of it
        self.higher = []
        for lv in range(len(LEVELS)):
            at = k_lev == lv
            self.higher.append(self._table(k_fam[at].astype(np.int64) * self.D + self.yd[k_doc[at]], k_unit[at]))
        del k_unit, k_fam, k_doc, k_year, k_gov, k_lev, known
        # peer: the first two reports of each (family, year), unknown years too
        self.years = np.unique(year)
        ycode = np.searchsorted(self.years, r_year).astype(np.int32)
        order = np.lexsort((r_doc, ycode, r_fam))
        f, y, d, u = r_fam[order], ycode[order], r_doc[order], r_unit[order]
        self.peer = [_Table(f[i].astype(np.int64) * len(self.years) + y[i], u[i]) for i in self._two_per(f, y, d)]

    @staticmethod
    def _table(key: np.ndarray, src: np.ndarray) -> _Table:
        order = np.argsort(key, kind="stable")
        return _Table(key[order], src[order])

    @staticmethod
    def _two_per(fam: np.ndarray, year: np.ndarray, distinct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows (positions) of the first row of each (fam, year) run, and of the first row whose ``distinct``
        differs from that first row's."""
        n = len(fam)
        if n == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        start = np.concatenate([[True], (fam[1:] != fam[:-1]) | (year[1:] != year[:-1])])
        group = np.cumsum(start) - 1
        firsts = np.nonzero(start)[0]
        other = np.nonzero(distinct != distinct[firsts][group])[0]
        g = group[other]
        keep = np.concatenate([[True], g[1:] != g[:-1]]) if len(g) else np.zeros(0, bool)
        return firsts, other[keep]

    def candidates(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Candidate ``(unit, src)`` pairs of units ``lo`` to ``hi - 1``: sorted, distinct, never a unit with
        itself."""
        units = np.arange(lo, hi)
        units = units[self.shared[self.fam[lo:hi]]] if hi > lo else units
        doc = self.doc[units]
        fam, year, lev, gov = self.fam[units].astype(np.int64), self.year[doc], self.lev[doc], self.gov[doc]
        cnt_lt = np.searchsorted(self.sorted_years, year, side="left").astype(np.int64)
        cnt_le = np.searchsorted(self.sorted_years, year, side="right").astype(np.int64)
        found_u, found_s = [], []

        def add(rows, src):     # rows: positions in ``units``
            found_u.append(units[rows])
            found_s.append(src)

        known = np.nonzero(year >= 0)[0]
        if len(known):
            fg = fam[known] * self.G + gov[known]
            code = np.searchsorted(self.fg_keys, fg)
            code_ok = code < len(self.fg_keys)
            code_ok[code_ok] = self.fg_keys[code[code_ok]] == fg[code_ok]
            sel = known[code_ok]
            base = code[code_ok].astype(np.int64) * self.D
            rows, src = self.own.last_below(base + cnt_lt[sel], base)
            add(sel[rows], src)
            base = fam[known] * self.D
            for table in self.other:
                rows, src = table.last_below(base + cnt_lt[known], base)
                add(known[rows], src)
            for lv, table in enumerate(self.higher):
                sel = known[ABOVE[lv, lev[known]]]
                if len(sel) and len(table.key):
                    base = fam[sel] * self.D
                    rows, src = table.last_below(base + cnt_le[sel], base)
                    add(sel[rows], src)
        ykey = fam * len(self.years) + np.searchsorted(self.years, year)
        for table in self.peer:
            pos = np.searchsorted(table.key, ykey)
            ok = pos < len(table.key)
            ok[ok] = table.key[pos[ok]] == ykey[ok]
            add(np.nonzero(ok)[0], table.src[pos[ok]])
        if not found_u:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        u = np.concatenate(found_u).astype(np.int64)
        s = np.concatenate(found_s).astype(np.int64)
        n = np.int64(len(self.doc))
        pair = _unique(u[u != s] * n + s[u != s])
        return pair // n, pair % n


def relation_codes(year, s_year, lev, s_lev, same_gov) -> np.ndarray:
    """Code (index in :data:`RELATION_NAMES`) of each pair's relation, ``-1`` for none: ``own`` (same
    government, earlier year), ``higher`` (a higher level, same or earlier year), ``other`` (earlier year),
    ``peer`` (same year and neither above the other, or both years unknown)."""
    known = (year >= 0) & (s_year >= 0)
    above, below = ABOVE[s_lev, lev], ABOVE[lev, s_lev]
    code = {name: i for i, name in enumerate(RELATION_NAMES)}
    return np.select(
        [same_gov & known & (s_year < year),
         ~same_gov & known & above & (s_year <= year),
         ~same_gov & known & (s_year < year),
         ((s_year == year) & ~above & ~below) | ((year < 0) & (s_year < 0))],
        [code["own"], code["higher"], code["other"], code["peer"]], default=-1)


def jaccard(a: np.ndarray, b: np.ndarray, texts: list[str], *, k: int, chunk: int = 100_000) -> np.ndarray:
    """Jaccard index of the ``k``-shingle sets (64-bit hashes) of texts ``a[i]`` and ``b[i]`` (ids into
    ``texts``); 1 where they are the same text. Each distinct pair of texts is computed once."""
    out = np.ones(len(a))
    diff = a != b
    if not diff.any():
        return out
    n = np.int64(len(texts))
    lo, hi = np.minimum(a[diff], b[diff]).astype(np.int64), np.maximum(a[diff], b[diff]).astype(np.int64)
    keys, inverse = _unique(lo * n + hi, inverse=True)
    ua, ub = keys // n, keys % n
    need = _unique(np.concatenate([ua, ub]))
    hashes, owner = shingle_hashes([texts[i] for i in need], k=k)
    order = np.lexsort((hashes, owner))
    h, o = hashes[order], owner[order]
    first = np.concatenate([[True], (h[1:] != h[:-1]) | (o[1:] != o[:-1])])
    h, o = h[first], o[first]
    bounds = np.searchsorted(o, np.arange(len(need) + 1))
    size = np.diff(bounds)
    # (set, hash) as one sorted key: sets in order, hashes ranked globally (sorted within each set)
    values, rank = _unique(h, inverse=True)
    v = np.int64(len(values))
    setkey = o.astype(np.int64) * v + rank
    ia, ib = np.searchsorted(need, ua), np.searchsorted(need, ub)
    small = np.where(size[ia] <= size[ib], ia, ib)
    large = np.where(size[ia] <= size[ib], ib, ia)
    inter = np.zeros(len(keys), dtype=np.int64)
    for s in range(0, len(keys), chunk):
        sm, lg = small[s:s + chunk], large[s:s + chunk]
        counts = size[sm]
        pair = np.repeat(np.arange(len(sm)), counts)
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(bounds[sm],
                                                                                                  counts)
        query = lg[pair].astype(np.int64) * v + rank[offset]
        pos = np.minimum(np.searchsorted(setkey, query), len(setkey) - 1)
        inter[s:s + chunk] = np.bincount(pair[setkey[pos] == query], minlength=len(sm))
    value = inter / (size[ia] + size[ib] - inter)
    out[np.nonzero(diff)[0]] = value[inverse]
    return out
