"""Topic models over the token table: NMF or LDA (scikit-learn), choosing k, and checking topics against sections.

The unit of a "document" for the model is a sentence, a paragraph (a line of the report), an innermost section
or a whole report. Only content tokens are used: non-stop ``word``, ``slogan`` and ``title`` tokens of at
least ``min_chars`` characters (punctuation, numbers and stopwords are dropped).

>>> from lawgov_analysis.io.corpus import load_corpus                                # doctest: +SKIP
>>> from lawgov_analysis.text.tokens import tokenize                                   # doctest: +SKIP
>>> corpus = load_corpus("data/reports"); tokens = tokenize(corpus)               # doctest: +SKIP
>>> table, k, rule = select_k(tokens, corpus=corpus)                              # doctest: +SKIP
>>> model = fit_topics(tokens, k=k, unit="paragraph", corpus=corpus)              # doctest: +SKIP
>>> model.top_terms(n=5)                                                          # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ..core.config import DEFAULT_SEED
from ..core.tables import join_metadata
from ..core.validate import check_columns, check_option
from .keywords import is_fragment

__all__ = [
    "METHODS",
    "UNITS",
    "TopicModel",
    "fit_topics",
    "select_k",
    "topic_section_agreement",
    "topic_prevalence",
    "unit_table",
    "unit_counts",
    "stack_counts",
    "select_k_counts",
]

Method = Literal["nmf", "lda"]
Unit = Literal["sentence", "paragraph", "section", "doc"]
METHODS = ("nmf", "lda")
UNITS = ("sentence", "paragraph", "section", "doc")
#: Token kinds that enter a topic model.
CONTENT_KINDS = ("word", "slogan", "title")
#: Key columns of a modelling unit, after ``doc_id``.
_UNIT_KEYS = {"sentence": ["sentence_id"], "paragraph": ["paragraph_id"], "section": ["section_id"], "doc": []}
_TOKEN_COLUMNS = ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind"]


def _identity(tokens):
    """Analyzer for pre-tokenized documents (module level so fitted models pickle)."""
    return tokens


# ---------------------------------------------------------------------------------------------------------
# Units


def _paragraph_ids(tokens: pd.DataFrame, corpus: pd.DataFrame) -> np.ndarray:
    """Line number (0-based) of each token's start in its report text.

    Vectorised over the corpus: newline offsets of all texts are found in one pass over their concatenation
    and every token is placed with one ``searchsorted`` (no per-report mask).
    """
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    ids = corpus["doc_id"].astype(str).tolist()
    texts = ["" if pd.isna(t) else str(t) for t in corpus["text"]]
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    base = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    joined = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    newlines = np.flatnonzero(joined == 10)
    del joined
    codes, uniques = pd.factorize(tokens["doc_id"], sort=False)
    where = pd.Index(ids).get_indexer(pd.Index(uniques).astype(str))
    if (where < 0).any():
        missing = str(pd.Index(uniques)[where < 0][0])
        raise ValueError(f"corpus has no report {missing!r} of the tokens table")
    doc_codes = where[codes]
    pos = base[doc_codes] + tokens["start"].to_numpy(dtype=np.int64)
    return (np.searchsorted(newlines, pos, side="left")
            - np.searchsorted(newlines, base[doc_codes], side="left")).astype(np.int64)


def _units(tokens: pd.DataFrame, unit: str, corpus: pd.DataFrame | None, min_chars: int):
    """Tokens in text order with their unit code, and one row per unit (vectorised, no per-unit Python loop).

    Returns ``(unit_frame, unit_code, content, tok, (token_codes, vocab))``: ``unit_frame`` has the unit keys, ``section_id``,
    ``start``, ``end``, ``n_tokens`` (no ``terms``), in the order of first appearance (= text order);
    ``unit_code`` gives each row of ``tok`` its unit; ``content`` marks content tokens; ``token_codes``
    index ``vocab`` (sorted distinct tokens).
    """
    check_option("unit", unit, UNITS)
    check_columns(tokens, [*_TOKEN_COLUMNS, "is_stop"], what="tokens")
    cols = ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind", "is_stop"]
    tok = tokens[cols]
    doc = pd.factorize(tok["doc_id"], sort=True)[0]
    tid = tok["token_id"].to_numpy()
    if len(tok) > 1 and not (((doc[1:] > doc[:-1]) | ((doc[1:] == doc[:-1]) & (tid[1:] > tid[:-1]))).all()):
        tok = tok.iloc[np.lexsort((tid, doc))]
    tok = tok.reset_index(drop=True)
    if unit == "paragraph":
        if corpus is None:
            raise ValueError("unit='paragraph' needs corpus= (paragraphs are lines of the report text)")
        tok = tok.assign(paragraph_id=_paragraph_ids(tok, corpus))
    keys = ["doc_id", *_UNIT_KEYS[unit]]
    doc_codes = pd.factorize(tok["doc_id"], sort=False)[0].astype(np.int64)
    if unit == "doc":
        code = doc_codes
    else:
        key_codes = pd.factorize(tok[keys[1]], sort=False)[0].astype(np.int64)
        code = pd.factorize(doc_codes * (int(key_codes.max(initial=0)) + 1) + key_codes, sort=False)[0]
        del key_codes
    del doc_codes
    code = code.astype(np.int32)            # compact: a corpus has far fewer than 2**31 units
    kind_codes, kinds = pd.factorize(tok["kind"], sort=False)
    token_codes, vocab = _token_codes(tok["token"])
    # a term is long enough and not a fragment (万余份, 二中 from 十九届二中全会, web leftovers such as gyz1)
    term_ok = np.asarray(pd.Index(vocab).astype(str).str.len() >= min_chars, dtype=bool) & ~is_fragment(vocab)
    content = (np.isin(np.asarray(kinds, dtype=object), CONTENT_KINDS)[kind_codes]
               & ~tok["is_stop"].to_numpy(dtype=bool) & term_ok[token_codes])
    n_units = int(code.max(initial=-1)) + 1
    first = np.full(n_units, len(tok), dtype=np.int64)
    np.minimum.at(first, code, np.arange(len(tok)))
    last = np.zeros(n_units, dtype=np.int64)
    np.maximum.at(last, code, np.arange(len(tok)))
    frame = {k: tok[k].iloc[first].to_numpy() for k in keys}      # take rows first: never the whole column
    if unit != "section":
        frame["section_id"] = tok["section_id"].iloc[first].to_numpy()
    frame["start"] = tok["start"].iloc[first].to_numpy(dtype=np.int64)
    frame["end"] = tok["end"].iloc[last].to_numpy(dtype=np.int64)
    frame["n_tokens"] = np.bincount(code[content], minlength=n_units).astype(np.int64)
    units = pd.DataFrame(frame)
    units["doc_id"] = units["doc_id"].astype(str)
    if "section_id" in units:
        units["section_id"] = units["section_id"].astype(str)
    return units, code, content, tok, (token_codes, vocab)


def _token_codes(token: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the tokens into their sorted distinct values (categorical codes reused when possible)."""
    if isinstance(token.dtype, pd.CategoricalDtype):
        cats = np.asarray(token.cat.categories.astype(str), dtype=object)
        order = np.argsort(cats, kind="stable")
        rank = np.empty(len(cats), dtype=np.int64)
        rank[order] = np.arange(len(cats))
        codes = token.cat.codes.to_numpy()
        return rank.astype(np.int32)[codes], cats[order]
    codes, uniques = pd.factorize(token.astype(str), sort=True)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


def unit_table(tokens: pd.DataFrame, *, unit: Unit = "sentence", corpus: pd.DataFrame | None = None,
               min_chars: int = 2) -> pd.DataFrame:
    """Group tokens into modelling units and list each unit's content tokens.

    Parameters
    ----------
    tokens
        The token table of :func:`lawgov_analysis.text.tokens.tokenize`.
    unit
        ``"sentence"``, ``"paragraph"`` (a line of the report text; needs ``corpus``), ``"section"``
        (innermost section) or ``"doc"``.
    corpus
        The report table the tokens came from; required for ``unit="paragraph"``.
    min_chars
        Shortest content token kept (2 drops single characters such as 区, 年).

    Returns
    -------
    pandas.DataFrame
        One row per unit that has any token, sorted by ``doc_id`` and text order: ``doc_id``; the unit key
        (``sentence_id``, ``paragraph_id`` or ``section_id``; none for ``"doc"``); ``section_id`` (section
        of the unit's first token; for ``"doc"`` the first section); ``start``/``end`` (offsets of the unit's
        first and last token); ``n_tokens`` (content tokens); ``terms`` (list of the content tokens in order).
    """
    units, code, content, _, (token_codes, vocab) = _units(tokens, unit, corpus, min_chars)
    terms = vocab[token_codes[content]]
    owner = code[content]
    order = np.argsort(owner, kind="stable")
    bounds = np.cumsum(np.bincount(owner, minlength=len(units)))[:-1]
    units["terms"] = [list(x) for x in np.split(terms[order], bounds)] if len(units) else []
    units = units.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return units.astype({"start": "int64", "end": "int64", "n_tokens": "int64"})


def unit_counts(tokens: pd.DataFrame, *, unit: Unit = "sentence", corpus: pd.DataFrame | None = None,
                min_chars: int = 2):
    """Modelling units and their unit × term counts, for one token table (a whole corpus or one partition).

    The building block of topic models read from a store by partition
    (:func:`lawgov_analysis.pipeline.aggregate.fit_topics_store`): counts of partitions are joined with
    :func:`stack_counts` and fitted with :meth:`TopicModel.fit_counts`, which gives the same model as
    :meth:`TopicModel.fit` on all the tokens at once.

    Parameters
    ----------
    tokens, unit, corpus, min_chars
        As for :func:`unit_table`.

    Returns
    -------
    units : pandas.DataFrame
        One row per unit with at least one content token, in text order: ``doc_id``, the unit key,
        ``section_id``, ``start``, ``end``, ``n_tokens`` (as :func:`unit_table`, without ``terms``).
    counts : scipy.sparse.csr_matrix
        Units × terms, int64 occurrences of each content term in each unit.
    vocab : numpy.ndarray
        The terms of the columns, sorted (code-point order), each occurring at least once.
    """
    import scipy.sparse as sp

    units, code, content, _, (token_codes, vocab) = _units(tokens, unit, corpus, min_chars)
    keep_units = units["n_tokens"].to_numpy() > 0
    remap = np.cumsum(keep_units) - 1
    rows = remap[code[content]]
    used, cols = np.unique(token_codes[content], return_inverse=True)
    counts = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols.ravel())),
                           shape=(int(keep_units.sum()), len(used)))
    counts.sum_duplicates()
    return units[keep_units].reset_index(drop=True), counts, np.asarray(vocab[used], dtype=object)


def stack_counts(pieces: Sequence[tuple]) -> tuple:
    """Join the ``(units, counts, vocab)`` of several partitions (:func:`unit_counts`) into one.

    Returns
    -------
    tuple
        ``(units, counts, vocab)``: the units of every piece in the order given, their counts on the union
        vocabulary (sorted), and that vocabulary.
    """
    import scipy.sparse as sp

    pieces = [p for p in pieces if len(p[0])]
    if not pieces:
        return (pd.DataFrame(columns=["doc_id", "section_id", "start", "end", "n_tokens"]),
                sp.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object))
    vocab = np.unique(np.concatenate([np.asarray(p[2], dtype=object) for p in pieces]))
    mats = []
    for _, counts, terms in pieces:
        cols = np.searchsorted(vocab, np.asarray(terms, dtype=object))
        coo = counts.tocoo()
        mats.append(sp.csr_matrix((coo.data, (coo.row, cols[coo.col])), shape=(counts.shape[0], len(vocab))))
    units = pd.concat([p[0] for p in pieces], ignore_index=True)
    return units, sp.vstack(mats, format="csr"), vocab


def _document_term_matrix(counts, vocab: np.ndarray, min_df, max_df):
    """Unit × term counts (columns in sorted term order, as scikit-learn's vectorizers order them), pruned by
    ``min_df``/``max_df`` exactly as ``CountVectorizer`` does."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    high = max_df if isinstance(max_df, (int, np.integer)) else max_df * n
    low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    keep = np.flatnonzero((df >= low) & (df <= high) & (df > 0))
    if keep.size == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return counts[:, keep].tocsr(), vocab[keep]


# ---------------------------------------------------------------------------------------------------------
# The estimator


class TopicModel(BaseEstimator):
    """A topic model of report units (NMF on TF-IDF or LDA on counts), with tidy accessors.

    Parameters
    ----------
    k
        Number of topics.
    method
        ``"nmf"`` (non-negative matrix factorisation of sublinear TF-IDF, random initialisation seeded by
        ``seed``) or ``"lda"`` (latent Dirichlet allocation of raw counts, batch variational Bayes).
    unit
        What one model document is: ``"sentence"``, ``"paragraph"``, ``"section"`` or ``"doc"``
        (see :func:`unit_table`).
    seed
        ``random_state`` of the model: the same tokens and seed give identical results.
    min_df, max_df
        Vocabulary limits of the vectorizer (units containing a term: absolute ``int`` or share ``float``).
    min_chars
        Shortest token kept.
    max_iter
        Iterations of the solver (``None``: 1000 for NMF, 50 EM passes for LDA).

    Attributes
    ----------
    vectorizer_ : sklearn TfidfVectorizer or CountVectorizer
        Fitted on the units' token lists.
    model_ : sklearn NMF or LatentDirichletAllocation
        The fitted model.
    units_ : pandas.DataFrame
        The modelled units (:func:`unit_table` rows with at least one vocabulary term).
    terms_ : numpy.ndarray
        Vocabulary, in column order.
    doc_topic_ : numpy.ndarray
        Units × topics; each row is the unit's topic shares (sums to 1).
    topic_term_ : numpy.ndarray
        Topics × terms; each row is the topic's term weights normalised to sum to 1.
    """

    def __init__(self, k: int = 10, *, method: Method = "nmf", unit: Unit = "sentence", seed: int = 0,
                 min_df: int | float = 2, max_df: int | float = 0.5, min_chars: int = 2, max_iter: int | None = None):
        self.k = k
        self.method = method
        self.unit = unit
        self.seed = seed
        self.min_df = min_df
        self.max_df = max_df
        self.min_chars = min_chars
        self.max_iter = max_iter

    # -- fitting ------------------------------------------------------------------------------------------

    def _vectorizer(self):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

        if self.method == "nmf":
            return TfidfVectorizer(analyzer=_identity, min_df=self.min_df, max_df=self.max_df, sublinear_tf=True)
        return CountVectorizer(analyzer=_identity, min_df=self.min_df, max_df=self.max_df)

    def _estimator(self, k: int, seed: int):
        from sklearn.decomposition import NMF, LatentDirichletAllocation

        if self.method == "nmf":
            return NMF(n_components=k, init="random", random_state=seed, max_iter=self.max_iter or 1000)
        return LatentDirichletAllocation(n_components=k, learning_method="batch", random_state=seed,
                                         max_iter=self.max_iter or 50)

    def _check(self) -> None:
        check_option("method", self.method, METHODS)
        check_option("unit", self.unit, UNITS)
        if int(self.k) != self.k or self.k < 1:
            raise ValueError(f"k must be a positive integer, got {self.k!r}")

    def _design(self, tokens: pd.DataFrame, corpus: pd.DataFrame | None):
        """Units, fitted vectorizer and unit × term matrix (units without vocabulary terms dropped)."""
        units, counts, vocab = unit_counts(tokens, unit=self.unit, corpus=corpus, min_chars=self.min_chars)
        return self._design_counts(units, counts, vocab)

    def _design_counts(self, units: pd.DataFrame, counts, vocab: np.ndarray):
        """The design of :meth:`_design` from unit counts (:func:`unit_counts`, :func:`stack_counts`).

        The returned vectorizer is a fitted ``TfidfVectorizer`` (NMF) or ``CountVectorizer`` (LDA) with the
        pruned vocabulary, so ``vectorizer_.transform`` and ``get_feature_names_out`` work as if it had been
        fitted on the units.
        """
        from sklearn.feature_extraction.text import TfidfTransformer

        if not len(units):
            raise ValueError("no content tokens to model")
        try:
            counts, vocab = _document_term_matrix(counts, np.asarray(vocab, dtype=object), self.min_df, self.max_df)
        except ValueError as err:
            raise ValueError(f"no vocabulary left for unit={self.unit!r}, min_df={self.min_df!r}, "
                             f"max_df={self.max_df!r}: {err}") from err
        vectorizer = self._vectorizer()
        vectorizer.vocabulary_ = {t: i for i, t in enumerate(vocab.tolist())}
        if self.method == "nmf":
            transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
            vectorizer._tfidf = transformer
            X = transformer.transform(counts)
        else:
            X = counts
        keep = np.asarray(X.getnnz(axis=1) > 0)
        order = units[keep].reset_index(drop=True)
        X = X[keep]
        idx = np.lexsort((order["start"].to_numpy(), order["doc_id"].astype(str).to_numpy()))
        return order.iloc[idx].reset_index(drop=True), vectorizer, X[idx]

    def _fit_matrix(self, X, k: int, seed: int):
        model = self._estimator(k, seed)
        with np.errstate(all="ignore"):
            W = model.fit_transform(X)
        return model, W

    def fit(self, tokens: pd.DataFrame, y=None, *, corpus: pd.DataFrame | None = None) -> TopicModel:
        """Fit the model on a token table.

        Parameters
        ----------
        tokens
            The token table of :func:`lawgov_analysis.text.tokens.tokenize`.
        y
            Ignored (scikit-learn convention).
        corpus
            The report table the tokens came from (required for ``unit="paragraph"``).

        Returns
        -------
        TopicModel
            ``self``, fitted.
        """
        self._check()
        return self._fit_design(*self._design(tokens, corpus))

    def fit_counts(self, units: pd.DataFrame, counts, vocab) -> TopicModel:
        """Fit the model on unit counts (:func:`unit_counts`, joined over partitions with :func:`stack_counts`).

        The same counts give the same model as :meth:`fit` on the tokens they came from.

        Returns
        -------
        TopicModel
            ``self``, fitted.
        """
        self._check()
        return self._fit_design(*self._design_counts(units, counts, vocab))

    def transform_counts(self, units: pd.DataFrame, counts, vocab) -> tuple[pd.DataFrame, np.ndarray]:
        """Topic shares of further units (e.g. one partition of a store) under the fitted model.

        Terms not in the model's vocabulary are ignored; units left without any vocabulary term are dropped
        (as in fitting).

        Returns
        -------
        units : pandas.DataFrame
            The kept rows of ``units``, sorted by ``doc_id`` and ``start``.
        doc_topic : numpy.ndarray
            Units × topics, each row the unit's topic shares (sums to 1).
        """
        import scipy.sparse as sp

        self._fitted()
        terms = np.asarray(self.terms_, dtype=object)
        vocab = np.asarray(vocab, dtype=object)
        pos = np.searchsorted(terms, vocab).clip(max=max(len(terms) - 1, 0))
        known = terms[pos] == vocab if len(terms) else np.zeros(len(vocab), dtype=bool)
        coo = counts.tocoo()
        ok = known[coo.col]
        mapped = sp.csr_matrix((coo.data[ok], (coo.row[ok], pos[coo.col[ok]])), shape=(counts.shape[0], len(terms)))
        X = self.vectorizer_._tfidf.transform(mapped) if self.method == "nmf" else mapped
        keep = np.asarray(X.getnnz(axis=1) > 0)
        kept = units[keep].reset_index(drop=True)
        idx = np.lexsort((kept["start"].to_numpy(), kept["doc_id"].astype(str).to_numpy()))
        with np.errstate(all="ignore"):
            W = self.model_.transform(X[keep][idx])
        return kept.iloc[idx].reset_index(drop=True), _row_normalise(W)

    def _fit_design(self, units: pd.DataFrame, vectorizer, X) -> TopicModel:
        if self.k > min(X.shape):
            raise ValueError(f"k={self.k} is larger than the {X.shape[0]} units × {X.shape[1]} terms allow")
        return self._set_fit(units, vectorizer, X, *self._fit_matrix(X, int(self.k), int(self.seed)))

    def _set_fit(self, units: pd.DataFrame, vectorizer, X, model, W) -> TopicModel:
        self.vectorizer_ = vectorizer
        self.model_ = model
        self.units_ = units.drop(columns=[c for c in ("terms",) if c in units.columns])
        self.terms_ = vectorizer.get_feature_names_out()
        self.doc_topic_ = _row_normalise(W)
        self.topic_term_ = _row_normalise(model.components_)
        self.n_units_ = X.shape[0]
        return self

    # -- tidy accessors -----------------------------------------------------------------------------------

    def _fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise RuntimeError("this TopicModel is not fitted yet; call fit(tokens) first")

    def _unit_keys(self) -> list[str]:
        return ["doc_id", *_UNIT_KEYS[self.unit]]

    def top_terms(self, *, n: int = 10) -> pd.DataFrame:
        """The ``n`` highest-weighted terms of every topic.

        Returns
        -------
        pandas.DataFrame
            One row per topic × rank, sorted by ``topic``, ``rank``: ``topic`` (int, 0..k-1); ``rank``
            (1 = strongest); ``term``; ``weight`` (the term's share of the topic's total term weight).
            Ties are broken by term order, so the table is deterministic.
        """
        self._fitted()
        rows = []
        for topic, row in enumerate(self.topic_term_):
            order = np.lexsort((np.arange(len(row)), -row))[:n]
            rows.extend((topic, rank, self.terms_[j], float(row[j])) for rank, j in enumerate(order, start=1))
        out = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
        return out.astype({"topic": "int64", "rank": "int64", "weight": "float64"})

    def doc_topics(self) -> pd.DataFrame:
        """Topic shares of every modelled unit.

        Returns
        -------
        pandas.DataFrame
            One row per unit × topic, sorted by unit (text order) then ``topic``: the unit key (``doc_id``
            plus ``sentence_id`` / ``paragraph_id`` / ``section_id``); ``topic``; ``weight`` (the unit's share
            of that topic; a unit's weights sum to 1).
        """
        self._fitted()
        keys = self._unit_keys()
        k = self.doc_topic_.shape[1]
        base = self.units_[keys].loc[self.units_.index.repeat(k)].reset_index(drop=True)
        base["topic"] = np.tile(np.arange(k, dtype=np.int64), len(self.units_))
        base["weight"] = self.doc_topic_.reshape(-1)
        return base

    def dominant_topics(self) -> pd.DataFrame:
        """Each unit with its strongest topic.

        Returns
        -------
        pandas.DataFrame
            The columns of ``units_`` (unit key, ``section_id``, ``start``, ``end``, ``n_tokens``) plus
            ``topic`` (argmax of the unit's shares, lowest id on ties) and ``weight`` (that share).
        """
        self._fitted()
        out = self.units_.copy()
        out["topic"] = self.doc_topic_.argmax(axis=1).astype("int64")
        out["weight"] = self.doc_topic_.max(axis=1)
        return out

    def labels(self, *, n: int = 3) -> list[str]:
        """One label per topic: its top ``n`` terms joined by ``" / "``."""
        top = self.top_terms(n=n)
        return [" / ".join(g["term"]) for _, g in top.groupby("topic", sort=True)]


def _row_normalise(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    sums = a.sum(axis=1, keepdims=True)
    return np.divide(a, sums, out=np.zeros_like(a), where=sums > 0)


def fit_topics(tokens: pd.DataFrame, *, k: int, method: Method = "nmf", unit: Unit = "sentence", seed: int = 0,
               corpus: pd.DataFrame | None = None, **settings) -> TopicModel:
    """Fit a topic model with ``k`` topics on a token table.

    Parameters
    ----------
    tokens
        The token table of :func:`lawgov_analysis.text.tokens.tokenize`.
    k
        Number of topics.
    method, unit, seed
        See :class:`TopicModel`.
    corpus
        The report table the tokens came from (required for ``unit="paragraph"``).
    **settings
        Further :class:`TopicModel` settings: ``min_df``, ``max_df``, ``min_chars``, ``max_iter``.

    Returns
    -------
    TopicModel
        The fitted model. Tidy tables: :meth:`TopicModel.top_terms` (``topic, rank, term, weight``),
        :meth:`TopicModel.doc_topics` (unit key, ``topic, weight``), :meth:`TopicModel.dominant_topics`;
        :meth:`TopicModel.labels` gives the top-3 terms of each topic.
    """
    return TopicModel(k, method=method, unit=unit, seed=seed, **settings).fit(tokens, corpus=corpus)


# ---------------------------------------------------------------------------------------------------------
# Choosing k


def _npmi_coherence(B: np.ndarray, topic_term: np.ndarray, n_terms: int) -> float:
    """Mean over topics of the mean NPMI of all pairs of a topic's top terms (unit co-occurrence in ``B``)."""
    N = B.shape[0]
    scores = []
    for row in topic_term:
        top = np.lexsort((np.arange(len(row)), -row))[:n_terms]
        sub = B[:, top]
        p = np.asarray(sub.sum(axis=0)).ravel() / N
        joint = np.asarray((sub.T @ sub).todense() if hasattr(sub, "todense") else sub.T @ sub) / N
        vals = []
        for i, j in combinations(range(len(top)), 2):
            pij = joint[i, j]
            if pij <= 0:
                vals.append(-1.0)
            elif pij >= 1:
                vals.append(1.0)
            else:
                vals.append(float(np.log(pij / (p[i] * p[j])) / -np.log(pij)))
        scores.append(np.mean(vals) if vals else 0.0)
    return float(np.mean(scores))


def _stability(term_vectors: Sequence[np.ndarray]) -> float:
    """Mean over seed pairs of the mean cosine similarity of Hungarian-matched topic-term vectors."""
    from scipy.optimize import linear_sum_assignment

    if len(term_vectors) < 2:
        return float("nan")
    unit_rows = [v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12) for v in term_vectors]
    values = []
    for a, b in combinations(unit_rows, 2):
        sim = a @ b.T
        rows, cols = linear_sum_assignment(-sim)
        values.append(float(sim[rows, cols].mean()))
    return float(np.mean(values))


def select_k(
    tokens: pd.DataFrame,
    *,
    ks: Iterable[int] = range(3, 13),
    method: Method = "nmf",
    unit: Unit = "sentence",
    seeds: Sequence[int] | None = None,
    seed: int | None = None,
    n_terms: int = 10,
    corpus: pd.DataFrame | None = None,
    return_model: bool = False,
    **settings,
) -> tuple:
    """Choose the number of topics by coherence and stability across seeds.

    For each ``k`` a model is fitted once per seed on the same unit × term matrix. *Coherence* is the NPMI of
    every pair of a topic's top ``n_terms`` terms, with probabilities from co-occurrence in the modelling
    units of this corpus (``-1`` for a pair that never co-occurs), averaged over pairs, topics and seeds.
    *Stability* is the agreement between seeds: topics of two runs are paired by the Hungarian algorithm on
    the cosine similarity of their topic-term vectors, and the mean similarity of the pairs is averaged
    over all pairs of seeds (1 = every seed finds the same topics).

    Parameters
    ----------
    tokens
        The token table.
    ks
        Candidate numbers of topics (values larger than the data allow are skipped).
    method, unit, settings
        As for :class:`TopicModel`.
    seeds
        Seeds per ``k`` (at least two for a stability value; with one seed ``stability`` is ``NaN`` and the
        score is the rescaled coherence alone). Default: ``seed``, ``seed + 1``, ``seed + 2``.
    seed
        The first of three consecutive seeds when ``seeds`` is not given (default
        :data:`lawgov_analysis.core.config.DEFAULT_SEED`, i.e. seeds 0, 1, 2); giving both is an error.
    n_terms
        Top terms per topic used for coherence.
    corpus
        The report table (required for ``unit="paragraph"``).
    return_model
        Also return the :class:`TopicModel` of the recommended ``k`` with the first seed: the fit made while
        choosing, identical to ``fit_topics(tokens, k=k, seed=seeds[0], …)`` without fitting it again.

    Returns
    -------
    table : pandas.DataFrame
        One row per ``k``, ascending: ``k``; ``coherence`` (mean NPMI, −1..1); ``coherence_sd`` (standard
        deviation of the per-seed means); ``stability`` (0..1); ``score`` (``(1 + coherence) / 2 ×
        stability``); ``recommended`` (bool, the chosen row).
    k : int
        The recommended number of topics.
    rule : str
        How ``k`` was chosen, in words.
    model : TopicModel
        Only with ``return_model=True``: the fitted model of the recommended ``k`` (first seed).
    """
    units, counts, vocab = unit_counts(tokens, unit=unit, corpus=corpus, min_chars=settings.get("min_chars", 2))
    return select_k_counts(units, counts, vocab, ks=ks, method=method, unit=unit, seeds=seeds, seed=seed,
                           n_terms=n_terms, return_model=return_model, **settings)


def select_k_counts(units: pd.DataFrame, counts, vocab, *, ks: Iterable[int] = range(3, 13),
                    method: Method = "nmf", unit: Unit = "sentence", seeds: Sequence[int] | None = None,
                    seed: int | None = None, n_terms: int = 10, return_model: bool = False,
                    **settings) -> tuple:
    """:func:`select_k` on unit counts (:func:`unit_counts`, :func:`stack_counts`): the same table, ``k``
    and rule (and model, with ``return_model=True``) as :func:`select_k` on the tokens the counts came from."""
    if seeds is not None and seed is not None:
        raise ValueError(f"give seeds or seed, not both (got seeds={list(seeds)}, seed={seed})")
    if seeds is None:
        first = DEFAULT_SEED if seed is None else int(seed)
        seeds = (first, first + 1, first + 2)
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    base = TopicModel(2, method=method, unit=unit, seed=seeds[0], **settings)
    base._check()
    units, vectorizer, X = base._design_counts(units, counts, vocab)
    B = (X > 0).astype(np.float64).tocsc()      # sparse: units × terms can be large
    limit = min(X.shape)
    rows = []
    kept, kept_score = None, -np.inf      # the first seed's fit of the best k so far (return_model)
    for k in sorted({int(k) for k in ks}):
        if k < 2 or k > limit:
            continue
        coherences, vectors, first_fit = [], [], None
        for s in seeds:
            model, W = base._fit_matrix(X, k, int(s))
            first_fit = first_fit or (model, W)
            topic_term = _row_normalise(model.components_)
            coherences.append(_npmi_coherence(B, topic_term, n_terms))
            vectors.append(topic_term)
        rows.append(dict(k=k, coherence=float(np.mean(coherences)),
                         coherence_sd=float(np.std(coherences)), stability=_stability(vectors)))
        stability = rows[-1]["stability"]
        score = round((1 + rows[-1]["coherence"]) / 2 * (1.0 if np.isnan(stability) else stability), 12)
        if return_model and score > kept_score:
            kept, kept_score = (k, first_fit), score
    if not rows:
        raise ValueError(f"no k in {list(ks)} fits {X.shape[0]} units × {X.shape[1]} terms")
    table = pd.DataFrame(rows)
    stability = table["stability"].fillna(1.0)
    table["score"] = (1 + table["coherence"]) / 2 * stability
    best = int(table["score"].round(12).idxmax())       # first (smallest) k among equal scores
    table["recommended"] = False
    table.loc[best, "recommended"] = True
    rule = (f"highest (1 + NPMI coherence) / 2 × stability over {len(seeds)} seeds "
            f"({method}, unit={unit}, top {n_terms} terms); ties go to the smaller k")
    chosen = int(table.loc[best, "k"])
    if not return_model:
        return table.astype({"k": "int64"}), chosen, rule
    fit = kept[1] if kept[0] == chosen else base._fit_matrix(X, chosen, int(seeds[0]))  # same rule: kept
    model = TopicModel(chosen, method=method, unit=unit, seed=int(seeds[0]), **settings)
    return table.astype({"k": "int64"}), chosen, rule, model._set_fit(units, vectorizer, X, *fit)


# ---------------------------------------------------------------------------------------------------------
# Checks against the report's structure, and trends


def topic_section_agreement(model: TopicModel, sections: pd.DataFrame, *, level: Literal[1, 2] = 1) -> float:
    """Adjusted mutual information between each unit's dominant topic and its section at ``level``.

    Tells how far the topics rediscover the report's own outline: 1 means the dominant topic of a paragraph
    predicts its top-level (``level=1``) or second-level (``level=2``) section exactly, 0 means no more
    agreement than chance. Units whose section is shallower than ``level`` (the preamble, a level-1 part
    without sub-parts) keep their own section as label.

    Parameters
    ----------
    model
        A fitted :class:`TopicModel` with ``unit`` ``"sentence"``, ``"paragraph"`` or ``"section"``.
    sections
        :func:`lawgov_analysis.text.structure.sections` of the same corpus.
    level
        1 for 一/二 …, 2 for 一(一) ….

    Returns
    -------
    float
        :func:`sklearn.metrics.adjusted_mutual_info_score` of (section at ``level``, dominant topic) over
        the model's units.
    """
    from sklearn.metrics import adjusted_mutual_info_score

    from ..text.structure import with_section_level

    check_option("level", level, [1, 2])
    model._fitted()
    if model.unit == "doc":
        raise ValueError("unit must be one of sentence, paragraph, section for topic_section_agreement, got 'doc'")
    dominant = with_section_level(model.dominant_topics(), sections, level=level, column="_section")
    labels = dominant["doc_id"].astype(str) + "/" + dominant["_section"].astype(str)
    return float(adjusted_mutual_info_score(labels, dominant["topic"]))


def topic_prevalence(model: TopicModel, corpus: pd.DataFrame, *, by: str = "year") -> pd.DataFrame:
    """Topic prevalence per report group (year, region, level …): how much of the text each topic takes.

    Parameters
    ----------
    model
        A fitted :class:`TopicModel`.
    corpus
        The report table (for the metadata column ``by``).
    by
        ``"doc_id"`` or a metadata column of the corpus (``"year"``, ``"region"``, ``"level"`` …).

    Returns
    -------
    pandas.DataFrame
        One row per group × topic, sorted by ``by`` (missing last) then ``topic``: ``<by>``; ``topic``;
        ``label`` (top-3 terms); ``prevalence`` (token-weighted mean of the units' topic shares; sums to 1
        over the topics of a group); ``units`` (modelled units in the group); ``tokens`` (their content
        tokens).
    """
    model._fitted()
    check_columns(corpus, ["doc_id"], what="corpus")
    check_option("by", by, ["doc_id", *[c for c in corpus.columns if c not in ("doc_id", "text")]])
    units = model.units_[["doc_id", "n_tokens"]].copy()
    if by != "doc_id":
        units = join_metadata(units, corpus, by)
    weights = units["n_tokens"].to_numpy(dtype=float)
    k = model.doc_topic_.shape[1]
    labels = model.labels()
    rows = []
    for key, g in units.groupby(by, sort=True, dropna=False):
        idx = g.index.to_numpy()
        w = weights[idx]
        shares = (model.doc_topic_[idx] * w[:, None]).sum(axis=0) / max(w.sum(), 1e-12)
        for topic in range(k):
            rows.append((key, topic, labels[topic], float(shares[topic]), len(idx), int(w.sum())))
    out = pd.DataFrame(rows, columns=[by, "topic", "label", "prevalence", "units", "tokens"])
    out = out.sort_values([by, "topic"], kind="stable", na_position="last").reset_index(drop=True)
    return out.astype({"topic": "int64", "units": "int64", "tokens": "int64"})
