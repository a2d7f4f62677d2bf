"""Hostile and messy input, generated: random manifests (columns, cells, encodings, CSV or .xlsx), report files
and attachments (broken, bombs, every encoding). Whatever comes in, ``load_corpus`` and ``build_store`` raise
nothing but a documented one-line error, every file is in the ingest account, and no output folder is left with
a half-written file. (``benchmarks/fuzz_manifests.py`` runs the same generator on 1,000 folders.)"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lawgov_analysis.io.corpus import load_corpus

from .fuzz_inputs import DOCUMENTED, check_load, write_case


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_load_corpus_accounts_for_everything_or_says_why_in_one_line(rng):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_case(rng, Path(tmp))
        outcome, files, accounted = check_load(folder)
        if outcome == "loaded":
            assert accounted == files


def _half_written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".") and p.suffix in (".tmp", ".part"))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
@example(rng=random.Random(23))  # 3 reports load, 4 files skipped, 2 manifest warnings: a store is built
def test_build_store_on_hostile_input_leaves_nothing_half_written(rng):
    from lawgov_analysis import build_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_case(rng, Path(tmp))
        out = Path(tmp) / "store"
        try:
            store = build_store(folder, out, n_jobs=1, progress=False)
        except DOCUMENTED as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            corpus, ingest = load_corpus(folder, report=True)
            assert sorted(store.table("corpus", categories=False)["doc_id"]) == sorted(corpus["doc_id"])
        if out.exists():
            assert _half_written(out) == []
        assert _half_written(folder) == []


def test_generator_covers_the_cases_of_the_issue():
    """The generator writes what the issue's fuzzer met: GBK manifests, long and null-byte path cells,
    manifests without a path column, .xlsx manifests and docx bombs."""
    seen = {"gbk": 0, "long": 0, "null": 0, "no_path": 0, "xlsx": 0, "bomb": 0}
    for seed in range(150):
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_case(random.Random(seed), Path(tmp))
            for file in folder.rglob("*"):
                if not file.is_file():
                    continue
                data = file.read_bytes()
                if file.suffix == ".xlsx" and data.startswith(b"PK"):
                    seen["xlsx"] += 1
                if file.suffix.lower() == ".docx" and b"\xff\xff\xff\x7f" in data:
                    seen["bomb"] += 1
                if file.suffix == ".csv":
                    head = data.split(b"\n", 1)[0]
                    seen["no_path"] += b"path" not in head and b"p\x00a\x00t\x00h" not in head
                    seen["long"] += b"p" * 256 in data
                    seen["null"] += b"a\x00b" in data
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        seen["gbk"] += data[:2] not in (b"\xff\xfe", b"\xfe\xff")
    assert min(seen.values()) >= 3, seen
