"""Deterministic generator of multi-report corpora, shared by the tests and the benchmarks.

Kinds (``KINDS``):

``panel``
    a few governments × consecutive years, with a ``manifest.csv`` giving every field (the trend case);
``cross_section``
    one report per government (the common case): many provinces and levels incl. 乡镇/街道 and departments
    such as 思明区司法局, years 2019–2024, no manifest, heads as saved from web pages (breadcrumb, publication
    line, font-size switch, share and print links, site footer) and some reports without a title line;
``missing_metadata``
    reports without a title, without a year anywhere, without a region, with a manifest row left blank;
``one``
    a single report with its title;
``empty``
    a folder without any report;
``bench``
    the fast benchmark shape: distinct shuffles of the sample's paragraphs, about 5,000 characters each, any
    size (report ``i`` depends only on ``i`` and ``seed``; see :mod:`.bench`);
``planted``
    unrelated random reports with planted, edited copies of each other's passages, for text reuse;
    ``planted_truth`` gives every planted copy (see :mod:`.planted`).

The first five are built from the real sample's paragraphs (:mod:`.realistic`), so every stage has real text
to work on. ``write_corpus(kind, folder, *, size, seed)`` writes one; ``corpus_spec`` gives the same reports
as records (the true metadata and the text) without writing anything, ``truth`` the true metadata as a table,
``corpus_table`` the report table a loader returns. Same arguments → byte-identical files.

Run ``python -m tests.corpus_factory OUT [KIND [SIZE]]`` to write corpora by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .bench import bench_record
from .planted import match_rates, planted
from .realistic import GOVERNMENTS, MANIFEST_COLUMNS, SAMPLE_FILE, realistic_records

__all__ = ["DEFAULT_SIZE", "GOVERNMENTS", "KINDS", "MANIFEST_COLUMNS", "SAMPLE_FILE", "bench_record",
           "corpus_spec", "corpus_table", "match_rates", "planted_truth", "truth", "write_all", "write_corpus"]

KINDS = ("panel", "cross_section", "missing_metadata", "one", "empty", "bench", "planted")

#: Default number of reports per kind (``size`` overrides it for ``panel``, ``cross_section``, ``bench`` and
#: ``planted``; the other kinds have a fixed size).
DEFAULT_SIZE = {"panel": 9, "cross_section": 12, "missing_metadata": 5, "one": 1, "empty": 0, "bench": 100,
                "planted": 150}


def _size(kind: str, size: int | None) -> int:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return DEFAULT_SIZE[kind] if size is None else int(size)


def _bench_full(i: int, seed: int) -> dict:
    rec = bench_record(i, seed=seed)
    return dict(doc_id=rec["doc_id"], path=f"{rec['doc_id']}.txt", title=rec["title"],
                author=rec["region"] + "人民政府", department="", region=rec["region"], region_code="",
                parent_region="", province="", city="", level=rec["level"], year=rec["year"],
                source="generated bench", text=rec["text"])


def _records(kind: str, n: int, seed: int) -> Iterator[dict]:
    if kind == "bench":
        return (_bench_full(i, seed) for i in range(n))
    if kind == "planted":
        return iter(planted(n, seed=seed)[0])
    return iter(realistic_records(kind, n, seed))


def corpus_spec(kind: str, *, size: int | None = None, seed: int = 0) -> list[dict]:
    """The reports of corpus ``kind`` as records: ``MANIFEST_COLUMNS`` (the truth) plus ``text``.

    One record per report, in the order the files are written. ``size`` is the number of reports for
    ``panel`` (rounded to whole governments × years), ``cross_section``, ``bench`` and ``planted``.
    Deterministic for a given ``kind, size, seed``.
    """
    return list(_records(kind, _size(kind, size), seed))


def truth(kind: str, *, size: int | None = None, seed: int = 0) -> pd.DataFrame:
    """The true metadata of corpus ``kind``: ``MANIFEST_COLUMNS``, one row per report, in file order.
    A ``bench`` report's level is the suffix of its made-up name (县, 区 or 市), with no code, province or city.
    """
    records = corpus_spec(kind, size=size, seed=seed)
    return pd.DataFrame(records, columns=MANIFEST_COLUMNS + ["text"]).drop(columns="text")


def corpus_table(kind: str, *, size: int | None = None, seed: int = 0) -> pd.DataFrame:
    """Corpus ``kind`` as a report table, as a loader returns it, without writing files.

    Returns
    -------
    pandas.DataFrame
        One row per report: ``doc_id``, ``text``, ``chars`` (characters of the text), then the true metadata
        ``title, author, department, region, region_code, parent_region, province, city, level, year,
        source``.
    """
    records = corpus_spec(kind, size=size, seed=seed)
    meta = [c for c in MANIFEST_COLUMNS if c not in ("doc_id", "path")]
    df = pd.DataFrame(records, columns=MANIFEST_COLUMNS + ["text"])
    df.insert(1, "text", df.pop("text"))
    df.insert(2, "chars", df["text"].str.len())
    return df[["doc_id", "text", "chars", *meta]]


def planted_truth(*, size: int | None = None, seed: int = 0) -> pd.DataFrame:
    """The planted copies of the ``planted`` corpus of the same ``size`` and ``seed``.

    Returns
    -------
    pandas.DataFrame
        One row per planted copy: ``doc_id, start, end`` (the copy's character span in the target report),
        ``source_doc_id, source_start, source_end`` (the copied sentences in the source report) and
        ``relation`` (``higher``: source of a higher level in the same year; ``own``: the same government's
        earlier report; ``other``), sorted by ``doc_id, start``.
    """
    return planted(_size("planted", size), seed=seed)[1]


def write_corpus(kind: str, folder: str | Path, *, size: int | None = None, seed: int = 0) -> Path:
    """Write corpus ``kind`` into ``folder`` (created) as UTF-8 ``.txt`` files and return the folder.

    ``panel`` also gets a ``manifest.csv`` with every field; ``missing_metadata`` gets a manifest whose rows
    leave region, level and year blank (so the loader must infer or report them). ``bench`` reports are made
    and written one at a time, so any size fits in memory.
    """
    n = _size(kind, size)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rec in _records(kind, n, seed):
        text = rec["text"] if rec["text"].endswith("\n") else rec["text"] + "\n"
        (folder / rec["path"]).write_text(text, encoding="utf-8", newline="\n")
        if kind in ("panel", "missing_metadata"):
            written.append({k: v for k, v in rec.items() if k != "text"})
    if kind == "panel":
        pd.DataFrame(written)[MANIFEST_COLUMNS].to_csv(folder / "manifest.csv", index=False, lineterminator="\n")
    elif kind == "missing_metadata" and written:
        blank = pd.DataFrame([{"doc_id": r["doc_id"], "path": r["path"], "title": "", "region": "", "level": "",
                               "year": "", "source": r["source"]} for r in written])
        blank.to_csv(folder / "manifest.csv", index=False, lineterminator="\n")
    return folder


def write_all(root: str | Path, *, seed: int = 0) -> dict[str, Path]:
    """Write every kind at its default size under ``root/<kind>``; return ``{kind: folder}``."""
    root = Path(root)
    return {kind: write_corpus(kind, root / kind, seed=seed) for kind in KINDS}
