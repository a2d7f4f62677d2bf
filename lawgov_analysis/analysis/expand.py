"""Dictionaries from seed words: candidate terms for a researcher's own theme, ranked by similarity in the corpus.

A researcher studying 营商环境 or 数字政府 gives a few seed words; :func:`expand_terms` proposes the words the
corpus uses like them, each with its frequency, its similarity and a few keyword-in-context lines
(:func:`term_kwic`) to judge it. The accepted terms go into a theme file laid out like
``resources/themes.toml`` (:func:`theme_file_text` writes one), which
:func:`lawgov_analysis.analysis.themes.load_themes` merges with the bundled dictionary.

Method: word vectors from the corpus itself. Co-occurrence counts of content words (``kind == "word"``, not a
stopword, at least ``min_count`` occurrences) within a context (the innermost section by default: a theme's
words share a section more than a sentence; or the sentence, or ``window`` tokens either side), positive pointwise mutual information with context-distribution smoothing (α = 0.75), and a
truncated SVD (scikit-learn ``TruncatedSVD``, randomized, ``random_state=seed``) whose rows, scaled by the
square root of the singular values and L2-normalised, are the word vectors (Levy, Goldberg & Dagan 2015,
"Improving distributional similarity with lessons learned from word embeddings", TACL 3). Candidates are ranked
by cosine similarity to the mean of the seed vectors.

Why PPMI + SVD and not word2vec (gensim): annual reports are a small corpus (a few thousand to a few million
tokens), where count-based vectors match or beat skip-gram (Levy et al. 2015); the result is exactly
deterministic for a seed on any machine (gensim's Word2Vec is reproducible only single-threaded with a fixed
``PYTHONHASHSEED``); and it needs nothing beyond scikit-learn and scipy, which the package already uses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from ..core.validate import check_columns, check_option
from .keywords import is_fragment

log = logging.getLogger(__name__)

__all__ = ["CANDIDATE_COLUMNS", "KWIC_COLUMNS", "term_vectors", "expand_terms", "term_kwic", "theme_file_text"]

#: Columns of :func:`expand_terms`.
CANDIDATE_COLUMNS = ["rank", "term", "similarity", "nearest_seed", "frequency", "documents", "kwic"]
#: Columns of :func:`term_kwic`.
KWIC_COLUMNS = ["term", "doc_id", "sentence_id", "start", "end", "left", "keyword", "right"]

_TOKEN_COLUMNS = ["doc_id", "sentence_id", "token_id", "token", "kind"]


def _content(tokens: pd.DataFrame) -> pd.DataFrame:
    words = tokens[tokens["kind"].astype(str) == "word"]
    if "is_stop" in words.columns:
        words = words[~words["is_stop"].astype(bool)]
    words = words[words["token"].astype(str).str.len() >= 2]
    return words


def term_vectors(tokens: pd.DataFrame, *, context: Literal["sentence", "section", "window"] = "section",
                 window: int = 5, min_count: int = 2, dim: int = 100, seed: int = DEFAULT_SEED,
                 keep: Iterable[str] = ()) -> tuple[pd.Index, np.ndarray, pd.Series, pd.Series]:
    """Word vectors of the corpus: ``(vocabulary, vectors, frequency, documents)``.

    ``vectors`` has one L2-normalised row per vocabulary word (PPMI + truncated SVD, see the module text);
    ``frequency`` and ``documents`` are indexed by word. Words in ``keep`` stay in the vocabulary whatever their
    count (the seeds).
    """
    check_option("context", context, ("sentence", "section", "window"))
    check_columns(tokens, _TOKEN_COLUMNS, what="tokens")
    words = _content(tokens)
    text = words["token"].astype(str)
    freq = text.value_counts()
    keep = set(keep)
    vocab = pd.Index(sorted(w for w, n in freq.items() if n >= min_count or w in keep))
    if len(vocab) < 3:
        raise ValueError(f"the corpus has only {len(vocab)} content words seen {min_count} times or more; "
                         "lower min_count or give a larger corpus")
    words = words[text.isin(vocab)]
    ids = vocab.get_indexer(words["token"].astype(str))
    docs = words["doc_id"].astype(str)
    if context in ("sentence", "section"):
        check_columns(words, [f"{context}_id"], what="tokens")
        group = pd.factorize(docs + "\0" + words[f"{context}_id"].astype(str))[0]
        cooc = _sentence_cooccurrence(ids, group, len(vocab))
    else:
        cooc = _window_cooccurrence(ids, docs.to_numpy(), words["token_id"].to_numpy(), window, len(vocab))
    vectors = _ppmi_svd(cooc, dim=dim, seed=seed)
    documents = words.assign(t=words["token"].astype(str), d=docs).groupby("t")["d"].nunique()
    return vocab, vectors, freq.reindex(vocab).astype(int), documents.reindex(vocab).astype(int)


def _sentence_cooccurrence(ids: np.ndarray, group: np.ndarray, n: int):
    """Word × word counts of appearing in one sentence (each pair of occurrences once, the diagonal removed)."""
    from scipy.sparse import coo_matrix

    occ = coo_matrix((np.ones(len(ids)), (group, ids)), shape=(int(group.max()) + 1, n)).tocsr()
    cooc = (occ.T @ occ).tocsr()
    cooc.setdiag(0)
    cooc.eliminate_zeros()
    return cooc


def _window_cooccurrence(ids: np.ndarray, docs: np.ndarray, positions: np.ndarray, window: int, n: int):
    from scipy.sparse import coo_matrix

    rows, cols = [], []
    for k in range(1, window + 1):
        same = (docs[k:] == docs[:-k]) & (positions[k:] - positions[:-k] <= window * 2)
        rows += [ids[k:][same], ids[:-k][same]]
        cols += [ids[:-k][same], ids[k:][same]]
    r, c = np.concatenate(rows), np.concatenate(cols)
    return coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)).tocsr()


def _ppmi_svd(cooc, *, dim: int, seed: int, alpha: float = 0.75) -> np.ndarray:
    from scipy.sparse import csr_matrix
    from sklearn.decomposition import TruncatedSVD

    total = cooc.sum()
    if total == 0:
        return np.zeros((cooc.shape[0], 1))
    row = np.asarray(cooc.sum(axis=1)).ravel()
    col = np.asarray(cooc.sum(axis=0)).ravel() ** alpha
    coo = cooc.tocoo()
    pmi = np.log(coo.data * col.sum() / (row[coo.row] * col[coo.col]))
    keep = pmi > 0
    ppmi = csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=cooc.shape)
    k = max(1, min(dim, ppmi.shape[0] - 1))
    svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=7, random_state=seed)
    u = svd.fit_transform(ppmi) / np.maximum(svd.singular_values_, 1e-12) * np.sqrt(svd.singular_values_)
    norms = np.linalg.norm(u, axis=1, keepdims=True)
    return u / np.where(norms == 0, 1, norms)


def expand_terms(seed_terms: Sequence[str] | str, tokens: pd.DataFrame, *, top: int = 50,
                 seed: int = DEFAULT_SEED, context: Literal["sentence", "section", "window"] = "section",
                 window: int = 5, min_count: int = 2, dim: int = 100, kwic: int = 3, width: int = 15,
                 exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Candidate terms for a theme, ranked by similarity to the seed words in the corpus.

    Parameters
    ----------
    seed_terms : list of str, or one string with terms separated by ``,`` / ``，`` / ``、``
        The words that define the theme (营商环境, 优化营商环境). Seeds the corpus never uses are left out (with
        a warning); at least one must occur.
    tokens : DataFrame
        The token table (``doc_id, sentence_id, token_id, token, kind`` and optionally ``is_stop, start,
        end``; as in the store). Segment with the seeds in the lexicon so that each is one token.
    top : int
        Number of candidates returned.
    seed : int
        Random state of the SVD (same seed, same tokens → same table).
    context, window
        Co-occurrence within the innermost section (``section_id``), a sentence, or ``window`` content words
        either side.
    min_count : int
        Words seen fewer times are not candidates.
    dim : int
        Dimensions of the word vectors (at most the vocabulary size − 1).
    kwic, width
        Keyword-in-context lines per candidate and characters of context on each side.
    exclude : iterable of str
        Words never proposed (e.g. the terms the theme already has); fragments of numbers and web leftovers
        (:func:`lawgov_analysis.analysis.keywords.is_fragment`: 万余份, 余人次) are never proposed either.

    Returns
    -------
    pandas.DataFrame
        One row per candidate, best first (ties by term):

        ``rank`` (1 = most similar); ``term``; ``similarity`` (cosine to the seeds' mean vector, −1 … 1);
        ``nearest_seed`` (the seed it is most similar to); ``frequency`` (occurrences as a token); ``documents``
        (reports that use it); ``kwic`` (up to ``kwic`` lines ``left【term】right`` from different sentences,
        joined by newlines). ``attrs["seeds"]`` lists the seeds used, ``attrs["missing_seeds"]`` the others.

        ====  ==========  ==========  ============  =========  =========  ==========================
        rank  term        similarity  nearest_seed  frequency  documents  kwic
        ====  ==========  ==========  ============  =========  =========  ==========================
        1     放管服      0.83        营商环境      41         12         深化【放管服】改革,优化…
        ====  ==========  ==========  ============  =========  =========  ==========================
    """
    seeds = _split_terms(seed_terms)
    if not seeds:
        raise ValueError("seed_terms must name at least one term")
    if top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    vocab, vectors, freq, docs = term_vectors(tokens, context=context, window=window, min_count=min_count,
                                              dim=dim, seed=seed, keep=seeds)
    present = [s for s in seeds if s in vocab]
    missing = [s for s in seeds if s not in vocab]
    if missing:
        log.warning("seed term(s) not in the corpus as content words: %s", "、".join(missing))
    if not present:
        raise ValueError(f"none of the seed terms occurs in the corpus as a content word: {'、'.join(seeds)}; "
                         "segment with them in the lexicon (tokenize(..., lexicon=[...]))")
    seed_vecs = vectors[vocab.get_indexer(present)]
    centroid = seed_vecs.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    sims = vectors @ centroid
    nearest = np.asarray(present)[np.argmax(vectors @ seed_vecs.T, axis=1)]
    table = pd.DataFrame({"term": vocab, "similarity": np.round(sims, 4), "nearest_seed": nearest,
                          "frequency": freq.to_numpy(), "documents": docs.to_numpy()})
    banned = set(seeds) | set(exclude)
    table = table[~table["term"].isin(banned) & (table["frequency"] >= min_count)]
    table = table[~is_fragment(table["term"].tolist())]     # 万余份, 余人次: pieces of numbers, not terms
    table = table.sort_values(["similarity", "term"], ascending=[False, True], kind="stable").head(top)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    lines = term_kwic(table["term"], tokens, n=kwic, width=width)
    joined = (lines.assign(line=lines["left"] + "【" + lines["keyword"] + "】" + lines["right"])
              .groupby("term", sort=False)["line"].agg("\n".join))
    table["kwic"] = [joined.get(t, "") for t in table["term"]]
    table = table.reset_index(drop=True)[CANDIDATE_COLUMNS]
    table.attrs.update(seeds=present, missing_seeds=missing)
    return table


def _split_terms(terms: Sequence[str] | str) -> list[str]:
    if isinstance(terms, str):
        import re

        terms = re.split(r"[,，、\s]+", terms)
    out: list[str] = []
    for t in terms:
        t = str(t).strip()
        if t and t not in out:
            out.append(t)
    return out


def term_kwic(terms: Iterable[str], tokens: pd.DataFrame, *, n: int = 3, width: int = 15) -> pd.DataFrame:
    """Keyword-in-context lines of ``terms`` rebuilt from the token table (first ``n`` sentences per term).

    Returns
    -------
    pandas.DataFrame
        One row per occurrence shown, by term (in the order given) then ``doc_id, start``: ``term``,
        ``doc_id``, ``sentence_id``, ``start``, ``end`` (character offsets of the token in the report; −1 when
        the token table has none), ``left`` and ``right`` (up to ``width`` characters of the same sentence,
        rebuilt from its tokens), ``keyword``.
    """
    check_columns(tokens, _TOKEN_COLUMNS, what="tokens")
    terms = list(dict.fromkeys(str(t) for t in terms))
    tok = tokens.reset_index(drop=True)
    text = tok["token"].astype(str)
    hits = tok[text.isin(terms)].copy()
    hits["term"] = text[hits.index]
    hits = hits.drop_duplicates(["term", "doc_id", "sentence_id"])
    hits["order"] = pd.Categorical(hits["term"], categories=terms, ordered=True)
    sort_cols = ["order", "doc_id"] + (["start"] if "start" in hits.columns else ["token_id"])
    hits = hits.sort_values(sort_cols, kind="stable").groupby("term", sort=False, observed=True).head(n)
    if hits.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    keys = hits[["doc_id", "sentence_id"]].drop_duplicates()
    sent = tok.merge(keys, on=["doc_id", "sentence_id"])
    pieces = {k: g for k, g in sent.groupby(["doc_id", "sentence_id"], sort=False, observed=True)}
    rows = []
    for h in hits.itertuples(index=False):
        g = pieces[(h.doc_id, h.sentence_id)]
        before = "".join(g.loc[g["token_id"] < h.token_id, "token"].astype(str))
        after = "".join(g.loc[g["token_id"] > h.token_id, "token"].astype(str))
        rows.append(dict(term=h.term, doc_id=h.doc_id, sentence_id=h.sentence_id,
                         start=int(getattr(h, "start", -1)), end=int(getattr(h, "end", -1)),
                         left=before[-width:], keyword=h.term, right=after[:width]))
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def theme_file_text(theme_id: str, terms: Iterable[str], *, label: str = "", definition: str = "",
                    source: str = "") -> str:
    """A theme file (TOML, laid out like ``resources/themes.toml``) holding one theme with ``terms`` sorted.

    >>> print(theme_file_text("yingshang", ["营商环境", "优化营商环境"], label="营商环境"))  # doctest: +NORMALIZE_WHITESPACE
    # Theme dictionary written by lawgov-analysis (expand_terms); edit, then pass it with --themes.
    [themes.yingshang]
    label = "营商环境"
    definition = ""
    indicators = []
    source = ""
    terms = [
        "优化营商环境",
        "营商环境",
    ]
    """
    import json
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", theme_id):
        raise ValueError(f"theme_id must be letters, digits and _ (a TOML bare key), got {theme_id!r}")
    items = sorted(dict.fromkeys(str(t).strip() for t in terms if str(t).strip()))
    lines = ["# Theme dictionary written by lawgov-analysis (expand_terms); edit, then pass it with --themes.",
             f"[themes.{theme_id}]", f"label = {json.dumps(label or theme_id, ensure_ascii=False)}",
             f"definition = {json.dumps(definition, ensure_ascii=False)}", "indicators = []",
             f"source = {json.dumps(source, ensure_ascii=False)}", "terms = ["]
    lines += [f"    {json.dumps(t, ensure_ascii=False)}," for t in items] + ["]"]
    return "\n".join(lines) + "\n"
