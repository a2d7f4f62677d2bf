"""How the store's tables sit on disk: compact Arrow tables written atomically as Parquet parts.

Nothing here knows any stage: the catalog reads with these helpers and the runner writes with them.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pandas as pd

__all__ = ["DICT_COLUMNS", "INT32_COLUMNS", "to_arrow", "to_pandas", "write_parquet_atomic", "write_json_atomic",
           "part_name", "part_number"]

#: String columns stored dictionary-encoded (categorical in pandas); other strings are plain.
DICT_COLUMNS = frozenset({"doc_id", "section_id", "parent_id", "token", "kind", "term", "theme_id", "entry",
                          "unit", "indicator_id", "format", "encoding", "level", "province", "region", "city",
                          "department", "region_code", "severity", "qualifier", "comparison", "marker",
                          "source_doc_id", "relation"})
#: Integer columns stored as int32 (offsets, ids and lengths of reports of a few hundred thousand characters).
INT32_COLUMNS = frozenset({"sentence_id", "token_id", "start", "end", "chars", "source_start", "source_end"})


def to_arrow(df):
    """A pandas (or arrow) table as a compact ``pyarrow.Table``: dictionary strings, int32 positions, no index."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    cols = []
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(pa.dictionary(pa.int32(), pa.string())) if name in DICT_COLUMNS else col.cast(pa.string())
        elif pa.types.is_null(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
            col = col.cast(pa.string())
            if name in DICT_COLUMNS:
                col = pc.dictionary_encode(col).cast(pa.dictionary(pa.int32(), pa.string()))
        elif name in INT32_COLUMNS and pa.types.is_integer(t):
            col = col.cast(pa.int32())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def to_pandas(table, categories: bool) -> pd.DataFrame:
    """Arrow → pandas; dictionary columns become categoricals with sorted categories (so sorting is lexical)."""
    import pyarrow as pa

    if not categories:
        table = pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
                          for c in table.columns], names=table.column_names)
    nullable = {name: pd.array(col.to_pylist(), dtype=f"Int{col.type.bit_width}")   # not float with NaN
                for name, col in zip(table.column_names, table.columns)
                if pa.types.is_integer(col.type) and col.null_count}
    df = table.to_pandas(split_blocks=True, self_destruct=True)     # frees each Arrow column once converted
    del table
    pa.default_memory_pool().release_unused()
    for name, values in nullable.items():
        df[name] = values
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            cats = df[col].cat.categories
            if not cats.is_monotonic_increasing:
                df[col] = df[col].cat.reorder_categories(sorted(cats))
    return df


def write_parquet_atomic(table, path: Path) -> None:
    """Write an Arrow table to ``path`` (zstd) through a temporary name: readers never see half a file.

    String columns are dictionary-encoded in the file, numbers plain; min/max statistics (what readers use to
    skip row groups) are kept for ``doc_id`` and the numeric columns, not for the other strings (computing
    them was a third of the writing time). Every column reads back the same.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    strings = [f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
               or pa.types.is_large_string(f.type)]
    stats = [f.name for f in table.schema if f.name == "doc_id" or f.name not in strings]
    try:
        pq.write_table(table, tmp, compression="zstd", use_dictionary=strings, write_statistics=stats)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_json_atomic(data: dict, path: Path) -> None:
    """Write ``data`` as sorted, indented UTF-8 JSON through a temporary name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def part_name(part: int) -> str:
    """File name of part ``part`` of a per-report table."""
    return f"part-{part:06d}.parquet"


def part_number(path: Path) -> int:
    """The part number in a part file's name (``part-000012.parquet`` → 12)."""
    return int(Path(path).stem.split("-")[1])
