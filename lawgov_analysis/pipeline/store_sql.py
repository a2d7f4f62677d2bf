"""Store-wide term and theme tables computed by DuckDB over the store's Parquet files (:meth:`Store.sql`).

Counting terms per report or per year, or theme hits per report, is a ``group by`` over the token or hit
table: DuckDB runs it over the part files in a bounded amount of memory (it spills to disk above
:data:`MEMORY_LIMIT`) several times faster than reading the parts into pandas. Each function returns exactly
the table of the in-memory function on the whole tables (the tests compare them):

- :func:`term_tables_store` — from one pass over the tokens: each term's total and reports, and
  :func:`lawgov_analysis.analysis.keywords.term_frequencies` by report and by report columns (each group's
  top ``n`` terms and the rows of chosen terms, or every row);
- :func:`term_frequencies_sql` — one such table;
- :func:`term_totals_store` — each term's count over the corpus and the number of reports using it;
- :func:`theme_scores_sql` — :func:`lawgov_analysis.analysis.themes.theme_scores` by report;
- :func:`theme_metrics_store` — :func:`lawgov_analysis.analysis.themes.theme_metrics` read with a filter.

Which tokens are terms is decided as in :func:`~lawgov_analysis.analysis.keywords.keyword_mask`: DuckDB counts
the candidate tokens (kinds, no stopwords) per report, the length and fragment tests are applied in Python to
the distinct candidates, and the occurrences glued to the unit of a number before them (“2020年静海区” → 年静:
a number token of the same report ends where the candidate starts) are subtracted.
:func:`lawgov_analysis.pipeline.aggregate.term_frequencies_store` and
:func:`~lawgov_analysis.pipeline.aggregate.theme_scores_store` use these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import Store, duckdb_connection

__all__ = ["MEMORY_LIMIT", "SQL_BATCH_REPORTS", "term_tables_store", "term_frequencies_sql", "term_totals_store",
           "theme_scores_sql",
           "theme_metrics_store"]

#: DuckDB's memory limit for these queries (larger intermediate results spill to a temporary folder).
MEMORY_LIMIT = "1GB"
#: Reports scored by one DuckDB query in :func:`theme_scores_sql` (a range of consecutive ``doc_id`` values):
#: at 100,000 reports one query over the whole store peaked at 1.75 GB above what the process held before,
#: ranges of 10,000 at 0.8 GB (and ran faster: 64 s against 100 s).
SQL_BATCH_REPORTS = 10_000


def _quote(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _listing(values) -> str:
    return ", ".join(_quote(v) for v in values)


def _run(store: Store, query: str) -> pd.DataFrame:
    return store.sql(f"set memory_limit = {_quote(MEMORY_LIMIT)}; set preserve_insertion_order = false; {query}")


def _count_queries(kinds: Sequence[str], drop_stop: bool, drop_fragments: bool) -> tuple[str, str]:
    """Queries of the store: candidate terms per report (``doc_id, term, count``: the kinds, no stopwords) and
    the candidates glued to the unit of the number before them (``doc_id, term, glued``), for :func:`_terms`."""
    from ..analysis.keywords import DATE_UNITS

    cond = [f"t.kind in ({_listing(kinds) or 'null'})", "t.token is not null"]
    if drop_stop:
        cond.append("not t.is_stop")
    where = " and ".join(cond)
    counts = f"select t.doc_id, t.token as term, count(*) as count from tokens t where {where} group by all"
    if not drop_fragments:
        return counts, "select doc_id, token as term, 0::bigint as glued from tokens where false"
    units = _listing(DATE_UNITS)
    glued = f"""with s as materialized (select t.doc_id, t.start, t."end", t.token, t.kind, ({where}
                                              and left(t.token, 1) in ({units}) and length(t.token) > 1) as cand
                                      from tokens t where t.kind = 'number' or left(t.token, 1) in ({units}))
        select c.doc_id, c.token as term, count(*) as glued from s c join s p
        on p.doc_id = c.doc_id and p."end" = c.start where c.cand and p.kind = 'number' group by all"""
    return counts, glued


def _terms(con, files: dict[str, str], min_chars: int, drop_fragments: bool) -> None:
    """View ``terms`` (``doc_id, term, count``) of ``con``: the candidates that pass
    :func:`~lawgov_analysis.analysis.keywords.keyword_mask` (the length and fragment tests applied to the
    distinct candidates in Python), less the glued occurrences."""
    from ..analysis.keywords import keyword_mask

    vocab = con.execute(f"select distinct term from read_parquet({files['candidates']})").df()["term"]
    vocab = vocab.astype(str)
    keep = keyword_mask(pd.DataFrame({"token": vocab.to_numpy()}), min_chars=min_chars,
                        drop_fragments=drop_fragments).to_numpy()
    con.register("_excluded", pd.DataFrame({"term": vocab[~keep].to_numpy(dtype=object)}, dtype=object))
    con.execute(f"""create view terms as select c.doc_id, c.term, (c.count - coalesce(g.glued, 0))::bigint as count
        from read_parquet({files['candidates']}) c
        left join read_parquet({files['glued']}) g on g.doc_id = c.doc_id and g.term = c.term
        where c.term not in (select term from _excluded) and c.count > coalesce(g.glued, 0)""")


def term_tables_store(store: Store, *, by: Mapping[str, int | None] | None = None, top: int = 0,
                      terms: Sequence[str] | None = None, **options) -> dict[str, pd.DataFrame]:
    """Term tables of a whole store from one DuckDB pass over its tokens.

    The candidate terms of every report are counted once (``doc_id, term, count``, written to a temporary
    Parquet file, so memory holds neither the tokens nor that table); every table asked for is then a query of
    it. Which tokens are terms is decided as in :func:`~lawgov_analysis.analysis.keywords.term_frequencies`:
    the length and fragment tests of :func:`~lawgov_analysis.analysis.keywords.keyword_mask` are applied in
    Python to the distinct candidates, and the occurrences of a token glued to the unit of a number before it
    (“2020年静海区” → 年静: a number token of the report ends where it starts) are subtracted.

    Parameters
    ----------
    store
        An opened store.
    by
        Grouping → keep each group's top ``n`` terms (``None``: every term): ``"doc_id"`` or a column of the
        report table (``year``, ``level`` …), e.g. ``{"doc_id": 20, "year": None}``.
    top
        Also keep, in each table of ``by``, every row of the corpus's ``top`` most frequent terms (with their
        rank and share in the whole table), e.g. for a figure that sums those terms over the reports.
    terms
        Also keep every row of these terms.
    **options
        ``kinds``, ``drop_stop``, ``min_chars``, ``drop_fragments`` as for ``term_frequencies``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"totals"``: one row per term, sorted by descending ``count``, then ``term``: ``term``, ``count``
        (occurrences in every report), ``reports`` (reports with the term), ``rank`` (1 = most frequent).
        Each key of ``by``: the rows of ``term_frequencies(store.tokens, by=key, corpus=store.corpus,
        **options)`` kept (``rank <= n``, a ``top`` term or one of ``terms``): ``<key>, term, count, share, chars, per_10k,
        rank``, one row per group × term, sorted by the group, descending ``count``, ``term``; ``doc_id`` as
        plain strings.
    """
    import tempfile

    by = dict(by or {})
    for key, n in by.items():
        if key != "doc_id" and key not in store.columns("corpus"):
            allowed = ["doc_id", *[c for c in store.columns("corpus") if c not in ("doc_id", "text")]]
            raise ValueError(f"by must be one of {', '.join(allowed)}, got {key!r}")
        if n is not None and int(n) < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
    meta = [k for k in by if k != "doc_id"]
    from ..analysis.keywords import MIN_CHARS, TERM_KINDS

    unknown = sorted(set(options) - {"kinds", "drop_stop", "min_chars", "drop_fragments"})
    if unknown:
        raise TypeError(f"unexpected option(s): {', '.join(unknown)}")
    kinds = tuple(options.get("kinds", TERM_KINDS))
    min_chars = int(options.get("min_chars", MIN_CHARS))
    if min_chars < 1:
        raise ValueError(f"min_chars must be a positive integer, got {min_chars!r}")
    drop_fragments = bool(options.get("drop_fragments", True))
    counts, glued = _count_queries(kinds, bool(options.get("drop_stop", True)), drop_fragments)
    with tempfile.TemporaryDirectory(prefix="lawgov-terms-") as tmp:
        files = {name: _quote((Path(tmp) / f"{name}.parquet").as_posix())
                 for name in ("candidates", "glued", "chars", "meta")}
        _run(store, f"""copy ({counts}) to {files['candidates']} (format parquet);
            copy ({glued}) to {files['glued']} (format parquet);
            copy (select doc_id, sum("end" - start)::bigint as chars from tokens group by all)
                to {files['chars']} (format parquet);
            copy (select doc_id{''.join(', ' + k for k in meta)} from corpus) to {files['meta']} (format parquet);
            select 1""")
        with duckdb_connection() as con:
            con.execute(f"set memory_limit = {_quote(MEMORY_LIMIT)}")
            _terms(con, files, min_chars, drop_fragments)
            con.execute(f"create view chars as select * from read_parquet({files['chars']})")
            con.execute(f"create view meta as select * from read_parquet({files['meta']})")
            totals = con.execute("""select term, sum(count)::bigint as count, count(*) as reports from terms
                                    group by term order by count desc, term""").df()
            totals = totals.astype({"count": "int64", "reports": "int64"})
            totals["term"] = totals["term"].astype(str)
            totals["rank"] = np.arange(1, len(totals) + 1, dtype="int64")
            out = {"totals": totals}
            chosen = sorted({*totals["term"].head(int(top)), *map(str, terms if terms is not None else [])})
            for key, n in by.items():
                out[key] = _frequencies(con, key, n, chosen)
    return out


def _frequencies(con, by: str, n: int | None, chosen: list[str]) -> pd.DataFrame:
    if by == "doc_id":
        counts = "select doc_id as g, term, count from terms"
        chars = "select doc_id as g, chars from chars"
    else:
        counts = f"select m.{by} as g, term, sum(count) as count from terms t left join meta m using (doc_id) group by all"
        chars = f"select m.{by} as g, sum(chars) as chars from chars c left join meta m using (doc_id) group by all"
    keep = [] if n is None else [f"rank <= {int(n)}", *([f"term in ({_listing(chosen)})"] if chosen else [])]
    out = con.execute(f"""
        with c as ({counts}), s as ({chars}),
        f as (select g, term, count, count / sum(count) over (partition by g) as share,
                     row_number() over (partition by g order by count desc, term) as rank from c)
        select f.g as {by}, term, count, share, s.chars as chars, f.count / s.chars * 10000 as per_10k, rank
        from f join s on f.g is not distinct from s.g
        {'where ' + ' or '.join(keep) if keep else ''}
        order by f.g nulls last, rank""").df()
    out = out.astype({"count": "int64", "chars": "int64", "rank": "int64", "share": "float64",
                      "per_10k": "float64"})
    out["term"] = out["term"].astype(str)
    if by == "doc_id":
        out["doc_id"] = out["doc_id"].astype(str)
    return out.reset_index(drop=True)


def term_frequencies_sql(store: Store, *, by: str = "doc_id", n: int | None = None,
                         terms: Sequence[str] | None = None, **options) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.keywords.term_frequencies` of a whole store, computed by DuckDB.

    Parameters
    ----------
    store
        An opened store.
    by
        ``"doc_id"`` or a column of the report table (``year``, ``level`` …).
    n
        Keep only each group's top ``n`` terms (``rank <= n``).
    terms
        With ``n``: also keep the rows of these terms (with their rank and share in the whole table).
    **options
        ``kinds``, ``drop_stop``, ``min_chars``, ``drop_fragments`` as for ``term_frequencies``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``term_frequencies(store.tokens, by=by, corpus=store.corpus, **options)`` (all of them, or
        those with ``rank <= n`` or a term of ``terms``): ``<by>, term, count, share, chars, per_10k, rank``,
        one row per group × term, sorted by the group, descending ``count``, ``term``; ``doc_id`` as plain
        strings. (:func:`term_tables_store` gives several such tables from one pass.)
    """
    return term_tables_store(store, by={by: n}, terms=terms, **options)[by]


def term_totals_store(store: Store, **options) -> pd.DataFrame:
    """Each term's count over the whole store and the number of reports that use it (one DuckDB pass).

    Returns
    -------
    pandas.DataFrame
        The ``"totals"`` table of :func:`term_tables_store`: ``term, count, reports, rank``, one row per term,
        sorted by descending ``count``, then ``term``.
    """
    return term_tables_store(store, **options)["totals"]


def theme_scores_sql(store: Store) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.themes.theme_scores` by report of a whole store, computed by DuckDB.

    Returns
    -------
    pandas.DataFrame
        The table of ``theme_scores(store.theme_hits, store.sentences, corpus=store.corpus,
        themes=store.themes, by="doc_id")``: ``doc_id, theme_id, label, hits, chars, hits_per_10k, sentences,
        sentences_with_theme, sentence_share, terms``, one row per report × theme of the store's dictionary
        (zeros included), sorted by ``doc_id`` and dictionary order.

    Raises
    ------
    ValueError
        When the hits have a theme the store's dictionary lacks.
    """
    from ..analysis.themes import SCORE_COLUMNS, TERM_SEPARATOR

    table = store.themes
    known = store.sql("select distinct theme_id from theme_hits")["theme_id"].dropna().astype(str)
    unknown = sorted(set(known) - set(table["theme_id"]))
    if unknown:
        raise ValueError(f"theme_hits has themes the dictionary lacks: {', '.join(unknown)} (pass the themes the "
                         "hits were made with)")
    themes = ", ".join(f"({_quote(r.theme_id)}, {_quote(r.label)}, {i})"
                       for i, r in enumerate(table.itertuples(index=False)))
    # every row belongs to one report: the reports are scored in ranges of SQL_BATCH_REPORTS consecutive
    # doc_ids (the part files are in doc_id order, so a range reads few of them), which bounds DuckDB's hash
    # tables; the ranges in order give the rows in the order of one query over the whole store
    ids = sorted(store.sql("select distinct doc_id::varchar as doc_id from corpus")["doc_id"].dropna())
    ranges = [(ids[i], ids[min(i + SQL_BATCH_REPORTS, len(ids)) - 1]) for i in range(0, len(ids), SQL_BATCH_REPORTS)]
    pieces = []
    for lo_hi in ranges or [None]:      # an empty store: one query, no row
        within = "true" if lo_hi is None else f"doc_id::varchar between {_quote(lo_hi[0])} and {_quote(lo_hi[1])}"
        pieces.append(_run(store, f"""
        with th(theme_id, label, o) as (values {themes}),
        d as (select distinct doc_id from corpus where {within}),
        s as (select doc_id, sum("end" - start)::bigint as chars, count(*) as sentences from sentences
              where {within} group by doc_id),
        hs as (select doc_id, theme_id, sentence_id, count(*) as c from theme_hits where {within} group by all),
        h as (select doc_id, theme_id, sum(c)::bigint as hits, count(*) as sentences_with_theme from hs
              group by all),
        n as (select doc_id, theme_id, term, count(*) as k from theme_hits where {within} group by all),
        w as (select doc_id, theme_id, string_agg(term, {_quote(TERM_SEPARATOR)} order by k desc, term) as terms
              from n group by all)
        select d.doc_id::varchar as doc_id, th.theme_id, th.label, coalesce(h.hits, 0) as hits,
               coalesce(s.chars, 0) as chars, coalesce(s.sentences, 0) as sentences,
               coalesce(h.sentences_with_theme, 0) as sentences_with_theme, coalesce(w.terms, '') as terms
        from d cross join th left join s on s.doc_id = d.doc_id
        left join h on h.doc_id = d.doc_id and h.theme_id = th.theme_id
        left join w on w.doc_id = d.doc_id and w.theme_id = th.theme_id
        order by d.doc_id, th.o"""))
    out = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    out = out.astype({"hits": "int64", "chars": "int64", "sentences": "int64", "sentences_with_theme": "int64"})
    for col in ("doc_id", "theme_id", "label", "terms"):
        out[col] = out[col].astype(str)
    out["hits_per_10k"] = np.where(out["chars"] > 0, out["hits"] * 10_000 / out["chars"].clip(lower=1), 0.0)
    out["sentence_share"] = np.where(out["sentences"] > 0,
                                     out["sentences_with_theme"] / out["sentences"].clip(lower=1), 0.0)
    return out[["doc_id", *SCORE_COLUMNS]].reset_index(drop=True)


def theme_metrics_store(store: Store, theme: str, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.themes.theme_metrics` of a store, reading only the theme's rows.

    ``columns``: the columns wanted (default every column); only these (and the keys the rows are ordered by)
    are read, so the table equals the full one's ``[columns]`` in less memory (at 100,000 reports the 普法
    rows of every column hold 0.5 GB).

    Returns
    -------
    pandas.DataFrame
        The rows of ``store.table("metrics", categories=False)`` whose ``indicator_id`` starts with a prefix
        of the theme's ``indicators`` (the store's dictionary), every column or ``columns``, in the table's
        order.
    """
    import functools
    import operator

    import pyarrow as pa
    import pyarrow.compute as pc

    from ..analysis.themes import theme_indicators, theme_metrics

    table = store.themes
    prefixes = theme_indicators(table)
    mine = sorted(prefixes.loc[prefixes["theme_id"] == theme, "prefix"])
    field = pc.field("indicator_id").cast(pa.string())
    if mine:
        where = functools.reduce(operator.or_, [pc.starts_with(field, p) for p in mine])
    else:  # a theme without indicators: no row (every row has a doc_id), with the table's columns
        where = pc.field("doc_id").is_null()
    # the keys the store sorts rows by are read too, so the rows come in the same order as with every column
    read = None if columns is None else list(dict.fromkeys(["doc_id", "start", "end", "indicator_id", *columns]))
    out = theme_metrics(store.table("metrics", columns=read, categories=False, filters=where), theme, themes=table)
    return out if columns is None else out[list(columns)]
