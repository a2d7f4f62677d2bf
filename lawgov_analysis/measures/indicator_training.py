"""Rebuilding the training table of the learned indicator component from the repository's labelled sources.

The bundled table (``resources/indicator_training.csv``, read by
:func:`lawgov_analysis.measures.indicator_model.load_training_table`) holds the features of every labelled mention
the team wrote or labelled: the sample report's gold ids, the non-holdout paragraphs of the team's blind set and the
written sentences of ``resources/indicator_phrases.txt``. No text of the real report pages used for evaluation is in
it. A test checks that the shipped table equals a rebuild.

Public names
------------
read_blind_set(path)                 the team's labelled paragraphs (tests/data/indicators_blind.toml) as two tables
build_training_table(...)            the training table from those sources
write_training_table(path, ...)      write it with its provenance header
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .indicator_model import TRAINING_COLUMNS, mention_features, rules_only

logger = logging.getLogger(__name__)

__all__ = ["build_training_table", "read_blind_set", "write_training_table"]

_HEADER = """\
# Training table of the learned indicator component (lawgov_analysis.measures.indicator_model).
#
# What: one labelled metric mention a row: its indicator_id (docs/spec/indicators.md) and the features of
# indicator_model.mention_features (words before the number in its clause, the clause with the mention as "§",
# the characters after it, the end of the previous clause, the start of its sentence, the lead sentence of its
# paragraph, the nearest heading line above it, who reports (court/procuratorate/police, from the opening of the
# text), whom its sentence names (officials/public), the unit; digits masked as 0). The model also reads, from
# these texts, which ids' rule terms (resources/indicators.toml) occur in them; that is not stored here.
# Where from (column `source`): `seed` = the gold indicator ids of the sample report (data/gold/seed_indicators.csv on
# data/reports/changjiang-2021.txt); `blind` = the non-holdout paragraphs of tests/data/indicators_blind.toml, written
# and labelled by the project; `written` = the sentences of resources/indicator_phrases.txt, written by the project.
# No text of the real report pages used for evaluation (benchmarks/realpages) is in it.
# Rebuilt by indicator_training.write_training_table(); a test checks that it is up to date. MIT licence.
"""


def read_blind_set(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The team's labelled paragraphs (``tests/data/indicators_blind.toml``) as two tables.

    Returns
    -------
    paragraphs : DataFrame
        ``doc_id, split, text``: one row per paragraph.
    mentions : DataFrame
        ``doc_id, split, start, end, surface, indicator_id, phrase``: one row per labelled mention; each surface
        is found after the previous mention of its paragraph and never inside a longer number.
    """
    import tomllib

    path = Path(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    paras, rows = [], []
    for p in data["paragraph"]:
        text = p["text"]
        paras.append((p["id"], p["split"], text))
        pos = 0
        for surface, indicator_id, phrase in p["mentions"]:
            k = text.find(surface, pos)
            while k > 0 and (text[k - 1].isdigit() or text[k - 1] in ".,"):
                k = text.find(surface, k + 1)
            if k < 0:
                raise ValueError(f"{path.name}: {p['id']}: {surface!r} not found after offset {pos}")
            rows.append((p["id"], p["split"], k, k + len(surface), surface, indicator_id, phrase))
            pos = k + len(surface)
    return (pd.DataFrame(paras, columns=["doc_id", "split", "text"]),
            pd.DataFrame(rows, columns=["doc_id", "split", "start", "end", "surface", "indicator_id", "phrase"]))


def _written_mentions(lines: Iterable[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    paras, ids = [], {}
    for n, line in enumerate(lines):
        indicator_id, _, sentence = line.partition("\t")
        if not sentence:
            raise ValueError(f"indicator_phrases.txt: line {line!r} is not 'indicator_id<TAB>sentence'")
        doc = f"w{n:04d}"
        paras.append((doc, sentence))
        ids[doc] = indicator_id
    return pd.DataFrame(paras, columns=["doc_id", "text"]), ids


def build_training_table(*, seed_dir: str | Path, blind_file: str | Path,
                         phrases: str | Path | None = None) -> pd.DataFrame:
    """The training table from the labelled sources of the repository (see :func:`load_training_table`).

    Parameters
    ----------
    seed_dir : path, keyword-only
        The repository's ``data`` folder (``gold/seed_indicators.csv``, ``gold/seed_metrics.csv`` and
        ``reports/<doc_id>.txt``).
    blind_file : path, keyword-only
        ``tests/data/indicators_blind.toml`` (its ``holdout`` paragraphs are left out).
    phrases : path, optional, keyword-only
        The written sentences; ``None`` reads ``resources/indicator_phrases.txt``.

    Returns
    -------
    DataFrame
        Columns of :func:`load_training_table`, sorted by source and then as found.
    """
    from ..core.resources import read_lines
    from .metrics import extract_metrics

    seed_dir, blind_file = Path(seed_dir), Path(blind_file)
    rows: list[tuple] = []
    ids = pd.read_csv(seed_dir / "gold" / "seed_indicators.csv", dtype={"doc_id": str})
    units = pd.read_csv(seed_dir / "gold" / "seed_metrics.csv", dtype={"doc_id": str, "unit": str})
    seed = ids.merge(units[["doc_id", "start", "end", "unit"]], on=["doc_id", "start", "end"], how="left")
    for doc_id, g in seed.groupby("doc_id", sort=True):
        text = (seed_dir / "reports" / f"{doc_id}.txt").read_text(encoding="utf-8")
        g = g.sort_values("start")
        feats = mention_features(text, zip(g["start"], g["end"], g["unit"].fillna("")))
        rows += [("seed", i, *f) for i, f in zip(g["indicator_id"], feats.itertuples(index=False))]

    paragraphs, mentions = read_blind_set(blind_file)   # trained on its dev paragraphs, never its holdout
    corpus = paragraphs.loc[paragraphs["split"] != "holdout", ["doc_id", "text"]].reset_index(drop=True)
    labels = list(mentions.loc[mentions["split"] != "holdout", ["doc_id", "start", "end", "indicator_id"]]
                  .itertuples(index=False, name=None))
    lines = read_lines(Path(phrases) if phrases is not None else "indicator_phrases.txt")
    written, written_ids = _written_mentions(lines)
    with rules_only():
        pred = extract_metrics(pd.concat([corpus, written], ignore_index=True))
    texts = dict(zip(pd.concat([corpus, written])["doc_id"], pd.concat([corpus, written])["text"]))
    by_doc = {d: g for d, g in pred.groupby("doc_id")}
    for doc_id, start, end, indicator_id in labels:
        g = by_doc.get(doc_id)
        hit = None if g is None else g[(g["start"] < end) & (g["end"] > start)]
        unit = str(hit.iloc[0]["unit"]) if hit is not None and len(hit) else ""
        rows.append(("blind", indicator_id, *mention_features(texts[doc_id], [(start, end, unit)]).iloc[0]))
    for doc_id in written["doc_id"]:
        g = by_doc.get(doc_id)
        if g is None or not len(g):
            raise ValueError(f"indicator_phrases.txt: no metric mention in {texts[doc_id]!r}")
        feats = mention_features(texts[doc_id], zip(g["start"], g["end"], g["unit"]))
        rows += [("written", written_ids[doc_id], *f) for f in feats.itertuples(index=False)]
    return pd.DataFrame(rows, columns=TRAINING_COLUMNS)


def write_training_table(path: str | Path, *, seed_dir: str | Path, blind_file: str | Path) -> Path:
    """Write :func:`build_training_table` to ``path`` with its provenance header; returns the path."""
    table = build_training_table(seed_dir=seed_dir, blind_file=blind_file)
    path = Path(path)
    path.write_text(_HEADER + table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    logger.info("wrote %d labelled mentions to %s", len(table), path)
    return path
