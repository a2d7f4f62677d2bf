"""Keep a store's part files exactly the reports its index holds, so any Parquet reader can use them as they are.

An incremental build writes a rebuilt report into a new part and leaves its old rows in the old part; a
pruned report's rows stay in their part too. :func:`drop_stale_rows` rewrites each part that still holds such
rows (the index is the truth: the reports it lists for that part), so ``STORE/<table>/`` read whole by R's
``arrow::open_dataset``, Polars' ``scan_parquet`` or DuckDB's ``read_parquet`` gives the same rows as
:meth:`lawgov_analysis.pipeline.catalog.Store.table`. Only the parts that changed are rewritten.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from .stages import REPORT_TABLES
from .storage import part_name, write_parquet_atomic

__all__ = ["stale_parts", "drop_stale_rows"]

logger = logging.getLogger(__name__)


def stale_parts(index: pd.DataFrame, docs_per_part: dict[int, int]) -> list[int]:
    """Parts the index references that were written with more reports than the index now places in them.

    Parameters
    ----------
    index
        The build index (``doc_id``, ``part`` …; one row per report).
    docs_per_part
        Part number → how many reports the build wrote into it (``store.json``'s ``docs_per_part``).

    Returns
    -------
    list of int
        The part numbers, sorted.
    """
    counts = index["part"].astype(int).value_counts()
    return sorted(int(p) for p, n in counts.items() if int(docs_per_part.get(int(p), n)) != int(n))


def drop_stale_rows(root: str | Path, index: pd.DataFrame, docs_per_part: dict[int, int]) -> dict[int, int]:
    """Rewrite the stale parts of every per-report table to hold only the reports the index places there.

    Parameters
    ----------
    root
        The store folder.
    index
        The build index (``doc_id``, ``part``).
    docs_per_part
        Part number → reports written into it; not modified.

    Returns
    -------
    dict
        ``docs_per_part`` updated for the rewritten parts (part → reports it now holds). Each rewrite goes
        through a temporary file, so a reader never sees half a part.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    root = Path(root)
    updated = dict(docs_per_part)
    for part in stale_parts(index, docs_per_part):
        keep = pa.array(sorted(index.loc[index["part"].astype(int) == part, "doc_id"].astype(str)))
        for name in REPORT_TABLES:
            path = root / name / part_name(part)
            if not path.is_file():
                continue
            table = pq.read_table(path)
            ids = table["doc_id"]
            if pa.types.is_dictionary(ids.type):
                ids = ids.cast(ids.type.value_type)
            mask = pc.is_in(ids, value_set=keep)
            write_parquet_atomic(table.filter(mask), path)
        updated[part] = len(keep)
        logger.info("part %d rewritten without the rows of reports rebuilt elsewhere or removed", part)
    return updated
