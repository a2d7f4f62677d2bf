"""find_reuse in blocks of reports and from a sentence table in parts gives the table computed all at once, and
the candidate index finds the rows the as-of joins it replaced found."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.analysis.reuse import find_reuse
from lawgov_analysis.analysis.reuse_match import CandidateIndex, families, signatures
from lawgov_analysis.analysis.reuse_units import collect_units, report_meta
from lawgov_analysis.core.levels import LEVELS
from lawgov_analysis.text.structure import sentences
from tests.corpus_factory import bench_record, corpus_table


def _mixed_corpus() -> pd.DataFrame:
    """Template reports of several governments, levels and years (own, other, higher and peer reuse), the
    planted corpus (unrelated reports with edited copies), and reports without a year or a level."""
    rows = []
    for i in range(48):
        rec = bench_record(i)
        rows.append(dict(doc_id=rec["doc_id"], text=rec["text"], year=2019 + (i // 9) % 4,
                         level=("县", "区", "市", "省")[i % 9 % 4] if i % 11 else "", region=f"地{i % 9}",
                         region_code=""))
    rows[5]["year"] = None
    rows[17]["year"] = None
    planted = corpus_table("planted", size=40, seed=2)[["doc_id", "text", "year", "level", "region",
                                                        "region_code"]]
    out = pd.concat([pd.DataFrame(rows), planted], ignore_index=True)
    out["chars"] = out["text"].str.len()
    return out


@pytest.fixture(scope="module")
def mixed():
    corpus = _mixed_corpus()
    return corpus, sentences(corpus), find_reuse(corpus)


def test_the_mixed_corpus_has_every_relation(mixed):
    _, _, whole = mixed
    assert set(whole["relation"]) == {"own", "other", "higher", "peer"}
    assert whole["doc_id"].nunique() > 60 and len(whole) > 1000


@pytest.mark.parametrize("block_units", [1, 37, 1000])
def test_blocks_give_the_table_of_one_block(mixed, block_units):
    corpus, _, whole = mixed
    pd.testing.assert_frame_equal(find_reuse(corpus, block_units=block_units), whole)


@pytest.mark.parametrize("block_units", [37, 250_000])
def test_blocks_in_two_processes_give_the_table_of_one(mixed, block_units):
    corpus, _, whole = mixed
    # 250,000 units would be one block: with two processes the blocks are cut to a quarter of the units each
    pd.testing.assert_frame_equal(find_reuse(corpus, block_units=block_units, n_jobs=2), whole)


def test_n_jobs_must_be_positive(mixed):
    with pytest.raises(ValueError, match="n_jobs must be at least 1, got 0"):
        find_reuse(mixed[0], n_jobs=0)


def test_parts_in_any_cut_and_order_give_the_same_table(mixed):
    corpus, sents, whole = mixed
    meta = corpus.drop(columns="text")
    rng = np.random.default_rng(0)
    docs = sents["doc_id"].unique()[::-1]                     # reports in reverse order, parts of 1-9 reports
    cuts = np.cumsum(rng.integers(1, 10, size=len(docs)))
    groups = np.split(docs, cuts[cuts < len(docs)])
    parts = (sents[sents["doc_id"].isin(g)].sample(frac=1.0, random_state=1).sort_values(["doc_id", "start"])
             for g in groups)
    got = find_reuse(parts, meta, block_units=97)
    pd.testing.assert_frame_equal(got, whole)
    pd.testing.assert_frame_equal(find_reuse(sents, meta), whole)


def test_arrow_parts_give_the_units_of_pandas_parts(mixed):
    import pyarrow as pa

    corpus, sents, whole = mixed
    cols = ["doc_id", "start", "end", "text"]
    halves = [sents.iloc[: len(sents) // 2], sents.iloc[len(sents) // 2:]]
    cut = int(np.searchsorted(sents["doc_id"].to_numpy(dtype=object), halves[1]["doc_id"].iloc[0]))
    frames = [sents.iloc[:cut][cols], sents.iloc[cut:][cols]]
    tables = [pa.Table.from_pandas(frames[0], preserve_index=False),
              pa.Table.from_pandas(frames[1].astype({"doc_id": "category"}), preserve_index=False)]
    a = collect_units(iter(frames), min_chars=20, mask_numbers=True)
    b = collect_units(iter(tables), min_chars=20, mask_numbers=True)
    for name in ("doc", "start", "end", "text"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert list(a.docs) == list(b.docs) and a.texts == b.texts and a.short == b.short
    pd.testing.assert_frame_equal(find_reuse(iter(tables), corpus.drop(columns="text")), whole)
    with pytest.raises(ValueError, match="missing column"):
        collect_units([tables[0].drop_columns(["end"])], min_chars=20, mask_numbers=True)


def test_a_path_is_not_taken_for_parts():
    with pytest.raises(TypeError, match="load_corpus"):
        find_reuse("data/reports")


def _asof(left, right, *, by, exact):
    if left.empty or right.empty:
        return pd.DataFrame(columns=["unit", "src"])
    lhs = left[["unit", "year", *by]].sort_values("year", kind="stable")
    rhs = right[["unit", "year", *by]].rename(columns={"unit": "src", "year": "syear"}).sort_values(
        "syear", kind="stable")
    m = pd.merge_asof(lhs, rhs, left_on="year", right_on="syear", by=by, allow_exact_matches=exact)
    return m.dropna(subset=["src"])[["unit", "src"]]


def _two_per(df, keys, distinct):
    first = df.drop_duplicates(keys)
    lead = df[keys].merge(first[[*keys, distinct]].rename(columns={distinct: "_lead"}), on=keys, how="left")
    return first, df[df[distinct].to_numpy() != lead["_lead"].to_numpy()].drop_duplicates(keys)


def _asof_candidates(units: pd.DataFrame, above: np.ndarray) -> set[tuple[int, int]]:
    """The candidate pairs as the pandas as-of joins of the earlier implementation found them."""
    units = units[units.groupby("fam")["doc"].transform("nunique") > 1]
    reps = units.drop_duplicates(["fam", "doc"])
    known = units[units["year"] >= 0]
    kreps = reps[reps["year"] >= 0].sort_values(["fam", "year", "doc"], kind="stable")
    found = [_asof(known, kreps, by=["fam", "gov"], exact=False)]
    found += [_asof(known, t, by=["fam"], exact=False) for t in _two_per(kreps, ["fam", "year"], "gov")]
    for lev in range(len(LEVELS)):
        below = known[above[lev, known["lev"].to_numpy()]]
        found.append(_asof(below, kreps[kreps["lev"] == lev], by=["fam"], exact=True))
    for rep in _two_per(reps.sort_values(["fam", "year", "doc"], kind="stable"), ["fam", "year"], "doc"):
        m = units[["unit", "fam", "year"]].merge(rep[["unit", "fam", "year"]].rename(columns={"unit": "src"}),
                                                 on=["fam", "year"])
        found.append(m[["unit", "src"]])
    out = pd.concat(found, ignore_index=True).astype(np.int64)
    return set(map(tuple, out[out["unit"] != out["src"]].to_numpy().tolist()))


def test_candidate_index_finds_the_asof_join_rows(mixed):
    from lawgov_analysis.analysis.reuse_match import ABOVE

    corpus, sents, _ = mixed
    units = collect_units([sents], min_chars=20, mask_numbers=True)
    fam = families(signatures(units.texts, k=4, num_perm=64, seed=42), threshold=0.65, link=0.7)
    md = report_meta(corpus, units.docs).set_index("doc_id").reindex(units.docs)
    year, lev, gov = (md[c].to_numpy().astype(np.int64) for c in ("year", "lev", "gov"))
    index = CandidateIndex(units.doc, fam[units.text], year, lev, gov)
    table = pd.DataFrame({"unit": np.arange(len(units.doc)), "doc": units.doc, "fam": fam[units.text],
                          "year": year[units.doc], "lev": lev[units.doc], "gov": gov[units.doc]})
    expected = _asof_candidates(table, ABOVE)
    u, s = index.candidates(0, len(units.doc))
    assert set(zip(u.tolist(), s.tolist())) == expected and len(expected) > 5000
    # any cut into blocks gives the same pairs
    cuts = [0, 1, 250, 251, 2000, len(units.doc)]
    parts = [index.candidates(lo, hi) for lo, hi in zip(cuts[:-1], cuts[1:])]
    assert np.array_equal(np.concatenate([p[0] for p in parts]), u)
    assert np.array_equal(np.concatenate([p[1] for p in parts]), s)


def test_reuse_stage_reads_the_store_by_part_and_gives_the_in_memory_table(tmp_path):
    from lawgov_analysis.pipeline.runner import build_store
    from lawgov_analysis.pipeline.stages import reuse_stage

    corpus = _mixed_corpus().iloc[::3].reset_index(drop=True)
    store = build_store(corpus, tmp_path / "store", n_jobs=1, chunk_size=4, progress=False)
    meta = store.table("corpus", categories=False).drop(columns="text")
    expected = find_reuse(store.table("sentences", categories=False), meta)
    assert len(expected) > 100
    pd.testing.assert_frame_equal(reuse_stage(store=store), expected)
    # another threshold than the stored table's (notebook 08's min_similarity), also read by part
    from lawgov_analysis import find_reuse_store

    strict = find_reuse(store.table("sentences", categories=False), meta, min_similarity=0.95)
    assert len(strict) > 100 and strict["similarity"].min() >= 0.95 > expected["similarity"].min()
    other = find_reuse(store.table("sentences", categories=False), meta, min_chars=40, mask_numbers=False)
    assert len(other) and not other.equals(expected)
    guarded = type(store).table
    try:
        type(store).table = _no_sentence_table(guarded)
        pd.testing.assert_frame_equal(find_reuse_store(store, min_similarity=0.95), strict)
        # parts read and normalised by two processes, blocks verified by two: the same tables
        pd.testing.assert_frame_equal(find_reuse_store(store, min_similarity=0.95, n_jobs=2), strict)
        pd.testing.assert_frame_equal(find_reuse_store(store, n_jobs=2), expected)
        pd.testing.assert_frame_equal(find_reuse_store(store, n_jobs=2, min_chars=40, mask_numbers=False), other)
    finally:
        type(store).table = guarded
    stored = store.table("reuse", categories=False)
    assert stored[["doc_id", "start", "source_doc_id", "relation"]].values.tolist() == \
        expected[["doc_id", "start", "source_doc_id", "relation"]].values.tolist()


def test_cli_reuse_on_a_store_reads_it_by_part_and_gives_the_in_memory_table(tmp_path, monkeypatch):
    from lawgov_analysis.cli import main
    from lawgov_analysis.io.corpus import load_corpus
    from lawgov_analysis.pipeline.runner import build_store
    from tests.corpus_factory import write_corpus

    monkeypatch.setenv("LAWGOV_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_corpus("panel", tmp_path / "reports", size=12)
    store = build_store(folder, tmp_path / "store", n_jobs=1, progress=False)
    monkeypatch.setattr(type(store), "table", _no_sentence_table(type(store).table))
    assert main(["reuse", str(store.path), "--out", str(tmp_path / "pairs.csv")]) == 0
    corpus = load_corpus(folder)
    expected = find_reuse(corpus)
    assert len(expected) > 20
    expected.to_csv(tmp_path / "expected.csv", index=False)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "pairs.csv"), pd.read_csv(tmp_path / "expected.csv"))


def _no_sentence_table(table):
    def guarded(self, name, **kwargs):
        assert name != "sentences", "the sentence table is read by part, never whole"
        assert name != "corpus" or "text" not in (kwargs.get("columns") or ["text"]), "no report texts needed"
        return table(self, name, **kwargs)
    return guarded
