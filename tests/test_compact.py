"""After incremental builds the part files hold exactly the indexed reports: any Parquet reader gets the store."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.dataset as ds
import pytest

from lawgov_analysis import build_store
from lawgov_analysis.pipeline.compact import stale_parts
from lawgov_analysis.pipeline.stages import REPORT_TABLES

from .conftest import SAMPLE_FILE, write_fixture_corpus


def _plain(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.fixture()
def rebuilt(tmp_path):
    """A store built in parts of two reports, then one report changed, one added and one removed (prune)."""
    folder = write_fixture_corpus(tmp_path / "reports")
    shutil.copy(SAMPLE_FILE, folder / SAMPLE_FILE.name)
    store = build_store(folder, tmp_path / "store", n_jobs=1, chunk_size=2)
    first = store.index.set_index("doc_id")["part"].to_dict()
    path = folder / "anxian-2019.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("640件", "641件"), encoding="utf-8")
    (folder / "extra-2022.txt").write_text(SAMPLE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    removed = sorted(first)[-1]
    (folder / f"{removed}.txt").unlink()
    store = build_store(folder, store.path, n_jobs=1, prune=True)
    return store, first, removed


def test_part_files_read_whole_equal_the_store(rebuilt):
    store, first, removed = rebuilt
    assert store.index.set_index("doc_id")["part"]["anxian-2019"] != first["anxian-2019"]   # it moved
    assert removed not in set(store.index["doc_id"])
    written = {int(k): v for k, v in store.meta["docs_per_part"].items()}
    assert stale_parts(store.index, written) == []
    assert written == store.index["part"].value_counts().to_dict()
    for name in REPORT_TABLES:
        raw = ds.dataset(store.path / name, format="parquet").to_table().to_pandas()
        mine = store.table(name, categories=False)
        keys = [c for c in ("doc_id", "section_id", "sentence_id", "token_id", "start", "end", "check")
                if c in mine.columns]
        pd.testing.assert_frame_equal(_plain(raw, keys), _plain(mine, keys), check_dtype=False)
        ids = set(raw["doc_id"].astype(str))
        assert ids <= set(store.index["doc_id"]) and removed not in ids, name
        if name in ("corpus", "sections", "sentences", "tokens"):
            assert ids == set(store.index["doc_id"]), name
    values = store.table("metrics", categories=False)
    anx = values[values["doc_id"] == "anxian-2019"]["value"].tolist()
    assert 641.0 in anx and 640.0 not in anx


def test_duckdb_glob_over_the_folder_equals_store_sql(rebuilt):
    import duckdb

    store, _, _ = rebuilt
    glob = (store.path / "metrics" / "*.parquet").as_posix()
    raw = duckdb.sql(f"select doc_id, count(*) n from read_parquet('{glob}') group by doc_id order by doc_id").df()
    mine = store.sql("select doc_id, count(*) n from metrics group by doc_id order by doc_id")
    pd.testing.assert_frame_equal(raw, mine, check_dtype=False)


def test_stale_parts_counts_against_the_index():
    index = pd.DataFrame({"doc_id": ["a", "b", "c"], "part": [0, 0, 1]})
    assert stale_parts(index, {0: 2, 1: 2}) == [1]
    assert stale_parts(index, {0: 3, 1: 1}) == [0]
    assert stale_parts(index, {0: 2, 1: 1}) == []


def test_a_store_left_with_stale_parts_still_reads_each_report_once(tmp_path, monkeypatch):
    """A store from a build that did not rewrite its stale parts (an older version, or one stopped before it):
    Store.table and Store.sql check rows against the index."""
    from lawgov_analysis.pipeline import runner

    folder = write_fixture_corpus(tmp_path / "reports")
    store = build_store(folder, tmp_path / "store", n_jobs=1, chunk_size=2)
    path = folder / "anxian-2019.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("640件", "641件"), encoding="utf-8")
    monkeypatch.setattr(runner, "drop_stale_rows", lambda root, index, docs: dict(docs))
    store = build_store(folder, store.path, n_jobs=1)
    written = {int(k): v for k, v in store.meta["docs_per_part"].items()}
    assert stale_parts(store.index, written)                       # the old rows are still in a part file
    raw = ds.dataset(store.path / "metrics", format="parquet").to_table().to_pandas()
    mine = store.table("metrics", categories=False)
    assert len(raw) > len(mine)
    counted = store.sql("select doc_id, count(*) n from metrics group by doc_id order by doc_id")
    expected = mine.groupby("doc_id").size().rename("n").reset_index()
    pd.testing.assert_frame_equal(counted, expected, check_dtype=False)
    values = store.sql("select value from metrics where doc_id = 'anxian-2019'")["value"].tolist()
    assert 641.0 in values and 640.0 not in values
