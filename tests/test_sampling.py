"""Bounded samples of long tables: every row up to the limit, a seeded sample above."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from lawgov_analysis import build_store
from lawgov_analysis.pipeline.sampling import sample_rows, sample_table

from .conftest import write_fixture_corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Three fixture reports, one per part."""
    folder = write_fixture_corpus(tmp_path_factory.mktemp("sampling") / "reports", manifest=False)
    return build_store(folder, tmp_path_factory.mktemp("sampling") / "store", n_jobs=1, chunk_size=1)


def test_sample_rows_keeps_a_short_table_and_samples_a_long_one():
    df = pd.DataFrame({"x": range(10)}, index=list("abcdefghij"))
    assert sample_rows(df, n=10) is df
    got = sample_rows(df, n=3, seed=0)
    assert len(got) == 3 and got["x"].is_monotonic_increasing and set(got.index) <= set(df.index)
    assert_frame_equal(got, sample_rows(df, n=3, seed=0))
    assert not sample_rows(df, n=3, seed=1).equals(got) or not sample_rows(df, n=3, seed=2).equals(got)
    with pytest.raises(ValueError, match="n must be a positive integer, got 0"):
        sample_rows(df, n=0)


def test_sample_table_is_the_table_up_to_n(store):
    whole = store.table("metrics", categories=False)
    got, rows = sample_table(store, "metrics", n=len(whole))
    assert rows == len(whole) > 10
    assert_frame_equal(got, whole)
    cols, _ = sample_table(store, "metrics", n=len(whole), columns=["surface", "value"])
    assert_frame_equal(cols, store.table("metrics", columns=["surface", "value"], categories=False))


@pytest.mark.parametrize("batch", [1, 1000])
def test_sample_table_draws_the_same_rows_however_the_store_is_read(store, batch):
    whole = store.table("metrics", categories=False)
    got, rows = sample_table(store, "metrics", n=7, seed=0, batch_docs=batch)
    assert rows == len(whole) and len(got) == 7
    assert list(got.columns) == list(whole.columns)
    # every sampled row is a row of the table, in the table's order (doc_id, then position in the report)
    keyed = whole.reset_index().merge(got, how="inner", on=list(whole.columns))
    assert len(keyed) == 7 and keyed["index"].is_monotonic_increasing
    again, _ = sample_table(store, "metrics", n=7, seed=0, batch_docs=1 if batch != 1 else 1000)
    assert_frame_equal(got, again)
    other, _ = sample_table(store, "metrics", n=7, seed=3, batch_docs=batch)
    assert not other.equals(got)


def test_sample_table_of_the_audit_includes_the_year_checks(store):
    whole = store.table("audit", categories=False)
    got, rows = sample_table(store, "audit", n=max(len(whole) - 1, 1), columns=["kind", "severity"])
    assert rows == len(whole)
    assert list(got.columns) == ["kind", "severity"] and len(got) == min(len(whole), max(len(whole) - 1, 1))


def test_sample_table_names_the_tables_it_knows(store):
    with pytest.raises(ValueError, match="name must be one of .*metrics.*, got 'nope'"):
        sample_table(store, "nope", n=3)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        sample_table(store, "metrics", n=-1)
