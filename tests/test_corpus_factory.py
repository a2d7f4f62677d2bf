"""The shared corpus generator: every kind is deterministic, shaped as documented and validated."""

import difflib

import pytest

from tests.corpus_factory import KINDS, corpus_spec, corpus_table, planted_truth, truth, write_corpus


@pytest.mark.parametrize("kind,size", [("bench", 7), ("planted", 12), ("panel", 6), ("missing_metadata", None)])
def test_same_arguments_same_bytes(tmp_path, kind, size):
    a = write_corpus(kind, tmp_path / "a", size=size, seed=4)
    b = write_corpus(kind, tmp_path / "b", size=size, seed=4)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    other = write_corpus(kind, tmp_path / "c", size=size, seed=5)
    assert any((a / f).read_bytes() != (other / f).read_bytes() for f in files if (other / f).exists())


def test_bench_reports_are_distinct_and_about_5000_chars():
    spec = corpus_spec("bench", size=20)
    assert [r["doc_id"] for r in spec] == [f"gen-{i:05d}" for i in range(20)]
    assert len({r["text"] for r in spec}) == 20
    assert all(5000 <= len(r["text"]) < 6000 and r["text"].startswith(r["title"] + "\n") for r in spec)
    assert set(truth("bench", size=20)["level"]) <= {"县", "区", "市"}


def test_planted_truth_points_at_edited_copies():
    corpus = corpus_table("planted", size=30, seed=2).set_index("doc_id")
    plants = planted_truth(size=30, seed=2)
    assert len(plants) > 20 and set(plants["relation"]) <= {"higher", "own", "other"}
    assert list(corpus.columns[:2]) == ["text", "chars"]
    for row in plants.itertuples():
        copy = corpus.loc[row.doc_id, "text"][row.start:row.end]
        source = corpus.loc[row.source_doc_id, "text"][row.source_start:row.source_end]
        # the same sentences with numbers, self-reference and about one character in three sentences edited
        # (the source span may hold a copy planted inside it, so count the copy's characters found in order)
        m = difflib.SequenceMatcher(None, copy, source.replace("\n", ""), autojunk=False)
        found = sum(b.size for b in m.get_matching_blocks()) / len(copy)
        assert copy.endswith("。") and found > 0.9, (row, found)


def test_unknown_kind():
    assert len(KINDS) == 7
    with pytest.raises(ValueError, match="kind must be one of panel, .*, got 'big'"):
        write_corpus("big", "unused")
