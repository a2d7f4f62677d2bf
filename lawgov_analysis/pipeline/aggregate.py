"""Analyses read from a store one partition at a time: memory bounded by a partition, not by the corpus.

A store holds every per-report table in part files (``STORE/<table>/part-*.parquet``, a few hundred reports
each). The functions here read the tables they need part by part (:func:`iter_partitions`), compute on one
part, and combine the parts' results:

- :func:`term_frequencies_store` — :func:`lawgov_analysis.analysis.keywords.term_frequencies` of the whole
  store, by report (parts concatenated) or by a report column such as ``year`` (counts and characters summed
  over the parts, shares and ranks computed after). Never holds more than one part's tokens.
- :func:`theme_scores_store` — the theme scores of :func:`lawgov_analysis.analysis.themes.theme_scores` by
  report, section or sentence (parts concatenated) or by a report column (sums over the parts).
- :func:`fit_topics_store` / :func:`select_k_store` — topic models on the unit × term counts built part by
  part (:func:`lawgov_analysis.analysis.topics.unit_counts`). Up to ``max_docs`` reports every report is in
  the fit and the model is exactly :func:`~lawgov_analysis.analysis.topics.fit_topics` on the whole token
  table; above, the model is fitted on a seeded sample of ``max_docs`` reports stratified by ``strata``
  (:func:`sample_docs`) and every unit of every report gets its topic shares from the fitted model, part by
  part (``TopicModel.transform_counts``). :func:`topic_tables_store` gives the prevalence and
  topic–section agreement tables of such a model over every report, part by part.

Each returns exactly the table of the in-memory function on the whole tables (``doc_id`` as plain strings);
the tests compare them on multi-report stores. The per-report tables ``panel``, ``audit`` (with the
cross-report ``audit_years`` rows) and ``metrics`` hold one row per report, check or figure, not per token:
read them with ``store.table`` or query them with ``store.sql``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.config import DEFAULT_SEED
from .catalog import Store
from .storage import part_number, to_pandas

__all__ = ["iter_partitions", "term_frequencies_store", "theme_scores_store", "sample_docs", "fit_topics_store",
           "select_k_store", "topic_tables_store", "find_reuse_store", "DOC_KEYS", "BATCH_DOCS"]

logger = logging.getLogger(__name__)

#: Reports read together by the analyses (a batch of parts): bounds memory to about this many reports' rows.
BATCH_DOCS = 1000
#: Grouping columns whose groups lie inside one report (results of parts are concatenated).
DOC_KEYS = ("doc_id", "section_id", "sentence_id")


def iter_partitions(store: Store, tables: Mapping[str, Sequence[str] | None], *,
                    docs: Sequence[str] | None = None, batch_docs: int = 1, progress: bool | None = False,
                    desc: str = "partitions") -> Iterator[dict[str, pd.DataFrame]]:
    """Read several tables of a store one part at a time.

    Parameters
    ----------
    store
        An opened store (:func:`lawgov_analysis.open_corpus`).
    tables
        Table name → the columns to read (``None``: all), e.g. ``{"tokens": ["doc_id", "token"], "corpus":
        ["doc_id", "year"]}``. Per-report tables only (``store.parts``).
    docs
        Read only these reports (default: every report of the index).
    batch_docs
        Join consecutive parts until a batch holds at least this many reports (1: one part at a time). Fewer,
        larger batches cost less per batch; memory grows with the batch.
    progress
        Show a progress bar over the parts (``None``: only on a terminal).

    Yields
    ------
    dict
        Table name → pandas table of the reports of one part or batch of parts (rows of reports rebuilt since into another part
        are left out), ``doc_id`` as plain strings, in the part's row order. Parts without any wanted report
        are skipped.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from tqdm.auto import tqdm

    store.refresh()
    index = store.index
    if docs is not None:
        index = index[index["doc_id"].isin(set(map(str, docs)))]
    members = index.groupby("part")["doc_id"].apply(list).to_dict()
    names = list(tables)
    if not names:
        return
    files = {name: {part_number(f): f for f in store.parts(name)} for name in names}
    order = [p for p in (part_number(f) for f in store.parts(names[0])) if members.get(p)]

    def read(part: int) -> dict[str, pd.DataFrame]:
        wanted = pa.array(members[part], type=pa.string())
        out = {}
        for name in names:
            cols = tables[name]
            need = None if cols is None else list(dict.fromkeys(["doc_id", *cols]))
            table = pq.read_table(files[name][part], columns=need)
            table = table.filter(pc.is_in(table["doc_id"].cast(pa.string()), wanted))
            df = to_pandas(table, False)
            df["doc_id"] = df["doc_id"].astype(str)
            out[name] = df if cols is None else df[list(cols) if "doc_id" in cols else ["doc_id", *cols]]
        return out

    batch: list[dict[str, pd.DataFrame]] = []
    held = 0
    for part in tqdm(order, desc=desc, unit="part", disable=(not progress) if progress is not None else None):
        batch.append(read(part))
        held += len(members[part])
        if held >= batch_docs:
            yield _join(batch, names)
            batch, held = [], 0
    if batch:
        yield _join(batch, names)


def _join(batch: list[dict[str, pd.DataFrame]], names: list[str]) -> dict[str, pd.DataFrame]:
    if len(batch) == 1:
        return batch[0]
    return {name: pd.concat([b[name] for b in batch], ignore_index=True) for name in names}


def _meta_columns(store: Store, by: str) -> list[str]:
    return ["doc_id"] if by in DOC_KEYS or by.startswith("section_l") else ["doc_id", by]


# -------------------------------------------------------------------------------------------------- keywords
def term_frequencies_store(store: Store, *, by: str = "doc_id", n: int | None = None,
                           terms: Sequence[str] | None = None, batch_docs: int = BATCH_DOCS,
                           progress: bool | None = False, **options) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.keywords.term_frequencies` of a whole store, one part in memory at a time.

    Parameters
    ----------
    store
        An opened store.
    by
        ``"doc_id"``, ``"section_id"``, ``"sentence_id"`` (groups inside a report: each part's table is
        computed and the parts concatenated) or a column of the report table such as ``"year"``, ``"region"``,
        ``"level"`` (counts and characters summed over the parts; ``share``, ``per_10k`` and ``rank`` computed
        from the sums).
    n
        Keep only the ``n`` most frequent terms of each group (``rank <= n``, as
        :func:`~lawgov_analysis.analysis.keywords.top_terms`). By report at 100,000 reports the full table
        has over 10⁸ rows, so give ``n`` there.
    terms
        With ``n``, by report or a report column: also keep every row of these terms (e.g. the corpus-wide top
        terms of :func:`~lawgov_analysis.pipeline.store_sql.term_totals_store`, for a figure that sums them
        over the reports).
    batch_docs, progress
        Reports read together (:func:`iter_partitions`); a progress bar over the parts. By report or by a
        report column the counts are one DuckDB query over the part files
        (:func:`~lawgov_analysis.pipeline.store_sql.term_frequencies_sql`), which needs neither.
    **options
        ``kinds``, ``drop_stop``, ``min_chars``, ``drop_fragments`` as for ``term_frequencies``.

    Returns
    -------
    pandas.DataFrame
        The table of ``term_frequencies(store.tokens, by=by, corpus=store.corpus, **options)`` (with
        ``doc_id`` and the group key as plain values): ``[doc_id,] <by>, term, count, share, chars, per_10k,
        rank``, one row per group × term, sorted by the group key(s), descending ``count``, ``term``.
    """
    from ..analysis.keywords import term_frequencies
    from .store_sql import term_frequencies_sql

    if n is not None and int(n) < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    columns = ["doc_id", "token", "kind", "is_stop", "start", "end"]
    if by in ("section_id", "sentence_id"):
        columns.append(by)
    elif by != "doc_id" and by not in store.columns("corpus"):
        allowed = ["doc_id", "section_id", "sentence_id",
                   *[c for c in store.columns("corpus") if c not in ("doc_id", "text")]]
        raise ValueError(f"by must be one of {', '.join(allowed)}, got {by!r}")
    if by not in ("section_id", "sentence_id") and store.parts("tokens"):
        return term_frequencies_sql(store, by=by, n=n, terms=terms, **options)
    if terms is not None:
        raise ValueError("terms is given only with by='doc_id' or a report column")
    pieces = []
    for part in iter_partitions(store, {"tokens": columns, "corpus": _meta_columns(store, by)},
                                batch_docs=batch_docs, progress=progress, desc="term frequencies"):
        freq = term_frequencies(part["tokens"], by=by, corpus=part["corpus"], **options)
        if by in DOC_KEYS and n is not None:
            freq = freq[freq["rank"] <= int(n)]
        pieces.append(freq)
    if not pieces:
        return term_frequencies(pd.DataFrame(columns=columns), by="doc_id")
    keys = ["doc_id", by] if by in ("section_id", "sentence_id") else [by]
    if by in DOC_KEYS:
        out = pd.concat(pieces, ignore_index=True)
        return out.sort_values("doc_id", kind="stable").reset_index(drop=True)
    chars = (pd.concat([p.drop_duplicates(keys)[[*keys, "chars"]] for p in pieces], ignore_index=True)
             .groupby(keys, dropna=False, sort=False)["chars"].sum().rename("chars").reset_index())
    counts = (pd.concat([p[[*keys, "term", "count"]] for p in pieces], ignore_index=True)
              .groupby([*keys, "term"], dropna=False, sort=False)["count"].sum().reset_index())
    counts["share"] = counts["count"] / counts.groupby(keys, dropna=False, sort=False)["count"].transform("sum")
    out = counts.merge(chars, on=keys, how="left")
    out["chars"] = out["chars"].astype("int64")
    out["count"] = out["count"].astype("int64")
    out["per_10k"] = out["count"] / out["chars"] * 10_000
    out = out.sort_values([*keys, "count", "term"], ascending=[True] * len(keys) + [False, True],
                          kind="stable", na_position="last").reset_index(drop=True)
    out["rank"] = out.groupby(keys, dropna=False, sort=False).cumcount() + 1
    if n is not None:
        out = out[out["rank"] <= int(n)].reset_index(drop=True)
    return out[[*keys, "term", "count", "share", "chars", "per_10k", "rank"]]


# ---------------------------------------------------------------------------------------------------- themes
def theme_scores_store(store: Store, *, by: str = "doc_id", section_level: int | None = None,
                       batch_docs: int = BATCH_DOCS, progress: bool | None = False) -> pd.DataFrame:
    """Theme scores of every report of a store from its ``theme_hits``, one part in memory at a time.

    Parameters
    ----------
    store
        An opened store (its hits were made with ``store.themes``).
    by, section_level
        As for :func:`lawgov_analysis.analysis.themes.theme_scores`: ``"doc_id"``, ``"section_id"``,
        ``"sentence_id"``, ``"section_l1"`` … (computed per part, parts concatenated), or a report column such
        as ``"year"`` (``hits``, ``chars``, ``sentences`` and ``sentences_with_theme`` summed over the parts;
        ``hits_per_10k``, ``sentence_share`` and the ordered ``terms`` computed from the sums).
    batch_docs, progress
        Reports read together (:func:`iter_partitions`); a progress bar over the parts.

    Returns
    -------
    pandas.DataFrame
        The table of ``theme_scores(store.theme_hits, store.sentences, corpus=store.corpus,
        sections=store.sections, themes=store.themes, by=by)``: the group key(s), ``theme_id, label, hits,
        chars, hits_per_10k, sentences, sentences_with_theme, sentence_share, terms``, one row per group ×
        theme, zeros included.
    """
    from ..analysis.themes import SCORE_COLUMNS, TERM_SEPARATOR
    from ..analysis.themes import theme_scores as scores
    from .store_sql import theme_scores_sql

    if by == "doc_id" and section_level is None and store.parts("theme_hits") and store.parts("sentences"):
        return theme_scores_sql(store)      # one DuckDB query over the part files
    table = store.themes
    corpus_cols = [c for c in store.columns("corpus") if c != "text"]
    within = by in DOC_KEYS or by.startswith("section_l")
    if not within and by not in corpus_cols:
        allowed = [*DOC_KEYS, "section_l1", "section_l2", "section_l3", "section_l4",
                   *[c for c in corpus_cols if c != "doc_id"]]
        raise ValueError(f"by must be one of {', '.join(allowed)}, got {by!r}")
    need = {"theme_hits": None, "sentences": ["doc_id", "section_id", "sentence_id", "start", "end"],
            "corpus": _meta_columns(store, by)}
    if by.startswith("section_l") or section_level is not None:
        need["sections"] = None
    pieces, term_counts = [], []
    for part in iter_partitions(store, need, batch_docs=batch_docs, progress=progress, desc="theme scores"):
        got = scores(part["theme_hits"], part["sentences"], corpus=part["corpus"], sections=part.get("sections"),
                     themes=table, by=by, section_level=section_level)
        pieces.append(got)
        if not within:
            hits = part["theme_hits"][["doc_id", "theme_id", "term"]].astype(str).merge(
                part["corpus"], on="doc_id", how="left")
            term_counts.append(hits.groupby([by, "theme_id", "term"], dropna=False, sort=False).size()
                               .rename("_n").reset_index())
    if within:
        out = pd.concat(pieces, ignore_index=True)
        return out.sort_values("doc_id", kind="stable").reset_index(drop=True)
    both = pd.concat(pieces, ignore_index=True)
    sums = ["hits", "chars", "sentences", "sentences_with_theme"]
    out = both.groupby([by, "theme_id"], dropna=False, sort=False).agg(
        {"label": "first", **{c: "sum" for c in sums}}).reset_index()
    out = out.astype({c: "int64" for c in sums})
    out["hits_per_10k"] = np.where(out["chars"] > 0, out["hits"] * 10_000 / out["chars"].clip(lower=1), 0.0)
    out["sentence_share"] = np.where(out["sentences"] > 0,
                                     out["sentences_with_theme"] / out["sentences"].clip(lower=1), 0.0)
    counts = pd.concat(term_counts, ignore_index=True) if term_counts else pd.DataFrame(
        columns=[by, "theme_id", "term", "_n"])
    counts = counts.groupby([by, "theme_id", "term"], dropna=False, sort=False)["_n"].sum().reset_index()
    counts = counts.sort_values(["_n", "term"], ascending=[False, True], kind="stable")
    terms = (counts.groupby([by, "theme_id"], dropna=False, sort=False)["term"]
             .agg(lambda s: TERM_SEPARATOR.join(s)).rename("terms").reset_index())
    out = out.merge(terms, on=[by, "theme_id"], how="left")
    out["terms"] = out["terms"].fillna("").astype(str)
    rank = {t: i for i, t in enumerate(table["theme_id"])}
    out["_theme"] = out["theme_id"].map(rank)
    out = out.sort_values([by, "_theme"], kind="stable", na_position="last")
    return out[[by, *SCORE_COLUMNS]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------- topics
def sample_docs(store: Store, max_docs: int, *, strata: str | None = "year", seed: int = 0) -> list[str]:
    """A seeded sample of at most ``max_docs`` reports, stratified by a report column.

    Every report when the store has ``max_docs`` or fewer. Otherwise each stratum (value of ``strata``,
    missing values one stratum; the whole store when ``strata`` is ``None`` or not a column) gets
    ``max_docs × its share`` reports (largest remainders first, at least one per stratum while the total
    allows), drawn without replacement with ``numpy.random.default_rng(seed)``.

    Returns
    -------
    list of str
        Sorted ``doc_id`` values.
    """
    if int(max_docs) < 1:
        raise ValueError(f"max_docs must be a positive integer, got {max_docs!r}")
    ids = store.index["doc_id"].astype(str)
    if len(ids) <= max_docs:
        return sorted(ids)
    if strata is not None and strata in store.columns("corpus"):
        meta = store.table("corpus", columns=["doc_id", strata], categories=False)
        meta = meta[meta["doc_id"].astype(str).isin(set(ids))]
        groups = meta.groupby(meta[strata].astype(str).where(meta[strata].notna(), "<NA>"), sort=True)["doc_id"]
        members = [sorted(g.astype(str)) for _, g in groups]
    else:
        members = [sorted(ids)]
    sizes = np.array([len(m) for m in members], dtype=float)
    quota = max_docs * sizes / sizes.sum()
    take = np.minimum(np.floor(quota).astype(int), sizes.astype(int))
    if max_docs >= len(members):
        take = np.maximum(take, 1)
    for i in np.argsort(-(quota - np.floor(quota)), kind="stable"):
        if take.sum() >= max_docs:
            break
        if take[i] < sizes[i]:
            take[i] += 1
    while take.sum() > max_docs:
        take[int(np.argmax(take))] -= 1
    rng = np.random.default_rng(seed)
    chosen = [d for m, t in zip(members, take) if t > 0 for d in rng.choice(m, size=int(t), replace=False)]
    return sorted(map(str, chosen))


def _counts(store: Store, unit: str, min_chars: int, docs, batch_docs, progress, desc):
    from ..analysis.topics import unit_counts

    tables = {"tokens": ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind",
                         "is_stop"]}
    if unit == "paragraph":
        tables["corpus"] = ["doc_id", "text"]
    for part in iter_partitions(store, tables, docs=docs, batch_docs=batch_docs, progress=progress, desc=desc):
        yield unit_counts(part["tokens"], unit=unit, corpus=part.get("corpus"), min_chars=min_chars)


def fit_topics_store(store: Store, *, k: int, method: str = "nmf", unit: str = "sentence", seed: int = DEFAULT_SEED,
                     max_docs: int = 10_000, strata: str | None = "year", batch_docs: int = BATCH_DOCS,
                     progress: bool | None = False, **settings):
    """Fit a topic model on a store's tokens without holding the token table in memory.

    The unit × term counts are built one part at a time (only the sparse counts are kept). With at most
    ``max_docs`` reports the model is fitted on every unit and equals
    :func:`lawgov_analysis.analysis.topics.fit_topics` on ``store.tokens`` with the same settings. With more,
    it is fitted on the units of :func:`sample_docs` (``max_docs`` reports stratified by ``strata``, seeded
    by ``seed``; the vocabulary limits ``min_df``/``max_df`` and the TF-IDF weights come from the sample),
    and then every unit of every report gets its topic shares from the fitted model
    (``TopicModel.transform_counts``), one part at a time.

    Parameters
    ----------
    store
        An opened store.
    k, method, unit, seed, **settings
        As for :func:`~lawgov_analysis.analysis.topics.fit_topics` (``unit="paragraph"`` reads the report
        text of each part).
    max_docs
        Most reports in the fit.
    strata
        Report column the sample is stratified by.
    batch_docs, progress
        Reports read together (:func:`iter_partitions`); progress bars over the parts.

    Returns
    -------
    TopicModel
        Fitted, with ``units_``, ``doc_topic_`` over every unit of the store and the attributes
        ``sample_`` (the ``doc_id`` values fitted on) and ``sampled_`` (``True`` when not every report was).
    """
    from ..analysis.topics import TopicModel, stack_counts

    model = TopicModel(k, method=method, unit=unit, seed=seed, **settings)
    docs = sample_docs(store, max_docs, strata=strata, seed=seed)
    sampled = len(docs) < len(store.index)
    units, counts, vocab = stack_counts(list(_counts(store, unit, model.min_chars, docs, batch_docs, progress,
                                                     "topic counts")))
    logger.info("topics: fitting %s k=%d on %d units × %d terms of %d reports%s", method, k, counts.shape[0],
                counts.shape[1], len(docs), " (sample)" if sampled else "")
    model.fit_counts(units, counts, vocab)
    del units, counts, vocab
    if sampled:
        frames, shares = [], []
        for piece in _counts(store, unit, model.min_chars, None, batch_docs, progress, "topic shares"):
            if len(piece[0]):
                got, W = model.transform_counts(*piece)
                frames.append(got)
                shares.append(W)
        model.units_ = pd.concat(frames, ignore_index=True)
        model.doc_topic_ = np.vstack(shares)
        model.n_units_ = len(model.units_)
    model.sample_ = docs
    model.sampled_ = sampled
    return model


def select_k_store(store: Store, *, ks=range(3, 13), method: str = "nmf", unit: str = "sentence",
                   seeds: Sequence[int] | None = None, seed: int | None = None, n_terms: int = 10,
                   max_docs: int = 2_000, strata: str | None = "year", return_model: bool = False,
                   batch_docs: int = BATCH_DOCS, progress: bool | None = False, **settings):
    """:func:`lawgov_analysis.analysis.topics.select_k` on a store, built part by part.

    On every report when the store has at most ``max_docs`` (then the result equals ``select_k`` on
    ``store.tokens``), else on :func:`sample_docs` (stratified by ``strata``, seeded by the first seed).
    ``ks``, ``method``, ``unit``, ``seeds``, ``seed``, ``n_terms``, ``return_model`` and ``settings`` as for
    ``select_k``; ``batch_docs`` and ``progress`` as for :func:`fit_topics_store`.

    Returns
    -------
    tuple
        ``(table, k, rule)`` (and the model with ``return_model=True``) as
        :func:`~lawgov_analysis.analysis.topics.select_k`; the rule names the sample when one was drawn. A
        returned model covers the sampled units only, and has ``sample_`` (the ``doc_id`` values fitted on)
        and ``sampled_`` (``True`` when not every report was); :func:`topic_tables_store` applies it to every
        report.
    """
    from ..analysis.topics import select_k_counts, stack_counts

    first = seeds[0] if seeds else (seed if seed is not None else DEFAULT_SEED)
    docs = sample_docs(store, max_docs, strata=strata, seed=int(first))
    pieces = list(_counts(store, unit, settings.get("min_chars", 2), docs, batch_docs, progress, "topic counts"))
    out = select_k_counts(*stack_counts(pieces), ks=ks, method=method, unit=unit, seeds=seeds, seed=seed,
                          n_terms=n_terms, return_model=return_model, **settings)
    sampled = len(docs) < len(store.index)
    if sampled:
        rule = out[2] + f"; on a sample of {len(docs)} of {len(store.index)} reports stratified by {strata}"
        out = (*out[:2], rule, *out[3:])
    if return_model:
        out[3].sample_, out[3].sampled_ = docs, sampled
    return out


def topic_tables_store(store: Store, model, *, by: Sequence[str] = ("year", "level"),
                       levels: Sequence[int] = (1, 2), batch_docs: int = BATCH_DOCS,
                       progress: bool | None = False) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Topic prevalence by report columns and topic–section agreement of a store, one part in memory at a time.

    A model that holds every unit of the store (``model.sampled_`` false or absent: fitted on every report,
    e.g. by :func:`select_k_store` on a store of at most ``max_docs`` reports) gives exactly
    :func:`~lawgov_analysis.analysis.topics.topic_prevalence` and
    :func:`~lawgov_analysis.analysis.topics.topic_section_agreement` of its own units. A model fitted on a
    sample (``model.sampled_`` true) is applied to every unit of every report part by part
    (``TopicModel.transform_counts``): each part adds its units' token-weighted topic shares to the sums of
    its groups and each unit's dominant topic and section to the agreement, so the tables cover the whole
    store and memory holds one part's tokens plus two small integers per unit.

    Parameters
    ----------
    store
        An opened store.
    model
        A fitted :class:`~lawgov_analysis.analysis.topics.TopicModel` of this store.
    by
        Report columns to give the prevalence by (e.g. ``year``, ``level``).
    levels
        Section levels for the agreement (1, 2).
    batch_docs, progress
        Reports read together (:func:`iter_partitions`); a progress bar over the parts.

    Returns
    -------
    prevalence : dict of str to pandas.DataFrame
        ``by`` column → the table of ``topic_prevalence(model, corpus, by=column)``: ``<column>, topic, label,
        prevalence, units, tokens``, one row per group × topic.
    agreement : pandas.DataFrame
        One row per level: ``level``, ``ami`` (adjusted mutual information of each unit's section at that
        level and its dominant topic).
    """
    from sklearn.metrics import adjusted_mutual_info_score
    from sklearn.utils.validation import check_is_fitted

    from ..analysis.topics import topic_prevalence, topic_section_agreement, unit_counts
    from ..text.structure import with_section_level

    check_is_fitted(model, "doc_topic_")
    if model.unit == "doc" and levels:
        raise ValueError("unit must be one of sentence, paragraph, section for topic_section_agreement, got 'doc'")
    by = [str(c) for c in by]
    levels = [int(lv) for lv in levels]
    if not getattr(model, "sampled_", False):
        meta = store.table("corpus", columns=["doc_id", *[c for c in by if c != "doc_id"]], categories=False)
        sections = store.table("sections", categories=False) if levels else None
        return ({c: topic_prevalence(model, meta, by=c) for c in by},
                pd.DataFrame({"level": pd.Series(levels, dtype="int64"),
                              "ami": [topic_section_agreement(model, sections, level=lv) for lv in levels]}))
    k = model.doc_topic_.shape[1]
    cols = [c for c in by if c != "doc_id"]
    need = {"tokens": ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind",
                       "is_stop"],
            "corpus": ["doc_id", *cols, *(["text"] if model.unit == "paragraph" else [])],
            "sections": None}
    sums = {c: [] for c in by}
    label_codes = {lv: [] for lv in levels}
    topics, offset = [], 0
    for part in iter_partitions(store, need, batch_docs=batch_docs, progress=progress, desc="topic shares"):
        units, counts, vocab = unit_counts(part["tokens"], unit=model.unit, corpus=part["corpus"],
                                           min_chars=model.min_chars)
        if not len(units):
            continue
        kept, W = model.transform_counts(units, counts, vocab)
        if not len(kept):
            continue
        w = kept["n_tokens"].to_numpy(dtype=float)
        frame = pd.DataFrame(W * w[:, None], columns=[f"_s{t}" for t in range(k)])
        frame["units"] = 1
        frame["tokens"] = kept["n_tokens"].to_numpy(dtype=np.int64)
        frame["_w"] = w
        meta = kept[["doc_id"]].merge(part["corpus"].drop(columns=["text"], errors="ignore"), on="doc_id",
                                      how="left")
        for c in by:
            got = frame.assign(**{c: meta[c].to_numpy()}).groupby(c, dropna=False, sort=False).sum()
            sums[c].append(got.reset_index())
        dominant = kept.assign(topic=W.argmax(axis=1).astype("int64"))
        topics.append(dominant["topic"].to_numpy())
        for lv in levels:
            rolled = with_section_level(dominant, part["sections"], level=lv, column="_section")
            codes = pd.factorize(rolled["doc_id"].astype(str) + "/" + rolled["_section"].astype(str))[0]
            label_codes[lv].append(codes.astype(np.int64) + offset)
        offset += len(kept) + 1
    labels = model.labels()
    prevalence = {}
    for c in by:
        rows = []
        if sums[c]:
            total = pd.concat(sums[c], ignore_index=True).groupby(c, dropna=False, sort=True).sum()
            for key, r in total.iterrows():
                shares = np.array([r[f"_s{t}"] for t in range(k)]) / max(float(r["_w"]), 1e-12)
                rows.extend((key, t, labels[t], float(shares[t]), int(r["units"]), int(r["tokens"]))
                            for t in range(k))
        out = pd.DataFrame(rows, columns=[c, "topic", "label", "prevalence", "units", "tokens"])
        out = out.sort_values([c, "topic"], kind="stable", na_position="last").reset_index(drop=True)
        prevalence[c] = out.astype({"topic": "int64", "units": "int64", "tokens": "int64"})
    topic = np.concatenate(topics) if topics else np.array([], dtype=np.int64)
    ami = [float(adjusted_mutual_info_score(np.concatenate(label_codes[lv]), topic)) if topics else float("nan")
           for lv in levels]
    return prevalence, pd.DataFrame({"level": pd.Series(levels, dtype="int64"), "ami": ami})


def find_reuse_store(store: Store, **options) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.reuse.find_reuse` over a whole store, read one partition at a time.

    Only integers per sentence and each distinct normalised sentence are held (the text of the sentence table
    is never read whole), and the report table is read without its texts: the build's ``reuse`` stage and
    ``lawgov-analysis reuse`` use it, and so does a page asking for another ``min_similarity`` than the
    stored table's. ``options`` go to ``find_reuse`` (``min_similarity``, ``progress`` …).

    Returns
    -------
    pandas.DataFrame
        The same table as ``find_reuse(store.table("sentences"), store.table("corpus"), **options)``: one row
        per reused passage, columns :data:`lawgov_analysis.analysis.reuse.PAIR_COLUMNS`.
    """
    import multiprocessing as mp

    from ..analysis.reuse import find_reuse
    from ..analysis.reuse_units import merge_part_units

    corpus = store.reports()
    jobs = options.get("n_jobs", 1)
    if jobs > 1 and "fork" in mp.get_all_start_methods():
        # the parts are read and normalised by forked processes; only their units come back
        import inspect
        from concurrent.futures import ProcessPoolExecutor

        defaults = inspect.signature(find_reuse).parameters
        unit_options = {k: options.get(k, defaults[k].default) for k in ("min_chars", "mask_numbers")}
        reads = _sentence_reads(store)
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
            units = merge_part_units(pool.map(_read_part_units, reads, [unit_options] * len(reads),
                                              chunksize=max(1, len(reads) // (8 * jobs))))
        return find_reuse(units, corpus, **options)
    return find_reuse((_read_sentences(*r) for r in _sentence_reads(store)), corpus, **options)


def _sentence_reads(store: Store) -> list[tuple[str, list[str]]]:
    """Each sentence part of the store with the reports the index places in it (parts without any skipped)."""
    store.refresh()
    members = store.index.groupby("part")["doc_id"].apply(list).to_dict()
    return [(str(f), members[part_number(f)]) for f in store.parts("sentences") if members.get(part_number(f))]


def _read_sentences(path: str, wanted: list[str]):
    """One sentence part (``doc_id, start, end, text``) as an Arrow table (what :func:`iter_partitions` reads,
    without the conversion to pandas): the rows of the reports ``wanted``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["doc_id", "start", "end", "text"])
    doc = table.column("doc_id")
    doc = doc.cast(doc.type.value_type) if pa.types.is_dictionary(doc.type) else doc
    return table.filter(pc.is_in(doc, pa.array(wanted, type=pa.string())))


def _read_part_units(read: tuple[str, list[str]], unit_options: dict):
    from ..analysis.reuse_units import part_units

    return part_units(_read_sentences(*read), **unit_options)
