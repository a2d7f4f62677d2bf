"""The catalog: one object that hands every consumer (CLI, ``report``, notebooks, your code) the same tables.

:func:`open_corpus` opens any source — a folder of reports, a report file, a manifest, a report table written by
``lawgov-analysis ingest --out``, an already loaded report table, or a store folder written by ``lawgov-analysis
build`` — and returns a :class:`Store`. A source that is not a store yet is built once (:func:`build_store`)
into ``store=`` or a cache folder and reused afterwards (only changed reports are rebuilt).

The store is plain Parquet: ``STORE/<table>/part-*.parquet`` per table (see :mod:`lawgov_analysis.pipeline.stages`
for what each holds), ``STORE/index.parquet`` (one row per built report: ``doc_id, sha256, meta, resources,
version, part, chars``), ``STORE/ingest.parquet`` (the ingest account), ``STORE/errors.parquet`` and
``STORE/store.json``. :meth:`Store.table` reads a table into pandas; :meth:`Store.sql` queries every table with
DuckDB; R (``arrow::open_dataset("STORE/tokens")``) and Polars (``pl.scan_parquet("STORE/tokens/*.parquet")``)
read the same files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from .compact import stale_parts
from .stages import CORPUS_TABLES, REPORT_TABLES, TABLE_ORDER
from .storage import part_name, part_number, to_pandas

__all__ = ["Store", "open_corpus", "corpus_kind", "quick_kind", "read_corpus_table", "is_corpus_table", "is_store",
           "CorpusInputError", "INDEX_COLUMNS", "SourceKind", "read_index", "duckdb_connection"]

#: Columns of ``STORE/index.parquet``.
INDEX_COLUMNS = ["doc_id", "sha256", "meta", "resources", "version", "part", "chars"]
#: Suffixes of a report table as written by ``lawgov-analysis ingest --out``.
CORPUS_TABLE_SUFFIXES = (".parquet", ".csv", ".tsv")
SourceKind = Literal["store", "table", "manifest", "folder", "file"]


class CorpusInputError(ValueError):
    """A corpus that cannot be used: the message is one line naming the path and the reason."""


# --------------------------------------------------------------------------------------------------- sources
def is_store(path: str | os.PathLike) -> bool:
    """A store folder written by ``lawgov-analysis build`` (:func:`build_store`): it has ``store.json``."""
    path = Path(path)
    return path.is_dir() and (path / "store.json").is_file()


def _table_columns(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    return list(pd.read_csv(path, nrows=0, sep="\t" if path.suffix == ".tsv" else ",",
                            encoding="utf-8-sig").columns)


def is_corpus_table(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a report table written by ``lawgov-analysis ingest --out``: a .parquet/.csv/.tsv file
    with ``doc_id`` and ``text`` columns (a manifest has ``path`` instead). Raises when the file cannot be read
    as a table."""
    path = Path(path)
    return (path.is_file() and path.suffix.lower() in CORPUS_TABLE_SUFFIXES
            and {"doc_id", "text"} <= set(_table_columns(path)))


def read_corpus_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read back the report table ``lawgov-analysis ingest --out`` wrote (.parquet, .csv or .tsv).

    Returns the table with ``doc_id`` and ``text`` as strings, ``year`` and ``chars`` as nullable ``Int64``
    and ``sha256`` filled when missing; the other columns as stored; sorted by ``doc_id``. Raises
    ``ValueError`` naming the file when ``doc_id`` or ``text`` is missing.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        table = pd.read_parquet(path)
    else:
        table = pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",", dtype=str, keep_default_na=False,
                            encoding="utf-8-sig")
    missing = [c for c in ("doc_id", "text") if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: not a report table (missing {', '.join(missing)})")
    table["doc_id"] = table["doc_id"].astype(str)
    table["text"] = table["text"].fillna("").astype(str)
    for col in ("year", "chars"):
        if col in table.columns:
            table[col] = pd.to_numeric(table[col].replace("", None), errors="coerce").astype("Int64")
    if "sha256" not in table.columns:
        table["sha256"] = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in table["text"]]
    return table.sort_values("doc_id", kind="stable").reset_index(drop=True)


def corpus_kind(source: str | os.PathLike | None) -> SourceKind:
    """What ``source`` is, checked before anything is built.

    Kinds: ``"store"`` (a folder written by ``lawgov-analysis build``), ``"table"`` (a report table written by
    ``lawgov-analysis ingest --out``), ``"manifest"`` (a CSV/XLSX with a ``path`` column), ``"folder"`` or
    ``"file"`` of reports. Raises :class:`CorpusInputError` with one line naming the path and the reason when
    the path is missing, does not exist, or holds no loadable report.
    """
    if source is None or str(source).strip() == "":
        raise CorpusInputError("no corpus given: pass a folder of reports, a manifest, a table written by "
                               "`lawgov-analysis ingest --out` or a store folder")
    path = Path(source)
    if not path.exists():
        raise CorpusInputError(f"corpus {path} does not exist")
    if is_store(path):
        return "store"
    if path.is_file() and path.suffix.lower() in CORPUS_TABLE_SUFFIXES:
        try:
            columns = _table_columns(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable table is one line for the user
            raise CorpusInputError(f"corpus {path} cannot be read as a table: {exc}".splitlines()[0]) from exc
        if {"doc_id", "text"} <= set(columns):
            if read_corpus_table(path).empty:
                raise CorpusInputError(f"corpus {path} holds no report (the table has no rows)")
            return "table"
        if "path" not in columns:
            raise CorpusInputError(f"corpus {path} is neither a manifest (no 'path' column) nor a report table "
                                   "from `ingest --out` (needs 'doc_id' and 'text')")
    from ..io.corpus import REPORT_FORMATS, load_corpus

    if path.is_dir() and not any(p.is_file() and p.suffix.lower() in REPORT_FORMATS for p in path.rglob("*")):
        raise CorpusInputError(f"corpus {path} holds no report: no {', '.join(sorted(REPORT_FORMATS))} file in it")
    try:
        loaded, ingest = load_corpus(path, report=True)
    except Exception as exc:  # noqa: BLE001 - the loader's message is already about the file
        raise CorpusInputError(f"corpus {path} cannot be loaded: {exc}".splitlines()[0]) from exc
    if loaded.empty:
        reasons = ingest.loc[ingest["status"] != "loaded", "reason"].value_counts()
        why = "; ".join(f"{n} {r}" for r, n in reasons.head(3).items())
        found = "no files" if ingest.empty else f"{len(ingest)} file(s), none loadable ({why})"
        raise CorpusInputError(f"corpus {path} holds no report: {found}")
    if path.is_dir():
        return "folder"
    return "manifest" if path.suffix.lower() in (".csv", ".xlsx") else "file"


def quick_kind(source: str | os.PathLike) -> SourceKind | None:
    """:func:`corpus_kind` where telling costs no load of the reports, else ``None``.

    A missing path or a table or manifest file is checked (raising :class:`CorpusInputError` as
    :func:`corpus_kind` does); a folder or report file is not, because checking it means loading it: the build
    loads it once and asks :func:`corpus_kind` only when nothing loaded, for the same one-line error.
    """
    path = Path(source)
    if (str(source).strip() == "" or not path.exists()
            or (path.is_file() and path.suffix.lower() in CORPUS_TABLE_SUFFIXES)):
        return corpus_kind(source)
    return None


def _source_key(source) -> str:
    if isinstance(source, pd.DataFrame):
        return hashlib.sha256("".join(sorted(source["doc_id"].astype(str))).encode("utf-8")).hexdigest()[:16]
    paths = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    joined = "\n".join(sorted(str(Path(p).resolve()) for p in paths))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def open_corpus(source, *, store: str | os.PathLike | None = None, progress: bool | None = None,
                **build_options) -> Store:
    """Open any corpus source as a :class:`Store` (the catalog every consumer reads).

    Parameters
    ----------
    source
        A store folder (opened as it is, nothing recomputed); a :class:`Store`; or what is built into one: a
        folder of reports, a report file, a manifest, a report table written by ``ingest --out``, a list of
        such paths, or a loaded report table (``doc_id``, ``text`` and metadata).
    store
        Where to build a store for a source that is not one (default: the cache folder,
        :func:`lawgov_analysis.core.config.cache_dir` ``/ "stores" / <key of the source>``). Reused afterwards:
        only reports whose text, metadata or resources changed are rebuilt; reports no longer in the source are
        dropped.
    progress, **build_options
        Passed to :func:`lawgov_analysis.pipeline.runner.build_store` (``n_jobs``, ``segmenter``, ``themes`` …).

    Raises
    ------
    CorpusInputError
        One line naming the path and the reason when the source is missing, empty or unreadable.

    >>> store = open_corpus("data/reports")                                  # doctest: +SKIP
    >>> store.table("metrics", columns=["doc_id", "value", "unit"])          # doctest: +SKIP
    """
    if isinstance(source, Store):
        return source
    if isinstance(source, (str, os.PathLike)) and is_store(source):
        return Store(source)
    from ..core.config import cache_dir
    from .runner import build_store

    key = _source_key(source)
    if isinstance(source, (str, os.PathLike)) and quick_kind(source) == "table":
        source = read_corpus_table(source)
    target = Path(store) if store is not None else cache_dir() / "stores" / key
    return build_store(source, target, progress=progress, prune=True, **build_options)


# ----------------------------------------------------------------------------------------------------- store
@contextlib.contextmanager
def duckdb_connection():
    """An in-memory DuckDB connection that spills to a temporary folder of its own, removed afterwards.

    DuckDB's default spill folder is ``.tmp`` in the working directory: a notebook executed in a report folder
    left an empty ``.tmp`` there after a query too large for the memory limit."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="lawgov-duckdb-") as tmp:
        con = duckdb.connect(config={"temp_directory": tmp})
        try:
            yield con
        finally:
            con.close()


class Store:
    """A built corpus store: named tables read on demand. Opened by :func:`open_corpus`.

    ``store.table(name, columns=…, filters=…)`` reads one table (``store.metrics``, ``store.tokens`` … read a
    whole one; pyarrow filters, e.g.
    ``[("doc_id", "in", ["a", "b"])]``); ``store.columns(name)`` lists a table's columns; ``store.parts(name)``
    lists its part files (for streaming or Dask); ``store.sql("select …")`` queries the tables with DuckDB;
    ``store.index``, ``store.ingest`` and ``store.errors`` are the build index, the ingest account and the reports
    a stage failed on; ``store.themes`` is the theme dictionary the hits were made with.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not (self.path / "store.json").is_file():
            raise FileNotFoundError(f"not a corpus store (no store.json): {self.path}")
        self._stamp = None
        self.refresh()

    def refresh(self) -> None:
        """(Re)read store.json and the index when a build has changed them since."""
        stamp = (self.path / "store.json").stat().st_mtime_ns
        if stamp != self._stamp:
            self.meta = json.loads((self.path / "store.json").read_text(encoding="utf-8"))
            self.index = read_index(self.path)
            self._stamp = stamp

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, reports={len(self.index)}, tables={self.tables})"

    @property
    def tables(self) -> list[str]:
        """Names of the tables present."""
        names = [n for n in REPORT_TABLES if (self.path / n).is_dir()]
        return names + [n for n in CORPUS_TABLES if (self.path / n / "all.parquet").is_file()]

    def parts(self, name: str) -> list[Path]:
        """Part files of a per-report table that hold built reports, in ``doc_id`` order of their first report."""
        if name not in REPORT_TABLES:
            raise ValueError(f"name must be one of {', '.join(REPORT_TABLES)}, got {name!r}")
        self.refresh()
        if self.index.empty:
            return []
        first = self.index.groupby("part", sort=False)["doc_id"].min().sort_values(kind="stable")
        return [self.path / name / part_name(int(p)) for p in first.index]

    def reports(self, *, categories: bool = False) -> pd.DataFrame:
        """The report table without the report texts: one row per report, every column of ``table("corpus")``
        except ``text`` (metadata to join or group by, without holding every text in memory)."""
        return self.table("corpus", columns=[c for c in self.columns("corpus") if c != "text"],
                          categories=categories)

    def columns(self, name: str) -> list[str]:
        """Column names of a table (read from a part's schema; no rows are read)."""
        import pyarrow.parquet as pq

        if name in CORPUS_TABLES:
            path = self.path / name / "all.parquet"
            return list(pq.read_schema(path).names) if path.is_file() else []
        files = self.parts(name)
        return list(pq.read_schema(files[0]).names) if files else ["doc_id"]

    def _stale_parts(self) -> set[int]:
        written = {int(k): v for k, v in self.meta.get("docs_per_part", {}).items()}
        return set(stale_parts(self.index, written))

    def table(self, name: str, *, columns: Sequence[str] | None = None, filters=None,
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
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if name in CORPUS_TABLES:
            path = self.path / name / "all.parquet"
            if not path.is_file():
                raise ValueError(f"table {name!r} is not in this store (tables: {', '.join(self.tables)})")
            return to_pandas(pq.read_table(path, columns=columns, filters=filters), categories)
        if name not in REPORT_TABLES:
            raise ValueError(f"name must be one of {', '.join(REPORT_TABLES + CORPUS_TABLES)}, got {name!r}")
        files = self.parts(name)
        if not files:
            names = list(columns) if columns is not None else ["doc_id"]
            return to_pandas(pa.table({c: pa.array([], type=pa.string()) for c in names}), categories)
        stale = self._stale_parts()
        need = list(columns) if columns is not None else None
        if need is not None and stale and "doc_id" not in need:
            need = ["doc_id", *need]
        pieces = []
        clean = [f for f in files if part_number(f) not in stale]
        if clean:
            pieces.append(pq.ParquetDataset(clean, filters=filters).read(columns=need))
        for f in files:
            if part_number(f) in stale:  # rows of reports rebuilt elsewhere since: keep this part's own reports
                keep = self.index.loc[self.index["part"] == part_number(f), "doc_id"].tolist()
                t = pq.ParquetDataset([f], filters=filters).read(columns=need)
                pieces.append(t.filter(pc.is_in(t["doc_id"].cast(pa.string()), pa.array(keep))))
        table = pa.concat_tables(pieces, promote_options="permissive") if len(pieces) > 1 else pieces[0]
        if columns is not None:
            table = table.select(list(columns))
        df = to_pandas(table, categories)
        ranges = self.index.groupby("part")["doc_id"].agg(["min", "max"]).sort_values("min", kind="stable")
        interleaved = bool((ranges["min"].to_numpy()[1:] <= ranges["max"].to_numpy()[:-1]).any())
        if name == "audit" and "audit_years" in self.tables:  # the cross-report checks, after each report's own
            extra = self.table("audit_years", columns=columns, filters=filters, categories=False)
            if len(extra):
                df = pd.concat([to_pandas(pa.Table.from_pandas(df, preserve_index=False), False), extra],
                               ignore_index=True)
                df = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
                if categories:
                    df = df.astype({c: "category" for c in ("doc_id", "kind", "severity") if c in df.columns})
                return df
        if (stale or interleaved) and "doc_id" in df.columns:
            keys = ["doc_id", *[k for k in TABLE_ORDER[name] if k in df.columns]]
            df = df.sort_values(keys, kind="stable").reset_index(drop=True)
        return df

    def sql(self, query: str) -> pd.DataFrame:
        """Run a DuckDB SQL query over the store's tables (each table a view of its Parquet files).

        Only the rows of the reports the index holds are seen (a part that also holds older rows of a report
        rebuilt since is filtered by the index). ``audit`` includes the cross-report ``audit_years`` rows.

        >>> store.sql("select unit, count(*) n from metrics group by unit order by n desc")  # doctest: +SKIP
        """
        self.refresh()
        with duckdb_connection() as con:
            parts = pd.DataFrame({"doc_id": self.index["doc_id"].astype(str),
                                  "part_file": [part_name(int(p)) for p in self.index["part"]]})
            con.register("_index", parts)
            with_years = "audit_years" in self.tables   # audit = each report's checks + the cross-report rows
            # the build keeps parts to the index's reports (compact.drop_stale_rows); only a store an older or
            # interrupted build left with stale parts needs every row checked against the index
            stale = bool(self._stale_parts())
            for name in REPORT_TABLES:
                files = [str(f) for f in self.parts(name) if f.is_file()]
                if not files:
                    continue
                listing = ", ".join(_sql_string(f) for f in files)
                view = "_audit_own" if name == "audit" and with_years else name
                if stale:
                    con.execute(
                        f"create view {view} as select t.* exclude (filename) from read_parquet([{listing}], "
                        f"filename = true) t join _index i on t.doc_id = i.doc_id "
                        f"and parse_filename(t.filename) = i.part_file")
                else:
                    con.execute(f"create view {view} as select * from read_parquet([{listing}])")
            for name in CORPUS_TABLES:
                path = self.path / name / "all.parquet"
                if path.is_file():
                    con.execute(f"create view {name} as select * from read_parquet({_sql_string(path.as_posix())})")
            if "audit" in self.tables and with_years:
                con.execute("create view audit as select * from _audit_own union all by name select * from audit_years")
            return con.execute(query).df()

    def __getattr__(self, name: str):
        """``store.tokens``, ``store.metrics`` …: a whole table (as :meth:`table`)."""
        if name in REPORT_TABLES or name in CORPUS_TABLES:
            return self.table(name)
        raise AttributeError(f"{type(self).__name__!r} has no attribute {name!r}")

    @property
    def themes(self) -> pd.DataFrame:
        """The theme dictionary the store's ``theme_hits`` were made with (:func:`~lawgov_analysis.analysis.themes.load_themes`)."""
        from ..analysis.themes import load_themes

        self.refresh()
        return load_themes(self.meta["themes"]) if self.meta.get("themes") else load_themes()

    @property
    def ingest(self) -> pd.DataFrame:
        """The ingest account of the files given to the builds: ``path, status, reason, doc_id``."""
        path = self.path / "ingest.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["path", "status", "reason", "doc_id"])
        return pd.read_parquet(path)

    @property
    def errors(self) -> pd.DataFrame:
        """What failed in the last build: ``doc_id, stage, error``, one row per report a stage failed on, and one
        row with an empty ``doc_id`` per corpus stage (``audit_years``, ``reuse``) that failed (its table is
        then missing and the next build runs it again); empty when nothing failed."""
        path = self.path / "errors.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["doc_id", "stage", "error"])
        return pd.read_parquet(path)

    def summary(self) -> str:
        """One line: reports, what the last build did, and the tables."""
        last = self.meta.get("last_build", {})
        return (f"{self.path}: {len(self.index)} reports; this build: {last.get('built', 0)} built, "
                f"{last.get('skipped', 0)} unchanged, {last.get('failed', 0)} failed, {last.get('removed', 0)} "
                f"removed in {last.get('seconds', 0)} s; tables: {', '.join(self.tables)}")


def _sql_string(text: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def read_index(root: Path) -> pd.DataFrame:
    """The build index of a store folder (empty, with its columns, when there is none yet)."""
    path = root / "index.parquet"
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("part", "chars") else "str")
                             for c in INDEX_COLUMNS})
    return pd.read_parquet(path)[INDEX_COLUMNS].astype({"doc_id": str, "part": "int64"})
