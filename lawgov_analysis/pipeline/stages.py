"""The per-report stages, declared as data: each a public function of one partition's tables.

A :class:`Stage` names its function, the tables it reads and the table it writes. :data:`REPORT_STAGES` run in
order on every partition of reports (by :func:`partition_tables`, called by the runner in a worker process or
on a Dask worker); :data:`CORPUS_STAGES` run once over the whole store after a build (they compare reports
with each other). The runner knows nothing of what a stage does: adding a table is adding a :class:`Stage`.

Every stage function takes its inputs and the build's :class:`BuildSettings` as keyword arguments and returns
one table (pandas, or Arrow for the token table).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .storage import to_arrow

__all__ = ["Stage", "BuildSettings", "build_settings", "REPORT_STAGES", "CORPUS_STAGES", "REPORT_TABLES",
           "CORPUS_TABLES", "TABLE_ORDER", "partition_tables", "sections_stage", "sentences_stage",
           "tokens_stage", "theme_hits_stage", "metrics_stage", "audit_stage", "panel_stage",
           "year_over_year_stage", "reuse_stage", "code_version", "source_digest", "STORE_FORMAT", "prepare_worker",
           "prepare_corpus_stages"]

#: Bumped when the layout of the store changes: every report is rebuilt.
STORE_FORMAT = 2


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: ``output = func(**{name: table for name in inputs}, settings=settings)``."""

    name: str
    func: Callable
    #: Tables it reads (a corpus stage may name ``"store"``: it then gets the opened store, to read by part).
    inputs: tuple[str, ...]
    #: Row order of the output after ``doc_id``.
    order: tuple[str, ...] = ()
    #: Further tables the function writes from the same work (each with the order of ``also_order``): it then
    #: returns a tuple, the stage's own table first.
    also: tuple[str, ...] = ()
    also_order: tuple[tuple[str, ...], ...] = ()

    @property
    def output(self) -> str:
        return self.name

    @property
    def outputs(self) -> tuple[str, ...]:
        """Every table the stage writes, its own first."""
        return (self.name, *self.also)

    @property
    def orders(self) -> dict[str, tuple[str, ...]]:
        """Row order (after ``doc_id``) of each of :attr:`outputs`."""
        return {self.name: self.order, **dict(zip(self.also, self.also_order or ((),) * len(self.also)))}


# --------------------------------------------------------------------------------------------------- settings
@dataclass
class BuildSettings:
    """Everything the stages depend on besides the text (picklable, sent to every worker)."""

    lexicon: dict = field(default_factory=dict)
    lexicon_key: str = ""
    stopwords: frozenset = frozenset()
    themes: pd.DataFrame | None = None
    indicators: object = None
    segmenter: str = "rjieba"
    resources: str = ""
    version: str = ""
    #: Processes a corpus stage may use on this machine (the build's local worker count; no effect on results).
    jobs: int = 1


#: The subpackages whose code or data decide what a store holds (pages, figures and the CLI do not).
_STORE_SOURCES = ("core", "text", "io", "measures", "analysis", "pipeline", "resources")


@functools.lru_cache(maxsize=1)
def source_digest() -> str:
    """Digest of every file of the subpackages that make a store's tables (their code and bundled data files),
    so that a store built by other code of the same version is rebuilt rather than reused."""
    import hashlib

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for sub in _STORE_SOURCES:
        for path in sorted((root / sub).rglob("*")):
            if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def code_version(segmenter: str) -> str:
    """Package version, store format, segmenter (with its version) and :func:`source_digest`: a change to any
    rebuilds every report."""
    from .. import __version__
    from ..text.tokens import segmenter_version

    return f"{__version__}/store{STORE_FORMAT}/{segmenter_version(segmenter)}/src-{source_digest()}"


def build_settings(*, lexicon=None, stopwords=None, themes=None, indicators=None,
                   segmenter: str = "rjieba") -> BuildSettings:
    """Resolve the build's resources (as ``tokenize``, ``load_themes`` and ``extract_metrics`` do) and hash them.

    The theme dictionary is the bundled one, plus or overridden by the themes of ``themes`` (a user theme file
    or dict: ``load_themes(extra=themes)``); a themes table (:func:`~lawgov_analysis.analysis.themes.load_themes`
    output, e.g. ``store.themes``) is taken as the whole dictionary. The token lexicon is the union of
    ``lexicon`` (bundled by default) and every term of the theme dictionary, so one segmentation serves
    keywords, topics and theme hits.
    """
    from ..analysis.themes import lexicon_terms, load_themes
    from ..core.resources import resource_text, text_hash
    from ..text import tokens as tk

    tk.check_segmenter(segmenter)
    table = load_themes(themes) if themes is None or isinstance(themes, pd.DataFrame) else load_themes(extra=themes)
    terms = lexicon_terms(table)
    if isinstance(lexicon, str) and lexicon == "none":
        entries = dict.fromkeys(terms)
    elif lexicon is None or (isinstance(lexicon, str) and lexicon == "bundled"):
        entries = tk.lexicon_entries(terms)
    elif isinstance(lexicon, (str, Path)):
        entries = tk.lexicon_entries([Path(lexicon), *terms])
    else:
        entries = tk.lexicon_entries([*lexicon, *terms])
    lex_key = tk.lexicon_key(entries)
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
                         indicators=indicators, segmenter=segmenter, resources=resources,
                         version=code_version(segmenter))


def prepare_worker(settings: BuildSettings) -> None:
    """Load what every stage needs once per process (the segmenter with the build's lexicon)."""
    from ..text.tokens import get_segmenter

    get_segmenter(settings.lexicon, segmenter=settings.segmenter, key=settings.lexicon_key).lcut("法治政府")


def prepare_corpus_stages() -> None:
    """Import what the corpus stages need (the reuse stage's MinHash library pulls in ``scipy.integrate``:
    about a second). The runner calls it while the workers build the reports, when this process has little
    else to do; the corpus stages' processes, forked from it afterwards, then start with everything loaded."""
    import datasketch  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401

    from ..analysis import reuse  # noqa: F401
    from ..measures import audit  # noqa: F401
    from . import aggregate  # noqa: F401


# ------------------------------------------------------------------------------------------ stage functions
def sections_stage(*, corpus: pd.DataFrame, settings: BuildSettings) -> pd.DataFrame:
    """:func:`lawgov_analysis.text.structure.sections` of the partition's reports."""
    from ..text.structure import sections

    return sections(corpus)


def sentences_stage(*, corpus: pd.DataFrame, sections: pd.DataFrame, settings: BuildSettings) -> pd.DataFrame:
    """:func:`lawgov_analysis.text.structure.sentences`, split at the sections already found."""
    from ..text.structure import sentences

    return sentences(corpus, sections_table=sections)


def tokens_stage(*, corpus: pd.DataFrame, sentences: pd.DataFrame, settings: BuildSettings):
    """Tokens of every report (an Arrow table, columns ``tokens.TOKEN_COLUMNS``), assigned to the sentences."""
    from ..text import tokens as tk

    return tk.token_table(corpus, sentences, lexicon=settings.lexicon, lexicon_key=settings.lexicon_key,
                          stopwords=settings.stopwords, segmenter=settings.segmenter)


def theme_hits_stage(*, tokens, settings: BuildSettings) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.themes.theme_hits`: a dictionary lookup over the tokens (of an Arrow
    token table with :func:`~lawgov_analysis.analysis.themes.theme_hits_arrow`: only matching rows reach pandas)."""
    from ..analysis.themes import theme_hits, theme_hits_arrow

    if hasattr(tokens, "select"):
        return theme_hits_arrow(tokens, themes=settings.themes)
    columns = ["doc_id", "section_id", "sentence_id", "token_id", "token", "start", "end", "kind"]
    return theme_hits(tokens[columns], themes=settings.themes)


def metrics_stage(*, corpus: pd.DataFrame, sections: pd.DataFrame, sentences: pd.DataFrame,
                  settings: BuildSettings) -> pd.DataFrame:
    """:func:`lawgov_analysis.extract_metrics` with the build's indicator rules, on the sections and sentences
    already found (nothing is split twice)."""
    from ..measures.metrics import extract_metrics

    return extract_metrics(corpus, indicators=settings.indicators, sections=sections, sentences=sentences)


def audit_stage(*, metrics: pd.DataFrame, corpus: pd.DataFrame, settings: BuildSettings) -> pd.DataFrame:
    """Each report's own audit checks (the year-over-year check compares reports: :func:`year_over_year_stage`)."""
    from ..measures.audit import audit

    return audit(metrics, corpus, checks=("rate", "part_whole", "completion"))


def panel_stage(*, metrics: pd.DataFrame, corpus: pd.DataFrame, settings: BuildSettings
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`lawgov_analysis.measures.panel.panel` (one headline value per report × indicator × unit) and
    :func:`~lawgov_analysis.measures.panel.changes` (the year-on-year change mentions), from one reading of
    the mentions' roles (:func:`~lawgov_analysis.measures.panel.panel_and_changes`)."""
    from ..measures.panel import panel_and_changes

    return panel_and_changes(metrics, corpus)


def year_over_year_stage(*, store, settings: BuildSettings | None = None) -> pd.DataFrame:
    """The cross-report ``year_over_year`` audit rows (each report against its government's previous year):
    :func:`~lawgov_analysis.measures.audit.year_over_year_checks` of the store's metric, report and change
    tables, reading only what the check can use.

    Takes the opened :class:`~lawgov_analysis.pipeline.catalog.Store`. The change table and the report
    metadata are read whole; the metric rows and the texts only of the reports the check can compare (a report
    with a change that implies a previous value, and every report of the year before such a report); the
    other reports keep their metadata (which government a report belongs to is decided over the whole table)
    with an empty text. The same table as ``year_over_year_checks(store.table("metrics"),
    store.table("corpus"), changes=store.table("changes"))``.
    """
    from ..measures.audit import year_over_year_checks

    changes = store.table("changes", categories=False)
    meta = store.reports()
    docs = meta["doc_id"].astype(str)
    with_previous = set(changes.loc[changes["previous"].notna(), "doc_id"].astype(str)) if len(changes) else set()
    wanted: set[str] = set()
    if with_previous and "year" in meta.columns:
        years = pd.to_numeric(meta["year"], errors="coerce")
        before = set((years[docs.isin(with_previous).to_numpy()] - 1).dropna().astype(int))
        wanted = with_previous | set(docs[years.isin(before).to_numpy()])
    if not wanted:   # no report to compare: no metric row nor text is read
        metrics = pd.DataFrame({c: pd.Series([], dtype=object) for c in store.columns("metrics")})
        return year_over_year_checks(metrics, meta.assign(text=""), changes=changes)
    keys = sorted(wanted)
    metrics = store.table("metrics", filters=[("doc_id", "in", keys)], categories=False)
    texts = store.table("corpus", columns=["doc_id", "text"], filters=[("doc_id", "in", keys)], categories=False)
    corpus = meta.assign(text=docs.map(dict(zip(texts["doc_id"].astype(str), texts["text"]))).fillna("")
                         .to_numpy(dtype=object))
    return year_over_year_checks(metrics, corpus, changes=changes)


def reuse_stage(*, store, settings: BuildSettings | None = None) -> pd.DataFrame:
    """:func:`lawgov_analysis.analysis.reuse.find_reuse` over the whole store: passages each report repeats from
    an earlier or higher report (default ``min_similarity`` 0.8), both spans kept.

    Takes the opened :class:`~lawgov_analysis.pipeline.catalog.Store`
    (:func:`~lawgov_analysis.pipeline.aggregate.find_reuse_store`: the sentences read one partition at a time);
    its blocks are verified by ``settings.jobs`` processes.
    """
    from .aggregate import find_reuse_store

    return find_reuse_store(store, progress=None, n_jobs=settings.jobs if settings is not None else 1)


#: Per-report stages in run order; each output is a table of the store.
REPORT_STAGES: tuple[Stage, ...] = (
    Stage("sections", sections_stage, ("corpus",), ("start", "level")),
    Stage("sentences", sentences_stage, ("corpus", "sections"), ("sentence_id",)),
    Stage("tokens", tokens_stage, ("corpus", "sentences"), ("token_id",)),
    Stage("theme_hits", theme_hits_stage, ("tokens",), ("token_id",)),
    Stage("metrics", metrics_stage, ("corpus", "sections", "sentences"), ("start", "end")),
    Stage("audit", audit_stage, ("metrics", "corpus")),
    Stage("panel", panel_stage, ("metrics", "corpus"), also=("changes",)),
)
#: Stages over the whole store, run after the per-report parts are written (one file each).
CORPUS_STAGES: tuple[Stage, ...] = (
    Stage("audit_years", year_over_year_stage, ("store",)),
    Stage("reuse", reuse_stage, ("store",)),
)
#: Tables written per partition (the corpus rows themselves first).
REPORT_TABLES: tuple[str, ...] = ("corpus", *(name for s in REPORT_STAGES for name in s.outputs))
CORPUS_TABLES: tuple[str, ...] = tuple(s.output for s in CORPUS_STAGES)
#: Row order of every table after ``doc_id``.
TABLE_ORDER: dict[str, tuple[str, ...]] = {"corpus": (), **{k: v for s in REPORT_STAGES for k, v in s.orders.items()},
                                           **{s.output: s.order for s in CORPUS_STAGES}}


# -------------------------------------------------------------------------------------------- a partition
def _run_stages(docs: pd.DataFrame, settings: BuildSettings, timings: dict) -> dict:
    tables: dict = {"corpus": docs}
    for stage in REPORT_STAGES:
        t = time.process_time()
        out = stage.func(**{name: tables[name] for name in stage.inputs}, settings=settings)
        tables.update(zip(stage.outputs, out) if stage.also else ((stage.output, out),))
        timings[stage.name] = timings.get(stage.name, 0.0) + time.process_time() - t
    return tables


def _concat(frames: list):
    import pyarrow as pa

    if isinstance(frames[0], pa.Table):
        return pa.concat_tables(frames)
    return pd.concat(frames, ignore_index=True)


def partition_tables(docs: pd.DataFrame, settings: BuildSettings, timings: dict | None = None
                     ) -> tuple[dict, list[dict]]:
    """Run every per-report stage on one partition of the corpus (the unit of work of processes and Dask).

    Parameters
    ----------
    docs
        Rows of the report table (``doc_id``, ``text`` and any metadata columns), sorted by ``doc_id``.
    settings
        From :func:`build_settings`.
    timings
        A dict that accumulates CPU seconds per stage name, if given.

    Returns
    -------
    tables : dict of str to pyarrow.Table
        One compact table per name of :data:`REPORT_TABLES`, sorted by ``doc_id`` and :data:`TABLE_ORDER`.
    errors : list of dict
        ``doc_id, stage, error`` for reports a stage failed on; they are left out of ``tables`` (the rest of
        the partition is kept) and the build reports them.
    """
    docs = docs.reset_index(drop=True)
    docs.attrs = {}
    timings = {} if timings is None else timings
    errors: list[dict] = []
    try:
        frames = _run_stages(docs, settings, timings)
    except Exception:  # find the report(s) at fault and keep the others
        kept = []
        for i in range(len(docs)):
            one = docs.iloc[[i]].reset_index(drop=True)
            try:
                kept.append(_run_stages(one, settings, timings))
            except Exception as exc:  # noqa: BLE001 - reported per report, never stops the corpus
                errors.append(dict(doc_id=str(one["doc_id"].iloc[0]), stage="build",
                                   error=f"{type(exc).__name__}: {exc}".splitlines()[0][:300]))
        frames = ({name: _concat([f[name] for f in kept]) for name in REPORT_TABLES} if kept
                  else _run_stages(docs.iloc[0:0], settings, {}))
    tables = {}
    for name in REPORT_TABLES:
        df = frames[name]
        if isinstance(df, pd.DataFrame) and len(df):
            keys = ["doc_id", *[k for k in TABLE_ORDER[name] if k in df.columns]]
            df = df.sort_values(keys, kind="stable").reset_index(drop=True)
        tables[name] = to_arrow(df)
    return tables, errors
