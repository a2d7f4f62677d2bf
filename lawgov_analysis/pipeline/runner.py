"""The runner: builds a store by running :data:`~lawgov_analysis.pipeline.stages.REPORT_STAGES` on partitions
of the corpus in worker processes (or on a Dask cluster), then :data:`~lawgov_analysis.pipeline.stages.CORPUS_STAGES`
over the whole store. It knows nothing of any stage's internals.

Resumable and incremental: a report whose text (sha256), metadata (``meta``: a hash of its other corpus
columns, so a corrected manifest is picked up), resources (lexicon, stopwords, themes, indicator rules) and code
version (package version, store format, segmenter and its version) are unchanged is skipped (``force=True``
rebuilds everything); new reports are added; a changed report is rebuilt and its old rows dropped. Every file is
written to a temporary name and renamed, and the index is rewritten (atomically) as chunks finish (at most once a
second, and when the build stops), so an interrupted build leaves a loadable store and the next build resumes
where it stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import time
from pathlib import Path

import pandas as pd

from .catalog import INDEX_COLUMNS, Store, read_corpus_table, read_index
from .compact import drop_stale_rows
from .stages import (
    CORPUS_STAGES,
    REPORT_TABLES,
    STORE_FORMAT,
    BuildSettings,
    build_settings,
    partition_tables,
    prepare_corpus_stages,
    prepare_worker,
)
from .storage import part_name, part_number, to_arrow, write_json_atomic, write_parquet_atomic

__all__ = ["build_store", "build_partition"]

logger = logging.getLogger(__name__)


def build_partition(docs: pd.DataFrame, settings: BuildSettings, out: str, part: int) -> dict:
    """:func:`~lawgov_analysis.pipeline.stages.partition_tables` of ``docs``, written as part ``part`` of every
    table under ``out``.

    Runs in a worker process or on a Dask worker (``out`` must then be on a filesystem the workers share).
    Returns a small summary for the index: ``part``, ``doc_id`` (built reports), ``rows`` per table,
    ``errors``, ``cpu`` (CPU seconds per stage in the worker).
    """
    timings: dict[str, float] = {}
    tables, errors = partition_tables(docs, settings, timings)
    t = time.process_time()
    root = Path(out)
    for name, table in tables.items():
        write_parquet_atomic(table, root / name / part_name(part))
    timings["write"] = timings.get("write", 0.0) + time.process_time() - t
    failed = {e["doc_id"] for e in errors}
    built = [d for d in docs["doc_id"].astype(str) if d not in failed]
    return dict(part=part, doc_id=built, rows={n: t.num_rows for n, t in tables.items()}, errors=errors,
                cpu=timings)


_WORKER: dict = {}
#: Seconds between two rewrites of the index while chunks finish (every chunk's rewrite cost the main process
#: a few seconds of CPU at 10,000 reports); a stopped build commits what finished.
_COMMIT_EVERY = 1.0


def _init_worker(settings: BuildSettings) -> None:
    _WORKER["settings"] = settings


def _run_local(docs: pd.DataFrame, out: str, part: int) -> dict:
    return build_partition(docs, _WORKER["settings"], out, part)


# ------------------------------------------------------------------------------------------------- sources
def _load_source(source, n_jobs: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report table (sorted, with ``sha256`` and the ``_meta`` hash) and the ingest account of ``source``
    (files read by ``n_jobs`` processes)."""
    from ..core.validate import check_columns
    from ..io.corpus import load_corpus
    from .catalog import corpus_kind, quick_kind

    if isinstance(source, pd.DataFrame):
        check_columns(source, ["doc_id", "text"], what="corpus")
        corpus = source.copy()
        ingest = pd.DataFrame({"path": corpus.get("path", corpus["doc_id"]).astype(str), "status": "loaded",
                               "reason": "", "doc_id": corpus["doc_id"].astype(str)})
    else:
        one = isinstance(source, (str, os.PathLike))
        # a folder is checked only after loading it once (corpus_kind would load it again)
        if one and quick_kind(source) == "table":
            return _load_source(read_corpus_table(source))
        paths = [source] if one else list(source)
        try:
            corpus, ingest = load_corpus(paths if len(paths) != 1 else paths[0], report=True, n_jobs=n_jobs)
        except Exception:
            if one:
                corpus_kind(source)
            raise
        if one and corpus.empty:
            corpus_kind(source)
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


# ------------------------------------------------------------------------------------------------ helpers
def _resolve_jobs(n_jobs: int | None) -> int:
    cpus = os.cpu_count() or 1
    if n_jobs is None:
        return cpus
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return max(1, int(n_jobs))


def _existing_parts(root: Path) -> set[int]:
    found = set()
    for name in REPORT_TABLES:
        folder = root / name
        for f in folder.glob("part-*.parquet") if folder.is_dir() else []:
            with contextlib.suppress(ValueError):
                found.add(part_number(f))
    return found


def _remove_parts(root: Path, parts) -> None:
    for part in parts:
        for name in REPORT_TABLES:
            with contextlib.suppress(OSError):
                (root / name / part_name(part)).unlink()


def _commit(root: Path, index: pd.DataFrame, meta: dict, docs_per_part: dict) -> None:
    """Write the index, then store.json (both atomically): the store now includes the finished chunks."""
    index = index.sort_values("doc_id", kind="stable").reset_index(drop=True)
    write_parquet_atomic(to_arrow(index.astype({"part": "int64", "chars": "int64"})), root / "index.parquet")
    meta = dict(meta, reports=int(len(index)), tables=list(REPORT_TABLES),
                docs_per_part={str(k): int(v) for k, v in sorted(docs_per_part.items())})
    write_json_atomic(meta, root / "store.json")


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


# -------------------------------------------------------------------------------------------------- build
def build_store(source, out: str | os.PathLike, *, n_jobs: int | None = None, chunk_size: int | None = None,
                client=None, scheduler: str | None = None, progress: bool | None = None, lexicon=None,
                stopwords=None, themes=None, indicators=None, segmenter: str = "rjieba", prune: bool = False,
                force: bool = False) -> Store:
    """Build (or update) a corpus store: every stage once per report, as Parquet tables.

    Parameters
    ----------
    source
        What :func:`lawgov_analysis.io.corpus.load_corpus` takes (a folder, a file, a manifest or a list of
        them), a report table written by ``ingest --out``, or an already loaded report table (``doc_id``,
        ``text`` and metadata).
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
    lexicon, stopwords, segmenter
        As in :func:`lawgov_analysis.text.tokens.tokenize`; the theme terms are always added to the lexicon.
        A store built with one segmenter is rebuilt, not mixed, when built again with the other.
    themes
        Theme dictionary (:func:`lawgov_analysis.analysis.themes.load_themes`): the bundled one, a TOML file
        that adds or overrides themes, or a dict.
    indicators
        Indicator rules (as in :func:`lawgov_analysis.extract_metrics`).
    prune
        Drop reports of the store that are not in ``source``.
    force
        Rebuild every report of ``source`` even when unchanged.

    Returns
    -------
    Store
        The store in ``out``. ``store.meta["last_build"]`` says what the build did (``built``, ``skipped``,
        ``failed``, ``removed`` reports; wall ``seconds``, ``load_seconds``, ``corpus_level_seconds``;
        ``stage_cpu_seconds`` per stage summed over the workers; ``corpus_stage_cpu_seconds`` per corpus
        stage; ``parent_cpu_seconds`` of this process: ``load``, ``plan``, ``workers`` (while the workers run:
        the segmenter made once for them, the index kept up to date), ``tail`` (compacting, the index, the
        ingest account)). Reports a stage failed on are logged (one
        line each, naming the report and the reason), listed in ``store.errors`` and retried next time; so is
        a corpus stage that fails (``corpus_stages_failed``; its table is left out, the rest is written). Only
        one build at a time may update a store: a second one stops with a message naming the first.
    """
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    with _build_lock(root):
        return _build(source, root, n_jobs=n_jobs, chunk_size=chunk_size, client=client, scheduler=scheduler,
                      progress=progress, force=force, prune=prune,
                      settings=build_settings(lexicon=lexicon, stopwords=stopwords, themes=themes,
                                              indicators=indicators, segmenter=segmenter))


def _build(source, root: Path, *, n_jobs, chunk_size, client, scheduler, progress, force, prune,
           settings: BuildSettings) -> Store:
    import sys

    from tqdm.auto import tqdm

    t0, c0 = time.perf_counter(), time.process_time()
    parent_cpu: dict[str, float] = {}
    local = client is None and scheduler is None
    corpus, ingest = _load_source(source, n_jobs=_resolve_jobs(n_jobs) if local else 1)
    t_load = time.perf_counter() - t0
    parent_cpu["load"] = time.process_time() - c0
    c0 = time.process_time()
    meta_file = root / "store.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    index = read_index(root)
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
    # the index needs no text: the texts are held once, by ``todo``, while the workers run
    corpus = corpus.drop(columns="text")
    removed: list[str] = []
    if prune:
        removed = sorted(set(index["doc_id"]) - set(corpus["doc_id"]))
        index = index[~index["doc_id"].isin(removed)].reset_index(drop=True)

    workers = 1 if local and len(todo) <= 1 else _resolve_jobs(n_jobs)
    size = chunk_size or max(1, min(64, -(-len(todo) // (4 * workers)))) if len(todo) else 1
    next_part = max([*referenced, *_existing_parts(root), -1]) + 1
    jobs = _Chunks(todo, size, next_part)
    errors: list[dict] = []
    cpu: dict[str, float] = {}
    meta.update(format=STORE_FORMAT, version=settings.version, resources=settings.resources,
                segmenter=settings.segmenter,
                themes={r.theme_id: dict(label=r.label, definition=r.definition, indicators=list(r.indicators),
                                         source=r.source, terms=list(r.terms), patterns=list(r.patterns))
                        for r in settings.themes.itertuples(index=False)})

    def finish(result: dict) -> None:
        nonlocal index
        built = result["doc_id"]
        columns = ["doc_id", "sha256", "_meta", "chars"] if "chars" in corpus.columns else ["doc_id", "sha256",
                                                                                            "_meta"]
        rows = corpus.loc[corpus["doc_id"].isin(built), columns].rename(columns={"_meta": "meta"})
        new = rows.assign(resources=settings.resources, version=settings.version, part=result["part"])
        if "chars" not in new.columns:
            new["chars"] = 0
        chunk_ids = set(built) | {e["doc_id"] for e in result["errors"]}
        index = pd.concat([index[~index["doc_id"].isin(chunk_ids)], new[INDEX_COLUMNS]], ignore_index=True)
        docs_per_part[int(result["part"])] = len(built)
        errors.extend(result["errors"])
        for stage, sec in result.get("cpu", {}).items():
            cpu[stage] = cpu.get(stage, 0.0) + sec
        for e in result["errors"]:
            logger.warning("failed: %s: %s", e["doc_id"], e["error"])
        pending[0] = True
        if time.perf_counter() - pending[1] >= _COMMIT_EVERY:
            _commit(root, index, meta, docs_per_part)
            pending[:] = [False, time.perf_counter()]

    pending: list = [False, -_COMMIT_EVERY]   # finished chunks not yet in the index; time of the last commit

    if progress is None:
        progress = sys.stderr.isatty() and len(todo) > 1
    bar = tqdm(total=len(todo), desc="build store", unit="report", disable=not progress)
    parent_cpu["plan"] = time.process_time() - c0
    c0 = time.process_time()
    try:
        if not jobs:
            pass
        elif client is not None or scheduler is not None:
            _run_dask(jobs, settings, root, client, scheduler, finish, bar)
        elif workers == 1 or len(jobs) == 1:
            for chunk, part in jobs:
                finish(build_partition(chunk, settings, str(root), part))
                bar.update(len(chunk))
        else:
            _run_processes(jobs, settings, root, workers, finish, bar)
    finally:
        bar.close()
        if pending[0]:   # also when stopped (Ctrl-C, a failure): the finished chunks are in the index
            _commit(root, index, meta, docs_per_part)

    parent_cpu["workers"] = time.process_time() - c0
    c0 = time.process_time()
    # compact: parts whose reports were all rebuilt elsewhere are deleted; the index no longer points at them
    live = set(index["part"].astype(int))
    dead = [p for p in docs_per_part if p not in live]
    for p in dead:
        docs_per_part.pop(p, None)
    # parts that still hold rows of reports rebuilt elsewhere or pruned are rewritten without them
    docs_per_part = drop_stale_rows(root, index, docs_per_part)
    _commit(root, index, meta, docs_per_part)
    _remove_parts(root, dead)

    missing = [s.output for s in CORPUS_STAGES if not (root / s.output / "all.parquet").is_file()]
    changed = bool(jobs) or bool(removed) or bool(missing)
    ingest_path = root / "ingest.parquet"
    if ingest_path.is_file():
        old = pd.read_parquet(ingest_path)
        ingest = pd.concat([old[~old["path"].isin(ingest["path"])], ingest], ignore_index=True)
    write_parquet_atomic(to_arrow(ingest.sort_values("path", kind="stable").reset_index(drop=True)), ingest_path)
    write_parquet_atomic(to_arrow(pd.DataFrame(errors, columns=["doc_id", "stage", "error"])),
                         root / "errors.parquet")
    t1 = time.perf_counter()
    parent_cpu["tail"] = time.process_time() - c0
    n_todo, ran = len(todo), bool(jobs)
    corpus = todo = jobs = None   # freed: the corpus stages read the store
    stages_failed: list[str] = []
    corpus_cpu: dict[str, float] = {}
    if changed:   # nothing rebuilt or removed: only the stages whose file is missing (one failed last time)
        stage_jobs = _resolve_jobs(n_jobs) if local else 1
        stages_failed = _corpus_stages(Store(root), dataclasses.replace(settings, jobs=stage_jobs),
                                       progress=progress, workers=stage_jobs,
                                       only=None if ran or removed else missing, cpu=corpus_cpu)
    corpus_seconds = time.perf_counter() - t1
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["last_build"] = dict(built=int(n_todo - len(errors)), skipped=int(same.sum()), failed=len(errors),
                              removed=len(removed), seconds=round(time.perf_counter() - t0, 3),
                              load_seconds=round(t_load, 3), corpus_level_seconds=round(corpus_seconds, 3),
                              workers=workers if ran else 0, corpus_stages_failed=stages_failed,
                              stage_cpu_seconds={k: round(v, 3) for k, v in sorted(cpu.items())},
                              corpus_stage_cpu_seconds={k: round(v, 3) for k, v in sorted(corpus_cpu.items())},
                              parent_cpu_seconds={k: round(v, 3) for k, v in parent_cpu.items()})
    write_json_atomic(meta, meta_file)
    return Store(root)


def _corpus_stages(store: Store, settings: BuildSettings, *, progress: bool, workers: int = 1,
                   only: list[str] | None = None, cpu: dict | None = None) -> list[str]:
    """The stages over the whole store (after the per-report parts are in place), each written as one file.

    With ``workers > 1`` they run side by side, each in a process of its own (a stage whose process dies, e.g.
    killed for memory, takes no other stage with it); with one worker they run here, one after the other. A
    stage that fails does not stop the others: its file is removed (it would describe an older corpus), the
    failure is logged and added to ``errors.parquet`` (``doc_id`` empty, ``stage`` its name) and the next build
    runs it again. ``only``: run just these stages (default all); ``cpu`` collects each stage's CPU seconds.
    Returns the names of the stages that failed.
    """
    from tqdm.auto import tqdm

    todo = [i for i, s in enumerate(CORPUS_STAGES) if only is None or s.output in only]
    failed: dict[int, BaseException] = {}
    cpu = {} if cpu is None else cpu
    bar = tqdm(total=len(todo), desc="corpus stages", unit="stage", disable=not progress)
    try:
        if workers > 1 and len(todo) > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, wait

            method = "fork" if "fork" in mp.get_all_start_methods() else None
            pools = {i: ProcessPoolExecutor(1, mp_context=mp.get_context(method)) for i in todo[:workers]}
            queue = todo[workers:]
            try:
                futures = {pools[i].submit(_corpus_stage, str(store.path), i, settings, None): i for i in pools}
                while futures:
                    done, _ = wait(futures, return_when="FIRST_COMPLETED")
                    for future in done:
                        i = futures.pop(future)
                        try:
                            cpu[CORPUS_STAGES[i].output] = future.result()
                        except Exception as exc:  # noqa: BLE001 - recorded; the other stages go on
                            failed[i] = exc
                        pools.pop(i).shutdown(wait=False)
                        bar.update(1)
                        if queue:
                            j = queue.pop(0)
                            pools[j] = ProcessPoolExecutor(1, mp_context=mp.get_context(method))
                            futures[pools[j].submit(_corpus_stage, str(store.path), j, settings, None)] = j
            finally:
                for pool in pools.values():
                    pool.shutdown(wait=False, cancel_futures=True)
        else:
            cache: dict[str, pd.DataFrame] = {}
            for i in todo:
                try:
                    cpu[CORPUS_STAGES[i].output] = _corpus_stage(str(store.path), i, settings, cache)
                except Exception as exc:  # noqa: BLE001 - recorded; the other stages go on
                    failed[i] = exc
                bar.update(1)
    finally:
        bar.close()
    if failed:
        _record_stage_failures(store.path, {CORPUS_STAGES[i].output: exc for i, exc in sorted(failed.items())})
    return [CORPUS_STAGES[i].output for i in sorted(failed)]


def _record_stage_failures(root: Path, failures: dict[str, BaseException]) -> None:
    """Log each failed corpus stage, remove its (stale) file and add it to ``errors.parquet``."""
    rows = []
    for name, exc in failures.items():
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if type(exc).__name__ == "BrokenProcessPool":
            reason += " (its process died, e.g. killed for memory)"
        logger.error("corpus stage %s failed, the next build runs it again: %s", name, reason)
        with contextlib.suppress(OSError):
            (root / name / "all.parquet").unlink()
        rows.append(dict(doc_id="", stage=name, error=reason))
    path = root / "errors.parquet"
    old = pd.read_parquet(path) if path.is_file() else pd.DataFrame(columns=["doc_id", "stage", "error"])
    old = old[~(old["doc_id"].eq("") & old["stage"].isin(list(failures)))]
    table = pd.concat([old, pd.DataFrame(rows)], ignore_index=True)[["doc_id", "stage", "error"]]
    write_parquet_atomic(to_arrow(table.astype(str)), path)


def _corpus_stage(root: str, i: int, settings: BuildSettings, cache: dict | None) -> float:
    """Run corpus stage ``i`` on the store's tables (read once per ``cache``; the input ``"store"`` is the
    opened store itself) and write its file. Returns the CPU seconds it took."""
    t = time.process_time()
    store = Store(root)
    stage = CORPUS_STAGES[i]
    cache = {} if cache is None else cache
    inputs = {}
    for name in stage.inputs:
        if name == "store":
            inputs[name] = store
            continue
        if name not in cache:
            cache[name] = store.table(name, categories=False)
        inputs[name] = cache[name]
    table = stage.func(**inputs, settings=settings)
    write_parquet_atomic(to_arrow(table.reset_index(drop=True)), store.path / stage.output / "all.parquet")
    return time.process_time() - t


class _Chunks:
    """The build's chunks of ``todo`` (``size`` reports each, parts numbered from ``first``), each made when
    it is taken: ``(chunk, part)`` pairs in order."""

    def __init__(self, todo: pd.DataFrame, size: int, first: int):
        self.todo, self.size, self.first = todo, size, first

    def __len__(self) -> int:
        return -(-len(self.todo) // self.size)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self):
        for i, lo in enumerate(range(0, len(self.todo), self.size)):
            yield self.todo.iloc[lo:lo + self.size].reset_index(drop=True), self.first + i


#: Chunks handed to each worker process ahead of the one it is building (the others wait in the parent as
#: slices of the report table, not as copies queued for the workers).
_AHEAD = 2


def _run_processes(jobs, settings: BuildSettings, root: Path, workers: int, finish, bar) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    prepare_worker(settings)  # built once here: forked workers inherit it
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    pool = ProcessPoolExecutor(min(workers, len(jobs)), mp_context=mp.get_context(method),
                               initializer=_init_worker, initargs=(settings,))
    waiting = iter(jobs)
    futures: dict = {}

    def submit(n: int) -> None:
        for chunk, part in waiting:
            futures[pool.submit(_run_local, chunk, str(root), part)] = len(chunk)
            n -= 1
            if n <= 0:
                return

    try:
        submit(workers * (1 + _AHEAD))
        prepare_corpus_stages()   # while the workers run: the corpus stages' processes inherit the imports
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            submit(len(done))
            for future in done:
                finish(future.result())
                bar.update(futures.pop(future))
    except BaseException:      # Ctrl-C or a failure: stop now; the finished chunks are in the index
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(jobs, settings: BuildSettings, root: Path, client, scheduler, finish, bar) -> None:
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
        futures, sizes = [], {}
        for chunk, part in jobs:
            futures.append(client.submit(build_partition, chunk, remote, str(root.resolve()), part, pure=False))
            sizes[futures[-1].key] = len(chunk)
        for future in as_completed(futures):
            finish(future.result())
            bar.update(sizes[future.key])
    finally:
        if own:
            client.close()
