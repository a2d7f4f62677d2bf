"""The corpus store: every per-report stage computed once, kept as partitioned Parquet tables.

:func:`build_store` loads report files (or takes a loaded corpus), runs the per-report stages — sections,
sentences, tokens, theme hits, metrics, per-report audit — once per report, in chunks spread over worker
processes (or a Dask cluster), and writes each chunk's tables as Parquet parts. :func:`load_store` gives the
tables back, read lazily (``columns=``/``filters=`` go to pyarrow). Notebooks, ``report`` and the CLI read the
store instead of recomputing.

Layout of a store folder ``STORE``::

    STORE/store.json              format, package version, resources hash, tables, rows per part
    STORE/index.parquet           one row per built report: doc_id, sha256, meta, resources, version, part,
                                  chars
    STORE/ingest.parquet          the ingest account (path, status, reason, doc_id) of the files given
    STORE/errors.parquet          reports a stage failed on (doc_id, stage, error); retried on the next build
    STORE/<table>/part-000000.parquet …   one part per build chunk (tens of reports, never one per report)
    STORE/audit_years/all.parquet the cross-report year_over_year audit rows, rewritten after a build, rewritten whole after a build

Tables (every one sorted by ``doc_id`` then its position key; ``doc_id``, ``section_id`` and other repeated
strings are dictionary-encoded in Parquet and come back as pandas ``category``; positions are ``int32``):

``corpus``
    The report table of :func:`lawgov_analysis.io.corpus.load_corpus`: ``doc_id`` plus every metadata column
    it has (``path, format, encoding, title, region, … year, chars, sha256``) and ``text`` (so the text is
    never reloaded from files).
``sections``
    :func:`lawgov_analysis.text.structure.sections`: ``doc_id, section_id, parent_id, level, marker, heading,
    start, end``.
``sentences``
    :func:`lawgov_analysis.text.structure.sentences`: ``doc_id, section_id, sentence_id, start, end, text``.
``tokens``
    :func:`lawgov_analysis.text.tokens.tokenize` with the union of the domain lexicon and every theme term
    (one segmentation serves keywords, topics and themes): ``doc_id, section_id, sentence_id, token_id,
    token, start, end, kind, is_stop``.
``theme_hits``
    :func:`lawgov_analysis.analysis.themes.hits_from_tokens` of those tokens: ``doc_id, section_id,
    sentence_id, token_id, start, end, term, kind, theme_id, entry``.
``metrics``
    :func:`lawgov_analysis.measures.metrics.metrics`: ``doc_id, section_id, sentence_id, start, end,
    surface, value, value_max, unit, qualifier, indicator, indicator_id, comparison``.
``audit``
    :func:`lawgov_analysis.measures.audit.audit`: ``doc_id, kind, stated, computed, difference, evidence,
    severity`` — each report's own checks (built per report), then, per report, the cross-report
    ``year_over_year`` rows computed over the whole store after the build (kept in ``audit_years``).
``panel``, ``changes``
    :func:`lawgov_analysis.measures.panel.panel` (one headline value per report × indicator × unit, with its
    evidence) and :func:`lawgov_analysis.measures.panel.changes` (year-over-year change mentions); both are
    per report, so they are built with the other per-report tables.

Resumable and incremental: a report whose text (sha256), metadata (``meta``: a hash of its other corpus
columns, so a corrected manifest is picked up), resources (lexicon, stopwords, themes, indicator rules) and
package version are unchanged is skipped (``force=True`` rebuilds everything); new
reports are added; a changed report is rebuilt and its old rows dropped. Reports already in the store but not
among the files given stay (pass ``prune=True`` to drop them). Every file is written to a temporary name and
renamed, and the index is rewritten (atomically) after each finished chunk, so an interrupted build leaves a
loadable store and the next build resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["PER_REPORT_TABLES", "CORPUS_TABLES", "Store", "BuildSettings", "build_store", "load_store",
           "build_settings", "partition_tables", "build_partition"]

STORE_FORMAT = 1
#: Tables written per build chunk, in build order.
PER_REPORT_TABLES = ("corpus", "sections", "sentences", "tokens", "theme_hits", "metrics", "audit", "panel",
                     "changes")
#: Tables computed over the whole store after a build.
#: name → (module, function), each called as ``function(metrics, corpus)``.
_CORPUS_FUNCTIONS = {"audit_years": ("io.store", "_audit_years")}
CORPUS_TABLES = tuple(_CORPUS_FUNCTIONS)
#: Row order of each table (after ``doc_id``).
_ORDER = {"corpus": [], "sections": ["start", "level"], "sentences": ["sentence_id"], "tokens": ["token_id"],
          "theme_hits": ["token_id"], "metrics": ["start", "end"], "audit": [], "panel": [], "changes": []}
#: String columns stored dictionary-encoded (categorical in pandas); other strings are plain.
_DICT_COLUMNS = {"doc_id", "section_id", "parent_id", "token", "kind", "term", "theme_id", "entry", "unit",
                 "indicator_id", "format", "encoding", "level", "province", "region", "parent_region", "city",
                 "department", "region_code", "severity", "qualifier", "comparison", "marker"}
#: Integer columns stored as int32 (offsets, ids and lengths of ~5,000-character reports).
_INT32_COLUMNS = {"sentence_id", "token_id", "start", "end", "chars"}
_INDEX_COLUMNS = ["doc_id", "sha256", "meta", "resources", "version", "part", "chars"]


# --------------------------------------------------------------------------------------------------- settings
@dataclass
class BuildSettings:
    """Everything the per-report stages depend on besides the text (picklable, sent to every worker)."""

    lexicon: dict = field(default_factory=dict)
    lexicon_key: str = ""
    stopwords: frozenset = frozenset()
    themes: pd.DataFrame | None = None
    indicators: object = None
    resources: str = ""
    version: str = ""


def _code_version() -> str:
    """The package version and the store format: a new release rebuilds every report (``force=True`` too)."""
    from .. import __version__

    return f"{__version__}/store{STORE_FORMAT}"


def build_settings(*, lexicon=None, stopwords=None, themes=None, indicators=None) -> BuildSettings:
    """Resolve the build's resources (as in ``tokenize``, ``load_themes`` and ``metrics``) and hash them.

    The token lexicon is the union of ``lexicon`` (bundled by default) and every term of the theme dictionary.
    """
    from ..analysis.themes import _lexicon_terms, load_themes
    from ..core.resources import resource_text, text_hash
    from ..text import tokens as tk

    table = load_themes(themes)
    terms = list(_lexicon_terms(table))
    if isinstance(lexicon, str) and lexicon == "none":
        entries = dict.fromkeys(terms)
    elif lexicon is None or (isinstance(lexicon, str) and lexicon == "bundled"):
        entries = tk._lexicon_entries(terms)
    elif isinstance(lexicon, (str, Path)):
        entries = tk._lexicon_entries([Path(lexicon), *terms])
    else:
        entries = tk._lexicon_entries([*lexicon, *terms])
    lex_key = tk._lexicon_key(entries)
    stopset = tk.load_stopwords(stopwords)
    if indicators is None:
        ind_text = resource_text("indicators.toml")
    elif isinstance(indicators, (str, Path)):
        ind_text = Path(indicators).read_text(encoding="utf-8")
    else:
        ind_text = repr(indicators)
    themes_text = table.to_json(orient="records", force_ascii=False)
    resources = text_hash("|".join([lex_key, text_hash("\n".join(sorted(stopset))), text_hash(themes_text),
                                    text_hash(ind_text)]))
    return BuildSettings(lexicon=entries, lexicon_key=lex_key, stopwords=stopset, themes=table,
                         indicators=indicators, resources=resources, version=_code_version())


# ------------------------------------------------------------------------------------------- arrow helpers
def _to_arrow(df):
    """A pandas (or arrow) table as a compact ``pyarrow.Table``: dictionary strings, int32 positions, no index."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
    cols = []
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(pa.dictionary(pa.int32(), pa.string())) if name in _DICT_COLUMNS else col.cast(pa.string())
        elif pa.types.is_null(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
            col = col.cast(pa.string())
            if name in _DICT_COLUMNS:
                col = pc.dictionary_encode(col).cast(pa.dictionary(pa.int32(), pa.string()))
        elif name in _INT32_COLUMNS and pa.types.is_integer(t):
            col = col.cast(pa.int32())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def _write_atomic(table, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _write_json_atomic(data: dict, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _part_name(part: int) -> str:
    return f"part-{part:06d}.parquet"


# ---------------------------------------------------------------------------------- per-partition functions
def _report_tables(docs: pd.DataFrame, settings: BuildSettings, timings: dict | None = None
                   ) -> dict[str, pd.DataFrame]:
    """The per-report tables of ``docs`` (``doc_id``, ``text`` and metadata) as pandas frames.

    ``timings`` (when given) accumulates the CPU seconds of each stage of this process.
    """
    import pyarrow as pa

    from ..analysis.themes import hits_from_tokens
    from ..measures.audit import audit
    from ..measures.metrics import metrics
    from ..measures.panel import changes, panel
    from ..text import structure
    from ..text import tokens as tk

    clock = time.process_time
    timings = {} if timings is None else timings

    def lap(stage: str, t: float) -> float:
        now = clock()
        timings[stage] = timings.get(stage, 0.0) + now - t
        return now

    t = clock()
    secs = structure.sections(docs)
    sents = structure.sentences(docs, sections_table=secs)
    t = lap("structure", t)
    tokenizer = tk._tokenizer(settings.lexicon, settings.lexicon_key)
    by_doc: dict[str, list] = {}
    for row in zip(sents["doc_id"].tolist(), sents["section_id"].tolist(), sents["sentence_id"].tolist(),
                   sents["start"].tolist(), sents["end"].tolist()):
        by_doc.setdefault(row[0], []).append(row[1:])
    parts = [tk._doc_table(str(d), "" if pd.isna(t) else str(t), by_doc.get(str(d), []), tokenizer,
                           settings.stopwords)
             for d, t in zip(docs["doc_id"], docs["text"])]
    toks = pa.concat_tables(parts) if parts else pa.Table.from_pandas(tk._empty_tokens(), preserve_index=False)
    t = lap("tokens", t)
    hits = hits_from_tokens(toks.select(["doc_id", "section_id", "sentence_id", "token_id", "token", "start",
                                         "end", "kind"]).to_pandas(), settings.themes)
    t = lap("theme_hits", t)
    mets = metrics(docs, indicators=settings.indicators)
    t = lap("metrics", t)
    # per-report checks only: the cross-report year_over_year check runs over the whole store (audit_years)
    checks = audit(mets, docs.drop(columns=[c for c in ("year",) if c in docs.columns]))
    t = lap("audit", t)
    headline = panel(mets, docs)          # one headline per report × indicator × unit: per report
    change_rows = changes(mets, docs)
    lap("panel", t)
    return {"corpus": docs, "sections": secs, "sentences": sents, "tokens": toks, "theme_hits": hits,
            "metrics": mets, "audit": checks, "panel": headline, "changes": change_rows}


def partition_tables(docs: pd.DataFrame, settings: BuildSettings, timings: dict | None = None
                     ) -> tuple[dict, list[dict]]:
    """Run every per-report stage on one partition of the corpus (the unit of work of processes and Dask).

    Parameters
    ----------
    docs
        Rows of the report table (``doc_id``, ``text`` and any metadata columns).
    settings
        From :func:`build_settings`.
    timings
        A dict that accumulates CPU seconds per stage (``structure``, ``tokens``, ``theme_hits``, ``metrics``,
        ``audit``, ``panel``, ``write``), if given.

    Returns
    -------
    tables : dict of str to pyarrow.Table
        One compact table per name of :data:`PER_REPORT_TABLES`, sorted by ``doc_id`` and position.
    errors : list of dict
        ``doc_id, stage, error`` for reports a stage failed on; they are left out of ``tables`` (the rest
        of the partition is kept) and the build reports them.
    """
    docs = docs.reset_index(drop=True)
    docs.attrs = {}
    errors: list[dict] = []
    try:
        frames = _report_tables(docs, settings, timings)
    except Exception:  # find the report(s) at fault and keep the others
        frames_list = []
        for i in range(len(docs)):
            one = docs.iloc[[i]].reset_index(drop=True)
            try:
                frames_list.append(_report_tables(one, settings, timings))
            except Exception as exc:  # noqa: BLE001 - reported per report, never stops the corpus
                errors.append(dict(doc_id=str(one["doc_id"].iloc[0]), stage="build",
                                   error=f"{type(exc).__name__}: {exc}".splitlines()[0][:300]))
        frames = {name: _concat([f[name] for f in frames_list]) if frames_list
                  else _report_tables(docs.iloc[0:0], settings)[name] for name in PER_REPORT_TABLES}
    tables = {}
    for name in PER_REPORT_TABLES:
        df = frames[name]
        if isinstance(df, pd.DataFrame):   # stage outputs are sorted by doc_id; the chunk's docs are sorted
            keys = ["doc_id", *[k for k in _ORDER[name] if k in df.columns]]
            df = df.sort_values(keys, kind="stable").reset_index(drop=True) if len(df) else df
        tables[name] = _to_arrow(df)
    return tables, errors


def _concat(frames: list):
    import pyarrow as pa

    if isinstance(frames[0], pa.Table):
        return pa.concat_tables(frames)
    return pd.concat(frames, ignore_index=True)


def build_partition(docs: pd.DataFrame, settings: BuildSettings, out: str, part: int) -> dict:
    """:func:`partition_tables` of ``docs``, written as part ``part`` of every table under ``out``.

    Runs in a worker process or on a Dask worker (``out`` must then be on a filesystem the workers share).
    Returns a small summary for the index: ``part``, ``doc_id`` (built reports), ``rows`` per table,
    ``errors``, ``cpu`` (CPU seconds per stage in the worker).
    """
    timings: dict[str, float] = {}
    tables, errors = partition_tables(docs, settings, timings)
    t = time.process_time()
    root = Path(out)
    for name, table in tables.items():
        _write_atomic(table, root / name / _part_name(part))
    timings["write"] = timings.get("write", 0.0) + time.process_time() - t
    built = [d for d in docs["doc_id"].astype(str) if d not in {e["doc_id"] for e in errors}]
    return dict(part=part, doc_id=built, rows={n: t.num_rows for n, t in tables.items()}, errors=errors,
                cpu=timings)


# ------------------------------------------------------------------------------------------------- workers
_WORKER: dict = {}


def _init_worker(settings: BuildSettings) -> None:
    _WORKER["settings"] = settings


def _run_local(docs: pd.DataFrame, out: str, part: int) -> dict:
    return build_partition(docs, _WORKER["settings"], out, part)


# ------------------------------------------------------------------------------------------------------ store
class Store:
    """A built corpus store (see the module docstring for its tables). Made by :func:`load_store`.

    ``store.table(name, columns=…, filters=…)`` reads one table (pyarrow filters, e.g.
    ``[("doc_id", "in", ["a", "b"])]`` or ``[("year", ">=", 2020)]``); ``store.corpus``, ``store.tokens``,
    ``store.metrics`` … read a whole table; ``store.columns(name)`` lists a table's columns;
    ``store.parts(name)`` lists the part files (for streaming or Dask); ``store.index`` and ``store.ingest``
    are the build index and the ingest account; ``store.themes`` is the theme dictionary the hits were made
    with and ``store.theme_scores(by=…)`` scores themes from the stored hits.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        meta_file = self.path / "store.json"
        if not meta_file.is_file():
            raise FileNotFoundError(f"not a corpus store (no store.json): {self.path}")
        self._stamp = None
        self._refresh()

    def _refresh(self) -> None:
        """(Re)read store.json and the index when a build has changed them since."""
        stamp = (self.path / "store.json").stat().st_mtime_ns
        if stamp != self._stamp:
            self.meta = json.loads((self.path / "store.json").read_text(encoding="utf-8"))
            self.index = _read_index(self.path)
            self._stamp = stamp

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, reports={len(self.index)}, tables={self.tables})"

    @property
    def tables(self) -> list[str]:
        """Names of the tables present."""
        names = [n for n in PER_REPORT_TABLES if (self.path / n).is_dir()]
        return names + [n for n in CORPUS_TABLES if (self.path / n / "all.parquet").is_file()]

    def parts(self, name: str) -> list[Path]:
        """Part files of a per-report table that hold built reports, in ``doc_id`` order of their first report."""
        if name not in PER_REPORT_TABLES:
            raise ValueError(f"parts are kept for {', '.join(PER_REPORT_TABLES)}, got {name!r}")
        self._refresh()
        if self.index.empty:
            return []
        first = self.index.groupby("part", sort=False)["doc_id"].min().sort_values(kind="stable")
        return [self.path / name / _part_name(int(p)) for p in first.index]

    def columns(self, name: str) -> list[str]:
        """Column names of a table (read from a part's schema; no rows are read)."""
        import pyarrow.parquet as pq

        if name in CORPUS_TABLES:
            path = self.path / name / "all.parquet"
            return list(pq.read_schema(path).names) if path.is_file() else []
        files = self.parts(name)
        return list(pq.read_schema(files[0]).names) if files else ["doc_id"]

    def table(self, name: str, columns: Sequence[str] | None = None, filters=None, *,
              categories: bool = True) -> pd.DataFrame:
        """Read one table, sorted by ``doc_id`` and position.

        Parameters
        ----------
        name
            A table name (``store.tables``).
        columns
            Columns to read (all by default).
        filters
            pyarrow filters (a list of ``(column, op, value)`` tuples, or of such lists, or a
            ``pyarrow.compute`` expression), applied while reading.
        categories
            Keep dictionary-encoded columns as pandas ``category`` (compact); ``False`` gives plain strings.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if name in CORPUS_TABLES:
            path = self.path / name / "all.parquet"
            if not path.is_file():
                raise ValueError(f"table {name!r} is not in this store (tables: {', '.join(self.tables)})")
            table = pq.read_table(path, columns=columns, filters=filters)
            return _to_pandas(table, categories)
        if name not in PER_REPORT_TABLES:
            raise ValueError(f"table must be one of {', '.join(PER_REPORT_TABLES + CORPUS_TABLES)}, got {name!r}")
        files = self.parts(name)
        if not files:
            return _to_pandas(self._empty(name, columns), categories)
        written = {int(k): v for k, v in self.meta.get("docs_per_part", {}).items()}
        counts = self.index["part"].value_counts()
        stale = {int(p) for p, n in counts.items() if written.get(int(p), n) != n}
        need = list(columns) if columns is not None else None
        if need is not None and stale and "doc_id" not in need:
            need = ["doc_id", *need]
        pieces = []
        clean = [f for f in files if int(f.stem.split("-")[1]) not in stale]
        if clean:
            pieces.append(pq.ParquetDataset(clean, filters=filters).read(columns=need))
        for f in files:
            part = int(f.stem.split("-")[1])
            if part in stale:  # rows of reports rebuilt elsewhere since: keep this part's current reports
                keep = self.index.loc[self.index["part"] == part, "doc_id"].tolist()
                t = pq.ParquetDataset([f], filters=filters).read(columns=need)
                import pyarrow.compute as pc

                pieces.append(t.filter(pc.is_in(t["doc_id"].cast(pa.string()), pa.array(keep))))
        table = pa.concat_tables(pieces, promote_options="permissive") if len(pieces) > 1 else pieces[0]
        if columns is not None:
            table = table.select(list(columns))
        df = _to_pandas(table, categories)
        ranges = self.index.groupby("part")["doc_id"].agg(["min", "max"]).sort_values("min", kind="stable")
        interleaved = bool((ranges["min"].to_numpy()[1:] <= ranges["max"].to_numpy()[:-1]).any())
        years = self.path / "audit_years" / "all.parquet"
        if name == "audit" and years.is_file():  # the cross-report checks, after each report's own
            extra = pq.read_table(years, columns=columns, filters=filters)
            if extra.num_rows:
                df = pd.concat([df, _to_pandas(extra, False)], ignore_index=True)
                df = df.astype({c: "category" for c in df.columns if categories and c in ("doc_id", "kind",
                                                                                           "severity")})
                df = _to_pandas(pa.Table.from_pandas(df, preserve_index=False), categories)
                df = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
                return df
        if (stale or interleaved) and "doc_id" in df.columns:
            keys = ["doc_id", *[k for k in _ORDER[name] if k in df.columns]]
            df = df.sort_values(keys, kind="stable").reset_index(drop=True)
        return df

    def _empty(self, name: str, columns):
        import pyarrow as pa

        names = list(columns) if columns is not None else ["doc_id"]
        return pa.table({c: pa.array([], type=pa.string()) for c in names})

    def __getattr__(self, name: str):
        if name in PER_REPORT_TABLES or name in CORPUS_TABLES:
            return self.table(name)
        raise AttributeError(f"{type(self).__name__!r} has no attribute {name!r}")

    @property
    def themes(self) -> pd.DataFrame:
        """The theme dictionary the store's ``theme_hits`` were made with (:func:`~lawgov_analysis.analysis.themes.load_themes`)."""
        from ..analysis.themes import load_themes

        self._refresh()
        return load_themes(self.meta["themes"]) if self.meta.get("themes") else load_themes()

    def theme_scores(self, by: str = "doc_id", *, section_level: int | None = None) -> pd.DataFrame:
        """:func:`~lawgov_analysis.analysis.themes.theme_scores` from the stored hits (no segmentation).

        ``by``: ``doc_id``, ``section_id``, ``sentence_id``, ``section_l1`` … ``section_l4`` or a metadata
        column of the corpus (``year``, ``region``, ``level`` …).
        """
        from ..analysis.themes import scores_from_hits

        corpus_columns = [c for c in self.columns("corpus") if c != "text"]
        needs_sections = section_level is not None or by.startswith("section_l")
        return scores_from_hits(
            self.theme_hits, self.table("sentences", columns=["doc_id", "section_id", "sentence_id", "start", "end"]),
            corpus=self.table("corpus", columns=corpus_columns), themes=self.themes, by=by,
            sections=self.sections if needs_sections else None, section_level=section_level)

    @property
    def ingest(self) -> pd.DataFrame:
        """The ingest account of the files given to the builds: ``path, status, reason, doc_id``."""
        path = self.path / "ingest.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["path", "status", "reason", "doc_id"])
        return pd.read_parquet(path)

    @property
    def errors(self) -> pd.DataFrame:
        """Reports a stage failed on in the last build: ``doc_id, stage, error`` (empty when none)."""
        path = self.path / "errors.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["doc_id", "stage", "error"])
        return pd.read_parquet(path)


def _to_pandas(table, categories: bool) -> pd.DataFrame:
    """Arrow → pandas; dictionary columns become categoricals with sorted categories (so sorting is lexical)."""
    import pyarrow as pa

    if not categories:
        table = pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
                          for c in table.columns], names=table.column_names)
    nullable = {name: pd.array(col.to_pylist(), dtype=f"Int{col.type.bit_width}")   # not float with NaN
                for name, col in zip(table.column_names, table.columns)
                if pa.types.is_integer(col.type) and col.null_count}
    df = table.to_pandas(split_blocks=True, self_destruct=True)     # frees each Arrow column once converted
    del table
    pa.default_memory_pool().release_unused()
    for name, values in nullable.items():
        df[name] = values
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            cats = df[col].cat.categories
            if not cats.is_monotonic_increasing:
                df[col] = df[col].cat.reorder_categories(sorted(cats))
    return df


def _read_index(root: Path) -> pd.DataFrame:
    path = root / "index.parquet"
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("part", "chars") else "str")
                             for c in _INDEX_COLUMNS})
    df = pd.read_parquet(path)
    for col in _INDEX_COLUMNS:                   # an index from an earlier format: missing keys never match
        if col not in df.columns:
            df[col] = ""
    return df[_INDEX_COLUMNS].astype({"doc_id": str, "part": "int64"})


def load_store(path: str | Path) -> Store:
    """Open a corpus store made by :func:`build_store`; tables are read when asked for.

    >>> store = load_store("store")                                          # doctest: +SKIP
    >>> store.table("tokens", columns=["doc_id", "token"], filters=[("kind", "==", "word")])  # doctest: +SKIP
    >>> store.corpus, store.metrics, store.ingest                           # doctest: +SKIP
    """
    return Store(path)


def _audit_years(mets: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """The cross-report ``year_over_year`` rows of :func:`lawgov_analysis.measures.audit.audit`."""
    from ..measures import audit as audit_module

    columns = audit_module.AUDIT_COLUMNS
    check = getattr(audit_module, "_year_over_year_checks", None)
    rows = check(mets, corpus, 0.01) if check is not None else []
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype="float64" if c in ("stated", "computed", "difference")
                                          else "str") for c in columns})
    out = pd.DataFrame(rows).sort_values(["doc_id", "_pos", "kind"], kind="mergesort")
    return out[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------ build
def _load_source(source) -> tuple[pd.DataFrame, pd.DataFrame]:
    from ..io.corpus import load_corpus

    if isinstance(source, pd.DataFrame):
        from ..core.validate import check_columns

        check_columns(source, ["doc_id", "text"], what="corpus")
        corpus = source.copy()
        ingest = pd.DataFrame({"path": corpus.get("path", corpus["doc_id"]).astype(str), "status": "loaded",
                               "reason": "", "doc_id": corpus["doc_id"].astype(str)})
    else:
        paths = [source] if isinstance(source, (str, Path)) else list(source)
        corpus, ingest = load_corpus(paths if len(paths) != 1 else paths[0], report=True)
    corpus.attrs = {}
    corpus = corpus.astype({"doc_id": str})
    if "sha256" not in corpus.columns:
        import hashlib

        corpus["sha256"] = [hashlib.sha256(("" if pd.isna(t) else str(t)).encode("utf-8")).hexdigest()
                            for t in corpus["text"]]
    if corpus["doc_id"].duplicated().any():
        dupes = corpus.loc[corpus["doc_id"].duplicated(), "doc_id"].tolist()
        raise ValueError(f"doc_id must be unique, got duplicates: {', '.join(dupes[:5])}")
    # metadata (year, region … from a corrected manifest) is part of what was built: hash it per report
    meta_cols = sorted(c for c in corpus.columns if c not in ("text", "sha256"))
    corpus["_meta"] = pd.util.hash_pandas_object(corpus[meta_cols].astype(str), index=False).astype(str)
    return corpus.sort_values("doc_id", kind="stable").reset_index(drop=True), ingest


def _resolve_jobs(n_jobs: int | None) -> int:
    cpus = os.cpu_count() or 1
    if n_jobs is None:
        return cpus
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return max(1, int(n_jobs))


def _chunks(todo: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [todo.iloc[i:i + size].reset_index(drop=True) for i in range(0, len(todo), size)]


def _existing_parts(root: Path) -> set[int]:
    found = set()
    for name in PER_REPORT_TABLES:
        folder = root / name
        for f in folder.glob("part-*.parquet") if folder.is_dir() else []:
            with contextlib.suppress(ValueError):
                found.add(int(f.stem.split("-")[1]))
    return found


def _remove_parts(root: Path, parts: Iterable[int]) -> None:
    for part in parts:
        for name in PER_REPORT_TABLES:
            with contextlib.suppress(OSError):
                (root / name / _part_name(part)).unlink()


def build_store(
    source,
    out: str | Path,
    *,
    n_jobs: int | None = None,
    chunk_size: int | None = None,
    client=None,
    scheduler: str | None = None,
    progress: bool | None = None,
    lexicon=None,
    stopwords=None,
    themes=None,
    indicators=None,
    prune: bool = False,
    force: bool = False,
) -> Store:
    """Build (or update) a corpus store: every per-report stage once per report, as Parquet tables.

    Parameters
    ----------
    source
        What :func:`lawgov_analysis.io.corpus.load_corpus` takes (a folder, a file, a manifest CSV or a list
        of them), or an already loaded report table (``doc_id``, ``text`` and metadata).
    out
        The store folder (created when missing). With Dask it must be reachable by every worker under the
        same path (a shared filesystem).
    n_jobs
        Worker processes on this machine (None: one per core; 1: in this process).
    chunk_size
        Reports per chunk (one Parquet part per table). None: ``ceil(reports / (4 × workers))`` between 1
        and 64.
    client, scheduler
        A ``dask.distributed.Client``, or the address of a Dask scheduler (``"tcp://host:8786"``): the chunks
        then run on the cluster (same function, same result). Needs the ``[dask]`` extra.
    progress
        tqdm progress bar over reports (None: on a terminal).
    lexicon, stopwords
        As in :func:`lawgov_analysis.text.tokens.tokenize`; the theme terms are always added to the lexicon.
    themes
        Theme dictionary (:func:`lawgov_analysis.analysis.themes.load_themes`).
    indicators
        Indicator rules (:func:`lawgov_analysis.measures.metrics.metrics`).
    prune
        Drop reports of the store that are not in ``source``.
    force
        Rebuild every report of ``source`` even when unchanged (e.g. after editing the package's code, which
        does not change its version).

    Returns
    -------
    Store
        :func:`load_store` of ``out``. ``store.meta["last_build"]`` says what the build did (``built``,
        ``skipped``, ``failed``, ``removed`` reports; wall ``seconds``, ``load_seconds`` reading the files,
        ``corpus_level_seconds``; ``stage_cpu_seconds``: CPU seconds of each per-report stage summed over
        the workers). Reports a stage failed on are printed to stderr (one
        line each, naming the report and the reason), listed in ``store.errors`` and retried next time.
        Only one build at a time may update a store: a second one stops with a message naming the first.
    """
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    with _build_lock(root):
        return _build(source, root, n_jobs=n_jobs, chunk_size=chunk_size, client=client, scheduler=scheduler,
                      progress=progress, lexicon=lexicon, stopwords=stopwords, themes=themes,
                      indicators=indicators, prune=prune, force=force)


@contextlib.contextmanager
def _build_lock(root: Path):
    """``STORE/.build.lock`` holds the builder's pid; a lock left by a process that no longer runs is taken over."""
    lock = root / ".build.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="utf-8").strip() or 0)
            except (OSError, ValueError):
                pid = 0
            alive = False
            if pid > 0:
                try:
                    os.kill(pid, 0)
                    alive = True
                except ProcessLookupError:
                    alive = False
                except PermissionError:
                    alive = True
            if alive and pid != os.getpid():
                raise RuntimeError(f"{root}: another build (pid {pid}) is updating this store; wait for it "
                                   f"or remove {lock} if that process is gone") from None
            with contextlib.suppress(OSError):
                lock.unlink()
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _build(source, root: Path, *, n_jobs, chunk_size, client, scheduler, progress, lexicon, stopwords, themes,
           indicators, prune, force) -> Store:
    t0 = time.perf_counter()
    corpus, ingest = _load_source(source)
    t_load = time.perf_counter() - t0
    settings = build_settings(lexicon=lexicon, stopwords=stopwords, themes=themes, indicators=indicators)
    meta_file = root / "store.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    index = _read_index(root)
    docs_per_part = {int(k): v for k, v in meta.get("docs_per_part", {}).items()}

    # parts on disk that the index does not reference come from an interrupted build: remove them
    referenced = set(index["part"].astype(int))
    _remove_parts(root, _existing_parts(root) - referenced)

    current = index.set_index("doc_id")
    same = corpus["doc_id"].isin(current.index) & (not force)
    if same.any():
        prev = current.reindex(corpus["doc_id"])
        same &= ((prev["sha256"].to_numpy() == corpus["sha256"].to_numpy())
                 & (prev["meta"].to_numpy() == corpus["_meta"].to_numpy())
                 & (prev["resources"].to_numpy() == settings.resources)
                 & (prev["version"].to_numpy() == settings.version))
    todo = corpus[~same.to_numpy()].drop(columns="_meta").reset_index(drop=True)
    removed: list[str] = []
    if prune:
        removed = sorted(set(index["doc_id"]) - set(corpus["doc_id"]))
        index = index[~index["doc_id"].isin(removed)].reset_index(drop=True)

    workers = 1 if client is None and scheduler is None and len(todo) <= 1 else _resolve_jobs(n_jobs)
    size = chunk_size or max(1, min(64, -(-len(todo) // (4 * workers)))) if len(todo) else 1
    chunks = _chunks(todo, size)
    next_part = max([*referenced, *_existing_parts(root), -1]) + 1
    jobs = [(chunk, next_part + i) for i, chunk in enumerate(chunks)]
    errors: list[dict] = []
    cpu: dict[str, float] = {}
    meta.update(format=STORE_FORMAT, version=settings.version, resources=settings.resources,
                themes={r.theme_id: dict(label=r.label, definition=r.definition, indicators=list(r.indicators),
                                         source=r.source, terms=list(r.terms), patterns=list(r.patterns))
                        for r in settings.themes.itertuples(index=False)})

    def finish(result: dict) -> None:
        nonlocal index
        built = result["doc_id"]
        rows = corpus.loc[corpus["doc_id"].isin(built), ["doc_id", "sha256", "_meta", "chars"]
                          if "chars" in corpus.columns else ["doc_id", "sha256", "_meta"]].rename(
                              columns={"_meta": "meta"})
        new = rows.assign(resources=settings.resources, version=settings.version, part=result["part"])
        if "chars" not in new.columns:
            new["chars"] = 0
        chunk_ids = set(result["doc_id"]) | {e["doc_id"] for e in result["errors"]}
        index = pd.concat([index[~index["doc_id"].isin(chunk_ids)], new[_INDEX_COLUMNS]], ignore_index=True)
        docs_per_part[int(result["part"])] = len(built)
        errors.extend(result["errors"])
        for stage, sec in result.get("cpu", {}).items():
            cpu[stage] = cpu.get(stage, 0.0) + sec
        for e in result["errors"]:
            print(f"failed: {e['doc_id']}: {e['error']}", file=sys.stderr)
        _commit(root, index, meta, docs_per_part)

    from tqdm.auto import tqdm

    if progress is None:
        progress = sys.stderr.isatty() and len(todo) > 1
    bar = tqdm(total=len(todo), desc="build store", unit="report", disable=not progress)
    try:
        if not jobs:
            pass
        elif client is not None or scheduler is not None:
            _run_dask(jobs, settings, root, client, scheduler, finish, bar)
        elif workers == 1 or len(jobs) == 1:
            from ..text import tokens as tk

            tk._tokenizer(settings.lexicon, settings.lexicon_key)
            for chunk, part in jobs:
                finish(build_partition(chunk, settings, str(root), part))
                bar.update(len(chunk))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            from ..text import tokens as tk

            # built (and its log-probabilities computed) once here: forked workers inherit it
            tk._tokenizer(settings.lexicon, settings.lexicon_key).lcut("法治政府")
            method = "fork" if "fork" in mp.get_all_start_methods() else None
            pool = ProcessPoolExecutor(min(workers, len(jobs)), mp_context=mp.get_context(method),
                                       initializer=_init_worker, initargs=(settings,))
            try:
                futures = {pool.submit(_run_local, chunk, str(root), part): len(chunk) for chunk, part in jobs}
                for future in as_completed(futures):
                    finish(future.result())
                    bar.update(futures[future])
            except BaseException:      # Ctrl-C or a failure: stop now; the finished chunks are in the index
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    finally:
        bar.close()

    # compact: parts whose reports were all rebuilt elsewhere are deleted; the index no longer points at them
    live = set(index["part"].astype(int))
    dead = [p for p in docs_per_part if p not in live]
    for p in dead:
        docs_per_part.pop(p, None)
    _commit(root, index, meta, docs_per_part)
    _remove_parts(root, dead)

    changed = bool(jobs) or bool(removed) or not all((root / t / "all.parquet").is_file()
                                                        for t in _available_corpus_tables())
    ingest_path = root / "ingest.parquet"
    if ingest_path.is_file():
        old = pd.read_parquet(ingest_path)
        ingest = pd.concat([old[~old["path"].isin(ingest["path"])], ingest], ignore_index=True)
    _write_atomic(_to_arrow(ingest.sort_values("path", kind="stable").reset_index(drop=True)), ingest_path)
    _write_atomic(_to_arrow(pd.DataFrame(errors, columns=["doc_id", "stage", "error"])), root / "errors.parquet")
    store = Store(root)
    t1 = time.perf_counter()
    if changed:
        _corpus_level(store)
    corpus_seconds = time.perf_counter() - t1
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["last_build"] = dict(built=int(len(todo) - len(errors)), skipped=int(same.sum()), failed=len(errors),
                              removed=len(removed), seconds=round(time.perf_counter() - t0, 3),
                              load_seconds=round(t_load, 3), corpus_level_seconds=round(corpus_seconds, 3),
                              workers=workers if jobs else 0,
                              stage_cpu_seconds={k: round(v, 3) for k, v in sorted(cpu.items())})
    _write_json_atomic(meta, meta_file)
    return Store(root)


def _commit(root: Path, index: pd.DataFrame, meta: dict, docs_per_part: dict) -> None:
    """Write the index, then store.json (both atomically): the store now includes the finished chunks."""
    index = index.sort_values("doc_id", kind="stable").reset_index(drop=True)
    _write_atomic(_to_arrow(index.astype({"part": "int64", "chars": "int64"})), root / "index.parquet")
    meta = dict(meta, reports=int(len(index)), tables=list(PER_REPORT_TABLES),
                docs_per_part={str(k): int(v) for k, v in sorted(docs_per_part.items())})
    _write_json_atomic(meta, root / "store.json")


def _available_corpus_tables() -> list[str]:
    import importlib

    out = []
    for name, (module, fn) in _CORPUS_FUNCTIONS.items():
        try:
            mod = importlib.import_module(f"lawgov_analysis.{module}")
        except ImportError:
            continue
        if hasattr(mod, fn):
            out.append(name)
    return out


def _corpus_level(store: Store) -> None:
    """Corpus-level tables over the whole store (after the per-report parts are in place)."""
    import importlib

    names = _available_corpus_tables()
    if not names:
        return
    corpus = store.table("corpus", categories=False)
    mets = store.table("metrics", categories=False)
    for name in names:
        module, fn = _CORPUS_FUNCTIONS[name]
        table = getattr(importlib.import_module(f"lawgov_analysis.{module}"), fn)(mets, corpus)
        _write_atomic(_to_arrow(table.reset_index(drop=True)), store.path / name / "all.parquet")


def _run_dask(jobs, settings, root: Path, client, scheduler, finish, bar) -> None:
    """Run the chunks on a Dask cluster with the same :func:`build_partition`."""
    try:
        from distributed import Client, as_completed
    except ImportError as err:  # pragma: no cover - depends on the optional extra
        raise ImportError("running on Dask needs the [dask] extra: pip install 'lawgov-analysis[dask]'") from err
    own = client is None
    if own:
        client = Client(scheduler)
    try:
        remote = client.scatter(settings, broadcast=True)
        futures = [client.submit(build_partition, chunk, remote, str(root.resolve()), part, pure=False)
                   for chunk, part in jobs]
        sizes = {f.key: len(chunk) for f, (chunk, _) in zip(futures, jobs)}
        for future in as_completed(futures):
            finish(future.result())
            bar.update(sizes[future.key])
    finally:
        if own:
            client.close()


def store_summary(store: Store) -> str:
    """One line: reports, tables and rows (for the CLI)."""
    last = store.meta.get("last_build", {})
    return (f"{store.path}: {len(store.index)} reports; this build: {last.get('built', 0)} built, "
            f"{last.get('skipped', 0)} unchanged, {last.get('failed', 0)} failed, {last.get('removed', 0)} "
            f"removed in {last.get('seconds', 0)} s; tables: {', '.join(store.tables)}")
