"""Corpus store: build once, read back; resume, incremental, changed files, interruption, bad reports, Dask."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis import build_store, open_corpus
from lawgov_analysis.analysis.themes import lexicon_terms, load_themes, theme_hits, theme_scores
from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.measures.metrics import extract_metrics
from lawgov_analysis.pipeline import runner as runner_module
from lawgov_analysis.pipeline import stages as stages_module
from lawgov_analysis.text.structure import sections, sentences
from lawgov_analysis.text.tokens import tokenize

from .conftest import SAMPLE_FILE, log_records, write_fixture_corpus


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals → str, int32 → int64, so a store table compares with the function's output."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
        elif str(out[col].dtype) in ("int32", "int16"):
            out[col] = out[col].astype("int64")
        elif str(out[col].dtype) == "Int32":
            out[col] = out[col].astype("Int64")
    return out.reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = _plain(a), _plain(b)
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


@pytest.fixture()
def corpus_dir(tmp_path) -> Path:
    folder = write_fixture_corpus(tmp_path / "reports")
    shutil.copy(SAMPLE_FILE, folder / SAMPLE_FILE.name)
    return folder


@pytest.fixture()
def built(corpus_dir, tmp_path):
    return build_store(corpus_dir, tmp_path / "store", n_jobs=1, chunk_size=2)


def test_tables_equal_the_functions(built, corpus_dir):
    corpus = load_corpus(corpus_dir)
    store = open_corpus(built.path)
    assert len(store.index) == 4 and store.index["part"].nunique() == 2
    _same(store.sections, sections(corpus))
    _same(store.sentences, sentences(corpus))
    _same(store.metrics, extract_metrics(corpus))
    terms = lexicon_terms(load_themes())
    tokens = tokenize(corpus, lexicon=terms, cache=False)
    _same(store.tokens, tokens)
    secs, sents = sections(corpus), sentences(corpus)
    hits = theme_hits(tokens)
    _same(store.theme_hits, hits)
    stored = store.corpus
    assert stored["text"].tolist() == corpus["text"].tolist()
    assert stored.attrs == {} and "ingest" not in stored.attrs
    assert int((store.ingest["status"] == "loaded").sum()) == 4
    # theme scores from the store's tables equal those from the tables made from the corpus
    for options in (dict(by="doc_id"), dict(by="year"), dict(by="section_l1"),
                    dict(by="section_id", section_level=3)):
        got = theme_scores(store.theme_hits, store.sentences, corpus=store.corpus, sections=store.sections,
                           **options)
        _same(got, theme_scores(hits, sents, corpus=corpus, sections=secs, **options))
    assert store.themes["theme_id"].tolist() == load_themes()["theme_id"].tolist()
    assert isinstance(store.tokens["doc_id"].dtype, pd.CategoricalDtype)
    assert str(store.tokens["start"].dtype) == "int32"


def test_columns_and_filters_pass_through(built):
    store = open_corpus(built.path)
    part = store.table("tokens", columns=["doc_id", "token"], filters=[("doc_id", "==", "beiqu-2021")])
    assert list(part.columns) == ["doc_id", "token"]
    assert set(part["doc_id"].astype(str)) == {"beiqu-2021"}
    assert len(part) == int((store.tokens["doc_id"] == "beiqu-2021").sum())


def test_resume_skips_unchanged_reports(built, corpus_dir):
    files = sorted(built.path.rglob("part-*.parquet"))
    mtimes = [f.stat().st_mtime_ns for f in files]
    again = build_store(corpus_dir, built.path, n_jobs=1)
    assert again.meta["last_build"]["built"] == 0 and again.meta["last_build"]["skipped"] == 4
    assert [f.stat().st_mtime_ns for f in sorted(built.path.rglob("part-*.parquet"))] == mtimes


def test_other_code_of_the_same_version_rebuilds_every_report(built, corpus_dir, tmp_path, monkeypatch):
    digest = stages_module.source_digest()
    assert len(digest) == 12 and digest == stages_module.source_digest()
    assert set(built.index["version"]) == {stages_module.code_version("rjieba")}
    assert all(v.endswith(f"/src-{digest}") for v in built.index["version"])
    copy = tmp_path / "other-code"
    shutil.copytree(built.path, copy)
    monkeypatch.setattr(stages_module, "source_digest", lambda: "0123456789ab")
    again = build_store(corpus_dir, copy, n_jobs=1)
    assert again.meta["last_build"]["built"] == 4 and again.meta["last_build"]["skipped"] == 0
    assert set(again.index["version"]) == {stages_module.code_version("rjieba")}
    _same(again.metrics, built.metrics)


def test_incremental_and_changed_files(built, corpus_dir):
    handle = open_corpus(built.path)               # opened before the rebuilds below: still reads the store
    before = handle.metrics
    new_text = SAMPLE_FILE.read_text(encoding="utf-8").replace("4860件", "4861件")
    (corpus_dir / "changjiang-2022.txt").write_text(new_text, encoding="utf-8")
    store = build_store(corpus_dir, built.path, n_jobs=1)
    assert store.meta["last_build"]["built"] == 1 and store.meta["last_build"]["skipped"] == 4
    assert len(store.index) == 5
    # change one report: it is rebuilt and its old rows are gone
    path = corpus_dir / "anxian-2019.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("640件", "641件"), encoding="utf-8")
    store = build_store(corpus_dir, built.path, n_jobs=1)
    assert store.meta["last_build"]["built"] == 1
    mets = store.metrics
    anx = mets[mets["doc_id"] == "anxian-2019"]
    assert 641.0 in anx["value"].tolist() and 640.0 not in anx["value"].tolist()
    assert len(anx) == int((before["doc_id"] == "anxian-2019").sum())
    assert not store.sentences.duplicated(["doc_id", "sentence_id"]).any()
    _same(store.sentences, sentences(load_corpus(corpus_dir)))
    _same(handle.metrics, store.metrics)
    # a corrected manifest (metadata only) rebuilds that report: the stored corpus and panel follow
    manifest = pd.read_csv(corpus_dir / "manifest.csv", dtype=str)
    manifest.loc[manifest["doc_id"] == "beiqu-2021", "region"] = "南区"
    manifest.to_csv(corpus_dir / "manifest.csv", index=False)
    store = build_store(corpus_dir, built.path, n_jobs=1)
    assert store.meta["last_build"]["built"] == 1
    stored = store.corpus.set_index("doc_id")
    assert stored.loc["beiqu-2021", "region"] == "南区" and "_meta" not in stored.columns
    # a report added later whose doc_id sorts between earlier ones: tables stay sorted by doc_id
    (corpus_dir / "anxian-2019b.txt").write_text(new_text.replace("4519件", "4518件"), encoding="utf-8")
    store = build_store(corpus_dir, built.path, n_jobs=1)
    ids = store.sentences["doc_id"].astype(str).tolist()
    assert ids == sorted(ids) and "anxian-2019b" in ids
    _same(store.sentences, sentences(load_corpus(corpus_dir)))
    (corpus_dir / "anxian-2019b.txt").unlink()
    store = build_store(corpus_dir, built.path, n_jobs=1, prune=True)
    assert store.meta["last_build"]["removed"] == 1 and "anxian-2019b" not in set(store.index["doc_id"])
    assert "anxian-2019b" not in set(store.metrics["doc_id"].astype(str))
    forced = build_store(corpus_dir, built.path, n_jobs=1, force=True)
    assert forced.meta["last_build"]["built"] == 5 and forced.meta["last_build"]["skipped"] == 0
    _same(forced.metrics, mets)
    assert sorted(p.name for p in (built.path / "tokens").iterdir()) == sorted(
        f"part-{int(x):06d}.parquet" for x in forced.index["part"].unique())


def test_interrupted_build_leaves_a_loadable_store_and_resumes(corpus_dir, tmp_path, monkeypatch):
    real = runner_module.build_partition
    calls = []

    def flaky(docs, settings, out, part):
        calls.append(part)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(docs, settings, out, part)

    monkeypatch.setattr(runner_module, "build_partition", flaky)
    with pytest.raises(KeyboardInterrupt):
        build_store(corpus_dir, tmp_path / "store", n_jobs=1, chunk_size=1)
    half = open_corpus(tmp_path / "store")
    assert len(half.index) == 1
    assert half.corpus["doc_id"].astype(str).tolist() == half.index["doc_id"].tolist()
    monkeypatch.setattr(runner_module, "build_partition", real)
    full = build_store(corpus_dir, tmp_path / "store", n_jobs=1, chunk_size=1)
    assert full.meta["last_build"] == {**full.meta["last_build"], "built": 3, "skipped": 1}
    _same(full.sentences, sentences(load_corpus(corpus_dir)))


def test_a_failing_report_is_reported_and_the_rest_built(corpus_dir, tmp_path, monkeypatch):
    real = {s.name: s for s in stages_module.REPORT_STAGES}["metrics"]

    def picky(*, corpus, settings, **tables):
        if (corpus["doc_id"] == "anxian-2020").any():
            raise ValueError("cannot parse this report")
        return real.func(corpus=corpus, settings=settings, **tables)

    stages = tuple(stages_module.Stage(s.name, picky, s.inputs, s.order) if s is real else s
                   for s in stages_module.REPORT_STAGES)
    monkeypatch.setattr(stages_module, "REPORT_STAGES", stages)
    with log_records("lawgov_analysis.pipeline.runner", logging.WARNING) as records:
        store = build_store(corpus_dir, tmp_path / "store", n_jobs=1, chunk_size=4)
    assert sorted(store.index["doc_id"]) == ["anxian-2019", "beiqu-2021", "changjiang-2021"]
    assert store.errors["doc_id"].tolist() == ["anxian-2020"]
    assert "failed: anxian-2020: ValueError: cannot parse this report" in [r.getMessage() for r in records]
    monkeypatch.undo()
    again = build_store(corpus_dir, tmp_path / "store", n_jobs=1)
    assert again.meta["last_build"]["built"] == 1 and again.errors.empty


def test_processes_give_the_same_tables(built, corpus_dir, tmp_path):
    par = build_store(corpus_dir, tmp_path / "par", n_jobs=2, chunk_size=1)
    for name in ("corpus", "sections", "sentences", "tokens", "theme_hits", "metrics", "audit", "panel"):
        _same(par.table(name), built.table(name))


def test_cli_build(corpus_dir, tmp_path, capsys):
    from lawgov_analysis.cli import main

    assert main(["build", str(corpus_dir), "--out", str(tmp_path / "s"), "--jobs", "1"]) == 0
    assert "4 reports" in capsys.readouterr().out
    assert len(open_corpus(tmp_path / "s").index) == 4


def test_dask_local_cluster_gives_the_same_store(built, corpus_dir, tmp_path):
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        dask_store = build_store(corpus_dir, tmp_path / "dask", client=client, chunk_size=2)
        by_address = build_store(corpus_dir, tmp_path / "address", scheduler=cluster.scheduler_address,
                                 chunk_size=3)
    assert dask_store.meta["last_build"]["built"] == 4 and by_address.meta["last_build"]["built"] == 4
    _same(by_address.tokens, built.tokens)
    for name in ("corpus", "sections", "sentences", "tokens", "theme_hits", "metrics", "audit", "panel"):
        _same(dask_store.table(name), built.table(name))


def test_one_build_at_a_time(built, corpus_dir):
    lock = built.path / ".build.lock"
    lock.write_text("1", encoding="utf-8")          # pid 1 is always running
    with pytest.raises(RuntimeError, match="another build"):
        build_store(corpus_dir, built.path, n_jobs=1)
    lock.write_text("999999999", encoding="utf-8")  # no such process: a stale lock is taken over
    assert build_store(corpus_dir, built.path, n_jobs=1).meta["last_build"]["skipped"] == 4
    assert not lock.exists()


def test_cli_build_without_reports_says_so(tmp_path, capsys):
    from lawgov_analysis.cli import main

    (tmp_path / "empty").mkdir()
    assert main(["build", str(tmp_path / "empty"), "--out", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("lawgov-analysis build: ") and "empty" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["metrics"], ["panel"], ["audit"], ["themes"], ["keywords", "--top", "5"],
                                     ["topics", "--k", "2", "--unit", "sentence"]])
def test_cli_commands_read_a_store_as_they_read_the_files(built, corpus_dir, tmp_path, command, monkeypatch):
    from lawgov_analysis.cli import main

    out_files, out_store = tmp_path / "files.csv", tmp_path / "store.csv"
    assert main([command[0], str(corpus_dir), *command[1:], "--out", str(out_files)]) == 0

    def no_recompute(*args, **kwargs):
        raise AssertionError("a store is read, not recomputed")

    for module, name in [("lawgov_analysis.text.tokens", "tokenize"), ("lawgov_analysis.measures.metrics", "extract_metrics"),
                         ("lawgov_analysis.io.corpus", "load_corpus")]:
        monkeypatch.setattr(f"{module}.{name}", no_recompute)
    assert main([command[0], str(built.path), *command[1:], "--out", str(out_store)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out_store), pd.read_csv(out_files))


def test_reuse_is_computed_once_into_the_store(built, corpus_dir):
    from lawgov_analysis.analysis.reuse import find_reuse

    corpus = load_corpus(corpus_dir)
    expected = find_reuse(sentences(corpus), corpus.drop(columns="text"))
    got = built.table("reuse")
    _same(got, expected)
    assert set(got["relation"].astype(str)) == {"own", "other"}   # anxian 2019→2020; the county → 北区
    assert built.sql("select count(*) as n from reuse")["n"].iloc[0] == len(expected)


def test_log_records_collects_from_a_logger_another_library_disabled():
    from .conftest import log_records

    logger = logging.getLogger("lawgov_analysis.pipeline.runner")
    logger.disabled = True   # what logging.config.dictConfig does to every existing logger by default
    try:
        with log_records("lawgov_analysis.pipeline.runner", logging.WARNING) as records:
            logger.warning("failed: x: y")
        assert [r.getMessage() for r in records] == ["failed: x: y"]
        assert logger.disabled          # left as it was
    finally:
        logger.disabled = False


def test_duckdb_spills_to_its_own_temporary_folder_not_the_working_directory(tmp_path, monkeypatch):
    # DuckDB's default spill folder is .tmp in the working directory: the report pages left one there
    from lawgov_analysis.pipeline.catalog import duckdb_connection

    monkeypatch.chdir(tmp_path)
    with duckdb_connection() as con:
        spill = con.execute("select current_setting('temp_directory')").fetchone()[0]
        con.execute("set memory_limit = '30MB'")
        groups = con.execute("select count(*) from (select range % 2000003 as k, count(*) from range(4000000) "
                             "group by k)").fetchone()[0]
        assert groups == 2000003
        assert list(tmp_path.iterdir()) == []                 # nothing in the working directory, even while open
        assert Path(spill).is_dir() and "lawgov-duckdb-" in spill
    assert not Path(spill).exists()


def test_reports_is_the_report_table_without_texts(tmp_path):
    from lawgov_analysis.pipeline.runner import build_store
    from tests.corpus_factory import write_corpus

    store = build_store(write_corpus("missing_metadata", tmp_path / "reports"), tmp_path / "store", n_jobs=1,
                        progress=False)
    whole = store.table("corpus", categories=False)
    assert "text" in whole.columns and len(whole) > 1
    pd.testing.assert_frame_equal(store.reports(), whole.drop(columns="text"))
