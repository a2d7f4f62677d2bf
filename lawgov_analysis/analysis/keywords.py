"""Keyword statistics over the token table: frequencies, tf-idf, TextRank, keyness, KWIC and co-occurrence.

Every function takes the token table of :func:`lawgov_analysis.text.tokens.tokenize` (or the report table, for
:func:`kwic` and :func:`textrank_keywords`) and a grouping column ``by``: a column of the tokens (``doc_id``,
``section_id``, ``sentence_id``, or one added by ``structure.with_section_level`` such as ``section_l2``) or a
metadata column of the report table (``year``, ``region`` …), joined on ``doc_id`` from ``corpus``.

*Terms* are the tokens of kind ``word`` or ``slogan`` that are not stopwords (change with ``kinds=`` and
``drop_stop=``) and look like words (:func:`keyword_mask`): by default single characters (人, 区, 家) and
fragments (余人次, 万余份 left after a numeral; 二中 from “十九届二中、三中全会”; 年静 from “2020年静海区”;
lowercase web leftovers such as ``gyz1``) are left out — change with ``min_chars=`` and ``drop_fragments=``.
The fragment patterns are the resource file ``keyword_fragments.txt``. Outputs are tidy and sorted
deterministically (ties broken by the term).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..core.resources import read_lines
from ..core.tables import join_metadata
from ..core.validate import check_columns, check_option

#: Token kinds counted as terms by default.
TERM_KINDS = ("word", "slogan")

#: Resource file of regular expressions matching fragments that are not keywords.
FRAGMENTS_FILE = "keyword_fragments.txt"

#: Shortest keyword, in characters (single characters such as 人, 区, 家 are left out by default).
MIN_CHARS = 2

#: Units of a date: a token starting with one of these right after a number token is glued to it
#: (“2020年静海区” → 2020 / 年静 / 海区) and is not a keyword (:func:`keyword_mask`).
DATE_UNITS = ("年", "月", "日")

_NOT_GROUPS = {"token_id", "token", "start", "end", "kind", "is_stop", "text"}


def _with_group(tokens: pd.DataFrame, by: str, corpus: pd.DataFrame | None) -> pd.DataFrame:
    """``tokens`` with column ``by`` (joined from ``corpus`` on ``doc_id`` when it is a report column)."""
    check_columns(tokens, ["doc_id", "token", "kind", "is_stop", "start", "end"], what="tokens")
    if by in tokens.columns and by not in _NOT_GROUPS:
        return tokens
    if corpus is not None and by in corpus.columns and by not in _NOT_GROUPS:
        return join_metadata(tokens, corpus, by)
    allowed = [c for c in tokens.columns if c not in _NOT_GROUPS]
    if corpus is not None:
        allowed += [c for c in corpus.columns if c not in _NOT_GROUPS and c not in allowed]
    check_option("by", by, allowed)
    raise AssertionError("unreachable")  # pragma: no cover


@functools.cache
def _fragment_regex(source: str | Path) -> re.Pattern:
    lines = read_lines(source)
    for line in lines:
        try:
            re.compile(line)
        except re.error as exc:
            raise ValueError(f"{source}: pattern {line!r} is not a regular expression ({exc})") from None
    return re.compile("|".join(f"(?:{line})" for line in lines)) if lines else re.compile(r"(?!)")


def load_fragment_patterns(source: str | Path | None = None) -> list[str]:
    """The fragment patterns: the bundled ``keyword_fragments.txt`` or a user file of one regex per line."""
    return read_lines(FRAGMENTS_FILE if source is None else source)


def is_fragment(terms, *, fragments: str | Path | None = None) -> np.ndarray:
    """Boolean array: which of ``terms`` fully match a pattern of ``keyword_fragments.txt`` (余人次, 万余份,
    二中, ``gyz1`` …) or of the user's ``fragments`` file. Used for keyword lists and topic vocabularies."""
    rx = _fragment_regex(FRAGMENTS_FILE if fragments is None else fragments)
    return np.fromiter((rx.fullmatch(str(t)) is not None for t in terms), dtype=bool, count=len(terms))


def keyword_mask(tokens: pd.DataFrame, *, min_chars: int = MIN_CHARS, drop_fragments: bool = True,
                 fragments: str | Path | None = None) -> pd.Series:
    """Which tokens look like keywords (True) rather than single characters or fragments (False).

    Parameters
    ----------
    tokens
        The token table (``doc_id``, ``token``, ``start``, ``end``, ``kind``); only ``token`` is needed for
        the length and pattern tests.
    min_chars
        Shortest keyword in characters (default 2: 人, 区, 进, 家, 年 are left out); 1 keeps every token.
    drop_fragments
        Leave out tokens that fully match a pattern of ``keyword_fragments.txt`` (measure-word pieces such as
        余人次, 万余份, 余件; plenary-session pieces 二中, 三中; lowercase ASCII web leftovers such as
        ``gyz1``), and tokens glued to the unit of the number before them (``2020年静海区`` → 年静: a token
        that starts with 年/月/日 right after a number token).
    fragments
        A file of patterns to use instead of the bundled one.

    Returns
    -------
    pandas.Series
        Boolean, same index as ``tokens``.
    """
    check_columns(tokens, ["token"], what="tokens")
    if int(min_chars) < 1:
        raise ValueError(f"min_chars must be a positive integer, got {min_chars!r}")
    text = tokens["token"].astype("string").fillna("")
    mask = text.str.len() >= int(min_chars)
    if drop_fragments:
        distinct = pd.unique(text)
        bad = set(distinct[is_fragment(distinct, fragments=fragments)])
        mask &= ~text.isin(bad)
        if {"doc_id", "start", "end", "kind"} <= set(tokens.columns) and len(tokens):
            order = tokens
            if not (tokens["doc_id"].is_monotonic_increasing and
                    tokens.groupby("doc_id", sort=False)["start"].diff().fillna(0).ge(0).all()):
                order = tokens.sort_values(["doc_id", "start"], kind="stable")
            prev_number = (order["kind"].shift(1) == "number") & (order["doc_id"].shift(1) == order["doc_id"]) \
                & (order["end"].shift(1) == order["start"])
            glued = prev_number & order["token"].astype(str).str.startswith(DATE_UNITS) \
                & (order["token"].astype(str).str.len() > 1)
            mask &= ~glued.reindex(tokens.index, fill_value=False).astype(bool)
    return mask


def _terms_mask(tokens: pd.DataFrame, kinds: Sequence[str], drop_stop: bool, min_chars: int = MIN_CHARS,
                drop_fragments: bool = True) -> pd.Series:
    mask = tokens["kind"].isin(list(kinds))
    if drop_stop:
        mask &= ~tokens["is_stop"].astype(bool)
    return mask & keyword_mask(tokens, min_chars=min_chars, drop_fragments=drop_fragments)


def _keys(by: str) -> list[str]:
    """Group keys: ids that are only unique within a report (sections, sentences) are paired with doc_id."""
    if by in ("section_id", "sentence_id") or by.startswith("section_l"):
        return ["doc_id", by]
    return [by]


def term_frequencies(tokens: pd.DataFrame, *, by: str = "doc_id", corpus: pd.DataFrame | None = None,
                     kinds: Sequence[str] = TERM_KINDS, drop_stop: bool = True, min_chars: int = MIN_CHARS,
                     drop_fragments: bool = True) -> pd.DataFrame:
    """How often each term occurs in each group.

    Parameters
    ----------
    tokens
        The token table (pass it unfiltered: its characters are the denominator of ``per_10k``).
    by
        Grouping column: a tokens column or a report-table column joined from ``corpus``. Section and sentence
        ids (``section_id``, ``sentence_id``, ``section_l2`` …) are grouped within each report, so the output
        then has ``doc_id`` too.
    corpus
        The report table, needed when ``by`` is a metadata column such as ``year``.
    kinds, drop_stop
        Which tokens are terms (default: words and slogans that are not stopwords).
    min_chars, drop_fragments
        Leave out tokens shorter than ``min_chars`` and fragments (see :func:`keyword_mask`).

    Returns
    -------
    pandas.DataFrame
        One row per group × term, sorted by the group key(s), descending ``count``, ``term``: ``[doc_id,]
        <by>``; ``term``; ``count`` (occurrences); ``share`` (count / all terms of the group); ``chars``
        (characters covered by the group's tokens of every kind); ``per_10k`` (count per 10,000 of those
        characters); ``rank`` (1 = most frequent in the group, ties broken by term).
        Example: ``changjiang-2021, 行政执法, 9, 0.0062, 5955, 15.11, 3``.
    """
    df = _with_group(tokens, by, corpus)
    keys = _keys(by)
    chars = (df["end"] - df["start"]).groupby([df[k] for k in keys], dropna=False, sort=True).sum()
    chars = chars.rename("chars").reset_index()
    terms = df.loc[_terms_mask(df, kinds, drop_stop, min_chars, drop_fragments), [*keys, "token"]].rename(columns={"token": "term"})
    out = terms.groupby([*keys, "term"], dropna=False, sort=False).size().rename("count").reset_index()
    totals = out.groupby(keys, dropna=False, sort=False)["count"].transform("sum")
    out["share"] = out["count"] / totals
    out = out.merge(chars, on=keys, how="left")
    out["chars"] = out["chars"].astype("int64")
    out["per_10k"] = out["count"] / out["chars"] * 10_000
    out = out.sort_values([*keys, "count", "term"], ascending=[True] * len(keys) + [False, True],
                          kind="stable", na_position="last").reset_index(drop=True)
    out["rank"] = out.groupby(keys, dropna=False, sort=False).cumcount() + 1
    return out[[*keys, "term", "count", "share", "chars", "per_10k", "rank"]]


def top_terms(tokens: pd.DataFrame, *, corpus: pd.DataFrame | None = None, by: str = "doc_id", n: int = 30,
              kinds: Sequence[str] = TERM_KINDS, drop_stop: bool = True, min_chars: int = MIN_CHARS,
              drop_fragments: bool = True) -> pd.DataFrame:
    """The ``n`` most frequent terms of each group (the ``keywords`` command).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`term_frequencies` with ``rank <= n``: ``[doc_id,] <by>, term, count, share, chars,
        per_10k, rank``, one row per group × term.
    """
    if n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    freq = term_frequencies(tokens, by=by, corpus=corpus, kinds=kinds, drop_stop=drop_stop, min_chars=min_chars,
                            drop_fragments=drop_fragments)
    return freq[freq["rank"] <= n].reset_index(drop=True)


def tfidf(tokens: pd.DataFrame, *, by: str = "doc_id", corpus: pd.DataFrame | None = None,
          kinds: Sequence[str] = TERM_KINDS, drop_stop: bool = True, min_chars: int = MIN_CHARS,
          drop_fragments: bool = True) -> pd.DataFrame:
    """Term frequency–inverse document frequency, with the groups of ``by`` as the documents.

    ``tf = count / terms in the group``, ``idf = ln(groups / groups containing the term)`` (as tidytext's
    ``bind_tf_idf``; a term found in every group has idf 0, so a single group gives all zeros).

    Returns
    -------
    pandas.DataFrame
        One row per group × term, sorted by the group key(s), descending ``tf_idf``, ``term``: ``[doc_id,]
        <by>, term, count, tf, df`` (groups containing the term), ``idf, tf_idf, rank`` (1 = highest tf-idf in
        the group).
    """
    freq = term_frequencies(tokens, by=by, corpus=corpus, kinds=kinds, drop_stop=drop_stop, min_chars=min_chars,
                            drop_fragments=drop_fragments)
    return tfidf_frequencies(freq, by=by)


def tfidf_frequencies(freq: pd.DataFrame, *, by: str = "doc_id") -> pd.DataFrame:
    """:func:`tfidf` from a table of term frequencies instead of tokens.

    Parameters
    ----------
    freq
        Every row of :func:`term_frequencies` (or of
        :func:`lawgov_analysis.pipeline.aggregate.term_frequencies_store`) grouped by ``by``: ``[doc_id,] <by>,
        term, count, share``.
    by
        The grouping column of ``freq`` (the documents of the tf-idf).

    Returns
    -------
    pandas.DataFrame
        The table of :func:`tfidf`: ``[doc_id,] <by>, term, count, tf, df, idf, tf_idf, rank``, one row per
        group × term, sorted by the group key(s), descending ``tf_idf``, ``term``.
    """
    keys = _keys(by)
    check_columns(freq, [*keys, "term", "count", "share"], what="freq")
    n_groups = len(freq[keys].drop_duplicates())
    out = freq[[*keys, "term", "count"]].copy()
    out["tf"] = freq["share"]
    out["df"] = out.groupby("term", sort=False)["count"].transform("size").astype("int64")
    out["idf"] = np.log(n_groups / out["df"])
    out["tf_idf"] = out["tf"] * out["idf"]
    out = out.sort_values([*keys, "tf_idf", "term"], ascending=[True] * len(keys) + [False, True],
                          kind="stable", na_position="last").reset_index(drop=True)
    out["rank"] = out.groupby(keys, dropna=False, sort=False).cumcount() + 1
    return out


def keyness(tokens: pd.DataFrame, *, group, reference=None, by: str = "doc_id",
            corpus: pd.DataFrame | None = None, alpha0: float | None = None, min_count: int = 1,
            kinds: Sequence[str] = TERM_KINDS, drop_stop: bool = True, min_chars: int = MIN_CHARS,
            drop_fragments: bool = True) -> pd.DataFrame:
    """Which terms distinguish one group from a reference: weighted log-odds and log-likelihood G².

    The weighted log-odds ratio uses an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16–22):
    ``alpha_w = alpha0 * n_w / N`` from the pooled counts of target and reference,
    ``delta_w = log((y_tw + a_w) / (n_t + alpha0 - y_tw - a_w)) - log((y_rw + a_w) / (n_r + alpha0 - y_rw -
    a_w))``, ``z = delta_w / sqrt(1 / (y_tw + a_w) + 1 / (y_rw + a_w))``. G² is Dunning's log-likelihood
    ratio for the 2 × 2 table of the term against all other terms, with a χ²(1) p-value.

    Parameters
    ----------
    tokens
        The token table (with ``by``, or with ``corpus`` to join it).
    group
        The value of ``by`` to describe, e.g. ``"一(三)"`` with ``by="section_l2"`` (with several reports, a
        section id pools that section of every report).
    reference
        A value or list of values of ``by`` to compare against (default: every other group).
    by
        Grouping column (see :func:`term_frequencies`).
    alpha0
        Total size of the prior (default: the pooled number of terms, i.e. the prior counts equal the pooled
        counts).
    min_count
        Keep terms with at least this many pooled occurrences.

    Returns
    -------
    pandas.DataFrame
        One row per term, sorted by descending ``z``, then ``term``: ``term``; ``count_target``,
        ``count_reference`` (occurrences); ``per_10k_target``, ``per_10k_reference`` (per 10,000 terms);
        ``log_odds`` (delta_w); ``z`` (its z-score); ``g2``; ``p_value``; ``direction`` (``target`` when the
        term is relatively more frequent in the group, else ``reference``); ``rank`` (1 = most distinctive of
        the target).
    """
    df = _with_group(tokens, by, corpus)
    is_target, is_ref = _target_and_reference(df[by], group, reference)
    mask = _terms_mask(df, kinds, drop_stop, min_chars, drop_fragments)
    yt = df.loc[mask & is_target, "token"].value_counts()
    yr = df.loc[mask & is_ref, "token"].value_counts()
    return _keyness_table(yt, yr, alpha0, min_count)


def keyness_counts(freq: pd.DataFrame, *, group, reference=None, by: str = "doc_id", alpha0: float | None = None,
                   min_count: int = 1) -> pd.DataFrame:
    """:func:`keyness` from a table of term counts per group instead of tokens.

    Parameters
    ----------
    freq
        Every row of :func:`term_frequencies` grouped by ``by`` (or of
        :func:`lawgov_analysis.pipeline.aggregate.term_frequencies_store`, which reads a store part by part):
        ``<by>, term, count``. Rows of the same group and term are summed (a section id of several reports
        pools that section of every report, as :func:`keyness` does).
    group, reference, by, alpha0, min_count
        As for :func:`keyness`; the groups are the values of ``by`` in ``freq``.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`keyness` (``term, count_target, count_reference, per_10k_target,
        per_10k_reference, log_odds, z, g2, p_value, direction, rank``): equal to ``keyness(tokens, …)`` when
        ``freq`` is ``term_frequencies(tokens, by=by, …)`` with the same term options.
    """
    check_columns(freq, [by, "term", "count"], what="freq")
    is_target, is_ref = _target_and_reference(freq[by], group, reference)
    yt = freq[is_target].groupby("term", sort=False)["count"].sum()
    yr = freq[is_ref].groupby("term", sort=False)["count"].sum()
    return _keyness_table(yt[yt > 0], yr[yr > 0], alpha0, min_count)


def _target_and_reference(values: pd.Series, group, reference) -> tuple[pd.Series, pd.Series]:
    """Rows of the target group and of the reference (the named groups, or every other group), both checked."""
    groups = sorted(values.dropna().unique().tolist(), key=str)
    check_option("group", group, groups)
    is_target = values == group
    if reference is None:
        return is_target, ~is_target & values.notna()
    refs = [reference] if isinstance(reference, str) or not isinstance(reference, Iterable) else list(reference)
    for ref in refs:
        check_option("reference", ref, groups)
    return is_target, values.isin(refs) & ~is_target


def _keyness_table(yt: pd.Series, yr: pd.Series, alpha0: float | None, min_count: int) -> pd.DataFrame:
    """The keyness table from the target's and the reference's count per term (see :func:`keyness`)."""
    from scipy.stats import chi2

    counts = pd.DataFrame({"count_target": yt, "count_reference": yr}).fillna(0).astype("int64")
    counts.index.name = "term"
    n_t, n_r = int(counts["count_target"].sum()), int(counts["count_reference"].sum())
    pooled = counts["count_target"] + counts["count_reference"]
    big_n = n_t + n_r
    counts = counts[pooled >= min_count]
    pooled = pooled[pooled >= min_count]
    a0 = float(big_n if alpha0 is None else alpha0)
    y_t = counts["count_target"].to_numpy(float)
    y_r = counts["count_reference"].to_numpy(float)
    a_w = a0 * pooled.to_numpy(float) / max(big_n, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((y_t + a_w) / (n_t + a0 - y_t - a_w)) - np.log((y_r + a_w) / (n_r + a0 - y_r - a_w)))
        z = delta / np.sqrt(1 / (y_t + a_w) + 1 / (y_r + a_w))
        e_t = n_t * (y_t + y_r) / big_n
        e_r = n_r * (y_t + y_r) / big_n
        g2 = 2 * (np.where(y_t > 0, y_t * np.log(y_t / e_t), 0.0) + np.where(y_r > 0, y_r * np.log(y_r / e_r), 0.0))
    g2 = np.maximum(np.nan_to_num(g2), 0.0)
    out = counts.reset_index()
    out["per_10k_target"] = y_t / max(n_t, 1) * 10_000
    out["per_10k_reference"] = y_r / max(n_r, 1) * 10_000
    out["log_odds"] = delta
    out["z"] = z
    out["g2"] = g2
    out["p_value"] = chi2.sf(g2, 1)
    out["direction"] = np.where(y_t / max(n_t, 1) >= y_r / max(n_r, 1), "target", "reference")
    out = out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def kwic(corpus: pd.DataFrame, pattern: str | Iterable[str], *, window: int = 20,
         regex: bool = False) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` in the report texts with ``window`` characters around it.

    Parameters
    ----------
    corpus
        The report table (``doc_id``, ``text``).
    pattern
        A literal string, a list of literal strings (longest tried first), or with ``regex=True`` a regular
        expression.
    window
        Characters of context on each side (fewer at the start or end of a report).

    Returns
    -------
    pandas.DataFrame
        One row per match, sorted by ``doc_id``, ``start``: ``doc_id``; ``start``/``end`` (offsets of the match
        in the report text); ``left`` (``text[start - len(left):start]``); ``match`` (``text[start:end]``);
        ``right`` (``text[end:end + len(right)]``). Context keeps the report's own characters, line breaks
        included.
    """
    check_columns(corpus, ["doc_id", "text"], what="corpus")
    if window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    if regex:
        if not isinstance(pattern, str):
            raise TypeError("with regex=True, pattern must be one regular expression (str)")
        rx = re.compile(pattern)
    else:
        pats = [pattern] if isinstance(pattern, str) else list(pattern)
        pats = sorted({p for p in pats if p}, key=lambda p: (-len(p), p))
        if not pats:
            raise ValueError("pattern must contain at least one non-empty string")
        rx = re.compile("|".join(re.escape(p) for p in pats))
    rows = []
    for doc_id, text in sorted(zip(corpus["doc_id"].astype(str), corpus["text"]), key=lambda x: x[0]):
        text = "" if pd.isna(text) else str(text)
        for m in rx.finditer(text):
            s, e = m.span()
            if s == e:
                continue
            rows.append((doc_id, s, e, text[max(0, s - window):s], text[s:e], text[e:e + window]))
    out = pd.DataFrame(rows, columns=["doc_id", "start", "end", "left", "match", "right"])
    return out.astype({"start": "int64", "end": "int64"})


def cooccurrence(tokens: pd.DataFrame, *, unit: Literal["sentence", "section", "doc"] = "sentence",
                 min_count: int = 2, directed: bool = False, kinds: Sequence[str] = TERM_KINDS,
                 drop_stop: bool = True, min_chars: int = MIN_CHARS, drop_fragments: bool = True) -> pd.DataFrame:
    """Pairs of terms that occur in the same sentence, section or report.

    Parameters
    ----------
    tokens
        The token table.
    unit
        ``sentence`` (``doc_id``, ``sentence_id``), ``section`` (``doc_id``, ``section_id``: innermost
        sections) or ``doc``.
    min_count
        Keep pairs found together in at least this many units.
    directed
        List each pair in both orders, ``(a, b)`` and ``(b, a)`` with equal values (the form of a full
        co-occurrence matrix); by default each unordered pair once, with ``term_a < term_b``.
    kinds, drop_stop, min_chars, drop_fragments
        Which tokens are terms (see :func:`term_frequencies`).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair of distinct terms (``term_a < term_b`` in code-point order; both orders with
        ``directed=True``), sorted by descending ``count``, then ``term_a``, ``term_b``: ``term_a``, ``term_b``;
        ``count`` (units containing both); ``count_a``, ``count_b`` (units containing each); ``units`` (units
        with at least one term); ``ochiai`` (``count / sqrt(count_a * count_b)``, 0–1, the cosine of the two
        terms' unit vectors); ``pmi`` (``ln(count * units / (count_a * count_b))``).
    """
    from scipy import sparse

    check_option("unit", unit, ["sentence", "section", "doc"])
    if int(min_count) < 1:
        raise ValueError(f"min_count must be a positive integer, got {min_count!r}")
    keys = {"sentence": ["doc_id", "sentence_id"], "section": ["doc_id", "section_id"], "doc": ["doc_id"]}[unit]
    check_columns(tokens, [*keys, "token", "kind", "is_stop"], what="tokens")
    cols = ["term_a", "term_b", "count", "count_a", "count_b", "units", "ochiai", "pmi"]
    df = tokens.loc[_terms_mask(tokens, kinds, drop_stop, min_chars, drop_fragments), [*keys, "token"]]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="str" if c.startswith("term") else "float64") for c in cols})
    unit_codes = df.groupby(keys, sort=True).ngroup().to_numpy()
    terms, term_codes = np.unique(df["token"].to_numpy(dtype=object).astype(str), return_inverse=True)
    n_units = int(unit_codes.max()) + 1
    x = sparse.csr_matrix((np.ones(len(df), dtype=np.int64), (unit_codes, term_codes)),
                          shape=(n_units, len(terms)))
    x.sum_duplicates()
    x.data[:] = 1
    doc_freq = np.asarray(x.sum(axis=0)).ravel()
    keep = np.flatnonzero(doc_freq >= min_count)
    x = x[:, keep]
    terms, doc_freq = terms[keep], doc_freq[keep]
    co = (x.T @ x).tocoo()
    sel = ((co.row != co.col) if directed else (co.row < co.col)) & (co.data >= min_count)
    a, b, c = co.row[sel], co.col[sel], co.data[sel].astype(np.int64)
    out = pd.DataFrame({"term_a": terms[a], "term_b": terms[b], "count": c,
                        "count_a": doc_freq[a].astype(np.int64), "count_b": doc_freq[b].astype(np.int64)})
    out["units"] = n_units
    out["ochiai"] = out["count"] / np.sqrt(out["count_a"] * out["count_b"])
    out["pmi"] = np.log(out["count"] * n_units / (out["count_a"] * out["count_b"]))
    out = out.astype({"term_a": "str", "term_b": "str"})
    out = out.sort_values(["count", "term_a", "term_b"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)[cols]


_POS_TOKENIZERS: dict[str, object] = {}


def textrank_keywords(corpus: pd.DataFrame, *, by: str = "doc_id", n: int = 20, lexicon=None, stopwords=None,
                      allow_pos: Sequence[str] = ("ns", "n", "vn", "v", "nz", "l"),
                      window: int = 5, min_chars: int = MIN_CHARS, drop_fragments: bool = True) -> pd.DataFrame:
    """TextRank keywords (jieba.analyse) of the text of each group, with our lexicon and stopwords.

    Texts of one group are joined with line breaks. The part-of-speech tagger runs on a private tokenizer
    carrying the lexicon (its terms are tagged ``n``); TextRank itself keeps words of two or more characters.

    Parameters
    ----------
    corpus
        The report table.
    by
        A column of the report table (``doc_id``, ``year``, ``region`` …).
    n
        Keywords per group.
    lexicon, stopwords
        As in :func:`lawgov_analysis.text.tokens.tokenize`.
    allow_pos
        jieba part-of-speech tags a keyword may have.
    window
        Co-occurrence window of the TextRank graph, in words.
    min_chars, drop_fragments
        Leave out keywords shorter than ``min_chars`` or matching a fragment pattern (:func:`keyword_mask`;
        TextRank itself already keeps words of two or more characters).

    Returns
    -------
    pandas.DataFrame
        One row per group × keyword, sorted by ``by``, descending ``weight``, ``term``: ``<by>, term, weight``
        (TextRank score scaled so that the group's best keyword has 1.0) and ``rank``.
    """
    import jieba.posseg
    from jieba.analyse.textrank import TextRank

    from ..text import tokens as tok

    check_columns(corpus, ["doc_id", "text"], what="corpus")
    check_option("by", by, [c for c in corpus.columns if c not in _NOT_GROUPS])
    entries = tok.lexicon_entries(lexicon)
    key = tok.lexicon_key(entries)
    pos_tokenizer = _POS_TOKENIZERS.get(key)
    if pos_tokenizer is None:
        pos_tokenizer = jieba.posseg.POSTokenizer(tok.get_segmenter(entries, segmenter="jieba", key=key))
        _POS_TOKENIZERS.clear()
        _POS_TOKENIZERS[key] = pos_tokenizer
    ranker = TextRank()
    ranker.tokenizer = ranker.postokenizer = pos_tokenizer
    ranker.stop_words = set(tok.load_stopwords(stopwords))
    ranker.span = int(window)
    rows = []
    texts = corpus.assign(_text=corpus["text"].fillna("").astype(str))
    for value, g in texts.groupby(by, sort=True, dropna=False):
        text = "\n".join(g.sort_values("doc_id")["_text"])
        for word, weight in ranker.textrank(text, topK=None, withWeight=True, allowPOS=tuple(allow_pos)):
            rows.append((value, word, float(weight)))
    out = pd.DataFrame(rows, columns=[by, "term", "weight"])
    out = out[keyword_mask(out.rename(columns={"term": "token"}), min_chars=min_chars,
                           drop_fragments=drop_fragments).to_numpy()]
    out["weight"] = out["weight"] / out.groupby(by, dropna=False, sort=False)["weight"].transform("max")
    out = out.sort_values([by, "weight", "term"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby(by, dropna=False, sort=False).cumcount() + 1
    return out[out["rank"] <= n].reset_index(drop=True)
