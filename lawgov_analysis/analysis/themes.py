"""Theme dictionaries: how much of a report, section or sentence is about 普法, 扫黑除恶, 放管服 ….

A theme is a labelled list of terms (and optional regular expressions for variants) read from
``resources/themes.toml``, from the user's own TOML file or dict, or both (``load_themes(extra=FILE)``: the
bundled themes plus, or overridden by, the user's). Terms are matched as whole tokens: the corpus store's tokens
(:func:`lawgov_analysis.open_corpus`) are segmented with every theme term in the lexicon, so each term is one
protected token and is never found as a substring inside a longer word. A pattern must match a whole token
(``re.fullmatch``), never a raw substring; a 《title》 token is matched with its brackets.

- :func:`load_themes`, :func:`theme_terms`, :func:`theme_indicators`, :func:`theme_metrics`: the dictionary;
- :func:`theme_hits`: tokens → one row per matching token (the store's ``theme_hits`` table);
  :func:`theme_scores`: hits + sentences → hits per report, section, sentence or metadata group;
  :func:`theme_sentences`: hits + sentences → the sentences that carry a theme. Nothing is segmented here.

A seeded stratified sample for human coding is :func:`lawgov_analysis.analysis.validation.coding_sample`; each
term as substring vs as token is :func:`lawgov_analysis.analysis.theme_audit.theme_audit`.

Every hit keeps its lineage (document, section, sentence, token offsets, term), so any score can be traced
back to the characters of the report.

>>> from lawgov_analysis import open_corpus                                             # doctest: +SKIP
>>> store = open_corpus("data/reports")                                                # doctest: +SKIP
>>> scores = theme_scores(store.theme_hits, store.sentences, corpus=store.corpus,      # doctest: +SKIP
...                       sections=store.sections, by="section_id", section_level=3)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..core.resources import resource_text
from ..core.tables import join_metadata
from ..core.validate import check_columns, check_option

__all__ = [
    "theme_hits_arrow",
    "THEME_COLUMNS",
    "SCORE_COLUMNS",
    "HIT_COLUMNS",
    "lexicon_terms",
    "SENTENCE_COLUMNS",
    "load_themes",
    "theme_terms",
    "theme_indicators",
    "theme_metrics",
    "theme_hits",
    "theme_scores",
    "theme_sentences",
]

#: Columns of :func:`load_themes`.
THEME_COLUMNS = ["theme_id", "label", "definition", "indicators", "source", "terms", "patterns"]
#: Columns of :func:`theme_scores` after the group key column(s).
SCORE_COLUMNS = ["theme_id", "label", "hits", "chars", "hits_per_10k", "sentences", "sentences_with_theme",
                 "sentence_share", "terms"]
#: Columns of :func:`theme_hits`.
HIT_COLUMNS = ["doc_id", "section_id", "sentence_id", "token_id", "start", "end", "term", "kind", "theme_id",
               "entry"]
#: Columns of :func:`theme_sentences`.
SENTENCE_COLUMNS = ["doc_id", "section_id", "sentence_id", "start", "end", "text", "theme_id", "terms", "hits"]

#: Token kinds a theme term can match (numbers and punctuation never do).
MATCH_KINDS = ("word", "title", "slogan")
#: Separator of the distinct terms in the ``terms`` columns (it never occurs inside a term).
TERM_SEPARATOR = "、"

_WITHIN_DOC = ("doc_id", "section_id", "sentence_id")
_SECTION_LEVEL = re.compile(r"section_l(\d)")

ThemesLike = str | Path | Mapping | pd.DataFrame | None


# ---------------------------------------------------------------------------------------------------------
# Dictionaries


def load_themes(path_or_dict: ThemesLike = None, *, extra: ThemesLike = None) -> pd.DataFrame:
    """Read a theme dictionary: the bundled one, a TOML file, or a plain dict; plus a user's own themes.

    Parameters
    ----------
    path_or_dict
        ``None`` for the bundled ``resources/themes.toml``; a path to a TOML file laid out like it
        (``[themes.<id>]`` tables with ``label``, ``definition``, ``terms``, optional ``patterns``,
        ``indicators`` and ``source``); or a dict, either ``{"themes": {id: spec}}``, ``{id: spec}`` or, the
        shortest form, ``{id: [term, …]}``. A table returned by this function is passed through unchanged.
    extra
        A user theme file (or dict or table, read the same way) whose themes are added to those of
        ``path_or_dict``; a theme with the id of an existing one replaces it (``load_themes(extra="my.toml")``:
        the bundled themes plus, or overridden by, the user's). Written e.g. by
        :func:`lawgov_analysis.analysis.expand.theme_file_text`.

    Returns
    -------
    pandas.DataFrame
        One row per theme, in dictionary order:

        ``theme_id`` (str); ``label`` (Chinese label, the id when not given); ``definition`` (one line);
        ``indicators`` (tuple of ``indicator_id`` prefixes whose numbers belong to the theme, e.g.
        ``("pufa.", "creation.")``); ``source`` (provenance note); ``terms`` (tuple of exact terms, each
        matched as one whole token); ``patterns`` (tuple of regular expressions, each matched against whole
        tokens with ``re.fullmatch``).

        ========  =====  ============  ====================  ======  =================  ===========
        theme_id  label  definition    indicators            source  terms              patterns
        ========  =====  ============  ====================  ======  =================  ===========
        pufa      普法   Legal educ…   ("pufa.", "creat…")   …       ("七五普法", …)    ("普法.+", …)
        ========  =====  ============  ====================  ======  =================  ===========

    Raises
    ------
    ValueError
        When a theme has no terms and no patterns, a term is empty or contains whitespace (it could never be
        one token), or a pattern is not a valid regular expression.
    """
    if extra is not None:
        base, user = load_themes(path_or_dict), load_themes(extra)
        return pd.concat([base[~base["theme_id"].isin(user["theme_id"])], user], ignore_index=True)
    if isinstance(path_or_dict, pd.DataFrame):
        check_columns(path_or_dict, THEME_COLUMNS, what="themes")
        return path_or_dict
    if path_or_dict is None:
        data = tomllib.loads(resource_text("themes.toml"))
    elif isinstance(path_or_dict, str | Path):
        data = tomllib.loads(Path(path_or_dict).read_text(encoding="utf-8-sig"))
    elif isinstance(path_or_dict, Mapping):
        data = dict(path_or_dict)
    else:
        raise TypeError(f"themes must be None, a TOML path, a dict or a themes table, got {type(path_or_dict)}")
    specs = data["themes"] if isinstance(data.get("themes"), Mapping) else data
    rows = [_theme_row(str(theme_id), spec) for theme_id, spec in specs.items()]
    if not rows:
        raise ValueError("the theme dictionary has no themes")
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def _theme_row(theme_id: str, spec) -> dict:
    if isinstance(spec, str) or not isinstance(spec, Mapping | Sequence):
        raise ValueError(f"theme {theme_id!r} must be a table (label, terms, …) or a list of terms")
    if not isinstance(spec, Mapping):
        spec = {"terms": list(spec)}
    terms, patterns, indicators = (_as_tuple(spec.get(key, ())) for key in ("terms", "patterns", "indicators"))
    if not terms and not patterns:
        raise ValueError(f"theme {theme_id!r} has no terms and no patterns")
    for term in terms:
        if not term or any(ch.isspace() for ch in term):
            raise ValueError(f"theme {theme_id!r}: term {term!r} is empty or contains whitespace, "
                             "so it can never be one token")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as err:
            raise ValueError(f"theme {theme_id!r}: pattern {pattern!r} is not a regular expression: {err}") from err
    return dict(theme_id=theme_id, label=str(spec.get("label", theme_id)),
                definition=str(spec.get("definition", "")), indicators=indicators,
                source=str(spec.get("source", "")), terms=terms, patterns=patterns)


def _as_tuple(value) -> tuple[str, ...]:
    """A TOML/dict value as a tuple of strings (a lone string is one entry, not its characters)."""
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def theme_terms(themes: ThemesLike = None) -> pd.DataFrame:
    """The dictionary as a long table: one row per theme × entry.

    Returns
    -------
    pandas.DataFrame
        ``theme_id, label, kind, entry``: ``kind`` is ``"term"`` (exact, whole token) or ``"pattern"``
        (regular expression, whole token); entries in dictionary order.
    """
    table = load_themes(themes)
    rows = [(r.theme_id, r.label, kind, entry)
            for r in table.itertuples(index=False)
            for kind, entries in (("term", r.terms), ("pattern", r.patterns))
            for entry in entries]
    return pd.DataFrame(rows, columns=["theme_id", "label", "kind", "entry"])


def theme_indicators(themes: ThemesLike = None) -> pd.DataFrame:
    """Which ``indicator_id`` prefixes belong to each theme (to show "the theme's numbers").

    Returns
    -------
    pandas.DataFrame
        ``theme_id, label, prefix``: one row per theme × prefix. Join with the metric table by
        ``metrics.indicator_id.str.startswith(prefix)``.
    """
    table = load_themes(themes)
    rows = [(r.theme_id, r.label, p) for r in table.itertuples(index=False) for p in r.indicators]
    return pd.DataFrame(rows, columns=["theme_id", "label", "prefix"])


def theme_metrics(metrics_table: pd.DataFrame, theme: str, *, themes: ThemesLike = None) -> pd.DataFrame:
    """The metric mentions whose ``indicator_id`` belongs to ``theme`` (its ``indicators`` prefixes).

    Parameters
    ----------
    metrics_table
        The output of :func:`lawgov_analysis.measures.metrics.metrics` (needs ``indicator_id``).
    theme
        A ``theme_id`` of the dictionary, e.g. ``"pufa"``.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``metrics_table`` with all its columns, in their original order.
    """
    check_columns(metrics_table, ["indicator_id"], what="metrics table")
    prefixes = theme_indicators(themes)
    check_option("theme", theme, sorted(load_themes(themes)["theme_id"]))
    mine = tuple(prefixes.loc[prefixes["theme_id"] == theme, "prefix"])
    if not mine:
        return metrics_table.iloc[0:0].copy()
    keep = metrics_table["indicator_id"].astype(str).str.startswith(mine)
    return metrics_table[keep].copy()


# ---------------------------------------------------------------------------------------------------------
# Matching


class _Matcher:
    """Map a token to the (theme_id, entry) pairs it matches."""

    def __init__(self, table: pd.DataFrame):
        self.exact: dict[str, list[tuple[str, str]]] = {}
        self.patterns: list[tuple[str, str, re.Pattern]] = []
        for r in table.itertuples(index=False):
            for term in r.terms:
                self.exact.setdefault(term, []).append((r.theme_id, term))
            for pattern in r.patterns:
                self.patterns.append((r.theme_id, pattern, re.compile(pattern)))

    def __call__(self, token: str, kind: str) -> list[tuple[str, str]]:
        found = dict.fromkeys(self.exact.get(token, ()))
        subject = f"《{token}》" if kind == "title" else token
        for theme_id, pattern, rx in self.patterns:
            if rx.fullmatch(subject):
                found.setdefault((theme_id, pattern))
        seen: set[str] = set()
        out = []
        for theme_id, entry in found:       # one hit per token and theme; the exact term wins over a pattern
            if theme_id not in seen:
                seen.add(theme_id)
                out.append((theme_id, entry))
        return out


def lexicon_terms(table: pd.DataFrame) -> list[str]:
    """Every term of a theme dictionary (:func:`load_themes`), sorted: what the token lexicon must contain."""
    return sorted({t for terms in table["terms"] for t in terms})


def theme_hits(tokens: pd.DataFrame, *, themes: ThemesLike = None) -> pd.DataFrame:
    """Every token that matches a theme entry: the lineage of all theme scores (a lookup, no segmentation).

    The tokens must come from a segmentation whose lexicon contains every theme term (:func:`lexicon_terms`):
    the corpus store's ``tokens`` table is made that way (``open_corpus(source, themes=…)`` adds the terms of
    its theme dictionary), and so is ``tokenize(corpus, lexicon=lexicon_terms(load_themes()))``. Each distinct
    ``(token, kind)`` pair is matched once against the dictionary and the matches are joined back onto the
    tokens, so the cost is one hash join over the tokens plus one match per distinct word.

    Parameters
    ----------
    tokens
        ``doc_id, section_id, sentence_id, token_id, token, start, end, kind`` (keys may be categorical).
    themes
        A theme dictionary (see :func:`load_themes`); ``None`` for the bundled one.

    Returns
    -------
    pandas.DataFrame
        One row per token × theme it matches (:data:`HIT_COLUMNS`), sorted by ``doc_id``, ``token_id``, then
        dictionary order: ``doc_id, section_id, sentence_id, token_id, start, end`` (the token and its offsets
        in the report text); ``term`` (the token text, ``== text[start:end]``; a title without its 《》);
        ``kind`` (token kind: word, title or slogan); ``theme_id``; ``entry`` (the dictionary term or pattern
        that matched; the exact term wins when both do). A token counts at most once per theme.
    """
    table = load_themes(themes)
    check_columns(tokens, ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind"],
                  what="tokens")
    matches = _match_cache(table)
    order = {t: i for i, t in enumerate(table["theme_id"])}
    tok_codes, tok_values = pd.factorize(tokens["token"], sort=False)
    kind_codes, kind_values = pd.factorize(tokens["kind"], sort=False)
    kind_values = [str(k) for k in kind_values]
    tok_values = [str(t) for t in tok_values]
    # one dictionary match per distinct (token, kind); the cache keeps them for the next partition
    pair_codes = tok_codes.astype(np.int64) * max(len(kind_values), 1) + kind_codes
    pair_of_row, pairs = pd.factorize(pair_codes, sort=False)
    lookup_rows, lookup_pair = [], []
    for i, code in enumerate(pairs.tolist()):
        kind = kind_values[code % max(len(kind_values), 1)]
        if kind not in MATCH_KINDS:
            continue
        token = tok_values[code // max(len(kind_values), 1)]
        key = (token, kind)
        found = matches.get(key)
        if found is None:
            found = matches[key] = tuple(matches.matcher(token, kind))
        for theme_id, entry in found:
            lookup_rows.append((theme_id, entry, order[theme_id]))
            lookup_pair.append(i)
    columns = ["doc_id", "section_id", "sentence_id", "token_id", "start", "end"]
    if not lookup_rows:
        hits = tokens.iloc[0:0][columns].assign(term=pd.Series(dtype=str), kind=pd.Series(dtype=str),
                                                 theme_id=pd.Series(dtype=str), entry=pd.Series(dtype=str))
        hits = hits.astype({c: str for c in ("doc_id", "section_id")})
        return hits[HIT_COLUMNS].astype({"sentence_id": "int64", "token_id": "int64", "start": "int64",
                                         "end": "int64"}).reset_index(drop=True)
    lookup_pair = np.asarray(lookup_pair, dtype=np.int64)
    # rows whose pair has matches, repeated once per match (pairs with several themes)
    per_pair = np.bincount(lookup_pair, minlength=len(pairs))
    rows = np.flatnonzero(per_pair[pair_of_row] > 0)
    reps = per_pair[pair_of_row[rows]]
    row_idx = np.repeat(rows, reps)
    first = np.concatenate([[0], np.cumsum(per_pair)[:-1]])
    order_in_lookup = np.argsort(lookup_pair, kind="stable")
    offsets = np.arange(len(row_idx)) - np.repeat(np.cumsum(reps) - reps, reps)
    lk = order_in_lookup[first[pair_of_row[row_idx]] + offsets]
    theme_id = np.array([r[0] for r in lookup_rows], dtype=object)[lk]
    entry = np.array([r[1] for r in lookup_rows], dtype=object)[lk]
    theme_order = np.array([r[2] for r in lookup_rows], dtype=np.int64)[lk]
    sub = tokens.iloc[row_idx]
    hits = pd.DataFrame({
        "doc_id": sub["doc_id"].astype(str).to_numpy(), "section_id": sub["section_id"].astype(str).to_numpy(),
        "sentence_id": sub["sentence_id"].to_numpy(dtype=np.int64),
        "token_id": sub["token_id"].to_numpy(dtype=np.int64), "start": sub["start"].to_numpy(dtype=np.int64),
        "end": sub["end"].to_numpy(dtype=np.int64),
        "term": np.asarray(tok_values, dtype=object)[tok_codes[row_idx]],
        "kind": np.asarray(kind_values, dtype=object)[kind_codes[row_idx]],
        "theme_id": theme_id, "entry": entry, "_o": theme_order})
    hits = hits.sort_values(["doc_id", "token_id", "_o"], kind="stable").drop(columns="_o")
    hits = hits.astype({c: str for c in ("term", "kind", "theme_id", "entry")})
    return hits[HIT_COLUMNS].reset_index(drop=True)


def theme_hits_arrow(tokens, *, themes: ThemesLike = None) -> pd.DataFrame:
    """:func:`theme_hits` of a token table held as a ``pyarrow.Table`` (the store build's token stage output).

    The distinct ``(token, kind)`` pairs are found in Arrow and matched against the dictionary (once per
    process, as in :func:`theme_hits`); only the rows of matching tokens are converted to pandas and passed to
    :func:`theme_hits`, so the result is the same table as ``theme_hits(tokens.to_pandas(), themes=themes)``.

    Parameters
    ----------
    tokens
        A ``pyarrow.Table`` with ``doc_id, section_id, sentence_id, token_id, token, start, end, kind``.
    themes
        A theme dictionary (see :func:`load_themes`); ``None`` for the bundled one.

    Returns
    -------
    pandas.DataFrame
        :data:`HIT_COLUMNS`, one row per token × theme it matches (see :func:`theme_hits`).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    table = load_themes(themes)
    columns = ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind"]
    missing = [c for c in columns if c not in tokens.column_names]
    if missing:
        raise ValueError(f"tokens: missing column(s) {', '.join(missing)}")
    tokens = tokens.select(columns)
    if tokens.num_rows:
        matches = _match_cache(table)
        tok = pc.dictionary_encode(tokens.column("token").combine_chunks())
        kind = pc.dictionary_encode(tokens.column("kind").combine_chunks())
        tok_values, kind_values = tok.dictionary.to_pylist(), kind.dictionary.to_pylist()
        n_kinds = max(len(kind_values), 1)
        pair = tok.indices.to_numpy().astype(np.int64) * n_kinds + kind.indices.to_numpy()
        hit = np.zeros(len(tok_values) * n_kinds, dtype=bool)   # by pair code
        for code in np.flatnonzero(np.bincount(pair, minlength=len(hit))).tolist():
            kind_name = kind_values[code % n_kinds]
            if kind_name not in MATCH_KINDS:
                continue
            key = (tok_values[code // n_kinds], kind_name)
            found = matches.get(key)
            if found is None:
                found = matches[key] = tuple(matches.matcher(*key))
            hit[code] = bool(found)
        tokens = tokens.filter(pa.array(hit[pair]))
    return theme_hits(tokens.to_pandas(), themes=table)


class _MatchCache(dict):
    """``(token, kind) → ((theme_id, entry), …)`` for one theme dictionary, kept per process."""

    def __init__(self, table: pd.DataFrame):
        super().__init__()
        self.matcher = _Matcher(table)


_MATCH_CACHES: dict[str, _MatchCache] = {}


def _match_cache(table: pd.DataFrame) -> _MatchCache:
    key = table.to_json(orient="records", force_ascii=False)
    cache = _MATCH_CACHES.get(key)
    if cache is None or len(cache) > 2_000_000:
        if len(_MATCH_CACHES) >= 4:
            _MATCH_CACHES.clear()
        cache = _MATCH_CACHES[key] = _MatchCache(table)
    return cache


def _terms_by_group(hits: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``keys`` + ``terms``: each group's distinct terms, most frequent first, ties in code-point order
    (one count and one sort)."""
    counts = hits.groupby([*keys, "term"], sort=False, dropna=False).size().rename("_n").reset_index()
    counts = counts.sort_values(["_n", "term"], ascending=[False, True], kind="stable")
    group = counts.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    lists: list[list[str]] = [[] for _ in range(int(group.max(initial=-1)) + 1)]
    for g, term in zip(group.tolist(), counts["term"].tolist()):
        lists[g].append(term)
    codes, first = np.unique(group, return_index=True)
    out = counts.iloc[first][keys].reset_index(drop=True)
    out["terms"] = [TERM_SEPARATOR.join(lists[c]) for c in codes.tolist()]
    return out


def _plain_keys(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` with the given (possibly categorical) columns as plain strings and ``sentence_id`` as int64."""
    out = df.astype({c: str for c in columns if c in df.columns})
    return out.astype({"sentence_id": "int64"}) if "sentence_id" in out.columns else out


# ---------------------------------------------------------------------------------------------------------
# Scores


def _check_hit_themes(hits: pd.DataFrame, table: pd.DataFrame) -> None:
    """Hits of a theme the dictionary lacks would be dropped without a word: say so instead."""
    unknown = sorted(set(hits["theme_id"].astype(str).unique()) - set(table["theme_id"]))
    if unknown:
        raise ValueError(f"theme_hits has themes that are not in the theme dictionary: {', '.join(unknown)}; "
                         "pass the dictionary the hits were made with (themes=store.themes) or filter the hits")


def _group_keys(corpus: pd.DataFrame, by: str, section_level: int | None) -> list[str]:
    """Validate ``by`` and return the key columns of a group (doc_id first for within-report units)."""
    meta = [c for c in corpus.columns if c not in ("text", "doc_id", *SCORE_COLUMNS, *_WITHIN_DOC)]
    allowed = [*_WITHIN_DOC, "section_l1", "section_l2", "section_l3", "section_l4", *meta]
    check_option("by", by, allowed)
    if section_level is not None:
        check_option("section_level", section_level, [1, 2, 3, 4])
        if by != "section_id":
            raise ValueError(f"section_level applies to by='section_id', got by={by!r}")
    if by == "doc_id":
        return ["doc_id"]
    if by == "section_id" or _SECTION_LEVEL.fullmatch(by) or by == "sentence_id":
        return ["doc_id", by]
    return [by]


def _add_group_column(df: pd.DataFrame, corpus: pd.DataFrame, sections_table: pd.DataFrame, by: str,
                      section_level: int | None) -> pd.DataFrame:
    """Add the group column ``by`` to a sentence-level table (rolling sections up when asked)."""
    from ..text.structure import with_section_level

    level_match = _SECTION_LEVEL.fullmatch(by)
    if by == "section_id" and section_level is not None:
        return with_section_level(df, sections_table, level=section_level, column="section_id")
    if level_match:
        return with_section_level(df, sections_table, level=int(level_match.group(1)))
    if by in df.columns:
        return df
    return join_metadata(df, corpus, by)


def theme_scores(
    hits: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    corpus: pd.DataFrame,
    sections: pd.DataFrame | None = None,
    themes: ThemesLike = None,
    by: str = "doc_id",
    section_level: Literal[1, 2, 3, 4] | None = None,
) -> pd.DataFrame:
    """How strongly each theme is present in each report, section, sentence or metadata group.

    Computed from tables already built (nothing is segmented): the hits (:func:`theme_hits`, the store's
    ``theme_hits``), the sentences and the report table. A caller with only a report table opens it first::

        store = open_corpus(corpus)            # or a folder, a manifest, a store
        theme_scores(store.theme_hits, store.sentences, corpus=store.corpus, sections=store.sections,
                     by="year")

    Parameters
    ----------
    hits
        :func:`theme_hits` (``doc_id, sentence_id, token_id, term, theme_id``…).
    sentences
        ``doc_id, section_id, sentence_id, start, end`` (:func:`lawgov_analysis.text.structure.sentences`;
        ``text`` is not needed).
    corpus
        The report table (``doc_id`` and the metadata column named by ``by``; ``text`` is not needed).
    sections
        :func:`lawgov_analysis.text.structure.sections` (needed for ``section_l1`` … and ``section_level``).
    themes
        The theme dictionary the hits were made with (see :func:`load_themes`; a store's is ``store.themes``);
        ``None`` for the bundled ``themes.toml``. Every theme gets a row per group, zeros included.
    by
        ``"doc_id"``, ``"section_id"``, ``"sentence_id"``, ``"section_l1"`` … ``"section_l4"`` (sections rolled
        up to that level, see :func:`lawgov_analysis.text.structure.with_section_level`), or a metadata column of
        the corpus such as ``"year"``, ``"region"`` or ``"level"``.
    section_level
        With ``by="section_id"``: roll every section up to its ancestor at this level before grouping, so
        that e.g. section ``一(三)6`` includes its inline items ``一(三)6一是`` … (level 3). Shallower sections
        (headings of 一 or 一(三), the preamble ``"0"``) stay themselves.

    Returns
    -------
    pandas.DataFrame
        One row per group × theme, zeros included. Groups are sorted by ``doc_id`` and text order for
        sections and sentences, by value for metadata columns (missing last); themes in dictionary order.
        Columns:

        ``doc_id`` (only when ``by`` is a unit inside a report); ``<by>`` (the group); ``theme_id``;
        ``label``; ``hits`` (theme tokens in the group); ``chars`` (characters of the group's sentences,
        whitespace between sentences excluded); ``hits_per_10k`` (``hits / chars * 10000``);
        ``sentences`` (sentences in the group); ``sentences_with_theme`` (sentences with ≥ 1 hit);
        ``sentence_share`` (``sentences_with_theme / sentences``); ``terms`` (the distinct terms that fired,
        most frequent first, joined by ``"、"``; ``""`` when none).

        ===============  ==========  ========  =====  ====  =====  ============  =========  ===  =====  ====
        doc_id           section_id  theme_id  label  hits  chars  hits_per_10k  sentences  …    share  terms
        ===============  ==========  ========  =====  ====  =====  ============  =========  ===  =====  ====
        changjiang-2021  一(三)6     pufa      普法   …     …      …             …          …    …      普法、…
        ===============  ==========  ========  =====  ====  =====  ============  =========  ===  =====  ====

    Raises
    ------
    ValueError
        When ``by`` is not a unit or a column of ``corpus``, a section roll-up is asked without ``sections``,
        or ``hits`` has a theme that ``themes`` lacks (its hits would otherwise be dropped).
    """
    check_columns(corpus, ["doc_id"], what="corpus")
    check_columns(sentences, ["doc_id", "section_id", "sentence_id", "start", "end"], what="sentences")
    keys = _group_keys(corpus, by, section_level)
    table = load_themes(themes)
    check_columns(hits, ["doc_id", "sentence_id", "token_id", "term", "theme_id"], what="theme_hits")
    _check_hit_themes(hits, table)
    if (by == "section_id" and section_level is not None) or _SECTION_LEVEL.fullmatch(by):
        if sections is None:
            raise ValueError(f"by={by!r} with section_level={section_level!r} needs sections=")
    plain = {c: str for c in ("doc_id", "section_id") if c in sentences.columns}
    sents = sentences[["doc_id", "section_id", "sentence_id", "start", "end"]].astype(plain)
    sents = sents.astype({"sentence_id": "int64", "start": "int64", "end": "int64"})
    hits = hits.astype({c: str for c in ("doc_id", "section_id", "term", "theme_id") if c in hits.columns})
    hits = hits.astype({"sentence_id": "int64"})
    corpus = corpus.drop(columns=[c for c in ("text",) if c in corpus.columns]).astype({"doc_id": str})
    if sections is not None:
        sections = sections.astype({c: str for c in ("doc_id", "section_id", "parent_id") if c in sections})
    sents = _add_group_column(sents, corpus, sections, by, section_level)
    sents = sents.assign(chars=(sents["end"] - sents["start"]).astype("int64"))

    groups = (sents.groupby(keys, sort=False, dropna=False)
              .agg(chars=("chars", "sum"), sentences=("sentence_id", "size"), _first=("start", "min"))
              .reset_index())
    if len(keys) == 1:                   # reports (or metadata groups) without any sentence still get zero rows
        groups = corpus[keys].drop_duplicates().merge(groups, on=keys, how="left")
        groups = groups.fillna({"chars": 0, "sentences": 0, "_first": 0})
    extra = [k for k in keys if k not in ("doc_id", "sentence_id")]
    hits = hits.drop(columns=[k for k in extra if k in hits.columns]).merge(
        sents[["doc_id", "sentence_id", *extra]], on=["doc_id", "sentence_id"], how="left", validate="many_to_one")
    # a sentence is (doc_id, sentence_id): sentence ids repeat across reports grouped together (by year …)
    hits = hits.assign(_sentence=hits["doc_id"].astype(str) + "\x1f" + hits["sentence_id"].astype(str))
    per_theme = (hits.groupby([*keys, "theme_id"], sort=False, dropna=False)
                 .agg(hits=("token_id", "size"), sentences_with_theme=("_sentence", "nunique"))
                 .reset_index())
    per_theme = per_theme.merge(_terms_by_group(hits, [*keys, "theme_id"]), on=[*keys, "theme_id"], how="left")

    grid = groups.merge(table[["theme_id", "label"]].assign(_theme=range(len(table))), how="cross")
    out = grid.merge(per_theme, on=[*keys, "theme_id"], how="left", validate="one_to_one")
    out["hits"] = out["hits"].fillna(0).astype("int64")
    out["sentences_with_theme"] = out["sentences_with_theme"].fillna(0).astype("int64")
    out["terms"] = out["terms"].fillna("").astype(str)
    out["chars"] = out["chars"].astype("int64")
    out["sentences"] = out["sentences"].astype("int64")
    out["hits_per_10k"] = np.where(out["chars"] > 0, out["hits"] * 10_000 / out["chars"].clip(lower=1), 0.0)
    out["sentence_share"] = np.where(out["sentences"] > 0,
                                     out["sentences_with_theme"] / out["sentences"].clip(lower=1), 0.0)
    if keys[0] == "doc_id":
        order = ["doc_id", "_first", "_theme"] if len(keys) > 1 else ["doc_id", "_theme"]
    else:
        order = [by, "_theme"]
    out = out.sort_values(order, kind="stable", na_position="last")
    return out[[*keys, *SCORE_COLUMNS]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# Sentences


def _resolve_theme(table: pd.DataFrame, theme: str | None) -> list[str]:
    if theme is None:
        return list(table["theme_id"])
    check_option("theme", theme, list(table["theme_id"]))
    return [theme]


def theme_sentences(hits: pd.DataFrame, sentences: pd.DataFrame, *, theme: str | None = None,
                    themes: ThemesLike = None) -> pd.DataFrame:
    """The sentences that carry a theme, with the terms that matched — for reading and validation.

    Parameters
    ----------
    hits
        :func:`theme_hits` (a corpus store's ``theme_hits``).
    sentences
        ``doc_id, section_id, sentence_id, start, end, text`` (a corpus store's ``sentences``).
    theme
        A ``theme_id`` of the dictionary (e.g. ``"pufa"``); ``None`` for every theme.
    themes
        The theme dictionary the hits were made with (see :func:`load_themes`); ``None`` for the bundled one.

    Returns
    -------
    pandas.DataFrame
        One row per sentence × theme with at least one hit, sorted by ``doc_id``, ``sentence_id``, then
        dictionary order: ``doc_id, section_id, sentence_id, start, end, text`` (the sentence, as in
        :func:`lawgov_analysis.text.structure.sentences`); ``theme_id``; ``terms`` (distinct matched terms, most
        frequent first, joined by ``"、"``); ``hits`` (number of matching tokens).
    """
    table = load_themes(themes)
    wanted = _resolve_theme(table, theme)
    check_columns(hits, ["doc_id", "sentence_id", "token_id", "term", "theme_id"], what="theme_hits")
    check_columns(sentences, SENTENCE_COLUMNS[:6], what="sentences")
    _check_hit_themes(hits, table)
    hits = _plain_keys(hits, ["doc_id", "term", "theme_id"])
    hits = hits[hits["theme_id"].isin(wanted)]
    sents = _plain_keys(sentences[SENTENCE_COLUMNS[:6]], ["doc_id", "section_id"]).astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64"})
    keys = ["doc_id", "sentence_id", "theme_id"]
    per = hits.groupby(keys, sort=False).agg(hits=("token_id", "size")).reset_index()
    per = per.merge(_terms_by_group(hits, keys), on=keys, how="left")
    out = sents.merge(per, on=["doc_id", "sentence_id"], how="inner", validate="one_to_many")
    order = {t: i for i, t in enumerate(table["theme_id"])}
    out = (out.assign(_o=out["theme_id"].map(order))
           .sort_values(["doc_id", "sentence_id", "_o"], kind="stable").drop(columns="_o"))
    out["hits"] = out["hits"].astype("int64")
    return out[SENTENCE_COLUMNS].reset_index(drop=True)
