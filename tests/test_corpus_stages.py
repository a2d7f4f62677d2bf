"""A corpus stage that fails (raises, or its process dies) loses nothing else of the build: the per-report tables,
the index and the other corpus stage are written, the failure is logged and in ``store.errors``, and the next
build runs the missing stage again."""

from __future__ import annotations

import dataclasses
import logging
import os

import pandas as pd
import pytest

from lawgov_analysis.pipeline import runner
from lawgov_analysis.pipeline.runner import build_store
from tests.corpus_factory import corpus_table

from .conftest import log_records


def _raises(**kwargs):
    raise RuntimeError("reuse went wrong\nsecond line")


def _dies(**kwargs):
    os._exit(9)          # as a process killed for memory: no exception, the worker is gone


def _replace_reuse(monkeypatch, func):
    stages = tuple(dataclasses.replace(s, func=func) if s.name == "reuse" else s for s in runner.CORPUS_STAGES)
    monkeypatch.setattr(runner, "CORPUS_STAGES", stages)


@pytest.mark.parametrize("n_jobs,func,reason", [
    (1, _raises, "RuntimeError: reuse went wrong"),
    (2, _raises, "RuntimeError: reuse went wrong"),
    (2, _dies, "BrokenProcessPool"),
])
def test_a_failed_corpus_stage_keeps_the_rest_and_is_run_again(tmp_path, monkeypatch, n_jobs, func, reason):
    corpus = corpus_table("panel", size=12)
    out = tmp_path / "store"
    first = build_store(corpus, out, n_jobs=1, progress=False)            # a complete store, reuse included
    assert "reuse" in first.tables
    _replace_reuse(monkeypatch, func)
    changed = corpus.copy()
    changed.loc[0, "text"] = changed.loc[0, "text"] + "\n本报告新增一句话用于检验重建时的失败处理。"
    with log_records("lawgov_analysis.pipeline.runner", logging.ERROR) as records:
        store = build_store(changed, out, n_jobs=n_jobs, progress=False)
    assert "audit_years" in store.tables and "reuse" not in store.tables       # the stale reuse file is gone
    assert len(store.index) == 12 and len(store.table("sentences")) > 0
    assert store.meta["last_build"]["built"] == 1
    assert store.meta["last_build"]["corpus_stages_failed"] == ["reuse"]
    errors = store.errors
    assert errors[["doc_id", "stage"]].values.tolist() == [["", "reuse"]]
    assert errors["error"].iloc[0].startswith(reason) and "\n" not in errors["error"].iloc[0]
    assert any("corpus stage reuse failed" in r.getMessage() for r in records)
    monkeypatch.undo()
    again = build_store(changed, out, n_jobs=n_jobs, progress=False)       # nothing changed: only reuse runs
    assert again.meta["last_build"]["built"] == 0 and again.meta["last_build"]["corpus_stages_failed"] == []
    assert "reuse" in again.tables and again.errors.empty
    fresh = build_store(changed, tmp_path / "fresh", n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(again.table("reuse", categories=False), fresh.table("reuse", categories=False))
    pd.testing.assert_frame_equal(again.table("audit", categories=False), fresh.table("audit", categories=False))
